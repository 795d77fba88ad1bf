"""`scraper crawl`: the scheduled run, built for cron.

Three ways to report, chosen once: quiet (not a terminal: one summary line on stderr), live
(a terminal: a rich table per site, failures as they happen), json (one JSON object per event
on stderr, for log shippers). A dry run lists what would be fetched on stdout.
"""

from __future__ import annotations

import json
import signal
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import click
from rich.console import Console
from rich.live import Live
from rich.table import Table

from scraper.archive.crawlstate import SiteCounts
from scraper.cli.options import (
    ConfigProblem,
    archive_path,
    config_option,
    db_option,
    load_settings,
    reports_errors,
)
from scraper.config import DEFAULT_CONFIG_PATH
from scraper.crawl import CrawlEvent, RunReport, run_crawl, select_sites

LOG_FORMATS = click.Choice(["text", "json"])
EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report an interrupted command."""
_COLUMNS = (("discovered", "found"), ("fetched", "fetched"), ("new", "new"),
            ("updated", "updated"), ("unchanged", "same"), ("skipped_robots", "robots"),
            ("failed", "failed"))


def summary_line(report: RunReport, db: Path) -> str:
    """The one line a run leaves in cron's mail or the journal."""
    totals = report.totals
    sites = f"{len(report.sites)} site{'s' if len(report.sites) != 1 else ''}"
    stopped = f" ({report.message})" if report.stopped_by is not None else ""
    if report.dry_run:
        reasons = Counter(p.reason for p in report.planned)
        return (f"scraper crawl --dry-run{': aborted' if stopped else ''}{stopped}:"
                f" {sites}, {totals.discovered} discovered,"
                f" {len(report.planned)} would be fetched ({reasons['new']} new,"
                f" {reasons['retry']} retry, {reasons['refresh']} refresh),"
                f" {totals.skipped_robots} skipped by robots, {totals.failed} failed")
    line = (f"scraper crawl: run {report.run_id} {report.status} in {report.elapsed:.1f}s"
            f"{stopped}: {sites},"
            f" {totals.discovered} discovered, {totals.fetched} fetched, {totals.new} new,"
            f" {totals.updated} updated, {totals.unchanged} unchanged,"
            f" {totals.skipped_robots} skipped by robots, {totals.failed} failed")
    if totals.failed:
        line += f" (sqlite3 {db} 'SELECT * FROM failures WHERE run_id = {report.run_id}')"
    return line


class Reporter:
    """Quiet: nothing until the summary line."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None

    def event(self, event: CrawlEvent) -> None:
        return None

    def finish(self, report: RunReport) -> None:
        click.echo(summary_line(report, self.db), err=True)
        for site in report.sites:
            if site.error:
                click.echo(f"error: site {site.name}: {site.error}", err=True)


class JsonReporter(Reporter):
    """One JSON object per event on stderr, then a summary object."""

    def _write(self, record: dict[str, Any]) -> None:
        record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), **record}
        click.echo(json.dumps(record, ensure_ascii=False), err=True)

    def event(self, event: CrawlEvent) -> None:
        record: dict[str, Any] = {"event": event.kind}
        for name in ("site", "url"):
            if getattr(event, name) is not None:
                record[name] = getattr(event, name)
        if event.message:
            record["message"] = event.message
        if event.kind == "site-done" and event.counts is not None:
            record["counts"] = event.counts.as_dict()
        self._write(record)

    def finish(self, report: RunReport) -> None:
        self._write({
            "event": "summary", "run_id": report.run_id, "status": report.status,
            "dry_run": report.dry_run, "elapsed": round(report.elapsed, 3),
            "totals": report.totals.as_dict(),
            "sites": {s.name: {**s.counts.as_dict(), "error": s.error} for s in report.sites},
            "message": report.message,
        })


class LiveReporter(Reporter):
    """A table per site that updates as the run goes; failures printed above it."""

    def __init__(self, db: Path) -> None:
        super().__init__(db)
        self.console = Console(stderr=True)
        self.sites: dict[str, SiteCounts] = {}
        self.state: dict[str, str] = {}
        self.live = Live(self._table(), console=self.console, refresh_per_second=4,
                         transient=False)

    def __enter__(self) -> LiveReporter:
        self.live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.live.update(self._table())
        self.live.__exit__(kind, exc, tb)

    def _table(self) -> Table:
        table = Table(title="scraper crawl", title_justify="left")
        width = min(30, max(map(len, self.sites), default=4))
        table.add_column("site", no_wrap=True, min_width=width)
        for _field, label in _COLUMNS:
            table.add_column(label, justify="right")
        table.add_column("")
        for name, counts in self.sites.items():
            values = counts.as_dict()
            table.add_row(name, *(str(values[f]) for f, _ in _COLUMNS), self.state.get(name, ""))
        return table

    def event(self, event: CrawlEvent) -> None:
        if event.site is not None and event.counts is not None:
            self.sites[event.site] = event.counts
        if event.kind == "site-start" and event.site:
            self.state[event.site] = "discovering"
        elif event.kind == "article" and event.site:
            self.state[event.site] = "fetching"
        elif event.kind == "site-done" and event.site:
            self.state[event.site] = f"[red]{event.message}[/]" if event.message else "done"
        elif event.kind == "failure":
            self.console.print(f"[red]failed[/] {event.url}: {event.message}", highlight=False)
        elif event.kind == "retry":
            self.console.print(f"[yellow]retry[/] {event.url}: {event.message}", highlight=False)
        self.live.update(self._table())


def make_reporter(log_format: str, db: Path, *, terminal: bool) -> Reporter:
    if log_format == "json":
        return JsonReporter(db)
    return LiveReporter(db) if terminal else Reporter(db)


def print_planned(report: RunReport, log_format: str) -> None:
    for planned in report.planned:
        if log_format == "json":
            click.echo(json.dumps({"site": planned.site, "reason": planned.reason,
                                   "url": planned.url, "title": planned.title,
                                   "published": planned.published}, ensure_ascii=False))
        else:
            click.echo(f"{planned.site}\t{planned.reason}\t{planned.url}")


@click.command("crawl")
@config_option
@db_option
@click.option("--site", "site_names", multiple=True, metavar="NAME",
              help="Crawl only this configured site (repeatable).")
@click.option("--max-articles", type=click.IntRange(min=0), default=None, metavar="N",
              help="Articles fetched per site this run, new ones first, then retries and"
                   " refreshes (overrides each site's max_articles).")
@click.option("--dry-run", is_flag=True,
              help="Discover and list what would be fetched; fetch no article, write nothing.")
@click.option("--log-format", type=LOG_FORMATS, default="text", show_default=True,
              help="text: live table on a terminal, one summary line otherwise; json: JSON lines.")
@reports_errors
def crawl_command(config_path: Path | None, db_path: Path | None, site_names: tuple[str, ...],
                  max_articles: int | None, dry_run: bool, log_format: str) -> None:
    """Crawl the configured sites: discover, fetch politely and incrementally, archive.

    Exit status: 0 when the run completed (failed URLs are recorded in the archive's
    failures table), 1 when a site failed entirely, the run was stopped by SIGTERM or another
    crawl holds the archive, 2 for usage or config errors, 130 when interrupted by Ctrl-C.
    A stopped run keeps what it saved, is recorded as aborted and prints its summary line.

    The sites are those of ./config.toml, or of --config PATH; without either, nothing is
    crawled (exit status 2).

    \b
    scraper crawl
    scraper crawl --config other.toml --site africa-news-hub --max-articles 20
    scraper crawl --dry-run
    """
    if config_path is None and not DEFAULT_CONFIG_PATH.is_file():
        raise ConfigProblem(f"no config file: ./{DEFAULT_CONFIG_PATH} not found"
                            " (give --config PATH)")
    config = load_settings(config_path)
    select_sites(config, site_names)  # an unknown --site is a config error (exit 2)
    db = archive_path(config, db_path)
    reporter = make_reporter(log_format, db, terminal=sys.stderr.isatty())
    with reporter:
        report = run_crawl(config, db, sites=site_names or None, max_articles=max_articles,
                           dry_run=dry_run, on_event=reporter.event)
    if dry_run:
        print_planned(report, log_format)
    reporter.finish(report)
    if report.stopped_by == signal.SIGINT:
        sys.exit(EXIT_INTERRUPTED)
    if report.status != "completed":
        sys.exit(1)
