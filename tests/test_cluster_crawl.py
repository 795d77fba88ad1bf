"""A crawl and an import on a Ray cluster (a local Ray started here: 2 CPUs, no dashboard, no usage
statistics, listening on 127.0.0.1 only; never `ray stop`) against fixture sites on three
loopback hosts gives what a local crawl of the same config gives, its progress per article
too; a merge is idempotent; a killed worker is re-run.

One Ray instance serves the whole module (it takes seconds to start)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import scraper
from scraper.archive import Archive
from scraper.archive.captures import capture_for_revision
from scraper.archive.shards import ShardManifest, merge_shard
from scraper.captures.reader import load_capture
from scraper.cli import main
from scraper.cluster.engine import LOCAL_RAY, LOOPBACK_ONLY
from scraper.config import Config, parse_config
from scraper.crawl import CrawlEvent, run_crawl
from tests.fixture_site import NewsSite, site_config
from tests.warc_fixtures import HOST, WarcBuilder, article_page

os.environ.setdefault(*LOOPBACK_ONLY)  # Ray on 127.0.0.1 only: set before Ray is imported
ray = pytest.importorskip("ray", reason="the cluster extra is not installed")
from scraper.cluster.crawl import run_cluster_crawl  # noqa: E402

PER_HOST = 2


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(num_cpus=2, log_to_driver=False, configure_logging=False, **LOCAL_RAY)
    yield
    if started_here:
        ray.shutdown()


@pytest.fixture()
def sites() -> Iterator[list[tuple[str, NewsSite]]]:
    """Three hosts: the second repeats four of the first's articles (the same bodies), the
    third carries edited copies of three (near duplicates, in another shard)."""
    first = NewsSite(articles=8, article_delay=0.03)
    second = NewsSite(articles=6, first_index=4, host="127.0.0.2", article_delay=0.03)
    third = NewsSite(articles=3, host="127.0.0.3", article_delay=0.03)
    for article in third.articles:
        third.edit_article(article)
    with first, second, third:
        yield [("saltmere", first), ("harbour", second), ("estuary", third)]


def config_for(sites: list[tuple[str, NewsSite]], archive: Path, shards: int = 3) -> Config:
    text = site_config(sites, per_host_concurrency=PER_HOST, archive=str(archive))
    return parse_config(tomllib.loads(text + f"\n[cluster]\nshards = {shards}\n"))


def url_keys(db: Path) -> set[str]:
    with sqlite3.connect(db) as con:
        return {key for (key,) in con.execute("SELECT url_key FROM article_urls")}


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def near_duplicate_pairs(db: Path) -> set[frozenset[str]]:
    with sqlite3.connect(db) as con:
        return {frozenset(pair) for pair in con.execute(
            "SELECT copy_url, original_url FROM duplicate_pairs")}


def test_a_cluster_crawl_equals_a_local_crawl(cluster: None, tmp_path: Path,
                                              sites: list[tuple[str, NewsSite]]) -> None:
    local_db, cluster_db = tmp_path / "local.db", tmp_path / "cluster.db"
    local = run_crawl(config_for(sites, local_db), local_db)
    remote = run_cluster_crawl(config_for(sites, cluster_db), cluster_db, address="auto")

    assert (local.status, remote.status) == ("completed", "completed")
    assert count(cluster_db, "articles") == count(local_db, "articles") > 0
    assert url_keys(cluster_db) == url_keys(local_db)
    pairs = near_duplicate_pairs(local_db)
    assert pairs, "the fixture has near-duplicate copies across hosts"
    assert near_duplicate_pairs(cluster_db) == pairs
    assert remote.totals.new == local.totals.new
    assert count(cluster_db, "merged_shards") == 3  # one shard per host
    for _name, site in sites:  # the fixture servers' own peak, over both crawls
        assert 1 <= site.server.max_in_flight <= PER_HOST
    # every merged article points at its capture in a shard's WARC file
    with Archive(cluster_db) as archive:
        article_id = archive.db.execute("SELECT min(id) FROM articles").fetchone()[0]
        title = archive.db.execute("SELECT title FROM articles WHERE id = ?",
                                   [article_id]).fetchone()[0]
        capture = capture_for_revision(archive.db, article_id, None)
        assert capture is not None and capture.warc_file.startswith(str(tmp_path))
        record = load_capture(archive.db, tmp_path / "captures", capture)
        assert title.encode() in record.payload


def test_merging_a_shard_twice_adds_nothing_and_the_next_run_is_incremental(
        cluster: None, tmp_path: Path, sites: list[tuple[str, NewsSite]]) -> None:
    db = tmp_path / "archive.db"
    config = config_for(sites, db)
    run_cluster_crawl(config, db, address="auto")
    tables = ("articles", "revisions", "article_urls", "captures", "failures", "article_lsh")
    before = {table: count(db, table) for table in tables}
    manifests = sorted(Path(f"{db}.cluster").glob("run*/shard*/shard.json"))
    assert len(manifests) == 3
    with Archive(db) as archive:
        for path in manifests:
            merged = merge_shard(archive, ShardManifest.read(path), run_id=None)
            assert (merged.articles, merged.captures, merged.failures) == (0, 0, 0)
    assert {table: count(db, table) for table in tables} == before

    _name, first = sites[0]
    first.add_article(40)
    config_path = tmp_path / "config.toml"
    config_path.write_text(site_config(sites, per_host_concurrency=PER_HOST, archive=str(db)))
    again = CliRunner().invoke(main, ["crawl", "--config", str(config_path), "--cluster",
                                      "auto", "--log-format", "json"])
    assert again.exit_code == 0, again.output
    events = [json.loads(line) for line in again.stderr.splitlines() if line.startswith("{")]
    assert [e["event"] for e in events if e["event"].startswith("run")] == ["run-start",
                                                                           "run-done"]
    assert sum(e["counts"]["new"] for e in events if e["event"] == "site-done") == 1
    assert count(db, "articles") == before["articles"] + 1
    assert first.conditional(first.FEED)[-1], "the second run sent the feed's validators"


def test_a_cluster_crawl_tells_its_progress_per_article_as_a_local_crawl(
        cluster: None, tmp_path: Path, sites: list[tuple[str, NewsSite]]) -> None:
    local_db, db = tmp_path / "local.db", tmp_path / "cluster.db"
    local: list[CrawlEvent] = []
    run_crawl(config_for(sites, local_db), local_db, on_event=local.append)
    for _name, site in sites:
        site.article_delay = 0.2  # a shard runs long enough to be seen running
    relayed: list[CrawlEvent] = []
    while_running: list[bool] = []

    def on_event(event: CrawlEvent) -> None:
        relayed.append(event)
        if event.kind == "article":  # before any shard has finished, or after
            while_running.append(not list(Path(f"{db}.cluster").glob("run*/shard*/shard.json")))

    report = run_cluster_crawl(config_for(sites, db), db, address="auto", on_event=on_event)
    assert report.status == "completed"

    def articles(events: list[CrawlEvent]) -> list[tuple[str | None, str | None]]:
        return sorted((e.site, e.url) for e in events if e.kind == "article")

    assert articles(relayed) == articles(local) != []
    assert {"site-start", "listing", "article", "site-done"} <= {e.kind for e in relayed}
    assert [e.kind for e in relayed if e.kind.startswith("run")] == ["run-start", "run-done"]
    assert any(while_running), "the shards' progress came only when they had finished"
    for name, _site in sites:  # one site-done per site, after its articles, merged counts
        kinds = [e.kind for e in relayed if e.site == name]
        assert kinds.count("site-done") == 1 and kinds[-1] == "site-done"
        last = [e for e in relayed if e.site == name and e.kind == "article"][-1]
        assert last.counts is not None and last.counts.fetched == kinds.count("article")


def test_a_worker_killed_mid_shard_is_run_again(cluster: None, tmp_path: Path,
                                                sites: list[tuple[str, NewsSite]]) -> None:
    local_db, db = tmp_path / "local.db", tmp_path / "archive.db"
    run_crawl(config_for(sites, local_db), local_db)
    for _name, site in sites:
        site.article_delay = 0.3
    killed: list[int] = []

    def kill_first_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for lock in Path(f"{db}.cluster").glob("run*/shard*/archive.db.lock"):
                pid = lock.read_text().strip()
                if pid.isdigit():
                    os.kill(int(pid), signal.SIGKILL)
                    killed.append(int(pid))
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_first_worker)
    killer.start()
    report = run_cluster_crawl(config_for(sites, db), db, address="auto")
    killer.join()
    assert killed, "no shard worker was seen running"
    assert report.status == "completed", report.message
    assert count(db, "articles") == count(local_db, "articles")
    assert url_keys(db) == url_keys(local_db)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM (SELECT content_hash FROM articles"
                           " GROUP BY content_hash HAVING count(*) > 1)").fetchone()[0] == 0



def test_stopping_the_shards_on_a_ray_the_caller_started_cancels_them_and_leaves_it_up(
        cluster: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from scraper.cluster import engine

    monkeypatch.setattr(engine, "_joined", [])  # this Ray is the caller's (the fixture's)

    def nap(seconds: float) -> float:
        time.sleep(seconds)
        return seconds

    refs: list[object] = []
    shards = engine.run_each(nap, [0.0, 600.0], max_retries=2, on_submit=refs.extend)
    assert next(shards) == (0.0, 0.0)
    engine.stop(refs)
    with pytest.raises(ray.exceptions.TaskCancelledError):
        ray.get(refs[1], timeout=60)
    assert ray.is_initialized()
    assert ray.get(ray.remote(nap).remote(0.0)) == 0.0

def write_warcs(folder: Path) -> list[Path]:
    """Three WARC files of four articles each; the third repeats one of the first's pages
    under another URL (the same body)."""
    paths = []
    for number in range(3):
        warc = WarcBuilder()
        warc.warcinfo()
        for index in range(number * 4, number * 4 + 4):
            url = f"{HOST}/2024/03/story-{index}/"
            warc.response(url, article_page(index, url).encode())
        if number == 2:
            url = f"{HOST}/2024/03/story-0-again/"
            warc.response(url, article_page(0, url).encode())
        path = folder / f"part-{number}.warc.gz"
        path.write_bytes(warc.file("gzip-records"))
        paths.append(path)
    return paths


def test_a_cluster_import_equals_a_local_import(cluster: None, tmp_path: Path) -> None:
    files = write_warcs(tmp_path)
    runner = CliRunner()
    local = runner.invoke(main, ["import", "--db", str(tmp_path / "local.db"),
                                 *map(str, files)])
    assert local.exit_code == 0, local.output
    db = tmp_path / "cluster.db"
    (tmp_path / "config.toml").write_text("[cluster]\nshards = 3\n")
    remote = runner.invoke(main, ["import", "--config", str(tmp_path / "config.toml"),
                                  "--db", str(db), "--cluster", "auto", *map(str, files)])
    assert remote.exit_code == 0, remote.output
    assert remote.stderr.splitlines()[-1] == local.stderr.splitlines()[-1]  # same summary
    assert count(db, "articles") == count(tmp_path / "local.db", "articles") == 12
    assert url_keys(db) == url_keys(tmp_path / "local.db")
    assert count(db, "captures") == count(tmp_path / "local.db", "captures") == 13
    assert count(db, "merged_shards") == 3
    checked = runner.invoke(main, ["verify", "--db", str(db)])
    assert checked.exit_code == 0, checked.output

    again = runner.invoke(main, ["import", "--config", str(tmp_path / "config.toml"),
                                 "--db", str(db), "--cluster", "auto", *map(str, files)])
    assert again.exit_code == 0, again.output
    assert "3 files (3 already imported)" in again.stderr
    assert count(db, "captures") == 13


def aged(db: Path) -> None:
    """As if an older extractor had read the archive: other headlines on every second
    article, and every capture read by version 'old'."""
    with sqlite3.connect(db) as con:
        con.execute("UPDATE articles SET title = 'An older headline' WHERE id % 2 = 0")
        con.execute("UPDATE captures SET extractor_version = 'old'")


def records(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT a.url, a.title, a.revision_count, r.extractor_version"
                           " FROM articles a JOIN revisions r ON r.article_id = a.id"
                           " AND r.revision = a.revision_count ORDER BY a.url").fetchall()


def test_a_cluster_reextract_equals_a_local_reextract(cluster: None, tmp_path: Path) -> None:
    files = write_warcs(tmp_path)
    runner = CliRunner()
    local_db, db = tmp_path / "local.db", tmp_path / "cluster.db"
    for target in (local_db, db):
        done = runner.invoke(main, ["import", "--db", str(target), *map(str, files)])
        assert done.exit_code == 0, done.output
        aged(target)
    local = runner.invoke(main, ["reextract", "--db", str(local_db)])
    (tmp_path / "config.toml").write_text("[cluster]\nshards = 2\n")
    remote = runner.invoke(main, ["reextract", "--config", str(tmp_path / "config.toml"),
                                  "--db", str(db), "--cluster", "auto"])
    assert (local.exit_code, remote.exit_code) == (0, 0), remote.output
    assert remote.stderr.splitlines()[-1] == local.stderr.splitlines()[-1]
    assert "6 changed" in local.stderr
    assert records(db) == records(local_db)
    assert count(db, "merged_shards") == 2
    again = runner.invoke(main, ["reextract", "--config", str(tmp_path / "config.toml"),
                                 "--db", str(db), "--cluster", "auto"])
    assert "0 articles" in again.stderr


def test_scraper_crawl_runs_on_the_cluster_named_or_the_configured_one(
        cluster: None, tmp_path: Path, sites: list[tuple[str, NewsSite]]) -> None:
    text = site_config(sites, per_host_concurrency=PER_HOST) + "\n[cluster]\nshards = 3\n"
    (tmp_path / "named.toml").write_text(text)
    (tmp_path / "configured.toml").write_text(text + 'address = "auto"\n')
    named = scraper.crawl(tmp_path / "named.toml", db=tmp_path / "named.db", cluster="auto")
    configured = scraper.crawl(tmp_path / "configured.toml", db=tmp_path / "configured.db")
    here = scraper.crawl(tmp_path / "named.toml", db=tmp_path / "here.db")

    assert (named.status, configured.status, here.status) == ("completed",) * 3
    assert named.totals.new == configured.totals.new == here.totals.new > 0
    assert url_keys(tmp_path / "named.db") == url_keys(tmp_path / "here.db")
    assert count(tmp_path / "named.db", "merged_shards") == 3  # one shard per host
    assert count(tmp_path / "configured.db", "merged_shards") == 3
    assert count(tmp_path / "here.db", "merged_shards") == 0
