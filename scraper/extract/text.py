"""Small text and tree helpers shared by the extractor's modules."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from selectolax.lexbor import LexborNode

MAIN_CONTAINERS = "article, main, [role=main], .post, .entry, .hentry, .article, .story"


def clean(text: str | None) -> str:
    """Whitespace runs collapsed to one space, ends stripped."""
    return " ".join(text.split()) if text else ""


_STRAIGHT_QUOTES = tuple(zip("‘’‚‛“”„‟", "''''\"\"\"\"", strict=True))
_NOT_WORD = re.compile(r"[^\w'\"]+")


def fold(text: str | None) -> str:
    """Comparison form: NFKC, straight quotes, no punctuation runs, casefolded."""
    return _fold(text or "")


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    # cached: the heading and date passes fold the same sibling texts over and over
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in _STRAIGHT_QUOTES:  # replace() beats str.translate(table) 2:1
        if curly in text:
            text = text.replace(curly, straight)
    # every whitespace character is in a punctuation run, so each run is one space already:
    # only the ends need stripping (what clean() would do, without splitting)
    return _NOT_WORD.sub(" ", text).strip(" ").casefold()


def inside(node: LexborNode, containers: tuple[str, ...]) -> bool:
    return bool(node.css_matches(_descendant_of(containers)))


@lru_cache(maxsize=64)
def _descendant_of(containers: tuple[str, ...]) -> str:
    # cached: built once per tuple of containers, not once per node tested
    return ", ".join(f"{c} *" for c in containers)


def node_text(node: LexborNode | None) -> str:
    return clean(node.text(deep=True, separator=" ")) if node is not None else ""




ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
# A lead byte of UTF-8 read as Latin-1/Windows-1252, then a continuation byte read so too
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def unmojibake(text: str) -> str:
    """``text`` repaired when it is UTF-8 that was read as Latin-1 or Windows-1252 ("â€™",
    "Â "): re-encoded and decoded as UTF-8 when the whole string round-trips."""
    if not _MOJIBAKE.search(text) and "\u00c2 " not in text:
        return text
    # a no-break space read so is "Â" then U+00A0, which whitespace clean-up made a space
    repaired = text.replace("\u00c2 ", " ")
    for codec in ("latin-1", "cp1252"):
        try:
            return clean(repaired.encode(codec).decode("utf-8"))
        except UnicodeError:
            continue
    return text
