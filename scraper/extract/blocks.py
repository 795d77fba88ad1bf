"""The body as typed blocks: what a reader keeps of the article, with its structure
(paragraphs, sub-headings with their level, lists, quotes, tables, preformatted text).

The plain body text is derived from them (:func:`body_text`): each block's text, a line per
line of the block (a list item, a table row with its cells on one line, a line of a
paragraph broken by ``<br>``), blocks separated by a blank line. They are the record's
``Article.blocks``; ``scraper/body_formats.py`` renders them as Markdown and as sanitised HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from scraper.extract.text import clean
from scraper.models import BodySource

__all__ = [
    "Block", "BlockKind", "BodySource", "Heading", "Link", "ListBlock", "Paragraph",
    "Preformatted", "Quote", "Table", "block_text", "body_text", "matched_blocks",
]

BlockKind = Literal["paragraph", "heading", "list", "quote", "table", "preformatted"]


@dataclass(frozen=True, slots=True)
class Link:
    """An inline link: characters ``start`` to ``end`` of the text it is set in, and its
    target (an absolute ``http``, ``https`` or ``mailto`` URL; ``scraper/extract/links.py``).

    The text is the block's ``text`` (a paragraph's, a heading's, a quote's); in a table,
    the text of the cell in row ``row``, column ``col``; a list's links are on the blocks of
    its items (``ListBlock.children``). The renderers show links only when asked
    (``to_markdown(links=True)``)."""

    start: int
    end: int
    url: str
    row: int = 0
    col: int = 0


_NO_LINKS: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of text (its lines, when ``<br>`` broke it, separated by newlines)."""

    text: str
    kind: Literal["paragraph"] = "paragraph"
    links: tuple[Link, ...] = field(default=_NO_LINKS, repr=False)


@dataclass(frozen=True, slots=True)
class Heading:
    """A sub-heading; ``level`` 1-6 as in ``<h1>``-``<h6>``."""

    text: str
    level: int = 2
    kind: Literal["heading"] = "heading"
    links: tuple[Link, ...] = field(default=_NO_LINKS, repr=False)


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A list: its items in order (an item's own lines separated by newlines).

    ``children``, when the reader saw structure inside the items (a nested list), holds each
    item's blocks in order (a nested list as a ``ListBlock``), or when an item has inline
    links (on its paragraph); empty otherwise. It is for the renderers only: the plain text
    is ``items``."""

    items: tuple[str, ...]
    ordered: bool = False
    kind: Literal["list"] = "list"
    children: tuple[tuple[Block, ...], ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.items)


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation (its paragraphs a line each)."""

    text: str
    kind: Literal["quote"] = "quote"
    links: tuple[Link, ...] = field(default=_NO_LINKS, repr=False)


@dataclass(frozen=True, slots=True)
class Table:
    """A table: rows of cell texts (header cells included, in order)."""

    rows: tuple[tuple[str, ...], ...]
    kind: Literal["table"] = "table"
    links: tuple[Link, ...] = field(default=_NO_LINKS, repr=False)

    @property
    def text(self) -> str:
        return "\n".join(line for row in self.rows if (line := clean(" ".join(row))))


@dataclass(frozen=True, slots=True)
class Preformatted:
    """Preformatted text (code, verse set in ``<pre>``), its line breaks and indentation kept."""

    text: str
    kind: Literal["preformatted"] = "preformatted"


Block = Paragraph | Heading | ListBlock | Quote | Table | Preformatted


def block_text(block: Block) -> str:
    """The block's plain text: a line per line of the block, whitespace collapsed in each,
    empty lines left out."""
    lines = (clean(line) for line in block.text.split("\n"))
    return "\n".join(line for line in lines if line)


def body_text(blocks: Iterable[Block]) -> str:
    """The plain body: each block's text, blocks separated by a blank line."""
    return "\n\n".join(text for block in blocks if (text := block_text(block)))


def matched_blocks(texts: list[str], typed: list[Block], headings: list[str]) -> list[Block]:
    """The typed blocks for the final body ``texts``: each text that is a reader's block
    unchanged keeps that block's type; a text the later stages put in or changed (a lead, a
    heading put back, a block with lines dropped) is a heading when it is one of
    ``headings``, else a paragraph."""
    by_text: dict[str, Block] = {}
    for block in typed:
        by_text.setdefault(block_text(block), block)
    listed = set(headings)
    return [
        by_text.get(text) or (Heading(text) if text in listed else Paragraph(text))
        for text in texts
    ]
