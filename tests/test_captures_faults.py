"""Captures under crashes and a full disk: `kill -9` at random points of a crawl, a WARC file
left with a torn last record, a file size limit hit while writing a capture. Real
processes, real signals, real files."""

from __future__ import annotations

import base64
import contextlib
import os
import random
import resource
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from scraper.cli import main
from tests.archive_queries import query
from tests.fixture_site import NewsSite, make_article, render_article, site_config
from tests.httpserver import FixtureServer, Reply, Request
from tests.test_faults_crash import (
    archived_count,
    assert_archive_sound,
    crawl,
    crawl_process,
)

TRIALS = 6
SEED = 13



def assert_captures_readable(folder: Path) -> None:
    """Every capture the index points at is there and whole (scraper verify, and warcio
    reading every file to its end)."""
    result = CliRunner().invoke(main, ["verify", "--config", str(folder / "config.toml"),
                                       "--db", str(folder / "archive.db")])
    assert result.exit_code == 0, result.output
    for path in (folder / "captures").rglob("*.warc.gz"):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle, check_digests=True):
                record.content_stream().read()
                assert record.digest_checker.passed is not False


def test_kill_9_at_random_points_leaves_no_record_without_its_capture(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    with NewsSite(articles=20, article_delay=0.02) as site:
        for trial in range(TRIALS):
            folder = tmp_path / f"trial-{trial}"
            folder.mkdir()
            (folder / "config.toml").write_text(
                site_config([("gazette", site)], per_host_concurrency=2, per_host_delay=0.01),
                encoding="utf-8")
            db = folder / "archive.db"
            target = rng.randrange(1, 20)
            with crawl_process(folder) as victim:
                deadline = time.monotonic() + 30
                while archived_count(db) < target and victim.poll() is None:
                    assert time.monotonic() < deadline
                    time.sleep(0.005)
                time.sleep(rng.uniform(0.0, 0.05))
                with contextlib.suppress(ProcessLookupError):
                    os.kill(victim.pid, signal.SIGKILL)
                victim.communicate(timeout=30)
            assert_archive_sound(db)
            assert query(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1"
                             " FROM captures c WHERE c.article_id = a.id)") == [(0,)]
            assert_captures_readable(folder)
            assert crawl(folder).exit_code == 0  # the next run closes off what was left
            assert query(db, "SELECT count(*) FROM warc_files WHERE state = 'writing'") == [(0,)]
            assert query(db, "SELECT count(*) FROM articles") == [(20,)]
            assert_captures_readable(folder)


def test_a_torn_last_record_is_cut_off_by_the_next_run_never_appended_to(
        tmp_path: Path) -> None:
    with NewsSite(articles=3) as site:
        (tmp_path / "config.toml").write_text(site_config([("gazette", site)]),
                                              encoding="utf-8")
        assert crawl(tmp_path).exit_code == 0
        db = tmp_path / "archive.db"
        (name,) = query(db, "SELECT path FROM warc_files")[0]
        path = tmp_path / "captures" / name
        whole = path.stat().st_size
        # what a writer killed in the middle of a record leaves: half a gzip member, and
        # the file still marked as being written
        member = path.read_bytes()[:200]
        with path.open("ab") as handle:
            handle.write(member[:120])
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE warc_files SET state = 'writing' WHERE path = ?", (name,))
        site.add_article(40)
        assert crawl(tmp_path).exit_code == 0
    assert path.stat().st_size == whole
    assert query(db, "SELECT state, size FROM warc_files WHERE path = ?", (name,)) == [
        ("closed", whole)]
    assert query(db, "SELECT count(*) FROM captures WHERE warc_file = ? AND offset >= ?",
                 (name, whole)) == [(0,)]
    assert_captures_readable(tmp_path)


def _big_pages_site(server: FixtureServer, count: int) -> list[str]:
    """Articles padded with 150 KB of incompressible bytes in a comment: the WARC files
    grow much faster than the archive."""
    rng = random.Random(7)
    urls = []
    for index in range(count):
        path = f"/2024/03/padded-story-{index}/"
        article = make_article(index, theme="wordpress")
        padding = base64.b64encode(rng.randbytes(110_000)).decode()
        page = render_article(article, server.url(path), []).replace(
            "</body>", f"<!-- {padding} --></body>")
        server.route(path, Reply(body=page.encode(),
                                 headers={"Content-Type": "text/html; charset=utf-8"}))
        urls.append(server.url(path))

    def feed(_request: Request) -> Reply:
        items = "".join(f"<item><title>Story {i}</title><link>{u}</link></item>"
                        for i, u in enumerate(urls))
        body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
        return Reply(body=body.encode(), headers={"Content-Type": "application/rss+xml"})

    server.route("/feed.xml", feed)
    return urls


@pytest.mark.slow
def test_disk_full_while_writing_a_capture_stops_the_crawl_with_one_line(
        tmp_path: Path, server: FixtureServer) -> None:
    urls = _big_pages_site(server, 8)
    (tmp_path / "config.toml").write_text(
        '[fetch]\nper_host_delay = 0.0\nretries = 0\n[[sites]]\nname = "padded"\n'
        f'feeds = ["{server.url("/feed.xml")}"]\n', encoding="utf-8")
    assert crawl(tmp_path, "--max-articles", "0").exit_code == 0  # the archive exists

    def small_files() -> None:  # CPython ignores SIGXFSZ: writes past it fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (600_000, 600_000))

    with crawl_process(tmp_path, preexec=small_files) as starved:
        _out, err = starved.communicate(timeout=120)
    lines = err.decode().splitlines()
    assert starved.returncode == 1, lines
    assert len(lines) == 1 and "disk full" in lines[0] and ".warc.gz" in lines[0], lines
    db = tmp_path / "archive.db"
    assert_archive_sound(db)
    assert 0 < archived_count(db) < len(urls)
    assert_captures_readable(tmp_path)
    again = crawl(tmp_path)
    assert again.exit_code == 0, again.output
    assert archived_count(db) == len(urls)
    assert_captures_readable(tmp_path)
