"""A small fictional news site ("The Saltmere Gazette") for crawl tests and the benchmark.

Served for real by :class:`tests.httpserver.FixtureServer` on 127.0.0.1. It has what a news
site has: an RSS 2.0 feed and an Atom feed (both with ETag and Last-Modified, answering
conditional GETs with 304, as every listing here does), a sitemap index (which also lists
itself) pointing to a gzipped news sitemap and a plain archive sitemap, a section page with
rel=next pagination, robots.txt with Disallow and (optionally) Crawl-delay, and article pages
in four theme markups:

    wordpress  <article class="post"> with <time datetime> and article:published_time meta
    jsonld     a JSON-LD NewsArticle and a <div class="story-body">
    plain      <div id="content">, the date only in visible text
    nodate     no date anywhere, URL /news/<slug>/ (only a feed can date it)

The site changes between runs: ``add_article``, ``edit_article``, ``remove_article``.
The articles themselves (text and markup) are :mod:`tests.fixture_articles`.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from tests.fixture_articles import (
    BASE_DATE,
    FOOTER,
    HEADER,
    TOPICS,
    FixtureArticle,
    article_paragraphs,
    make_article,
    render_article,
)
from tests.httpserver import FixtureServer, Reply, Request

__all__ = ["TOPICS", "FixtureArticle", "NewsSite", "make_article", "render_article",
           "site_config"]


def _http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


class NewsSite:
    """The fixture site. ``with NewsSite() as site:`` serves it; mutate it between runs."""

    FEED = "/feed/"
    ATOM = "/atom.xml"
    SITEMAP_INDEX = "/sitemap_index.xml"
    NEWS_SITEMAP = "/sitemap-news.xml.gz"
    ARCHIVE_SITEMAP = "/sitemap-archive.xml"
    SECTION = "/category/world/"
    SECTION_PAGE_2 = "/category/world/page/2/"
    PRIVATE = "/private/staff-rota-for-the-print-room/"
    PER_SECTION_PAGE = 4

    def __init__(self, *, articles: int = 8, first_index: int = 0, crawl_delay: float | None = None,
                 article_delay: float = 0.0, outsider: str | None = None) -> None:
        self.server = FixtureServer()
        self.articles: list[FixtureArticle] = []
        self.crawl_delay = crawl_delay
        self.article_delay = article_delay
        self.outsider = outsider
        """A URL on another host, linked from the section page (must never be followed)."""
        self.robots_status = 200
        self.redirects: dict[str, str] = {}
        self.failures: dict[str, list[Reply]] = {}
        """Replies to give (once each, in order) before a path answers normally."""
        self.responses: list[tuple[str, int]] = []
        """(path, status) for every feed, sitemap and robots answer."""
        self._lock = threading.Lock()
        for index in range(first_index, first_index + articles):
            self.add_article(index)
        for path in (self.FEED, self.ATOM):
            self.server.route(path, self._feed)
        self.server.route("/robots.txt", self._robots)
        self.server.route(self.SITEMAP_INDEX, self._sitemap_index)
        self.server.route(self.NEWS_SITEMAP, self._news_sitemap)
        self.server.route(self.ARCHIVE_SITEMAP, self._archive_sitemap)
        self.server.route(self.SECTION, self._section)
        self.server.route(self.SECTION_PAGE_2, self._section)
        self.server.route(self.PRIVATE, self._private)

    # lifecycle --------------------------------------------------------------------------------

    def __enter__(self) -> NewsSite:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    def url(self, path: str = "/") -> str:
        return self.server.url(path)

    # changes between runs ---------------------------------------------------------------------

    def add_article(self, index: int, *, theme: str | None = None) -> FixtureArticle:
        article = make_article(index, theme=theme)
        with self._lock:
            self.articles.insert(0, article)  # newest first
        self.server.route(article.path, self._article_route(article.path))
        return article

    def edit_article(self, article: FixtureArticle, edition: int = 1) -> None:
        article.paragraphs = article_paragraphs(article.index, TOPICS[article.index % len(TOPICS)],
                                                edition=edition)

    def remove_article(self, article: FixtureArticle, *, keep_in_sitemap: bool = True) -> None:
        article.removed = True
        article.in_feed = article.on_section = False
        article.in_sitemap = keep_in_sitemap

    def fail_next(self, path: str, *replies: Reply) -> None:
        self.failures.setdefault(path, []).extend(replies)

    def article_by_path(self, path: str) -> FixtureArticle:
        return next(a for a in self.articles if a.path == path)

    # answers ----------------------------------------------------------------------------------

    def _queued_failure(self, path: str) -> Reply | None:
        with self._lock:
            queue = self.failures.get(path)
            return queue.pop(0) if queue else None

    def _live(self, attribute: str) -> list[FixtureArticle]:
        """Articles listed in the feeds, section or sitemaps (a sitemap may list removed ones)."""
        with self._lock:
            articles = list(self.articles)
        if attribute == "in_sitemap":
            return [a for a in articles if a.in_sitemap]
        return [a for a in articles if getattr(a, attribute) and not a.removed]

    def _article_route(self, path: str) -> Callable[[Request], Reply]:
        def answer(request: Request) -> Reply:
            failure = self._queued_failure(path)
            if failure is not None:
                return failure
            if path in self.redirects:
                return Reply(status=301, headers={"Location": self.redirects[path]})
            article = self.article_by_path(path)
            if article.removed:
                return Reply(status=404, body=b"<html><body>Gone</body></html>",
                             headers={"Content-Type": "text/html"})
            related = [a for a in self.articles if a is not article and not a.removed][:3]
            body = render_article(article, self.url(path), related).encode()
            return Reply(body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                         delay=self.article_delay)

        return answer

    def _conditional(self, request: Request, body: bytes, content_type: str,
                     modified: datetime) -> Reply:
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": _http_date(modified)}
        if request.headers.get("if-none-match") == etag:
            return Reply(status=304, headers=headers)
        since = request.headers.get("if-modified-since")
        if since and "if-none-match" not in request.headers:
            try:
                if parsedate_to_datetime(since) >= modified.replace(microsecond=0):
                    return Reply(status=304, headers=headers)
            except (TypeError, ValueError):
                pass
        return Reply(body=body, headers={"Content-Type": content_type, **headers})

    def _record(self, request: Request, reply: Reply) -> Reply:
        with self._lock:
            self.responses.append((request.path, reply.status))
        return reply

    def _feed(self, request: Request) -> Reply:
        failure = self._queued_failure(request.path)
        if failure is not None:
            return self._record(request, failure)
        entries = self._live("in_feed")
        newest = max((a.published for a in entries), default=BASE_DATE)
        if request.path == self.ATOM:
            body, kind = self._atom(entries, newest), "application/atom+xml"
        else:
            body, kind = self._rss(entries, newest), "application/rss+xml; charset=utf-8"
        return self._record(request, self._conditional(request, body, kind, newest))

    def _rss(self, entries: list[FixtureArticle], newest: datetime) -> bytes:
        items = "".join(
            f"<item><title>{html.escape(a.title)}</title><link>{self.url(a.path)}</link>"
            f"<guid isPermaLink=\"true\">{self.url(a.path)}?utm_source=rss</guid>"
            f"<pubDate>{_http_date(a.published)}</pubDate>"
            f"<description>{html.escape(a.paragraphs[0])}</description></item>"
            for a in entries
        )
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>The Saltmere Gazette</title><link>{self.url('/')}</link>"
                f"<lastBuildDate>{_http_date(newest)}</lastBuildDate>{items}</channel></rss>"
                ).encode()

    def _atom(self, entries: list[FixtureArticle], newest: datetime) -> bytes:
        items = "".join(
            f'<entry><title>{html.escape(a.title)}</title><link rel="alternate" href="{a.path}"/>'
            f"<id>tag:saltmere,2024:{a.slug}</id><updated>{a.published.isoformat()}</updated>"
            f"<published>{a.published.isoformat()}</published></entry>"
            for a in entries
        )
        return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
                f' xml:base="{self.url("/")}"><title>The Saltmere Gazette</title>'
                f"<id>tag:saltmere,2024:feed</id><updated>{newest.isoformat()}</updated>{items}"
                f"</feed>").encode()

    def _robots(self, request: Request) -> Reply:
        if self.robots_status != 200:
            return self._record(request, Reply(status=self.robots_status, body=b"unavailable"))
        lines = ["User-agent: *", "Disallow: /private/", "Disallow: /search"]
        if self.crawl_delay is not None:
            lines.append(f"Crawl-delay: {self.crawl_delay}")
        lines.append(f"Sitemap: {self.url(self.SITEMAP_INDEX)}")
        body = ("\n".join(lines) + "\n").encode()
        return self._record(request, Reply(body=body, headers={"Content-Type": "text/plain"}))

    def _sitemap_index(self, request: Request) -> Reply:
        refs = (self.NEWS_SITEMAP, self.ARCHIVE_SITEMAP, self.SITEMAP_INDEX)  # lists itself
        body = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>{self.url(r)}</loc><lastmod>2024-05-01</lastmod>"
                          "</sitemap>" for r in refs)
                + "</sitemapindex>").encode()
        return self._record(request, self._conditional(request, body, "application/xml",
                                                       BASE_DATE))

    def _news_sitemap(self, request: Request) -> Reply:
        urls = "".join(
            f"<url><loc>{self.url(a.path)}</loc><news:news><news:publication>"
            f"<news:name>The Saltmere Gazette</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{a.published.isoformat()}"
            f"</news:publication_date><news:title>{html.escape(a.title)}</news:title>"
            f"</news:news></url>"
            for a in self._live("in_sitemap")[:6]
        )
        xml = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
               ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
               f"{urls}</urlset>").encode()
        return self._record(request, self._conditional(request, gzip.compress(xml, mtime=0),
                                                       "application/x-gzip", BASE_DATE))

    def _archive_sitemap(self, request: Request) -> Reply:
        urls = "".join(f"<url><loc>{self.url(a.path)}</loc></url>"
                       for a in self._live("in_sitemap"))
        urls += f"<url><loc>{self.url(self.PRIVATE)}</loc></url>"
        body = ('<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
                ).encode()
        return self._record(request, self._conditional(request, body, "text/xml", BASE_DATE))

    def _section(self, request: Request) -> Reply:
        listed = self._live("on_section")
        first = request.path == self.SECTION
        chunk = listed[: self.PER_SECTION_PAGE] if first else listed[self.PER_SECTION_PAGE:]
        links = "".join(
            f'<div class="teaser"><h3><a href="{a.path}?utm_medium=section#top">'
            f"{html.escape(a.title)}</a></h3><a class=\"more\" href=\"{a.path}\">Read more</a>"
            f"</div>"
            for a in chunk
        )
        extra = f'<a href="{self.PRIVATE}">Staff notices</a>'
        if self.outsider:
            extra += f'<a href="{self.outsider}">Our partner paper</a>'
        pager = (f'<a rel="next" href="{self.SECTION_PAGE_2}">Older stories</a>' if first
                 else f'<a rel="prev" href="{self.SECTION}">Newer stories</a>')
        body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>World</title>'
                f'</head><body>{HEADER}<main><h1>World</h1>{links}{extra}'
                f'<a href="/author/dev-lalani/">Dev Lalani</a>'
                f'<a href="mailto:desk@saltmere.example">Tips</a>'
                f'<nav class="pagination">{pager}</nav></main>{FOOTER}</body></html>').encode()
        return self._record(request, self._conditional(request, body, "text/html; charset=utf-8",
                                                       BASE_DATE))

    def _private(self, request: Request) -> Reply:
        return Reply(body=b"<html><body><p>Staff only.</p></body></html>",
                     headers={"Content-Type": "text/html"})

    # what the crawler did ---------------------------------------------------------------------

    def requests_for(self, path: str) -> int:
        return sum(1 for p in self.server.paths() if p.split("?")[0] == path)

    def statuses(self, path: str) -> list[int]:
        return [status for p, status in self.responses if p == path]

    def conditional(self, path: str) -> list[bool]:
        """For each request of ``path``: did it carry a validator (a conditional GET)?"""
        return [bool({"if-none-match", "if-modified-since"} & set(r.headers))
                for r in self.server.requests if r.path == path]


def site_config(sites: list[tuple[str, NewsSite]], *, extra_site: str = "",
                per_host_concurrency: int = 2, per_host_delay: float = 0.0,
                refresh_after: str | None = None, archive: str = "archive.db") -> str:
    """A config.toml for these fixture sites: feeds, sitemap index and section page."""
    parts = [
        f'[archive]\npath = "{archive}"\n',
        "[fetch]\n"
        'user_agent = "scraper-tests/1.0 (+https://example.invalid/tests)"\n'
        "timeout = 5.0\nconcurrency = 8\n"
        f"per_host_concurrency = {per_host_concurrency}\nper_host_delay = {per_host_delay}\n"
        "retries = 2\nbackoff = 0.05\n",
    ]
    for name, site in sites:
        refresh = f'refresh_after = "{refresh_after}"\n' if refresh_after else ""
        parts.append(
            "[[sites]]\n"
            f'name = "{name}"\n'
            f'feeds = ["{site.url(site.FEED)}", "{site.url(site.ATOM)}"]\n'
            f'sitemaps = ["{site.url(site.SITEMAP_INDEX)}"]\n'
            f'pages = ["{site.url(site.SECTION)}"]\n'
            "include = ['/\\d{4}/\\d{2}/[a-z0-9-]+/$', '/news/[a-z0-9-]+/$', '/private/']\n"
            "exclude = ['/tag/', '/author/', '/page/\\d+']\n"
            f"max_articles = 100\n{refresh}"
        )
    if extra_site:
        parts.append(extra_site)
    return "\n".join(parts)
