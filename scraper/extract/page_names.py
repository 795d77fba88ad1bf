"""The class and id names a page uses, read once from the page as served.

A selector that names a class or an id no element has cannot match anything, so the long
selector lists (chrome, sign-up boxes, leads, breadcrumbs, category links, paywall blocks)
are narrowed to the selectors that can match on this page before lexbor walks the tree with
them: lexbor tests every selector of a list on every element, and most of a list names
classes the page never uses. Pure speed: the nodes found are the same.

The test is a superset of lexbor's: names are compared lowercased (lexbor compares them
exactly, or ASCII-case-insensitively in quirks mode), class tokens split on any whitespace,
and the stages that use it only ever remove elements or names from the tree, never add any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

_BRACKETS = re.compile(r"\[[^\]]*\]")
_NAMED_ATTRIBUTE = re.compile(
    r"""\[\s*(?:class|id)\s*[*^$~|]?=\s*(?:"([^"]+)"|'([^']+)'|([^\s\]"']+))\s*i?\s*\]"""
)
_NAMES = re.compile(r"[.#]([A-Za-z0-9_-]+)")


@dataclass(frozen=True, slots=True)
class PageNames:
    """Every element's id and class on the page as served."""

    text: str
    """The ids and classes, lowercased, joined by spaces."""
    tokens: frozenset[str]
    """``text`` split on whitespace: each class token and id."""

    def narrow(self, selectors: tuple[str, ...]) -> str:
        """The selectors of the list that can match on this page, comma-joined ("" when
        none can)."""
        return ", ".join(s for s in selectors if self.can_match(s))

    def can_match(self, selector: str) -> bool:
        """False only when ``selector`` needs a class, id or class/id substring no element
        of the page has."""
        tokens, substrings = _needs(selector)
        return all(t in self.tokens for t in tokens) and all(s in self.text for s in substrings)


def read_page_names(tree: LexborHTMLParser) -> PageNames:
    """The names of ``tree`` (one attribute read an element, one lower())."""
    parts = []
    for node in tree.css("[id], [class]"):
        attributes = node.attributes
        parts.append(attributes.get("id") or "")
        parts.append(attributes.get("class") or "")
    text = " ".join(parts).lower()
    return PageNames(text, frozenset(text.split()))


@lru_cache(maxsize=1024)
def _needs(selector: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(class or id tokens, substrings of a class or id) an element must have for
    ``selector`` to match; nothing for a selector this reading does not follow (escapes,
    pseudo-classes with arguments, names beyond ASCII)."""
    if "\\" in selector or "(" in selector or not selector.isascii():
        return (), ()
    substrings = tuple(
        "".join(match.groups(default="")).lower() for match in _NAMED_ATTRIBUTE.finditer(selector)
    )
    tokens = tuple(name.lower() for name in _NAMES.findall(_BRACKETS.sub(" ", selector)))
    return tokens, substrings


def narrowed(selectors: tuple[str, ...], names: PageNames | None) -> str:
    """``selectors`` comma-joined, narrowed to the page's names when they are known."""
    return names.narrow(selectors) if names is not None else ", ".join(selectors)
