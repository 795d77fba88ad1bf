"""``Archive.export``: ``scraper export`` from Python, every format, one code path.

JSON lines and CSV are written here (the CLI's ``export`` calls this), Parquet by
:mod:`scraper.archive.parquet`, WARC by :mod:`scraper.captures.export`. Output streams: a
file path is written as rows come, a file object (text for jsonl/csv, binary for warc) too.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, TypeVar, cast

from scraper.api.capture_methods import config_of
from scraper.api.reports import Exported, ExportFormat
from scraper.archive import queries
from scraper.archive.captures import article_ids
from scraper.archive.parquet import write_parquet
from scraper.archive.queries import EXPORT_COLUMNS, Filters, archived_sites
from scraper.captures.export import export_warc
from scraper.config import Config
from scraper.errors import ArchiveError

if TYPE_CHECKING:
    from scraper.archive import store

T = TypeVar("T")
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "warc", "parquet")


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One compact JSON record a line; how many."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A header of the export columns, then a line a record (lists as JSON text); how many."""
    writer, count = csv.writer(out, lineterminator="\n"), 0
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([json.dumps(value, ensure_ascii=False) if isinstance(value, list)
                         else value for value in (row[name] for name in EXPORT_COLUMNS)])
        count += 1
    return count


@contextmanager
def _opened(out: str | Path | IO[Any], *, binary: bool) -> Iterator[IO[Any]]:
    """``out`` itself if it is a file object, else the file at that path, written anew."""
    if not isinstance(out, str | Path):
        yield out
        return
    try:
        with Path(out).open("wb" if binary else "w", encoding=None if binary else "utf-8",
                            newline=None if binary else "") as handle:
            yield handle
    except OSError as exc:
        raise ArchiveError(f"cannot write: {exc.strerror or exc}", path=str(out)) from exc


class ArchiveExports:
    """``export`` and ``sites``, mixed into :class:`scraper.Archive`."""

    _store: store.Archive
    path: Path

    def sites(self) -> list[str]:
        """The site names the archive holds articles of, sorted.

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"),
        ...                 site="news-example")
        ...     db.sites()
        ['news-example']
        """
        return self._export_read(lambda: list(archived_sites(self._store.db)))

    def export(self, out: str | Path | IO[Any], format: ExportFormat = "jsonl", *,
               since: str | None = None, until: str | None = None, site: str | None = None,
               section: str | None = None,
               config: Config | str | Path | None = None) -> Exported:
        """``scraper export``: the matching articles (published ``since``/``until``, of
        ``site``, in ``section``), streamed to ``out`` (a path, or an open file: text for
        ``jsonl``/``csv``, binary for ``warc``). ``jsonl``: one JSON record a line (the
        :meth:`records` dicts); ``csv``: a header and a row each, lists as JSON text;
        ``warc``: the articles' captures as one WARC/1.1 file, as served (``config`` says
        where the captures are); ``parquet``: :meth:`export_parquet` into the folder ``out``.

        >>> import io, json, scraper, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(folder / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     db.export(folder / "articles.csv", "csv", since="2024-05-01").count
        ...     buffer = io.StringIO()
        ...     db.export(buffer, "jsonl").count
        1
        1
        >>> json.loads(buffer.getvalue())["title"]
        'Tide mill reopens'
        >>> (folder / "articles.csv").read_text().splitlines()[0][:22]
        'id,url,canonical_url,s'
        """
        if format not in FORMATS:
            raise ArchiveError(f"no export format {format!r} (formats: {', '.join(FORMATS)})")
        filters = Filters(since=queries.parse_date(since) if since else None,
                          until=queries.parse_date(until) if until else None, site=site,
                          section=section)
        target = Path(out) if isinstance(out, str | Path) else None
        if format == "parquet":
            if target is None:
                raise ArchiveError("a Parquet export is a folder: give its path")
            done = self._export_read(lambda: write_parquet(self._store.db, target,
                                                           filters=filters))
            return Exported("parquet", done.rows, target, tuple(done.files))
        if format == "warc":
            folder = config_of(config).archive.captures_dir(self.path)
            ids = None if filters == Filters() else article_ids(self._store.db, filters)
            with _opened(out, binary=True) as handle:
                count = self._export_read(lambda: export_warc(
                    self._store.db, folder, cast(BinaryIO, handle), article_ids=ids,
                    filename=target.name if target else ""))
            return Exported("warc", count, target)
        writer = write_jsonl if format == "jsonl" else write_csv
        with _opened(out, binary=False) as handle:
            count = self._export_read(lambda: writer(
                queries.export_rows(self._store.db, filters=filters), handle))
        return Exported(format, count, target)

    def _export_read(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot read: {exc}", path=str(self.path)) from exc
