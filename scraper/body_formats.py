"""The body's structured forms, rendered from its typed blocks (``scraper/extract/blocks.py``):
Markdown (:func:`to_markdown`) and sanitised HTML (:func:`body_html`).

The HTML is built, never filtered: each block becomes one of a fixed set of structural tags
(:data:`HTML_TAGS`, no attributes) and every text goes through ``html.escape``, so no script,
style, event handler, link or remote embed can appear in it, whatever the page held.

A record not made by the extractor (one read back from the archive) has no blocks: its blocks
are then made from the plain body (:func:`blocks_from_text`: paragraphs, the known sub-headings
as headings).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from scraper.extract.blocks import (
    Block,
    Heading,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Table,
    block_text,
)
from scraper.models import Article

__all__ = [
    "HTML_TAGS", "article_blocks", "blocks_from_json", "blocks_from_text", "body_html",
    "to_markdown",
]

HTML_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "pre", "code",
})
"""Every tag :func:`body_html` writes (none with attributes)."""

_MD_LINE_START = re.compile(
    r"^(\s*)(>|[#+*-](?=\s|$)|\d+[.)](?=\s|$)|[=-]+\s*$|[*_-]{3,}|`{3,}|~{3,})"
)
"""What would start a heading, list, quote, rule, setext underline or fence at a line's start."""


def blocks_from_text(body: str, headings: Sequence[str] = ()) -> tuple[Block, ...]:
    """Blocks for a plain body: a paragraph per blank-line-separated block, the ones listed
    in ``headings`` as sub-headings.

    >>> blocks_from_text("Intro\\n\\nWhat next\\n\\nMore.", ["What next"])[1]
    Heading(text='What next', level=2, kind='heading')
    """
    listed = set(headings)
    return tuple(
        Heading(text) if text in listed else Paragraph(text)
        for part in body.split("\n\n")
        if (text := part.strip("\n"))
    )


def blocks_from_json(stored: str | None) -> tuple[Block, ...]:
    """The blocks the archive stored (``scraper/archive/body_blocks.py``); an object of an
    unknown kind is read as a paragraph of its ``text``.

    >>> blocks_from_json('[{"kind": "list", "items": ["a", "b"], "ordered": true}]')
    (ListBlock(items=('a', 'b'), ordered=True, kind='list', children=()),)
    """
    data = json.loads(stored or "[]")
    return tuple(_block(item) for item in data if isinstance(item, dict))


def _block(data: dict[str, Any]) -> Block:
    kind, text = data.get("kind"), str(data.get("text") or "")
    if kind == "heading":
        return Heading(text, int(data.get("level") or 2))
    if kind == "list":
        children = tuple(
            tuple(_block(b) for b in item if isinstance(b, dict))
            for item in data.get("children") or ()
        )
        return ListBlock(tuple(str(i) for i in data.get("items") or ()),
                         bool(data.get("ordered")), children=children)
    if kind == "quote":
        return Quote(text)
    if kind == "table":
        return Table(tuple(tuple(str(c) for c in row) for row in data.get("rows") or ()))
    if kind == "preformatted":
        return Preformatted(text)
    return Paragraph(text)


def article_blocks(article: Article) -> tuple[Block, ...]:
    """The article's blocks; made from ``body`` and ``headings`` when it has none."""
    return article.blocks or blocks_from_text(article.body, article.headings)


def _blocks(source: Article | Iterable[Block]) -> tuple[Block, ...]:
    return article_blocks(source) if isinstance(source, Article) else tuple(source)


def _lines(text: str) -> list[str]:
    return [line for line in block_text(Paragraph(text)).split("\n") if line]


# Markdown ---------------------------------------------------------------------------------


def to_markdown(source: Article | Iterable[Block]) -> str:
    """The blocks (or an article's) as Markdown: ``#`` sub-headings at their level, ``-`` and
    ``1.`` lists (nested ones indented), ``>`` quotes, pipe tables (the first row as the
    header), fenced code; a text that would read as markup at a line's start is escaped.

    >>> print(to_markdown([Heading("Tides", 2), ListBlock(("ebb", "flow"), ordered=True)]))
    ## Tides
    <BLANKLINE>
    1. ebb
    2. flow
    """
    parts = [_md_block(block) for block in _blocks(source)]
    return "\n\n".join(part for part in parts if part)


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return f"{'#' * level} {_md_inline(' '.join(_lines(block.text)))}".rstrip()
    if isinstance(block, ListBlock):
        return "\n".join(_md_list(block))
    if isinstance(block, Quote):
        return "\n>\n".join(f"> {_md_inline(line)}" for line in _lines(block.text))
    if isinstance(block, Table):
        return _md_table(block)
    if isinstance(block, Preformatted):
        longest = max((len(run) for run in re.findall(r"`+", block.text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}\n{block.text.strip(chr(10))}\n{fence}"
    return "\\\n".join(_md_inline(line) for line in _lines(block.text))


def _md_inline(line: str) -> str:
    """``line`` with a backslash before what would start a heading, list, quote or fence, and
    before each ``<`` (so no Markdown renderer takes the text for raw HTML)."""
    line = line.replace("\\", "\\\\").replace("<", "\\<")
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}", line, count=1)


def _md_list(block: ListBlock) -> list[str]:
    """The list's lines; an item's further lines and nested lists indented under it."""
    out: list[str] = []
    for number, item in enumerate(block.items, 1):
        marker = f"{number}. " if block.ordered else "- "
        pad = " " * len(marker)
        lines: list[str] = []
        inner = block.children[number - 1] if block.children else (Paragraph(item),)
        for child in inner:
            if isinstance(child, ListBlock):
                lines += _md_list(child)
            else:
                lines += [_md_inline(line) for line in _lines(block_text(child))]
        if not lines:
            continue
        out.append(marker + lines[0])
        out += [pad + line for line in lines[1:]]
    return out


def _md_table(block: Table) -> str:
    if not block.rows:
        return ""
    width = max(len(row) for row in block.rows)
    rows = [[_md_cell(cell) for cell in row] + [""] * (width - len(row)) for row in block.rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(line.replace("  |", " |") for line in lines)


def _md_cell(cell: str) -> str:
    return _md_inline(" ".join(cell.split())).replace("|", "\\|")


# HTML -------------------------------------------------------------------------------------


def body_html(source: Article | Iterable[Block]) -> str:
    """The blocks (or an article's) as HTML of structural tags only (:data:`HTML_TAGS`, no
    attributes), every text escaped; sub-headings ``h2``-``h6`` (the headline is the page's
    ``h1``), a table's first row as its header.

    >>> body_html([Paragraph("Tea <script>alert(1)</script> & cake")])
    '<p>Tea &lt;script&gt;alert(1)&lt;/script&gt; &amp; cake</p>'
    """
    return "\n".join(_html_block(block) for block in _blocks(source))


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 6)
        return f"<h{level}>{escape(' '.join(_lines(block.text)))}</h{level}>"
    if isinstance(block, ListBlock):
        return _html_list(block)
    if isinstance(block, Quote):
        inner = "".join(f"<p>{escape(line)}</p>" for line in _lines(block.text))
        return f"<blockquote>{inner}</blockquote>"
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Preformatted):
        return f"<pre><code>{escape(block.text.strip(chr(10)))}</code></pre>"
    return f"<p>{'<br>'.join(escape(line) for line in _lines(block.text))}</p>"


def _html_list(block: ListBlock) -> str:
    tag = "ol" if block.ordered else "ul"
    items: list[str] = []
    for number, item in enumerate(block.items):
        inner = block.children[number] if block.children else (Paragraph(item),)
        parts = [
            _html_list(child) if isinstance(child, ListBlock)
            else "<br>".join(escape(line) for line in _lines(block_text(child)))
            for child in inner
        ]
        items.append(f"<li>{''.join(parts)}</li>")
    return f"<{tag}>{''.join(items)}</{tag}>"


def _html_table(block: Table) -> str:
    def row(cells: tuple[str, ...], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{escape(cell)}</{tag}>" for cell in cells) + "</tr>"

    if not block.rows:
        return ""
    head, *rest = block.rows
    body = "".join(row(cells, "td") for cells in rest)
    return f"<table><thead>{row(head, 'th')}</thead><tbody>{body}</tbody></table>"
