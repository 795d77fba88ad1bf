"""The capture calls of :class:`~scraper.Archive`: ``scraper import``, ``reextract``,
``verify``, ``show --captures`` and ``show --html`` from Python (docs/captures.md).

The work is :mod:`scraper.captures` (and :mod:`scraper.cluster` with ``cluster=``); these
methods resolve the settings (``config``: a ``Config``, the path of a config.toml, or None
for the defaults: captures in ``captures/`` beside the archive), run it, and hand back a
frozen report (:mod:`scraper.api.reports`). The CLI commands call them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from scraper.api.reports import ImportReport, ReextractReport, VerifyReport
from scraper.archive.captures import Capture, capture_for_revision, captures_of
from scraper.archive.lookup import find_article
from scraper.archive.queries import parse_date
from scraper.captures.blocks_refill import RefillReport, refill_blocks
from scraper.captures.filters import ImportFilters
from scraper.captures.imports import import_warcs
from scraper.captures.reader import load_capture, page_text
from scraper.captures.recorder import run_name
from scraper.captures.reextract import reextract as reextract_captures
from scraper.captures.verify import verify as verify_captures
from scraper.captures.warcfiles import WarcFiles, close_off
from scraper.cluster.engine import check_address
from scraper.config import Config, load_config
from scraper.errors import ArchiveError, ConfigError

if TYPE_CHECKING:
    from scraper.archive import store

T = TypeVar("T")
Say = Callable[[str], None]
NO_CAPTURES = ("no captures: this article was archived before captures were kept"
               " (or with capture = false)")
CLUSTER_HINT = "pip install 'scraper[cluster]'"


def config_of(config: Config | str | Path | None) -> Config:
    """``config`` as a ``Config``: itself, the config.toml it names, or the defaults."""
    if isinstance(config, Config):
        return config
    return load_config(config) if config is not None else Config()


def _check_patterns(**lists: Sequence[str]) -> None:
    """``ConfigError`` naming the first URL pattern that is no regular expression."""
    for name, patterns in lists.items():
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"not a regular expression: {pattern!r} ({exc})",
                                  key=name) from exc


def _paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(path) for path in paths]


class ArchiveCaptures:
    """The capture calls, mixed into :class:`scraper.Archive` (which has the file open)."""

    _store: store.Archive
    path: Path

    def import_warc(self, paths: str | Path | Iterable[str | Path], *, site: str | None = None,
                    include: Sequence[str] = (), exclude: Sequence[str] = (),
                    since: str | None = None, until: str | None = None,
                    language: str | None = None, copy: bool = False,
                    config: Config | str | Path | None = None, cluster: str | None = None,
                    warn: Say | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> ImportReport:
        """``scraper import``: WARC files (``.warc``, ``.warc.gz``; or folders of them, e.g.
        CC-NEWS) through the extractor into the archive; pages that are no article are
        counted and skipped. ``site`` takes only a configured site's pages (its hosts,
        include/exclude) and files them under its name (else under their host);
        ``include``/``exclude`` are URL regexes; ``since``/``until`` bound the capture date;
        ``language`` keeps articles in that language (``en`` keeps ``en-GB``). The index
        points into the original files unless ``copy``. Resumable; a file imported before
        is skipped; a damaged record is a warning (``warn`` hears each as it comes) and the
        import goes on. ``progress(file, bytes read, size)``; ``cluster``: a Ray address.

        >>> import io, pathlib, tempfile, scraper
        >>> from warcio.warcwriter import WARCWriter
        >>> from warcio.statusandheaders import StatusAndHeaders
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> page = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12
        ...         + "</p></article></body></html>").encode()
        >>> with open(folder / "news.warc.gz", "wb") as handle:
        ...     writer = WARCWriter(handle, gzip=True)
        ...     http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
        ...                             protocol="HTTP/1.1")
        ...     writer.write_record(writer.create_warc_record(
        ...         "https://news.example/2024/05/02/tide-mill/", "response",
        ...         payload=io.BytesIO(page), length=len(page), http_headers=http))
        >>> with scraper.Archive(folder / "archive.db") as db:
        ...     report = db.import_warc(folder / "news.warc.gz")
        ...     again = db.import_warc([folder / "news.warc.gz"])
        ...     title = db.get("https://news.example/2024/05/02/tide-mill/").record["title"]
        >>> report.new, report.records, again.skipped_files, title
        (1, 1, 1, 'Tide mill reopens')
        """
        settings = config_of(config)
        _check_patterns(include=include, exclude=exclude)
        filters = ImportFilters(
            site=settings.site(site) if site else None, include=tuple(include),
            exclude=tuple(exclude), since=parse_date(since) if since else None,
            until=parse_date(until) if until else None, language=language)
        address = check_address(cluster)
        if address is not None:
            from scraper.cluster.imports import run_cluster_import  # Ray only when asked

            tally, stopped_by = run_cluster_import(settings, self.path, _paths(paths),
                                                   address=address, filters=filters, copy=copy)
            for text in tally.warnings:
                (warn or _quiet)(text)
            return ImportReport.of(tally, stopped_by=stopped_by)
        folder = settings.archive.captures_dir(self.path)
        notes = tuple(close_off(self._store.db, folder))
        copies = WarcFiles(self._store.db, folder, run=run_name("import"), origin="import",
                           max_bytes=settings.archive.warc_max_bytes)
        tally = import_warcs(self._store, _paths(paths), filters=filters, copies=copies,
                             copy=copy, max_bytes=settings.fetch.max_bytes,
                             warn=warn or _quiet, progress=progress)
        return ImportReport.of(tally, notes=notes)

    def reextract(self, *, site: str | None = None, since: str | None = None,
                  limit: int | None = None, dry_run: bool = False,
                  config: Config | str | Path | None = None, cluster: str | None = None,
                  progress: Callable[[int, int], None] | None = None) -> ReextractReport:
        """``scraper reextract``: today's extractor over the kept captures (the newest of each
        article not yet read by this extractor version), on every core; a new revision only
        where a field changed, counted per field. ``site``, ``since`` (capture date) and
        ``limit`` pick the articles; ``dry_run`` extracts and counts, and writes nothing.
        Resumable. ``progress(done, total)``; ``cluster``: a Ray address (not with
        ``dry_run``, which runs here).

        >>> import scraper, tempfile, pathlib
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     report = db.reextract(dry_run=True)
        >>> report.total, report.changed, report.fields_line()
        (0, 0, 'no field changed')
        """
        settings = config_of(config)
        since = parse_date(since) if since else None
        address = None if dry_run else check_address(cluster)
        if address is not None:
            from scraper.cluster.reextract import run_cluster_reextract  # Ray only when asked

            tally, stopped_by = run_cluster_reextract(settings, self.path, address=address,
                                                      site=site, since=since, limit=limit)
            return ReextractReport.of(tally, stopped_by=stopped_by)
        tally = reextract_captures(self._store, settings.archive.captures_dir(self.path),
                                   site=site, since=since, limit=limit, dry_run=dry_run,
                                   max_bytes=settings.fetch.max_bytes, progress=progress)
        return ReextractReport.of(tally, dry_run=dry_run)

    def refill_blocks(self, *, limit: int | None = None,
                      config: Config | str | Path | None = None) -> RefillReport:
        """``scraper reextract --blocks-only``: the structure (and inline links) of the
        revisions whose blocks were made from their plain body (rows archived before blocks
        were kept), read again from their kept page; no new revision, ``body`` unchanged.
        Resumable; at most ``limit`` revisions looked at.

        >>> import scraper, tempfile, pathlib
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     report = db.refill_blocks()
        >>> report.examined, report.read
        (0, 0)
        """
        settings = config_of(config)
        return refill_blocks(self._store, settings.archive.captures_dir(self.path),
                             limit=limit, max_bytes=settings.fetch.max_bytes)

    def verify(self, *, config: Config | str | Path | None = None,
               say: Say | None = None) -> VerifyReport:
        """``scraper verify``: every capture's WARC file is there, the record at its offset is
        readable and of the indexed URL, and every digest is right. One line per problem
        (``say`` hears each as it is found).

        >>> import scraper, tempfile, pathlib
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     report = db.verify()
        >>> report.ok, report.captures, report.problem_lines
        (True, 0, ())
        """
        folder = config_of(config).archive.captures_dir(self.path)
        lines: list[str] = []

        def heard(line: str) -> None:
            lines.append(line)
            if say is not None:
                say(line)

        tally = self._captures_read(lambda: verify_captures(self._store.db, folder, say=heard))
        return VerifyReport.of(tally, lines)

    def captures(self, url_or_id: str | int) -> list[Capture]:
        """``scraper show --captures``: the article's kept captures (when fetched, HTTP
        status, WARC file and offset, digest, the revision read from it), oldest first;
        empty for an article archived before captures were kept. ``ArchiveError`` if there
        is no such article.

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     db.captures(1)
        []
        """
        return self._captures_read(
            lambda: captures_of(self._store.db, find_article(self._store.db, str(url_or_id))))

    def page_html(self, url_or_id: str | int, revision: int | None = None, *,
                  config: Config | str | Path | None = None) -> str:
        """``scraper show --html``: the page exactly as it was served (decoded to text), the
        one ``revision`` was read from (default: the newest capture). ``ArchiveError`` when
        there is no capture of it.

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     db.page_html(1)
        Traceback (most recent call last):
        scraper.errors.ArchiveError: no capture of this article: this article was archived ...
        """
        settings = config_of(config)
        folder = settings.archive.captures_dir(self.path)

        def read() -> str:
            db = self._store.db
            capture = capture_for_revision(db, find_article(db, str(url_or_id)), revision)
            if capture is None:
                which = f"revision {revision}" if revision else "this article"
                raise ArchiveError(f"no capture of {which}: " + NO_CAPTURES.split(": ", 1)[1])
            text, _codec = page_text(load_capture(db, folder, capture),
                                     settings.fetch.max_bytes)
            return text

        return self._captures_read(read)

    def _captures_read(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot read: {exc}", path=str(self.path)) from exc


def _quiet(_text: str) -> None:
    """No one to tell."""
