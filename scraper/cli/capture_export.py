"""`scraper export --format warc`: the chosen articles' captures in one WARC file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.archive.captures import article_ids
from scraper.archive.queries import Filters
from scraper.captures.export import export_warc
from scraper.cli.archive_options import reading
from scraper.cli.options import archive_path, load_settings


def export_captures(filters: Filters, out_path: Path | None, *, config_path: Path | None,
                    db_path: Path | None) -> None:
    config = load_settings(config_path)
    folder = config.archive.captures_dir(archive_path(config, db_path))
    no_filter = filters == Filters()
    with reading(config_path, db_path) as db:
        ids = None if no_filter else article_ids(db, filters)
        if out_path is None:
            count = export_warc(db, folder, sys.stdout.buffer, article_ids=ids)
            sys.stdout.buffer.flush()
        else:
            try:
                with out_path.open("wb") as out:
                    count = export_warc(db, folder, out, article_ids=ids, filename=out_path.name)
            except OSError as exc:
                raise click.ClickException(
                    f"{out_path}: cannot write: {exc.strerror or exc}") from exc
    click.echo(f"exported {count} captures to {out_path or 'standard output'}", err=True)
