"""`scraper serve`: browse and search the archive in Datasette; the work is
``scraper.Archive.serve`` (scraper/api/serving.py), here in the foreground."""

from __future__ import annotations

from pathlib import Path

import click

from scraper.api import Archive
from scraper.cli.options import (
    archive_path,
    config_option,
    db_option,
    load_settings,
    reports_errors,
)


@click.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 exposes the archive to the network).")
@config_option
@db_option
@reports_errors
def serve_command(port: int, host: str, config_path: Path | None, db_path: Path | None) -> None:
    """Browse and search the archive in Datasette (needs the `serve` extra).

    The home page leads to the search (plain words, best match first, one hit per
    story, a short preview; a headline opens the full text) and to the articles
    table (newest first, facets by site, section and day).

    \b
    pip install 'scraper[serve]'
    scraper serve --db archive.db --port 8001    # then open http://127.0.0.1:8001/
    """
    config = load_settings(config_path)
    # opened first: a clear error now, and the schema migrated forward
    with Archive(archive_path(config, db_path), create=False) as db:
        db.serve(host=host, port=port, log_level="info", background=False)
