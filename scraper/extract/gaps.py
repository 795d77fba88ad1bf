"""Gap recovery: lists and tables trafilatura dropped from between two blocks it kept one
after the other, put back where they stood (with the headings over them, which the heading
stage then puts back)."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.nodes import HEADING_TAGS, SKIPPED_TAGS, link_density, names
from scraper.extract.placement import block_stream, spaceless_fold, spaceless_start
from scraper.extract.text import clean, fold

_GAP_NODES = ", ".join(sel.GAP_BLOCKS)
_LINE_BREAKING = frozenset(
    {"p", "div", "li", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
     "pre", "section", "article", "ul", "ol", "dl", "table", "figure", "address", "br"}
)
_CELLS = frozenset({"td", "th"})


def recover_gaps(part: LexborNode, blocks: list[str]) -> list[str]:
    """``blocks`` with the lists and tables of ``part`` (the part trafilatura read) that it
    dropped from between two blocks it kept put back between them."""
    if not blocks:
        return blocks
    context = tuning.GAP_CONTEXT_CHARS
    blocks = list(blocks)
    page = ""  # the container's text folded without spaces, once a block is found missing
    stream, offsets = block_stream(blocks)
    cursor = 0
    done: set[int] = set()
    for node in part.css(_GAP_NODES):
        if node.mem_id in done or not _outermost(node, part):
            continue
        own = spaceless_start(node.text(deep=True), context)
        if len(own) < tuning.GAP_MIN_CHARS or own[:context] in stream:
            continue  # too small to place, or kept
        page = page or fold(part.text(deep=True)).replace(" ", "")
        for gap in _gaps(node):
            key = "".join(spaceless_fold(n.text(deep=True)) for n in gap)
            at = page.find(key, cursor)
            if at < 0:
                continue
            end = at + len(key)
            before = page[max(0, at - context) : at]
            after = page[end : end + context]
            if len(before) < tuning.GAP_CONTEXT_MIN_CHARS or (
                len(after) < tuning.GAP_CONTEXT_MIN_CHARS
            ):
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
            stream, offsets = block_stream(blocks)
            cursor = end
            break
    return blocks


def _outermost(node: LexborNode, part: LexborNode) -> bool:
    """Whether ``node`` is not inside another list or table of ``part`` (then it is part of
    that one)."""
    parent = node.parent
    while parent is not None and parent is not part and not _is_gap_block(parent):
        parent = parent.parent
    return parent is None or parent is part


def _is_gap_block(node: LexborNode) -> bool:
    return node.tag in sel.GAP_BLOCKS


def _gaps(node: LexborNode) -> list[list[LexborNode]]:
    """Runs of siblings around the block ``node`` that may make up a gap in the body: the
    block, with up to GAP_HEADINGS_BEFORE headings before it, with the blocks and headings
    that follow it (trafilatura drops a heading with the list under it, and often every
    heading)."""
    heads = [node]
    for _ in range(tuning.GAP_HEADINGS_BEFORE):
        previous = _element_sibling(heads[0], forward=False)
        if previous is None or previous.tag not in HEADING_TAGS:
            break
        heads.insert(0, previous)
    tails: list[LexborNode] = []
    follower = _element_sibling(node, forward=True)
    while follower is not None and len(tails) < tuning.GAP_MAX_FOLLOWERS and (
        _is_gap_block(follower) or follower.tag in HEADING_TAGS
    ):
        tails.append(follower)
        follower = _element_sibling(follower, forward=True)
    return [
        heads[start:] + tails[:end]
        for start in range(len(heads) - 1, -1, -1)
        for end in range(len(tails) + 1)
    ]


def _element_sibling(node: LexborNode, forward: bool) -> LexborNode | None:
    """The next (or previous) element with text beside ``node``, past blank text, comments
    and textless elements (a picture); None at the end or at a text run."""
    sibling = node.next if forward else node.prev
    while sibling is not None:
        if (
            sibling.is_element_node
            and sibling.tag not in SKIPPED_TAGS
            and sibling.text(deep=True).strip()
        ):
            return sibling
        if sibling.tag == "-text" and (sibling.text_content or "").strip():
            return None
        sibling = sibling.next if forward else sibling.prev
    return None


def _recoverable(node: LexborNode) -> bool:
    """Not a link list, a row of cards or a gallery, nor named as page furniture."""
    return not (
        link_density(node) > tuning.CONTAINER_FALLBACK_LINK_SHARE
        or node.css_first(sel.NOT_TEXT_GAP_PARTS) is not None
        or _names_chrome(node)
    )


def _names_chrome(node: LexborNode) -> bool:
    """Whether the block or one of its items is named as page furniture (share, date, tags)."""
    for item in (node, *node.css("li, tr, dt, dd")):
        if sel.GAP_CHROME_NAMES.search(names(item)):
            return True
    return False


def _lines(node: LexborNode) -> list[str]:
    """The text of ``node`` a line per block inside it (item, row, paragraph, <br>); a
    row's cells on one line."""
    lines: list[str] = []
    current: list[str] = []

    def walk(parent: LexborNode) -> None:
        for child in parent.iter(include_text=True):
            if child.tag == "-text":
                current.append(child.text_content or "")
            elif child.tag in SKIPPED_TAGS:
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
