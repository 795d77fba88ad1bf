"""How `scraper crawl` tells what it does, chosen once per run.

::

    Reporter       quiet (not a terminal: cron, systemd): one summary line on stderr
    LiveReporter   a terminal: the live table (crawl_table), failures printed above it
    JsonReporter   --log-format json: one JSON object per event on stderr, then a summary
    summary_line   the one line a run leaves in cron's mail or the journal
    print_planned  a dry run's plan on stdout

The live table is built to read whole on an 80-column terminal: no vertical rules, one space
between columns, every header and number whole; a long site name is what gets shortened.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.live import Live
from rich.table import Table

from scraper.archive.crawlstate import SiteCounts
from scraper.crawl import CrawlEvent, RunReport

_COLUMNS = (("discovered", "found"), ("fetched", "fetched"), ("new", "new"),
            ("updated", "updated"), ("unchanged", "same"), ("skipped_robots", "robots"),
            ("failed", "failed"))
SITE_WIDTH = (8, 30)
"""The site column's narrowest and widest (names beyond are shortened with …)."""
STATUS_WIDTH = 8
"""The widest status: listings (reading them), fetching, done, failed (rich markup allowed)."""


def crawl_table(sites: Mapping[str, SiteCounts], states: Mapping[str, str]) -> Table:
    """The live table: a row per site, its counts so far and its status."""
    table = Table(title="scraper crawl", title_justify="left", box=box.SIMPLE_HEAD,
                  padding=(0, 1, 0, 0), pad_edge=False)
    narrowest, widest = SITE_WIDTH
    # The one column rich may narrow to fit (no_wrap=False); a name is one word, so it is
    # shortened with an ellipsis, never wrapped.
    table.add_column("site", overflow="ellipsis", min_width=narrowest, max_width=widest)
    for _field, label in _COLUMNS:
        table.add_column(label, justify="right", no_wrap=True, min_width=len(label))
    table.add_column("status", no_wrap=True, min_width=STATUS_WIDTH)
    for name, counts in sites.items():
        values = counts.as_dict()
        table.add_row(name, *(str(values[f]) for f, _ in _COLUMNS), states.get(name, ""))
    return table


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
        return crawl_table(self.sites, self.state)

    def event(self, event: CrawlEvent) -> None:
        if event.site is not None and event.counts is not None:
            self.sites[event.site] = event.counts
        if event.kind == "site-start" and event.site:
            self.state[event.site] = "listings"
        elif event.kind == "article" and event.site:
            self.state[event.site] = "fetching"
        elif event.kind == "site-done" and event.site:  # why it failed: in finish()
            self.state[event.site] = "[red]failed[/]" if event.message else "done"
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
