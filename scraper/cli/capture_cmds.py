"""`scraper reextract`, `scraper import`, `scraper verify`: the archive's WARC captures.

The work is ``scraper.Archive.import_warc``, ``reextract`` and ``verify``
(scraper/api/capture_methods.py); these parse options, show progress (a bar on a terminal),
and print the summary lines.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from scraper.api import Archive, ReextractReport
from scraper.archive.queries import parse_date
from scraper.cli.cluster_options import cluster_address, cluster_option
from scraper.cli.options import (
    archive_path,
    config_option,
    db_option,
    load_settings,
    reports_errors,
)
from scraper.crawl.run import STOP_SIGNALS
from scraper.errors import ArchiveError

FAILURES_SHOWN = 20
EXIT_STOPPED = {signal.SIGINT: 1, signal.SIGTERM: 128 + signal.SIGTERM}
"""Exit status of a ``--cluster`` run stopped part-way, as of a local one: Ctrl-C ends it
with 1 (``Aborted!``), SIGTERM kills it (a shell says 128 + 15)."""


def _stopped(by: signal.Signals | None) -> str:
    """``stopped by SIGTERM, `` before the summary of a stopped run ('' for a whole one)."""
    return f"{STOP_SIGNALS[by]}, " if by is not None else ""


def _exit_if_stopped(by: signal.Signals | None) -> None:
    if by is not None:
        sys.exit(EXIT_STOPPED[by])


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ArchiveError as exc:
        raise click.BadParameter(str(exc)) from exc


@contextmanager
def _bar(label: str, *, enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal."""
    if not enabled:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield progress


@click.command("reextract")
@click.option("--site", default=None, help="Only this site's articles.")
@click.option("--since", callback=_date, help="Only captures fetched on or after this date.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N articles.")
@click.option("--dry-run", is_flag=True, help="Extract and count what would change; write "
              "nothing.")
@click.option("--blocks-only", is_flag=True,
              help="Only the stored blocks (the body's structure and links) of revisions made"
                   " from the plain body, read again from their kept page; no new revision."
                   " With --limit only.")
@config_option
@db_option
@cluster_option
@reports_errors
def reextract_command(site: str | None, since: str | None, limit: int | None, dry_run: bool,
                      blocks_only: bool, config_path: Path | None, db_path: Path | None,
                      cluster: str | None) -> None:
    """Run today's extractor over the kept captures (the newest of each article), on every
    core; a new revision only where the record changed. Resumable: run it again after an
    interruption and it goes on where it stopped.

    \b
    scraper reextract
    scraper reextract --site africa-news-hub --since 2024-01-01 --limit 500 --dry-run
    scraper reextract --cluster auto --since 2026-01-01   # id ranges over Ray
    scraper reextract --blocks-only     # structure for revisions archived before blocks
    """
    config = load_settings(config_path)
    if blocks_only and (site or since or dry_run or cluster):
        raise click.UsageError("--blocks-only takes --limit only")
    with Archive(archive_path(config, db_path), create=False) as archive, \
            _bar("reextract", enabled=sys.stderr.isatty()) as bar:
        if blocks_only:
            click.echo(archive.refill_blocks(limit=limit, config=config).line(), err=True)
            return
        address = cluster_address(cluster, config, dry_run=dry_run)
        task = bar.add_task("reextract", total=None) if bar else None

        def progress(done: int, total: int) -> None:
            if bar is not None and task is not None:
                bar.update(task, completed=done, total=total)

        report = archive.reextract(site=site, since=since, limit=limit, dry_run=dry_run,
                                   config=config, cluster=address, progress=progress)
    _reextract_summary(report)
    _exit_if_stopped(report.stopped_by)


def _reextract_summary(report: ReextractReport) -> None:
    dry_run = report.dry_run
    for line in report.failures[:FAILURES_SHOWN]:
        click.echo(f"failed: {line}", err=True)
    how = "would change" if dry_run else "changed"
    click.echo(f"scraper reextract{' --dry-run' if dry_run else ''}:"
               f" {_stopped(report.stopped_by)}{report.total} articles,"
               f" extractor {report.version}: {report.changed} {how}, {report.unchanged}"
               f" unchanged, {report.failed} failed; {report.fields_line()}", err=True)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--site", "site_name", default=None,
              help="Take only this configured site's pages (its hosts, include/exclude), and "
                   "record them under its name.")
@click.option("--include", multiple=True, metavar="REGEX", help="Only URLs matching (repeatable).")
@click.option("--exclude", multiple=True, metavar="REGEX", help="No URL matching (repeatable).")
@click.option("--since", callback=_date, help="Captured on or after this date.")
@click.option("--until", callback=_date, help="Captured on or before this date.")
@click.option("--language", default=None, help="Only articles in this language (en, de...).")
@click.option("--copy", is_flag=True, help="Copy the records into the captures folder "
              "(default: the index points into the original files).")
@config_option
@db_option
@cluster_option
@reports_errors
def import_command(paths: tuple[Path, ...], site_name: str | None, include: tuple[str, ...],
                   exclude: tuple[str, ...], since: str | None, until: str | None,
                   language: str | None, copy: bool, config_path: Path | None,
                   db_path: Path | None, cluster: str | None) -> None:
    """Import WARC files (.warc, .warc.gz; or folders of them), e.g. CC-NEWS: every HTML page
    through the extractor into the archive; pages that are not articles are counted and
    skipped. Resumable; a damaged record is a warning and the import goes on.

    \b
    scraper import CC-NEWS-20240101000000-00001.warc.gz
    scraper import crawls/ --site africa-news-hub --since 2024-01-01 --language en
    scraper import --cluster auto /shared/cc-news/*.warc.gz   # split by file over Ray
    """
    config = load_settings(config_path)
    address = cluster_address(cluster, config)
    with Archive(archive_path(config, db_path)) as archive, \
            _bar("import", enabled=sys.stderr.isatty()) as bar:
        task = bar.add_task("import", total=None) if bar else None

        def progress(name: str, done: int, size: int) -> None:
            if bar is not None and task is not None:
                bar.update(task, completed=done, total=size, description=Path(name).name)

        report = archive.import_warc(
            paths, site=site_name, include=include, exclude=exclude, since=since, until=until,
            language=language, copy=copy, config=config, cluster=address,
            warn=lambda text: click.echo(f"warning: {text}", err=True), progress=progress)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"scraper import: {_stopped(report.stopped_by)}{report.summary()}", err=True)
    _exit_if_stopped(report.stopped_by)
    if not report.ok:
        sys.exit(1)


@click.command("verify")
@config_option
@db_option
@reports_errors
def verify_command(config_path: Path | None, db_path: Path | None) -> None:
    """Check every capture: its WARC file is there, the record at its offset is readable and
    every digest is right. One line per problem; exit status 1 if there is any.

    \b
    scraper verify
    scraper verify --db archive.db
    """
    config = load_settings(config_path)
    with Archive(archive_path(config, db_path), create=False) as archive:
        report = archive.verify(config=config, say=click.echo)
    notes = f", {report.notes} digested over chunked bytes" if report.notes else ""
    click.echo(f"scraper verify: {report.captures} captures in {len(report.files)} files,"
               f" {report.problems} problems{notes}", err=True)
    if not report.ok:
        sys.exit(1)
