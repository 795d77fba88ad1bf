"""The run: the lock, the archive, every site at once, SIGTERM, and the ``runs`` row.

::

    run_crawl(config, archive_path)
      lock <archive>.lock (a second crawl exits at once)       archive.crawlstate.CrawlLock
      runs row 'running'                                       ledger.RunLedger
      every site concurrently (site.SiteCrawl), sharing the hosts and the extraction pool
      runs row 'completed' / 'failed' / 'aborted' (SIGTERM, an error)

A dry run takes no lock and writes nothing: the same sites, listings and plan, with a
``NullLedger`` and the plan listed instead of fetched. It reads an existing archive as the
real run would: what is archived, what failed, and the cached listings whose validators it
sends, so it gets the same 304s and plans the same fetches.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from scraper.archive import Archive
from scraper.archive.crawlstate import CrawlLock, CrawlState
from scraper.config import Config, FetchSettings, SiteSettings
from scraper.crawl.articles import Harvest
from scraper.crawl.hosts import Hosts
from scraper.crawl.ledger import Ledger, NullLedger, RunLedger
from scraper.crawl.plan import History, NoHistory
from scraper.crawl.pool import Extractors, PoolSettings
from scraper.crawl.report import EventSink, RunReport, SiteReport, outcome
from scraper.crawl.site import Action, ListPlanned, SiteCrawl
from scraper.errors import ConfigError, ScraperError

T = TypeVar("T")

DEFAULT_POOL = PoolSettings()


def select_sites(config: Config, names: Sequence[str] | None) -> list[SiteSettings]:
    """The configured sites, or the named ones (an unknown name is a ``ConfigError``)."""
    if names:
        return [config.site(name) for name in dict.fromkeys(names)]
    if not config.sites:
        raise ConfigError("no [[sites]] to crawl", path=config.path, key="sites")
    return list(config.sites)


def run_crawl(
    config: Config,
    archive_path: str | Path,
    *,
    sites: Sequence[str] | None = None,
    max_articles: int | None = None,
    dry_run: bool = False,
    on_event: EventSink | None = None,
    pool: PoolSettings = DEFAULT_POOL,
) -> RunReport:
    """Crawl the configured (or named) sites into the archive at ``archive_path``.

    Raises ``ArchiveLockedError`` at once if another crawl holds the archive, ``ConfigError``
    for an unknown site. URL failures are recorded and reported, never raised. ``pool``
    sets the extraction workers (their number, the time limit per page, recycling).
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
        ledger = RunLedger(state, run_id, on_event)
        ledger.emit("run-start", message=f"run {run_id}")
        try:
            reports = asyncio.run(_cancellable(_harvest(
                config.fetch, chosen, ledger=ledger, archive=archive,
                history=state, max_articles=max_articles, pool=pool)))
        except asyncio.CancelledError as exc:
            state.finish_run(run_id, status="aborted", message="stopped by SIGTERM")
            raise ScraperError(f"crawl run {run_id} stopped by SIGTERM") from exc
        except BaseException as exc:
            state.finish_run(run_id, status="aborted",
                             message=f"{type(exc).__name__}: {exc}"[:500])
            raise
        status, message = outcome(reports)
        state.finish_run(run_id, status=status, message=message)
    report = RunReport(run_id=run_id, status=status, elapsed=time.monotonic() - started,
                       sites=reports, message=message)
    ledger.emit("run-done", message=status)
    return report


def _dry_run(config: Config, sites: list[SiteSettings], archive_path: str | Path,
             max_articles: int | None, on_event: EventSink | None, started: float) -> RunReport:
    action = ListPlanned()
    with contextlib.ExitStack() as stack:
        history: History = NoHistory()
        ledger = NullLedger(on_event)
        if Path(archive_path).is_file():
            archive = stack.enter_context(Archive(archive_path))
            state = CrawlState(archive.db, path=str(archive_path))
            history, ledger = state, NullLedger(on_event, recall=state.cached_listing)
        reports = asyncio.run(_cancellable(_crawl(
            config.fetch, sites, ledger=ledger, history=history,
            max_articles=max_articles, act=lambda _hosts: action)))
    status, message = outcome(reports)
    return RunReport(run_id=None, status=status, elapsed=time.monotonic() - started,
                     sites=reports, planned=action.planned, message=message, dry_run=True)


async def _harvest(settings: FetchSettings, sites: list[SiteSettings], *, ledger: Ledger,
                   archive: Archive, history: History, max_articles: int | None,
                   pool: PoolSettings) -> list[SiteReport]:
    """The real run: the chosen articles fetched, extracted in the pool and saved."""
    extractors = Extractors(pool)
    try:
        return await _crawl(settings, sites, ledger=ledger, history=history,
                            max_articles=max_articles,
                            act=lambda hosts: Harvest(hosts, extractors, archive))
    finally:
        extractors.close()


async def _crawl(settings: FetchSettings, sites: list[SiteSettings], *, ledger: Ledger,
                 history: History, max_articles: int | None,
                 act: Callable[[Hosts], Action]) -> list[SiteReport]:
    """Every site at once, sharing the hosts; their clients closed at the end, whatever
    happens."""
    hosts = Hosts(settings)
    crawl = SiteCrawl(hosts=hosts, ledger=ledger, history=history, act=act(hosts),
                      max_articles=max_articles)
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(crawl(site)) for site in sites]
        return [task.result() for task in tasks]
    finally:
        await hosts.aclose()


async def _cancellable(main: Coroutine[Any, Any, T]) -> T:
    """``main``, stopped by SIGTERM (systemd stop, timeout(1)) as by a cancel."""
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    handled = False
    if task is not None:
        with contextlib.suppress(ValueError, NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGTERM, task.cancel)
            handled = True
    try:
        return await main
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGTERM)
