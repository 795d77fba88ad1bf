"""Forward migration: an archive made by the previous schema opens, upgrades, keeps every row."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

from sqlite_utils import Database

from scraper.archive import Archive
from scraper.archive.queries import open_archive, search
from scraper.archive.schema import MIGRATIONS, SCHEMA_VERSION
from scraper.models import Article

SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ve", "no", "si", "da", "pe", "gu", "zo", "ri", "ba"]
VOCABULARY = ["".join(p) for p in itertools.product(SYLLABLES, repeat=3)]
NEW_VIEWS = {"article_latest", "articles_by_day", "revision_history", "duplicate_pairs",
             "run_summary"}
NEW_TABLES = {"article_minhash", "article_lsh"}
NEW_COLUMNS = {"duplicate_of", "duplicate_similarity", "duplicate_method", "source_link_key"}


def prose(seed: int, words: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def _article(article_id: int, url: str, body: str, **extra: object) -> dict[str, object]:
    return {"id": article_id, "url": url, "site": "old", "title": f"Article {article_id}",
            "published": f"2023-06-0{article_id}", "section": "World", "body": body,
            "content_hash": f"hash{article_id}", "word_count": len(body.split()),
            "authors": json.dumps(["Someone"]), "first_seen": "2023-06-01T00:00:00+00:00",
            "last_seen": "2023-06-02T00:00:00+00:00", **extra}


def make_v1_archive(path: Path) -> None:
    """An archive exactly as the first schema version wrote it (m001 only)."""
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="m002_near_duplicates")
    assert set(db.table_names()) & NEW_TABLES == set()
    body = prose(1)
    rows = [
        _article(1, "https://old.example/story", body),
        _article(2, "https://mirror.example/story", "Mirrored. " + body),
        _article(3, "https://old.example/other", prose(2)),
        _article(4, "https://agg.example/4", prose(3, 60), source_link="https://old.example/other"),
    ]
    db.table("articles").insert_all(rows)
    db.table("article_urls").insert_all(
        {"url_key": str(r["url"]).removeprefix("https://"), "url": r["url"], "article_id": r["id"],
         "first_seen": r["first_seen"]} for r in rows
    )
    db.table("revisions").insert_all(
        {"article_id": r["id"], "revision": 1, "fetched_at": r["first_seen"],
         "content_hash": r["content_hash"], "title": r["title"], "body": r["body"],
         "word_count": r["word_count"], "headings": "[]"} for r in rows
    )
    db.table("runs").insert({"id": 1, "started": "2023-06-01T00:00:00+00:00", "status": "finished"})
    db.close()


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """The rows of the old archive (ids 1-4), as stored."""
    return {
        "articles": db.execute(
            "SELECT id, url, title, published, body, authors, content_hash FROM articles"
            " WHERE id <= 4 ORDER BY id"
        ).fetchall(),
        "article_urls": db.execute(
            "SELECT * FROM article_urls WHERE article_id <= 4 ORDER BY url_key").fetchall(),
        "revisions": db.execute(
            "SELECT article_id, revision, fetched_at, body FROM revisions WHERE article_id <= 4"
            " ORDER BY id").fetchall(),
        "runs": db.execute("SELECT * FROM runs").fetchall(),
    }


def test_v1_archive_opens_upgrades_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_archive(path)
    before_db = Database(path)
    before = snapshot(before_db)
    before_db.close()

    with Archive(path) as archive:
        db = archive.db
        assert snapshot(db) == before
        assert set(db.table_names()) >= NEW_TABLES
        assert set(db.view_names()) >= NEW_VIEWS
        assert set(db["articles"].columns_dict) >= NEW_COLUMNS
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [m.name for m in MIGRATIONS.pending(db)] == []
        # the old rows were sketched and linked as if saved by this version
        links = db.execute(
            "SELECT id, duplicate_of, duplicate_method FROM articles ORDER BY id").fetchall()
        assert links == [(1, None, None), (2, 1, "minhash"), (3, None, None),
                         (4, 3, "source_link")]
        assert db.execute("SELECT count(*) FROM article_minhash").fetchone()[0] == 4
        # the views answer over the old rows
        assert db.execute(
            "SELECT day, site, articles FROM articles_by_day ORDER BY day").fetchall() == [
            ("2023-06-01", "old", 1), ("2023-06-02", "old", 1), ("2023-06-03", "old", 1),
            ("2023-06-04", "old", 1)]
        assert db.execute(
            "SELECT copy_id, original_id FROM duplicate_pairs ORDER BY copy_id").fetchall() == [
            (2, 1), (4, 3)]
        # saving works after the upgrade, and a new copy links to an old row
        old_body = db.execute("SELECT body FROM articles WHERE id = 3").fetchone()[0]
        copy = archive.save(Article(url="https://new.example/copy", body=old_body + " Updated.",
                                    content_hash="new", word_count=301))
        assert db.execute("SELECT duplicate_of FROM articles WHERE id = ?",
                          [copy.article_id]).fetchone()[0] == 3
    after = Database(path)
    assert snapshot(after) == before
    after.close()


def test_reading_commands_upgrade_an_old_archive_too(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_archive(path)
    db = open_archive(path)
    assert [hit.id for hit in search(db, "mirrored")] == [2]
    assert set(db.view_names()) >= NEW_VIEWS
    db.close()


def test_fts_follows_text_changes_but_not_bookkeeping_updates(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    make_v1_archive(path)
    db = open_archive(path)
    trigger = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_au'"
    ).fetchone()[0]
    assert "UPDATE OF title, headings, body" in trigger
    db.execute("UPDATE articles SET last_seen = '2024-01-01', duplicate_of = NULL WHERE id = 1")
    db.execute("UPDATE articles SET title = 'Renamed zebra' WHERE id = 3")
    assert [hit.id for hit in search(db, "zebra")] == [3]
    assert {hit.id for hit in search(db, "title:article", fts=True, all_copies=True)} == {1, 2, 4}
    # raises if the index no longer matches the articles table
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    db.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    make_v1_archive(path)
    for _ in range(2):
        with Archive(path) as archive:
            applied = [m.name for m in MIGRATIONS.applied(archive.db)]
    assert applied == [m.name for m in MIGRATIONS._migrations]
    assert len(applied) == len(set(applied))
    # the version is the number of the last migration (m00N_...): numbers may skip
    assert int(applied[-1][1:4]) == SCHEMA_VERSION
