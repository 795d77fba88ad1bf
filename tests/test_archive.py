"""The archive on real SQLite files: deduplication, revisions, FTS, atomic saves."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from scraper.archive import Archive
from scraper.errors import ArchiveError
from scraper.extract import extract_article
from scraper.models import Article
from tests import pages

URL = "https://www.bayherald.example/2024/03/05/solar-plant/"


@pytest.fixture
def article() -> Article:
    return extract_article(pages.wordpress_jsonld(URL), URL)


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_saving_twice_leaves_one_row(tmp_path: Path, article: Article) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        first = archive.save(article)
        second = archive.save(article)
    assert (first.status, second.status) == ("new", "unchanged")
    assert first.article_id == second.article_id
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(db, "SELECT count(*) FROM revisions") == [(1,)]


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.bayherald.example/2024/03/05/solar-plant/?utm_source=feed&utm_medium=rss",
        "http://www.bayherald.example/2024/03/05/solar-plant/",
        "https://bayherald.example/2024/03/05/solar-plant/",
        "https://www.bayherald.example/2024/03/05/solar-plant",
        "https://www.bayherald.example/2024/03/05/solar-plant/#comments",
        "https://WWW.BayHerald.example:443/2024/03/05/solar-plant/?fbclid=abc",
    ],
)
def test_url_variants_point_to_the_same_article(
    tmp_path: Path, article: Article, variant: str
) -> None:
    with Archive(tmp_path / "a.db") as archive:
        archive.save(article)
        changed_copy = dataclasses.replace(article, url=variant, canonical_url=None)
        result = archive.save(changed_copy)
        assert result.status == "unchanged"
        assert archive.find_article_id(variant) == result.article_id
        assert archive.count() == 1


def test_other_url_same_canonical_is_one_article(tmp_path: Path, article: Article) -> None:
    with Archive(tmp_path / "a.db") as archive:
        archive.save(article)
        moved = dataclasses.replace(article, url="https://m.bayherald.example/p/48213")
        assert archive.save(moved).status == "unchanged"
        assert archive.count() == 1
        assert archive.find_article_id("https://m.bayherald.example/p/48213") is not None


def test_same_body_under_unrelated_url_is_one_article(tmp_path: Path, article: Article) -> None:
    with Archive(tmp_path / "a.db") as archive:
        archive.save(article)
        copy = dataclasses.replace(article, url="https://mirror.example/copy", canonical_url=None)
        assert archive.save(copy).status == "unchanged"
        assert archive.count() == 1


def test_home_page_canonical_does_not_merge_articles(tmp_path: Path, article: Article) -> None:
    with Archive(tmp_path / "a.db") as archive:
        one = dataclasses.replace(article, canonical_url="https://www.bayherald.example/")
        two = dataclasses.replace(
            one,
            url="https://www.bayherald.example/other/",
            body="Other.",
            content_hash="x" * 64,
            word_count=1,
        )
        archive.save(one)
        assert archive.save(two).status == "new"
        assert archive.count() == 2


def test_changed_article_becomes_a_new_revision(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    html = pages.wordpress_jsonld(URL)
    original = extract_article(html, URL)
    edited = extract_article(html.replace("a third of", "nearly half of"), URL)
    with Archive(db) as archive:
        archive.save(original, fetched_at="2024-03-05T10:00:00+00:00")
        result = archive.save(edited, fetched_at="2024-03-06T10:00:00+00:00")
        assert result.status == "updated" and result.revision == 2
        assert archive.save(edited).status == "unchanged"
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]
    bodies = rows(db, "SELECT revision, body FROM revisions ORDER BY revision")
    assert [r[0] for r in bodies] == [1, 2]
    assert "a third of" in str(bodies[0][1]) and "nearly half of" in str(bodies[1][1])
    assert rows(db, "SELECT first_seen, revision_count FROM articles") == [
        ("2024-03-05T10:00:00+00:00", 2)
    ]


def test_full_text_search_follows_saves(tmp_path: Path, article: Article) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.save(article)
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '{}'"
    assert rows(db, sql.format("desalination")) == [(1,)]
    assert rows(db, sql.format('"How the Plant Works"')) == [(1,)]  # headings are indexed
    with Archive(db) as archive:
        archive.save(
            dataclasses.replace(
                article, body="Entirely rewritten text about ferries.", content_hash="f" * 64
            )
        )
    assert rows(db, sql.format("desalination")) == [(1,)]  # still in the title
    assert rows(db, sql.format("ferries")) == [(1,)]
    assert rows(db, sql.format("reservoirs")) == []  # old body no longer indexed


def test_wal_mode_and_schema_version(tmp_path: Path, article: Article) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.save(article)
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert rows(db, "PRAGMA user_version")[0][0] >= 1  # type: ignore[operator]


def test_failed_save_leaves_database_as_before(tmp_path: Path, article: Article) -> None:
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.save(article)
        # A trigger that fails the revision insert, after the article row was written.
        archive.db.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON revisions"
            " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
        other = dataclasses.replace(
            article,
            url="https://x.example/other",
            canonical_url=None,
            body="A different story.",
            content_hash="e" * 64,
        )
        with pytest.raises(ArchiveError, match="disk on fire"):
            archive.save(other)
        assert archive.count() == 1
        assert archive.count("article_urls") == 1  # only the first save's URL
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_unusable_paths_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="is a directory"):
        Archive(tmp_path)
    with pytest.raises(ArchiveError, match="folder does not exist"):
        Archive(tmp_path / "missing" / "a.db")
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ArchiveError, match="not a scraper archive \\(not an SQLite database\\)"):
        Archive(corrupt)


def test_list_fields_are_stored_as_readable_json_text(tmp_path: Path, article: Article) -> None:
    db = tmp_path / "a.db"
    accented = dataclasses.replace(article, authors=["Zoë Ångström", "B. Writer"],
                                   tags=["énergie"], headings=["Où l'eau manque"])
    with Archive(db) as archive:
        archive.save(accented, fetched_at="2024-03-05T10:00:00+00:00")
        archive.save(dataclasses.replace(accented, body="Changed.", content_hash="c" * 64),
                     fetched_at="2024-03-06T10:00:00+00:00")
    assert rows(db, "SELECT authors, tags, headings FROM articles") == [
        ('["Zoë Ångström", "B. Writer"]', '["énergie"]', '["Où l\'eau manque"]')
    ]
    assert rows(db, "SELECT headings FROM revisions ORDER BY revision") == [
        ('["Où l\'eau manque"]',), ('["Où l\'eau manque"]',)
    ]
