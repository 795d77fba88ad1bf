"""The archive as one Parquet dataset, for pandas, DuckDB, Polars, Spark (``parquet`` extra).

::

    out/published_day=2024-05-01/part-0.parquet
    out/published_day=2024-05-02/part-0.parquet
    out/published_day=unknown/part-0.parquet       no readable publication date

Hive-style partitions by publication day (the day as the site wrote it, so a reader's
``published_day`` is a string: ``YYYY-MM-DD`` or ``unknown``). Not Hive's null folder
(``__HIVE_DEFAULT_PARTITION__``): ``pandas.read_parquet(folder)`` cannot read a dataset with
one (pyarrow 26: "Cannot yet unify dictionaries with nulls"). Columns are
``EXPORT_COLUMNS`` (the partition column is in the folder names, not in the files), typed:
dates as UTC timestamps (a date without a time is midnight UTC; a time without an offset is
taken as UTC), ``headings``/``authors``/``tags`` as ``list<string>``, counts as int64.

Streamed: one day at a time (:func:`scraper.archive.queries.day_rows`), ``batch_size`` rows
per row group, one file open at once, so memory stays flat however large the archive
(``bench/parquet_export.py``). pyarrow is imported only here, on use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from scraper.archive.connection import page_cache
from scraper.archive.queries import EXPORT_COLUMNS, LIST_FIELDS, Filters, day_rows, publication_days
from scraper.errors import ArchiveError, MissingExtra

PARTITION = "published_day"
UNDATED = "unknown"
"""The partition value of the articles without a readable publication date."""
BATCH_SIZE = 1_000
EXPORT_CACHE_KIB = 2_048
TIMESTAMP_FIELDS = ("published", "modified", "first_seen", "last_seen")
_INTEGER_FIELDS = ("id", "word_count", "revision_count", "duplicate_of")
_BOOLEAN_FIELDS = ("paywalled",)


@dataclass(frozen=True, slots=True)
class ParquetExport:
    """What a Parquet export wrote (``Archive.export_parquet``): rows, and one file per
    publication day.

    >>> import scraper, pathlib
    >>> day = pathlib.Path("out/published_day=2024-05-02")
    >>> done = scraper.ParquetExport(rows=2, files=[day / "part-0.parquet"])
    >>> done.rows, done.files[0].parent.name
    (2, 'published_day=2024-05-02')
    """

    rows: int
    files: list[Path]
    """One per partition, in day order (the undated last)."""


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401  (the writer lives in the submodule)
    except ImportError as exc:
        raise MissingExtra("Parquet export", "pyarrow", "parquet") from exc
    return pyarrow


def arrow_schema() -> Any:
    """The dataset's pyarrow schema (without the partition column)."""
    pa = _pyarrow()
    kinds = {
        **{name: pa.timestamp("us", tz="UTC") for name in TIMESTAMP_FIELDS},
        **{name: pa.list_(pa.string()) for name in LIST_FIELDS},
        **{name: pa.int64() for name in _INTEGER_FIELDS},
        **{name: pa.bool_() for name in _BOOLEAN_FIELDS},
        "duplicate_similarity": pa.float64(),
    }
    return pa.schema([(name, kinds.get(name, pa.string())) for name in EXPORT_COLUMNS])


def parse_timestamp(text: str | None) -> datetime | None:
    """An ISO 8601 date or timestamp as an aware UTC datetime; None if it is not one."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _typed(record: dict[str, Any]) -> dict[str, Any]:
    for name in TIMESTAMP_FIELDS:
        record[name] = parse_timestamp(record[name])
    for name in _BOOLEAN_FIELDS:
        record[name] = None if record[name] is None else bool(record[name])
    return record


def write_parquet(db: Database, out_dir: str | Path, *, filters: Filters | None = None,
                  batch_size: int = BATCH_SIZE) -> ParquetExport:
    """Write the matching articles as a Parquet dataset under ``out_dir`` (made if missing;
    an existing folder must be empty, so no stale partition is left beside the new ones)."""
    pa = _pyarrow()
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ArchiveError("exists and is not an empty folder; give a new one", path=str(out))
    schema = arrow_schema()
    rows = 0
    files: list[Path] = []
    try:
        # each day's rows are spread over the whole file: a large cache would fill with pages
        # read once (64 MB on a large archive), and the export's memory grow with the archive
        with page_cache(db, EXPORT_CACHE_KIB):
            for day in publication_days(db, filters=filters):
                path = out / f"{PARTITION}={day or UNDATED}" / "part-0.parquet"
                path.parent.mkdir(parents=True, exist_ok=True)
                with pa.parquet.ParquetWriter(path, schema, compression="zstd") as writer:
                    for batch in _batches(day_rows(db, day, filters=filters), batch_size):
                        writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                        rows += len(batch)
                files.append(path)
    except OSError as exc:
        raise ArchiveError(f"cannot write: {exc.strerror or exc}", path=str(out)) from exc
    except pa.lib.ArrowException as exc:  # a value the schema cannot hold
        raise ArchiveError(f"cannot write Parquet: {exc}", path=str(out)) from exc
    return ParquetExport(rows=rows, files=files)


def _batches(records: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while batch := [_typed(record) for record in islice(records, size)]:
        yield batch
