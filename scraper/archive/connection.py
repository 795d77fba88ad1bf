"""Opening the archive file: the one way to get a ``Database`` on it.

``open_archive(path, create=True)`` is the writer's open (``Archive``, the crawl): it makes
the file when there is none. ``open_archive(path)`` is the reader's open (every analyst
command): it never creates a file, and refuses with one clear ``ArchiveError`` a path that
does not exist, a file that is not SQLite and a SQLite file that is not our archive.
Either way the connection gets the same pragmas (WAL, a busy timeout, foreign keys) and an
archive made by an older version is migrated forward.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from scraper.archive.schema import migrate
from scraper.errors import ArchiveError

_SQLITE_MAGIC = b"SQLite format 3\x00"


def open_archive(path: str | Path, *, create: bool = False) -> Database:
    """The archive at ``path``, open and migrated; ``create``: make it if it does not exist."""
    path = Path(path)
    if create:
        _check_can_create(path)
    else:
        _check_is_archive(path)
    return _connect(path)


def _check_can_create(path: Path) -> None:
    if path.is_dir():
        raise ArchiveError("is a directory, not an archive file", path=str(path))
    if not path.parent.exists():
        raise ArchiveError("folder does not exist", path=str(path))


def _check_is_archive(path: Path) -> None:
    """An existing SQLite file holding our tables; read without writing a byte."""
    if not path.exists():
        raise ArchiveError("no archive here (give --db, or crawl first)", path=str(path))
    if path.is_dir():
        raise ArchiveError("is a directory, not an archive file", path=str(path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise ArchiveError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    if header != _SQLITE_MAGIC:
        raise ArchiveError("not a scraper archive (not an SQLite database)", path=str(path))
    try:
        conn = sqlite3.connect(path)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot read archive: {exc}", path=str(path)) from exc
    if "articles" not in names or "_sqlite_migrations" not in names:
        raise ArchiveError("not a scraper archive (no articles table)", path=str(path))


def _connect(path: Path) -> Database:
    try:
        db = Database(path)
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA cache_size = -65536")  # 64 MB: keeps index lookups flat as it grows
        db.execute("PRAGMA foreign_keys = ON")
        if db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot open archive: {exc}", path=str(path)) from exc
    return db
