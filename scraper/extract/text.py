"""Small text and tree helpers shared by the extractor's modules."""

from __future__ import annotations

import re
import unicodedata

from selectolax.lexbor import LexborNode

MAIN_CONTAINERS = "article, main, [role=main], .post, .entry, .hentry, .article, .story"


def clean(text: str | None) -> str:
    """Whitespace runs collapsed to one space, ends stripped."""
    return " ".join(text.split()) if text else ""


def fold(text: str | None) -> str:
    """Comparison form: NFKC, straight quotes, no punctuation runs, casefolded."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(str.maketrans("‘’‚‛“”„‟", "''''\"\"\"\""))
    return clean(re.sub(r"[^\w'\"]+", " ", text)).casefold()


def inside(node: LexborNode, containers: tuple[str, ...]) -> bool:
    return bool(node.css_matches(", ".join(f"{c} *" for c in containers)))


def node_text(node: LexborNode | None) -> str:
    return clean(node.text(deep=True, separator=" ")) if node is not None else ""


