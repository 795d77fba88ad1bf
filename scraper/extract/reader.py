"""The trafilatura driver: the content container read in precision mode (its normal mode when
that keeps too little), read again with misnamed wrappers unnamed when it lost the article,
and its output turned into blocks of text and headings.

The reading itself is a parameter (:class:`Reader`): :func:`read_with_trafilatura` by
default; a test may pass a spy that wraps it, or a stand-in that returns a fixed document.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Protocol

import trafilatura
from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import tuning
from scraper.extract.blocks import Block, Heading, ListBlock, Paragraph, Preformatted, Quote, Table
from scraper.extract.chrome import is_chrome_heading
from scraper.extract.container import node_prose, unname_article_wrappers
from scraper.extract.nodes import text_size
from scraper.extract.text import clean, fold

_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "div", "item"}


class Reader(Protocol):
    """``(html, url, precision=) -> document``: a main-text extractor's reading of a page.
    The document's ``body`` is the kept text as trafilatura's XML element (or None), its
    ``text`` that text as a string."""

    def __call__(self, html: str, url: str | None, *, precision: bool) -> object: ...


def read_with_trafilatura(html: str, url: str | None, *, precision: bool) -> object:
    """trafilatura's reading of ``html``: main text only, tables kept, no comments."""
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


def text_length(document: object) -> int:
    """Characters of a document's kept text."""
    return len(getattr(document, "text", None) or "")


def read_part(
    part: LexborNode | None,
    tree: LexborHTMLParser,
    url: str | None,
    prose: int,
    reader: Reader,
) -> object:
    """The reading of ``part`` (the content container, or the page's body; the whole
    ``tree`` when there is neither), read again unnamed when that keeps much more."""
    # only the part trafilatura will read is serialised
    html = f"<html><body>{part.html}</body></html>" if part is not None else tree.html or ""
    document = _read_main_text(html, url, prose, reader)
    if part is None:
        return document
    retry = _read_unnamed(part, url, prose, text_length(document), reader)
    return retry or document


def _read_main_text(html: str, url: str | None, prose: int, reader: Reader) -> object:
    """trafilatura's precision mode, its normal mode when that keeps under half the prose."""
    document = reader(html, url, precision=tuning.PRECISION_FIRST)
    if text_length(document) < tuning.PRECISION_KEEP_SHARE * prose:
        balanced = reader(html, url, precision=False)
        if text_length(balanced) > text_length(document):
            document = balanced
    return document


def _read_unnamed(
    part: LexborNode, url: str | None, prose: int, kept: int, reader: Reader
) -> object | None:
    """trafilatura's reading of ``part`` with its misnamed wrappers unnamed, when the first
    reading kept under CONTAINER_FALLBACK_SHARE of the article (its paragraph text, or all
    its text for an article not set in paragraphs) and the new one keeps much more."""
    limit = tuning.CONTAINER_FALLBACK_SHARE
    if not (kept < limit * prose and unname_article_wrappers(part, prose, node_prose)):
        text = text_size(part)
        if not (kept < limit * text and unname_article_wrappers(part, text, text_size)):
            return None
    retry = _read_main_text(f"<html><body>{part.html}</body></html>", url, prose, reader)
    return retry if text_length(retry) > tuning.MISNAMED_RETRY_GAIN * kept else None


def kept_blocks(
    element: etree._Element, title: str | None
) -> tuple[list[str], list[str], list[Block]]:
    """The blocks of text trafilatura kept, the headings among them, and the kept blocks
    typed: without widget titles, and without the headline repeated at the top or as a
    heading."""
    folded_title = fold(title)
    title_room = len(title or "") + tuning.TITLE_ROOM_CHARS
    blocks: list[str] = []
    headings: list[str] = []
    typed: list[Block] = []
    for child in element:
        text = element_text(child)
        if not text or is_chrome_heading(text):
            continue
        is_title = len(text) <= title_room and fold(text) == folded_title
        if is_title and (not blocks or child.tag == "head"):
            continue
        if child.tag == "head":
            headings.append(text)
        blocks.append(text)
        typed.append(_typed(child, text))
    return blocks, headings, typed


_LEVELS = {f"h{level}": level for level in range(1, 7)}


def _typed(child: etree._Element, text: str) -> Block:
    """One of trafilatura's output elements as a typed block (``text``: its text)."""
    tag = child.tag
    if tag == "head":
        return Heading(text, _LEVELS.get(str(child.get("rend") or ""), 2))
    if tag == "list":
        return _list_block(child) or Paragraph(text)
    if tag == "table":
        rows = tuple(
            tuple(element_text(cell) for cell in row.iter("cell")) for row in child.iter("row")
        )
        return Table(rows) if rows else Paragraph(text)
    if tag == "quote":
        return Quote(text)
    if tag == "code":
        return Preformatted("".join(child.itertext()))
    return Paragraph(text)


def _list_block(element: etree._Element) -> ListBlock | None:
    """trafilatura's ``<list>`` as a list block: its own items, an item's nested lists kept
    as the item's blocks (``ListBlock.children``)."""
    items: list[str] = []
    children: list[tuple[Block, ...]] = []
    for item in element.iterchildren("item"):
        if not (text := element_text(item)):
            continue
        items.append(text)
        children.append(_item_blocks(item))
    if not items:
        return None
    nested = any(isinstance(b, ListBlock) for item_blocks in children for b in item_blocks)
    return ListBlock(
        tuple(items), element.get("rend") == "ol", children=tuple(children) if nested else ()
    )


def _item_blocks(item: etree._Element) -> tuple[Block, ...]:
    """A list item's blocks: its own text, then the lists nested in it."""
    inner = [el for el in item.iter("list") if el is not item]
    if not inner:
        return (Paragraph(element_text(item)),)
    own = deepcopy(item)
    for nested in list(own.iter("list")):
        parent = nested.getparent()
        if parent is not None:
            nested.tail = None
            parent.remove(nested)
    blocks: list[Block] = [Paragraph(t)] if (t := element_text(own)) else []
    outer = [el for el in inner if not any(a in inner for a in el.iterancestors("list"))]
    blocks += [b for el in outer if (b := _list_block(el)) is not None]
    return tuple(blocks)


def code_blocks(blocks: list[Block], part: LexborNode) -> list[Block]:
    """``blocks`` with each quote that is the text of a ``<pre>`` of ``part`` as
    preformatted text, its lines and indentation as the page has them (trafilatura reads a
    ``<pre>`` without ``<code>`` in it as a quote; the lexbor reader keeps it as code)."""
    if not any(isinstance(block, Quote) for block in blocks):
        return blocks
    pre = {_squeezed(text): text for node in part.css("pre")
           if (text := node.text(deep=True).strip("\n"))}
    if not pre:
        return blocks
    return [
        Preformatted(pre[key]) if isinstance(block, Quote)
        and (key := _squeezed(block.text)) in pre else block
        for block in blocks
    ]


def _squeezed(text: str) -> str:
    return "".join(text.split())


def element_text(element: etree._Element) -> str:
    """The text of one of trafilatura's output elements, a line per block inside it."""
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
