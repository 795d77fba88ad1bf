"""Stored blocks read again from the page as served: ``scraper reextract`` refreshes the
blocks of the revision it re-read even when no field changed (no new revision), and
``scraper reextract --blocks-only`` reads from their captures the blocks of revisions that
were made from the plain body (as migration m008 made them), resumably.

A real archive with captures: a crawl of the fixture site, and our structured story page
(tests/link_pages.py) fetched and saved from the same local server.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import scraper
from scraper.archive import Archive
from scraper.archive.body_blocks import plain_blocks
from scraper.body_formats import blocks_from_json, to_markdown
from scraper.captures.reextract import reextract
from scraper.crawl import PoolSettings
from tests.archive_queries import cli, query
from tests.fixture_site import NewsSite, site_config
from tests.httpserver import html_reply
from tests.link_pages import PAGE

STORY = "/2024/05/02/quay-plan-approved/"




def archived(tmp_path: Path) -> tuple[Path, str]:
    """A crawl of the fixture site, and the story page fetched and saved: the archive, and
    the story's URL."""
    with NewsSite(articles=3) as site:
        site.server.route(STORY, html_reply(PAGE))
        (tmp_path / "config.toml").write_text(site_config([("gazette", site)]),
                                              encoding="utf-8")
        assert cli(tmp_path, "crawl").exit_code == 0
        url = site.url(STORY)
        saved = cli(tmp_path, "fetch", url, "--save")
        assert saved.exit_code == 0, saved.stderr
    return tmp_path / "archive.db", url


def as_m008_made_them(db: Path) -> dict[int, str]:
    """Every stored blocks made from the plain body, as m008 filled rows archived before
    blocks; the blocks they had before, by revision id."""
    before = {row_id: blocks for row_id, blocks in query(db, "SELECT id, blocks FROM revisions")}
    with sqlite3.connect(db) as conn:
        for table in ("articles", "revisions"):
            rows = conn.execute(f"SELECT id, body, headings FROM {table}").fetchall()
            conn.executemany(f"UPDATE {table} SET blocks = ? WHERE id = ?", [
                (plain_blocks(body, scraper_headings(headings)), row_id)
                for row_id, body, headings in rows])
        conn.execute("UPDATE revisions SET blocks_from = NULL")
    return before


def scraper_headings(stored: str) -> list[str]:
    return list(json.loads(stored or "[]"))


def test_blocks_only_reads_the_pages_of_revisions_made_from_text(tmp_path: Path) -> None:
    db, url = archived(tmp_path)
    (story_id,) = query(db, "SELECT id FROM articles WHERE url = ?", (url,))[0]
    expected = to_markdown(scraper.extract(PAGE, url=url), links=True)
    before = as_m008_made_them(db)
    revisions = query(db, "SELECT count(*) FROM revisions")
    stored = query(db, "SELECT blocks FROM articles WHERE id = ?", (story_id,))[0][0]
    assert "[" not in to_markdown(blocks_from_json(stored), links=True)  # no links: text only

    first = cli(tmp_path, "reextract", "--blocks-only", "--limit", "2")
    assert first.exit_code == 0, first.stderr
    assert "2 revisions" in first.stderr
    rest = cli(tmp_path, "reextract", "--blocks-only")  # goes on where the first stopped
    assert rest.exit_code == 0, rest.stderr
    assert f"{len(before) - 2} revisions, {len(before) - 2} read from their page" in rest.stderr
    # the page's blocks again, links and structure, on the revision and the article
    assert {i: b for i, b in query(db, "SELECT id, blocks FROM revisions")} == before
    stored = query(db, "SELECT blocks FROM articles WHERE id = ?", (story_id,))[0][0]
    assert to_markdown(blocks_from_json(stored), links=True) == expected
    assert query(db, "SELECT count(*) FROM revisions") == revisions  # no new revision
    assert query(db, "SELECT DISTINCT blocks_from FROM revisions") == [("page",)]
    again = cli(tmp_path, "reextract", "--blocks-only")
    assert "0 revisions" in again.stderr


def test_blocks_only_leaves_a_revision_without_a_readable_page_as_it_is(
        tmp_path: Path) -> None:
    db, _url = archived(tmp_path)
    as_m008_made_them(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE revisions SET capture_id = NULL WHERE id = 1")
    plain = query(db, "SELECT blocks FROM revisions WHERE id = 1")
    result = cli(tmp_path, "reextract", "--blocks-only")
    assert result.exit_code == 0, result.stderr
    assert "1 without a readable page" in result.stderr
    assert query(db, "SELECT blocks, blocks_from FROM revisions WHERE id = 1") == [
        (plain[0][0], "text")]


def test_reextract_refreshes_the_blocks_when_no_field_changed(tmp_path: Path) -> None:
    db, url = archived(tmp_path)
    before = as_m008_made_them(db)
    revisions = query(db, "SELECT count(*) FROM revisions")
    with Archive(db) as archive:
        report = reextract(archive, tmp_path / "captures", version="test-extractor-2",
                           pool=PoolSettings(workers=1))
    assert (report.changed, report.failed) == (0, 0)
    assert query(db, "SELECT count(*) FROM revisions") == revisions
    assert {i: b for i, b in query(db, "SELECT id, blocks FROM revisions")} == before
    stored = query(db, "SELECT blocks FROM articles WHERE url = ?", (url,))[0][0]
    assert to_markdown(blocks_from_json(stored), links=True) == to_markdown(
        scraper.extract(PAGE, url=url), links=True)
