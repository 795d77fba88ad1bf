"""`scraper reextract`: today's extractor over the kept captures; a new revision only where
the record changed, tagged with the extractor's version; resumable after `kill -9`."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from scraper.archive import Archive
from scraper.captures.reextract import reextract
from scraper.crawl import PoolSettings
from scraper.extract import extractor_version
from tests.archive_queries import cli, query
from tests.fixture_site import NewsSite, site_config
from tests.reextract_jobs import SLOW, headline_rule

ROOT = Path(__file__).resolve().parent.parent
NEW = "test-extractor-2"




def crawled(tmp_path: Path, articles: int) -> Path:
    with NewsSite(articles=articles) as site:
        (tmp_path / "config.toml").write_text(site_config([("gazette", site)]),
                                              encoding="utf-8")
        assert cli(tmp_path, "crawl").exit_code == 0
    return tmp_path / "archive.db"


def test_a_changed_extractor_makes_new_revisions_only_for_changed_records(
        tmp_path: Path) -> None:
    db = crawled(tmp_path, 8)
    news = {row[0] for row in query(db, "SELECT id FROM articles WHERE url LIKE '%/news/%'")}
    assert 0 < len(news) < 8
    assert query(db, "SELECT DISTINCT extractor_version FROM revisions") == [
        (extractor_version(),)]
    pool = PoolSettings(workers=2)
    with Archive(db) as archive:
        dry = reextract(archive, tmp_path / "captures", dry_run=True, job=headline_rule,
                        version=NEW, pool=pool)
        assert (dry.total, dry.changed, dry.unchanged) == (8, len(news), 8 - len(news))
        assert query(db, "SELECT count(*) FROM revisions") == [(8,)]  # nothing written
        report = reextract(archive, tmp_path / "captures", job=headline_rule, version=NEW,
                           pool=pool)
    assert (report.changed, report.unchanged, report.failed) == (len(news), 8 - len(news), 0)
    assert dict(report.fields) == {"title": len(news)}
    assert report.fields_line() == f"title {len(news)} changed"
    changed = query(db, "SELECT article_id, revision, extractor_version, capture_id IS NOT NULL"
                        " FROM revisions WHERE revision > 1")
    assert {row[0] for row in changed} == news
    assert {row[1:] for row in changed} == {(2, NEW, 1)}
    assert all(title == title.upper() for (title,) in query(
        db, "SELECT title FROM articles WHERE url LIKE '%/news/%'"))
    assert query(db, "SELECT DISTINCT extractor_version FROM captures WHERE article_id"
                     " IS NOT NULL") == [(NEW,)]
    with Archive(db) as archive:  # done: a second run has nothing to do
        assert reextract(archive, tmp_path / "captures", job=headline_rule, version=NEW,
                         pool=pool).total == 0


def test_reextracting_with_an_unchanged_extractor_changes_nothing(tmp_path: Path) -> None:
    db = crawled(tmp_path, 6)
    with sqlite3.connect(db) as conn:  # as if made by another extractor version
        conn.execute("UPDATE captures SET extractor_version = NULL")
    result = cli(tmp_path, "reextract")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        f"scraper reextract: 6 articles, extractor {extractor_version()}: 0 changed,"
        " 6 unchanged, 0 failed; no field changed")
    assert query(db, "SELECT count(*) FROM revisions") == [(6,)]


def test_kill_9_during_reextract_then_a_rerun_does_every_article_once(tmp_path: Path) -> None:
    db = crawled(tmp_path, 24)
    news = {row[0] for row in query(db, "SELECT id FROM articles WHERE url LIKE '%/news/%'")}
    script = (
        "import sys; from pathlib import Path; from scraper.archive import Archive;"
        "from scraper.captures.reextract import reextract; from scraper.crawl import PoolSettings;"
        "from tests.reextract_jobs import headline_rule;"
        f"archive = Archive({str(db)!r});"
        f"reextract(archive, Path({str(tmp_path / 'captures')!r}), job=headline_rule,"
        f" version={NEW!r}, pool=PoolSettings(workers=2))"
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT,
                               env={**os.environ, SLOW: "0.15"}, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done_sql = "SELECT count(*) FROM captures WHERE extractor_version = ?"
    try:
        deadline = time.monotonic() + 60
        while query(db, done_sql, (NEW,))[0][0] < 5:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    before = query(db, done_sql, (NEW,))[0][0]
    assert 5 <= before < 24
    with Archive(db) as archive:
        rest = reextract(archive, tmp_path / "captures", job=headline_rule, version=NEW,
                         pool=PoolSettings(workers=2))
    assert rest.total == 24 - before
    assert query(db, done_sql, (NEW,)) == [(24,)]
    per_article = dict(query(db, "SELECT article_id, count(*) FROM revisions"
                                 " WHERE extractor_version = ? GROUP BY article_id", (NEW,)))
    assert per_article == dict.fromkeys(news, 1)


def test_a_rereading_that_keeps_the_body_skips_its_sketch(tmp_path: Path) -> None:
    from scraper.archive.similarity import Sketch
    from scraper.captures.jobs import extract_stored

    db = crawled(tmp_path, 2)
    [(url, body_hash, warc_file, offset, length)] = query(
        db, "SELECT a.url, a.content_hash, c.warc_file, c.offset, c.length FROM articles a"
        " JOIN captures c ON c.article_id = a.id ORDER BY a.id LIMIT 1")
    path = str(tmp_path / "captures" / warc_file)

    same, no_sketch = extract_stored(path, offset, length, url, None, 10**7, body_hash)
    assert same.content_hash == body_hash and no_sketch is None
    other, sketch = extract_stored(path, offset, length, url, None, 10**7, "another body")
    assert other == same
    expected = Sketch.of(same.body).signature
    assert sketch is not None and sketch.signature is not None and expected is not None
    assert (sketch.signature == expected).all()
