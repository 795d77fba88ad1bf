"""``scraper import``: WARC files of any origin (CC-NEWS, Heritrix, wget, ours) into the
archive, streamed, through the same extractor and ``Archive.save`` as a crawl.

Per file: already imported (same path, size and SHA-1 in ``warc_files``) -> skipped;
interrupted -> resumed from its recorded offset (and any record already indexed is skipped,
so nothing is archived twice). Records are found by :mod:`scraper.captures.warcread` (a
damaged record is one warning naming file and offset; the import goes on), parsed by warcio,
filtered (HTML ``response``/``resource`` records only; scope, dates), extracted in the crawl's
worker pool and saved in file order by this process: the index row, the article and the
file's resume offset together, in groups of saves committed at once
(:mod:`scraper.archive.grouped_commits`). Pages that are not articles
(:func:`scraper.extract.is_article`) are counted and skipped. The index points into the
original file, unless ``copy`` is asked (or the file is one gzip stream, which cannot be
read at an offset): then the record is copied into the captures folder first.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from scraper.archive import Archive
from scraper.archive.captures import Capture, add_capture, file_state, set_file_state
from scraper.archive.connection import BULK_CACHE_KIB, page_cache
from scraper.archive.grouped_commits import GroupedCommits
from scraper.archive.similarity import Sketch
from scraper.captures.filters import ImportFilters
from scraper.captures.jobs import QUEUED_PER_WORKER, extract_payload
from scraper.captures.reader import WarcRecord, parse_record
from scraper.captures.records import gzip_member, payload_digest
from scraper.captures.warcfiles import WarcFiles
from scraper.captures.warcread import Chunk, Layout, detect_layout, iter_chunks
from scraper.crawl.pool import Extractors, PoolSettings
from scraper.errors import CaptureError, ExtractError
from scraper.extract import extractor_version, is_article
from scraper.models import Article

Warn = Callable[[str], None]
Progress = Callable[[str, int, int], None]
"""(file, bytes read, its size)."""
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
RESUME_EVERY = 200
"""Records between two saves of a file's resume offset when none of them was archived."""


@dataclass(slots=True)
class ImportTally:
    """The import's running counts, kept as it goes; ``scraper.ImportReport`` is the frozen
    record the API and the CLI give of them."""

    files: int = 0
    skipped_files: int = 0
    failed_files: int = 0
    records: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    not_articles: int = 0
    filtered: int = 0
    unreadable: int = 0
    warnings: list[str] = field(default_factory=list)


def warc_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and the WARC files under the folders named (sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.name.endswith(WARC_SUFFIXES))
        else:
            yield path


def file_sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass(slots=True)
class _Pending:
    chunk: Chunk
    record: WarcRecord
    job: asyncio.Future[tuple[Article, Sketch | None]]


class Importer:
    """One import run into an archive (see the module docstring)."""

    def __init__(self, archive: Archive, *, filters: ImportFilters, copies: WarcFiles,
                 copy: bool, pool: Extractors, max_bytes: int, warn: Warn,
                 progress: Progress | None = None) -> None:
        self.archive = archive
        self.db = archive.db
        self.filters = filters
        self.copies = copies
        self.copy = copy
        self.pool = pool
        self.max_bytes = max_bytes
        self.warn = warn
        self.progress = progress
        self.version = extractor_version()
        self.report = ImportTally()
        self.indexed: frozenset[int] = frozenset()
        """Offsets of the current file's records already in ``captures``."""

    async def run(self, paths: Iterable[Path]) -> ImportTally:
        for path in warc_paths(paths):
            try:
                await self.import_file(path)
            except (OSError, CaptureError) as exc:
                self.report.failed_files += 1
                reason = exc.strerror if isinstance(exc, OSError) else str(exc)
                self._warning(f"{path}: cannot import: {reason or exc}")
        return self.report

    def _warning(self, text: str) -> None:
        self.report.warnings.append(text)
        self.warn(text)

    async def import_file(self, path: Path) -> None:
        key = str(path.resolve())
        size = path.stat().st_size
        state = file_state(self.db, key)
        self.report.files += 1
        if state is not None and state.state == "imported" and state.size == size \
                and state.sha1 == file_sha1(path):
            self.report.skipped_files += 1
            return
        start = state.resume_offset if state is not None and state.state == "importing" else 0
        layout = detect_layout(path)
        # archived before an interruption (or before the file grew): one query, not one a record
        self.indexed = frozenset(offset for (offset,) in self.db.execute(
            "SELECT offset FROM captures WHERE warc_file = ?", [key]).fetchall())
        pending: deque[_Pending] = deque()
        limit = max(2, self.pool.workers * QUEUED_PER_WORKER)
        since_resume = 0
        with GroupedCommits(self.db) as commits:
            for chunk in iter_chunks(path, layout, start if layout != "gzip-file" else 0):
                if chunk.offset < start:
                    continue
                if self.progress is not None:
                    self.progress(str(path), chunk.offset + chunk.length, size)
                item = self._consider(path, chunk)
                if item is not None:
                    pending.append(item)
                else:
                    since_resume += 1
                if len(pending) >= limit:
                    await self._settle(pending.popleft(), key, layout)
                    commits.done()
                elif not pending and since_resume >= RESUME_EVERY:
                    since_resume = 0
                    self._resume_at(key, chunk.offset + chunk.length)
                    commits.done()
            while pending:
                await self._settle(pending.popleft(), key, layout)
                commits.done()
        with self.db.atomic():
            set_file_state(self.db, key, origin="import", state="imported", size=size,
                           sha1=file_sha1(path), resume_offset=size)

    def _resume_at(self, key: str, offset: int) -> None:
        with self.db.atomic():
            set_file_state(self.db, key, origin="import", state="importing",
                           resume_offset=offset)

    def _consider(self, path: Path, chunk: Chunk) -> _Pending | None:
        """A record worth extracting, as a job in the pool; None for the others (counted)."""
        self.report.records += 1
        if chunk.problem is not None:
            self.report.unreadable += 1
            self._warning(f"{path}: offset {chunk.offset}: {chunk.problem}")
            return None
        try:
            record = parse_record(chunk.data)
        except CaptureError as exc:
            self.report.unreadable += 1
            self._warning(f"{path}: offset {chunk.offset}: {exc}")
            return None
        if record.record_type not in ("response", "resource"):
            return None  # request, metadata, warcinfo, revisit: no page of their own
        if not self._is_page(record):
            self.report.not_articles += 1
            return None
        if not self.filters.keep_record(record.url, record.date):
            self.report.filtered += 1
            return None
        if chunk.offset in self.indexed:
            return None  # archived before an interruption
        job = asyncio.ensure_future(self.pool.run(
            extract_payload, record.payload, record.http_headers, record.status, record.url,
            None, self.max_bytes, self.archive.path))
        return _Pending(chunk, record, job)

    @staticmethod
    def _is_page(record: WarcRecord) -> bool:
        if record.record_type == "response" and not (record.status and 200 <= record.status < 300):
            return False
        kind = record.http("content-type") if record.record_type == "response" \
            else record.warc("Content-Type")
        media = (kind or "").split(";", 1)[0].strip().lower()
        return media in HTML_TYPES or (not media and record.record_type == "response")

    async def _settle(self, item: _Pending, key: str, layout: Layout) -> None:
        try:
            article, sketch = await item.job
        except ExtractError:
            self.report.not_articles += 1
            return
        if not is_article(article):
            self.report.not_articles += 1
            return
        if not self.filters.keep_article(article):
            self.report.filtered += 1
            return
        self._save(item, article, sketch, key, copy=self.copy or layout == "gzip-file")

    def _save(self, item: _Pending, article: Article, sketch: Sketch | None, key: str, *,
              copy: bool) -> None:
        chunk, record = item.chunk, item.record
        warc_file, offset, length = key, chunk.offset, chunk.length
        if copy:
            data = chunk.raw or gzip_member(chunk.data)
            warc_file, offset = self.copies.append(data)
            length = len(data)
        fetched = _iso(record.date)
        capture = Capture(
            url=record.url, fetched_at=fetched, record_type=record.record_type,
            warc_file=warc_file, offset=offset, length=length, origin="import",
            status=record.status,
            content_type=(record.http("content-type") or record.warc("Content-Type") or "")
            .split(";", 1)[0].strip().lower() or None,
            payload_digest=record.warc("WARC-Payload-Digest") or payload_digest(record.payload),
            record_id=record.warc("WARC-Record-ID"))
        with self.db.atomic():
            capture_id = add_capture(self.db, capture)
            result = self.archive.save(
                article, site=self.filters.site_for(record.url), requested_url=record.url,
                fetched_at=fetched, sketch=sketch, capture=capture_id,
                extractor_version=self.version)
            set_file_state(self.db, key, origin="import", state="importing",
                           resume_offset=chunk.offset + chunk.length)
        setattr(self.report, result.status, getattr(self.report, result.status) + 1)


def _iso(warc_date: str) -> str:
    try:
        when = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return warc_date
    return when.isoformat(timespec="seconds")


def import_warcs(archive: Archive, paths: Iterable[Path], *, filters: ImportFilters,
                 copies: WarcFiles, copy: bool = False, pool: PoolSettings | None = None,
                 max_bytes: int = 10_000_000, warn: Warn = lambda _text: None,
                 progress: Progress | None = None) -> ImportTally:
    """Import every WARC file named (or found in the folders named); see the module
    docstring. ``copies``: where copied records go (``copy``, or a one-stream gzip file)."""
    # WAL + NORMAL, as a crawl: a kill -9 loses nothing committed, and a save does not wait
    # for a disk flush (with FULL each article's commit did: the workers sat idle meanwhile)
    archive.db.execute("PRAGMA synchronous = NORMAL")
    extractors = Extractors(pool or PoolSettings())
    importer = Importer(archive, filters=filters, copies=copies, copy=copy, pool=extractors,
                        max_bytes=max_bytes, warn=warn, progress=progress)
    try:
        with page_cache(archive.db, BULK_CACHE_KIB):
            return asyncio.run(importer.run(paths))
    finally:
        extractors.close()
        copies.close()
