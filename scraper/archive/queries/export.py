"""Articles as analysts get them: the record's columns, list fields decoded, streamed out."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlite_utils import Database

from scraper.archive.queries.filters import Filters

LIST_FIELDS = ("headings", "authors", "tags")
"""Columns stored as JSON text, decoded to lists in records."""
EXPORT_COLUMNS: tuple[str, ...] = (
    "id", "url", "canonical_url", "site", "title", "published", "modified", "section",
    "headings", "body", "source_link", "authors", "language", "site_name", "description", "tags",
    "image", "word_count", "content_hash", "title_source", "date_source", "section_source",
    "page_type", "paywalled", "body_source",
    "first_seen", "last_seen", "revision_count", "duplicate_of",
    "duplicate_similarity", "duplicate_method",
)


def article_record(row: Sequence[Any], names: Sequence[str] = EXPORT_COLUMNS) -> dict[str, Any]:
    """A row of ``names`` as a record: list fields decoded from their JSON text."""
    record = dict(zip(names, row, strict=True))
    for name in LIST_FIELDS:
        if name in record and isinstance(record[name], str):
            record[name] = json.loads(record[name])
    return record


def export_rows(db: Database, *, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """Every matching article as a record, streamed one row at a time (memory stays flat)."""
    clauses, params = (filters or Filters()).where()
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    columns = ", ".join(f"a.{name}" for name in EXPORT_COLUMNS)
    cursor = db.conn.execute(f"SELECT {columns} FROM articles a{where} ORDER BY a.id", params)
    try:
        for row in cursor:
            yield article_record(row)
    finally:
        cursor.close()


_DAY_OF = "substr(a.published, 1, 10)"
_DATED = f"date({_DAY_OF}) = {_DAY_OF}"
"""The publication day as written (the site's own day), when it is a real date."""


def publication_days(db: Database, *, filters: Filters | None = None) -> list[str | None]:
    """The publication days (``YYYY-MM-DD``) of the matching articles, in order, then None
    when some have no readable date: the partitions of a Parquet export."""
    clauses, params = (filters or Filters()).where()
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(
        f"SELECT DISTINCT CASE WHEN {_DATED} THEN {_DAY_OF} END AS day"
        f" FROM articles a INDEXED BY idx_articles_filter{where} ORDER BY day IS NULL, day",
        params,
    ).fetchall()
    return [row[0] for row in rows]


def day_rows(db: Database, day: str | None, *,
             filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """:func:`export_rows` of one publication day (``None``: the articles without a readable
    date), in id order, streamed."""
    clauses, params = (filters or Filters()).where()
    if day is None:
        clauses.append(f"(a.published IS NULL OR NOT coalesce({_DATED}, 0))")
    else:  # every spelling that starts with the day (a time, an offset), by the index
        clauses.append("a.published >= ? AND a.published < ?")
        params += [day, day + "~"]
    columns = ", ".join(f"a.{name}" for name in EXPORT_COLUMNS)
    cursor = db.conn.execute(
        f"SELECT {columns} FROM articles a WHERE {' AND '.join(clauses)} ORDER BY a.id", params)
    try:
        for row in cursor:
            yield article_record(row)
    finally:
        cursor.close()
