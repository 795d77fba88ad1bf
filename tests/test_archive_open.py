"""Which files a writer may turn into an archive: a new or empty file, or an archive; never
another application's SQLite database (crawl and ``fetch --save`` refuse it before fetching)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scraper.archive import Archive, open_archive
from scraper.cli import main
from scraper.errors import ArchiveError
from scraper.models import Article
from tests.fixture_site import NewsSite, site_config

REFUSAL = "not a scraper archive (it holds other tables: users); refusing to add ours"


def foreign_database(path: Path) -> Path:
    """Another application's SQLite file: a users table, rollback journal, one row."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO users (name) VALUES ('ada')")
    conn.commit()
    conn.close()
    return path


def fingerprint(path: Path) -> tuple[str, int, list[str]]:
    """The file's bytes and mtime, and every file beside it (journals, WAL, locks)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest, path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def journal_mode(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def tables(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        conn.close()


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    folder = tmp_path / "other-app"
    folder.mkdir()
    return foreign_database(folder / "app.db")


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(articles=3) as news:
        yield news


def test_writer_open_refuses_a_foreign_database_and_leaves_it_as_it_was(foreign: Path) -> None:
    before = fingerprint(foreign)
    with pytest.raises(ArchiveError) as caught:
        open_archive(foreign, create=True)
    assert str(caught.value) == f"{foreign}: {REFUSAL}"
    with pytest.raises(ArchiveError):
        Archive(foreign)
    assert fingerprint(foreign) == before
    assert journal_mode(foreign) == "delete"
    assert tables(foreign) == ["users"]


def test_writer_open_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n")
    with pytest.raises(ArchiveError, match="not a scraper archive \\(not an SQLite database\\)"):
        open_archive(path, create=True)
    assert path.read_text() == "shopping list\n"


@pytest.mark.parametrize("kind", ["zero bytes", "sqlite without tables", "absent"])
def test_a_new_or_empty_file_becomes_an_archive(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "fresh.db"
    if kind == "zero bytes":
        path.touch()
    elif kind == "sqlite without tables":
        sqlite3.connect(path).execute("PRAGMA user_version = 0").close()
    body = "A body long enough to archive. " * 10
    with Archive(path) as archive:
        archive.save(Article(url="https://news.example/a/", body=body, title="A",
                             content_hash=hashlib.sha256(body.encode()).hexdigest()))
    assert "articles" in tables(path)
    assert journal_mode(path) == "wal"
    open_archive(path, create=True).close()  # an archive stays welcome


def test_crawl_refuses_a_foreign_database_before_fetching(tmp_path: Path, foreign: Path,
                                                          site: NewsSite) -> None:
    config = tmp_path / "config.toml"
    config.write_text(site_config([("news", site)]), encoding="utf-8")
    before = fingerprint(foreign)
    result = CliRunner().invoke(main, ["crawl", "--config", str(config), "--db", str(foreign)])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines() == [f"Error: {foreign}: {REFUSAL}"]
    assert site.server.requests == []
    assert fingerprint(foreign) == before  # not even a lock file beside it
    assert tables(foreign) == ["users"] and journal_mode(foreign) == "delete"


def test_fetch_save_refuses_a_foreign_database_before_fetching(foreign: Path,
                                                               site: NewsSite) -> None:
    before = fingerprint(foreign)
    url = site.url(site.articles[0].path)
    result: Result = CliRunner().invoke(main, ["fetch", url, "--save", "--db", str(foreign)])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines() == [f"Error: {foreign}: {REFUSAL}"]
    assert result.stdout == ""
    assert site.server.requests == []
    assert fingerprint(foreign) == before
