"""The fast path: when the content container is clear, the lexbor reader's reading is the
body's reading and trafilatura is not run.

Clear means: the content container (named, ``<article>``, ``<main>``, ``.entry-content``...,
or the unnamed block ``container.py`` widened to the story) is not a listing (several
entries with prose of their own); the reading, after its precision rules, keeps at least
FAST_MIN_CHARS characters and FAST_KEEP_SHARE of the container's paragraph text (the boxes
it skipped were not the article), and under FAST_MAX_LINK_SHARE of it is link text.
Otherwise the caller reads the container with trafilatura as before.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract import reading_rules as rules
from scraper.extract import tuning
from scraper.extract.blocks import Block, Heading, block_text
from scraper.extract.chrome import is_chrome_heading
from scraper.extract.container import node_prose
from scraper.extract.lexbor_reader import ReadBlock, read_container
from scraper.extract.text import fold


def read_fast(container: LexborNode) -> list[Block] | None:
    """The container's blocks as the lexbor reader reads them, when the container is clear;
    None when trafilatura should read it."""
    prose = node_prose(container)
    if _listing(container, prose):
        return None
    read = _precise(read_container(container, prose))
    chars = sum(len(b.text) for b in read)
    if chars < tuning.FAST_MIN_CHARS:
        return None
    if sum(b.prose for b in read) < tuning.FAST_KEEP_SHARE * prose:
        return None
    if sum(b.links for b in read) >= tuning.FAST_MAX_LINK_SHARE * chars:
        return None
    return [b.block for b in read]


def _listing(container: LexborNode, prose: int) -> bool:
    """Whether the container holds several entries with prose of their own (a blog page, a
    stream of stories; not a row of teaser cards)."""
    least = min(tuning.ENTRY_PROSE_SHARE * prose, tuning.ENTRY_MIN_PROSE)
    seen: set[int] = {container.mem_id}
    entries = 0
    for node in container.css(rules.ENTRIES):  # lexbor's css() matches the container too
        if node.mem_id in seen or _inside(node, seen, container.mem_id):
            continue  # the container, or an inner wrapper of an entry counted
        seen.add(node.mem_id)
        entries += node_prose(node) >= least
    return entries >= tuning.ENTRY_LIMIT


def _inside(node: LexborNode, entries: set[int], container: int) -> bool:
    """Whether ``node`` is inside one of ``entries`` (below the container)."""
    parent = node.parent
    while parent is not None and parent.mem_id != container:
        if parent.mem_id in entries:
            return True
        parent = parent.parent
    return False


def _precise(read: list[ReadBlock]) -> list[ReadBlock]:
    """The reading without share-button lines and machine text (a timestamp, a URL, a list of
    class-like tokens), and without headings left at the end with nothing under them."""
    kept = [b for b in read if not (rules.SHARE_LINE.match(b.text) or _machine_text(b.text))]
    while kept and isinstance(kept[-1].block, Heading):
        kept.pop()
    return kept


def _machine_text(text: str) -> bool:
    """Whether every line of a block is a token no reader is shown: an ISO timestamp, a URL,
    a hyphenated identifier (structured data or layout markers left in the container)."""
    return all(rules.MACHINE_LINE.fullmatch(line) for line in text.split("\n"))


def kept_read_blocks(blocks: list[Block], title: str | None) -> tuple[list[Block], list[str]]:
    """The blocks the body keeps, and the headings among them: without widget titles, and
    without the headline repeated at the top or as a heading (as ``reader.kept_blocks`` does
    for trafilatura's reading)."""
    folded_title = fold(title)
    title_room = len(title or "") + tuning.TITLE_ROOM_CHARS
    kept: list[Block] = []
    headings: list[str] = []
    for block in blocks:
        text = block_text(block)
        if not text or is_chrome_heading(text):
            continue
        is_title = len(text) <= title_room and fold(text) == folded_title
        if is_title and (not kept or isinstance(block, Heading)):
            continue
        if isinstance(block, Heading):
            headings.append(text)
        kept.append(block)
    return kept, headings
