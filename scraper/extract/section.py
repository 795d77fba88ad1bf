"""The article's own section: JSON-LD articleSection, microdata, article:section and
friends, the breadcrumb's last category (the trail the page shows, in microdata, RDFa or plain
markup, ``breadcrumbs.py``; then a JSON-LD trail, which SEO plugins often fill with a generic
path), a category link, then the URL path. Never the site name, the headline or "Home"."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.breadcrumbs import Crumb, page_breadcrumbs, trail_sections
from scraper.extract.jsonld import JsonLd, text_of
from scraper.extract.page_names import PageNames
from scraper.extract.text import clean, fold, inside, node_text

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


def _trail_section(
    crumbs: list[Crumb], title: str | None, site_names: list[str],
    page_urls: tuple[str | None, ...],
) -> str | None:
    """The deepest good section of a breadcrumb trail, the current page left out."""
    names = trail_sections(crumbs, title, page_urls)
    good = [g for name in names if (g := _good_section(html.unescape(name), title, site_names))]
    return good[-1] if good else None


def choose_section(
    tree: LexborHTMLParser,
    meta: dict[str, str],
    jsonld: JsonLd,
    url: str | None,
    title: str | None,
    site_names: list[str],
    *,
    canonical: str | None = None,
    names: PageNames | None = None,
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
    page_urls = (url, canonical)
    crumbs, source = page_breadcrumbs(tree, url or canonical, names=names)
    if found := _trail_section(crumbs, title, site_names, page_urls):
        return found, source
    if found := _trail_section(jsonld.breadcrumbs, title, site_names, page_urls):
        return found, "json-ld:breadcrumb"
    links = sel.CATEGORY_LINK_SELECTORS if names is None else tuple(
        filter(names.can_match, sel.CATEGORY_LINK_SELECTORS))
    any_links = _CATEGORY_LINKS if names is None else ", ".join(links)
    category_links = links if any_links and tree.css_first(any_links) else ()
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


