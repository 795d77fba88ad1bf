"""Reference extractors run on the same pages, mapped to :class:`Article` fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scraper.models import Article

ExtractFn = Callable[[str, str | None], Article]
"""``(html, url) -> Article``, the signature of ``scraper.extract.extract_article``."""

ALL_FIELDS: frozenset[str] = frozenset({"body", "title", "date", "headings", "section"})


@dataclass(frozen=True, slots=True)
class System:
    """An extractor under evaluation, and which scored fields it produces at all."""

    name: str
    extract: ExtractFn
    fields: frozenset[str] = ALL_FIELDS


def _attr(doc: Any, name: str) -> Any:
    return doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)


def trafilatura_extract(html: str, url: str | None = None) -> Article:
    """Plain ``trafilatura.bare_extraction(html, url=url, with_metadata=True)``.

    Mapped: title, date -> published, text -> body, first category -> section, author,
    tags, sitename. trafilatura returns no body headings.
    """
    from trafilatura import bare_extraction

    doc = bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return Article(url=url or "")
    categories = [c for c in (_attr(doc, "categories") or []) if c]
    author = _attr(doc, "author")
    body = _attr(doc, "text") or ""
    return Article(
        url=url or "",
        title=_attr(doc, "title"),
        published=_attr(doc, "date"),
        section=categories[0] if categories else None,
        body=body,
        authors=[a.strip() for a in author.split(";") if a.strip()] if author else [],
        site_name=_attr(doc, "sitename"),
        tags=list(_attr(doc, "tags") or []),
        word_count=len(body.split()),
    )


BASELINES: dict[str, System] = {
    "trafilatura": System(
        "trafilatura", trafilatura_extract, frozenset({"body", "title", "date", "section"})
    ),
}
"""Baselines by the name ``--baseline`` takes."""
