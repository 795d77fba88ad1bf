"""Is a body already in the archive? Asked by an extraction worker of an ``import``, on a
read-only connection of its own, so that a page whose body the archive already holds is not
sketched: the MinHash (about 1 ms a page) is only needed by a save that adds a new or changed
body, and a save of a body the archive holds is ``unchanged``.

The answer can only err towards sketching: a body archived by saves not yet committed reads as
new, and a connection that cannot be opened or read answers "not archived". When the save
does need a sketch after all (the page's URL is an article whose body is another), the save
makes it (``Archive.save`` without ``sketch``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from scraper.archive.lookup import article_for_body

_readers: dict[str, Database | None] = {}
"""One read-only connection per archive, per process (a worker lives for many jobs)."""


def body_archived(archive: str, content_hash: str) -> bool:
    """Does an article of the archive at ``archive`` (a file path) have this body hash?"""
    if not content_hash:
        return False
    if archive not in _readers:
        _readers[archive] = _open(archive)
    reader = _readers[archive]
    if reader is None:
        return False
    try:
        return article_for_body(reader, content_hash) is not None
    except sqlite3.Error:  # busy (not WAL), or the file went away: sketch, to be safe
        return False


def _open(archive: str) -> Database | None:
    try:
        uri = Path(archive).resolve().as_uri() + "?mode=ro"
        return Database(sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None,
                                        check_same_thread=False))
    except (sqlite3.Error, ValueError, OSError):
        return None
