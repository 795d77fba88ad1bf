"""Heading recovery: the page's sub-headings trafilatura dropped put back before the block
that follows them, and the body's headings listed in order (the block headings, the ones
inside longer blocks, and those put back), without tables of contents, decks, calls to
action, captions and teasers."""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.chrome import is_chrome_heading
from scraper.extract.nodes import HEADING_TAGS, SKIPPED_TAGS
from scraper.extract.page_names import PageNames, narrowed
from scraper.extract.placement import (
    FOLD_MARGIN,
    Stream,
    block_at,
    block_stream,
    fold_run,
    fold_start,
)
from scraper.extract.reader import element_text
from scraper.extract.text import ZERO_WIDTH, clean, fold, unmojibake

_DEK_HEADINGS = tuple(sel.DEK_HEADINGS.split(", "))
"""The deck selectors one by one (narrowed to the page's class names)."""
PageHeading = tuple[LexborNode, str, str]
"""A heading of the page: its node, its text and its folded text."""


def recover_headings(
    tree: LexborHTMLParser,
    blocks: list[str],
    headings: list[str],
    folded_title: str,
    inner: set[str],
    url: str | None = None,
    *,
    names: PageNames | None = None,
) -> tuple[list[str], list[str]]:
    """``(blocks, headings)`` with the sub-headings the body extractor dropped put back
    before the block that follows them, and listed in body order with the block headings
    and the ``inner`` ones (lines of a longer block: :func:`inner_headings`). ``names``:
    the page's class and id names, when already read."""
    root = tree.body or tree.root
    if root is None or not blocks:
        return blocks, headings
    not_sections = _not_sections(root, names)
    heads, tree_heads, teasers = _page_headings(root, url)
    have = {fold(h) for h in headings}
    skip = _Skip(have | inner | {folded_title}, not_sections, folded_title)
    blocks, put_back, orphans = _put_back(heads, blocks, skip, url)
    have |= put_back
    # a block the extractor kept as a paragraph that is the whole text of a page heading
    short = {fold(b) for b in blocks if len(b) <= tuning.HEADING_MAX_CHARS}
    have |= (tree_heads - {folded_title}) & short
    listed = _listed(blocks, have, inner - {folded_title}, not_sections | teasers)
    return [block for block in blocks if block not in orphans], listed


def inner_headings(element: etree._Element) -> set[str]:
    """Folded text of the headings trafilatura kept inside another block (a ``head`` in a
    list item, a table cell or a div it passed through whole): a line of that block."""
    inner: set[str] = set()
    for child in element:
        if child.tag == "head":
            continue
        for head in child.iter("head"):
            text = element_text(head)
            if text and len(text) <= tuning.HEADING_MAX_CHARS and not is_chrome_heading(text):
                inner.add(fold(text))
    return inner


def _not_sections(root: LexborNode, names: PageNames | None) -> set[str]:
    """Folded texts that are never section headings: table-of-contents titles, decks, and
    question lines (unless they hold a heading element: <summary><h2>)."""
    found = set(sel.TOC_HEADINGS)
    if decks := narrowed(_DEK_HEADINGS, names):
        found |= {fold(n.text(deep=True)) for n in root.css(decks)}
    found |= {
        fold(n.text(deep=True))
        for n in root.css(sel.QUESTION_LINES)
        if n.css_first("h1, h2, h3, h4, h5, h6") is None
    }
    return found


def _page_headings(
    root: LexborNode, url: str | None
) -> tuple[list[PageHeading], set[str], set[str]]:
    """The page's headings that may be sections (not empty, not long, not widget titles);
    the folded text of each; and of those that link to another page (teasers: their text
    may still be put back, they are only not listed).
    h1 too: pages rendered from Markdown (gists, docs) use h1 for their sections."""
    heads: list[PageHeading] = []
    folded_heads: set[str] = set()
    teasers: set[str] = set()
    for node in root.css("h1, h2, h3, h4, h5, h6"):
        text = clean(node.text(deep=True))
        if not text or len(text) > tuning.HEADING_MAX_CHARS or is_chrome_heading(text):
            continue
        folded = fold(text)
        if _links_to_another_page(node, folded, url):
            teasers.add(folded)
        folded_heads.add(folded)
        heads.append((node, text, folded))
    return heads, folded_heads, teasers


class _Skip:
    """Which page headings are not put back: those already in the body (``known``: listed,
    inner, the title), non-sections, calls to action and the headline itself."""

    def __init__(self, known: set[str], not_sections: set[str], folded_title: str) -> None:
        self.known, self.not_sections, self.folded_title = known, not_sections, folded_title

    def __call__(self, node: LexborNode, text: str, folded: str, url: str | None) -> bool:
        title = self.folded_title
        if not folded or folded in self.known or folded in self.not_sections:
            return True
        if sel.CTA_HEADING.search(text):
            return True
        # the headline (the title, or a part of it, or it plus a suffix) is not a section
        if node.tag == "h1" and title and (folded in title or title in folded):
            return True
        return _caption_or_card(node, url)


def _put_back(
    heads: list[PageHeading], blocks: list[str], skip: _Skip, url: str | None
) -> tuple[list[str], set[str], set[str]]:
    """``blocks`` with each dropped heading inserted before the block its following text
    starts (splitting a block when that text starts a line inside it); the folded headings
    put back; and the orphans: headings whose own section is not in the body, listed but
    not put into the text."""
    put_back: set[str] = set()
    orphans: set[str] = set()
    stream = block_stream(blocks)
    for node, text, folded in heads:
        if folded in put_back or skip(node, text, folded, url):
            continue
        found = block_at(stream, blocks, *_following_texts(node))
        orphan = found is None
        if orphan:
            found = _later_kept(node, stream, blocks)
        if found is None:
            continue
        blocks = _inserted(blocks, found, text)
        if orphan:
            orphans.add(text)
        stream = block_stream(blocks)
        put_back.add(folded)
    return blocks, put_back, orphans


def _inserted(blocks: list[str], at: tuple[int, int], text: str) -> list[str]:
    """``blocks`` with ``text`` as a block at ``at`` (block index, line in that block: the
    block is split there first)."""
    index, line = at
    if line:
        lines = blocks[index].split("\n")
        split = ["\n".join(lines[:line]), "\n".join(lines[line:])]
        blocks = [*blocks[:index], *split, *blocks[index + 1 :]]
        index += 1
    return [*blocks[:index], text, *blocks[index:]]


def _listed(
    blocks: list[str], have: set[str], inner: set[str], not_listed: set[str]
) -> list[str]:
    """The headings in body order: whole blocks that are headings (``have``) and lines of
    longer blocks that are (``inner``), repaired, each once."""
    ordered: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        folded = fold(block)
        if len(block) <= tuning.HEADING_MAX_CHARS and folded in have:
            lines = [block]
        elif inner:
            lines = [line for line in block.split("\n") if fold(line) in inner]
        else:
            continue
        for line in lines:
            if line in seen or fold(line) in not_listed or sel.CTA_HEADING.search(line):
                continue
            seen.add(line)
            if text := clean(ZERO_WIDTH.sub("", unmojibake(line))):
                ordered.append(text)
    return ordered


def _following_texts(node: LexborNode) -> tuple[list[str], int]:
    """Folded text runs after ``node`` among its next siblings, about FOLLOWING_CHARS
    characters, and how many of the first ones are headings (a sub-heading right after this
    one).

    A heading wrapped alone in a <div> (the wrapper holds no other text) is looked past to
    the wrapper's siblings; short runs ("Pros:", a rating) are joined with what follows.
    """
    want = tuning.FOLLOWING_CHARS
    own = fold(node.text(deep=True))
    wrapper = node
    for _ in range(tuning.HEADING_WRAPPER_LEVELS):
        parent = wrapper.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        whole = parent.text(deep=True)
        start, complete = fold_start(whole, len(own) + FOLD_MARGIN)
        # the start of the parent's fold already differs (most parents hold far more text)
        if not own.startswith(start) or (start if complete else fold(whole)) != own:
            break
        wrapper = parent
    parts: list[str] = []
    headed = 0
    size = 0
    sibling = wrapper.next
    while sibling is not None and size < want:
        if sibling.tag not in SKIPPED_TAGS and (text := fold_run(sibling.text(deep=True), want)):
            if sibling.tag in HEADING_TAGS and headed == len(parts):
                headed += 1
            parts.append(text)
            size += len(text) + 1
        sibling = sibling.next
    return parts, headed


def _later_kept(node: LexborNode, stream: Stream, blocks: list[str]) -> tuple[int, int] | None:
    """Where the first later sibling of ``node`` that the body kept starts, before the next
    heading: the heading's section opened with something the extractor dropped (a list, a
    row of cards) and went on with text it kept."""
    sibling = node.next
    for _ in range(tuning.LATER_KEPT_SIBLINGS):
        if sibling is None:
            return None
        if sibling.tag in HEADING_TAGS:
            return None
        if sibling.is_element_node and sibling.tag not in SKIPPED_TAGS:
            key = fold(sibling.text(deep=True)).replace(" ", "")[: tuning.MATCH_KEY_CHARS]
            if len(key) >= tuning.LATER_KEPT_MIN_KEY and (
                found := block_at(stream, blocks, [key])
            ):
                return found
        sibling = sibling.next
    return None


def _links_to_another_page(node: LexborNode, folded: str, url: str | None) -> bool:
    """Whether the heading's whole text is a link to another page of the same site: the
    title of a teaser (a related story, a category), not a section of this page."""
    link = node.css_first("a[href]")
    if link is None and node.parent is not None and node.parent.tag == "a":
        link = node.parent
    if link is None or fold(link.text(deep=True)) != folded:
        return False
    if (target := _link_target(link, url)) is None:
        return False
    here = urlsplit(url or "")
    if target.scheme not in ("http", "https", "") or target.netloc != here.netloc:
        return False
    return target.path.rstrip("/") != here.path.rstrip("/")


def _link_target(link: LexborNode, url: str | None) -> SplitResult | None:
    """Where ``link`` leads, resolved against the page; None for no href or a #fragment."""
    href = (link.attributes.get("href") or "").strip()
    if not href or href.startswith("#"):
        return None
    return urlsplit(urljoin(url or "", href))


def _caption_or_card(node: LexborNode, url: str | None) -> bool:
    """Whether a heading is an image's caption (inside a <figure>) or the title of a card
    that links to another page (the heading sits inside the <a>), or heads a box whose next
    text is a link (a teaser, a call to action): never a section of the article."""
    here = urlsplit(url or "")
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.tag == "figure":
            return True
        if (
            parent.tag == "a"
            and (target := _link_target(parent, url)) is not None
            and target.path != here.path
        ):
            return True
        parent = parent.parent
    sibling = node.next
    while sibling is not None and not (
        sibling.is_element_node and sibling.tag not in SKIPPED_TAGS and clean(sibling.text())
    ):
        sibling = sibling.next
    return sibling is not None and sibling.tag == "a"
