"""The body's structure in the archive: ``articles.blocks`` and ``revisions.blocks`` written on
save (and carried over when a cluster shard is merged), filled from the plain body by
migration m008 for rows archived before it, and rendered by ``scraper show --format
markdown|html``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

import scraper
from scraper.archive import Archive
from scraper.archive.schema import MIGRATIONS
from scraper.archive.shards import ShardBase, ShardManifest, merge_shard
from scraper.body_formats import blocks_from_json
from scraper.cli import main
from tests.test_body_formats import REPORT, STRUCTURE_HTML, STRUCTURE_MD, URL, page


def show(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["show", *args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_saved_article_keeps_its_structure_for_show_and_every_revision(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    article = scraper.extract(page(REPORT), url=URL)
    edited = scraper.extract(page(REPORT.replace("old quarry", "new quarry")), url=URL)
    with scraper.Archive(db) as archive:
        saved = archive.save(article, site="coast")
        assert archive.save(edited, site="coast").status == "updated"
    assert show(db, str(saved.article_id), "--format", "markdown") == (
        edited.to_markdown() + "\n")
    assert show(db, URL, "--format", "html").endswith(STRUCTURE_HTML + "\n")
    with sqlite3.connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT blocks FROM revisions ORDER BY revision")]
    assert [blocks_from_json(text) for text in stored] == [article.blocks, edited.blocks]
    assert STRUCTURE_MD in edited.to_markdown()


def test_a_record_without_blocks_is_stored_as_its_paragraphs_and_headings(
        tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    plain = scraper.Article(url="https://coast.example/a/", body="One.\n\nTides\n\nTwo.",
                            headings=["Tides"], content_hash="h1", word_count=3)
    with scraper.Archive(db) as archive:
        archive.save(plain)
    assert show(db, "1", "--format", "markdown") == "One.\n\n## Tides\n\nTwo.\n"
    assert show(db, "1", "--format", "html") == "<p>One.</p>\n<h2>Tides</h2>\n<p>Two.</p>\n"


def test_m008_fills_rows_archived_before_it_from_their_plain_body(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m008_body_blocks")
    body = "The pier closes.\n\nWhat next\n\nIt reopens in May,\nweather allowing."
    old.table("articles").insert({
        "id": 1, "url": "https://old.example/pier", "body": body, "headings": '["What next"]',
        "content_hash": "h", "first_seen": "2023-06-01T00:00:00+00:00",
        "last_seen": "2023-06-01T00:00:00+00:00"})
    old.table("revisions").insert({
        "article_id": 1, "revision": 1, "fetched_at": "2023-06-01T00:00:00+00:00",
        "content_hash": "h", "body": body, "headings": '["What next"]'})
    old.close()
    expected = [{"kind": "paragraph", "text": "The pier closes."},
                {"kind": "heading", "text": "What next", "level": 2},
                {"kind": "paragraph", "text": "It reopens in May,\nweather allowing."}]
    assert show(path, "1", "--format", "markdown") == (
        "The pier closes.\n\n## What next\n\nIt reopens in May,\\\nweather allowing.\n")
    with sqlite3.connect(path) as conn:
        for table in ("articles", "revisions"):
            (stored,) = conn.execute(f"SELECT blocks FROM {table}").fetchone()
            assert json.loads(stored) == expected
        assert conn.execute(  # the record itself is as it was
            "SELECT body, headings FROM articles").fetchone() == (body, '["What next"]')


def test_show_refuses_markdown_with_captures(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", "1", "--captures", "--format", "markdown",
                                       "--db", str(tmp_path / "a.db")])
    assert result.exit_code != 0
    assert "--format text or json" in result.output


def test_a_merged_shard_keeps_the_structure_it_stored(tmp_path: Path) -> None:
    shard = tmp_path / "shard.db"
    article = scraper.extract(page(REPORT), url=URL)
    with scraper.Archive(shard) as archive:
        archive.save(article, site="coast")
    manifest = ShardManifest(shard="run1-shard0", archive=str(shard),
                             captures_dir=str(tmp_path / "captures"), base=ShardBase(),
                             saved=[URL])
    central = tmp_path / "central.db"
    with Archive(central) as archive:
        merged = merge_shard(archive, manifest, run_id=None)
    assert merged.articles == 1
    assert show(central, URL, "--format", "markdown") == article.to_markdown() + "\n"
    with sqlite3.connect(central) as conn:
        (stored,) = conn.execute("SELECT blocks FROM revisions").fetchone()
    assert blocks_from_json(stored) == article.blocks
