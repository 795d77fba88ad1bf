"""The scheduled run: discover -> fetch -> extract -> archive, for every configured site.

::

    run_crawl(config, archive_path)
      lock <archive>.lock (a second crawl exits at once)       archive.crawlstate.CrawlLock
      for each site, concurrently:
        feeds, sitemaps, section pages  -- conditional GET -->  discover.parse_*  -> candidates
        robots.txt (once per host), already archived?, max_articles
        fetch page  -- process pool: extract_article -->  Archive.save (this process only)
      runs / run_sites / failures rows                          archive.crawlstate.CrawlState

Politeness is enforced per host across the whole run: at most ``per_host_concurrency``
requests in flight, request starts at least ``per_host_delay`` apart (robots.txt Crawl-delay
wins if larger), and a 429/503 ``Retry-After`` pauses that host only. Each host gets its own
small HTTP client (a large shared pool is slow: httpx #3215).

A listing's ETag/Last-Modified is stored only once every candidate it named has been dealt
with (archived, known, refused by robots, or failed for good); otherwise it is forgotten, so a
run cut short by ``max_articles``, a network failure or ``kill -9`` leaves the next run a full
listing to pick up from, never a 304 that hides the rest.

Nothing here prints: progress goes to the ``on_event`` callback, the result is a ``RunReport``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from protego import Protego

from scraper.archive import Archive
from scraper.archive.crawlstate import CrawlLock, CrawlState, SiteCounts, Validators
from scraper.archive.similarity import Sketch
from scraper.config import Config, FetchSettings, SiteSettings
from scraper.discover import (
    Candidate,
    Listing,
    UrlFilter,
    host_key,
    parse_feed,
    parse_section_page,
    parse_sitemap,
)
from scraper.errors import (
    ArchiveError,
    ConfigError,
    DiscoverError,
    ExtractError,
    FetchError,
    ScraperError,
)
from scraper.fetch import (
    RETRY_STATUSES,
    XML_TYPES,
    HttpClient,
    RedirectCheck,
    fetch_document,
    fetch_page,
    make_client,
    retry_delay,
)
from scraper.models import Article, Hints, Page
from scraper.urls import normalise_url, url_key

T = TypeVar("T")

LISTING_TYPES: frozenset[str] = XML_TYPES | {
    "application/x-rss+xml", "application/feed+xml", "application/xhtml+xml", "text/rss+xml",
}
MAX_SITEMAPS_PER_SITE = 25
"""Child sitemaps read per site per run, newest ``lastmod`` first (indexes can list decades)."""
MAX_SITEMAP_DEPTH = 3
MAX_SECTION_PAGES = 5
"""Pages followed per section seed through rel=next pagination."""
MAX_CRAWL_DELAY = 300.0
"""A robots.txt Crawl-delay above this is capped (a run must end)."""
COUNTS_EVERY = 25
"""Save a site's counts every this many articles, so a killed run still shows progress."""
MAX_ROBOTS_BYTES = 512_000
"""robots.txt is read up to this size and the rest ignored (RFC 9309 §2.5: at least 500 KiB)."""
EXTRACT_TIMEOUT = 60.0
"""Seconds one page may spend in an extraction worker; past that it is a recorded failure and
the worker is killed and replaced (read when the run extracts, so tests can lower it)."""
PLAN_YIELD_EVERY = 500
"""Candidates planned between two yields to the event loop (a feed may list 100,000)."""

EventKind = Literal[
    "run-start", "site-start", "listing", "planned", "article", "retry", "failure",
    "site-done", "run-done",
]
RunStatus = Literal["completed", "failed", "aborted"]
FetchReason = Literal["new", "refresh"]
Choice = tuple["Candidate", FetchReason]


@dataclass(frozen=True, slots=True)
class CrawlEvent:
    """One thing that happened during a run, for progress displays and logs."""

    kind: EventKind
    site: str | None = None
    url: str | None = None
    message: str = ""
    counts: SiteCounts | None = None
    """A snapshot of the site's counts after this event."""


@dataclass(frozen=True, slots=True)
class PlannedFetch:
    """An article a dry run would fetch."""

    site: str
    url: str
    reason: FetchReason
    title: str | None = None
    published: str | None = None


@dataclass(slots=True)
class SiteReport:
    name: str
    counts: SiteCounts = field(default_factory=SiteCounts)
    error: str | None = None
    """Why the site failed entirely (no listing readable, or every article failed)."""


@dataclass(slots=True)
class RunReport:
    run_id: int | None
    status: RunStatus
    elapsed: float
    sites: list[SiteReport]
    planned: list[PlannedFetch] = field(default_factory=list)
    message: str | None = None
    dry_run: bool = False

    @property
    def totals(self) -> SiteCounts:
        total = SiteCounts()
        for site in self.sites:
            total.add(site.counts)
        return total


EventSink = Callable[[CrawlEvent], None]


# --- pure helpers ----------------------------------------------------------------------------


def _is_private_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_unspecified or ip.is_multicast)


Resolver = Callable[[str], Awaitable[list[str]]]
"""host -> the addresses it resolves to (the event loop's getaddrinfo by default)."""


async def _getaddrinfo(host: str) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


def redirect_guard(
    url_filter: UrlFilter, *, allow_private: bool = False, resolve: Resolver = _getaddrinfo
) -> RedirectCheck:
    """Refuse redirects to hosts the site does not allow, and from a public host to a
    private, loopback or link-local address. A seed on such an address is the user's choice,
    so redirects between private addresses stay allowed."""

    refused = "a public host may not redirect to a private, loopback or link-local address"

    async def check(source: str, target: str) -> str | None:
        if not url_filter.host_allowed(target):
            return f"{host_key(target)} is not one of the site's hosts"
        if allow_private or _is_private_host(source):
            return None
        if _is_private_host(target):
            return refused
        host = urlsplit(target).hostname or ""
        if _is_ip_literal(host):
            return None
        return await _resolves_private(host, refused, resolve)  # a name: look where it points

    return check


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def _resolves_private(host: str, refused: str, resolve: Resolver) -> str | None:
    """``refused`` if any address ``host`` resolves to is private, loopback or link-local."""
    try:
        addresses = await resolve(host)
    except OSError:
        return None  # the fetch itself will report the DNS failure
    for address in addresses:
        if _is_private_host(f"http://[{address}]/" if ":" in address else f"http://{address}/"):
            return refused
    return None


def _hints(candidate: Candidate) -> Hints:
    source = candidate.source if candidate.source in ("feed", "sitemap", "page") else "feed"
    return Hints(title=candidate.title, published=candidate.published,
                 source=source)  # type: ignore[arg-type]


def is_transient(error: FetchError) -> bool:
    """Worth trying again next run: no HTTP status (network, timeout), 429 or 5xx."""
    return error.status is None or error.status in RETRY_STATUSES


def _server_trouble(error: FetchError) -> bool:
    """The server answered, with a 429 or a 5xx."""
    return error.status is not None and (error.status == 429 or error.status >= 500)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _due_for_refresh(last_fetched: str | None, refresh_after: float | None) -> bool:
    if refresh_after is None:
        return False
    if not last_fetched:
        return True
    try:
        when = datetime.fromisoformat(last_fetched)
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (datetime.now(UTC) - when).total_seconds() >= refresh_after


def _sitemap_order(lastmod: str | None) -> str:
    return lastmod or ""


def _extract_job(html: str, url: str, hints: Hints) -> tuple[Article, Sketch]:
    """Runs in a worker process: the article and its body's MinHash (so the single writer
    does not pay for it). Any failure comes back as an ``ExtractError`` with a reason."""
    from scraper.extract import extract_article

    try:
        article = extract_article(html, url, hints=hints)
        return article, Sketch.of(article.body)
    except ExtractError:
        raise
    except Exception as exc:  # an extractor bug on one page must not end the run
        raise ExtractError(f"extractor failed: {type(exc).__name__}: {exc}") from None


def _started() -> bool:
    return True


class _WorkerDied(ExtractError):
    """The process pool broke while this page was in it."""


def _die_with_crawler(lifeline: Connection) -> None:
    """Worker initializer: exit when the crawl process dies, even by ``kill -9``.

    A killed crawl must not leave extraction workers behind: they would wait for work
    forever, holding memory and the crawl's stdout/stderr (and, through the forkserver's
    "alive" pipe they inherit, the forkserver too). Only the crawl process holds the write
    end of ``lifeline``; when it dies the kernel closes it and the read here ends.
    """

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            while True:
                lifeline.recv_bytes()
        os._exit(1)

    threading.Thread(target=watch, name="crawler-lifeline", daemon=True).start()


class _ExtractorPool:
    """The extraction processes: one more than ``os.cpu_count()`` (so the crawl process's own
    work — fetching, saving — does not leave a core idle), started from a forkserver
    (never forked from this multi-threaded, event-loop-running process), the extractor
    preloaded, recycled now and then so memory stays flat over long runs.

    Recycling replaces the whole pool after ``RECYCLE_AFTER`` jobs (the retired one finishes
    what it holds, then its workers exit). ``max_tasks_per_child`` is not used: on Python
    3.11-3.13 before the fix of CPython gh-115634 a pool that replaces a worker that reached
    its limit can stop scheduling, and the crawl hangs (seen here on a 1,000-page crawl)."""

    RECYCLE_AFTER = 1000

    def __init__(self, workers: int) -> None:
        context = multiprocessing.get_context("forkserver")
        # Imported once in the forkserver, not in every worker: a new pool starts in ~20 ms.
        context.set_forkserver_preload(["__main__", "scraper.crawl", "scraper.extract"])
        self._lifeline, self._keepalive = context.Pipe(duplex=False)
        self.executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=context,
            initializer=_die_with_crawler, initargs=(self._lifeline,),
        )
        self.killed = False
        self.jobs = 0

    def start(self) -> None:
        """Start the worker processes now (blocking; they would start at the first job)."""
        with contextlib.suppress(RuntimeError, BrokenProcessPool, CancelledError):
            self.executor.submit(_started).result()

    def kill(self) -> None:
        """SIGKILL every worker (a page is stuck in one; which one is not known)."""
        self.killed = True
        for process in list((self.executor._processes or {}).values()):
            process.kill()

    def retire(self) -> None:
        """Take no more jobs; the ones already given are finished, then the workers exit."""
        self.executor.shutdown(wait=False, cancel_futures=False)

    def close(self, *, wait: bool = True) -> None:
        self.executor.shutdown(wait=wait, cancel_futures=True)
        if wait:
            self._keepalive.close()
            self._lifeline.close()


# --- per host politeness ---------------------------------------------------------------------


class _Host:
    """One origin: its client, its concurrency slots, its pacing and its robots.txt."""

    def __init__(self, origin: str, client: HttpClient, settings: FetchSettings) -> None:
        self.origin = origin
        self.client = client
        self.delay = settings.per_host_delay
        self.slots = asyncio.Semaphore(settings.per_host_concurrency)
        self.next_start = 0.0
        self.pacing = asyncio.Lock()
        self.robots: Protego | None = None
        self.robots_checked = False
        self.robots_lock = asyncio.Lock()
        self.skipped: str | None = None
        """Why every request to this host is refused this run (robots.txt 5xx)."""

    def pause(self, seconds: float) -> None:
        """No request to this host starts for ``seconds`` (Retry-After)."""
        loop = asyncio.get_running_loop()
        self.next_start = max(self.next_start, loop.time() + seconds)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self.slots:
            async with self.pacing:
                loop = asyncio.get_running_loop()
                wait = self.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.next_start = loop.time() + self.delay
            yield


# --- one site's run --------------------------------------------------------------------------


@dataclass(slots=True)
class _ListingRead:
    url: str
    kind: Literal["feed", "sitemap", "page"]
    validators: Validators | None = None
    """From a 200 answer; None after a 304 or a failure."""
    keys: set[str] = field(default_factory=set)
    cacheable: bool = True


@dataclass(slots=True)
class _SiteRun:
    site: SiteSettings
    url_filter: UrlFilter
    redirect_check: RedirectCheck
    report: SiteReport
    listings: list[_ListingRead] = field(default_factory=list)
    listing_errors: list[str] = field(default_factory=list)
    listings_read: int = 0
    unsettled: set[str] = field(default_factory=set)
    attempted: int = 0
    succeeded: int = 0

    @property
    def counts(self) -> SiteCounts:
        return self.report.counts


class Crawler:
    """One run over some sites. Use :func:`run_crawl` unless you manage the lock yourself."""

    def __init__(
        self,
        config: Config,
        sites: Sequence[SiteSettings],
        *,
        archive: Archive | None,
        state: CrawlState | None,
        run_id: int | None,
        max_articles: int | None = None,
        dry_run: bool = False,
        on_event: EventSink | None = None,
        workers: int | None = None,
    ) -> None:
        self.settings = config.fetch
        self.sites = list(sites)
        self.archive = archive
        self.state = state
        self.run_id = run_id
        self.max_articles = max_articles
        self.dry_run = dry_run
        self.on_event = on_event
        self.workers = workers or (os.cpu_count() or 1) + 1
        self.hosts: dict[str, _Host] = {}
        self.pool: _ExtractorPool | None = None
        self.planned: list[PlannedFetch] = []
        self.global_slots = asyncio.Semaphore(self.settings.concurrency)

    # events and bookkeeping -----------------------------------------------------------------

    def emit(self, kind: EventKind, run: _SiteRun | None = None, url: str | None = None,
             message: str = "") -> None:
        if self.on_event is None:
            return
        counts = replace(run.counts) if run is not None else None
        self.on_event(CrawlEvent(kind=kind, site=run.site.name if run else None, url=url,
                                 message=message, counts=counts))

    def fail(self, run: _SiteRun, url: str, stage: str, reason: str,
             status: int | None = None) -> None:
        run.counts.failed += 1
        if self.state is not None and self.run_id is not None:
            self.state.record_failure(self.run_id, site=run.site.name, url=url, stage=stage,
                                      reason=reason, status=status)
        self.emit("failure", run, url, f"{stage}: {reason}")

    def save_counts(self, run: _SiteRun) -> None:
        if self.state is not None and self.run_id is not None:
            self.state.save_site_counts(self.run_id, run.site.name, run.counts)

    # HTTP -------------------------------------------------------------------------------------

    def host(self, url: str) -> _Host:
        origin = _origin(url)
        host = self.hosts.get(origin)
        if host is None:
            client = make_client(self.settings, max_connections=self.settings.per_host_concurrency)
            host = self.hosts[origin] = _Host(origin, client, self.settings)
        return host

    async def request(self, url: str, run: _SiteRun,
                      call: Callable[[HttpClient], Awaitable[T]], *, retries: bool = True) -> T:
        """Make one request through the host's slots and pacing, retrying as configured."""
        host = self.host(url)
        attempt = 0
        while True:
            if host.skipped:
                raise FetchError(url, f"host skipped this run: {host.skipped}")
            try:
                async with host.slot(), self.global_slots:
                    return await call(host.client)
            except FetchError as error:
                attempt += 1
                delay = retry_delay(error, attempt, self.settings) if retries else None
                if delay is None:
                    raise
                self.emit("retry", run, url, f"retrying in {delay:.1f}s: {error.reason}")
                if error.retry_after is not None:
                    host.pause(delay)  # the host waits; other hosts go on
                else:
                    await asyncio.sleep(delay)

    async def robots_verdict(self, url: str, run: _SiteRun) -> Literal["allowed", "disallowed",
                                                                        "host-skipped"]:
        if not self.settings.respect_robots:
            return "allowed"
        host = self.host(url)
        async with host.robots_lock:
            if not host.robots_checked:
                await self._load_robots(host, run)
                host.robots_checked = True
        if host.skipped:
            return "host-skipped"
        if host.robots is not None and not host.robots.can_fetch(url, self.settings.user_agent):
            return "disallowed"
        return "allowed"

    async def _load_robots(self, host: _Host, run: _SiteRun) -> None:
        url = f"{host.origin}/robots.txt"
        settings = replace(self.settings, max_bytes=min(self.settings.max_bytes,
                                                        MAX_ROBOTS_BYTES))
        try:
            document = await self.request(
                url, run,
                lambda client: fetch_document(url, client=client, settings=settings,
                                              redirect_check=run.redirect_check, truncate=True),
                retries=False,
            )
        except FetchError as error:
            # The project's policy (README, issue 4): a robots.txt that answers 5xx or 429 means
            # the host is in trouble, so it is skipped this run; one that cannot be reached
            # at all (network error, timeout), a 4xx or an odd content type means no rules.
            if _server_trouble(error):
                host.skipped = (f"robots.txt answered HTTP {error.status}" if error.status
                                else f"robots.txt unreachable ({error.reason})")
                self.fail(run, url, "robots", f"{error.reason}: host skipped this run",
                          error.status)
            return
        host.robots = Protego.parse(document.body.decode("utf-8", "replace"))
        crawl_delay = host.robots.crawl_delay(self.settings.user_agent)
        if crawl_delay is not None and crawl_delay > host.delay:
            host.delay = min(float(crawl_delay), MAX_CRAWL_DELAY)

    # discovery --------------------------------------------------------------------------------

    async def read_listing(self, run: _SiteRun, url: str,
                           kind: Literal["feed", "sitemap", "page"]) -> Listing | None:
        """Fetch and parse one listing; None when unchanged (304), refused or failed."""
        verdict = await self.robots_verdict(url, run)
        if verdict != "allowed":
            reason = ("robots.txt disallows it" if verdict == "disallowed"
                      else f"host skipped this run: {self.host(url).skipped}")
            run.listing_errors.append(f"{url}: {reason}")
            self.fail(run, url, "discover", reason)
            return None
        cached = None if self.dry_run or self.state is None else self.state.validators(url)
        etag = cached.etag if cached else None
        last_modified = cached.last_modified if cached else None
        read = _ListingRead(url=url, kind=kind)
        try:
            if kind == "page":
                page = await self.request(url, run, lambda client: fetch_page(
                    url, client=client, settings=self.settings, etag=etag,
                    last_modified=last_modified, redirect_check=run.redirect_check))
                status, body_url = page.status, page.url
                etag_out, lm_out = page.etag, page.last_modified
                listing = None
                if status != 304:  # parsed off the event loop: a page may hold 100k links
                    listing = await asyncio.to_thread(parse_section_page, page.html, page.url)
            else:
                document = await self.request(url, run, lambda client: fetch_document(
                    url, client=client, settings=self.settings, accept=LISTING_TYPES, etag=etag,
                    last_modified=last_modified, redirect_check=run.redirect_check))
                status, body_url = document.status, document.url
                etag_out, lm_out = document.etag, document.last_modified
                listing = None
                if status != 304:
                    parser = parse_feed if kind == "feed" else parse_sitemap
                    listing = await asyncio.to_thread(parser, document.body, document.url)
        except FetchError as error:
            run.listing_errors.append(f"{url}: {error.reason}")
            self.fail(run, url, "discover", error.reason, error.status)
            return None
        except DiscoverError as error:
            run.listing_errors.append(str(error))
            self.fail(run, url, "discover", str(error))
            return None
        run.listings_read += 1
        if listing is None:
            self.emit("listing", run, url, "unchanged (304)")
            return None
        read.validators = Validators(etag=etag_out, last_modified=lm_out)
        read.cacheable = not listing.sitemaps  # an index is re-read: its children may change
        read.keys = {url_key(u) for c in listing.candidates if (u := run.url_filter.accept(c.url))}
        run.listings.append(read)
        found = len(listing.candidates) or len(listing.sitemaps)
        what = "sitemaps" if listing.sitemaps else "links"
        self.emit("listing", run, body_url, f"{found} {what}")
        return listing

    async def discover(self, run: _SiteRun) -> list[Candidate]:
        site = run.site
        feeds = await asyncio.gather(*(self.read_listing(run, u, "feed") for u in site.feeds))
        sitemaps = await self._read_sitemaps(run)
        pages = await asyncio.gather(*(self._read_section(run, u) for u in site.pages))
        found: list[Candidate] = []
        for listing in feeds:
            if listing is not None:
                found += listing.candidates
        for candidates in [*sitemaps, *pages]:
            found += candidates
        return run.url_filter.select(found)

    async def _read_sitemaps(self, run: _SiteRun) -> list[list[Candidate]]:
        seen: set[str] = set()
        level = [normalise_url(u) for u in run.site.sitemaps]
        results: list[list[Candidate]] = []
        budget = MAX_SITEMAPS_PER_SITE
        for _depth in range(MAX_SITEMAP_DEPTH):
            level = [u for u in dict.fromkeys(level) if url_key(u) not in seen][:budget]
            if not level:
                break
            budget -= len(level)
            seen.update(url_key(u) for u in level)
            listings = await asyncio.gather(*(self.read_listing(run, u, "sitemap") for u in level))
            children = []
            for listing in listings:
                if listing is None:
                    continue
                results.append(listing.candidates)
                refs = sorted(listing.sitemaps, key=lambda r: _sitemap_order(r.lastmod),
                              reverse=True)
                children += [normalise_url(r.url) for r in refs
                             if run.url_filter.host_allowed(normalise_url(r.url))]
            level = children
        return results

    async def _read_section(self, run: _SiteRun, url: str) -> list[Candidate]:
        candidates: list[Candidate] = []
        seen: set[str] = set()
        next_url: str | None = normalise_url(url)
        for _page in range(MAX_SECTION_PAGES):
            if next_url is None or url_key(next_url) in seen:
                break
            seen.add(url_key(next_url))
            listing = await self.read_listing(run, next_url, "page")
            if listing is None:
                break
            candidates += listing.candidates
            next_url = next((normalise_url(u) for u in listing.next_pages
                             if run.url_filter.host_allowed(normalise_url(u))), None)
        return candidates

    # planning ---------------------------------------------------------------------------------

    async def plan(self, run: _SiteRun, candidates: list[Candidate]) -> list[Choice]:
        """Which candidates to fetch: allowed by robots, not archived (or due), capped."""
        fresh: list[Choice] = []
        refresh: list[Choice] = []
        for number, candidate in enumerate(candidates, 1):
            if number % PLAN_YIELD_EVERY == 0:
                await asyncio.sleep(0)  # let other sites' requests go on
            verdict = await self.robots_verdict(candidate.url, run)
            if verdict == "disallowed":
                run.counts.skipped_robots += 1
                continue
            if verdict == "host-skipped":
                run.unsettled.add(url_key(candidate.url))
                continue
            article_id = self.archive.find_article_id(candidate.url) if self.archive else None
            if article_id is None:
                fresh.append((candidate, "new"))
                continue
            last = self.state.last_fetched(article_id) if self.state else None
            if _due_for_refresh(last, run.site.refresh_after):
                refresh.append((candidate, "refresh"))
        cap = run.site.max_articles if self.max_articles is None else self.max_articles
        chosen = (fresh + refresh)[:cap]
        for candidate, _reason in (fresh + refresh)[cap:]:
            run.unsettled.add(url_key(candidate.url))
        return chosen

    # articles ---------------------------------------------------------------------------------

    async def extract(self, page: Page, hints: Hints) -> tuple[Article, Sketch]:
        """Extract in the process pool, within ``EXTRACT_TIMEOUT`` seconds.

        A page over the limit is killed with its pool (the only way to stop a busy worker);
        the other pages in flight in that pool are then sent to its replacement.
        """
        loop = asyncio.get_running_loop()
        limit = EXTRACT_TIMEOUT
        for _attempt in range(3):
            if self.pool is None:
                self.pool = _ExtractorPool(self.workers)
            pool = self.pool
            job = loop.run_in_executor(pool.executor, _extract_job, page.html, page.url, hints)
            pool.jobs += 1
            if pool.jobs >= pool.RECYCLE_AFTER and self.pool is pool:
                pool.retire()  # fresh workers from the next page on: memory stays flat
                self.pool = None
            try:
                return await asyncio.wait_for(job, limit)
            except TimeoutError as exc:
                self._replace_pool(pool, kill=True)
                raise ExtractError(f"extraction took longer than {limit:g} s") from exc
            except BrokenProcessPool as exc:
                self._replace_pool(pool)
                if not pool.killed:
                    raise _WorkerDied("an extraction worker died (out of memory?)") from exc
        raise _WorkerDied("extraction workers kept being replaced")

    def _replace_pool(self, pool: _ExtractorPool, *, kill: bool = False) -> None:
        """The first to notice a broken (or too slow) pool replaces it for everyone."""
        if kill:
            pool.kill()
        if self.pool is pool:
            pool.close(wait=False)
            self.pool = None

    async def article(self, run: _SiteRun, candidate: Candidate) -> None:
        url = candidate.url
        key = url_key(url)
        run.attempted += 1
        try:
            page = await self.request(url, run, lambda client: fetch_page(
                url, client=client, settings=self.settings, redirect_check=run.redirect_check))
        except FetchError as error:
            if is_transient(error):
                run.unsettled.add(key)
            self.fail(run, url, "fetch", error.reason, error.status)
            return
        run.counts.fetched += 1
        try:
            article, sketch = await self.extract(page, _hints(candidate))
            if not article.body.strip():
                raise ExtractError("no article text found on the page")
        except ExtractError as error:
            if isinstance(error, _WorkerDied):
                run.unsettled.add(key)  # maybe not this page's fault: try again next run
            self.fail(run, url, "extract", str(error), page.status)
            return
        assert self.archive is not None
        try:
            result = self.archive.save(article, site=run.site.name, requested_url=url,
                                       fetched_at=page.fetched_at, sketch=sketch)
        except ArchiveError as error:
            run.unsettled.add(key)
            self.fail(run, url, "archive", str(error))
            return
        run.succeeded += 1
        setattr(run.counts, result.status, getattr(run.counts, result.status) + 1)
        self.emit("article", run, url, result.status)

    async def fetch_articles(self, run: _SiteRun, chosen: list[Choice]) -> None:
        """Fetch, extract and save the chosen articles.

        A site gets as many workers as its hosts can serve at once (``per_host_concurrency``
        per host, ``concurrency`` at most), so a slow host holds nothing that other sites
        need, and the pages in memory between fetch and save stay few.
        """
        if chosen and self.pool is None:
            # Starting the workers (forkserver, imports) takes about a second: do it in a
            # thread while the first pages download, not on the event loop at the first job.
            self.pool = _ExtractorPool(self.workers)
            asyncio.get_running_loop().run_in_executor(None, self.pool.start)
        queue: asyncio.Queue[Candidate] = asyncio.Queue()
        for candidate, _reason in chosen:
            queue.put_nowait(candidate)
        origins = {_origin(candidate.url) for candidate, _reason in chosen}
        workers = min(len(chosen), self.settings.concurrency,
                      self.settings.per_host_concurrency * len(origins))
        done = 0

        async def worker() -> None:
            nonlocal done
            while not queue.empty():
                await self.article(run, queue.get_nowait())
                done += 1
                if done % COUNTS_EVERY == 0:
                    self.save_counts(run)

        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(worker())

    # the site ---------------------------------------------------------------------------------

    def _site_run(self, site: SiteSettings) -> _SiteRun:
        seeds = [*site.feeds, *site.sitemaps, *site.pages]
        url_filter = UrlFilter(seeds, allowed_hosts=site.allowed_hosts, include=site.include,
                               exclude=site.exclude)
        guard = redirect_guard(url_filter, allow_private=site.allow_private_redirects)
        return _SiteRun(site=site, url_filter=url_filter, redirect_check=guard,
                        report=SiteReport(name=site.name))

    async def crawl_site(self, site: SiteSettings) -> SiteReport:
        run = self._site_run(site)
        self.save_counts(run)
        self.emit("site-start", run)
        try:
            candidates = await self.discover(run)
            run.counts.discovered = len(candidates)
            chosen = await self.plan(run, candidates)
            if self.dry_run:
                for candidate, reason in chosen:
                    self.planned.append(PlannedFetch(
                        site=site.name, url=candidate.url, reason=reason,
                        title=candidate.title, published=candidate.published))
                    self.emit("planned", run, candidate.url, reason)
            else:
                await self.fetch_articles(run, chosen)
                self._update_http_cache(run)
        finally:
            self.save_counts(run)  # also when the run is stopped: the counts so far
        if run.listings_read == 0 and (run.listing_errors or not self._has_seeds(site)):
            first = run.listing_errors[0] if run.listing_errors else "the site has no seeds"
            run.report.error = f"no feed, sitemap or section page could be read ({first})"
        elif run.attempted and not run.succeeded:
            run.report.error = f"all {run.attempted} article fetches failed"
        self.emit("site-done", run, message=run.report.error or "")
        return run.report

    @staticmethod
    def _has_seeds(site: SiteSettings) -> bool:
        return bool(site.feeds or site.sitemaps or site.pages)

    def _update_http_cache(self, run: _SiteRun) -> None:
        if self.state is None:
            return
        for read in run.listings:
            if read.validators is None:
                continue
            if read.cacheable and not (read.keys & run.unsettled):
                self.state.store_validators(read.url, read.validators)
            else:
                self.state.forget_validators(read.url)

    async def run(self) -> list[SiteReport]:
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(self.crawl_site(site)) for site in self.sites]
            return [task.result() for task in tasks]
        finally:
            for host in self.hosts.values():
                await host.client.aclose()
            if self.pool is not None:
                self.pool.close()
                self.pool = None


# --- the run ---------------------------------------------------------------------------------


def select_sites(config: Config, names: Sequence[str] | None) -> list[SiteSettings]:
    """The configured sites, or the named ones (an unknown name is a ``ConfigError``)."""
    if names:
        return [config.site(name) for name in dict.fromkeys(names)]
    if not config.sites:
        raise ConfigError("no [[sites]] to crawl", path=config.path, key="sites")
    return list(config.sites)


async def _run_cancellable(crawler: Crawler) -> list[SiteReport]:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    handled = False
    if task is not None:
        with contextlib.suppress(ValueError, NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGTERM, task.cancel)  # systemd stop, timeout(1)
            handled = True
    try:
        return await crawler.run()
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGTERM)


def run_crawl(
    config: Config,
    archive_path: str | Path,
    *,
    sites: Sequence[str] | None = None,
    max_articles: int | None = None,
    dry_run: bool = False,
    on_event: EventSink | None = None,
    workers: int | None = None,
) -> RunReport:
    """Crawl the configured (or named) sites into the archive at ``archive_path``.

    Raises ``ArchiveLockedError`` at once if another crawl holds the archive, ``ConfigError``
    for an unknown site. URL failures are recorded and reported, never raised.
    """
    chosen = select_sites(config, sites)
    started = time.monotonic()
    if dry_run:
        return _dry_run(config, chosen, archive_path, max_articles, on_event, started)
    with CrawlLock(archive_path), Archive(archive_path) as archive:
        # WAL + NORMAL: a crash or kill -9 loses nothing committed; only power loss could.
        archive.db.execute("PRAGMA synchronous = NORMAL")
        state = CrawlState(archive.db, path=str(archive_path))
        run_id = state.start_run(config_path=config.path)
        crawler = Crawler(config, chosen, archive=archive, state=state, run_id=run_id,
                          max_articles=max_articles, on_event=on_event, workers=workers)
        if on_event is not None:
            on_event(CrawlEvent("run-start", message=f"run {run_id}"))
        try:
            reports = asyncio.run(_run_cancellable(crawler))
        except asyncio.CancelledError as exc:
            state.finish_run(run_id, status="aborted", message="stopped by SIGTERM")
            raise ScraperError(f"crawl run {run_id} stopped by SIGTERM") from exc
        except BaseException as exc:
            state.finish_run(run_id, status="aborted",
                             message=f"{type(exc).__name__}: {exc}"[:500])
            raise
        failed = [r for r in reports if r.error]
        status: RunStatus = "failed" if failed else "completed"
        message = "; ".join(f"{r.name}: {r.error}" for r in failed) or None
        state.finish_run(run_id, status=status, message=message)
    report = RunReport(run_id=run_id, status=status, elapsed=time.monotonic() - started,
                       sites=reports, message=message)
    if on_event is not None:
        on_event(CrawlEvent("run-done", message=status))
    return report


def _dry_run(config: Config, sites: list[SiteSettings], archive_path: str | Path,
             max_articles: int | None, on_event: EventSink | None, started: float) -> RunReport:
    archive = Archive(archive_path) if Path(archive_path).is_file() else None
    try:
        state = CrawlState(archive.db, path=str(archive_path)) if archive else None
        crawler = Crawler(config, sites, archive=archive, state=state, run_id=None,
                          max_articles=max_articles, dry_run=True, on_event=on_event)
        reports = asyncio.run(_run_cancellable(crawler))
    finally:
        if archive is not None:
            archive.close()
    failed = [r for r in reports if r.error]
    return RunReport(
        run_id=None, status="failed" if failed else "completed",
        elapsed=time.monotonic() - started, sites=reports, planned=crawler.planned,
        message="; ".join(f"{r.name}: {r.error}" for r in failed) or None, dry_run=True,
    )
