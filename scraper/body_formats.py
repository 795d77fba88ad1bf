"""The body's structured forms, rendered from its typed blocks (``scraper/extract/blocks.py``):
Markdown (:func:`to_markdown`) and sanitised HTML (:func:`body_html`).

The HTML is built, never filtered: each block becomes one of a fixed set of structural tags
(:data:`HTML_TAGS`, no attributes) and every text goes through ``html.escape``, so no script,
style, event handler or remote embed can appear in it, whatever the page held.

Inline links (``Block.links``) are rendered only when asked (``links=True``; off by default,
so the forms hold the text alone, as ``body`` does): ``[text](url)`` in Markdown,
``<a href="url" rel="nofollow noopener">`` in HTML, and only for an http, https or mailto
target (checked again here, whatever the stored blocks say); any other is its text alone.

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
from urllib.parse import urlsplit

from scraper.extract.blocks import (
    Block,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Table,
    block_text,
)
from scraper.models import Article

__all__ = [
    "HTML_TAGS", "LINK_SCHEMES", "article_blocks", "blocks_from_json", "blocks_from_text",
    "body_html", "safe_target", "to_markdown",
]

HTML_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "pre", "code", "a",
})
"""Every tag :func:`body_html` writes (none with attributes but ``a``: ``href`` and
``rel="nofollow noopener"``, with ``links=True`` only)."""

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""The link targets rendered."""

Piece = tuple[str, str | None]
"""A run of a line's text, and its link target (None: plain text)."""

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


def _links(data: dict[str, Any]) -> tuple[Link, ...]:
    """The stored links of a block (none in blocks stored before them); a malformed one is
    left out."""
    links: list[Link] = []
    for item in data.get("links") or ():
        if not isinstance(item, dict):
            continue
        try:
            links.append(Link(int(item["start"]), int(item["end"]), str(item["url"]),
                              int(item.get("row") or 0), int(item.get("col") or 0)))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(links)


def _block(data: dict[str, Any]) -> Block:
    kind, text = data.get("kind"), str(data.get("text") or "")
    if kind == "heading":
        return Heading(text, int(data.get("level") or 2), links=_links(data))
    if kind == "list":
        children = tuple(
            tuple(_block(b) for b in item if isinstance(b, dict))
            for item in data.get("children") or ()
        )
        return ListBlock(tuple(str(i) for i in data.get("items") or ()),
                         bool(data.get("ordered")), children=children)
    if kind == "quote":
        return Quote(text, links=_links(data))
    if kind == "table":
        return Table(tuple(tuple(str(c) for c in row) for row in data.get("rows") or ()),
                     links=_links(data))
    if kind == "preformatted":
        return Preformatted(text)
    return Paragraph(text, links=_links(data))


def article_blocks(article: Article) -> tuple[Block, ...]:
    """The article's blocks; made from ``body`` and ``headings`` when it has none."""
    return article.blocks or blocks_from_text(article.body, article.headings)


def _blocks(source: Article | Iterable[Block]) -> tuple[Block, ...]:
    return article_blocks(source) if isinstance(source, Article) else tuple(source)


def _lines(text: str) -> list[str]:
    return [line for line in block_text(Paragraph(text)).split("\n") if line]


def safe_target(url: str) -> bool:
    """Whether a link target may be rendered: an http(s) URL with a host, or a mailto.

    >>> safe_target("https://news.example/a"), safe_target(" javascript:alert(1)")
    (True, False)
    """
    if any(ord(ch) <= 32 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    return scheme in LINK_SCHEMES and bool(parts.netloc if scheme != "mailto" else parts.path)


def _pieces(text: str, links: Sequence[Link]) -> list[list[Piece]]:
    """The text's lines (as :func:`_lines` gives them), each as its pieces: plain runs and
    links (those within one line, not overlapping, with a safe target). The links are
    dropped when the text is not as the readers make it (a line per line, whitespace
    collapsed), where their places would not hold."""
    if not links or block_text(Paragraph(text)) != text:
        return [[(line, None)] for line in _lines(text)]
    ordered = sorted(links, key=lambda link: link.start)
    lines: list[list[Piece]] = []
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        pieces: list[Piece] = []
        at = offset
        for link in ordered:
            if link.start < at or link.end > end or link.start >= link.end:
                continue
            if not safe_target(link.url):
                continue
            if link.start > at:
                pieces.append((text[at:link.start], None))
            pieces.append((text[link.start:link.end], link.url))
            at = link.end
        if at < end:
            pieces.append((text[at:end], None))
        lines.append(pieces)
        offset = end + 1
    return lines


def _block_links(block: Block, links: bool) -> tuple[Link, ...]:
    return getattr(block, "links", ()) if links else ()


# Markdown ---------------------------------------------------------------------------------


def to_markdown(source: Article | Iterable[Block], *, links: bool = False) -> str:
    """The blocks (or an article's) as Markdown: ``#`` sub-headings at their level, ``-`` and
    ``1.`` lists (nested ones indented), ``>`` quotes, pipe tables (the first row as the
    header), fenced code; a text that would read as markup at a line's start is escaped, so
    is every ``<``, ``[`` and ``]`` (the page's text makes no HTML and no link).
    ``links``: inline links as ``[text](url)`` (off: their text alone).

    >>> print(to_markdown([Heading("Tides", 2), ListBlock(("ebb", "flow"), ordered=True)]))
    ## Tides
    <BLANKLINE>
    1. ebb
    2. flow
    >>> print(to_markdown([Paragraph("See the chart.", links=(Link(8, 13, "https://x.example/c"),))],
    ...                   links=True))
    See the [chart](https://x.example/c).
    """
    parts = [_md_block(block, links) for block in _blocks(source)]
    return "\n\n".join(part for part in parts if part)


def _md_block(block: Block, links: bool) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        line = " ".join(_md_lines(block.text, _block_links(block, links), start=False))
        return _md_start(f"{'#' * level} {line}".rstrip(), heading=True)
    if isinstance(block, ListBlock):
        return "\n".join(_md_list(block, links))
    if isinstance(block, Quote):
        return "\n>\n".join(f"> {line}" for line in _md_lines(block.text,
                                                                _block_links(block, links)))
    if isinstance(block, Table):
        return _md_table(block, links)
    if isinstance(block, Preformatted):
        longest = max((len(run) for run in re.findall(r"`+", block.text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}\n{block.text.strip(chr(10))}\n{fence}"
    return "\\\n".join(_md_lines(block.text, _block_links(block, links)))


def _md_text(text: str) -> str:
    """``text`` with a backslash before each ``\\``, ``<`` (no renderer takes it for raw
    HTML), ``[`` and ``]`` (no text of the page makes a link, ``[x](javascript:...)``)."""
    for char in "\\<[]":
        text = text.replace(char, "\\" + char)
    return text


def _md_start(line: str, *, heading: bool = False) -> str:
    """A backslash before what would start a heading, list, quote or fence at the line's
    start (a heading's own ``#`` marker aside)."""
    if heading:
        marker, _, rest = line.partition(" ")
        return f"{marker} {_md_start(rest)}".rstrip() if rest else line
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}", line, count=1)


def _md_inline(line: str) -> str:
    """``line`` with a backslash before what would start a heading, list, quote or fence, and
    before each ``\\``, ``<``, ``[`` and ``]`` (:func:`_md_text`)."""
    return _md_start(_md_text(line))


def _md_url(url: str) -> str:
    for char, code in (("\\", "%5C"), (" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"),
                       (">", "%3E"), ("|", "%7C")):
        url = url.replace(char, code)
    return url


def _md_pieces(pieces: list[Piece]) -> str:
    return "".join(
        _md_text(text) if url is None
        else f"[{_md_text(text)}]({_md_url(url)})"
        for text, url in pieces
    )


def _md_lines(text: str, links: Sequence[Link], *, start: bool = True) -> list[str]:
    """The text's lines as Markdown (escaped at their start unless ``start`` is False)."""
    lines = [_md_pieces(pieces) for pieces in _pieces(text, links)]
    return [_md_start(line) for line in lines] if start else lines


def _md_list(block: ListBlock, links: bool) -> list[str]:
    """The list's lines; an item's further lines and nested lists indented under it."""
    out: list[str] = []
    for number, item in enumerate(block.items, 1):
        marker = f"{number}. " if block.ordered else "- "
        pad = " " * len(marker)
        lines: list[str] = []
        inner = block.children[number - 1] if block.children else (Paragraph(item),)
        for child in inner:
            if isinstance(child, ListBlock):
                lines += _md_list(child, links)
            elif isinstance(child, Paragraph):
                lines += _md_lines(child.text, _block_links(child, links))
            else:
                lines += [_md_inline(line) for line in _lines(block_text(child))]
        if not lines:
            continue
        out.append(marker + lines[0])
        out += [pad + line for line in lines[1:]]
    return out


def _cell_links(block: Table, row: int, col: int, links: bool) -> list[Link]:
    return [link for link in _block_links(block, links) if (link.row, link.col) == (row, col)]


def _md_table(block: Table, links: bool) -> str:
    if not block.rows:
        return ""
    width = max(len(row) for row in block.rows)
    rows = [[_md_cell(cell, _cell_links(block, r, c, links)) for c, cell in enumerate(row)]
            + [""] * (width - len(row)) for r, row in enumerate(block.rows)]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(line.replace("  |", " |") for line in lines)


def _md_cell(cell: str, links: Sequence[Link]) -> str:
    text = cell if links and " ".join(cell.split()) == cell else " ".join(cell.split())
    lines = _md_lines(text, links)
    return " ".join(lines).replace("|", "\\|")


# HTML -------------------------------------------------------------------------------------


def body_html(source: Article | Iterable[Block], *, links: bool = False) -> str:
    """The blocks (or an article's) as HTML of structural tags only (:data:`HTML_TAGS`, no
    attributes), every text escaped; sub-headings ``h2``-``h6`` (the headline is the page's
    ``h1``), a table's first row as its header. ``links``: inline links as
    ``<a href="..." rel="nofollow noopener">`` (off: their text alone).

    >>> body_html([Paragraph("Tea <script>alert(1)</script> & cake")])
    '<p>Tea &lt;script&gt;alert(1)&lt;/script&gt; &amp; cake</p>'
    """
    return "\n".join(_html_block(block, links) for block in _blocks(source))


def _html_pieces(pieces: list[Piece]) -> str:
    return "".join(
        escape(text) if url is None
        else f'<a href="{escape(url)}" rel="nofollow noopener">{escape(text)}</a>'
        for text, url in pieces
    )


def _html_lines(text: str, links: Sequence[Link]) -> list[str]:
    return [_html_pieces(pieces) for pieces in _pieces(text, links)]


def _html_block(block: Block, links: bool) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 6)
        text = " ".join(_html_lines(block.text, _block_links(block, links)))
        return f"<h{level}>{text}</h{level}>"
    if isinstance(block, ListBlock):
        return _html_list(block, links)
    if isinstance(block, Quote):
        lines = _html_lines(block.text, _block_links(block, links))
        return f"<blockquote>{''.join(f'<p>{line}</p>' for line in lines)}</blockquote>"
    if isinstance(block, Table):
        return _html_table(block, links)
    if isinstance(block, Preformatted):
        return f"<pre><code>{escape(block.text.strip(chr(10)))}</code></pre>"
    return f"<p>{'<br>'.join(_html_lines(block.text, _block_links(block, links)))}</p>"


def _html_list(block: ListBlock, links: bool) -> str:
    tag = "ol" if block.ordered else "ul"
    items: list[str] = []
    for number, item in enumerate(block.items):
        inner = block.children[number] if block.children else (Paragraph(item),)
        parts = [
            _html_list(child, links) if isinstance(child, ListBlock)
            else "<br>".join(_html_lines(child.text, _block_links(child, links)))
            if isinstance(child, Paragraph)
            else "<br>".join(escape(line) for line in _lines(block_text(child)))
            for child in inner
        ]
        items.append(f"<li>{''.join(parts)}</li>")
    return f"<{tag}>{''.join(items)}</{tag}>"


def _html_table(block: Table, links: bool) -> str:
    def row(index: int, cells: tuple[str, ...], tag: str) -> str:
        return "<tr>" + "".join(
            f"<{tag}>{_html_cell(cell, _cell_links(block, index, col, links))}</{tag}>"
            for col, cell in enumerate(cells)
        ) + "</tr>"

    if not block.rows:
        return ""
    head, *rest = block.rows
    body = "".join(row(index, cells, "td") for index, cells in enumerate(rest, 1))
    return f"<table><thead>{row(0, head, 'th')}</thead><tbody>{body}</tbody></table>"


def _html_cell(cell: str, links: Sequence[Link]) -> str:
    if not links or "\n" in cell:
        return escape(cell)
    return _html_pieces([piece for line in _pieces(cell, links) for piece in line])
