"""The chosen articles of a site: fetch -> extract (in the worker pool) -> save.

A failure at any step is recorded with its stage (``fetch``, ``extract``, ``archive``) and
whether it may pass on a later run (``failures.retry``: a network error, a timeout, a 429/5xx,
a dead worker, a database error), which :mod:`scraper.crawl.plan` reads; the run goes on.
"""

from __future__ import annotations

import asyncio

from scraper.archive import Archive
from scraper.archive.similarity import Sketch
from scraper.crawl.hosts import Hosts
from scraper.crawl.parse import Candidate
from scraper.crawl.plan import Choice
from scraper.crawl.pool import Extractors, WorkerDied
from scraper.crawl.report import FetchReason
from scraper.crawl.robots import origin
from scraper.crawl.siterun import SiteRun
from scraper.errors import ArchiveError, ExtractError, FetchError
from scraper.fetch import fetch_page, retry_next_run
from scraper.models import Article, Hints, Page, why_not_an_article

COUNTS_EVERY = 25
"""Save a site's counts every this many articles, so a killed run still shows progress."""


class Harvest:
    """Fetch, extract and save a site's chosen articles (the real run's action on a plan)."""

    def __init__(self, hosts: Hosts, extractors: Extractors, archive: Archive) -> None:
        self.hosts = hosts
        self.extractors = extractors
        self.archive = archive

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
        settings = self.hosts.settings
        origins = {origin(candidate.url) for candidate, _reason in chosen}
        workers = min(len(chosen), settings.concurrency,
                      settings.per_host_concurrency * len(origins))
        done = 0

        async def worker() -> None:
            nonlocal done
            while not queue.empty():
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
        page = await self._fetch(run, url)
        if page is None:
            return
        run.counts.fetched += 1
        found = await self._extract(run, url, page, _hints(candidate))
        if found is None:
            return
        article, sketch = found
        try:
            result = self.archive.save(article, site=run.site.name, requested_url=url,
                                       fetched_at=page.fetched_at, sketch=sketch)
        except ArchiveError as error:
            run.fail(url, "archive", str(error), retry=True)
            return
        run.succeeded += first_try
        run.counts.count(result.status)
        run.emit("article", url, result.status)

    async def _fetch(self, run: SiteRun, url: str) -> Page | None:
        try:
            return await self.hosts.request(url, run, lambda client: fetch_page(
                url, client=client, settings=self.hosts.settings,
                redirect_check=run.redirect_check))
        except FetchError as error:
            run.fail(url, "fetch", error.reason, error.status, retry=retry_next_run(error))
            return None

    async def _extract(self, run: SiteRun, url: str, page: Page,
                       hints: Hints) -> tuple[Article, Sketch] | None:
        try:
            article, sketch = await self.extractors.extract(page, hints)
            if (reason := why_not_an_article(article)) is not None:
                raise ExtractError(reason)  # a listing, a page without article text
        except ExtractError as error:
            # A dead worker may not be this page's fault: try again next run.
            run.fail(url, "extract", str(error), page.status,
                     retry=isinstance(error, WorkerDied))
            return None
        return article, sketch


def _hints(candidate: Candidate) -> Hints:
    return Hints(title=candidate.title, published=candidate.published, source=candidate.source)
