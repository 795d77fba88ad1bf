"""``scraper crawl --cluster``: the same run as :func:`scraper.crawl.run_crawl`, its sites
crawled by Ray workers in shards and merged into the archive by this process.

::

    run_cluster_crawl(config, archive_path, address=...)
      lock <archive>.lock, as a local crawl                   archive.crawlstate.CrawlLock
      snapshot of the archive -> <work_dir>/runN-<time>/base.db  archive.shards.snapshot
      runs row 'running'
      sites -> shards by registrable domain                  cluster.partition.shard_sites
      each shard a Ray task (bounded retries)                 cluster.engine.run_each
        -> shard.run_shard: a copy of base.db, today's crawl on the shard's sites
      the shards' events relayed as they go (progress)        cluster.progress.EventTail
      each finished shard merged as it comes (single writer)  archive.shards.merge_shard
      runs row 'completed' / 'failed' / 'aborted'

A shard that fails for good marks its sites failed (``failures`` rows, the run summary);
the other shards' work is merged and kept. SIGTERM or Ctrl-C cancels the shards still
running (their workers are killed), keeps what was merged, and records the run aborted
(:mod:`scraper.cluster.stopping`, shared with ``import`` and ``reextract --cluster``).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scraper.archive import Archive, check_archive_path
from scraper.archive.crawlstate import CrawlLock, CrawlState
from scraper.archive.shards import ShardManifest, merge_shard, snapshot
from scraper.cluster import engine
from scraper.cluster.partition import shard_sites
from scraper.cluster.progress import EventTail
from scraper.cluster.shard import ShardJob, run_shard
from scraper.cluster.stopping import each_shard, stop_signals
from scraper.config import Config
from scraper.crawl import PoolSettings, RunReport, SiteReport, select_sites
from scraper.crawl.ledger import RunLedger
from scraper.crawl.report import EventSink
from scraper.crawl.run import recorded_run


def run_cluster_crawl(
    config: Config,
    archive_path: str | Path,
    *,
    address: str,
    sites: Sequence[str] | None = None,
    max_articles: int | None = None,
    on_event: EventSink | None = None,
    pool: PoolSettings | None = None,
) -> RunReport:
    """Crawl the configured (or named) sites on the Ray cluster at ``address`` into the
    archive at ``archive_path``. Raises as :func:`scraper.crawl.run_crawl` does, and
    ``ClusterError`` when Ray is missing or the cluster cannot be joined. ``pool``: each
    shard's extraction workers (default: two per shard)."""
    chosen = select_sites(config, sites)
    started = time.monotonic()
    engine.connect(address)
    groups = shard_sites(chosen, config.cluster.shards or engine.cpus())
    reports = {site.name: SiteReport(name=site.name) for site in chosen}
    check_archive_path(archive_path, create=True)
    with CrawlLock(archive_path), Archive(archive_path) as archive:
        archive.db.execute("PRAGMA synchronous = NORMAL")
        state = CrawlState(archive.db, path=str(archive_path))
        run_id = state.start_run(config_path=config.path)
        ledger = RunLedger(state, run_id, on_event)
        ledger.emit("run-start", message=f"run {run_id} on {len(groups)} shard(s)")
        work = _work_folder(config, archive_path, run_id)
        snapshot(archive.db, work / "base.db")
        jobs = [ShardJob(shard=f"{work.name}-shard{i}", folder=str(work / f"shard{i}"),
                         base=str(work / "base.db"), config=replace(config, sites=tuple(group)),
                         max_articles=max_articles, pool=pool or PoolSettings(workers=2))
                for i, group in enumerate(groups)]

        def run_shards() -> None:
            with stop_signals() as stops:
                _run_shards(jobs, config.cluster.max_retries, archive, run_id, reports, ledger,
                            stops)

        status, message, stopped_by = recorded_run(state, run_id, run_shards,
                                                   list(reports.values()))
    report = RunReport(run_id=run_id, status=status, elapsed=time.monotonic() - started,
                       sites=list(reports.values()), message=message, stopped_by=stopped_by)
    ledger.emit("run-done", message=status)
    return report


def _work_folder(config: Config, archive_path: str | Path, run_id: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = config.cluster.work_dir_for(archive_path).resolve() / f"run{run_id}-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _run_shards(jobs: list[ShardJob], max_retries: int, archive: Archive, run_id: int,
                reports: dict[str, SiteReport], ledger: RunLedger,
                stops: list[signal.Signals]) -> None:
    """Every shard as a Ray task; their progress relayed while they run; each merged as soon
    as it is done. A stop signal (noted in ``stops``) cancels the shards still running."""
    tails = {job.shard: EventTail(Path(job.folder)) for job in jobs}

    def relay(shards: Iterable[str]) -> None:
        """The shards' progress since the last look, passed on."""
        if ledger.on_event is not None:
            for shard in shards:
                for event in tails[shard].read():
                    ledger.on_event(event)

    for job, result in each_shard(run_shard, jobs, max_retries=max_retries, stops=stops,
                                  on_wait=lambda: relay(list(tails))):
        relay([job.shard])
        del tails[job.shard]
        _shard_done(job, result, archive, run_id, reports, ledger)


def _shard_done(job: ShardJob, result: ShardManifest | engine.ShardFailed, archive: Archive,
                run_id: int, reports: dict[str, SiteReport], ledger: RunLedger) -> None:
    """A finished shard merged (or its sites failed), its sites' counts and ``site-done``."""
    if isinstance(result, ShardManifest):
        _merged(result, merge_shard(archive, result, run_id=run_id).sites, reports)
    else:
        for site in job.config.sites:
            reports[site.name].error = f"shard {job.shard} failed: {result}"
            ledger.fail(reports[site.name], (site.feeds + site.sitemaps + site.pages)[0],
                        "discover", reports[site.name].error or "")
    for site in job.config.sites:
        report = reports[site.name]
        ledger.save_counts(report)
        ledger.emit("site-done", report, message=report.error or "")


def _merged(manifest: ShardManifest, merged: dict[str, Any],
            reports: dict[str, SiteReport]) -> None:
    """The sites' reports: what the shard read and fetched, what the merge saved."""
    for name, counts in manifest.counts.items():
        report = reports[name]
        for key, value in counts.items():
            setattr(report.counts, key, value)
        saved = merged.get(name)
        report.counts.new = saved.new if saved else 0
        report.counts.updated = saved.updated if saved else 0
        report.counts.unchanged = saved.unchanged if saved else 0
        report.error = manifest.errors.get(name)
