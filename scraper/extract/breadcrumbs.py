"""The page's breadcrumb trail as crumbs (name, link), in every common shape: schema.org
``BreadcrumbList`` in microdata or RDFa, and the visible trail of a theme, whose separators
may be text (``Home > World > …``) or elements (``<em class="delimiter">/</em>``,
``<span class="sep">``, an icon ``<i>``). JSON-LD trails are read by ``jsonld.py``.

``trail_sections`` takes the current page off the end of a trail (a crumb that is not a
link, or links the page itself, or repeats the headline) and returns the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.nodes import SKIPPED_TAGS
from scraper.extract.page_names import PageNames
from scraper.extract.text import clean, fold, node_text
from scraper.urls import url_key

_TRAILS = ", ".join(sel.BREADCRUMB_SELECTORS)
_WORD = re.compile(r"\w")
_UNREAD = SKIPPED_TAGS | {"svg", "img", "button"}


@dataclass(frozen=True, slots=True)
class Crumb:
    name: str
    url: str | None = None
    """Absolute URL of the crumb's link; None for a crumb that is not a link."""


def page_breadcrumbs(
    tree: LexborHTMLParser, base: str | None, *, names: PageNames | None = None
) -> tuple[list[Crumb], str]:
    """The first breadcrumb trail of the page and its source ("microdata:breadcrumb",
    "rdfa:breadcrumb", "breadcrumb" for a visible trail); ([], "") when it has none.
    ``names``: the page's class and id names, when already read."""
    trails = sel.BREADCRUMB_SELECTORS if names is None else tuple(
        filter(names.can_match, sel.BREADCRUMB_SELECTORS))
    any_trail = _TRAILS if names is None else ", ".join(trails)
    if not any_trail or tree.css_first(any_trail) is None:  # many pages have no trail
        return [], ""
    for selector in trails:
        trail = tree.css_first(selector)
        if trail is None:
            continue
        for attr, kind in (("itemprop", "microdata:breadcrumb"), ("property", "rdfa:breadcrumb")):
            listed = trail.css_first(f"[{attr}~=itemListElement]") is not None
            if listed and (crumbs := _structured(trail, attr, base)):
                return crumbs, kind
        if crumbs := _visible(trail, base):
            return crumbs, "breadcrumb"
    return [], ""


def trail_sections(
    crumbs: list[Crumb], title: str | None, page_urls: tuple[str | None, ...]
) -> list[str]:
    """The crumbs' names without the current page at the end of the trail."""
    if not crumbs:
        return []
    last = crumbs[-1]
    pages = {key for u in page_urls if u and (key := _key(u))}
    linked = any(c.url for c in crumbs)
    words = len(last.name.split())
    current = (
        (last.url is not None and _key(last.url) in pages and words > tuning.SELF_CRUMB_WORDS)
        or _is_headline(last.name, title)
        or (last.url is None and (linked or len(crumbs) >= tuning.PLAIN_TRAIL_CRUMBS))
        or words > tuning.SECTION_MAX_WORDS
    )
    return [c.name for c in (crumbs[:-1] if current else crumbs)]


def _key(url: str) -> str | None:
    try:
        return url_key(url)
    except ValueError:  # a malformed link ("http://[::1") is nobody's page
        return None


def _is_headline(name: str, title: str | None) -> bool:
    """The crumb repeats the headline, maybe cut short ("Harbour Ferry Timetable…")."""
    crumb, head = fold(name), fold(title)
    if not crumb or not head:
        return False
    return crumb == head or (
        len(crumb) >= tuning.H1_PARTIAL_MIN_CHARS and (head.startswith(crumb) or crumb in head)
    )


def _absolute(href: str | None, base: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:")):
        return None
    return urljoin(base, href) if base else href


def _structured(trail: LexborNode, attr: str, base: str | None) -> list[Crumb]:
    """Crumbs of a schema.org BreadcrumbList in microdata (``attr="itemprop"``) or RDFa
    (``attr="property"``), in ``position`` order when given."""
    items: list[tuple[float, int, Crumb]] = []
    for index, element in enumerate(trail.css(f"[{attr}~=itemListElement]")):
        named = element.css_first(f"[{attr}~=name]")
        if named is None:
            continue
        name = clean(named.attributes.get("content")) or node_text(named)
        item = element.css_first(f"[{attr}~=item]")
        url = None
        if item is not None:
            attrs = item.attributes
            url = _absolute(
                attrs.get("href") or attrs.get("content") or attrs.get("itemid")
                or attrs.get("resource"), base
            )
        position = element.css_first(f"[{attr}~=position]")
        try:
            rank = float(position.attributes.get("content") or "") if position else index
        except ValueError:
            rank = index
        if name:
            items.append((rank, index, Crumb(name, url)))
    return [crumb for _, _, crumb in sorted(items, key=lambda item: item[:2])]


def _visible(trail: LexborNode, base: str | None) -> list[Crumb]:
    """Crumbs of a visible trail: each link is one crumb; text outside links is split at
    separator characters and at elements (a crumb per text piece)."""
    crumbs: list[Crumb] = []
    for node in _walk(trail):
        if node.tag == "a":
            name = node_text(node)
            if _WORD.search(name):
                crumbs.append(Crumb(name, _absolute(node.attributes.get("href"), base)))
            continue
        for piece in sel.TRAIL_SEPARATOR.split(node.text() or ""):
            piece = clean(sel.TRAIL_LABEL.sub("", clean(piece)))
            if _WORD.search(piece):
                crumbs.append(Crumb(piece))
    return crumbs


def _walk(node: LexborNode) -> list[LexborNode]:
    """Links and text nodes under ``node`` in document order (a link's own text is read
    with it)."""
    found: list[LexborNode] = []
    for child in node.iter(include_text=True):
        if child.tag in _UNREAD or child.attributes.get("aria-hidden") == "true":
            continue  # an icon's <title>, a separator hidden from screen readers
        if child.tag == "a" or child.tag == "-text":
            found.append(child)
        elif child.is_element_node:
            found += _walk(child)
    return found
