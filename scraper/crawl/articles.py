"""The chosen articles of a site: fetch -> extract (in the worker pool) -> save.

A failure at any step is recorded with its stage (``fetch``, ``blocked``, ``extract``,
``archive``) and
whether it may pass on a later run (``failures.retry``: a network error, a timeout, a 429/5xx,
a wall, a dead worker, a database error), which :mod:`scraper.crawl.plan` reads; the run
goes on. A wall (a challenge as a 403/429/503 answer, or a challenge, consent, login page or
soft 404 the extractor recognised) is stage ``blocked`` and never touches the archive; a site
whose fetches keep meeting walls stops being fetched (``scraper.crawl.blocking``).
"""

from __future__ import annotations

import asyncio

from scraper.archive import Archive
from scraper.archive.similarity import Sketch
from scraper.config import site_fetch
from scraper.crawl.hosts import Hosts
from scraper.crawl.keep import checked, save_page
from scraper.crawl.parse import Candidate
from scraper.crawl.plan import Choice
from scraper.crawl.pool import Extractors, WorkerDied
from scraper.crawl.report import FetchReason
from scraper.crawl.robots import origin
from scraper.crawl.siterun import SiteRun
from scraper.errors import ArchiveError, Blocked, ExtractError, FetchError, NotAnArticle
from scraper.extract.walls import error_page_wall
from scraper.fetch import fetch_page, retry_next_run
from scraper.fetch.render import Renderer
from scraper.models import Article, Hints, Page

COUNTS_EVERY = 25
"""Save a site's counts every this many articles, so a killed run still shows progress."""


class Harvest:
    """Fetch, extract and save a site's chosen articles (the real run's action on a plan)."""

    def __init__(self, hosts: Hosts, extractors: Extractors, archive: Archive, *,
                 renderer: Renderer | None = None) -> None:
        self.hosts = hosts
        self.extractors = extractors
        self.archive = archive
        self.renderer = renderer
        """Loads the article pages of a ``render = true`` site in headless Chromium."""

    async def __call__(self, run: SiteRun, chosen: list[Choice]) -> None:
        """A site gets as many workers as its hosts can serve at once
        (``per_host_concurrency`` per host, ``concurrency`` at most), so a slow host holds
        nothing that other sites need, and the pages in memory between fetch and save stay
        few."""
        if chosen:
            self.extractors.warm_up()
        queue: asyncio.Queue[Choice] = asyncio.Queue()
        for choice in chosen:
            queue.put_nowait(choice)
        settings = site_fetch(self.hosts.settings, run.site)
        origins = {origin(candidate.url) for candidate, _reason in chosen}
        workers = min(len(chosen), settings.concurrency,
                      settings.per_host_concurrency * len(origins))
        done = 0

        async def worker() -> None:
            nonlocal done
            while not queue.empty() and not run.blocked:
                await self.article(run, *queue.get_nowait())
                done += 1
                if done % COUNTS_EVERY == 0:
                    run.save_counts()

        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(worker())

    async def article(self, run: SiteRun, candidate: Candidate, reason: FetchReason) -> None:
        url = candidate.url
        first_try = reason != "retry"  # whether it counts towards "every fetch failed"
        run.attempted += first_try
        if run.blocked:  # the site stopped answering with pages: leave it alone this run
            return
        page = await self._fetch(run, url)
        if page is None:
            return
        run.counts.fetched += 1
        hints = _hints(candidate)
        found = await self._extract(run, url, page, hints)
        if found is None:
            return
        article, sketch = found
        try:
            result = save_page(self.archive, page, article, site=run.site.name,
                               requested_url=url, sketch=sketch, hints=hints)
        except ArchiveError as error:
            run.fail(url, "archive", str(error), retry=True)
            return
        run.succeeded += first_try
        run.counts.count(result.status)
        run.emit("article", url, result.status)

    async def _fetch(self, run: SiteRun, url: str) -> Page | None:
        try:
            if run.site.render and self.renderer is not None:
                renderer, settings = self.renderer, site_fetch(self.hosts.settings, run.site)
                return await self.hosts.request(url, run, lambda _client: renderer.render(
                    url, settings=settings, allow_host=run.url_filter.host_allowed,
                    walls=error_page_wall))
            return await self.hosts.request(url, run, lambda client: fetch_page(
                url, client=client, settings=self.hosts.settings,
                redirect_check=run.redirect_check, walls=error_page_wall))
        except Blocked as error:
            run.fail(url, "blocked", error.reason, error.status, retry=True)
            run.met(error.reason)
            return None
        except FetchError as error:
            run.fail(url, "fetch", error.reason, error.status, retry=retry_next_run(error))
            run.met(None)
            return None

    async def _extract(self, run: SiteRun, url: str, page: Page,
                       hints: Hints) -> tuple[Article, Sketch] | None:
        try:
            article, sketch = await self.extractors.extract(page, hints)
        except ExtractError as error:
            # A dead worker may not be this page's fault: try again next run.
            run.fail(url, "extract", str(error), page.status,
                     retry=isinstance(error, WorkerDied))
            return None
        try:
            checked(page, article)  # what fetch --save keeps, the crawl keeps
        except Blocked as error:  # never archived: the archived copy stays as it was
            run.fail(url, "blocked", error.reason, page.status, retry=True)
            run.met(error.reason)
            return None
        except NotAnArticle as error:  # a listing, a page without article text
            run.met(None)
            run.fail(url, "extract", error.reason, page.status, retry=False)
            return None
        run.met(None)
        return article, sketch


def _hints(candidate: Candidate) -> Hints:
    return Hints(title=candidate.title, published=candidate.published, source=candidate.source)
