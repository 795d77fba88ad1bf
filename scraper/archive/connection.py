"""Opening the archive file: the one way to get a ``Database`` on it.

``open_archive(path, create=True)`` is the writer's open (``Archive``, the crawl,
``fetch --save``): it makes the archive in a new or empty file (no bytes, or SQLite without
tables), and refuses with one ``ArchiveError`` a file that is not SQLite or a SQLite file that
holds another application's tables, leaving it exactly as it was (no tables added, its
journal mode kept). ``open_archive(path)`` is the reader's open (every analyst command): it
never creates a file, and refuses a path that does not exist, a file that is not SQLite and a
SQLite file that is not our archive. Both checks only read the file, and run before the
connection that sets pragmas. Once accepted the connection gets the same pragmas (WAL, a busy
timeout, foreign keys) and an archive made by an older version is migrated forward.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from scraper.archive.schema import MIGRATION_SET, migrate
from scraper.errors import ArchiveError

CACHE_KIB = 65_536
"""SQLite's page cache of an open archive, 64 MB: keeps a crawl's index lookups flat as the
archive grows."""
BULK_CACHE_KIB = 16_384
"""The page cache an ``import`` or ``reextract`` holds (``page_cache``): 16 MB keeps the
indexes it looks up hot, and its memory flat over a long run."""


@contextlib.contextmanager
def page_cache(db: Database, kib: int) -> Iterator[None]:
    """SQLite's page cache held to ``kib`` KiB while a bulk job runs, then set back. A job that
    reads or writes the whole archive once (an export, an import, a re-extraction) would fill
    the 64 MB cache with pages it does not read again, and its memory grow with its length."""
    (before,) = db.execute("PRAGMA cache_size").fetchone()
    db.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(before)}")

_SQLITE_MAGIC = b"SQLite format 3\x00"
_ARCHIVE_TABLES = frozenset({"articles", "_sqlite_migrations"})
"""Tables every version of the archive has: a file holding them is an archive."""


def open_archive(path: str | Path, *, create: bool = False) -> Database:
    """The archive at ``path``, open and migrated; ``create``: make it if it does not exist."""
    path = Path(path)
    check_archive_path(path, create=create)
    return _connect(path)


def check_archive_path(path: str | Path, *, create: bool = False) -> None:
    """Raise ``ArchiveError`` unless ``open_archive(path, create=create)`` would accept the
    file; reads it, never writes or creates it (so ``fetch --save`` can check before it
    fetches, and make no file when the fetch fails)."""
    path = Path(path)
    if create:
        _check_can_create(path)
    else:
        _check_is_archive(path)


def _check_can_create(path: Path) -> None:
    """A writer may use: no file, an empty file, an SQLite file without tables, an archive."""
    if path.is_dir():
        raise ArchiveError("is a directory, not an archive file", path=str(path))
    if not path.parent.exists():
        raise ArchiveError("folder does not exist", path=str(path))
    if not path.exists() or path.stat().st_size == 0:
        return
    names = _table_names(path)
    if "_sqlite_migrations" in names and _migration_sets(path) <= {MIGRATION_SET}:
        return  # an archive, or one another scraper process is making right now
    if names and not names >= _ARCHIVE_TABLES:
        found = sorted(names)
        shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
        raise ArchiveError(
            f"not a scraper archive (it holds other tables: {shown}); refusing to add ours",
            path=str(path),
        )


def _check_is_archive(path: Path) -> None:
    """An existing SQLite file holding our tables; read without writing a byte."""
    if not path.exists():
        raise ArchiveError("no archive here (give --db, or crawl first)", path=str(path))
    if path.is_dir():
        raise ArchiveError("is a directory, not an archive file", path=str(path))
    if not _table_names(path) >= _ARCHIVE_TABLES:
        raise ArchiveError("not a scraper archive (no articles table)", path=str(path))


def _migration_sets(path: Path) -> set[str]:
    """Whose migrations the file's ``_sqlite_migrations`` table records, read only."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT DISTINCT migration_set FROM _sqlite_migrations")
            return {str(row[0]) for row in rows}
        finally:
            conn.close()
    except sqlite3.Error:
        return {"?"}  # unreadable: not known to be ours


def _table_names(path: Path) -> set[str]:
    """The names in the file's schema (not SQLite's own), read only: the file, its journal
    mode and its mtime stay as they were."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise ArchiveError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    if header != _SQLITE_MAGIC:
        raise ArchiveError("not a scraper archive (not an SQLite database)", path=str(path))
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot read archive: {exc}", path=str(path)) from exc
    return {row[0] for row in rows}


def _connect(path: Path) -> Database:
    try:
        db = Database(path)
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        db.execute("PRAGMA foreign_keys = ON")
        if db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot open archive: {exc}", path=str(path)) from exc
    return db
