"""The body's last stage: blocks that are about the page, not the story, dropped: a second
copy of the article, credit lines and disclosures, calls to action at the end."""

from __future__ import annotations

from scraper.extract import selectors as sel
from scraper.extract import tuning

_QUOTES = frozenset("\"'“”„«»‘’‚")


def drop_repeats(blocks: list[str]) -> list[str]:
    """``blocks`` without a second copy of a stretch of the article: a page that ships its
    article once per screen size (a responsive variant each, all but one hidden by CSS)
    yields it several times.

    A stretch is a run of lines each seen before, with at least REPEAT_MIN_LINES lines of
    REPEAT_MIN_CHARS or more; single repeated lines (a pull quote, a credit under each
    photo) stay.
    """
    lines = [(index, line) for index, block in enumerate(blocks) for line in block.split("\n")]
    seen: set[str] = set()
    repeat: list[bool] = []
    for _, line in lines:
        repeat.append(line in seen)
        seen.add(line)
    drop = [False] * len(lines)
    start = 0
    while start < len(lines):
        if not repeat[start]:
            start += 1
            continue
        end = start
        while end < len(lines) and repeat[end]:
            end += 1
        long_lines = sum(len(line) >= tuning.REPEAT_MIN_CHARS for _, line in lines[start:end])
        if long_lines >= tuning.REPEAT_MIN_LINES:
            drop[start:end] = [True] * (end - start)
        start = end
    if not any(drop):
        return blocks
    kept: list[list[str]] = [[] for _ in blocks]
    for (index, line), dropped in zip(lines, drop, strict=True):
        if not dropped:
            kept[index].append(line)
    return ["\n".join(block) for block in kept if block]


def drop_notices(blocks: list[str]) -> tuple[list[str], list[str]]:
    """``blocks`` without credit lines and disclosures wherever they are (never the body's
    only block), and the blocks dropped."""
    dropped = [block for block in blocks if is_notice(block)]
    if dropped and len(dropped) < len(blocks):
        return [block for block in blocks if block not in dropped], dropped
    return blocks, []


def is_notice(block: str) -> bool:
    """An image credit or copyright line ("Photo: ...", "© 2024 ..."), an ad label or an
    affiliate disclosure: a short block that is about the page, not the story."""
    if len(block) > tuning.NOTICE_MAX_CHARS:
        return False
    if len(block) <= tuning.CREDIT_LINE_MAX_CHARS and sel.CREDIT_LINE.match(block):
        return True
    if len(block) <= tuning.FURNITURE_MAX_CHARS and sel.PAGE_FURNITURE.match(block):
        return True
    # the searching patterns only where one of their words is (a plain test is far cheaper)
    lowered = block.lower()
    if (
        len(block) <= tuning.CALL_TO_ACTION_MAX_CHARS
        and any(word in lowered for word in sel.CALL_TO_ACTION_WORDS)
        and sel.CALL_TO_ACTION.search(block)
    ):
        return True
    return len(block) <= tuning.DISCLOSURE_MAX_CHARS and bool(
        sel.DISCLOSURE_START.match(block)
        or (any(word in lowered for word in sel.DISCLOSURE_WORDS) and sel.DISCLOSURE.search(block))
    )


def trim_promo_tail(blocks: list[str]) -> tuple[list[str], list[str]]:
    """``blocks`` without the short calls to action (subscribe, follow us, support us) among
    the last PROMO_TAIL_BLOCKS (never the first block), and the blocks dropped."""
    kept = list(blocks)
    dropped: list[str] = []
    last = len(kept) - 1
    for index in range(last, max(len(kept) - tuning.PROMO_TAIL_BLOCKS, 1) - 1, -1):
        block = kept[index]
        if block[:1] in _QUOTES:  # someone quoted about subscriptions: article text
            continue
        if len(block) <= tuning.PROMO_TAIL_MAX_CHARS and sel.PROMO_TAIL.search(block):
            dropped.append(kept.pop(index))
    return kept, dropped
