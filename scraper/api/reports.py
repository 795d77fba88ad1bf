"""What the capture calls of :class:`~scraper.Archive` return: typed, frozen records.

``import_warc`` -> :class:`ImportReport`, ``reextract`` -> :class:`ReextractReport`,
``verify`` -> :class:`VerifyReport`, ``export`` -> :class:`Exported`. The work is done by
:mod:`scraper.captures` (and :mod:`scraper.cluster` with ``cluster=``), whose running tallies
these are a snapshot of; the CLI prints the same records.
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from scraper.captures.imports import ImportTally
    from scraper.captures.reextract import ReextractTally
    from scraper.captures.verify import VerifyTally

ExportFormat = Literal["jsonl", "csv", "warc", "parquet"]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What :meth:`Archive.import_warc <scraper.Archive.import_warc>` (``scraper import``)
    did: files read (and skipped as already imported, or failed), WARC records seen, and
    what became of them.

    >>> import scraper
    >>> report = scraper.ImportReport(files=2, skipped_files=1, records=40, new=12,
    ...                               not_articles=20, filtered=8)
    >>> report.ok
    True
    >>> print(report.summary())
    2 files (1 already imported), 40 records: 12 new, 0 updated, 0 unchanged, 20 not
    articles, 8 filtered out, 0 unreadable
    """

    files: int = 0
    skipped_files: int = 0
    """Files imported before (same path, size and SHA-1): not read again."""
    failed_files: int = 0
    """Files that could not be opened or read (``warnings`` says why)."""
    records: int = 0
    new: int = 0
    updated: int = 0
    """Articles archived before whose body changed: a new revision."""
    unchanged: int = 0
    not_articles: int = 0
    """HTML pages that are no article (home pages, listings), and non-HTML responses."""
    filtered: int = 0
    """Pages left out by ``site``, ``include``/``exclude``, ``since``/``until``, ``language``."""
    unreadable: int = 0
    """Damaged records (each a warning naming file and offset); the import went on."""
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """WARC files a killed writer left open, closed off before the import (one line each)."""
    stopped_by: signal.Signals | None = None
    """The signal (SIGTERM, SIGINT) that stopped a ``cluster=`` import part-way, if one did:
    the counts are the shards merged by then; a rerun imports the rest."""

    @property
    def ok(self) -> bool:
        """Every file was read (``scraper import`` exits with status 1 otherwise)."""
        return self.failed_files == 0

    def summary(self) -> str:
        """The line ``scraper import`` ends with.

        >>> import scraper
        >>> scraper.ImportReport(files=1, records=3, new=2, not_articles=1).summary()[:35]
        '1 files (0 already imported), 3 rec'
        """
        return (f"{self.files} files ({self.skipped_files} already imported), {self.records}"
                f" records: {self.new} new, {self.updated} updated, {self.unchanged} unchanged,"
                f" {self.not_articles} not articles, {self.filtered} filtered out,"
                f" {self.unreadable} unreadable")

    @classmethod
    def of(cls, tally: ImportTally, *, notes: tuple[str, ...] = (),
           stopped_by: signal.Signals | None = None) -> ImportReport:
        """The record of a finished (or stopped) import's running tally."""
        return cls(files=tally.files, skipped_files=tally.skipped_files,
                   failed_files=tally.failed_files, records=tally.records, new=tally.new,
                   updated=tally.updated, unchanged=tally.unchanged,
                   not_articles=tally.not_articles, filtered=tally.filtered,
                   unreadable=tally.unreadable, warnings=tuple(tally.warnings),
                   notes=notes, stopped_by=stopped_by)


@dataclass(frozen=True, slots=True)
class ReextractReport:
    """What :meth:`Archive.reextract <scraper.Archive.reextract>` (``scraper reextract``)
    did, or with ``dry_run`` would do: articles read again, and per field how many changed.

    >>> import scraper
    >>> report = scraper.ReextractReport(version="1.0+abc", total=3, changed=2, unchanged=1,
    ...                                  fields={"title": 2, "body": 1})
    >>> report.fields["title"], report.fields_line()
    (2, 'title 2 changed, body 1')
    """

    version: str
    """The extractor version (package version + a hash of the extractor's code)."""
    total: int = 0
    """Articles whose newest capture was due (not yet read by this version)."""
    changed: int = 0
    """Articles with at least one field changed: a new revision (none with ``dry_run``)."""
    unchanged: int = 0
    failed: int = 0
    """Captures that could not be read, or no longer read as an article (``failures``)."""
    fields: Mapping[str, int] = field(default_factory=dict)
    """Per field (``title``, ``published``, ``body``...): articles where it changed, most
    changed first (a read-only mapping)."""
    failures: tuple[str, ...] = ()
    dry_run: bool = False
    stopped_by: signal.Signals | None = None
    """The signal (SIGTERM, SIGINT) that stopped a ``cluster=`` run part-way, if one did: the
    counts are the shards merged by then; a rerun reads the rest."""

    def __post_init__(self) -> None:
        ordered = sorted(self.fields.items(), key=lambda item: -item[1])
        object.__setattr__(self, "fields", MappingProxyType(dict(ordered)))

    def fields_line(self) -> str:
        """``title 312 changed, published 41, body 77`` (most changed first).

        >>> import scraper
        >>> scraper.ReextractReport(version="1.0", fields={"body": 1, "title": 3}).fields_line()
        'title 3 changed, body 1'
        """
        from scraper.captures.reextract import fields_line

        return fields_line(self.fields)

    @classmethod
    def of(cls, tally: ReextractTally, *, dry_run: bool = False,
           stopped_by: signal.Signals | None = None) -> ReextractReport:
        """The record of a finished (or stopped) re-extraction's running tally."""
        return cls(version=tally.version, total=tally.total, changed=tally.changed,
                   unchanged=tally.unchanged, failed=tally.failed, fields=dict(tally.fields),
                   failures=tuple(tally.failures), dry_run=dry_run, stopped_by=stopped_by)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What :meth:`Archive.verify <scraper.Archive.verify>` (``scraper verify``) found: every
    capture's WARC file there, its record readable at its offset, every digest right.

    >>> import scraper
    >>> report = scraper.VerifyReport(captures=3, files=("captures/a.warc.gz",),
    ...                               problem_lines=("a.warc.gz: file missing",))
    >>> report.ok, report.problems
    (False, 1)
    """

    captures: int = 0
    files: tuple[str, ...] = ()
    """The WARC files the captures point into, sorted."""
    problem_lines: tuple[str, ...] = ()
    """One line per problem (a missing file is one line for all its captures)."""
    notes: int = 0
    """Records whose payload digest is over the chunked bytes (another writer's convention,
    accepted)."""

    @property
    def problems(self) -> int:
        return len(self.problem_lines)

    @property
    def ok(self) -> bool:
        """No problem (``scraper verify`` exits with status 1 otherwise)."""
        return not self.problem_lines

    @classmethod
    def of(cls, tally: VerifyTally, lines: list[str]) -> VerifyReport:
        """The record of a finished check and the problem lines it said."""
        return cls(captures=tally.captures, files=tuple(sorted(tally.files)),
                   problem_lines=tuple(lines), notes=tally.notes)


@dataclass(frozen=True, slots=True)
class Exported:
    """What :meth:`Archive.export <scraper.Archive.export>` (``scraper export``) wrote:
    how many articles (``warc``: captures), in which format, where (None: a stream).

    >>> import scraper
    >>> scraper.Exported(format="jsonl", count=2, out=None).count
    2
    """

    format: ExportFormat
    count: int
    out: Path | None
    files: tuple[Path, ...] = ()
    """``parquet``: the files written, one folder per publication day."""
