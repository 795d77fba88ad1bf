"""Cluster crawl speed: the same pages crawled locally and on a local Ray instance, side by
side, and the merge rate into the central archive.

    .venv/bin/python bench/cluster_speed.py                 # 2 hosts x 300 generated pages
    .venv/bin/python bench/cluster_speed.py --pages 200 --hosts 4
    .venv/bin/python bench/cluster_speed.py --smoke         # a few pages: does it still run?

Needs the ``cluster`` extra (Ray); without it, it says so and exits 0. The pages are the
crawl benchmark's generated pages (``bench/_site_pages.py``: ~80 kB of real-looking chrome
around a unique body), served by one process per host on 127.0.0.1, 127.0.0.2, ... (a
process of their own, so serving does not share the crawler's interpreter). Each host is a
site, so the cluster run has one shard per host, as a crawl of many sites would.

Measured, in this order: a local crawl (``run_crawl``), a cluster crawl
(``run_cluster_crawl`` on a Ray started here with every CPU: snapshot, shards, merge, all
counted), a second local crawl (rates drift on a shared machine: the cluster is quoted
against the mean of the two local runs), then the merge alone: the cluster run's shard
archives merged again into a fresh archive (``merge_shard``: every article through
``Archive.save`` with its full-text index and near-duplicate sketch), in articles/s.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _site_pages import heavy_page  # noqa: E402

from scraper.config import ClusterSettings, Config, FetchSettings, SiteSettings  # noqa: E402
from scraper.crawl import run_crawl  # noqa: E402

SMOKE_PAGES = 6


def serve(host: str, first: int, count: int, ready: Connection) -> None:
    """One host's pages (article ``first`` .. ``first + count - 1``) and a sitemap."""
    from tests.httpserver import FixtureServer, Reply

    server = FixtureServer(host).start()
    base = server.url("")
    pages = [heavy_page(i, base) for i in range(first, first + count)]
    for path, text in pages:
        server.route(path, Reply(body=text.encode("utf-8"),
                                 headers={"Content-Type": "text/html; charset=utf-8"}))
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
               'schemas/sitemap/0.9">' + "".join(f"<url><loc>{base}{p}</loc></url>"
                                                 for p, _ in pages) + "</urlset>")
    server.route("/sitemap.xml", Reply(body=sitemap.encode(),
                                       headers={"Content-Type": "application/xml"}))
    ready.send(base)
    ready.recv()
    server.stop()


def config_for(bases: list[str], pages: int, shards: int) -> Config:
    settings = FetchSettings(concurrency=16, per_host_concurrency=4, per_host_delay=0.0,
                             timeout=60.0, retries=1)
    sites = tuple(SiteSettings(name=f"host{i}", sitemaps=(f"{base}/sitemap.xml",),
                               max_articles=pages) for i, base in enumerate(bases))
    return Config(fetch=settings, sites=sites, cluster=ClusterSettings(shards=shards))


def timed_local(config: Config, folder: Path, name: str) -> float:
    started = time.monotonic()
    report = run_crawl(config, folder / f"{name}.db")
    elapsed = time.monotonic() - started
    rate = report.totals.new / elapsed
    print(f"local crawl ({name}): {report.totals.new} articles in {elapsed:.1f} s:"
          f" {rate:.1f} articles/s")
    return rate


def timed_cluster(config: Config, folder: Path, workers: int | None) -> tuple[float, Path]:
    from scraper.cluster.crawl import run_cluster_crawl
    from scraper.crawl import PoolSettings

    db = folder / "cluster.db"
    started = time.monotonic()
    report = run_cluster_crawl(config, db, address="local",
                               pool=PoolSettings(workers=workers) if workers is not None else None)
    elapsed = time.monotonic() - started
    rate = report.totals.new / elapsed
    print(f"cluster crawl ({len(config.sites)} shards): {report.totals.new} articles in"
          f" {elapsed:.1f} s: {rate:.1f} articles/s (snapshot, shards and merge included)")
    from scraper.archive.shards import ShardManifest

    shards = [ShardManifest.read(p) for p in Path(f"{db}.cluster").glob("run*/shard*/shard.json")]
    print("  each shard in its worker: " + ", ".join(f"{m.elapsed:.1f} s" for m in shards))
    return rate, db


def timed_merge(db: Path, folder: Path) -> float:
    """The cluster run's shards merged again into a fresh archive."""
    from scraper.archive import Archive
    from scraper.archive.shards import ShardManifest, merge_shard

    manifests = [ShardManifest.read(p) for p in sorted(Path(f"{db}.cluster").glob(
        "run*/shard*/shard.json"))]
    with Archive(folder / "merged.db") as archive:
        started = time.monotonic()
        articles = sum(merge_shard(archive, m, run_id=None).articles for m in manifests)
        elapsed = time.monotonic() - started
    rate = articles / elapsed if elapsed else 0.0
    print(f"merge alone: {articles} articles from {len(manifests)} shards in {elapsed:.2f} s:"
          f" {rate:.0f} articles/s (Archive.save: dedup, revision, FTS, near-duplicate sketch)")
    return rate


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="pages per host")
    parser.add_argument("--hosts", type=int, default=2, help="hosts (sites, shards)")
    parser.add_argument("--shard-workers", type=int, default=None,
                        help="extraction workers per shard (default: the cluster's, 2)")
    parser.add_argument("--ray-niceness", dest="niceness", action="store_false",
                        help="leave Ray's workers at its default nice 15 (before the fix)")
    parser.add_argument("--smoke", action="store_true",
                        help=f"{SMOKE_PAGES} pages a host: check that it runs, no figures")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    pages = SMOKE_PAGES if args.smoke else args.pages
    if importlib.util.find_spec("ray") is None:
        print("cluster_speed: Ray is not installed (pip install 'scraper[cluster]'): skipped")
        return
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    from scraper.cluster.engine import LOCAL_RAY, LOOPBACK_ONLY

    os.environ.setdefault(*LOOPBACK_ONLY)  # before Ray is imported
    import ray

    context = multiprocessing.get_context("spawn")
    servers, bases = [], []
    for i in range(args.hosts):
        parent_end, child_end = context.Pipe()
        process = context.Process(target=serve, args=(f"127.0.0.{i + 1}", i * pages, pages,
                                                      child_end), daemon=True)
        process.start()
        servers.append((process, parent_end))
        bases.append(parent_end.recv())
    config = config_for(bases, pages, args.hosts)
    started = time.monotonic()
    ray.init(num_cpus=os.cpu_count(), log_to_driver=False,
             configure_logging=False, **(LOCAL_RAY if args.niceness else {}))
    print(f"Ray started in {time.monotonic() - started:.1f} s (not counted below);"
          f" {os.cpu_count()} CPUs, {args.hosts} hosts x {pages} pages")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            before = timed_local(config, folder, "before")
            cluster, db = timed_cluster(config, folder, args.shard_workers)
            after = timed_local(config, folder, "after")
            mean = (before + after) / 2
            print(f"ratio cluster / local: {cluster / mean:.2f}x against the mean of before and"
                  f" after ({cluster / before:.2f}x before, {cluster / after:.2f}x after)")
            timed_merge(db, folder)
    finally:
        ray.shutdown()
        for process, end in servers:
            end.send("stop")
            process.join(timeout=10)


if __name__ == "__main__":
    main()
