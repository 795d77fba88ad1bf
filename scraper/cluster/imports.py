"""``scraper import --cluster``: WARC files split into shards by file (balanced by size),
each shard imported by a Ray worker into a copy of the archive, merged by the driver.

A shard's worker runs today's import (:func:`scraper.captures.imports.import_warcs`) on its
files; its captures point into the original files (they must be readable at the same path
on every node: the shared work folder or another shared mount), or, with ``copy``, into the
shard's own captures folder. Files the archive already imported are skipped by the shard as
by a local import (their ``warc_files`` rows are in the copy).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from scraper.archive import Archive
from scraper.archive.shards import ShardManifest, merge_shard, saved_urls, shard_base, snapshot
from scraper.captures.filters import ImportFilters
from scraper.captures.imports import ImportTally, import_warcs, warc_paths
from scraper.captures.recorder import run_name
from scraper.captures.warcfiles import WarcFiles
from scraper.cluster import engine
from scraper.cluster.partition import shard_files
from scraper.cluster.shard import MANIFEST_NAME, fresh_shard_archive
from scraper.cluster.stopping import each_shard, until_stopped
from scraper.config import Config
from scraper.crawl import PoolSettings

_SUMMED = ("files", "skipped_files", "failed_files", "records", "not_articles", "filtered",
           "unreadable")
"""What the shards' own reports say; new/updated/unchanged are the merge's."""


@dataclass(frozen=True, slots=True)
class ImportJob:
    shard: str
    folder: str
    base: str
    config: Config
    files: tuple[str, ...]
    filters: ImportFilters
    copy: bool = False
    pool: PoolSettings = PoolSettings()


def run_import_shard(job: ImportJob) -> ShardManifest:
    """Import the shard's files into a fresh copy of the snapshot; its manifest."""
    started = time.monotonic()
    folder = Path(job.folder)
    archive_path = fresh_shard_archive(folder, job.base)
    base = shard_base(archive_path)
    captures = replace(job.config.archive, captures="captures").captures_dir(archive_path)
    with Archive(archive_path) as archive:
        copies = WarcFiles(archive.db, captures, run=run_name("import", job.shard),
                           origin="import", max_bytes=job.config.archive.warc_max_bytes)
        report = import_warcs(archive, [Path(f) for f in job.files], filters=job.filters,
                              copies=copies, copy=job.copy, pool=job.pool,
                              max_bytes=job.config.fetch.max_bytes)
    manifest = ShardManifest(
        shard=job.shard, archive=str(archive_path), captures_dir=str(captures), base=base,
        saved=saved_urls(archive_path, base),
        counts={"import": {name: getattr(report, name) for name in _SUMMED}},
        warnings=report.warnings, elapsed=time.monotonic() - started)
    manifest.write(folder / MANIFEST_NAME)
    return manifest


def run_cluster_import(config: Config, archive_path: str | Path, paths: Iterable[Path], *,
                       address: str, filters: ImportFilters, copy: bool = False,
                       pool: PoolSettings | None = None,
                       ) -> tuple[ImportTally, signal.Signals | None]:
    """Import the WARC files named (or found in the folders named) on the Ray cluster at
    ``address``; the shards merged into the archive as each finishes. A shard that fails for
    good counts its files as failed (a warning names them); the others are kept. SIGTERM or
    Ctrl-C cancels the shards still running (:mod:`scraper.cluster.stopping`): the report of
    the shards merged, and the signal (None when the import ran to the end); a rerun imports
    the files of the others."""
    files = [(str(path.resolve()), path.stat().st_size) for path in warc_paths(paths)]
    engine.connect(address)
    groups = shard_files(files, config.cluster.shards or engine.cpus())
    report = ImportTally()
    with Archive(archive_path) as archive:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        work = config.cluster.work_dir_for(archive_path).resolve() / f"import-{stamp}"
        work.mkdir(parents=True, exist_ok=True)
        snapshot(archive.db, work / "base.db")
        jobs = [ImportJob(shard=f"{work.name}-shard{i}", folder=str(work / f"shard{i}"),
                          base=str(work / "base.db"), config=config, files=tuple(group),
                          filters=filters, copy=copy, pool=pool or PoolSettings(workers=2))
                for i, group in enumerate(groups)]

        def run_shards(stops: list[signal.Signals]) -> None:
            for job, result in each_shard(run_import_shard, jobs, stops=stops,
                                          max_retries=config.cluster.max_retries):
                _shard_done(archive, job, result, report)

        stopped_by = until_stopped(run_shards)
    return report, stopped_by


def _shard_done(archive: Archive, job: ImportJob, result: ShardManifest | engine.ShardFailed,
                report: ImportTally) -> None:
    """A finished shard merged and counted (or its files counted failed)."""
    if not isinstance(result, ShardManifest):
        report.files += len(job.files)
        report.failed_files += len(job.files)
        report.warnings.append(f"shard {job.shard} failed ({result}): " + ", ".join(job.files))
        return
    merged = merge_shard(archive, result, run_id=None)
    for name in _SUMMED:
        setattr(report, name, getattr(report, name) + result.counts["import"][name])
    for counts in merged.sites.values():
        report.new += counts.new
        report.updated += counts.updated
        report.unchanged += counts.unchanged
    report.warnings.extend(result.warnings)
