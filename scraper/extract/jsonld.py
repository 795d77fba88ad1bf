"""JSON-LD blocks -> the article item, the breadcrumb trail, the publisher's and the web
site's names."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.breadcrumbs import Crumb
from scraper.extract.selectors import ARTICLE_TYPES

_CDATA = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")
_LINE_COMMENT = re.compile(r"^\s*//.*$|(?<=,)[ \t]*//[^\"\n]*$", re.MULTILINE)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_DECODER = json.JSONDecoder(strict=False)


@dataclass(slots=True)
class JsonLd:
    article: dict[str, Any] = field(default_factory=dict)
    breadcrumbs: list[Crumb] = field(default_factory=list)
    publisher: str | None = None
    site: str | None = None
    """The name of the WebSite item."""
    types: set[str] = field(default_factory=set)
    """Every item's @type (lower-cased, without the schema.org prefix)."""


def _items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _items(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _items(data["@graph"])


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values}


def text_of(value: Any) -> str | None:
    """A JSON-LD value that may be a string, a list, or an object with a name."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            if found := text_of(item):
                return found
        return None
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value") or value.get("headline"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def names_of(value: Any) -> list[str]:
    """Every name in a value that may be a string, a person, or a list of them."""
    if isinstance(value, list):
        return [n for item in value for n in names_of(item)]
    name = text_of(value)
    return [name] if name else []


def _article_score(item: dict[str, Any]) -> int:
    types = _types(item)
    if not types & ARTICLE_TYPES:
        return 0
    score = 1 if types <= {"webpage", "itempage"} else 3
    return score + bool(item.get("headline")) + bool(item.get("datePublished"))


def parse_jsonld(tree: LexborHTMLParser) -> JsonLd:
    result = JsonLd()
    best = 0
    for node in tree.css("script[type='application/ld+json']"):
        raw = _CDATA.sub("", node.text(deep=True) or "").strip()
        if not raw:
            continue
        data = _load(raw)
        if data is None:
            continue
        for item in _items(data):
            types = _types(item)
            result.types |= types
            if "breadcrumblist" in types and not result.breadcrumbs:
                result.breadcrumbs = _breadcrumb_names(item)
            score = _article_score(item)
            if score > best:
                best, result.article = score, item
            if result.publisher is None and score:
                result.publisher = text_of(item.get("publisher"))
            if result.publisher is None and types & {"organization", "newsmediaorganization"}:
                result.publisher = text_of(item.get("name"))
            if result.site is None and "website" in types:
                result.site = text_of(item.get("name"))
        if "breadcrumb" in result.article and not result.breadcrumbs:
            crumb = result.article["breadcrumb"]
            if isinstance(crumb, dict):
                result.breadcrumbs = _breadcrumb_names(crumb)
    return result


def _load(raw: str) -> Any:
    """A JSON-LD block, forgiving what CMS templates often get wrong: text after the value
    (a stray brace or semicolon), ``//`` comment lines, trailing commas. None if unreadable."""
    try:
        return _DECODER.raw_decode(raw)[0]
    except ValueError:
        pass
    mended = _TRAILING_COMMA.sub(r"\1", _LINE_COMMENT.sub("", raw))
    try:
        return _DECODER.raw_decode(mended)[0]
    except ValueError:
        return None


def _breadcrumb_names(item: dict[str, Any]) -> list[Crumb]:
    elements = item.get("itemListElement", [])
    if not isinstance(elements, list):
        return []

    def position(element: Any) -> float:
        try:
            return float(element.get("position", 0)) if isinstance(element, dict) else 0.0
        except (TypeError, ValueError):
            return 0.0

    crumbs: list[Crumb] = []
    for element in sorted(elements, key=position):
        if not isinstance(element, dict):
            continue
        target = element.get("item")
        name = text_of(element.get("name")) or text_of(target)
        url = target.get("@id") or target.get("url") if isinstance(target, dict) else target
        if name:
            crumbs.append(Crumb(name, url if isinstance(url, str) and url.strip() else None))
    return crumbs
