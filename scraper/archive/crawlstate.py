"""Crawl bookkeeping in the archive: runs, per-site counts, failed URLs, the listings'
HTTP cache, what planning needs to know of a URL, and the cron lock.

The tables (``runs``, ``run_sites``, ``failures``, ``http_cache``) are created by
:mod:`scraper.archive.schema`; this module only reads and writes rows. Every write is its own
small transaction, so a run killed at any moment leaves a consistent record: a run still marked
``running`` when the next crawl takes the lock was killed, and is marked ``aborted`` then. A
listing's validators and what it named are one row, written in one statement: a 304 always
stands for the listing those validators came with.

The lock is an OS file lock (``flock``) on ``<archive>.lock``: held for the whole run, never
waited for, and released by the kernel when the process dies, even on ``kill -9``.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sqlite_utils import Database

from scraper.archive.store import SaveStatus
from scraper.errors import ArchiveError, ArchiveLockedError
from scraper.urls import url_key

FailureStage = Literal["discover", "robots", "fetch", "extract", "archive"]
"""Where a URL failed (``failures.stage``): reading a listing, robots.txt, fetching the
article, extracting it, saving it."""
RunStatus = Literal["completed", "failed", "aborted"]
"""How a run ended (``runs.status``, which is ``running`` until then)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class SiteCounts:
    """What one run did for one site (the ``run_sites`` columns)."""

    discovered: int = 0
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_robots: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)

    def count(self, status: SaveStatus) -> None:
        """One more article saved with this outcome."""
        if status == "new":
            self.new += 1
        elif status == "updated":
            self.updated += 1
        else:
            self.unchanged += 1

    def add(self, other: SiteCounts) -> None:
        for name, value in other.as_dict().items():
            setattr(self, name, getattr(self, name) + value)


COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(SiteCounts))


@dataclass(frozen=True, slots=True)
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified last seen for a URL."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class CachedListing:
    """A listing's validators and what it named at that read (an opaque, compressed blob
    made and read by :mod:`scraper.crawl.parse`)."""

    validators: Validators
    listing: bytes


@dataclass(frozen=True, slots=True)
class UrlStanding:
    """What the archive knows of a URL a listing names, for planning."""

    article_id: int | None = None
    last_fetched: str | None = None
    """When its article was last fetched (ISO 8601), if it is archived."""
    passing_failures: int = 0
    """Failures since then that may pass (``failures.retry = 1``): network, 429/5xx..."""
    lasting_failure: bool = False
    """A failure since then that will not pass (``failures.retry = 0``): 404, not HTML..."""


_PID_WAIT_STEPS = 20
_PID_WAIT_STEP = 0.01


def _holder_pid(fd: int) -> str:
    """The pid the lock's holder wrote into the lock file. A holder writes it just after
    taking the lock, so a crawl started at the same moment waits up to 0.2 s for it."""
    holder = ""
    for _ in range(_PID_WAIT_STEPS):
        holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
        if holder.isdigit():
            break
        time.sleep(_PID_WAIT_STEP)
    return holder


class CrawlLock:
    """An exclusive, non-blocking lock on ``<archive>.lock``. Use as a context manager."""

    def __init__(self, archive_path: str | Path) -> None:
        self.path = Path(f"{archive_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> CrawlLock:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(
                f"cannot create lock file: {exc.strerror}", path=str(self.path)
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = _holder_pid(fd)
            os.close(fd)
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise ArchiveLockedError(
                f"another crawl is running on this archive{who}; not starting a second one",
                path=str(self.path).removesuffix(".lock"),
            ) from exc
        except OSError as exc:
            os.close(fd)
            raise ArchiveError(f"cannot lock: {exc.strerror}", path=str(self.path)) from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> CrawlLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class CrawlState:
    """Reads and writes the crawl tables of an open archive database."""

    def __init__(self, db: Database, *, path: str | None = None) -> None:
        self.db = db
        self.path = path

    def _write(self, sql: str, params: list[object]) -> int:
        try:
            with self.db.atomic():
                cursor = self.db.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot record crawl state: {exc}", path=self.path) from exc
        return int(cursor.lastrowid or 0)

    # runs -----------------------------------------------------------------------------------

    def start_run(self, *, config_path: str | None) -> int:
        """A new ``runs`` row. Runs left ``running`` by a killed process become ``aborted``."""
        self._write(
            "UPDATE runs SET status = 'aborted', message = coalesce(message,"
            " 'the process ended without finishing the run') WHERE status = 'running'", [],
        )
        return self._write(
            "INSERT INTO runs (started, status, config_path) VALUES (?, 'running', ?)",
            [_now(), config_path],
        )

    def finish_run(self, run_id: int, *, status: RunStatus, message: str | None = None) -> None:
        self._write(
            "UPDATE runs SET finished = ?, status = ?, message = ? WHERE id = ?",
            [_now(), status, message, run_id],
        )

    def save_site_counts(self, run_id: int, site: str, counts: SiteCounts) -> None:
        values = counts.as_dict()
        columns = ", ".join(values)
        updates = ", ".join(f"{name} = excluded.{name}" for name in values)
        self._write(
            f"INSERT INTO run_sites (run_id, site, {columns})"
            f" VALUES (?, ?, {', '.join('?' * len(values))})"
            f" ON CONFLICT (run_id, site) DO UPDATE SET {updates}",
            [run_id, site, *values.values()],
        )

    def record_failure(
        self, run_id: int, *, site: str | None, url: str, stage: FailureStage, reason: str,
        status: int | None = None, retry: bool | None = None,
    ) -> None:
        """One failed URL. ``retry``: may it pass on a later run (None: not an article)."""
        self._write(
            "INSERT INTO failures (run_id, site, url, stage, status, reason, at, retry)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, site, url, stage, status, reason, _now(),
             None if retry is None else int(retry)],
        )

    # the listings' http cache ---------------------------------------------------------------

    def cached_listing(self, url: str) -> CachedListing | None:
        """The validators to send for ``url`` and the listing a 304 stands for; None when
        there is no such pair (never read, or cached before listings were kept)."""
        row = self.db.execute(
            "SELECT etag, last_modified, listing FROM http_cache WHERE url = ?"
            " AND listing IS NOT NULL", [url]
        ).fetchone()
        if row is None:
            return None
        return CachedListing(Validators(etag=row[0], last_modified=row[1]), bytes(row[2]))

    def remember_listing(self, url: str, validators: Validators, listing: bytes) -> None:
        """Validators and listing together, in one statement; without validators no 304 can
        come, so nothing is kept."""
        if not validators.etag and not validators.last_modified:
            self.forget_listing(url)
            return
        self._write(
            "INSERT INTO http_cache (url, etag, last_modified, fetched_at, listing)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
            " last_modified = excluded.last_modified, fetched_at = excluded.fetched_at,"
            " listing = excluded.listing",
            [url, validators.etag, validators.last_modified, _now(), listing],
        )

    def forget_listing(self, url: str) -> None:
        self._write("DELETE FROM http_cache WHERE url = ?", [url])

    # what planning needs --------------------------------------------------------------------

    def standings(self, urls: Sequence[str]) -> list[UrlStanding]:
        """For each URL (in order): its archived article, when that was last fetched, and the
        failures the URL had since (all of them if it is not archived). Two indexed queries
        for the whole batch; callers send a few hundred URLs at a time."""
        if not urls:
            return []
        keys = [url_key(url) for url in urls]
        marks = ",".join("?" * len(urls))
        known = {key: (int(article_id), last) for key, article_id, last in self.db.execute(
            "SELECT u.url_key, a.id, coalesce(a.last_fetched, a.last_seen) FROM article_urls u"
            f" JOIN articles a ON a.id = u.article_id WHERE u.url_key IN ({marks})", keys)}
        failed: dict[str, list[tuple[str, int]]] = {}
        for url, at, retry in self.db.execute(
                f"SELECT url, at, retry FROM failures WHERE url IN ({marks})"
                " AND retry IS NOT NULL", list(urls)):
            failed.setdefault(url, []).append((at, retry))
        standings = []
        for url, key in zip(urls, keys, strict=True):
            article_id, last = known.get(key, (None, None))
            since = [retry for at, retry in failed.get(url, ()) if last is None or at >= last]
            standings.append(UrlStanding(
                article_id=article_id, last_fetched=last,
                passing_failures=sum(1 for retry in since if retry),
                lasting_failure=any(not retry for retry in since)))
        return standings
