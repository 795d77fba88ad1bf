"""`scraper crawl` end to end: real HTTP servers on 127.0.0.1, a real archive, no mocks.

The fixture news site (tests/fixture_site.py) records every request it gets; the tests read
the archive with plain sqlite3, the way a user would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scraper.cli import main
from scraper.config import Config
from scraper.crawl import PoolSettings, redirect_guard, run_crawl
from scraper.crawl.scope import UrlFilter
from scraper.fetch import RedirectCheck
from tests.fixture_site import NewsSite, site_config
from tests.httpserver import FixtureServer, Reply


def crawl(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["crawl", "--config", str(tmp_path / "config.toml"), "--db",
               str(tmp_path / "archive.db"), *args],
    )


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def query(tmp_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "archive.db") as db:
        return db.execute(sql, params).fetchall()


def site_counts(tmp_path: Path, run_id: int) -> dict[str, dict[str, int]]:
    rows = query(tmp_path, "SELECT site, discovered, fetched, new, updated, unchanged,"
                           " skipped_robots, failed FROM run_sites WHERE run_id = ?", (run_id,))
    names = ("discovered", "fetched", "new", "updated", "unchanged", "skipped_robots", "failed")
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}


def assert_no_duplicates(tmp_path: Path) -> None:
    assert query(tmp_path, "SELECT url, count(*) FROM articles GROUP BY url"
                           " HAVING count(*) > 1") == []
    assert query(tmp_path, "SELECT content_hash, count(*) FROM articles GROUP BY content_hash"
                           " HAVING count(*) > 1") == []
    assert query(tmp_path, "SELECT article_id, revision, count(*) FROM revisions"
                           " GROUP BY article_id, revision HAVING count(*) > 1") == []


@pytest.fixture
def outsider() -> Iterator[FixtureServer]:
    """Another host: the crawler must never send it a request."""
    with FixtureServer() as server:
        yield server


# --- the main job: two runs ----------------------------------------------------------------------


def test_two_runs_archive_new_edited_and_removed_articles(tmp_path: Path,
                                                          outsider: FixtureServer) -> None:
    with NewsSite(articles=8, article_delay=0.05,
                  outsider=outsider.url("/2024/03/partner-story/")) as gazette, \
         NewsSite(articles=3, first_index=20) as courier:
        write_config(tmp_path, site_config([("gazette", gazette), ("courier", courier)],
                                           per_host_concurrency=2, refresh_after="0s"))

        first = crawl(tmp_path)
        assert first.exit_code == 0, first.output
        # Not a terminal: exactly one summary line.
        assert first.stderr.count("\n") == 1
        assert first.stderr.startswith("scraper crawl: run 1 completed in ")
        assert "11 new" in first.stderr and "2 skipped by robots" in first.stderr

        counts = site_counts(tmp_path, 1)
        assert counts["gazette"] == {"discovered": 9, "fetched": 8, "new": 8, "updated": 0,
                                     "unchanged": 0, "skipped_robots": 1, "failed": 0}
        assert counts["courier"]["new"] == 3
        assert query(tmp_path, "SELECT count(*) FROM articles") == [(11,)]
        assert_no_duplicates(tmp_path)
        # Every page's own text was archived, under the site that found it.
        for site, name in ((gazette, "gazette"), (courier, "courier")):
            for article in site.articles:
                rows = query(tmp_path, "SELECT site, body FROM articles WHERE url = ?",
                             (site.url(article.path),))
                assert rows and rows[0][0] == name
                assert f"SG-{article.index:05d}" in rows[0][1]
        # A page without any date got the feed's date.
        undated = [a for a in gazette.articles if a.theme == "nodate"]
        assert undated
        for article in undated:
            assert query(tmp_path, "SELECT published, date_source FROM articles WHERE url = ?",
                         (gazette.url(article.path),)) == [(article.published.isoformat(), "feed")]

        # Between runs: one article appears, one is edited, one disappears.
        added = gazette.add_article(8)
        edited = gazette.articles[3]
        removed = gazette.articles[5]
        gazette.edit_article(edited)
        gazette.remove_article(removed)  # still in the (stale) archive sitemap: a 404 now

        second = crawl(tmp_path)
        assert second.exit_code == 0, second.output
        counts = site_counts(tmp_path, 2)
        assert counts["gazette"] == {"discovered": 10, "fetched": 8, "new": 1, "updated": 1,
                                     "unchanged": 6, "skipped_robots": 1, "failed": 1}
        assert counts["courier"] == {"discovered": 4, "fetched": 3, "new": 0, "updated": 0,
                                     "unchanged": 3, "skipped_robots": 1, "failed": 0}
        assert query(tmp_path, "SELECT count(*) FROM articles") == [(12,)]
        assert_no_duplicates(tmp_path)
        assert query(tmp_path, "SELECT count(*) FROM articles WHERE url = ?",
                     (gazette.url(added.path),)) == [(1,)]

    # The edited article has two revisions, both texts kept.
    revisions = query(tmp_path, "SELECT r.revision, r.body FROM revisions r JOIN articles a"
                                " ON a.id = r.article_id WHERE a.url = ? ORDER BY r.revision",
                      (gazette.url(edited.path),))
    assert [r[0] for r in revisions] == [1, 2]
    assert "correction 1" not in revisions[0][1] and "correction 1" in revisions[1][1]
    # The removed article is still archived; its 404 is a recorded failure, not a fatal one.
    assert query(tmp_path, "SELECT revision_count FROM articles WHERE url = ?",
                 (gazette.url(removed.path),)) == [(1,)]
    assert query(tmp_path, "SELECT run_id, stage, status FROM failures WHERE url = ?",
                 (gazette.url(removed.path),)) == [(2, "fetch", 404)]
    assert query(tmp_path, "SELECT id, status FROM runs ORDER BY id") == [(1, "completed"),
                                                                         (2, "completed")]

    assert_polite_over_two_runs(gazette, courier, outsider)
    # Unchanged listings cost a 304 on the second run; changed ones are fetched again.
    for listing in (NewsSite.FEED, NewsSite.ATOM, NewsSite.SITEMAP_INDEX, NewsSite.SECTION):
        assert courier.statuses(listing) == [200, 304], listing
    assert gazette.statuses(NewsSite.FEED) == [200, 200]
    # Nothing that is not new or due for refresh was fetched twice in one run.
    assert gazette.requests_for(added.path) == 1


def assert_polite_over_two_runs(gazette: NewsSite, courier: NewsSite,
                                outsider: FixtureServer) -> None:
    """Politeness, from the servers' own records."""
    assert gazette.requests_for(NewsSite.PRIVATE) == 0  # robots.txt Disallow
    assert courier.requests_for(NewsSite.PRIVATE) == 0
    assert outsider.requests == []  # a link to another host is not followed
    assert gazette.requests_for("/robots.txt") == 2  # once per host per run
    assert gazette.requests_for(NewsSite.SITEMAP_INDEX) == 2  # it lists itself: no loop
    assert gazette.requests_for(NewsSite.SECTION_PAGE_2) == 2  # rel=next pagination followed
    assert not [p for p in gazette.server.paths() if p.startswith(("/tag/", "/author/", "/about"))]
    assert gazette.server.max_in_flight == 2  # per_host_concurrency, and it was used
    assert courier.server.max_in_flight <= 2


def test_without_refresh_known_articles_are_not_fetched_again(tmp_path: Path) -> None:
    with NewsSite(articles=4) as site:
        write_config(tmp_path, site_config([("gazette", site)]))
        assert crawl(tmp_path).exit_code == 0
        site.edit_article(site.articles[0])
        result = crawl(tmp_path)
        assert result.exit_code == 0, result.output
    assert site_counts(tmp_path, 2)["gazette"]["fetched"] == 0
    assert all(site.requests_for(a.path) == 1 for a in site.articles)
    assert site.statuses(NewsSite.FEED) == [200, 304]


# --- politeness ----------------------------------------------------------------------------------


def test_robots_5xx_skips_the_host(tmp_path: Path) -> None:
    with NewsSite(articles=3) as site:
        site.robots_status = 503
        write_config(tmp_path, site_config([("gazette", site)]))
        result = crawl(tmp_path)
    assert result.exit_code == 1, result.output
    assert site.server.paths() == ["/robots.txt"]  # nothing else was requested
    assert "error: site gazette: no feed, sitemap or section page could be read" in result.stderr
    assert query(tmp_path, "SELECT stage, status FROM failures WHERE url LIKE '%/robots.txt'") == [
        ("robots", 503)]
    assert query(tmp_path, "SELECT status FROM runs") == [("failed",)]


def test_robots_404_means_everything_is_allowed(tmp_path: Path) -> None:
    with NewsSite(articles=2) as site:
        site.robots_status = 404
        write_config(tmp_path, site_config([("gazette", site)]))
        result = crawl(tmp_path)
    assert result.exit_code == 0, result.output
    assert site.requests_for(NewsSite.PRIVATE) == 1  # no rules: the private page is a candidate


def test_crawl_delay_from_robots_spaces_requests(tmp_path: Path) -> None:
    with NewsSite(articles=3, crawl_delay=0.1) as site:
        write_config(tmp_path, site_config([("gazette", site)], per_host_concurrency=2,
                                           per_host_delay=0.0))
        assert crawl(tmp_path).exit_code == 0
    starts = [r.started for r in site.server.requests[1:]]  # after robots.txt was read
    assert len(starts) >= 8
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.07  # 0.1 s apart, less a little jitter; without it: ~0.001


def test_retry_after_pauses_only_that_host(tmp_path: Path) -> None:
    with NewsSite(articles=2) as slow, NewsSite(articles=3, first_index=30) as other:
        target = slow.articles[0].path
        slow.fail_next(target, Reply(status=429, headers={"Retry-After": "1"}))
        slow.fail_next(slow.articles[1].path, Reply(status=503))  # retried with backoff
        write_config(tmp_path, site_config([("slow", slow), ("other", other)]))
        result = crawl(tmp_path)
    assert result.exit_code == 0, result.output
    assert site_counts(tmp_path, 1)["slow"]["new"] == 2
    assert query(tmp_path, "SELECT count(*) FROM failures") == [(0,)]
    hits = [r.started for r in slow.server.requests if r.path == target]
    assert len(hits) == 2 and hits[1] - hits[0] >= 0.95
    # The other host went on while this one waited.
    other_articles = [r.started for r in other.server.requests
                      if r.path in {a.path for a in other.articles}]
    assert len(other_articles) == 3 and max(other_articles) < hits[1]


def test_url_failures_are_recorded_and_the_run_completes(tmp_path: Path,
                                                         outsider: FixtureServer) -> None:
    with NewsSite(articles=4) as site:
        empty, missing, moved, fine = site.articles[:4]
        site.fail_next(empty.path, Reply(body=b"<html><head><title>x</title></head><body></body>"
                                              b"</html>", headers={"Content-Type": "text/html"}))
        site.fail_next(missing.path, Reply(status=404))
        site.redirects[moved.path] = outsider.url("/2024/03/elsewhere/")
        write_config(tmp_path, site_config([("gazette", site)]))
        result = crawl(tmp_path, "--log-format", "json")
    assert result.exit_code == 0, result.output
    failures = {row[0]: row[1:] for row in query(
        tmp_path, "SELECT url, stage, status, reason FROM failures")}
    assert failures[site.url(empty.path)][:2] == ("extract", 200)
    assert failures[site.url(missing.path)][:2] == ("fetch", 404)
    stage, status, reason = failures[site.url(moved.path)]
    assert (stage, status) == ("fetch", 301) and "refused" in reason
    assert outsider.requests == []
    assert query(tmp_path, "SELECT url FROM articles") == [(site.url(fine.path),)]
    # JSON lines on stderr, ending with the summary.
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert {r["event"] for r in records} >= {"run-start", "listing", "article", "failure",
                                             "site-done", "summary"}
    assert records[-1]["event"] == "summary" and records[-1]["totals"]["failed"] == 3


def _verdict(check: RedirectCheck, source: str, target: str) -> str | None:
    return asyncio.run(check(source, target))


def test_redirect_guard() -> None:
    dns = {"www.news.example": ["93.184.216.34"], "cdn.news.example": ["192.168.1.20"],
           "v6.news.example": ["2001:db8::1", "fe80::1"]}

    async def resolve(host: str) -> list[str]:
        return dns[host]

    urls = UrlFilter(["https://news.example/feed/"],
                     allowed_hosts=["10.1.2.3", "localhost", "cdn.news.example",
                                    "v6.news.example"])
    public = redirect_guard(urls, resolve=resolve)
    assert _verdict(public, "https://news.example/a", "https://www.news.example/a") is None
    assert "not one of the site's hosts" in (
        _verdict(public, "https://news.example/a", "https://evil.example/a") or "")
    assert "private" in (_verdict(public, "https://news.example/a", "http://10.1.2.3/a") or "")
    assert "private" in (_verdict(public, "https://news.example/a", "http://localhost/a") or "")
    # A name is judged by where it points.
    assert "private" in (
        _verdict(public, "https://news.example/a", "https://cdn.news.example/a") or "")
    assert "private" in (
        _verdict(public, "https://news.example/a", "https://v6.news.example/a") or "")
    assert _verdict(public, "http://10.1.2.3/a", "http://localhost/b") is None  # user's choice
    allowed = redirect_guard(urls, allow_private=True, resolve=resolve)
    assert _verdict(allowed, "https://news.example/a", "http://10.1.2.3/a") is None
    assert _verdict(allowed, "https://news.example/a", "https://cdn.news.example/a") is None


# --- limits, dry runs, config --------------------------------------------------------------------


def test_max_articles_caps_a_run_and_the_next_run_picks_up(tmp_path: Path) -> None:
    with NewsSite(articles=7) as site:
        write_config(tmp_path, site_config([("gazette", site)]))
        assert crawl(tmp_path, "--max-articles", "3").exit_code == 0
        assert site_counts(tmp_path, 1)["gazette"]["new"] == 3
        # The feed is unchanged (304), and the links it named are still there to pick up.
        assert crawl(tmp_path).exit_code == 0
        assert site_counts(tmp_path, 2)["gazette"]["new"] == 4
        assert crawl(tmp_path).exit_code == 0
    assert site.statuses(NewsSite.FEED) == [200, 304, 304]
    assert site_counts(tmp_path, 3)["gazette"]["fetched"] == 0
    assert query(tmp_path, "SELECT count(*) FROM articles") == [(7,)]


def test_dry_run_lists_candidates_and_fetches_no_article(tmp_path: Path) -> None:
    with NewsSite(articles=5) as site:
        write_config(tmp_path, site_config([("gazette", site)]))
        result = crawl(tmp_path, "--dry-run")
        as_json = crawl(tmp_path, "--dry-run", "--log-format", "json")
    assert result.exit_code == 0, result.output
    listed = sorted(line.split("\t") for line in result.stdout.splitlines())
    assert listed == sorted(["gazette", "new", site.url(a.path)] for a in site.articles)
    assert "5 would be fetched" in result.stderr
    assert not any(site.requests_for(a.path) for a in site.articles)
    assert not (tmp_path / "archive.db").exists()
    assert {json.loads(line)["url"] for line in as_json.stdout.splitlines()} == {
        site.url(a.path) for a in site.articles}


def test_run_crawl_library_entry_point_reports_events(tmp_path: Path) -> None:
    with NewsSite(articles=2) as site:
        from scraper.config import load_config

        config: Config = load_config(write_config(tmp_path, site_config([("gazette", site)])))
        events: list[str] = []
        report = run_crawl(config, tmp_path / "archive.db",
                           on_event=lambda event: events.append(event.kind))
    assert report.status == "completed" and report.totals.new == 2
    assert events[0] == "run-start" and events[-1] == "run-done"
    assert events.count("article") == 2


def test_extraction_workers_are_recycled_and_the_crawl_still_finishes(tmp_path: Path) -> None:
    # Fresh workers every two pages (memory stays flat on long runs). Python's own
    # max_tasks_per_child can hang the pool on 3.11-3.13 (CPython gh-115634): the run must
    # finish, every page archived, whatever pool a page lands in.
    pools: list[object] = []
    pool = PoolSettings(recycle_after=2, on_pool_start=lambda: pools.append(object()))
    with NewsSite(articles=9) as site:
        from scraper.config import load_config

        config: Config = load_config(write_config(tmp_path, site_config([("gazette", site)])))
        outcome: list[Any] = []
        runner = threading.Thread(
            target=lambda: outcome.append(run_crawl(config, tmp_path / "archive.db", pool=pool)),
            daemon=True)
        runner.start()
        runner.join(timeout=120)
    assert outcome, "the crawl hung"
    report = outcome[0]
    assert report.status == "completed" and report.totals.new == 9
    assert len(pools) >= 5
    assert_no_duplicates(tmp_path)


# --- cron: the lock, and kill -9 -----------------------------------------------------------------


@contextlib.contextmanager
def crawl_process(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m scraper crawl` in its own session (so a failed test can clean up all of it)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper", "crawl", "--config", str(tmp_path / "config.toml"),
         "--db", str(tmp_path / "archive.db")],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def wait_for(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def archived(tmp_path: Path) -> int:
    try:
        return int(query(tmp_path, "SELECT count(*) FROM articles")[0][0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_second_crawl_exits_at_once_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    with NewsSite(articles=6, article_delay=0.4) as site:
        write_config(tmp_path, site_config([("gazette", site)], per_host_concurrency=1))
        with crawl_process(tmp_path) as first:
            wait_for(lambda: archived(tmp_path) >= 1)
            started = time.monotonic()
            second = crawl(tmp_path)
            assert time.monotonic() - started < 2
            assert second.exit_code == 1
            assert "another crawl is running on this archive" in second.stderr
            assert f"pid {first.pid}" in second.stderr
            # systemd's stop (or timeout(1)) sends SIGTERM: the run ends as "aborted".
            first.send_signal(signal.SIGTERM)
            _out, err = first.communicate(timeout=30)
        assert first.returncode == 1
        assert err.startswith(b"scraper crawl: run 1 aborted in ") and err.count(b"\n") == 1
        assert b"(stopped by SIGTERM)" in err
        assert query(tmp_path, "SELECT id, status, message FROM runs") == [
            (1, "aborted", "stopped by SIGTERM")]  # the second crawl never started a run
        saved = archived(tmp_path)
        assert query(tmp_path, "SELECT new FROM run_sites") == [(saved,)]
        # The lock went with the process: the next crawl runs and finishes the job.
        third = crawl(tmp_path)
    assert third.exit_code == 0, third.output
    assert archived(tmp_path) == 6


def test_lock_message_names_a_holder_that_has_only_just_taken_the_lock(tmp_path: Path) -> None:
    # A holder writes its pid just after taking the lock; a crawl started at that moment
    # still names it (two crawls started by the same cron minute).
    import fcntl

    from scraper.archive.crawlstate import CrawlLock
    from scraper.errors import ArchiveLockedError

    archive = tmp_path / "archive.db"
    holder = os.open(f"{archive}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        threading.Timer(0.05, os.write, (holder, b"4242\n")).start()
        with pytest.raises(ArchiveLockedError, match=r"another crawl is running on this "
                           r"archive \(pid 4242\)"):
            CrawlLock(archive).acquire()
    finally:
        os.close(holder)
    with CrawlLock(archive):  # the lock went with its holder's descriptor
        assert (tmp_path / "archive.db.lock").read_text().strip() == str(os.getpid())


@pytest.mark.slow
def test_kill_9_mid_run_then_rerun_loses_nothing(tmp_path: Path) -> None:
    with NewsSite(articles=12, article_delay=0.15) as site:
        write_config(tmp_path, site_config([("gazette", site)], per_host_concurrency=1))
        with crawl_process(tmp_path) as victim:
            wait_for(lambda: archived(tmp_path) >= 3)
            os.kill(victim.pid, signal.SIGKILL)  # the main process only, as the OOM killer would
            # Its extraction workers exit too: nothing holds its stdout/stderr open for long.
            victim.communicate(timeout=15)
        assert victim.returncode == -signal.SIGKILL
        saved_before = {row[0] for row in query(tmp_path, "SELECT url FROM articles")}
        assert 3 <= len(saved_before) < 12

        result = crawl(tmp_path)
        assert result.exit_code == 0, result.output

    assert query(tmp_path, "PRAGMA integrity_check") == [("ok",)]
    assert query(tmp_path, "SELECT count(*) FROM articles") == [(12,)]
    assert_no_duplicates(tmp_path)
    assert {row[0] for row in query(tmp_path, "SELECT url FROM articles")} >= saved_before
    # The rerun picked up where the killed run left off: saved articles were not fetched again.
    for url in saved_before:
        assert site.requests_for(url.removeprefix(site.url(""))) == 1, url
    assert query(tmp_path, "SELECT id, status FROM runs ORDER BY id") == [(1, "aborted"),
                                                                         (2, "completed")]
