"""The article's own section: JSON-LD articleSection, microdata, article:section and
friends, the breadcrumb's last category, a category link, then the URL path. Never the
site name or "Home"."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.jsonld import JsonLd, text_of
from scraper.extract.text import clean, fold, inside, node_text

_BREADCRUMBS = ", ".join(sel.BREADCRUMB_SELECTORS)
_CATEGORY_LINKS = ", ".join(sel.CATEGORY_LINK_SELECTORS)


def _good_section(name: str | None, title: str | None, site_names: list[str]) -> str | None:
    name = clean(name)
    if not name or len(name) > tuning.SECTION_MAX_CHARS:
        return None
    folded = fold(name)
    if folded in sel.HOME_WORDS or (title and folded == fold(title)):
        return None
    if any(folded == fold(s) for s in site_names):
        return None
    return name


def _split_labels(value: object) -> list[str]:
    """A section value that may be a list or a comma-joined string -> its labels."""
    labels: list[str] = []
    values = value if isinstance(value, list) else [value]
    for item in values:
        text = text_of(item)
        if text:
            labels += [part.strip() for part in html.unescape(text).split(",") if part.strip()]
    return labels


def _most_specific(labels: list[str], title: str | None, site_names: list[str]) -> str | None:
    good = [g for label in labels if (g := _good_section(label, title, site_names))]
    specific = [g for g in good if fold(g) not in sel.GENERIC_SECTIONS]
    chosen = specific or good
    return chosen[0] if chosen else None


def choose_section(
    tree: LexborHTMLParser,
    meta: dict[str, str],
    jsonld: JsonLd,
    url: str | None,
    title: str | None,
    site_names: list[str],
) -> tuple[str | None, str | None]:
    labels = _split_labels(jsonld.article.get("articleSection"))
    if found := _most_specific(labels, title, site_names):
        return found, "json-ld"
    node = tree.css_first("[itemprop=articleSection]")
    if node is not None and (
        found := _good_section(
            node.attributes.get("content") or node_text(node), title, site_names
        )
    ):
        return found, "microdata"
    for key in sel.SECTION_META:
        if found := _good_section(meta.get(key, "").split(",")[0], title, site_names):
            return found, f"meta:{key}"
    crumbs = [
        g for c in jsonld.breadcrumbs if (g := _good_section(html.unescape(c), title, site_names))
    ]
    if crumbs:
        return crumbs[-1], "json-ld:breadcrumb"
    # one query first: on most pages none match (then the per-selector ones, which keep the
    # selectors' order of preference, are skipped)
    breadcrumbs = sel.BREADCRUMB_SELECTORS if tree.css_first(_BREADCRUMBS) else ()
    for selector in breadcrumbs:
        trail = tree.css_first(selector)
        if trail is None:
            continue
        names = [
            t for a in trail.css("a") if (t := _good_section(node_text(a), title, site_names))
        ]
        if names:
            return names[-1], "breadcrumb"
    category_links = sel.CATEGORY_LINK_SELECTORS if tree.css_first(_CATEGORY_LINKS) else ()
    for selector in category_links:
        for node in tree.css(selector):
            if not inside(node, sel.SECTION_EXCLUDED_ANCESTORS) and (
                found := _good_section(node_text(node), title, site_names)
            ):
                return found, "category-link"
    if url:
        segments = [s for s in urlsplit(url).path.split("/") if s]
        first = segments[0] if len(segments) >= 2 else ""
        if (
            re.fullmatch(r"[a-z][a-z-]{1,30}", first)
            and first not in sel.URL_NOT_SECTIONS
            and not re.search(r"\d", first)
        ) and (
            found := _good_section(first.replace("-", " ").title(), title, site_names)
        ):
            return found, "url"
    return None, None


