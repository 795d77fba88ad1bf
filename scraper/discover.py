"""Site -> candidate URLs: feeds, sitemaps and section pages. Pure parsing, no I/O.

The crawler fetches; this module reads what was fetched. Three readers, one filter::

    parse_feed(data, url)          RSS 2.0, Atom, RSS 1.0 (feedparser) -> Listing
    parse_sitemap(data, url)       urlset, sitemap index, news sitemap, .xml.gz -> Listing
    parse_section_page(html, url)  <a href> links and rel=next pagination -> Listing
    UrlFilter(...).accept(url)     normalise, http(s) only, allowed hosts, include/exclude

Feed entries keep their title and date as *hints* (a feed date is better than none); news
sitemaps keep ``news:title`` and ``news:publication_date`` the same way.
"""

from __future__ import annotations

import calendar
import io
import re
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from scraper.errors import DiscoverError
from scraper.urls import is_site_root, normalise_url, url_key

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEXT_PAGE_SELECTOR = 'link[rel~="next"][href], a[rel~="next"][href]'
LINK_SELECTOR = "a[href]"
SKIPPED_EXTENSIONS: tuple[str, ...] = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".pdf", ".zip", ".gz",
    ".mp3", ".mp4", ".m4a", ".mov", ".avi", ".css", ".js", ".json", ".xml", ".rss", ".atom",
    ".txt", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".epub",
)
"""Links whose path ends like this are files, not article pages."""
MAX_SITEMAP_BYTES = 50_000_000
"""The sitemap protocol caps an uncompressed sitemap at 50 MB; a .gz is cut off there."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A URL that may be an article, with what the listing said about it."""

    url: str
    title: str | None = None
    published: str | None = None
    """ISO 8601 date from the feed entry or news sitemap, if any."""
    source: str = ""
    """'feed', 'sitemap' or 'page'."""


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


# --- filtering -----------------------------------------------------------------------------


def host_key(url: str) -> str:
    """``host[:port]`` without ``www.``, the port only when it is not the scheme's default."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        return host
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def _allowed_host_key(entry: str) -> str:
    entry = entry.strip().lower()
    return host_key(entry if "://" in entry else f"http://{entry}")


class UrlFilter:
    """Decides which discovered URLs are candidates for one site.

    ``seeds`` are the site's feeds, sitemaps and section pages: their hosts (with or without
    ``www.``) are allowed, plus ``allowed_hosts``. ``include`` patterns: at least one must
    match (if any are given); ``exclude`` patterns: none may match. Patterns are searched in
    the normalised URL.
    """

    def __init__(
        self,
        seeds: Iterable[str],
        *,
        allowed_hosts: Iterable[str] = (),
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ) -> None:
        seeds = list(seeds)
        hosts = [host_key(normalise_url(s)) for s in seeds]
        hosts += [_allowed_host_key(h) for h in allowed_hosts]
        self.hosts: frozenset[str] = frozenset(hosts)
        self.include = [re.compile(p) for p in include]
        self.exclude = [re.compile(p) for p in exclude]
        self._listing_keys = frozenset(url_key(s) for s in seeds)

    def host_allowed(self, url: str) -> bool:
        return host_key(url) in self.hosts

    def why_rejected(self, url: str) -> str | None:
        """None when ``url`` (already normalised) is a candidate, else the reason it is not."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"scheme {parts.scheme or '(none)'!r} is not http(s)"
        if not parts.hostname:
            return "no host"
        if not self.host_allowed(url):
            return f"host {parts.hostname} is not one of the site's hosts"
        if is_site_root(url):
            return "a home page"
        if parts.path.lower().endswith(SKIPPED_EXTENSIONS):
            return "a file, not a page"
        if url_key(url) in self._listing_keys:
            return "one of the site's own feeds or section pages"
        if self.include and not any(p.search(url) for p in self.include):
            return "matches no include pattern"
        for pattern in self.exclude:
            if pattern.search(url):
                return f"matches exclude pattern {pattern.pattern!r}"
        return None

    def accept(self, url: str) -> str | None:
        """The normalised URL if it is a candidate, else None."""
        normalised = normalise_url(url)
        return normalised if self.why_rejected(normalised) is None else None

    def select(self, candidates: Iterable[Candidate]) -> list[Candidate]:
        """Normalise, filter and deduplicate (first occurrence wins, hints merged in)."""
        chosen: dict[str, Candidate] = {}
        for candidate in candidates:
            url = self.accept(candidate.url)
            if url is None:
                continue
            key = url_key(url)
            earlier = chosen.get(key)
            if earlier is None:
                chosen[key] = Candidate(url=url, title=candidate.title,
                                        published=candidate.published, source=candidate.source)
            elif (earlier.published is None and candidate.published) or (
                earlier.title is None and candidate.title
            ):
                # ``source`` says where the hints came from: the date's listing wins.
                dated_later = earlier.published is None and candidate.published is not None
                chosen[key] = Candidate(
                    url=earlier.url, title=earlier.title or candidate.title,
                    published=earlier.published or candidate.published,
                    source=candidate.source if dated_later else earlier.source,
                )
        return list(chosen.values())
