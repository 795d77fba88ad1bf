"""`scraper stats`: counts per day, site or section, and the last crawl runs' failures;
the work is ``scraper.Archive.stats``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from scraper.archive import queries
from scraper.archive.queries import FailureCount, GroupBy, GroupCount, RunInfo, Stats
from scraper.cli.archive_options import reading
from scraper.cli.options import config_option, db_option, reports_errors
from scraper.cli.render import Column, Format, TableLayout, View, output_one, tables_text

SUMMARY: TableLayout[tuple[str, Any]] = TableLayout(
    (Column("", lambda item: item[0]),
     Column("", lambda item: "" if item[1] is None else str(item[1]))),
    title="Archive", show_header=False,
)
RUNS: TableLayout[RunInfo] = TableLayout(
    (Column("run", lambda run: str(run.id)), Column("started", lambda run: run.started),
     Column("status", lambda run: run.status), Column("fetched", lambda run: str(run.fetched)),
     Column("new", lambda run: str(run.new)), Column("updated", lambda run: str(run.updated)),
     Column("failed", lambda run: str(run.failed))),
    title="Last runs",
)
FAILURES: TableLayout[FailureCount] = TableLayout(
    (Column("count", lambda failure: str(failure.count)),
     Column("stage", lambda failure: failure.stage),
     Column("status", lambda failure: "" if failure.status is None else str(failure.status)),
     Column("reason", lambda failure: failure.reason)),
    title="Failures in those runs",
)


def groups_layout(by: GroupBy) -> TableLayout[GroupCount]:
    return TableLayout(
        (Column(by, lambda group: group.key or "(none)"),
         Column("articles", lambda group: str(group.articles), justify="right"),
         Column("words", lambda group: str(group.words), justify="right"),
         Column("first seen", lambda group: group.first_seen or ""),
         Column("last seen", lambda group: group.last_seen or "")),
        title=f"By {by}",
    )


def _stats_text(result: Stats) -> str:
    summary = [
        ("articles", result.articles), ("revisions", result.revisions), ("URLs", result.urls),
        ("sites", result.sites), ("recorded copies", result.duplicates),
        ("first seen", result.first_seen), ("last seen", result.last_seen),
        ("published from", result.earliest_published), ("published to", result.latest_published),
    ]
    tables: list[tuple[TableLayout[Any], list[Any]]] = [
        (SUMMARY, summary), (groups_layout(result.by), result.groups),
    ]
    if result.runs:
        tables.append((RUNS, result.runs))
    if result.failures:
        tables.append((FAILURES, result.failures))
    return tables_text(*tables)


STATS_VIEW: View[Stats] = View(record=asdict, text=_stats_text)


@click.command("stats")
@click.option("--by", type=click.Choice(queries.GROUPINGS), default="site", show_default=True,
              help="Count articles per publication day, site or section.")
@click.option("--runs", "last_runs", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many recent crawl runs to summarise.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@config_option
@db_option
@reports_errors
def stats_command(by: GroupBy, last_runs: int, fmt: Format, config_path: Path | None,
                  db_path: Path | None) -> None:
    """Counts per day, site or section, first/last seen, and failures in the last runs.

    \b
    scraper stats
    scraper stats --by day --db archive.db
    scraper stats --by section --format json
    """
    with reading(config_path, db_path) as db:
        result = db.stats(by, last_runs=last_runs)
    output_one(result, fmt, STATS_VIEW)
