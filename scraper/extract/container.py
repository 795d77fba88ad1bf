"""The content container: the part of the cleaned page trafilatura is given to read (a named
article container, else an unnamed block widened to the story), its misnamed wrappers, and
its own blocks when trafilatura kept only a sliver of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.chrome import is_chrome_heading
from scraper.extract.nodes import link_chars, link_density, names, text_size
from scraper.extract.page_names import PageNames
from scraper.extract.text import clean, fold

_MAIN_CONTENT_NODES = ", ".join(sel.MAIN_CONTENT_SELECTORS)


def paragraph_lengths(tree: LexborHTMLParser) -> list[int]:
    """Characters of each paragraph of the cleaned page. All of them are what the
    precision-mode result is checked against (counting only long ones measured wcxb-dev word
    F1 0.9422 vs 0.9432); the long ones are what the content container must hold."""
    root = tree.body or tree.root
    return [len(clean(p.text(deep=True))) for p in root.css("p")] if root is not None else []


def node_prose(
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


def content_container(
    tree: LexborHTMLParser, prose: int, *, names: PageNames | None = None
) -> LexborNode | None:
    """The tightest article-ish container holding nearly all the page's paragraph text
    (``prose``: the page's characters in paragraphs of MAIN_CONTENT_MIN_PARAGRAPH or more).

    Handing trafilatura only this subtree costs less and drops the chrome around it. A named
    container (MAIN_CONTENT_SELECTORS) comes first, then an unnamed block widened to the
    story around it (:func:`_widen`); when neither holds MAIN_CONTENT_SHARE of
    the prose, the whole page is used. ``names``: the page's class and id names, when
    already read.
    """
    root = tree.body
    if root is None or prose < tuning.MAIN_CONTENT_MIN_PROSE:
        return None
    known: dict[int, int] = {}
    named = _MAIN_CONTENT_NODES if names is None else names.narrow(sel.MAIN_CONTENT_SELECTORS)
    best = _tightest(root.css(named) if named else [], prose, known)
    if best is not None or prose < tuning.UNNAMED_CONTAINER_MIN_PROSE:
        return best
    block = _tightest(root.css(sel.UNNAMED_CONTAINER_NODES), prose, known)
    return _widen(block) if block is not None else None


def _tightest(
    nodes: Iterable[LexborNode], prose: int, known: dict[int, int]
) -> LexborNode | None:
    """The node with the least text among ``nodes`` holding MAIN_CONTENT_SHARE of ``prose``."""
    best: LexborNode | None = None
    best_size = 0
    least = tuning.MAIN_CONTENT_SHARE * prose
    for node in nodes:
        if node_prose(node, tuning.MAIN_CONTENT_MIN_PARAGRAPH, known) < least:
            continue
        size = len(node.text(deep=True))
        if best is None or size < best_size:
            best, best_size = node, size
    return best


def _widen(node: LexborNode) -> LexborNode:
    """``node``'s widest ancestor (below <body>) reached by steps that each add mostly text
    that is not link text: the story's other blocks (lists, tables, headings, lead) join it,
    the menus and link lists around it do not."""
    text, links = text_size(node), link_chars(node)
    while (parent := node.parent) is not None and parent.tag not in ("body", "html"):
        parent_text, parent_links = text_size(parent), link_chars(parent)
        added = parent_text - text
        if added > 0 and parent_links - links >= tuning.UNNAMED_CONTAINER_LINK_SHARE * added:
            break
        node, text, links = parent, parent_text, parent_links
    return node


def unname_article_wrappers(
    part: LexborNode, total: int, size: Callable[[LexborNode], int]
) -> bool:
    """Drop the class and id of wrappers that hold most of the article (MISNAMED_WRAPPER_SHARE
    of ``total`` by ``size``) but are named like chrome ("page-footer", "layout-sidebar-left",
    "w-embed", "meta_field"): trafilatura discards the article with them. True when one was
    found. An edit of the tree: the stages after the reader, and the date cascade's reading
    of the cleaned page, see the wrappers unnamed."""
    changed = False
    for node in part.css("div, section, article, main, span, ul, ol"):
        if not sel.MISNAMED_WRAPPER.search(names(node)):
            continue
        if size(node) >= tuning.MISNAMED_WRAPPER_SHARE * total:
            changed = True
            for attribute in ("class", "id", "style"):
                if attribute in node.attributes:
                    del node.attrs[attribute]
    return changed


_SIMPLE_BLOCKS = "p, h2, h3, h4, h5, h6, li, blockquote, pre, tr, dt, dd"
_WRAPPER_BLOCKS = frozenset({"li", "blockquote", "tr", "dd"})


def container_blocks(container: LexborNode, kept: list[str], folded_title: str) -> list[str]:
    """The container's own blocks, when trafilatura kept only a sliver of its prose.

    trafilatura's sliver still marks where the article is: the container blocks from the
    first to the last block it kept are taken (it dropped the ones in between), not what
    comes before or after (comments, other stories). Blocks mostly made of links are
    skipped. Only ever adds to what trafilatura kept: ``kept`` when the walk finds less.
    """
    page = clean(container.text(deep=True))
    key, least = tuning.MATCH_KEY_CHARS, tuning.LINE_KEY_MIN_CHARS
    spots = [
        at
        for block in kept
        for line in block.split("\n")
        if len(head := line[:key]) >= least and (at := page.find(head)) >= 0
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
        at = page.find(text[:key], cursor)
        if at < 0:
            continue
        cursor = at + 1
        if at < low or at > high:
            continue
        if is_chrome_heading(text) or fold(text) == folded_title:
            continue
        if link_density(node) > tuning.CONTAINER_FALLBACK_LINK_SHARE:
            continue
        if node.tag == "tr":
            text = clean(node.text(deep=True, separator=" "))
        blocks.append(text)
    # a block text the walk could not place loses
    return blocks if sum(map(len, blocks)) > sum(map(len, kept)) else kept
