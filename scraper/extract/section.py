"""The article's own section: JSON-LD articleSection, microdata, article:section and
friends, the breadcrumb's last category, a category link, then the URL path. Never the
site name or "Home"."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import selectors as sel
from scraper.extract.jsonld import JsonLd, text_of
from scraper.extract.text import clean, fold, inside, node_text


def _good_section(name: str | None, title: str | None, site_names: list[str]) -> str | None:
    name = clean(name)
    if not name or len(name) > 60:
        return None
    folded = fold(name)
    if folded in sel.HOME_WORDS or (title and folded == fold(title)):
        return None
    if any(folded == fold(s) for s in site_names):
        return None
    return name


def choose_section(
    tree: LexborHTMLParser,
    meta: dict[str, str],
    jsonld: JsonLd,
    url: str | None,
    title: str | None,
    site_names: list[str],
) -> tuple[str | None, str | None]:
    if found := _good_section(text_of(jsonld.article.get("articleSection")), title, site_names):
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
    crumbs = [c for c in jsonld.breadcrumbs if _good_section(c, title, site_names)]
    if crumbs:
        return crumbs[-1], "json-ld:breadcrumb"
    for selector in sel.BREADCRUMB_SELECTORS:
        trail = tree.css_first(selector)
        if trail is None:
            continue
        names = [
            t for a in trail.css("a") if (t := _good_section(node_text(a), title, site_names))
        ]
        if names:
            return names[-1], "breadcrumb"
    for selector in sel.CATEGORY_LINK_SELECTORS:
        for node in tree.css(selector):
            if not inside(node, sel.DATE_EXCLUDED_ANCESTORS) and (
                found := _good_section(node_text(node), title, site_names)
            ):
                return found, "category-link"
    if url:
        segments = [s for s in urlsplit(url).path.split("/") if s]
        first = segments[0] if len(segments) >= 2 else ""
        if re.fullmatch(r"[a-z][a-z-]{1,30}", first) and (
            found := _good_section(first.replace("-", " ").title(), title, site_names)
        ):
            return found, "url"
    return None, None


