"""The article body and its sub-headings, read from the cleaned page in stages, top-down:

1. the content container (``container.py``): what the reader is given to read;
2. the reading: when the container is clear, the lexbor reader's typed blocks
   (``fast_path.py``, ``lexbor_reader.py``: stages 3 and 5 do not apply, it keeps lists,
   tables and headings itself); else trafilatura's kept blocks and headings (``reader.py``);
3. gap recovery (``gaps.py``): lists and tables it dropped between kept blocks;
4. heading recovery (``headings.py``): sub-headings it dropped, and the heading list;
5. the container's own blocks when it kept only a sliver (``container.py``);
6. lead recovery (``lead.py``): the standfirst in front;
7. filters (``filters.py``): repeats, notices, the promotional tail;
8. inline links (``links.py``) put on the final blocks, from the part that was read.

Each stage takes the blocks and returns new ones. Chrome removal (``chrome.py``) runs before,
on the whole page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import tuning
from scraper.extract.blocks import Block, BodySource, Paragraph, block_text, matched_blocks
from scraper.extract.chrome import remove_chrome
from scraper.extract.container import container_blocks, content_container, paragraph_lengths
from scraper.extract.fast_path import kept_read_blocks, read_fast
from scraper.extract.filters import drop_notices, drop_repeats, trim_promo_tail
from scraper.extract.gaps import recover_gaps
from scraper.extract.headings import inner_headings, recover_headings
from scraper.extract.lead import recover_lead
from scraper.extract.links import with_links
from scraper.extract.page_names import PageNames
from scraper.extract.reader import (
    Reader,
    code_blocks,
    kept_blocks,
    read_part,
    read_with_trafilatura,
    text_length,
)
from scraper.extract.text import clean, fold

__all__ = ["Body", "FastReader", "Reader", "content_words", "extract_body", "remove_chrome"]


@dataclass(slots=True)
class Body:
    text: str = ""
    headings: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    """The body as typed blocks; ``text`` is :func:`blocks.body_text` of them."""
    source: BodySource = "trafilatura"


FastReader = Callable[[LexborNode], "list[Block] | None"]
"""``container -> blocks or None``: the fast reading of a clear container (default:
``fast_path.read_fast``), None when the container is not clear."""


def extract_body(
    tree: LexborHTMLParser,
    url: str | None,
    title: str | None,
    *,
    reader: Reader = read_with_trafilatura,
    fast_reader: FastReader | None = read_fast,
    names: PageNames | None = None,
) -> Body:
    """Run after :func:`remove_chrome`: the cleaned tree's main text and headings.
    ``fast_reader`` reads a clear content container (default: the lexbor reader; None: never),
    ``reader`` every other container's HTML (default: trafilatura); ``names``: the page's
    class and id names, when already read."""
    lengths = paragraph_lengths(tree)
    prose = sum(lengths)
    long_prose = sum(n for n in lengths if n >= tuning.MAIN_CONTENT_MIN_PARAGRAPH)
    container = content_container(tree, long_prose, names=names)
    if container is not None and fast_reader is not None:
        fast = fast_reader(container)
        if fast is not None:
            typed, headings = kept_read_blocks(fast, title)
            texts = [block_text(block) for block in typed]
            texts, headings = recover_headings(
                tree, texts, headings, fold(title), set(), url, names=names
            )
            body = _finished(tree, texts, headings, typed, "lexbor", names)
            body.blocks = with_links(body.blocks, container, url)
            return body
    part = container if container is not None else tree.body
    document = read_part(part, tree, url, prose, reader)
    element = getattr(document, "body", None)
    if element is None:
        return _paragraphs(tree)
    folded_title = fold(title)
    blocks, headings, typed = kept_blocks(element, title)
    if part is not None:
        blocks = recover_gaps(part, blocks)
    inner = inner_headings(element)
    blocks, headings = recover_headings(
        tree, blocks, headings, folded_title, inner, url, names=names
    )
    source: BodySource = "trafilatura"
    if container is not None and text_length(document) < tuning.CONTAINER_FALLBACK_SHARE * prose:
        filled = container_blocks(container, blocks, folded_title)
        if filled is not blocks:
            blocks, source = filled, "container"
    body = _finished(tree, blocks, headings, typed, source, names)
    if part is not None:
        body.blocks = with_links(code_blocks(body.blocks, part), part, url)
    return body


def _finished(
    tree: LexborHTMLParser,
    blocks: list[str],
    headings: list[str],
    typed: list[Block],
    source: BodySource,
    names: PageNames | None = None,
) -> Body:
    """The last stages, the same for every reading: the lead put back in front, repeats,
    notices and the promotional tail dropped; the typed blocks matched to what is left."""
    blocks = recover_lead(tree, blocks, names=names)
    blocks = drop_repeats(blocks)
    blocks, notices = drop_notices(blocks)
    blocks, promotions = trim_promo_tail(blocks)
    if dropped := notices + promotions:
        headings = [h for h in headings if h not in dropped]
    return Body(
        text="\n\n".join(blocks),
        headings=headings,
        blocks=matched_blocks(blocks, typed, headings),
        source=source,
    )


def _paragraphs(tree: LexborHTMLParser) -> Body:
    """The page's paragraphs, when the reader kept nothing."""
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        return Body(source="paragraphs")
    blocks = [t for p in root.css("p") if (t := clean(p.text(deep=True)))]
    typed: list[Block] = [Paragraph(text) for text in blocks]
    return Body(text="\n\n".join(blocks), blocks=typed, source="paragraphs")


def content_words(text: str) -> int:
    return len(re.findall(r"\w+", text))
