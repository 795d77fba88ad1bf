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
    "page_type", "body_source", "first_seen", "last_seen", "revision_count", "duplicate_of",
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
