"""The captures index (``captures``: a CDX in SQL) and the WARC files it points into
(``warc_files``). Only SQL here; the WARC bytes are :mod:`scraper.captures`' business.

::

    add_capture(db, row)               a new index row (the caller's transaction)
    last_payload(db, url)              the newest capture of a URL that holds (or refers to)
                                       a payload: what a refetch's digest is compared with
    link_capture(db, id, ...)          the article and revision a capture was read into, the
                                       listing's hints, the extractor version (inside
                                       ``Archive.save``'s transaction)
    captures_of / capture_for_revision / newest_captures / iter_captures   the reads
    file_state / set_file_state / files_in_state                           ``warc_files``
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from scraper.archive.queries.filters import Filters
from scraper.models import Hints
from scraper.urls import url_key


@dataclass(frozen=True, slots=True)
class Capture:
    """One row of ``captures`` (see docs/schema.md): a kept HTTP exchange, where its WARC
    record is, and the article and revision read from it (``Archive.captures``).

    >>> import scraper
    >>> capture = scraper.Capture(url="https://news.example/a/",
    ...                           fetched_at="2024-05-02T10:00:00+00:00",
    ...                           record_type="response", warc_file="2024/05/run1-1.warc.gz",
    ...                           offset=0, length=1200, origin="crawl", status=200)
    >>> capture.status, capture.hints
    (200, None)
    """

    url: str
    fetched_at: str
    record_type: str
    """``response``, ``revisit`` or ``resource``."""
    warc_file: str
    offset: int
    length: int
    origin: str
    """``crawl``, ``fetch`` or ``import``."""
    status: int | None = None
    content_type: str | None = None
    payload_digest: str | None = None
    record_id: str | None = None
    refers_to: int | None = None
    request_offset: int | None = None
    request_length: int | None = None
    article_id: int | None = None
    revision: int | None = None
    hint_title: str | None = None
    hint_published: str | None = None
    hint_source: str | None = None
    extractor_version: str | None = None
    id: int | None = None

    @property
    def hints(self) -> Hints | None:
        if self.hint_title is None and self.hint_published is None:
            return None
        source: Any = self.hint_source or "feed"
        return Hints(title=self.hint_title, published=self.hint_published, source=source)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Capture))
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM captures"
_ARTICLE_ID = COLUMNS.index("article_id")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_capture(db: Database, capture: Capture) -> int:
    """Insert an index row (in the caller's transaction); its id."""
    names = [n for n in COLUMNS if n != "id"]
    values = [getattr(capture, n) for n in names]
    cursor = db.execute(
        f"INSERT INTO captures (url_key, {', '.join(names)})"
        f" VALUES (?, {', '.join('?' * len(names))})", [url_key(capture.url), *values])
    return int(cursor.lastrowid or 0)


def last_payload(db: Database, url: str) -> Capture | None:
    """The newest response of ``url`` (any spelling) with a payload: the one a revisit of
    it refers to."""
    row = db.execute(
        f"{_SELECT} WHERE url_key = ? AND record_type = 'response' AND payload_digest IS NOT NULL"
        " AND status BETWEEN 200 AND 299 ORDER BY id DESC LIMIT 1", [url_key(url)]).fetchone()
    return Capture(*row) if row else None


def get_capture(db: Database, capture_id: int) -> Capture | None:
    row = db.execute(f"{_SELECT} WHERE id = ?", [capture_id]).fetchone()
    return Capture(*row) if row else None


def link_capture(db: Database, capture_id: int, *, article_id: int, revision: int,
                 hints: Hints | None, extractor_version: str | None) -> None:
    """The capture was read into this article revision (in ``Archive.save``'s transaction)."""
    db.execute(
        "UPDATE captures SET article_id = ?, revision = ?, hint_title = ?, hint_published = ?,"
        " hint_source = ?, extractor_version = ? WHERE id = ?",
        [article_id, revision, hints.title if hints else None,
         hints.published if hints else None, hints.source if hints else None,
         extractor_version, capture_id])


def mark_extracted(db: Database, capture_id: int, extractor_version: str) -> None:
    db.execute("UPDATE captures SET extractor_version = ? WHERE id = ?",
               [extractor_version, capture_id])


def captures_of(db: Database, article_id: int) -> list[Capture]:
    """Every capture read into the article, oldest first."""
    rows = db.execute(f"{_SELECT} WHERE article_id = ? ORDER BY fetched_at, id",
                      [article_id]).fetchall()
    return [Capture(*row) for row in rows]


def capture_for_revision(db: Database, article_id: int, revision: int | None) -> Capture | None:
    """The capture a revision was read from (``revisions.capture_id``); with no revision
    given, the article's newest capture."""
    if revision is None:
        row = db.execute(f"{_SELECT} WHERE article_id = ? ORDER BY id DESC LIMIT 1",
                         [article_id]).fetchone()
    else:
        row = db.execute(
            f"{_SELECT} WHERE id = (SELECT capture_id FROM revisions WHERE article_id = ?"
            " AND revision = ?)", [article_id, revision]).fetchone()
    return Capture(*row) if row else None


def _newest_where(not_version: str | None, site: str | None, since: str | None,
                  ids: tuple[int, int] | None = None) -> tuple[str, list[Any]]:
    clauses = ["c.id = (SELECT max(id) FROM captures WHERE article_id = a.id)"]
    params: list[Any] = []
    if ids is not None:
        clauses.append("a.id BETWEEN ? AND ?")
        params.extend(ids)
    if not_version is not None:
        clauses.append("c.extractor_version IS NOT ?")
        params.append(not_version)
    if site is not None:
        clauses.append("a.site = ?")
        params.append(site)
    if since is not None:
        clauses.append("c.fetched_at >= ?")
        params.append(since)
    return " AND ".join(clauses), params


_FROM_NEWEST = "FROM articles a JOIN captures c ON c.article_id = a.id"


def count_newest(db: Database, *, not_version: str | None = None, site: str | None = None,
                 since: str | None = None, ids: tuple[int, int] | None = None) -> int:
    where, params = _newest_where(not_version, site, since, ids)
    return int(db.execute(f"SELECT count(*) {_FROM_NEWEST} WHERE {where}", params).fetchone()[0])


def newest_captures(db: Database, *, not_version: str | None = None, site: str | None = None,
                    since: str | None = None, limit: int | None = None,
                    batch: int = 1000, ids: tuple[int, int] | None = None) -> Iterator[Capture]:
    """The newest capture of each article (by id), optionally only those not yet read by
    ``not_version``, of ``site``, fetched on or after ``since``, with an id in ``ids``
    (first, last); oldest article first, read a batch at a time (memory stays flat over
    millions)."""
    where, params = _newest_where(not_version, site, since, ids)
    columns = ", ".join("c." + n for n in COLUMNS)
    last, left = 0, limit
    while left is None or left > 0:
        size = batch if left is None else min(batch, left)
        rows = db.execute(f"SELECT {columns} {_FROM_NEWEST} WHERE {where} AND a.id > ?"
                          f" ORDER BY a.id LIMIT {size}", [*params, last]).fetchall()
        if not rows:
            return
        for row in rows:
            yield Capture(*row)
        last = rows[-1][_ARTICLE_ID]
        if left is not None:
            left -= len(rows)


def iter_captures(db: Database, *, article_ids: Sequence[int] | None = None,
                  batch: int = 500) -> Iterator[Capture]:
    """Every capture (or those of these articles), in id order, read a batch at a time."""
    last = 0
    while True:
        sql = f"{_SELECT} WHERE id > ?"
        params: list[Any] = [last]
        if article_ids is not None:
            sql += f" AND article_id IN ({', '.join('?' * len(article_ids))})"
            params += list(article_ids)
        rows = db.execute(f"{sql} ORDER BY id LIMIT {batch}", params).fetchall()
        if not rows:
            return
        for row in rows:
            yield Capture(*row)
        last = rows[-1][-1]


# warc_files --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WarcFile:
    path: str
    origin: str
    state: str
    """``writing``/``closed`` (ours), ``importing``/``imported`` (another archive's)."""
    size: int | None
    sha1: str | None
    resume_offset: int


def file_state(db: Database, path: str) -> WarcFile | None:
    row = db.execute("SELECT path, origin, state, size, sha1, resume_offset FROM warc_files"
                     " WHERE path = ?", [path]).fetchone()
    return WarcFile(*row) if row else None


def set_file_state(db: Database, path: str, *, origin: str, state: str, size: int | None = None,
                   sha1: str | None = None, resume_offset: int = 0) -> None:
    db.execute(
        "INSERT INTO warc_files (path, origin, state, size, sha1, resume_offset, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET state = excluded.state,"
        " size = excluded.size, sha1 = excluded.sha1, resume_offset = excluded.resume_offset,"
        " updated = excluded.updated",
        [path, origin, state, size, sha1, resume_offset, _now()])


def files_in_state(db: Database, state: str) -> list[WarcFile]:
    rows = db.execute("SELECT path, origin, state, size, sha1, resume_offset FROM warc_files"
                      " WHERE state = ? ORDER BY path", [state]).fetchall()
    return [WarcFile(*row) for row in rows]


def indexed_end(db: Database, warc_file: str) -> int:
    """Where the last indexed record of a file ends (0: none)."""
    row = db.execute(
        "SELECT max(max(offset + length), coalesce(max(request_offset + request_length), 0))"
        " FROM captures WHERE warc_file = ?", [warc_file]).fetchone()
    return int(row[0] or 0)


def article_ids(db: Database, filters: Filters) -> Iterator[int]:
    """The ids of the articles matching ``filters`` (published dates, site, section)."""
    clauses, params = filters.where("a")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    for (article_id,) in db.execute(f"SELECT a.id FROM articles a{where} ORDER BY a.id", params):
        yield int(article_id)
