"""Metadata as ordered cascades that fill only what is missing: JSON-LD, then meta tags
(OpenGraph, article:*, Dublin Core...), then microdata, then visible markup, then the URL.
Each chosen value records the source that won. The cascades for the headline and the section
live in ``title.py`` and ``section.py``; this module gathers the rest and assembles the
result. The publication date has its own cascade, run after chrome removal (``published.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.jsonld import JsonLd, names_of, text_of
from scraper.extract.page_names import PageNames
from scraper.extract.section import choose_section
from scraper.extract.site_name import choose_site_name
from scraper.extract.text import clean, inside, node_text
from scraper.extract.title import choose_title

_TAG_META = (
    "meta[property='article:tag'], meta[name='article:tag'], meta[property='og:article:tag']"
)


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    title_source: str | None = None
    section: str | None = None
    section_source: str | None = None
    canonical_url: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None


def meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    """First content of each <meta name|property|itemprop=...> (keys lower-cased)."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = clean(attrs.get("content"))
        if not content:
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(key_attr)
            if key:
                found.setdefault(key.strip().lower(), content)
    return found


def _site_names(meta: dict[str, str], jsonld: JsonLd, url: str | None) -> list[str]:
    names = [
        meta.get("og:site_name"),
        jsonld.publisher,
        meta.get("application-name"),
        meta.get("twitter:site", "").lstrip("@") or None,
    ]
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [p for p in host.split(".") if p not in ("www", "m", "amp", "com", "org", "net")]
    if labels:
        names.append(max(labels, key=len))
    return [n for n in names if n]


def _absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    resolved = urljoin(base, url) if base else url
    return resolved if resolved.startswith(("http://", "https://")) else None


def _authors(tree: LexborHTMLParser, meta: dict[str, str], jsonld: JsonLd) -> list[str]:
    names = names_of(jsonld.article.get("author"))
    if not names and meta.get("author"):
        names = [meta["author"]]
    if not names:
        names = [
            t
            for n in tree.css(
                "[itemprop=author] [itemprop=name], a[rel~=author], .byline .author, .author-name"
            )[: tuning.AUTHOR_NODES]
            if (t := node_text(n))
        ]
    seen: list[str] = []
    for name in names:
        name = clean(re.sub(r"^(?:by|von|par|por)\s+", "", name, flags=re.IGNORECASE))
        short = len(name) < tuning.NAME_MAX_CHARS
        if name and not name.startswith("http") and short and name not in seen:
            seen.append(name)
    return seen


def _tags(tree: LexborHTMLParser, jsonld: JsonLd) -> list[str]:
    """article:tag meta tags and JSON-LD keywords, else the page's rel="tag" links outside
    its tag clouds, sidebars and menus; never its category ("category tag" links)."""
    tags = [clean(n.attributes.get("content")) for n in tree.css(_TAG_META)]
    if len(tags) == 1 and "," in tags[0]:  # one meta tag holding the list
        tags = [tag.strip() for tag in tags[0].split(",")]
    keywords = jsonld.article.get("keywords")
    if isinstance(keywords, str):
        tags += [k.strip() for k in keywords.split(",")]
    elif isinstance(keywords, list):
        tags += [k.strip() for k in keywords if isinstance(k, str)]
    if not tags:
        tags = [
            node_text(a) for a in tree.css("a[rel~=tag]")
            if "category" not in (a.attributes.get("rel") or "").lower()
            and not inside(a, sel.TAG_EXCLUDED_ANCESTORS)
        ]
    unique: list[str] = []
    for tag in tags:
        if tag and tag not in unique and len(tag) < tuning.NAME_MAX_CHARS:
            unique.append(tag)
    return unique


def page_language(
    tree: LexborHTMLParser, meta: dict[str, str], jsonld: JsonLd | None = None
) -> str | None:
    """The language the page declares, as its primary subtag lower-cased ("de" for de_AT):
    <html lang>, then Content-Language, then og:locale, then (given ``jsonld``) JSON-LD
    inLanguage."""
    html = tree.css_first("html")
    lang = html.attributes.get("lang") if html is not None else None
    lang = lang or meta.get("content-language") or meta.get("og:locale")
    if not lang and jsonld is not None:
        lang = text_of(jsonld.article.get("inLanguage"))
    return lang.replace("_", "-").split("-")[0].lower() if lang else None


def extract_metadata(
    tree: LexborHTMLParser, url: str | None, meta: dict[str, str], jsonld: JsonLd, *,
    names: PageNames | None = None,
) -> Metadata:
    """Everything but the dates, from the page as served (``meta``: its :func:`meta_tags`,
    ``jsonld``: its ``parse_jsonld``, ``names``: its class and id names)."""
    site_names = _site_names(meta, jsonld, url)
    data = Metadata()
    data.title, data.title_source = choose_title(tree, meta, jsonld, site_names)
    canonical = tree.css_first("link[rel=canonical]")
    data.canonical_url = _absolute(
        canonical.attributes.get("href") if canonical is not None else meta.get("og:url"), url
    )
    data.section, data.section_source = choose_section(
        tree, meta, jsonld, url, data.title, site_names, canonical=data.canonical_url,
        names=names,
    )
    data.authors = _authors(tree, meta, jsonld)
    data.language = page_language(tree, meta, jsonld)
    data.site_name = choose_site_name(tree, meta, jsonld, url)
    data.description = (
        meta.get("description")
        or meta.get("og:description")
        or text_of(jsonld.article.get("description"))
    )
    data.tags = _tags(tree, jsonld)
    image = (
        meta.get("og:image")
        or meta.get("twitter:image")
        or text_of(
            jsonld.article.get("image")
            if not isinstance(jsonld.article.get("image"), dict)
            else jsonld.article["image"].get("url")
        )
    )
    data.image = _absolute(image, url)
    return data
