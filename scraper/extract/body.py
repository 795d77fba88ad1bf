"""The article body and its sub-headings: chrome removed with selectolax, the main text
found by trafilatura, headings taken from the same content node, in order."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import SplitResult, urljoin, urlsplit

import trafilatura
from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract.text import clean, fold

_HEADING_NODES = "h2, h3, h4, h5, h6, .widget-title, .block-title, .widgettitle, .section-title"
_WORD = re.compile(r"\w")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_QUOTES = frozenset("\"'“”„«»‘’‚")
_LEAD_NODES = ", ".join(sel.LEAD_SELECTORS)
_MAIN_CONTENT_NODES = ", ".join(sel.MAIN_CONTENT_SELECTORS)
_HEAD_CHROME = ", ".join(sel.HEAD_CHROME)
_CHROME_NODES = ", ".join(sel.CHROME_SELECTORS)
_CHROME_UNLESS_PROSE = ", ".join(sel.CHROME_UNLESS_PROSE)
_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "div", "item"}


@dataclass(slots=True)
class Body:
    text: str = ""
    headings: list[str] = field(default_factory=list)


def _link_chars(node: LexborNode) -> int:
    return sum(len(clean(a.text(deep=True))) for a in node.css("a"))


def _link_density(node: LexborNode) -> float:
    text = _text_size(node)
    return _link_chars(node) / text if text else 1.0


def _holds_prose(node: LexborNode) -> bool:
    """Whether ``node`` holds paragraphs: at least PROSE_CHARS of <p> text outside links."""
    total = 0
    for paragraph in node.css("p"):
        total += _text_size(paragraph) - _link_chars(paragraph)
        if total >= sel.PROSE_CHARS:
            return True
    return False


_CHROME_HEADING_MAX = max(len(h) for h in sel.CHROME_HEADINGS) + 10
# compared in folded form: "top-themen" is "top themen" once folded, "share this:" is "share this"
_CHROME_HEADINGS = frozenset(fold(h) for h in sel.CHROME_HEADINGS)


def _is_chrome_heading(text: str) -> bool:
    """A widget title: one of CHROME_HEADINGS, or one of several words followed by the
    name of the site or section ("More news from the Gazette", "Mehr zum Thema auf X")."""
    if len(text) > _CHROME_HEADING_MAX:
        return False
    folded = fold(text)
    if folded in _CHROME_HEADINGS:
        return True
    words = folded.split()
    return any(
        words[at] in sel.CHROME_HEADING_SOURCE_WORDS and " ".join(words[:at]) in _CHROME_HEADINGS
        for at in range(max(2, len(words) - 5), len(words) - 1)
    )


def _drop_heading_anchors(root: LexborNode) -> None:
    """Drop the permalink a theme puts in each heading (``<a href="#id">#</a>``, a pilcrow,
    "#id"): a link to the heading itself, whose text is a symbol or its own fragment."""
    for link in root.css(sel.HEADING_ANCHORS):
        text = clean(link.text(deep=True))
        fragment = (link.attributes.get("href") or "")[1:]
        if _WORD.search(text) and text.lstrip("#") != fragment:
            continue
        heading = link.parent
        while heading is not None and heading.tag not in _HEADING_TAGS:
            heading = heading.parent
        if heading is not None and clean(heading.text(deep=True)) != text:
            link.decompose()


def remove_chrome(tree: LexborHTMLParser) -> None:
    """Drop site chrome in place: known chrome containers, then widget blocks by title."""
    if tree.head is not None:  # metadata is read by now; what is left here only costs parsing
        for node in tree.head.css(_HEAD_CHROME):
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return
    for node in root.css(_CHROME_NODES):
        if node.tag not in ("body", "html"):  # a class on <body> names a layout, not a block
            node.decompose()
    for node in root.css(_CHROME_UNLESS_PROSE):
        if not _holds_prose(node):
            node.decompose()
    for node in root.css("p, h2, h3, h4, h5, h6, li"):
        text = clean(node.text(deep=True))
        pointer = len(text) <= sel.SEE_ALSO_MAX_CHARS and sel.SEE_ALSO_PREFIX.match(text)
        if pointer or sel.PAGE_COUNT.match(text):
            node.decompose()
    _drop_heading_anchors(root)
    for heading in root.css(_HEADING_NODES):
        if not _is_chrome_heading(heading_text := heading.text(deep=True)):
            continue
        container = heading
        heading_len = len(clean(heading_text))
        for _ in range(3):
            parent = container.parent
            if parent is None or parent.tag in ("body", "html", "article", "main"):
                break
            container = parent
            if len(clean(container.text(deep=True))) > heading_len * 3:
                break
        if container is not heading and _link_density(container) > 0.4:
            container.decompose()
        else:
            heading.decompose()


def _text(element: etree._Element) -> str:
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag in ("item", "row"):
                parts.append("\n")
                walk(child)
            elif child.tag == "cell":
                parts.append(" ")
                walk(child)
            elif child.tag in _BLOCK_TAGS:  # a paragraph or heading nested in a kept block
                parts.append("\n")
                walk(child)
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    lines = [clean(line) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def extract_body(tree: LexborHTMLParser, url: str | None, title: str | None) -> Body:
    """Run after :func:`remove_chrome`: the cleaned tree's main text and headings."""
    lengths = _paragraph_lengths(tree)
    prose = sum(lengths)
    container = _content_container(
        tree, sum(n for n in lengths if n >= sel.MAIN_CONTENT_MIN_PARAGRAPH)
    )
    # Only the part trafilatura will read is serialised: the container, else the body.
    part = container if container is not None else tree.body
    html = f"<html><body>{part.html}</body></html>" if part is not None else tree.html or ""
    document = _read_main_text(html, url, prose)
    if part is not None and (retry := _read_unnamed(part, url, prose, _text_length(document))):
        document = retry
    body = Body()
    element = getattr(document, "body", None)
    if element is None:
        return _fallback(tree)
    folded_title = fold(title)
    title_room = len(title or "") + 20  # a block much longer than the title is not the title
    blocks: list[str] = []
    for child in element:
        text = _text(child)
        if not text or _is_chrome_heading(text):
            continue
        is_title = len(text) <= title_room and fold(text) == folded_title
        if is_title and (not blocks or child.tag == "head"):
            continue
        if child.tag == "head":
            body.headings.append(text)
        blocks.append(text)
    if part is not None:
        _recover_gaps(part, blocks)
    inner = _inner_headings(element)
    _recover_headings(tree, blocks, body.headings, folded_title, inner, url)
    if container is not None and _text_length(document) < sel.CONTAINER_FALLBACK_SHARE * prose:
        blocks = _container_blocks(container, blocks, folded_title)
    _recover_lead(tree, blocks)
    _drop_repeats(blocks)
    if dropped := _drop_notices(blocks) + _trim_promo_tail(blocks):
        body.headings[:] = [h for h in body.headings if h not in dropped]
    body.text = "\n\n".join(blocks)
    return body


def _names(node: LexborNode) -> str:
    """The node's class and id, as one string to search for a name."""
    return f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"


def _text_size(node: LexborNode) -> int:
    return len(clean(node.text(deep=True)))


def _unname_article_wrappers(
    part: LexborNode, total: int, size: Callable[[LexborNode], int]
) -> bool:
    """Drop the class and id of wrappers that hold most of the article (MISNAMED_WRAPPER_SHARE
    of ``total`` by ``size``) but are named like chrome ("page-footer", "layout-sidebar-left",
    "w-embed", "meta_field"): trafilatura discards the article with them. True when one was
    found."""
    changed = False
    for node in part.css("div, section, article, main, span, ul, ol"):
        if not sel.MISNAMED_WRAPPER.search(_names(node)):
            continue
        if size(node) >= sel.MISNAMED_WRAPPER_SHARE * total:
            changed = True
            for attribute in ("class", "id", "style"):
                if attribute in node.attributes:
                    del node.attrs[attribute]
    return changed


def _read_unnamed(part: LexborNode, url: str | None, prose: int, kept: int) -> object | None:
    """trafilatura's reading of ``part`` with its misnamed wrappers unnamed, when the first
    reading kept under CONTAINER_FALLBACK_SHARE of the article (its paragraph text, or all
    its text for an article not set in paragraphs) and the new one keeps much more."""
    limit = sel.CONTAINER_FALLBACK_SHARE
    if not (kept < limit * prose and _unname_article_wrappers(part, prose, _node_prose)):
        text = _text_size(part)
        if not (kept < limit * text and _unname_article_wrappers(part, text, _text_size)):
            return None
    retry = _read_main_text(f"<html><body>{part.html}</body></html>", url, prose)
    return retry if _text_length(retry) > sel.MISNAMED_RETRY_GAIN * kept else None


def _read_main_text(html: str, url: str | None, prose: int) -> object:
    """trafilatura's precision mode, its normal mode when that keeps under half the prose."""
    document = _run_trafilatura(html, url, precision=sel.PRECISION_FIRST)
    if _text_length(document) < sel.PRECISION_KEEP_SHARE * prose:
        balanced = _run_trafilatura(html, url, precision=False)
        if _text_length(balanced) > _text_length(document):
            document = balanced
    return document


def _run_trafilatura(html: str, url: str | None, *, precision: bool) -> object:
    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        fast=False,
        favor_precision=precision,
        output_format="python",
    )


def _text_length(document: object) -> int:
    return len(getattr(document, "text", None) or "")


def _paragraph_lengths(tree: LexborHTMLParser) -> list[int]:
    """Characters of each paragraph of the cleaned page. All of them are what the
    precision-mode result is checked against (counting only long ones measured wcxb-dev word
    F1 0.9422 vs 0.9432); the long ones are what the content container must hold."""
    root = tree.body or tree.root
    return [len(clean(p.text(deep=True))) for p in root.css("p")] if root is not None else []


def _node_prose(
    node: LexborNode, min_paragraph: int = 0, known: dict[int, int] | None = None
) -> int:
    """Characters in ``node``'s paragraphs of ``min_paragraph`` or more; ``known`` keeps each
    paragraph's length by ``mem_id`` across calls (nested containers share paragraphs)."""
    total = 0
    for p in node.css("p"):
        if known is None:
            n = len(clean(p.text(deep=True)))
        elif (n := known.get(p.mem_id, -1)) < 0:
            n = known[p.mem_id] = len(clean(p.text(deep=True)))
        if n >= min_paragraph:
            total += n
    return total


def _content_container(tree: LexborHTMLParser, prose: int) -> LexborNode | None:
    """The tightest article-ish container holding nearly all the page's paragraph text
    (``prose``: the page's characters in paragraphs of MAIN_CONTENT_MIN_PARAGRAPH or more).

    Handing trafilatura only this subtree costs less and drops the chrome around it. A named
    container (MAIN_CONTENT_SELECTORS) comes first, then an unnamed block widened to the
    story around it (:func:`_widen`); when neither holds MAIN_CONTENT_SHARE of
    the prose, the whole page is used.
    """
    root = tree.body
    if root is None or prose < sel.MAIN_CONTENT_MIN_PROSE:
        return None
    known: dict[int, int] = {}
    best = _tightest(root.css(_MAIN_CONTENT_NODES), prose, known)
    if best is not None or prose < sel.UNNAMED_CONTAINER_MIN_PROSE:
        return best
    block = _tightest(root.css(sel.UNNAMED_CONTAINER_NODES), prose, known)
    return _widen(block) if block is not None else None


def _tightest(
    nodes: Iterable[LexborNode], prose: int, known: dict[int, int]
) -> LexborNode | None:
    """The node with the least text among ``nodes`` holding MAIN_CONTENT_SHARE of ``prose``."""
    best: LexborNode | None = None
    best_size = 0
    least = sel.MAIN_CONTENT_SHARE * prose
    for node in nodes:
        if _node_prose(node, sel.MAIN_CONTENT_MIN_PARAGRAPH, known) < least:
            continue
        size = len(node.text(deep=True))
        if best is None or size < best_size:
            best, best_size = node, size
    return best


def _widen(node: LexborNode) -> LexborNode:
    """``node``'s widest ancestor (below <body>) reached by steps that each add mostly text
    that is not link text: the story's other blocks (lists, tables, headings, lead) join it,
    the menus and link lists around it do not."""
    text, links = _text_size(node), _link_chars(node)
    while (parent := node.parent) is not None and parent.tag not in ("body", "html"):
        parent_text, parent_links = _text_size(parent), _link_chars(parent)
        added = parent_text - text
        if added > 0 and parent_links - links >= sel.UNNAMED_CONTAINER_LINK_SHARE * added:
            break
        node, text, links = parent, parent_text, parent_links
    return node


_SKIPPABLE_RUN = 60
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "-comment", "_comment"}


def _fold_start(text: str, chars: int) -> tuple[str, bool]:
    """The fold of ``text`` up to the first ASCII space at or after ``chars`` (and whether
    that is all of it): a prefix of ``fold(text)``, as NFKC never joins characters across an
    ASCII space and the rest of folding works per character or per run of punctuation."""
    cut = text.find(" ", chars) if len(text) > 2 * chars else -1
    return (fold(text), True) if cut < 0 else (fold(text[:cut]), False)


def _spaceless_start(text: str, chars: int) -> str:
    """``fold(text)`` without spaces, or a prefix of it that holds at least ``chars``
    characters (all a caller that reads only its first ``chars`` needs)."""
    start, complete = _fold_start(text, 4 * chars)
    spaceless = start.replace(" ", "")
    if complete or len(spaceless) >= chars:
        return spaceless
    return fold(text).replace(" ", "")


def _fold_run(text: str, want: int) -> str:
    """``fold(text)`` as :func:`_following_texts` needs it: a long run only ends the walk and
    gives :func:`_block_at` its first characters, so the fold of its start is enough once
    it holds ``want`` characters and 64 that are not spaces (the match key is 50 of them)."""
    start, complete = _fold_start(text, 4 * max(want, 64))
    if complete or (len(start) >= want and len(start.replace(" ", "")) >= 64):
        return start
    return fold(text)


def _following_texts(node: LexborNode, want: int = 60) -> tuple[list[str], int]:
    """Folded text runs after ``node`` among its next siblings, about ``want`` characters,
    and how many of the first ones are headings (a sub-heading right after this one).

    A heading wrapped alone in a <div> (the wrapper holds no other text) is looked past to
    the wrapper's siblings; short runs ("Pros:", a rating) are joined with what follows.
    """
    own = fold(node.text(deep=True))
    wrapper = node
    for _ in range(6):
        parent = wrapper.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        whole = parent.text(deep=True)
        start, complete = _fold_start(whole, len(own) + 64)
        # the start of the parent's fold already differs (most parents hold far more text)
        if not own.startswith(start) or (start if complete else fold(whole)) != own:
            break
        wrapper = parent
    parts: list[str] = []
    headed = 0
    size = 0
    sibling = wrapper.next
    while sibling is not None and size < want:
        if sibling.tag not in _SKIPPED_TAGS and (text := _fold_run(sibling.text(deep=True), want)):
            if sibling.tag in _HEADING_TAGS and headed == len(parts):
                headed += 1
            parts.append(text)
            size += len(text) + 1
        sibling = sibling.next
    return parts, headed


def _inner_headings(element: etree._Element) -> set[str]:
    """Folded text of the headings trafilatura kept inside another block (a ``head`` in a
    list item, a table cell or a div it passed through whole): a line of that block."""
    inner: set[str] = set()
    for child in element:
        if child.tag == "head":
            continue
        for head in child.iter("head"):
            text = _text(head)
            if text and len(text) <= 200 and not _is_chrome_heading(text):
                inner.add(fold(text))
    return inner


@lru_cache(maxsize=4096)
def _spaceless_fold(block: str) -> str:
    # cached: the stream is rebuilt from the same blocks after each heading put back
    return fold(block).replace(" ", "")


def _block_stream(blocks: list[str]) -> tuple[str, dict[int, int]]:
    """The folded blocks run together without spaces (the page's markup and the extractor
    disagree on spaces around line breaks and inline tags), and the block at each offset."""
    offsets: dict[int, int] = {}
    parts: list[str] = []
    at = 0
    for index, block in enumerate(blocks):
        folded = _spaceless_fold(block)
        offsets.setdefault(at, index)
        parts.append(folded)
        at += len(folded)
    return "".join(parts), offsets


def _block_at(
    stream: str, offsets: dict[int, int], blocks: list[str], runs: list[str], headed: int = 0
) -> tuple[int, int] | None:
    """Where the text ``runs`` starts in the body: (block index, line index in that block).

    The runs are joined (they may run on into the following blocks), fewer are tried when
    the later ones were dropped, and up to two leading sub-headings (``headed``: the
    extractor dropped them too) may be skipped. A match must start a block or a line of one.
    """
    for skip in range(min(headed, 2, len(runs) - 1) + 1):
        if skip and len(runs[skip - 1]) > _SKIPPABLE_RUN:
            break
        for count in range(len(runs), skip, -1):
            following = "".join(runs[skip:count]).replace(" ", "")[:50]
            if len(following) < 16:
                break
            at = stream.find(following)
            while at >= 0:
                if at in offsets:
                    return offsets[at], 0
                start = max(o for o in offsets if o <= at)
                line = _line_at(blocks[offsets[start]], at - start)
                if line is not None:
                    return offsets[start], line
                at = stream.find(following, at + 1)
    return None


def _line_at(block: str, offset: int) -> int | None:
    """Index of the line of ``block`` that starts at ``offset`` of its spaceless fold."""
    at = 0
    for index, line in enumerate(block.split("\n")):
        if at == offset:
            return index
        at += len(fold(line).replace(" ", ""))
        if at > offset:
            return None
    return None


def _later_kept(
    node: LexborNode, stream: str, offsets: dict[int, int], blocks: list[str]
) -> tuple[int, int] | None:
    """Where the first later sibling of ``node`` that the body kept starts, before the next
    heading: the heading's section opened with something the extractor dropped (a list, a
    row of cards) and went on with text it kept."""
    sibling = node.next
    for _ in range(40):
        if sibling is None:
            return None
        if sibling.tag in _HEADING_TAGS:
            return None
        if sibling.is_element_node and sibling.tag not in _SKIPPED_TAGS:
            key = fold(sibling.text(deep=True)).replace(" ", "")[:50]
            if len(key) >= 40 and (found := _block_at(stream, offsets, blocks, [key])):
                return found
        sibling = sibling.next
    return None


_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
# A lead byte of UTF-8 read as Latin-1/Windows-1252, then a continuation byte read so too
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def _unmojibake(text: str) -> str:
    """``text`` repaired when it is UTF-8 that was read as Latin-1 or Windows-1252 ("â€™",
    "Â "): re-encoded and decoded as UTF-8 when the whole string round-trips."""
    if not _MOJIBAKE.search(text) and "\u00c2 " not in text:
        return text
    # a no-break space read so is "Â" then U+00A0, which whitespace clean-up made a space
    repaired = text.replace("\u00c2 ", " ")
    for codec in ("latin-1", "cp1252"):
        try:
            return clean(repaired.encode(codec).decode("utf-8"))
        except UnicodeError:
            continue
    return text


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
        sibling.is_element_node and sibling.tag not in _SKIPPED_TAGS and clean(sibling.text())
    ):
        sibling = sibling.next
    return sibling is not None and sibling.tag == "a"


def _recover_headings(
    tree: LexborHTMLParser,
    blocks: list[str],
    headings: list[str],
    folded_title: str,
    inner: set[str],
    url: str | None = None,
) -> None:
    """Put back sub-headings the body extractor dropped, before the block that follows them;
    list in body order the block headings and the ``inner`` ones (lines of a longer block)."""
    have = {fold(h) for h in headings}
    root = tree.body or tree.root
    if root is None or not blocks:
        return
    stream, offsets = _block_stream(blocks)
    not_sections = set(sel.TOC_HEADINGS)
    not_sections |= {fold(n.text(deep=True)) for n in root.css(sel.DEK_HEADINGS)}
    # a question line is not a section heading, unless it holds one (<summary><h2>)
    not_sections |= {
        fold(n.text(deep=True))
        for n in root.css(sel.QUESTION_LINES)
        if n.css_first("h1, h2, h3, h4, h5, h6") is None
    }
    orphans: set[str] = set()
    # h1 too: pages rendered from Markdown (gists, docs) use h1 for their sections; the
    # headline (the title, or a part of it, or it plus a suffix) is not one of them
    tree_heads: set[str] = set()
    teasers: set[str] = set()
    for node in root.css("h1, h2, h3, h4, h5, h6"):
        text = clean(node.text(deep=True))
        if not text or len(text) > 200 or _is_chrome_heading(text):
            continue
        folded = fold(text)
        if _links_to_another_page(node, folded, url):
            teasers.add(folded)  # its text may still be put back; it is only not listed
        tree_heads.add(folded)
        if not folded or folded in have or folded in inner or folded == folded_title:
            continue
        if folded in not_sections or sel.CTA_HEADING.search(text):
            continue
        if node.tag == "h1" and folded_title and (folded in folded_title or folded_title in folded):
            continue
        if _caption_or_card(node, url):
            continue
        found = _block_at(stream, offsets, blocks, *_following_texts(node))
        orphan = found is None
        if orphan:
            found = _later_kept(node, stream, offsets, blocks)
        if found is None:
            continue
        index, at_line = found
        if at_line:  # the heading starts a line inside a block: split the block there
            parts = blocks[index].split("\n")
            blocks[index : index + 1] = ["\n".join(parts[:at_line]), "\n".join(parts[at_line:])]
            index += 1
        blocks.insert(index, text)
        if orphan:  # its own section is not in the body: listed, but not put into the text
            orphans.add(text)
        stream, offsets = _block_stream(blocks)
        have.add(folded)
    inner = inner - {folded_title}
    # a block the extractor kept as a paragraph that is the whole text of a page heading
    have |= (tree_heads - {folded_title}) & {fold(b) for b in blocks if len(b) <= 200}
    ordered: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        folded = fold(block)
        if len(block) <= 200 and folded in have:
            lines = [block]
        elif inner:
            lines = [line for line in block.split("\n") if fold(line) in inner]
        else:
            continue
        for line in lines:
            if line in seen or fold(line) in not_sections or sel.CTA_HEADING.search(line):
                continue
            if fold(line) in teasers:
                continue
            seen.add(line)
            if text := clean(_ZERO_WIDTH.sub("", _unmojibake(line))):
                ordered.append(text)
    headings[:] = ordered
    blocks[:] = [block for block in blocks if block not in orphans]


def _recover_lead(tree: LexborHTMLParser, blocks: list[str]) -> None:
    """Put the article's lead (standfirst) back in front of the body when it was dropped.

    A lead is a LEAD_SELECTORS node of lead size and few links that comes after the page's
    first <h1> and at most LEAD_MAX_GAP characters before the body's first block.
    """
    root = tree.body
    if root is None or not blocks:
        return
    candidates = root.css(_LEAD_NODES)
    if not candidates:
        return
    page = clean(root.text(deep=True))
    first = -1
    for block in blocks[:3]:
        head = block.split("\n", 1)[0][:50]
        if len(head) >= 20 and (first := page.find(head)) >= 0:
            break
    if first < 0:
        return
    h1 = root.css_first("h1")
    h1_text = clean(h1.text(deep=True)) if h1 is not None else ""
    floor = max(page.find(h1_text), 0) if h1_text else 0
    body_text = clean(" ".join(blocks))
    for node in candidates:
        if node.tag in _HEADING_TAGS:  # a subtitle set as a heading is the headline's deck
            continue
        text = clean(node.text(deep=True))
        if not sel.LEAD_MIN_CHARS <= len(text) <= sel.LEAD_MAX_CHARS or text[:60] in body_text:
            continue
        at = page.find(text)
        end = at + len(text)
        if at < floor or end > first or first - end > sel.LEAD_MAX_GAP:
            continue
        if _link_density(node) > sel.LEAD_MAX_LINK_SHARE:
            continue
        blocks.insert(0, text)
        return


_GAP_CONTEXT = 40
_GAP_NODES = ", ".join(sel.GAP_BLOCKS)
_LINE_BREAKING = frozenset(
    {"p", "div", "li", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
     "pre", "section", "article", "ul", "ol", "dl", "table", "figure", "address", "br"}
)
_CELLS = frozenset({"td", "th"})


def _lines(node: LexborNode) -> list[str]:
    """The text of ``node`` a line per block inside it (item, row, paragraph, <br>); a
    row's cells on one line."""
    lines: list[str] = []
    current: list[str] = []

    def walk(parent: LexborNode) -> None:
        for child in parent.iter(include_text=True):
            if child.tag == "-text":
                current.append(child.text_content or "")
            elif child.tag in _SKIPPED_TAGS:
                continue
            elif child.tag in _LINE_BREAKING:
                flush()
                walk(child)
                flush()
            else:
                if child.tag in _CELLS:
                    current.append(" ")
                walk(child)

    def flush() -> None:
        if text := clean("".join(current)):
            lines.append(text)
        current.clear()

    walk(node)
    flush()
    return lines


def _names_chrome(node: LexborNode) -> bool:
    """Whether the block or one of its items is named as page furniture (share, date, tags)."""
    for item in (node, *node.css("li, tr, dt, dd")):
        if sel.GAP_CHROME_NAMES.search(_names(item)):
            return True
    return False


def _is_gap_block(node: LexborNode) -> bool:
    return node.tag in sel.GAP_BLOCKS


def _element_sibling(node: LexborNode, forward: bool) -> LexborNode | None:
    """The next (or previous) element with text beside ``node``, past blank text, comments
    and textless elements (a picture); None at the end or at a text run."""
    sibling = node.next if forward else node.prev
    while sibling is not None:
        if (
            sibling.is_element_node
            and sibling.tag not in _SKIPPED_TAGS
            and sibling.text(deep=True).strip()
        ):
            return sibling
        if sibling.tag == "-text" and (sibling.text_content or "").strip():
            return None
        sibling = sibling.next if forward else sibling.prev
    return None


def _gaps(node: LexborNode) -> list[list[LexborNode]]:
    """Runs of siblings around the block ``node`` that may make up a gap in the body: the
    block, with up to two headings before it, with the blocks and headings that follow it
    (trafilatura drops a heading with the list under it, and often every heading)."""
    heads = [node]
    for _ in range(2):
        previous = _element_sibling(heads[0], forward=False)
        if previous is None or previous.tag not in _HEADING_TAGS:
            break
        heads.insert(0, previous)
    tails: list[LexborNode] = []
    follower = _element_sibling(node, forward=True)
    while follower is not None and len(tails) < 6 and (
        _is_gap_block(follower) or follower.tag in _HEADING_TAGS
    ):
        tails.append(follower)
        follower = _element_sibling(follower, forward=True)
    return [
        heads[start:] + tails[:end]
        for start in range(len(heads) - 1, -1, -1)
        for end in range(len(tails) + 1)
    ]


def _recoverable(node: LexborNode) -> bool:
    return not (
        _link_density(node) > sel.CONTAINER_FALLBACK_LINK_SHARE
        or node.css_first(sel.NOT_TEXT_GAP_PARTS) is not None
        or _names_chrome(node)
    )


def _recover_gaps(part: LexborNode, blocks: list[str]) -> None:
    """Put back lists and tables trafilatura dropped from between two blocks it kept one
    after the other (with the headings over them, which the heading pass then puts back)."""
    if not blocks:
        return
    page = ""  # the container's text folded without spaces, once a block is found missing
    stream, offsets = _block_stream(blocks)
    cursor = 0
    done: set[int] = set()
    for node in part.css(_GAP_NODES):
        if node.mem_id in done:
            continue
        parent = node.parent
        while parent is not None and parent is not part and not _is_gap_block(parent):
            parent = parent.parent
        if parent is not None and parent is not part:
            continue  # inside another list or table: part of that one
        own = _spaceless_start(node.text(deep=True), _GAP_CONTEXT)
        if len(own) < 20 or own[:_GAP_CONTEXT] in stream:
            continue  # too small to place, or kept
        page = page or fold(part.text(deep=True)).replace(" ", "")
        for gap in _gaps(node):
            key = "".join(_spaceless_fold(n.text(deep=True)) for n in gap)
            at = page.find(key, cursor)
            if at < 0:
                continue
            end = at + len(key)
            before = page[max(0, at - _GAP_CONTEXT) : at]
            after = page[end : end + _GAP_CONTEXT]
            if len(before) < 20 or len(after) < 20:
                continue
            junction = stream.find(before + after)
            if junction < 0 or junction + len(before) not in offsets:
                continue
            found = [n for n in gap if _is_gap_block(n)]
            if not all(map(_recoverable, found)):
                break
            index = offsets[junction + len(before)]
            for block in found:
                done.add(block.mem_id)
                if lines := _lines(block):
                    blocks.insert(index, "\n".join(lines))
                    index += 1
            stream, offsets = _block_stream(blocks)
            cursor = end
            break


_SIMPLE_BLOCKS = "p, h2, h3, h4, h5, h6, li, blockquote, pre, tr, dt, dd"
_WRAPPER_BLOCKS = frozenset({"li", "blockquote", "tr", "dd"})


def _container_blocks(container: LexborNode, kept: list[str], folded_title: str) -> list[str]:
    """The container's own blocks, when trafilatura kept only a sliver of its prose.

    trafilatura's sliver still marks where the article is: the container blocks from the
    first to the last block it kept are taken (it dropped the ones in between), not what
    comes before or after (comments, other stories). Blocks mostly made of links are
    skipped.
    """
    page = clean(container.text(deep=True))
    spots = [
        at
        for block in kept
        for line in block.split("\n")
        if len(head := line[:50]) >= 20 and (at := page.find(head)) >= 0
    ]
    if not spots:
        return kept
    low, high = min(spots), max(spots)
    blocks: list[str] = []
    cursor = 0
    for node in container.css(_SIMPLE_BLOCKS):
        if node.tag in _WRAPPER_BLOCKS and len(node.css(_SIMPLE_BLOCKS)) > 1:
            continue  # its inner blocks come next (lexbor's css() matches the node itself)
        text = clean(node.text(deep=True))
        if not text:
            continue
        at = page.find(text[:50], cursor)
        if at < 0:
            continue
        cursor = at + 1
        if at < low or at > high:
            continue
        if _is_chrome_heading(text) or fold(text) == folded_title:
            continue
        if _link_density(node) > sel.CONTAINER_FALLBACK_LINK_SHARE:
            continue
        if node.tag == "tr":
            text = clean(node.text(deep=True, separator=" "))
        blocks.append(text)
    # only ever adds to what trafilatura kept (a block text the walk could not place loses)
    return blocks if sum(map(len, blocks)) > sum(map(len, kept)) else kept


def _is_notice(block: str) -> bool:
    """An image credit or copyright line ("Photo: ...", "© 2024 ..."), an ad label or an
    affiliate disclosure: a short block that is about the page, not the story."""
    if len(block) > sel.NOTICE_MAX_CHARS:
        return False
    if len(block) <= sel.CREDIT_LINE_MAX_CHARS and sel.CREDIT_LINE.match(block):
        return True
    if len(block) <= sel.FURNITURE_MAX_CHARS and sel.PAGE_FURNITURE.match(block):
        return True
    # the searching patterns only where one of their words is (a plain test is far cheaper)
    lowered = block.lower()
    if (
        len(block) <= sel.CALL_TO_ACTION_MAX_CHARS
        and any(word in lowered for word in sel.CALL_TO_ACTION_WORDS)
        and sel.CALL_TO_ACTION.search(block)
    ):
        return True
    return len(block) <= sel.DISCLOSURE_MAX_CHARS and bool(
        sel.DISCLOSURE_START.match(block)
        or (any(word in lowered for word in sel.DISCLOSURE_WORDS) and sel.DISCLOSURE.search(block))
    )


def _drop_notices(blocks: list[str]) -> list[str]:
    """Drop credit lines and disclosures wherever they are (never the body's only block)."""
    dropped = [block for block in blocks if _is_notice(block)]
    if dropped and len(dropped) < len(blocks):
        blocks[:] = [block for block in blocks if block not in dropped]
        return dropped
    return []


def _drop_repeats(blocks: list[str]) -> None:
    """Drop a second copy of a stretch of the article: a page that ships its article once per
    screen size (a responsive variant each, all but one hidden by CSS) yields it several times.

    A stretch is a run of lines each seen before, with at least REPEAT_MIN_LINES lines of
    REPEAT_MIN_CHARS or more; single repeated lines (a pull quote, a credit under each
    photo) stay.
    """
    lines = [(index, line) for index, block in enumerate(blocks) for line in block.split("\n")]
    seen: set[str] = set()
    repeat: list[bool] = []
    for _, line in lines:
        repeat.append(line in seen)
        seen.add(line)
    drop = [False] * len(lines)
    start = 0
    while start < len(lines):
        if not repeat[start]:
            start += 1
            continue
        end = start
        while end < len(lines) and repeat[end]:
            end += 1
        long_lines = sum(len(line) >= sel.REPEAT_MIN_CHARS for _, line in lines[start:end])
        if long_lines >= sel.REPEAT_MIN_LINES:
            drop[start:end] = [True] * (end - start)
        start = end
    if not any(drop):
        return
    kept: list[list[str]] = [[] for _ in blocks]
    for (index, line), dropped in zip(lines, drop, strict=True):
        if not dropped:
            kept[index].append(line)
    blocks[:] = ["\n".join(block) for block in kept if block]


def _trim_promo_tail(blocks: list[str]) -> list[str]:
    """Drop short calls to action (subscribe, follow us, support us) among the last blocks."""
    dropped: list[str] = []
    for index in range(len(blocks) - 1, max(len(blocks) - sel.PROMO_TAIL_BLOCKS, 1) - 1, -1):
        block = blocks[index]
        if block[:1] in _QUOTES:  # someone quoted about subscriptions: article text
            continue
        if len(block) <= sel.PROMO_TAIL_MAX_CHARS and sel.PROMO_TAIL.search(block):
            dropped.append(blocks.pop(index))
    return dropped


def _fallback(tree: LexborHTMLParser) -> Body:
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        return Body()
    blocks = [t for p in root.css("p") if (t := clean(p.text(deep=True)))]
    return Body(text="\n\n".join(blocks))


def content_words(text: str) -> int:
    return len(re.findall(r"\w+", text))
