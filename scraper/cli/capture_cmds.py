"""`scraper reextract`, `scraper import`, `scraper verify`: the archive's WARC captures.

The work is :mod:`scraper.captures`; these parse options, show progress (a bar on a
terminal), and print the summary lines.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from scraper.archive import Archive, open_archive
from scraper.archive.queries import parse_date
from scraper.captures.blocks_refill import refill_blocks
from scraper.captures.filters import ImportFilters
from scraper.captures.imports import import_warcs
from scraper.captures.recorder import run_name
from scraper.captures.reextract import ReextractReport, reextract
from scraper.captures.verify import verify
from scraper.captures.warcfiles import WarcFiles, close_off
from scraper.cli.cluster_options import cluster_address, cluster_option
from scraper.cli.options import (
    archive_path,
    config_option,
    db_option,
    load_settings,
    reports_errors,
)
from scraper.config import Config
from scraper.errors import ArchiveError

FAILURES_SHOWN = 20


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


def _folder(config: Config, db: Path) -> Path:
    return config.archive.captures_dir(db)


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
    db = archive_path(config, db_path)
    open_archive(db).close()  # a missing archive is one line, never a new file
    if blocks_only:
        if site or since or dry_run or cluster:
            raise click.UsageError("--blocks-only takes --limit only")
        with Archive(db) as archive:
            refilled = refill_blocks(archive, _folder(config, db), limit=limit,
                                     max_bytes=config.fetch.max_bytes)
        click.echo(refilled.line(), err=True)
        return
    address = cluster_address(cluster, config, dry_run=dry_run)
    if address is not None:
        from scraper.cluster.reextract import run_cluster_reextract  # Ray only when asked

        report = run_cluster_reextract(config, db, address=address, site=site, since=since,
                                       limit=limit)
        _reextract_summary(report, dry_run=False)
        return
    with Archive(db) as archive, _bar("reextract", enabled=sys.stderr.isatty()) as bar:
        task = bar.add_task("reextract", total=None) if bar else None

        def progress(done: int, total: int) -> None:
            if bar is not None and task is not None:
                bar.update(task, completed=done, total=total)

        report = reextract(archive, _folder(config, db), site=site, since=since, limit=limit,
                           dry_run=dry_run, max_bytes=config.fetch.max_bytes,
                           progress=progress)
    _reextract_summary(report, dry_run=dry_run)


def _reextract_summary(report: ReextractReport, *, dry_run: bool) -> None:
    for line in report.failures[:FAILURES_SHOWN]:
        click.echo(f"failed: {line}", err=True)
    how = "would change" if dry_run else "changed"
    click.echo(f"scraper reextract{' --dry-run' if dry_run else ''}: {report.total} articles,"
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
    db = archive_path(config, db_path)
    filters = ImportFilters(site=config.site(site_name) if site_name else None,
                            include=include, exclude=exclude, since=since, until=until,
                            language=language)
    address = cluster_address(cluster, config)
    if address is not None:
        from scraper.cluster.imports import run_cluster_import  # Ray only when asked for

        report = run_cluster_import(config, db, paths, address=address, filters=filters,
                                    copy=copy)
        for text in report.warnings:
            click.echo(f"warning: {text}", err=True)
        click.echo(f"scraper import: {report.summary()}", err=True)
        if report.failed_files:
            sys.exit(1)
        return
    folder = _folder(config, db)
    with Archive(db) as archive:
        for note in close_off(archive.db, folder):
            click.echo(f"note: {note}", err=True)
        copies = WarcFiles(archive.db, folder, run=run_name("import"), origin="import",
                           max_bytes=config.archive.warc_max_bytes)
        with _bar("import", enabled=sys.stderr.isatty()) as bar:
            task = bar.add_task("import", total=None) if bar else None

            def progress(name: str, done: int, size: int) -> None:
                if bar is not None and task is not None:
                    bar.update(task, completed=done, total=size,
                               description=Path(name).name)

            report = import_warcs(archive, paths, filters=filters, copies=copies, copy=copy,
                                  max_bytes=config.fetch.max_bytes,
                                  warn=lambda text: click.echo(f"warning: {text}", err=True),
                                  progress=progress)
    click.echo(f"scraper import: {report.summary()}", err=True)
    if report.failed_files:
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
    db_file = archive_path(config, db_path)
    db = open_archive(db_file)
    try:
        report = verify(db, _folder(config, db_file), say=click.echo)
    finally:
        db.close()
    notes = f", {report.notes} digested over chunked bytes" if report.notes else ""
    click.echo(f"scraper verify: {report.captures} captures in {len(report.files)} files,"
               f" {report.problems} problems{notes}", err=True)
    if report.problems:
        sys.exit(1)
