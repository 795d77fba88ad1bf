"""Crashes, concurrency and a broken archive: the crawler is killed, raced, starved of disk
and pointed at things that are not archives. Nothing committed is lost or duplicated, and
every failure is one clear line.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scraper.cli import main
from tests.archive_queries import query
from tests.fixture_site import NewsSite, site_config

TRIALS = 20
SEED = 6
ARTICLES = 30



def assert_archive_sound(db: Path) -> None:
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert query(db, "PRAGMA foreign_key_check") == []
    assert query(db, "SELECT url FROM articles GROUP BY url HAVING count(*) > 1") == []
    assert query(db, "SELECT content_hash FROM articles GROUP BY content_hash"
                     " HAVING count(*) > 1") == []
    assert query(db, "SELECT article_id, revision FROM revisions GROUP BY article_id, revision"
                     " HAVING count(*) > 1") == []
    # No partial rows: every article has its first revision, its URL and its FTS entry.
    assert query(db, "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM revisions)"
                     " OR id NOT IN (SELECT article_id FROM article_urls)") == []
    assert query(db, "SELECT count(*) FROM articles") == query(
        db, "SELECT count(*) FROM articles_fts")


def crawl_args(tmp_path: Path, *extra: str) -> list[str]:
    return ["crawl", "--config", str(tmp_path / "config.toml"), "--db",
            str(tmp_path / "archive.db"), *extra]


def crawl(tmp_path: Path, *extra: str) -> Result:
    return CliRunner().invoke(main, crawl_args(tmp_path, *extra))


@contextlib.contextmanager
def crawl_process(tmp_path: Path, *extra: str,
                  preexec: Any = None) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m scraper crawl` in its own session, so cleanup can reach all of it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper", *crawl_args(tmp_path, *extra)], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=preexec,
    )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def archived_count(db: Path) -> int:
    try:
        return int(query(db, "SELECT count(*) FROM articles")[0][0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def wait_for_progress(db: Path, articles: int, process: subprocess.Popen[bytes]) -> None:
    """Until ``articles`` are archived (or the crawl has ended)."""
    deadline = time.monotonic() + 30
    while archived_count(db) < articles and process.poll() is None:
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def reported_saved(stderr: bytes) -> set[str]:
    """URLs the run said it archived (``--log-format json`` "article" events)."""
    saved = set()
    for line in stderr.decode("utf-8", "replace").splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            record = json.loads(line)
            if record.get("event") == "article":
                saved.add(record["url"])
    return saved


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun_loses_and_duplicates_nothing(
        tmp_path: Path) -> None:
    rng = random.Random(SEED)
    interrupted = 0
    with NewsSite(articles=ARTICLES, article_delay=0.02) as site:
        expected = {site.url(a.path) for a in site.articles}
        for trial in range(TRIALS):
            folder = tmp_path / f"trial-{trial}"
            folder.mkdir()
            (folder / "config.toml").write_text(
                site_config([("gazette", site)], per_host_concurrency=2, per_host_delay=0.01),
                encoding="utf-8")
            db = folder / "archive.db"
            # A random point: once k articles are archived, plus a random fraction of one save.
            k, extra = rng.randrange(ARTICLES), rng.uniform(0.0, 0.1)
            with crawl_process(folder, "--log-format", "json") as victim:
                wait_for_progress(db, k, victim)
                time.sleep(extra)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(victim.pid, signal.SIGKILL)  # the main process, as the OOM killer
                _out, err = victim.communicate(timeout=30)
            saved = reported_saved(err)
            if db.exists():
                assert_archive_sound(db)
                archived = {row[0] for row in query(db, "SELECT url FROM articles")}
                assert saved <= archived, f"trial {trial}: reported saved but not archived"
                interrupted += 0 < len(archived) < ARTICLES
            rerun = crawl(folder)
            assert rerun.exit_code == 0, (trial, rerun.output)
            assert_archive_sound(db)
            assert {row[0] for row in query(db, "SELECT url FROM articles")} == expected, trial
            statuses = [row[0] for row in query(db, "SELECT status FROM runs ORDER BY id")]
            assert statuses[-1] == "completed", statuses
            assert len(statuses) == 1 or statuses[0] in ("aborted", "completed"), statuses
    # Most kills landed mid-archive (the rest before the first save or after the last).
    assert interrupted >= TRIALS // 2, interrupted


def test_two_crawls_started_together_one_runs_one_exits_with_the_lock_message(
        tmp_path: Path) -> None:
    with NewsSite(articles=6, article_delay=0.2) as site:
        (tmp_path / "config.toml").write_text(site_config([("gazette", site)]),
                                              encoding="utf-8")
        with crawl_process(tmp_path) as first, crawl_process(tmp_path) as second:
            results = [(p.wait(timeout=60), p.stderr.read().decode()) for p in (first, second)
                       if p.stderr is not None]
    codes = sorted(code for code, _err in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert loser.count("\n") == 1
    assert "another crawl is running on this archive (pid " in loser
    db = tmp_path / "archive.db"
    assert query(db, "SELECT status FROM runs") == [("completed",)]
    assert query(db, "SELECT count(*) FROM articles") == [(6,)]
    assert_archive_sound(db)


def test_disk_full_during_a_save_is_one_line_and_the_archive_stays_valid(
        tmp_path: Path) -> None:
    def small_files() -> None:  # CPython ignores SIGXFSZ: writes past it fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    with NewsSite(articles=10) as site:
        (tmp_path / "config.toml").write_text(site_config([("gazette", site)]),
                                              encoding="utf-8")
        with crawl_process(tmp_path, preexec=small_files) as starved:
            _out, err = starved.communicate(timeout=60)
        assert starved.returncode == 1
        lines = err.decode().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {tmp_path / 'archive.db'}: ")
        assert "disk" in lines[0] or "full" in lines[0]
        db = tmp_path / "archive.db"
        assert_archive_sound(db)
        partial = query(db, "SELECT count(*) FROM articles")[0][0]
        assert partial < 10
        # With room again, the next run finishes the job.
        again = crawl(tmp_path)
    assert again.exit_code == 0, again.output
    assert_archive_sound(db)
    assert query(db, "SELECT count(*) FROM articles") == [(10,)]
    assert query(db, "SELECT status FROM runs ORDER BY id")[-1] == ("completed",)


# --- not an archive ------------------------------------------------------------------------------


def _directory(path: Path) -> None:
    path.mkdir()


def _corrupt(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))


def _not_sqlite(path: Path) -> None:
    path.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")


def _read_only(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    path.chmod(0o444)
    path.parent.chmod(0o555)


def _make_immutable(*paths: Path) -> bool:
    """Read-only even for root (which ignores permission bits): the immutable attribute."""
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
    return done.returncode == 0


BROKEN = {"directory": _directory, "corrupt": _corrupt, "not-sqlite": _not_sqlite,
          "read-only": _read_only}


@pytest.mark.parametrize("command", ["crawl", "fetch --save", "search"])
@pytest.mark.parametrize("kind", BROKEN)
def test_an_unusable_archive_is_one_clear_line(kind: str, command: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "archive.db"
    BROKEN[kind](db)
    immutable = kind == "read-only" and os.geteuid() == 0
    if immutable and not _make_immutable(db, folder):
        folder.chmod(0o755)
        pytest.skip("root writes to read-only files and chattr +i is not available here")
    try:
        with NewsSite(articles=2) as site:
            config = tmp_path / "config.toml"
            config.write_text(site_config([("gazette", site)]), encoding="utf-8")
            args = {
                "crawl": ["crawl"],
                "fetch --save": ["fetch", site.url(site.articles[0].path), "--save"],
                "search": ["search", "ferry"],
            }[command]
            result = CliRunner().invoke(main, [*args, "--config", str(config), "--db", str(db)])
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(db), str(folder)], check=False)
        folder.chmod(0o755)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {db}"), lines
    assert "Traceback" not in result.output
