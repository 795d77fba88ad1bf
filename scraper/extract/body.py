"""The article body and its sub-headings, read from the cleaned page in stages, top-down:

1. the content container (``container.py``): what trafilatura is given to read;
2. the reading (``reader.py``): trafilatura's kept blocks and headings;
3. gap recovery (``gaps.py``): lists and tables it dropped between kept blocks;
4. heading recovery (``headings.py``): sub-headings it dropped, and the heading list;
5. the container's own blocks when it kept only a sliver (``container.py``);
6. lead recovery (``lead.py``): the standfirst in front;
7. filters (``filters.py``): repeats, notices, the promotional tail.

Each stage takes the blocks and returns new ones. Chrome removal (``chrome.py``) runs before,
on the whole page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import tuning
from scraper.extract.chrome import remove_chrome
from scraper.extract.container import container_blocks, content_container, paragraph_lengths
from scraper.extract.filters import drop_notices, drop_repeats, trim_promo_tail
from scraper.extract.gaps import recover_gaps
from scraper.extract.headings import inner_headings, recover_headings
from scraper.extract.lead import recover_lead
from scraper.extract.reader import (
    Reader,
    kept_blocks,
    read_part,
    read_with_trafilatura,
    text_length,
)
from scraper.extract.text import clean, fold

__all__ = ["Body", "Reader", "content_words", "extract_body", "remove_chrome"]


@dataclass(slots=True)
class Body:
    text: str = ""
    headings: list[str] = field(default_factory=list)


def extract_body(
    tree: LexborHTMLParser,
    url: str | None,
    title: str | None,
    *,
    reader: Reader = read_with_trafilatura,
) -> Body:
    """Run after :func:`remove_chrome`: the cleaned tree's main text and headings.
    ``reader`` reads the container's HTML (default: trafilatura)."""
    lengths = paragraph_lengths(tree)
    prose = sum(lengths)
    long_prose = sum(n for n in lengths if n >= tuning.MAIN_CONTENT_MIN_PARAGRAPH)
    container = content_container(tree, long_prose)
    part = container if container is not None else tree.body
    document = read_part(part, tree, url, prose, reader)
    element = getattr(document, "body", None)
    if element is None:
        return _paragraphs(tree)
    folded_title = fold(title)
    blocks, headings = kept_blocks(element, title)
    if part is not None:
        blocks = recover_gaps(part, blocks)
    inner = inner_headings(element)
    blocks, headings = recover_headings(tree, blocks, headings, folded_title, inner, url)
    if container is not None and text_length(document) < tuning.CONTAINER_FALLBACK_SHARE * prose:
        blocks = container_blocks(container, blocks, folded_title)
    blocks = recover_lead(tree, blocks)
    blocks = drop_repeats(blocks)
    blocks, notices = drop_notices(blocks)
    blocks, promotions = trim_promo_tail(blocks)
    if dropped := notices + promotions:
        headings = [h for h in headings if h not in dropped]
    return Body(text="\n\n".join(blocks), headings=headings)


def _paragraphs(tree: LexborHTMLParser) -> Body:
    """The page's paragraphs, when the reader kept nothing."""
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        return Body()
    blocks = [t for p in root.css("p") if (t := clean(p.text(deep=True)))]
    return Body(text="\n\n".join(blocks))


def content_words(text: str) -> int:
    return len(re.findall(r"\w+", text))
