"""Listings -> candidate URLs: feeds, sitemaps and section pages. Pure parsing, no I/O.

:mod:`scraper.crawl.listings` fetches; this module reads what was fetched. Three readers::

    parse_feed(data, url)          RSS 2.0, Atom, RSS 1.0 (feedparser) -> Listing
    parse_sitemap(data, url)       urlset, sitemap index, news sitemap, .xml.gz -> Listing
    parse_section_page(html, url)  <a href> links and rel=next pagination -> Listing

Which of the URLs found belong to the site is :mod:`scraper.crawl.scope`'s decision.

Feed entries keep their title and date as *hints* (a feed date is better than none); news
sitemaps keep ``news:title`` and ``news:publication_date`` the same way.

``pack_listing`` / ``unpack_listing`` turn a :class:`Listing` into the compressed bytes the
HTTP cache keeps beside a listing's validators, and back (a 304 stands for them).
"""

from __future__ import annotations

import calendar
import io
import json
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from scraper.errors import DiscoverError
from scraper.models import ListingKind

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEXT_PAGE_SELECTOR = 'link[rel~="next"][href], a[rel~="next"][href]'
LINK_SELECTOR = "a[href]"
MAX_SITEMAP_BYTES = 50_000_000
"""The sitemap protocol caps an uncompressed sitemap at 50 MB; a .gz is cut off there."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A URL that may be an article, with what the listing said about it."""

    url: str
    title: str | None = None
    published: str | None = None
    """ISO 8601 date from the feed entry or news sitemap, if any."""
    source: ListingKind = "feed"
    """Where it was found (the listing whose hints it carries)."""


@dataclass(frozen=True, slots=True)
class SitemapRef:
    """A child sitemap named by a sitemap index."""

    url: str
    lastmod: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """What one feed, sitemap or section page points to."""

    candidates: list[Candidate] = field(default_factory=list)
    sitemaps: list[SitemapRef] = field(default_factory=list)
    """Child sitemaps (a sitemap index)."""
    next_pages: list[str] = field(default_factory=list)
    """Pagination links (a section page)."""


def pack_listing(listing: Listing) -> bytes:
    """The listing as compact, compressed JSON (100,000 links: about 1 MB)."""
    data = {
        "candidates": [[c.url, c.title, c.published, c.source] for c in listing.candidates],
        "sitemaps": [[s.url, s.lastmod] for s in listing.sitemaps],
        "next_pages": listing.next_pages,
    }
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"))


def unpack_listing(data: bytes, url: str) -> Listing:
    """What :func:`pack_listing` made; ``DiscoverError`` if the bytes are not that."""
    try:
        raw = json.loads(zlib.decompress(data))
        return Listing(
            candidates=[Candidate(url=u, title=t, published=p, source=s)
                        for u, t, p, s in raw["candidates"]],
            sitemaps=[SitemapRef(url=u, lastmod=m) for u, m in raw["sitemaps"]],
            next_pages=[str(u) for u in raw["next_pages"]],
        )
    except (zlib.error, ValueError, KeyError, TypeError) as exc:
        raise DiscoverError(f"{url}: the cached copy of this listing is unreadable") from exc


# --- feeds ---------------------------------------------------------------------------------


def _struct_to_iso(value: time.struct_time | None) -> str | None:
    if value is None:
        return None
    try:
        stamp = calendar.timegm(value)
    except (OverflowError, ValueError):
        return None
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def parse_feed(data: bytes, url: str) -> Listing:
    """RSS 2.0, Atom or RSS 1.0 bytes -> candidates, with entry titles and dates as hints.

    External entities are never resolved (feedparser turns them off); relative links are
    resolved against ``url``.
    """
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers={"content-location": url},
        resolve_relative_uris=False, sanitize_html=False,
    )
    if not parsed.entries and parsed.get("bozo"):
        raise DiscoverError(f"{url}: not a readable feed ({parsed.get('bozo_exception')})")
    candidates: list[Candidate] = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        if not link:
            continue
        date = _struct_to_iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        title = (entry.get("title") or "").strip() or None
        candidates.append(
            Candidate(url=urljoin(url, link), title=title, published=date, source="feed")
        )
    return Listing(candidates=candidates)


def _entry_link(entry: feedparser.FeedParserDict) -> str | None:
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return link.strip()
    for item in entry.get("links", []):
        href = item.get("href")
        if item.get("rel", "alternate") == "alternate" and isinstance(href, str) and href.strip():
            return href.strip()
    guid = entry.get("id")
    if entry.get("guidislink") and isinstance(guid, str) and guid.startswith(("http://", "https://")):
        return guid
    return None


# --- sitemaps ------------------------------------------------------------------------------


def _gunzip(data: bytes, url: str, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise DiscoverError(f"{url}: broken gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise DiscoverError(f"{url}: more than {max_bytes:,} bytes once decompressed")
    if not inflater.eof:
        raise DiscoverError(f"{url}: broken gzip data (truncated)")
    return out


def _xml_parser() -> etree.XMLParser:
    # No entities, no DTD, no network, no huge trees: a sitemap is data, never instructions.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
        dtd_validation=False, recover=True, remove_comments=True, remove_pis=True,
    )


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str, namespace: str | None = None) -> str | None:
    for child in element:
        if _local(child.tag) != name:
            continue
        if namespace is None or child.tag.startswith(f"{{{namespace}}}"):
            text = (child.text or "").strip()
            return text or None
    return None


def parse_sitemap(data: bytes, url: str, *, max_bytes: int = MAX_SITEMAP_BYTES) -> Listing:
    """A sitemap (urlset), sitemap index or Google news sitemap; gzip is detected by its bytes.

    A news sitemap's ``news:title`` and ``news:publication_date`` are kept as hints.
    """
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, url, max_bytes)
    if not data.strip():
        raise DiscoverError(f"{url}: empty sitemap")
    try:
        root = etree.fromstring(data, parser=_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise DiscoverError(f"{url}: not a readable sitemap ({exc})") from exc
    if root is None:
        raise DiscoverError(f"{url}: not a readable sitemap (no XML root element)")
    kind = _local(root.tag)
    if kind == "sitemapindex":
        refs = []
        for element in root:
            if _local(element.tag) != "sitemap":
                continue
            loc = _child_text(element, "loc")
            if loc:
                lastmod = _child_text(element, "lastmod")
                refs.append(SitemapRef(url=urljoin(url, loc), lastmod=lastmod))
        return Listing(sitemaps=refs)
    if kind != "urlset":
        raise DiscoverError(f"{url}: not a sitemap (root element <{kind or '?'}>)")
    candidates = []
    for element in root:
        if _local(element.tag) != "url":
            continue
        loc = _child_text(element, "loc")
        if not loc:
            continue
        title = published = None
        for child in element:
            if _local(child.tag) == "news":
                title = _child_text(child, "title", NEWS_NS)
                published = _child_text(child, "publication_date", NEWS_NS)
        candidates.append(
            Candidate(url=urljoin(url, loc), title=title, published=published, source="sitemap")
        )
    return Listing(candidates=candidates)


# --- section pages -------------------------------------------------------------------------


def parse_section_page(html: str, url: str) -> Listing:
    """Every ``<a href>`` on a section page is a candidate; rel=next links are its pagination."""
    tree = LexborHTMLParser(html)
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        href = (base_node.attributes.get("href") or "").strip()
        if href:
            base = urljoin(url, href)
    candidates = []
    for node in tree.css(LINK_SELECTOR):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        # Link text ("Read more", "World") is no title hint; only feeds and sitemaps give one.
        candidates.append(Candidate(url=urljoin(base, href), source="page"))
    next_pages = []
    for node in tree.css(NEXT_PAGE_SELECTOR):
        href = (node.attributes.get("href") or "").strip()
        if href:
            next_pages.append(urljoin(base, href))
    return Listing(candidates=candidates, next_pages=list(dict.fromkeys(next_pages)))
