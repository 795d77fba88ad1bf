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


