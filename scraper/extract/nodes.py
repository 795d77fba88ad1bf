"""Measures of selectolax nodes shared by the body reader's stages: text and link sizes,
names, and the tag sets they test."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract.text import clean

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "-comment", "_comment"})
"""Nodes whose text the reader never sees."""


def text_size(node: LexborNode) -> int:
    """Characters of ``node``'s text, whitespace collapsed."""
    return len(clean(node.text(deep=True)))


def link_chars(node: LexborNode) -> int:
    """Characters of the link text inside ``node``."""
    return sum(len(clean(a.text(deep=True))) for a in node.css("a"))


def link_density(node: LexborNode) -> float:
    """The share of ``node``'s text that is link text (1.0 for a node without text)."""
    text = text_size(node)
    return link_chars(node) / text if text else 1.0


def names(node: LexborNode) -> str:
    """The node's class and id, as one string to search for a name."""
    return f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"


def outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """``nodes`` without those inside another of them (removed with it): decomposing a node
    whose ancestor was decomposed first would touch freed memory."""
    ids = {node.mem_id for node in nodes}
    kept = []
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            kept.append(node)
    return kept
