"""``scraper reextract``: today's extractor over the kept captures, on every core.

The newest capture of each article not yet read by this extractor version
(``captures.extractor_version``) is read and extracted in the crawl's worker pool
(:class:`scraper.crawl.pool.Extractors`, job :func:`scraper.captures.jobs.extract_stored`),
with the listing hints it was first read with. The single writer saves in submission order:
a new revision only when a field changed (:mod:`scraper.archive.reextraction`), and the
capture marked done with it (saves committed in groups:
:mod:`scraper.archive.grouped_commits`), so a killed run continues where it stopped and no
article is done twice. ``dry_run`` extracts and counts, and writes nothing.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scraper.archive import Archive
from scraper.archive.captures import Capture, count_newest, get_capture, newest_captures
from scraper.archive.connection import BULK_CACHE_KIB, page_cache
from scraper.archive.grouped_commits import GroupedCommits
from scraper.archive.reextraction import apply_reextraction, changed_fields
from scraper.archive.similarity import Sketch
from scraper.captures.jobs import QUEUED_PER_WORKER, extract_stored
from scraper.captures.reader import resolve
from scraper.crawl.pool import Extractors, PoolSettings
from scraper.errors import ExtractError
from scraper.extract import extractor_version, is_article
from scraper.models import Article, Hints, is_blocked, why_not_an_article

Progress = Callable[[int, int], None]
"""(done, total): told after each article."""
StoredJob = Callable[[str, int, int, str, Hints | None, int, str | None],
                    tuple[Article, Sketch | None]]
"""(WARC path, offset, length, URL, hints, size cap, the archived body's hash) -> article
and MinHash (None when the body kept that hash), in a worker."""


@dataclass(slots=True)
class ReextractTally:
    """The re-extraction's running counts, kept as it goes; ``scraper.ReextractReport`` is
    the frozen record the API and the CLI give of them."""

    version: str
    total: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    """Articles whose field changed, per field."""
    failures: list[str] = field(default_factory=list)

    def fields_line(self) -> str:
        """``title 312 changed, published 41, body 77`` (most changed first)."""
        return fields_line(self.fields)


def fields_line(fields: Mapping[str, int]) -> str:
    """``title 312 changed, published 41, body 77``: the fields by how many changed, most
    first (the line ``scraper reextract`` ends with; ``ReextractReport.fields_line``)."""
    parts = [f"{name} {count}" for name, count in sorted(fields.items(), key=lambda i: -i[1])]
    if parts:
        parts[0] += " changed"
    return ", ".join(parts) or "no field changed"


def _payload_capture(archive: Archive, capture: Capture) -> Capture:
    """The capture holding the page (a revisit resolved to the one it refers to)."""
    for _hop in range(5):
        if capture.record_type != "revisit" or capture.refers_to is None:
            return capture
        referred = get_capture(archive.db, capture.refers_to)
        if referred is None:
            return capture
        capture = referred
    return capture


async def _run(archive: Archive, folder: Path, queue: Iterable[Capture], *, pool: Extractors,
               report: ReextractTally, dry_run: bool, cap: int,
               progress: Progress | None, job: StoredJob) -> None:
    in_flight: deque[tuple[Capture, asyncio.Future[tuple[Article, Sketch | None]]]] = deque()
    limit = max(2, pool.workers * QUEUED_PER_WORKER)
    done = 0

    async def settle() -> None:
        nonlocal done
        capture, future = in_flight.popleft()
        try:
            article, sketch = await future
            _save(archive, capture, article, sketch, report=report, dry_run=dry_run)
        except ExtractError as error:
            report.failed += 1
            report.failures.append(f"article {capture.article_id}: {error}")
        done += 1
        if progress is not None:
            progress(done, report.total)

    with GroupedCommits(archive.db) as commits:
        for capture in queue:
            holder = _payload_capture(archive, capture)
            path = str(resolve(folder, holder.warc_file))
            (known,) = archive.db.execute("SELECT content_hash FROM articles WHERE id = ?",
                                          [capture.article_id]).fetchone() or (None,)
            future = asyncio.ensure_future(pool.run(job, path, holder.offset, holder.length,
                                                    capture.url, capture.hints, cap, known))
            in_flight.append((capture, future))
            if len(in_flight) >= limit:
                await settle()
                commits.done()
        while in_flight:
            await settle()
            commits.done()


def _save(archive: Archive, capture: Capture, article: Article, sketch: Sketch | None, *,
          report: ReextractTally, dry_run: bool) -> None:
    assert capture.article_id is not None and capture.id is not None
    if not is_article(article):
        report.failed += 1
        reason = why_not_an_article(article) if is_blocked(article) else None
        report.failures.append(
            f"article {capture.article_id}: {reason or 'no article text found any more'}")
        return
    if dry_run:
        changed = changed_fields(archive.db, capture.article_id, article)
    else:
        changed = apply_reextraction(
            archive.db, capture.article_id, article, capture_id=capture.id,
            hints=capture.hints, version=report.version, fetched_at=capture.fetched_at,
            sketch=sketch)
    report.fields.update(changed)
    if changed:
        report.changed += 1
    else:
        report.unchanged += 1


def reextract(archive: Archive, folder: Path, *, site: str | None = None,
              since: str | None = None, limit: int | None = None, dry_run: bool = False,
              pool: PoolSettings | None = None, max_bytes: int = 10_000_000,
              progress: Progress | None = None, job: StoredJob = extract_stored,
              version: str | None = None, ids: tuple[int, int] | None = None) -> ReextractTally:
    """Re-read the newest capture of each article (of ``site``, fetched since ``since``, with
    an id in ``ids`` (first, last), at most ``limit``) with today's extractor; see the module
    docstring. ``job`` (a module-level function, run in the workers) and ``version`` stand
    for another extractor."""
    report = ReextractTally(version=version or extractor_version())
    found = count_newest(archive.db, not_version=report.version, site=site, since=since,
                         ids=ids)
    report.total = found if limit is None else min(found, limit)
    if not report.total:
        return report
    queue = newest_captures(archive.db, not_version=report.version, site=site, since=since,
                            limit=limit, ids=ids)
    archive.db.execute("PRAGMA synchronous = NORMAL")  # as a crawl and an import
    extractors = Extractors(pool or PoolSettings())
    try:
        with page_cache(archive.db, BULK_CACHE_KIB):
            asyncio.run(_run(archive, folder, queue, pool=extractors, report=report,
                             dry_run=dry_run, cap=max_bytes, progress=progress, job=job))
    finally:
        extractors.close()
    return report
