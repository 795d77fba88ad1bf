"""One crawl shard, as a Ray worker runs it (no Ray here: a plain function of plain values).

Every attempt starts over: the shard's folder is emptied, the central archive's snapshot
copied in, and today's crawl (:func:`scraper.crawl.run_crawl`) run on the shard's sites into
that copy, its WARC files under the shard's own ``captures/``, its events (progress) in
``events.jsonl`` (:mod:`scraper.cluster.progress`). A worker killed mid-shard
leaves a half-done folder that the retry wipes, so nothing is saved twice and nothing lost.
The result is a :class:`~scraper.archive.shards.ShardManifest`, also written beside the
shard archive (``shard.json``) so a merge can be done again from disk.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

from scraper.archive.shards import ShardManifest, shard_base
from scraper.cluster.progress import EventLog
from scraper.config import Config
from scraper.crawl import CrawlEvent, PoolSettings, run_crawl

ARCHIVE_NAME = "archive.db"
MANIFEST_NAME = "shard.json"


@dataclass(frozen=True, slots=True)
class ShardJob:
    """What a worker needs to crawl one shard."""

    shard: str
    """Unique over every run: the ``merged_shards`` key."""
    folder: str
    """The shard's folder under the work folder (every node must see the same path)."""
    base: str
    """The central archive's snapshot this shard starts from."""
    config: Config
    """The run's config with only this shard's sites."""
    max_articles: int | None = None
    pool: PoolSettings = PoolSettings()


def fresh_shard_archive(folder: Path, snapshot: str) -> Path:
    """``folder`` emptied of an earlier attempt's leftovers, holding a copy of the central
    archive's ``snapshot``: the shard's archive (crawl, import and reextract shards alike)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = folder / ARCHIVE_NAME
    shutil.copyfile(snapshot, archive)
    return archive


def run_shard(job: ShardJob) -> ShardManifest:
    """Crawl the shard's sites into a fresh copy of the snapshot; its manifest."""
    started = time.monotonic()
    folder = Path(job.folder)
    archive = fresh_shard_archive(folder, job.base)
    base = shard_base(archive)
    settings = replace(job.config.archive, path=str(archive), captures="captures")
    config = replace(job.config, archive=settings)
    saved: list[str] = []
    with EventLog(folder) as progress:
        def on_event(event: CrawlEvent) -> None:
            if event.kind == "article" and event.url:
                saved.append(event.url)
            progress(event)

        report = run_crawl(config, archive, max_articles=job.max_articles, on_event=on_event,
                           pool=job.pool)
    manifest = ShardManifest(
        shard=job.shard, archive=str(archive),
        captures_dir=str(settings.captures_dir(archive)), base=base, saved=saved,
        counts={site.name: site.counts.as_dict() for site in report.sites},
        errors={site.name: site.error for site in report.sites if site.error},
        status=report.status, message=report.message, elapsed=time.monotonic() - started)
    manifest.write(folder / MANIFEST_NAME)
    return manifest
