"""The chosen articles of a site: fetch -> extract (in the worker pool) -> save.

A failure at any step is recorded with its stage (``fetch``, ``extract``, ``archive``) and
the run goes on. A URL that may fare better next run (a network error, a 429/5xx, a dead
worker, a database error) is left *unsettled*, so its listing is read in full next time.
"""

from __future__ import annotations

import asyncio

from scraper.archive import Archive
from scraper.archive.similarity import Sketch
from scraper.crawl.hosts import Hosts, origin
from scraper.crawl.parse import Candidate
from scraper.crawl.plan import Choice
from scraper.crawl.pool import Extractors, WorkerDied
from scraper.crawl.siterun import SiteRun
from scraper.errors import ArchiveError, ExtractError, FetchError
from scraper.fetch import fetch_page, retry_next_run
from scraper.models import Article, Hints, Page, why_not_an_article
from scraper.urls import url_key

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
        queue: asyncio.Queue[Candidate] = asyncio.Queue()
        for candidate, _reason in chosen:
            queue.put_nowait(candidate)
        settings = self.hosts.settings
        origins = {origin(candidate.url) for candidate, _reason in chosen}
        workers = min(len(chosen), settings.concurrency,
                      settings.per_host_concurrency * len(origins))
        done = 0

        async def worker() -> None:
            nonlocal done
            while not queue.empty():
                await self.article(run, queue.get_nowait())
                done += 1
                if done % COUNTS_EVERY == 0:
                    run.save_counts()

        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(worker())

    async def article(self, run: SiteRun, candidate: Candidate) -> None:
        url = candidate.url
        run.attempted += 1
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
            run.unsettled.add(url_key(url))
            run.fail(url, "archive", str(error))
            return
        run.succeeded += 1
        run.counts.count(result.status)
        run.emit("article", url, result.status)

    async def _fetch(self, run: SiteRun, url: str) -> Page | None:
        try:
            return await self.hosts.request(url, run, lambda client: fetch_page(
                url, client=client, settings=self.hosts.settings,
                redirect_check=run.redirect_check))
        except FetchError as error:
            if retry_next_run(error):
                run.unsettled.add(url_key(url))
            run.fail(url, "fetch", error.reason, error.status)
            return None

    async def _extract(self, run: SiteRun, url: str, page: Page,
                       hints: Hints) -> tuple[Article, Sketch] | None:
        try:
            article, sketch = await self.extractors.extract(page, hints)
            if (reason := why_not_an_article(article)) is not None:
                raise ExtractError(reason)  # a listing, a page without article text
        except ExtractError as error:
            if isinstance(error, WorkerDied):
                run.unsettled.add(url_key(url))  # maybe not this page's fault: try again
            run.fail(url, "extract", str(error), page.status)
            return None
        return article, sketch


def _hints(candidate: Candidate) -> Hints:
    return Hints(title=candidate.title, published=candidate.published, source=candidate.source)
