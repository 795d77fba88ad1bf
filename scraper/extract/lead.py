"""Lead recovery: the article's lead (standfirst, teaser, summary under the headline) put
back in front of the body when the extractor dropped it."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.nodes import HEADING_TAGS, link_density
from scraper.extract.page_names import PageNames
from scraper.extract.text import clean

_LEAD_NODES = ", ".join(sel.LEAD_SELECTORS)


def recover_lead(
    tree: LexborHTMLParser, blocks: list[str], *, names: PageNames | None = None
) -> list[str]:
    """``blocks`` with the page's lead in front, when they lack it (``names``: the page's
    class and id names, when already read).

    A lead is a LEAD_SELECTORS node of lead size and few links that comes after the page's
    first <h1> and at most LEAD_MAX_GAP characters before the body's first block.
    """
    root = tree.body
    if root is None or not blocks:
        return blocks
    leads = _LEAD_NODES if names is None else names.narrow(sel.LEAD_SELECTORS)
    candidates = root.css(leads) if leads else []
    if not candidates:
        return blocks
    page = clean(root.text(deep=True))
    first = -1
    for block in blocks[: tuning.LEAD_BODY_BLOCKS]:
        head = block.split("\n", 1)[0][: tuning.MATCH_KEY_CHARS]
        if len(head) >= tuning.LINE_KEY_MIN_CHARS and (first := page.find(head)) >= 0:
            break
    if first < 0:
        return blocks
    h1 = root.css_first("h1")
    h1_text = clean(h1.text(deep=True)) if h1 is not None else ""
    floor = max(page.find(h1_text), 0) if h1_text else 0
    body_text = clean(" ".join(blocks))
    for node in candidates:
        if node.tag in HEADING_TAGS:  # a subtitle set as a heading is the headline's deck
            continue
        text = clean(node.text(deep=True))
        if not tuning.LEAD_MIN_CHARS <= len(text) <= tuning.LEAD_MAX_CHARS:
            continue
        if text[: tuning.LEAD_IN_BODY_CHARS] in body_text:
            continue
        at = page.find(text)
        end = at + len(text)
        if at < floor or end > first or first - end > tuning.LEAD_MAX_GAP:
            continue
        if link_density(node) > tuning.LEAD_MAX_LINK_SHARE:
            continue
        return [text, *blocks]
    return blocks
