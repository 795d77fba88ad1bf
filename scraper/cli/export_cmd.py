"""`scraper export`: every matching article as JSON lines, CSV, Parquet, or its captures as
WARC; the work is ``scraper.Archive.export`` (scraper/api/exports.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import click

from scraper.api import Archive
from scraper.cli.archive_options import UsageProblem, check_site_in, filter_options
from scraper.cli.options import (
    archive_path,
    config_option,
    db_option,
    load_settings,
    reports_errors,
)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "warc"]),
              default="jsonl", show_default=True,
              help="parquet: a dataset folder partitioned by publication day (needs the"
                   " parquet extra); warc: the articles' captures, as served (WARC/1.1).")
@filter_options
@click.option("--out", "out_path", type=click.Path(path_type=Path), default=None,
              help="Write here instead of standard output (parquet: a new or empty folder).")
@config_option
@db_option
@reports_errors
def export_command(fmt: Literal["jsonl", "csv", "parquet", "warc"], since: str | None,
                   until: str | None, site: str | None, section: str | None,
                   out_path: Path | None, config_path: Path | None,
                   db_path: Path | None) -> None:
    """Every matching article, one record per line (JSON lines) or per row (CSV), streamed.

    List fields (headings, authors, tags) are JSON arrays; in CSV, JSON text. Parquet: one
    dataset, a folder per publication day (published_day=YYYY-MM-DD, Hive style), typed
    columns (timestamps, lists of strings), for pandas, DuckDB, Polars or Spark.

    \b
    scraper export --format jsonl --since 2023-06-01 --out june.jsonl
    scraper export --format csv --site africa-news-hub --section World > world.csv
    scraper export --format parquet --since 2023-01-01 --out articles/
    scraper export --format warc --site africa-news-hub --since 2024-01-01 --out picked.warc.gz
    """
    if fmt == "parquet" and out_path is None:
        raise UsageProblem("--format parquet writes a folder: give it with --out DIR")
    config = load_settings(config_path)
    with Archive(archive_path(config, db_path), create=False) as db:
        if fmt != "warc":
            check_site_in(db.sites(), site)
        stream = sys.stdout.buffer if fmt == "warc" else sys.stdout
        done = db.export(out_path if out_path is not None else stream, fmt, since=since,
                         until=until, site=site, section=section, config=config)
        stream.flush()
    what = "captures" if fmt == "warc" else "articles"
    if out_path is None and fmt != "warc":
        return
    parts = f" ({len(done.files)} partitions)" if fmt == "parquet" else ""
    click.echo(f"exported {done.count} {what} to {out_path or 'standard output'}{parts}",
               err=True)
