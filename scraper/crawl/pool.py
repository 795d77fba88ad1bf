"""The extraction workers: a process pool that extracts pages, within a time limit each.

:class:`ExtractorPool` is one ``ProcessPoolExecutor``: one more worker than
``os.cpu_count()`` (so the crawl process's own work — fetching, saving — does not leave a
core idle), started from a forkserver (never forked from this multi-threaded, event-loop-
running process), the extractor preloaded and its libraries warmed
(``scraper/extract/warm.py``), and tied to the crawl process by a lifeline so a
killed crawl leaves no worker behind.

:class:`Extractors` owns the current pool for a run and hands it pages:

- **recycle**: after ``recycle_after`` jobs the pool is retired (it finishes what it holds,
  then its workers exit) and a fresh one takes the next page, so memory stays flat over long
  runs. ``max_tasks_per_child`` is not used: on Python 3.11-3.13 before the fix of CPython
  gh-115634 a pool that replaces a worker that reached its limit can stop scheduling, and the
  crawl hangs (seen here on a 1,000-page crawl).
- **timeout**: a page over ``extract_timeout`` seconds is a failure; its pool is killed (the
  only way to stop a busy worker) and the other pages in flight there go to its replacement.
- **a worker died**: :class:`WorkerDied`, which the crawl retries next run.

Starting a pool's workers blocks (the forkserver starts and imports the extractor: a second or
more on a busy machine), so it happens in a thread; a page waits for it without holding up
the event loop, where every other request of the run is waiting too.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from scraper.archive.similarity import Sketch
from scraper.errors import ExtractError
from scraper.models import Article, Hints, Page

T = TypeVar("T")

ATTEMPTS = 3
"""Pools a page may be sent to when the ones before it were killed for another page."""


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """How a crawl runs its extraction workers (the defaults suit a real run)."""

    workers: int | None = None
    """Worker processes; None: ``os.cpu_count() + 1``."""
    extract_timeout: float = 60.0
    """Seconds one page may spend in a worker; past that it is a recorded failure and the
    workers are killed and replaced."""
    recycle_after: int = 1000
    """Jobs after which the pool is replaced by a fresh one."""
    on_pool_start: Callable[[], None] | None = None
    """Called each time a pool is made (the first, and every replacement)."""


class WorkerDied(ExtractError):
    """The process pool broke while this page was in it."""


def _extract_job(html: str, url: str, hints: Hints | None, status: int | None = None,
                 headers: tuple[tuple[str, str], ...] = ()) -> tuple[Article, Sketch]:
    """Runs in a worker process: the article and its body's MinHash (so the single writer
    does not pay for it). Any failure comes back as an ``ExtractError`` with a reason."""
    from scraper.extract import extract_article

    try:
        article = extract_article(html, url, hints=hints, status=status, headers=headers)
        return article, Sketch.of(article.body)
    except ExtractError:
        raise
    except Exception as exc:  # an extractor bug on one page must not end the run
        raise ExtractError(f"extractor failed: {type(exc).__name__}: {exc}") from None


def _started() -> bool:
    return True


def _die_with_crawler(lifeline: Connection) -> None:
    """Worker initializer: ignore Ctrl-C, and exit when the crawl process dies, even by
    ``kill -9``.

    A terminal sends SIGINT to the whole foreground process group: the crawl handles it (the
    run is stopped and recorded), and a worker must not die of it mid-page with a traceback.

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

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=watch, name="crawler-lifeline", daemon=True).start()


class ExtractorPool:
    """One set of worker processes (see the module docstring)."""

    def __init__(self, workers: int) -> None:
        context = multiprocessing.get_context("forkserver")
        # Imported (and the extractor's libraries warmed) once in the forkserver, not in every
        # worker: a new pool starts in ~20 ms, its workers warm.
        context.set_forkserver_preload(["__main__", "scraper.crawl", "scraper.extract",
                                        "scraper.crawl.warm_workers"])
        self._lifeline, self._keepalive = context.Pipe(duplex=False)
        self.executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=context,
            initializer=_die_with_crawler, initargs=(self._lifeline,),
        )
        self.killed = False
        self.jobs = 0
        self.starting: asyncio.Future[None] | None = None
        """``start`` running in a thread, once asked for."""

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


class Extractors:
    """The run's current pool, made when first needed and replaced as the module says."""

    def __init__(self, settings: PoolSettings) -> None:
        self.settings = settings
        self.workers = settings.workers or (os.cpu_count() or 1) + 1
        self.pool: ExtractorPool | None = None

    def _current(self) -> ExtractorPool:
        if self.pool is None:
            self.pool = ExtractorPool(self.workers)
            if self.settings.on_pool_start is not None:
                self.settings.on_pool_start()
        return self.pool

    def warm_up(self) -> None:
        """Start the workers (forkserver, imports: about a second) in a thread, while the
        first pages download."""
        self._start(self._current())

    @staticmethod
    def _start(pool: ExtractorPool) -> asyncio.Future[None]:
        if pool.starting is None:
            pool.starting = asyncio.get_running_loop().run_in_executor(None, pool.start)
        return pool.starting

    async def _ready(self) -> ExtractorPool:
        """The current pool, its workers started (in a thread, never on the event loop)."""
        while True:
            pool = self._current()
            await self._start(pool)
            if self.pool is pool:  # not replaced or retired meanwhile
                return pool

    async def extract(self, page: Page, hints: Hints | None) -> tuple[Article, Sketch]:
        """Extract in the pool, within ``extract_timeout`` seconds."""
        return await self.run(_extract_job, page.html, page.url, hints, page.status,
                              page.headers)

    async def run(self, job: Callable[..., T], *args: Any) -> T:
        """``job(*args)`` in the pool, within ``extract_timeout`` seconds: a module-level
        function (reextract and import read the capture in the worker, then extract)."""
        loop = asyncio.get_running_loop()
        limit = self.settings.extract_timeout
        for _attempt in range(ATTEMPTS):
            pool = await self._ready()
            job_future = loop.run_in_executor(pool.executor, job, *args)
            pool.jobs += 1
            if pool.jobs >= self.settings.recycle_after and self.pool is pool:
                pool.retire()  # fresh workers from the next page on: memory stays flat
                self.pool = None
            try:
                return await asyncio.wait_for(job_future, limit)
            except TimeoutError as exc:
                self._replace(pool, kill=True)
                raise ExtractError(f"extraction took longer than {limit:g} s") from exc
            except BrokenProcessPool as exc:
                self._replace(pool)
                if not pool.killed:
                    raise WorkerDied("an extraction worker died (out of memory?)") from exc
        raise WorkerDied("extraction workers kept being replaced")

    def _replace(self, pool: ExtractorPool, *, kill: bool = False) -> None:
        """The first to notice a broken (or too slow) pool replaces it for everyone."""
        if kill:
            pool.kill()
        if self.pool is pool:
            pool.close(wait=False)
            self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
