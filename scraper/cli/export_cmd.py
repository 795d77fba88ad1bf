"""`scraper export`: every matching article as JSON lines or CSV, streamed."""

from __future__ import annotations

import sys
from operator import itemgetter
from pathlib import Path
from typing import Any

import click

from scraper.archive import queries
from scraper.archive.queries import Filters
from scraper.cli.archive_options import check_site, filter_options, reading
from scraper.cli.options import config_option, db_option, reports_errors
from scraper.cli.render import Column, Format, View, output_rows

EXPORT_VIEW: View[dict[str, Any]] = View(
    record=lambda row: row,
    columns=tuple(Column(name, itemgetter(name)) for name in queries.EXPORT_COLUMNS),
)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@filter_options
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@config_option
@db_option
@reports_errors
def export_command(fmt: Format, since: str | None, until: str | None, site: str | None,
                   section: str | None, out_path: Path | None, config_path: Path | None,
                   db_path: Path | None) -> None:
    """Every matching article, one record per line (JSON lines) or per row (CSV), streamed.

    List fields (headings, authors, tags) are JSON arrays; in CSV, JSON text.

    \b
    scraper export --format jsonl --since 2023-06-01 --out june.jsonl
    scraper export --format csv --site africa-news-hub --section World > world.csv
    """
    filters = Filters(since=since, until=until, site=site, section=section)
    with reading(config_path, db_path) as db:
        check_site(db, site)
        rows = queries.export_rows(db, filters=filters)
        if out_path is None:
            output_rows(rows, fmt, EXPORT_VIEW, out=sys.stdout)
            return
        try:
            with out_path.open("w", encoding="utf-8", newline="") as out:
                count = output_rows(rows, fmt, EXPORT_VIEW, out=out)
        except OSError as exc:
            raise click.ClickException(f"{out_path}: cannot write: {exc.strerror or exc}") from exc
    click.echo(f"exported {count} articles to {out_path}", err=True)
