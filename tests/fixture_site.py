"""A small fictional news site ("The Saltmere Gazette") for crawl tests and the benchmark.

Served for real by :class:`tests.httpserver.FixtureServer` on 127.0.0.1. It has what a news
site has: an RSS 2.0 feed and an Atom feed (both with ETag and Last-Modified, answering
conditional GETs with 304), a sitemap index (which also lists itself) pointing to a gzipped
news sitemap and a plain archive sitemap, a section page with rel=next pagination, robots.txt
with Disallow and (optionally) Crawl-delay, and article pages in four theme markups:

    wordpress  <article class="post"> with <time datetime> and article:published_time meta
    jsonld     a JSON-LD NewsArticle and a <div class="story-body">
    plain      <div id="content">, the date only in visible text
    nodate     no date anywhere, URL /news/<slug>/ (only a feed can date it)

The site changes between runs: ``add_article``, ``edit_article``, ``remove_article``.
Every article text here is made up for these tests.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from tests.httpserver import FixtureServer, Reply, Request

THEMES = ("wordpress", "jsonld", "plain", "nodate")
BASE_DATE = datetime(2024, 3, 4, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Topic:
    title: str
    lead: str
    details: tuple[str, str, str]


TOPICS: tuple[Topic, ...] = (
    Topic("Saltmere ferry timetable changes for the winter",
          "The ferry between Saltmere and the Skerry Islands will run four crossings a day "
          "instead of six from the first week of November, the operator said on Monday.",
          ("The early crossing at ten past six is kept because island pupils rely on it to "
           "reach the secondary school on time.",
           "Freight bookings for the island shop will move to the midday sailing, which the "
           "operator says has spare deck space through the winter months.",
           "Island residents asked for a late return on Fridays and the operator agreed to "
           "trial one until the end of January.")),
    Topic("Quay Street library reopens after roof repairs",
          "The public library on Quay Street opened its doors again on Saturday after eight "
          "months of work on a roof that had leaked into the local history room.",
          ("Staff spent the closure drying and cataloguing parish records, some of which had "
           "not been handled since the library moved into the building.",
           "A new reading corner for children sits where the old photocopier room used to be, "
           "with windows that look out over the harbour wall.",
           "Opening hours are longer on Thursdays, when the library now stays open until "
           "eight in the evening for people who work during the day.")),
    Topic("Fishing cooperative reports a record mackerel season",
          "Boats landing at Saltmere brought in more mackerel this summer than in any year "
          "since the cooperative began keeping its ledgers, its members were told.",
          ("Skippers credited calm weather in July and a shoal that stayed close to the bay "
           "for most of August.",
           "The cooperative plans to spend part of the surplus on a second ice machine so "
           "that catches can be kept cold while they wait for the lorries.",
           "Younger crew members asked for a share of the money to go towards safety training "
           "and the board agreed to set aside a fixed sum each year.")),
    Topic("Council approves a cycle lane along the esplanade",
          "Saltmere town council voted to build a protected cycle lane along the full length "
          "of the esplanade, ending a debate that has run for three summers.",
          ("The lane will take the place of the parking bays on the sea side of the road, "
           "which will move to the old bus depot behind the bandstand.",
           "Traders on the esplanade were split: cafés welcomed the plan, while the two gift "
           "shops said their customers arrive by car.",
           "Work is expected to start after the autumn half term so that the busiest weeks "
           "of the holiday season are not disturbed.")),
    Topic("Students build a weather station on the old lighthouse",
          "Pupils from Saltmere Academy have fixed a weather station to the gallery of the "
          "disused lighthouse on Gull Point, with permission from the harbour trust.",
          ("The station records wind speed, rainfall and air pressure every five minutes and "
           "sends the readings to a page the class maintains.",
           "Their physics teacher said the project began as a lesson on sensors and grew once "
           "the students realised nobody measured the wind at the point itself.",
           "Local sailors have already started checking the readings before they take their "
           "dinghies out beyond the breakwater.")),
    Topic("Storm damage closes the coastal path near Gull Point",
          "A section of the coastal path north of Gull Point is closed after last week's "
          "storm washed away part of the cliff edge and a wooden footbridge.",
          ("Rangers have put up fencing and signs at both ends of the closed stretch and ask "
           "walkers to follow the inland diversion through Fernhollow farm.",
           "Engineers will survey the cliff before deciding whether the path can be rebuilt "
           "on its old line or must move further from the edge.",
           "The footbridge was installed by volunteers fifteen years ago and some of them "
           "have offered to help build its replacement.")),
    Topic("Harbour bakery wins a regional bread award",
          "A small bakery behind the fish market has won the regional prize for its seaweed "
          "sourdough, beating more than forty entries from across the county.",
          ("The baker collects the seaweed herself at low tide and dries it in the back room "
           "above the ovens.",
           "Judges praised the crust and said the loaf tasted of the sea without being salty.",
           "Since the announcement the bakery has sold out by ten each morning and plans to "
           "bake a second batch on weekends.")),
    Topic("Harbour dredging project delayed by a permit dispute",
          "Plans to dredge the inner harbour at Saltmere have stalled while the harbour trust "
          "and the environment agency argue over where the silt should be dumped.",
          ("The trust wants to spread the silt on farmland east of the town, while the agency "
           "has asked for tests to show it carries no old paint residues.",
           "Larger boats can only enter the inner harbour two hours either side of high tide "
           "until the channel is deepened.",
           "The harbour master said a decision before spring would still let the work finish "
           "ahead of next year's regatta.")),
    Topic("Volunteers count seabirds on the northern cliffs",
          "Thirty volunteers spent a weekend counting nesting seabirds along the northern "
          "cliffs, repeating a survey first carried out by the town's naturalist society.",
          ("Kittiwake numbers were lower than in the last count, while guillemots had spread "
           "onto ledges that were empty ten years ago.",
           "The counters worked in pairs with binoculars and tally sheets, starting at dawn "
           "when the birds are most settled.",
           "Their figures will be sent to the national seabird monitoring programme before "
           "the end of the season.")),
    Topic("Tram museum restores a carriage from the 1920s",
          "The Saltmere tram museum has finished restoring a passenger carriage that once ran "
          "on the line between the station and the pier.",
          ("Volunteers rebuilt the wooden seats from photographs and matched the paint to a "
           "fragment found under a later coat of varnish.",
           "The carriage will not carry passengers but visitors can sit inside it on open "
           "days and pull the conductor's bell.",
           "The museum hopes to restore a second carriage if a grant application succeeds.")),
)

FILLER = (
    "Figures released on {weekday} put the cost at {amount} pounds, of which the county is "
    "expected to cover about {share} per cent.",
    "\"We have waited a long time for this,\" said {person}, who has lived on {street} for "
    "{years} years. \"People here will notice the difference straight away.\"",
    "A public meeting is planned at the {venue} on {weekday} evening, where residents can ask "
    "questions and see the plans in detail.",
    "The gazette asked the council how many households would be affected; a spokesperson said "
    "roughly {households} homes were in the area concerned.",
)
PEOPLE = ("Marta Okafor", "Tom Penhallow", "Agnieszka Ross", "Dev Lalani", "Bridget Quayle",
          "Samir Haddad", "Elin Trewin", "Hugo Varga")
STREETS = ("Quay Street", "Rope Walk", "Chapel Terrace", "Ferry Lane", "Mill Row",
           "Lantern Hill", "Cooper's Yard")
VENUES = ("town hall", "lifeboat station", "Methodist hall", "sailing club", "old school")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def article_paragraphs(index: int, topic: Topic, *, edition: int = 0) -> list[str]:
    """A unique body for article ``index`` (numbers and names vary with the index)."""
    values = {
        "weekday": WEEKDAYS[index % len(WEEKDAYS)],
        "amount": f"{(index * 7919) % 900_000 + 40_000:,}",
        "share": 20 + index % 60,
        "person": PEOPLE[index % len(PEOPLE)],
        "street": STREETS[(index // 3) % len(STREETS)],
        "years": 3 + index % 50,
        "venue": VENUES[index % len(VENUES)],
        "households": 120 + (index * 37) % 4000,
    }
    paragraphs = [
        topic.lead,
        topic.details[0],
        FILLER[0].format(**values),
        topic.details[1],
        FILLER[1].format(**values),
        topic.details[2],
        FILLER[2].format(**values),
        FILLER[3].format(**values) + f" The reference number for the scheme is SG-{index:05d}.",
    ]
    if edition:
        paragraphs.insert(2, f"Update: after this story was first published the council "
                             f"confirmed a further change, recorded as correction {edition} "
                             f"to item SG-{index:05d}.")
    return paragraphs


@dataclass
class FixtureArticle:
    index: int
    slug: str
    title: str
    published: datetime
    theme: str
    paragraphs: list[str]
    in_feed: bool = True
    on_section: bool = True
    in_sitemap: bool = True
    removed: bool = False

    @property
    def path(self) -> str:
        if self.theme == "nodate":
            return f"/news/{self.slug}/"
        return f"/{self.published:%Y/%m}/{self.slug}/"


def make_article(index: int, *, theme: str | None = None, edition: int = 0) -> FixtureArticle:
    topic = TOPICS[index % len(TOPICS)]
    suffix = "" if index < len(TOPICS) else f" ({index // len(TOPICS) + 1})"
    title = topic.title + suffix
    slug = "-".join(title.lower().replace("(", "").replace(")", "").replace("'", "").split())
    return FixtureArticle(
        index=index, slug=slug, title=title,
        published=BASE_DATE + timedelta(hours=index * 5),
        theme=theme or THEMES[index % len(THEMES)],
        paragraphs=article_paragraphs(index, topic, edition=edition),
    )


# --- markup ----------------------------------------------------------------------------------

_HEADER = (
    '<header class="masthead"><a class="logo" href="/">The Saltmere Gazette</a>'
    '<nav class="menu"><a href="/category/world/">World</a> <a href="/category/town/">Town</a>'
    ' <a href="/about/">About us</a> <a href="/tag/harbour/">#harbour</a></nav></header>'
)
_FOOTER = ('<footer class="site-footer"><p>The Saltmere Gazette, 4 Rope Walk, Saltmere.</p>'
           '<a href="/contact/">Contact</a> <a href="/privacy/">Privacy</a></footer>')


def _paras(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def render_article(article: FixtureArticle, url: str, related: list[FixtureArticle]) -> str:
    title = html.escape(article.title)
    iso = article.published.isoformat()
    human = f"{article.published.day} {article.published:%B %Y}"
    popular = "".join(f'<li><a href="{r.path}">{html.escape(r.title)}</a></li>' for r in related)
    aside = f'<aside class="sidebar"><h3>Most Popular</h3><ul>{popular}</ul></aside>'
    head = f'<meta charset="utf-8"><title>{title} | The Saltmere Gazette</title>'
    if article.theme == "wordpress":
        head += (f'<link rel="canonical" href="{url}">'
                 f'<meta property="og:title" content="{title}">'
                 f'<meta property="article:published_time" content="{iso}">')
        main = (f'<main id="main"><article class="post type-post"><h1 class="entry-title">{title}'
                f'</h1><div class="entry-meta">By <a rel="author" href="/author/elin-trewin/">'
                f'Elin Trewin</a> · <time class="published" datetime="{iso}">{human}</time></div>'
                f'<div class="entry-content">{_paras(article.paragraphs)}</div>'
                f'<footer class="entry-footer"><a href="/tag/saltmere/" rel="tag">Saltmere</a>'
                f'</footer></article>{aside}</main>')
    elif article.theme == "jsonld":
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
                "datePublished": iso, "author": {"@type": "Person", "name": "Dev Lalani"},
                "mainEntityOfPage": url}
        head += f'<script type="application/ld+json">{json.dumps(data)}</script>'
        main = (f'<div class="page"><div class="story"><h1 class="story-headline">{title}</h1>'
                f'<p class="byline">Dev Lalani, harbour reporter</p>'
                f'<div class="story-body">{_paras(article.paragraphs)}</div></div>{aside}</div>')
    elif article.theme == "plain":
        main = (f'<div id="content"><h2>{title}</h2><p class="dateline">Published {human}</p>'
                f'{_paras(article.paragraphs)}</div>{aside}')
    else:  # nodate
        main = (f'<div class="wrapper"><section class="article-text"><h1>{title}</h1>'
                f'{_paras(article.paragraphs)}</section></div>{aside}')
    return (f'<!DOCTYPE html><html lang="en"><head>{head}</head><body>{_HEADER}{main}{_FOOTER}'
            f'</body></html>')


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
        return self._record(request, Reply(body=body, headers={"Content-Type": "application/xml"}))

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
        return self._record(request, Reply(body=gzip.compress(xml, mtime=0),
                                           headers={"Content-Type": "application/x-gzip"}))

    def _archive_sitemap(self, request: Request) -> Reply:
        urls = "".join(f"<url><loc>{self.url(a.path)}</loc></url>"
                       for a in self._live("in_sitemap"))
        urls += f"<url><loc>{self.url(self.PRIVATE)}</loc></url>"
        body = ('<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
                ).encode()
        return self._record(request, Reply(body=body, headers={"Content-Type": "text/xml"}))

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
                f'</head><body>{_HEADER}<main><h1>World</h1>{links}{extra}'
                f'<a href="/author/dev-lalani/">Dev Lalani</a>'
                f'<a href="mailto:desk@saltmere.example">Tips</a>'
                f'<nav class="pagination">{pager}</nav></main>{_FOOTER}</body></html>').encode()
        return self._record(request, Reply(body=body,
                                           headers={"Content-Type": "text/html; charset=utf-8"}))

    def _private(self, request: Request) -> Reply:
        return Reply(body=b"<html><body><p>Staff only.</p></body></html>",
                     headers={"Content-Type": "text/html"})

    # what the crawler did ---------------------------------------------------------------------

    def requests_for(self, path: str) -> int:
        return sum(1 for p in self.server.paths() if p.split("?")[0] == path)

    def statuses(self, path: str) -> list[int]:
        return [status for p, status in self.responses if p == path]


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
