"""Inline links on the body's blocks (``blocks.Link``), read from the part of the page the
reader read (the content container, or the page's body), the same way after either reader
(the lexbor reader, trafilatura).

Each ``<a href>`` of the part is tied to the element holding it (its paragraph, list item,
table cell, heading, quote...); that element is matched with the block, list item, cell or
quote line of the same text (whitespace aside), and the link's text is found in it, in
document order. Left out: a link whose text is not there (the reader kept another text), a
link to the page's own parts (``#...``), a target other than http(s) or mailto
(``javascript:``, ``data:``...), a relative target on a page without a URL. The body's text
is not touched: ``body`` is the same with links or without.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from scraper.extract.blocks import Block, Heading, Link, ListBlock, Paragraph, Quote, Table
from scraper.extract.text import clean

__all__ = ["link_target", "with_links"]

HOLDERS = frozenset({
    "p", "li", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "figcaption", "div", "section", "article", "main", "body",
})
"""The elements a link's text is matched by: the nearest of them around the link."""

SCHEMES = frozenset({"http", "https", "mailto"})
"""The link targets kept."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")



def link_target(href: str | None, base: str | None) -> str | None:
    """``href`` made absolute against ``base``, if it is a link to keep (see the module).

    >>> link_target("../about/", "https://news.example/2024/story/")
    'https://news.example/2024/about/'
    >>> link_target("java\\tscript:alert(1)", "https://news.example/") is None
    True
    """
    if not href:
        return None
    href = href.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if not href or href.startswith("#") or _CONTROL.search(href):
        return None
    try:
        absolute = href[:8].lower().startswith(("https://", "http://"))
        target = urljoin(base, href) if base and not absolute else href
        parts = urlsplit(target)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or (scheme != "mailto" and not parts.netloc):
        return None
    if scheme == "mailto" and not parts.path:
        return None
    return target.replace(" ", "%20")


def _key(text: str) -> str:
    return "".join(text.split())


def held_links(part: LexborNode) -> dict[str, list[LexborNode]]:
    """The ``<a href>`` of ``part`` by the text (without whitespace) of the element holding
    each (the nearest of :data:`HOLDERS`), in document order."""
    held: dict[str, list[LexborNode]] = {}
    keys: dict[int, str] = {}
    for anchor in part.css("a[href]"):
        holder = anchor.parent
        while holder is not None and holder.tag not in HOLDERS:
            holder = holder.parent
        if holder is None:
            continue
        key = keys.get(holder.mem_id)
        if key is None:
            key = keys[holder.mem_id] = _key(holder.text(deep=True))
        if key:
            held.setdefault(key, []).append(anchor)
    return held


def with_links(blocks: list[Block], part: LexborNode | None, url: str | None) -> list[Block]:
    """``blocks`` with the inline links of ``part`` (the page read, at ``url``) on them."""
    if part is None or not blocks:
        return blocks
    held = held_links(part)
    if not held:
        return blocks
    linker = _Linker(held, url)
    return [linker.linked(block) for block in blocks]


class _Linker:
    """Links put on blocks; a holder's links resolved (text, absolute target) once, when a
    block holds its text."""

    def __init__(self, held: dict[str, list[LexborNode]], url: str | None) -> None:
        self.held = held
        self.url = url
        self.resolved: dict[str, list[tuple[str, str]]] = {}

    def links(self, text: str) -> list[tuple[str, str]]:
        """The (text, target) of the links held by an element of ``text``."""
        key = _key(text)
        if not key:
            return []
        found = self.resolved.get(key)
        if found is None:
            found = self.resolved[key] = [
                (link_text, target) for anchor in self.held.get(key, ())
                if (link_text := clean(anchor.text(deep=True)))
                and (target := link_target(anchor.attributes.get("href"), self.url))
            ]
        return found

    def text_links(self, text: str, *, by_line: bool) -> tuple[Link, ...]:
        """The links in ``text``: its holder's, else (``by_line``) each line's holder's."""
        if links := self.links(text):
            return tuple(_spans(text, links))
        if not by_line or "\n" not in text:
            return ()
        spans: list[Link] = []
        offset = 0
        for line in text.split("\n"):
            if links := self.links(line):
                spans += _spans(line, links, offset)
            offset += len(line) + 1
        return tuple(spans)

    def linked(self, block: Block) -> Block:
        if isinstance(block, Paragraph | Heading | Quote):
            by_line = not isinstance(block, Heading)
            links = self.text_links(block.text, by_line=by_line)
            return replace(block, links=links) if links else block
        if isinstance(block, ListBlock):
            return self.linked_list(block)
        if isinstance(block, Table):
            links = tuple(
                replace(link, row=row, col=col)
                for row, cells in enumerate(block.rows)
                for col, cell in enumerate(cells)
                for link in _spans(cell, self.links(cell))
            )
            return replace(block, links=links) if links else block
        return block

    def linked_list(self, block: ListBlock) -> ListBlock:
        """The list with its items' links on their blocks (``children``, made when it had
        none: a paragraph per item)."""
        children = block.children or tuple((Paragraph(item),) for item in block.items)
        linked: list[tuple[Block, ...]] = []
        for item, inner in zip(block.items, children, strict=False):
            whole = self.links(item)
            new: list[Block] = []
            for index, child in enumerate(inner):
                if isinstance(child, Paragraph) and index == 0 and whole:
                    spans = tuple(_spans(child.text, whole))
                    new.append(replace(child, links=spans) if spans else self.linked(child))
                else:
                    new.append(self.linked(child))
            linked.append(tuple(new))
        if linked == [tuple(inner) for inner in children]:
            return block
        return replace(block, children=tuple(linked))


def _spans(text: str, links: Sequence[tuple[str, str]], offset: int = 0) -> list[Link]:
    """Where each link's text is in ``text``, in order (one not found is left out)."""
    spans: list[Link] = []
    cursor = 0
    for link_text, target in links:
        start = text.find(link_text, cursor)
        if start < 0:
            continue
        cursor = start + len(link_text)
        spans.append(Link(offset + start, offset + cursor, target))
    return spans
