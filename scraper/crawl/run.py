"""The run: the lock, the archive, every site at once, stop signals, and the ``runs`` row.

::

    run_crawl(config, archive_path)
      lock <archive>.lock (a second crawl exits at once)       archive.crawlstate.CrawlLock
      runs row 'running'                                       ledger.RunLedger
      every site concurrently (site.SiteCrawl), sharing the hosts and the extraction pool
      runs row 'completed' / 'failed' / 'aborted' (SIGTERM, Ctrl-C)

SIGTERM (systemd stop, timeout(1)) and SIGINT (Ctrl-C: the terminal sends it to the whole
process group, whose extraction workers ignore it) stop the run the same way: the sites are
cancelled, what was saved stays saved, the run is recorded ``aborted`` with ``stopped by
SIGTERM`` or ``interrupted by Ctrl-C``, and the report says which (``RunReport.stopped_by``).

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

from scraper.archive import Archive, check_archive_path
from scraper.archive.crawlstate import CrawlLock, CrawlState
from scraper.captures.recorder import CaptureRecorder, open_recorder
from scraper.config import Config, FetchSettings, SiteSettings
from scraper.crawl.articles import Harvest
from scraper.crawl.hosts import Hosts
from scraper.crawl.ledger import Ledger, NullLedger, RunLedger
from scraper.crawl.plan import History, NoHistory
from scraper.crawl.pool import Extractors, PoolSettings
from scraper.crawl.report import EventSink, RunReport, RunStatus, SiteReport, outcome
from scraper.crawl.site import Action, ListPlanned, SiteCrawl
from scraper.errors import ConfigError, ScraperError
from scraper.fetch.render import Renderer

T = TypeVar("T")

DEFAULT_POOL = PoolSettings()
STOP_SIGNALS: dict[signal.Signals, str] = {
    signal.SIGTERM: "stopped by SIGTERM",
    signal.SIGINT: "interrupted by Ctrl-C",
}
"""The signals that stop a run, and what the ``runs`` row and the report then say."""


class Stopped(Exception):
    """The run was stopped by a signal (``STOP_SIGNALS``)."""

    def __init__(self, by: signal.Signals) -> None:
        super().__init__(STOP_SIGNALS[by])
        self.by = by


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
    for an unknown site. URL failures are recorded and reported, never raised; a run stopped
    by SIGTERM or Ctrl-C is an ``aborted`` report saying which. ``pool`` sets the extraction
    workers (their number, the time limit per page, recycling).
    """
    chosen = select_sites(config, sites)
    started = time.monotonic()
    reports = [SiteReport(name=site.name) for site in chosen]
    if dry_run:
        return _dry_run(config, chosen, reports, archive_path, max_articles, on_event, started)
    check_archive_path(archive_path, create=True)  # refused before the lock file is made
    with CrawlLock(archive_path), Archive(archive_path) as archive:
        # WAL + NORMAL: a crash or kill -9 loses nothing committed; only power loss could.
        archive.db.execute("PRAGMA synchronous = NORMAL")
        state = CrawlState(archive.db, path=str(archive_path))
        run_id = state.start_run(config_path=config.path)
        ledger = RunLedger(state, run_id, on_event)
        ledger.emit("run-start", message=f"run {run_id}")

        def work() -> None:
            recorder = open_recorder(archive.db, archive_path, config.archive, origin="crawl",
                                     run=f"run{run_id}")
            _stoppable(_harvest(config.fetch, chosen, reports, ledger=ledger, archive=archive,
                                history=state, max_articles=max_articles, pool=pool,
                                recorder=recorder))

        status, message, stopped_by = recorded_run(state, run_id, work, reports)
    report = RunReport(run_id=run_id, status=status, elapsed=time.monotonic() - started,
                       sites=reports, message=message, stopped_by=stopped_by)
    ledger.emit("run-done", message=status)
    return report


def recorded_run(
    state: CrawlState, run_id: int, work: Callable[[], None], reports: list[SiteReport],
) -> tuple[RunStatus, str | None, signal.Signals | None]:
    """Do ``work`` as run ``run_id`` and record how it ended: the status its ``reports``
    give, or ``aborted`` by a stop signal (which one is returned too); any other error is
    recorded as ``aborted`` and raised. The local and the cluster crawl both end here."""
    stopped_by = None
    status: RunStatus
    message: str | None
    try:
        work()
        status, message = outcome(reports)
    except Stopped as stop:
        status, message, stopped_by = "aborted", str(stop), stop.by
    except BaseException as exc:
        state.finish_run(run_id, status="aborted",
                         message=f"{type(exc).__name__}: {exc}"[:500])
        raise
    state.finish_run(run_id, status=status, message=message)
    return status, message, stopped_by


def _dry_run(config: Config, sites: list[SiteSettings], reports: list[SiteReport],
             archive_path: str | Path, max_articles: int | None, on_event: EventSink | None,
             started: float) -> RunReport:
    action = ListPlanned()
    stopped_by = None
    with contextlib.ExitStack() as stack:
        history: History = NoHistory()
        ledger = NullLedger(on_event)
        if Path(archive_path).is_file():
            archive = stack.enter_context(Archive(archive_path))
            state = CrawlState(archive.db, path=str(archive_path))
            history, ledger = state, NullLedger(on_event, recall=state.cached_listing)
        try:
            _stoppable(_crawl(config.fetch, sites, reports, ledger=ledger, history=history,
                              max_articles=max_articles, act=lambda _hosts: action))
            status, message = outcome(reports)
        except Stopped as stop:
            status, message, stopped_by = "aborted", str(stop), stop.by
    return RunReport(run_id=None, status=status, elapsed=time.monotonic() - started,
                     sites=reports, planned=action.planned, message=message, dry_run=True,
                     stopped_by=stopped_by)


async def _harvest(settings: FetchSettings, sites: list[SiteSettings],
                   reports: list[SiteReport], *, ledger: Ledger, archive: Archive,
                   history: History, max_articles: int | None,
                   pool: PoolSettings, recorder: CaptureRecorder | None) -> None:
    """The real run: the chosen articles fetched, extracted in the pool and saved; every
    exchange kept by ``recorder`` (None: ``capture = false``)."""
    extractors = Extractors(pool)
    renderer = Renderer() if any(site.render for site in sites) else None
    try:
        await _crawl(settings, sites, reports, ledger=ledger, history=history,
                     max_articles=max_articles, recorder=recorder,
                     act=lambda hosts: Harvest(hosts, extractors, archive, renderer=renderer))
    finally:
        extractors.close()
        if renderer is not None:
            await renderer.aclose()
        if recorder is not None:
            recorder.close()


async def _crawl(settings: FetchSettings, sites: list[SiteSettings],
                 reports: list[SiteReport], *, ledger: Ledger, history: History,
                 max_articles: int | None, act: Callable[[Hosts], Action],
                 recorder: CaptureRecorder | None = None) -> None:
    """Every site at once, sharing the hosts, each counting into its report (so a stopped
    run still reports what it did); the clients closed at the end, whatever happens. Every
    exchange is kept by ``recorder`` when there is one."""
    hosts = Hosts(settings, recorder=recorder)
    crawl = SiteCrawl(hosts=hosts, ledger=ledger, history=history, act=act(hosts),
                      max_articles=max_articles)
    try:
        async with asyncio.TaskGroup() as group:
            for site, report in zip(sites, reports, strict=True):
                group.create_task(crawl(site, report))
    except BaseExceptionGroup as errors:
        # a run-ending error of ours (a full disk under the captures) is one line
        first = errors.exceptions[0]
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        if isinstance(first, ScraperError):
            raise first from None
        raise
    finally:
        await hosts.aclose()


def _stoppable(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main``; a stop signal cancels it and raises :class:`Stopped`. A Ctrl-C before
    the handlers are in place (asyncio's own, or Python's) counts the same."""
    received: list[signal.Signals] = []

    async def guarded() -> T:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        handled = []
        for signum in STOP_SIGNALS:
            with contextlib.suppress(ValueError, NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, _stop, task, received, signum)
                handled.append(signum)
        try:
            return await main
        finally:
            for signum in handled:
                loop.remove_signal_handler(signum)

    try:
        return asyncio.run(guarded())
    except KeyboardInterrupt as exc:
        raise Stopped(received[0] if received else signal.SIGINT) from exc
    except asyncio.CancelledError as exc:
        if not received:
            raise  # cancelled by something else than a stop signal
        raise Stopped(received[0]) from exc


def _stop(task: asyncio.Task[Any] | None, received: list[signal.Signals],
          signum: signal.Signals) -> None:
    received.append(signum)
    if task is not None:
        task.cancel()
