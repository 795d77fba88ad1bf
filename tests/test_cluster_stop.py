"""SIGTERM on the driver of a cluster crawl (`scraper crawl --cluster local` in a process of
its own, starting its own Ray, against a real fixture server): the shards stop, the run is
recorded aborted, and the driver ends as a local crawl does (exit 1, the summary line, no
traceback). The shard's worker runs at the driver's priority (Ray's default is nice 15)."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner

from scraper.cli import main
from scraper.cluster.engine import LOOPBACK_ONLY
from tests.fixture_site import NewsSite, site_config
from tests.warc_fixtures import HOST, WarcBuilder, article_page

pytest.importorskip("ray", reason="the cluster extra is not installed")

T = TypeVar("T")


def wait_for(what: Callable[[], T], seconds: float, message: str) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(message)


def shard_worker(db: Path) -> int | None:
    """The pid of the process crawling a shard: its shard archive's lock file holds it."""
    for lock in Path(f"{db}.cluster").glob("run*/shard*/archive.db.lock"):
        pid = lock.read_text().strip()
        if pid.isdigit():
            return int(pid)
    return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigterm_on_the_driver_stops_the_shards_and_records_the_run_aborted(
        tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    config = tmp_path / "config.toml"
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", LOOPBACK_ONLY[0]: LOOPBACK_ONLY[1]}
    with NewsSite(articles=40, article_delay=0.3) as site:
        config.write_text(site_config([("saltmere", site)], per_host_concurrency=1,
                                      archive=str(db)))
        articles = {article.path for article in site.articles}
        driver = subprocess.Popen(
            [sys.executable, "-m", "scraper", "crawl", "--config", str(config), "--cluster",
             "local"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        try:
            worker = wait_for(lambda: shard_worker(db), 120, "no shard worker started")
            wait_for(lambda: articles & set(site.server.paths()), 60,
                     "the shard fetched no article")
            assert os.getpriority(os.PRIO_PROCESS, worker) == os.getpriority(
                os.PRIO_PROCESS, driver.pid), "the shard runs below the driver's priority"
            driver.send_signal(signal.SIGTERM)
            _out, err = driver.communicate(timeout=60)
        finally:
            if driver.poll() is None:
                driver.kill()
        wait_for(lambda: not alive(worker), 30, "the shard's worker is still running")
        fetched = len(site.server.requests)
        time.sleep(1.0)
        assert len(site.server.requests) == fetched, "pages were still fetched after the stop"

    assert driver.returncode == 1, err
    assert "Traceback" not in err, err
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("scraper crawl: run 1 aborted") and "stopped by SIGTERM" in summary
    saved = int(summary.split(" new,")[0].rsplit(" ", 1)[-1])
    assert saved < len(articles)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT status, message FROM runs").fetchall() == [
            ("aborted", "stopped by SIGTERM")]
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == saved


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def warc_files(folder: Path, files: int, per_file: int) -> list[Path]:
    paths = []
    for number in range(files):
        warc = WarcBuilder()
        for index in range(number * per_file, (number + 1) * per_file):
            url = f"{HOST}/2024/06/stopped-{index}/"
            warc.response(url, article_page(index, url).encode())
        path = folder / f"part-{number}.warc.gz"
        path.write_bytes(warc.file("gzip-records"))
        paths.append(path)
    return paths


def merged_shards(db: Path) -> int:
    with contextlib.suppress(sqlite3.OperationalError):
        return count(db, "merged_shards")
    return 0


def stopped_driver(tmp_path: Path, db: Path, args: list[str]) -> tuple[int, str]:
    """``scraper ARGS --cluster local`` (six shards on the machine's CPUs) in a process of its
    own, sent SIGTERM once a shard is merged; its exit status and stderr."""
    config = tmp_path / "config.toml"
    config.write_text(f"[cluster]\nshards = 6\nwork_dir = {str(tmp_path / 'work')!r}\n")
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", LOOPBACK_ONLY[0]: LOOPBACK_ONLY[1]}
    driver = subprocess.Popen(
        [sys.executable, "-m", "scraper", *args, "--config", str(config), "--db", str(db),
         "--cluster", "local"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: merged_shards(db), 180, "no shard was merged")
        driver.send_signal(signal.SIGTERM)
        _out, err = driver.communicate(timeout=60)
    finally:
        if driver.poll() is None:
            driver.kill()
    return driver.returncode, err


STOPPED_BY_SIGTERM = 128 + signal.SIGTERM
"""A local import or reextract has no handler: SIGTERM ends it, the shell says 143."""


def test_sigterm_on_a_cluster_import_keeps_the_merged_shards_and_a_rerun_resumes(
        tmp_path: Path) -> None:
    files = warc_files(tmp_path, files=6, per_file=80)
    db = tmp_path / "archive.db"
    status, err = stopped_driver(tmp_path, db, ["import", *map(str, files)])

    assert status == STOPPED_BY_SIGTERM, err
    assert "Traceback" not in err, err
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("scraper import: stopped by SIGTERM, "), summary
    new = int(summary.split(" new,")[0].rsplit(" ", 1)[-1])
    assert 0 < new < 480, summary
    assert count(db, "articles") == count(db, "captures") == new
    assert count(db, "merged_shards") * 80 == new  # whole shards only, one file each

    again = CliRunner().invoke(main, ["import", "--db", str(db), *map(str, files)])
    assert again.exit_code == 0, again.output
    assert f"{480 - new} new" in again.stderr
    assert count(db, "articles") == count(db, "captures") == 480


def test_sigterm_on_a_cluster_reextract_keeps_the_merged_shards_and_a_rerun_resumes(
        tmp_path: Path) -> None:
    files = warc_files(tmp_path, files=2, per_file=180)
    db = tmp_path / "archive.db"
    runner = CliRunner()
    done = runner.invoke(main, ["import", "--db", str(db), *map(str, files)])
    assert done.exit_code == 0, done.output
    with sqlite3.connect(db) as con:
        con.execute("UPDATE captures SET extractor_version = 'old'")
    status, err = stopped_driver(tmp_path, db, ["reextract"])

    assert status == STOPPED_BY_SIGTERM, err
    assert "Traceback" not in err, err
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("scraper reextract: stopped by SIGTERM, "), summary
    read = int(summary.split(" articles,")[0].rsplit(" ", 1)[-1])
    assert 0 < read < 360, summary
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM captures WHERE extractor_version != 'old'"
                           ).fetchone()[0] == read
    again = runner.invoke(main, ["reextract", "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert f"reextract: {360 - read} articles" in again.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM captures WHERE extractor_version = 'old'"
                           ).fetchone()[0] == 0
