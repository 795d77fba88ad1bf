"""The article body and its sub-headings: chrome removed with selectolax, the main text
found by trafilatura, headings taken from the same content node, in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract.text import clean, fold

_HEADING_NODES = "h2, h3, h4, h5, h6, .widget-title, .block-title, .widgettitle, .section-title"
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_QUOTES = frozenset("\"'“”„«»‘’‚")
_LEAD_NODES = ", ".join(sel.LEAD_SELECTORS)
_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "div", "item"}


@dataclass(slots=True)
class Body:
    text: str = ""
    headings: list[str] = field(default_factory=list)


def _link_density(node: LexborNode) -> float:
    text = len(clean(node.text(deep=True)))
    if not text:
        return 1.0
    links = sum(len(clean(a.text(deep=True))) for a in node.css("a"))
    return links / text


def _holds_prose(node: LexborNode) -> bool:
    """Whether ``node`` holds paragraphs: at least PROSE_CHARS of <p> text outside links."""
    total = 0
    for paragraph in node.css("p"):
        total += len(clean(paragraph.text(deep=True)))
        total -= sum(len(clean(a.text(deep=True))) for a in paragraph.css("a"))
        if total >= sel.PROSE_CHARS:
            return True
    return False


_CHROME_HEADING_MAX = max(len(h) for h in sel.CHROME_HEADINGS) + 10


def _is_chrome_heading(text: str) -> bool:
    if len(text) > _CHROME_HEADING_MAX:
        return False
    return fold(text).strip(" :") in sel.CHROME_HEADINGS


def remove_chrome(tree: LexborHTMLParser) -> None:
    """Drop site chrome in place: known chrome containers, then widget blocks by title."""
    root = tree.body or tree.root
    if root is None:
        return
    for node in root.css(", ".join(sel.CHROME_SELECTORS)):
        if node.tag not in ("body", "html"):  # a class on <body> names a layout, not a block
            node.decompose()
    for node in root.css(", ".join(sel.CHROME_UNLESS_PROSE)):
        if not _holds_prose(node):
            node.decompose()
    for node in root.css("p, h2, h3, h4, h5, h6, li"):
        text = clean(node.text(deep=True))
        if len(text) <= sel.SEE_ALSO_MAX_CHARS and sel.SEE_ALSO_PREFIX.match(text):
            node.decompose()
    for heading in root.css(_HEADING_NODES):
        if not _is_chrome_heading(heading.text(deep=True)):
            continue
        container = heading
        heading_len = len(clean(heading.text(deep=True)))
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
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    lines = [clean(line) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def extract_body(tree: LexborHTMLParser, url: str | None, title: str | None) -> Body:
    """Run after :func:`remove_chrome`: the cleaned tree's main text and headings."""
    prose = _prose_chars(tree)
    container = _content_container(tree, prose)
    # Only the part trafilatura will read is serialised: the container, else the whole page.
    if container is not None:
        html = f"<html><body>{container.html}</body></html>"
    else:
        html = tree.html or ""
    document = _run_trafilatura(html, url, precision=sel.PRECISION_FIRST)
    if _text_length(document) < sel.PRECISION_KEEP_SHARE * prose:
        balanced = _run_trafilatura(html, url, precision=False)
        if _text_length(balanced) > _text_length(document):
            document = balanced
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
    _recover_headings(tree, blocks, body.headings, folded_title)
    if container is not None and _text_length(document) < sel.CONTAINER_FALLBACK_SHARE * prose:
        blocks = _container_blocks(container, blocks, folded_title)
    _recover_lead(tree, blocks)
    if dropped := _trim_promo_tail(blocks):
        body.headings[:] = [h for h in body.headings if h not in dropped]
    body.text = "\n\n".join(blocks)
    return body


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


def _prose_chars(tree: LexborHTMLParser) -> int:
    """Characters of paragraph text in the cleaned page."""
    root = tree.body or tree.root
    return _node_prose(root) if root is not None else 0


def _node_prose(node: LexborNode) -> int:
    return sum(len(clean(p.text(deep=True))) for p in node.css("p"))


def _content_container(tree: LexborHTMLParser, prose: int) -> LexborNode | None:
    """The tightest article-ish container holding nearly all the page's paragraph text.

    Handing trafilatura only this subtree costs less and drops the chrome around it; when no
    container holds MAIN_CONTENT_SHARE of the prose, the whole page is used.
    """
    root = tree.body
    if root is None or prose < sel.MAIN_CONTENT_MIN_PROSE:
        return None
    best: LexborNode | None = None
    best_size = 0
    for node in root.css(", ".join(sel.MAIN_CONTENT_SELECTORS)):
        if _node_prose(node) < sel.MAIN_CONTENT_SHARE * prose:
            continue
        size = len(node.text(deep=True))
        if best is None or size < best_size:
            best, best_size = node, size
    return best


def _next_text(node: LexborNode) -> str:
    sibling = node.next
    for _ in range(6):
        if sibling is None:
            return ""
        if sibling.is_element_node and (text := clean(sibling.text(deep=True))):
            return text
        sibling = sibling.next
    return ""


def _recover_headings(
    tree: LexborHTMLParser, blocks: list[str], headings: list[str], folded_title: str
) -> None:
    """Put back sub-headings the body extractor dropped, before the block that follows them."""
    have = {fold(h) for h in headings}
    starts = [fold(b[:90])[:60] for b in blocks]
    root = tree.body or tree.root
    if root is None or not blocks:
        return
    for node in root.css("h2, h3, h4, h5, h6"):
        text = clean(node.text(deep=True))
        if not text or len(text) > 200 or _is_chrome_heading(text):
            continue
        folded = fold(text)
        if not folded or folded in have or folded == folded_title:
            continue
        following = fold(_next_text(node)[:90])[:60]
        if len(following) < 20 or following not in starts:
            continue
        index = starts.index(following)
        blocks.insert(index, text)
        starts.insert(index, folded[:60])
        have.add(folded)
    headings[:] = [b for b in blocks if len(b) <= 200 and fold(b) in have]


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
