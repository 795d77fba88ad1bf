"""``scraper reextract --cluster``: the articles to read again split into ranges of ids,
each range re-extracted by a Ray worker in a copy of the archive, merged by the driver.

A shard runs today's :func:`scraper.captures.reextract.reextract` on its id range; it reads
the WARC files from the archive's captures folder, which must be at the same path on every
node (a shared mount). The merge applies each re-read record to the archive as a local run
would (:func:`scraper.archive.shards.merge_reextraction`).
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scraper.archive import Archive
from scraper.archive.captures import newest_captures
from scraper.archive.shards import ShardManifest, merge_reextraction, shard_base, snapshot
from scraper.captures.reextract import ReextractTally, reextract
from scraper.cluster import engine
from scraper.cluster.partition import id_ranges
from scraper.cluster.shard import MANIFEST_NAME, fresh_shard_archive
from scraper.cluster.stopping import each_shard, until_stopped
from scraper.config import Config
from scraper.crawl import PoolSettings
from scraper.extract import extractor_version

_COUNTED = ("total", "changed", "unchanged", "failed")


@dataclass(frozen=True, slots=True)
class ReextractJob:
    shard: str
    folder: str
    base: str
    captures: str
    """The archive's captures folder (absolute; the same path on every node)."""
    ids: tuple[int, int]
    max_bytes: int
    site: str | None = None
    since: str | None = None
    pool: PoolSettings = PoolSettings()


def run_reextract_shard(job: ReextractJob) -> ShardManifest:
    started = time.monotonic()
    folder = Path(job.folder)
    archive_path = fresh_shard_archive(folder, job.base)
    base = shard_base(archive_path)
    with Archive(archive_path) as archive:
        report = reextract(archive, Path(job.captures), site=job.site, since=job.since,
                           ids=job.ids, pool=job.pool, max_bytes=job.max_bytes)
    manifest = ShardManifest(
        shard=job.shard, archive=str(archive_path), captures_dir=job.captures, base=base,
        counts={"reextract": {name: getattr(report, name) for name in _COUNTED},
                "fields": dict(report.fields)},
        warnings=report.failures, elapsed=time.monotonic() - started)
    manifest.write(folder / MANIFEST_NAME)
    return manifest


def run_cluster_reextract(config: Config, archive_path: str | Path, *, address: str,
                          site: str | None = None, since: str | None = None,
                          limit: int | None = None, pool: PoolSettings | None = None,
                          ) -> tuple[ReextractTally, signal.Signals | None]:
    """Re-extract on the Ray cluster at ``address`` what a local ``reextract`` with the
    same options would; each shard merged as it finishes. A shard that fails for good
    counts its articles failed; the others are kept (a later run does the rest). SIGTERM or
    Ctrl-C cancels the shards still running (:mod:`scraper.cluster.stopping`): the report of
    the shards merged, and the signal (None when it ran to the end)."""
    version = extractor_version()
    report = ReextractTally(version=version)
    with Archive(archive_path) as archive:
        ids = [int(c.article_id) for c in newest_captures(
            archive.db, not_version=version, site=site, since=since, limit=limit)
            if c.article_id is not None]
        if not ids:
            return report, None
        engine.connect(address)
        ranges = id_ranges(ids, config.cluster.shards or engine.cpus())
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        work = config.cluster.work_dir_for(archive_path).resolve() / f"reextract-{stamp}"
        work.mkdir(parents=True, exist_ok=True)
        snapshot(archive.db, work / "base.db")
        captures = str(config.archive.captures_dir(archive_path).resolve())
        jobs = [ReextractJob(shard=f"{work.name}-shard{i}", folder=str(work / f"shard{i}"),
                             base=str(work / "base.db"), captures=captures, ids=span,
                             max_bytes=config.fetch.max_bytes, site=site, since=since,
                             pool=pool or PoolSettings(workers=2))
                for i, span in enumerate(ranges)]

        def run_shards(stops: list[signal.Signals]) -> None:
            for job, result in each_shard(run_reextract_shard, jobs, stops=stops,
                                          max_retries=config.cluster.max_retries):
                if isinstance(result, ShardManifest):
                    merge_reextraction(archive, result, version=version)
                    _count(report, result)
                else:
                    missed = sum(1 for i in ids if job.ids[0] <= i <= job.ids[1])
                    report.total += missed
                    report.failed += missed
                    report.failures.append(f"shard {job.shard} (articles {job.ids[0]}-"
                                           f"{job.ids[1]}) failed: {result}")

        stopped_by = until_stopped(run_shards)
    return report, stopped_by


def _count(report: ReextractTally, result: ShardManifest) -> None:
    for name in _COUNTED:
        setattr(report, name, getattr(report, name) + result.counts["reextract"][name])
    report.fields.update(result.counts["fields"])
    report.failures.extend(result.warnings)
