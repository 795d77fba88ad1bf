"""Where a run of the page's text falls among the body's blocks: the blocks folded and run
together without spaces (a "stream"), and the block and line a text starts at. The heading
and gap recovery stages place what trafilatura dropped with these."""

from __future__ import annotations

from functools import lru_cache

from scraper.extract import tuning
from scraper.extract.text import fold

FOLD_MARGIN = 64
"""Folding a long text stops this far past what a caller reads (more than MATCH_KEY_CHARS):
results are the same as folding it all, only cheaper."""

Stream = tuple[str, dict[int, int]]
"""The blocks' spaceless folds run together, and the block index at each block's offset."""


def fold_start(text: str, chars: int) -> tuple[str, bool]:
    """The fold of ``text`` up to the first ASCII space at or after ``chars`` (and whether
    that is all of it): a prefix of ``fold(text)``, as NFKC never joins characters across an
    ASCII space and the rest of folding works per character or per run of punctuation."""
    cut = text.find(" ", chars) if len(text) > 2 * chars else -1
    return (fold(text), True) if cut < 0 else (fold(text[:cut]), False)


def spaceless_start(text: str, chars: int) -> str:
    """``fold(text)`` without spaces, or a prefix of it that holds at least ``chars``
    characters (all a caller that reads only its first ``chars`` needs)."""
    start, complete = fold_start(text, 4 * chars)
    spaceless = start.replace(" ", "")
    if complete or len(spaceless) >= chars:
        return spaceless
    return fold(text).replace(" ", "")


def fold_run(text: str, want: int) -> str:
    """``fold(text)`` as the heading stage's following runs need it: a long run only ends the
    walk and gives :func:`block_at` its first characters, so the fold of its start is enough
    once it holds ``want`` characters and FOLD_MARGIN that are not spaces."""
    start, complete = fold_start(text, 4 * max(want, FOLD_MARGIN))
    if complete or (len(start) >= want and len(start.replace(" ", "")) >= FOLD_MARGIN):
        return start
    return fold(text)


@lru_cache(maxsize=4096)
def spaceless_fold(block: str) -> str:
    """``fold(block)`` without spaces."""
    # cached: the stream is rebuilt from the same blocks after each heading put back
    return fold(block).replace(" ", "")


def block_stream(blocks: list[str]) -> Stream:
    """The folded blocks run together without spaces (the page's markup and the extractor
    disagree on spaces around line breaks and inline tags), and the block at each offset."""
    offsets: dict[int, int] = {}
    parts: list[str] = []
    at = 0
    for index, block in enumerate(blocks):
        folded = spaceless_fold(block)
        offsets.setdefault(at, index)
        parts.append(folded)
        at += len(folded)
    return "".join(parts), offsets


def block_at(
    stream: Stream, blocks: list[str], runs: list[str], headed: int = 0
) -> tuple[int, int] | None:
    """Where the text ``runs`` starts in the body: (block index, line index in that block).

    The runs are joined (they may run on into the following blocks), fewer are tried when
    the later ones were dropped, and up to MAX_SKIPPED_HEADINGS leading sub-headings
    (``headed``: the extractor dropped them too) may be skipped. A match must start a block
    or a line of one.
    """
    text, offsets = stream
    for skip in range(min(headed, tuning.MAX_SKIPPED_HEADINGS, len(runs) - 1) + 1):
        if skip and len(runs[skip - 1]) > tuning.SKIPPABLE_HEADING_CHARS:
            break
        for count in range(len(runs), skip, -1):
            following = "".join(runs[skip:count]).replace(" ", "")[: tuning.MATCH_KEY_CHARS]
            if len(following) < tuning.MATCH_KEY_MIN_CHARS:
                break
            at = text.find(following)
            while at >= 0:
                if at in offsets:
                    return offsets[at], 0
                start = max(o for o in offsets if o <= at)
                line = _line_at(blocks[offsets[start]], at - start)
                if line is not None:
                    return offsets[start], line
                at = text.find(following, at + 1)
    return None


def _line_at(block: str, offset: int) -> int | None:
    """Index of the line of ``block`` that starts at ``offset`` of its spaceless fold."""
    at = 0
    for index, line in enumerate(block.split("\n")):
        if at == offset:
            return index
        at += len(fold(line).replace(" ", ""))
        if at > offset:
            return None
    return None
