"""The fast reader: a clear content container read with selectolax (lexbor) alone, into
typed blocks (``blocks.py``), with no second parse.

The walk goes through the container in document order. Paragraphs, headings, lists, quotes,
tables and preformatted text become blocks; text set directly in a ``<div>`` becomes a
paragraph; inline elements run on in the line. It skips what is not the article
(``reading_rules``): media, forms, the container's own header, footer and navigation,
hidden elements, and boxes named like chrome (share bars, sign-up boxes, author bios,
related stories), unless such a box holds most of the article (then its name is wrong).
Each block remembers how much of it is link text and paragraph text, for the fast path's
checks (``fast_path.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from scraper.extract import reading_rules as rules
from scraper.extract import selectors as sel
from scraper.extract import tuning
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
from scraper.extract.container import node_prose
from scraper.extract.text import clean


@dataclass(frozen=True, slots=True)
class ReadBlock:
    """A block as read, with the measures the fast path is checked by."""

    block: Block
    text: str
    """Its plain text (``blocks.block_text``)."""
    links: int
    """Characters of link text in it."""
    prose: int
    """Characters of ``<p>`` text in it."""
    link_count: int = 0
    """Links with text in it."""
    short_links: int = 0
    """Links with text shorter than SHORT_LINK_CHARS."""
    last: bool = False
    """Whether its element is the last of its parent's (trafilatura's link tests are laxer
    for the last block)."""


class LexborReading:
    """One reading of a container: call :meth:`read`, then look at ``blocks``."""

    def __init__(self, container: LexborNode, prose: int) -> None:
        self.container = container
        self.prose = prose
        """Characters of the container's paragraph text (misnamed boxes are measured by it)."""
        self.blocks: list[ReadBlock] = []
        self._parts: list[str] = []
        self._link_sizes: list[int] = []
        self._open_link: list[str] = []
        self._in_link = 0
        self._in_p = 0
        self._in_line = 0
        """Inside a paragraph, heading or question line: its text is a block of its own."""
        self._flat = 0
        """Inside a heading: every element in it is read as inline text."""
        self._keep_links = 0
        """Inside a list, quote or table: its blocks are tested as a whole, not one by one."""
        self._last = False
        """Whether the element being flushed is its parent's last."""
        self.dropped = 0
        """Blocks dropped as link lists or pointers so far."""
        self.link_headings = 0
        """Headings dropped as links so far (a teaser card's title)."""
        self._bare_text = prose < tuning.BARE_TEXT_MAX_PROSE
        """Whether text set directly in a wrapper (not in a paragraph, heading, list...) is
        read: only in a container with little paragraph text."""

    def read(self) -> list[ReadBlock]:
        self._walk(self.container)
        self._flush()
        return self.blocks

    # --- the walk ---

    def _walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag or ""
            if tag == "-text":
                self._add_text(child.text_content or "")
            elif tag in rules.SKIPPED or not child.is_element_node:
                continue
            elif tag == "br":
                self._parts.append("\n")
            elif (tag in rules.INLINE and not _question(child, tag)) or self._flat:
                self._inline(child, tag)
            elif not self._skipped(child):
                self._block(child, tag)

    def _add_text(self, text: str) -> None:
        if text:
            self._parts.append(text.replace("\n", " "))
            if self._in_link:
                self._open_link.append(text)

    def _inline(self, node: LexborNode, tag: str) -> None:
        if _hidden(node):
            return
        if tag == "a" and not self._in_link and not (self._flat and _own_anchor(node)):
            self._in_link += 1
            self._walk(node)
            self._in_link -= 1
            self._close_link()
        else:
            self._walk(node)

    def _close_link(self) -> None:
        """The link text gathered since the link opened (or since the last block inside it)
        counted as one link of the current block."""
        if self._open_link:
            if size := len(clean("".join(self._open_link))):
                self._link_sizes.append(size)
            self._open_link = []

    def _skipped(self, node: LexborNode) -> bool:
        """Hidden, or a box named like chrome that does not hold most of the article."""
        attributes = node.attributes
        if not attributes:
            return False
        if _hidden_by(attributes):
            return True
        if node.tag in rules.NOT_NAMED:
            return False
        classes, ident = attributes.get("class") or "", attributes.get("id") or ""
        if not (classes or ident) or not rules.chrome_named(f"{classes} {ident}"):
            return False
        return node_prose(node) < tuning.FAST_MISNAMED_SHARE * self.prose

    def _block(self, node: LexborNode, tag: str) -> None:
        self._flush()
        if tag == "figure" and node.css_first(rules.FIGURE_CONTENT) is None:
            return
        if tag == "header" and (
            node.css_first(rules.SECTION_HEADER) is None
            or node.css_first(rules.ARTICLE_HEADER) is not None
        ):
            return
        last = _is_last(node)
        if tag == "p" or tag in rules.HEADINGS or tag in rules.LINES or tag in rules.INLINE:
            self._in_p += tag == "p"
            self._in_line += 1
            self._flat += tag in rules.HEADINGS  # a heading's inner boxes are part of its line
            self._walk(node)
            self._flat -= tag in rules.HEADINGS
            self._last = last
            self._flush(heading=rules.HEADINGS.get(tag, 0))
            self._last = False
            self._in_line -= 1
            self._in_p -= tag == "p"
            return
        start, dropped, headings = len(self.blocks), self.dropped, self.link_headings
        if tag in ("ul", "ol", "dl") and node.css_first(rules.LAYOUT_LIST_PARTS) is not None:
            tag = "div"  # a listicle set as a list: its items are sections, read as such
        if tag in ("ul", "ol", "dl", "blockquote", "table", "pre"):
            self._keep_links += 1
            self._structured(node, tag)
            self._keep_links -= 1
            self._test_last(start, last)
            return
        # a wrapper: div, section, article, figure holding a table...
        self._walk(node)
        self._flush()
        new = self.blocks[start:]
        if not new:
            return
        if tag in rules.LINK_BOXES and _link_box(new, last):
            del self.blocks[start:]
        elif self.dropped > dropped and all(map(_label, new)):
            del self.blocks[start:]  # the title over a link list that was dropped
        elif tag in rules.LINK_BOXES and _caption(node, new):
            del self.blocks[start:]
        elif tag in rules.LINK_BOXES and self.link_headings > headings and _teaser(new):
            del self.blocks[start:]  # a teaser card: its heading, one link, was dropped
            self.dropped += 1

    def _structured(self, node: LexborNode, tag: str) -> None:
        if tag == "blockquote":
            self._quote(node)
        elif tag == "pre":
            self._pre(node)
        elif tag == "table":
            self._table(node)
        else:
            self._list(node, ordered=tag == "ol")

    def _test_last(self, start: int, last: bool) -> None:
        """The link test for the list, quote or table just read (as one block)."""
        if len(self.blocks) == start + 1 and _link_dense(self.blocks[start], last):
            del self.blocks[start:]
            self.dropped += 1

    def _flush(self, heading: int = 0) -> None:
        """The text gathered since the last block, as a block (a heading of ``heading``)."""
        if not self._parts:
            return
        self._close_link()
        raw = "".join(self._parts)
        sizes = self._link_sizes
        self._parts = []
        self._link_sizes = []
        lines = [line for part in raw.split("\n") if (line := clean(part))]
        if not lines:
            return
        text = "\n".join(lines)
        block: Block = Heading(" ".join(lines), heading) if heading else Paragraph(text)
        if not (self._in_line or self._keep_links or self._bare_text):
            # text set directly in a wrapper, beside enough paragraphs: not the article (a
            # bare link so dropped counts as a dropped link block, for the title over it)
            self.dropped += bool(sizes)
            return
        prose = len(text) if self._in_p else 0
        self._add(block, [], prose=prose, sizes=sizes, last=self._last)

    def _add(
        self,
        block: Block,
        inner: list[ReadBlock],
        *,
        prose: int = 0,
        sizes: list[int] | None = None,
        last: bool = False,
    ) -> None:
        """Append ``block`` with its measures: those of ``inner`` (the blocks it was made of)
        or ``prose`` and the link text ``sizes``; unless it is a link list or a pointer
        (``last``: its element is its parent's last, where the link test is laxer)."""
        text = block_text(block)
        if not text:
            return
        short = tuning.SHORT_LINK_CHARS
        read = ReadBlock(
            block, text,
            links=sum(b.links for b in inner) + sum(sizes or ()),
            prose=sum(b.prose for b in inner) + prose,
            link_count=sum(b.link_count for b in inner) + len(sizes or ()),
            short_links=sum(b.short_links for b in inner) + sum(n < short for n in sizes or ()),
        )
        if self._keep_links or not _link_dense(read, last):
            self.blocks.append(read)
        else:
            self.dropped += 1
            self.link_headings += isinstance(block, Heading)

    def _take_since(self, start: int) -> list[ReadBlock]:
        """The blocks read since ``start``, taken off the reading."""
        self._flush()
        taken = self.blocks[start:]
        del self.blocks[start:]
        return taken

    def _quote(self, node: LexborNode) -> None:
        """A block quote: the blocks inside it, one line each, as one block."""
        start = len(self.blocks)
        self._walk(node)
        inner = self._take_since(start)
        self._add(Quote("\n".join(b.text for b in inner)), inner)

    def _list(self, node: LexborNode, *, ordered: bool) -> None:
        items: list[str] = []
        children: list[tuple[Block, ...]] = []
        read: list[ReadBlock] = []
        for child in node.iter():
            if child.tag not in ("li", "dt", "dd") or self._skipped(child):
                continue
            start = len(self.blocks)
            self._walk(child)
            inner = self._take_since(start)
            if text := "\n".join(b.text for b in inner):
                items.append(text)
                children.append(tuple(b.block for b in inner))
                read.extend(inner)
        if items:
            nested = any(not isinstance(b, Paragraph) for item in children for b in item)
            kept = tuple(children) if nested else ()
            self._add(ListBlock(tuple(items), ordered, children=kept), read)

    def _pre(self, node: LexborNode) -> None:
        self._add(Preformatted(node.text(deep=True).strip("\n")), [])

    def _table(self, node: LexborNode) -> None:
        if node.css_first(rules.LAYOUT_TABLE_PARTS) is not None:
            self._keep_links -= 1  # its blocks are tested one by one, as a wrapper's are
            self._walk(node)
            self._flush()
            self._keep_links += 1
            return
        rows: list[tuple[str, ...]] = []
        read: list[ReadBlock] = []
        for row in node.css("tr"):
            cells: list[str] = []
            for cell in row.iter():
                if cell.tag not in ("td", "th"):
                    continue
                start = len(self.blocks)
                self._walk(cell)
                inner = self._take_since(start)
                cells.append(" ".join(b.text.replace("\n", " ") for b in inner))
                read.extend(inner)
            if any(cells):
                rows.append(tuple(cells))
        if rows:
            self._add(Table(tuple(rows)), read)


def _own_anchor(link: LexborNode) -> bool:
    """Whether a link in a heading is the heading's own anchor or a bare name (not a link to
    elsewhere; a table of contents' in-page links elsewhere are links all the same)."""
    href = (link.attributes.get("href") or "").strip()
    return not href or href.startswith("#")


def _question(node: LexborNode, tag: str) -> bool:
    """Whether an inline element is the question line of an FAQ block (a line of its own)."""
    return tag == "strong" and "class" in node.attributes and node.css_matches(_QUESTIONS)


_QUESTIONS = sel.QUESTION_LINES


def _is_last(node: LexborNode) -> bool:
    """Whether no element follows ``node`` among its siblings."""
    sibling = node.next
    while sibling is not None:
        if sibling.is_element_node:
            return False
        sibling = sibling.next
    return True


def _link_box(read: list[ReadBlock], last: bool) -> bool:
    """Whether a wrapper's blocks are a small box around a link (a "more on this" pointer,
    a tag line, a teaser): little text, and links in it (trafilatura's precision rule)."""
    if not read or not any(b.link_count for b in read):
        return False
    size = sum(len(b.text) for b in read)
    limit = tuning.LINK_BOX_LAST_CHARS if last else tuning.LINK_BOX_CHARS
    return size < limit


def _teaser(read: list[ReadBlock]) -> bool:
    """Whether what is left of a box whose heading was dropped as a link is a teaser card's
    summary (a "recent posts" grid, a related story): short, and no heading of its own."""
    if any(isinstance(b.block, Heading) for b in read):
        return False
    return sum(len(b.text) for b in read) < tuning.TEASER_MAX_CHARS


def _label(b: ReadBlock) -> bool:
    """A heading, or a line short enough to be a box's title ("Topics in this article")."""
    return isinstance(b.block, Heading) or len(b.text) < tuning.LABEL_MAX_CHARS


def _caption(node: LexborNode, read: list[ReadBlock]) -> bool:
    """Whether a wrapper's blocks are the caption of an image it holds: a short text beside
    a picture in the same small box."""
    if sum(len(b.text) for b in read) >= tuning.CAPTION_MAX_CHARS:
        return False
    if any(isinstance(b.block, Heading) for b in read):
        return False  # a section with its picture
    return node.css_first(rules.PICTURES) is not None


def _hidden(node: LexborNode) -> bool:
    """Hidden by an attribute, an inline style or a class word."""
    attributes = node.attributes
    return bool(attributes) and _hidden_by(attributes)


def _hidden_by(attributes: dict[str, str | None]) -> bool:
    if "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return True
    style = attributes.get("style")
    if style and rules.HIDDEN_STYLE.search(style):
        return True
    classes = attributes.get("class")
    return bool(classes) and rules.hidden_named(classes or "")


def read_container(container: LexborNode, prose: int) -> list[ReadBlock]:
    """The container's blocks as the lexbor reader reads them (``prose``: the container's
    paragraph characters)."""
    return LexborReading(container, prose).read()


def _link_dense(b: ReadBlock, last: bool) -> bool:
    """trafilatura's link-density test (so the fast path drops what its precision mode
    drops): a block that is one long link; a short block mostly of link text or of short
    links; a long one that is a farm of many links."""
    if not b.link_count:
        return False
    size = len(b.text)
    if (
        b.link_count == 1
        and b.links > tuning.SINGLE_LINK_MIN_CHARS
        and b.links > tuning.SINGLE_LINK_SHARE * size
    ):
        return True
    if isinstance(b.block, Paragraph):
        limit = tuning.LINK_TEST_LAST_P_CHARS if last else tuning.LINK_TEST_P_CHARS
    else:
        limit = tuning.LINK_TEST_LAST_CHARS if last else tuning.LINK_TEST_CHARS
    if size < limit:
        return b.links > tuning.LINK_BLOCK_SHARE * size or (
            b.link_count > 1 and b.short_links > tuning.LINK_BLOCK_SHARE * b.link_count
        )
    return (
        b.link_count > tuning.LINK_FARM_MIN_LINKS
        and b.links > tuning.LINK_FARM_SHARE * size
        and b.links < tuning.LINK_FARM_CARD_CHARS * b.link_count
    )
