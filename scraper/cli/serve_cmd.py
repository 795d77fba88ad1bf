"""`scraper serve`: browse and search the archive in Datasette."""

from __future__ import annotations

import importlib
import importlib.util
import json
import socket
import tempfile
from pathlib import Path
from types import ModuleType

import click

from scraper.archive import open_archive
from scraper.archive.datasette_site import datasette_metadata
from scraper.cli.options import (
    archive_path,
    config_option,
    db_option,
    load_settings,
    reports_errors,
)

PREVIEW_CHARS = 300
"""Longest cell in a table page (a body's preview); the full text is one click away."""
FACET_VALUES = 8
"""Values listed per facet; with no suggested facets, the first screen reaches the rows."""


def datasette_args(db_file: Path, metadata_file: Path, *, host: str, port: int) -> list[str]:
    """Arguments for ``datasette serve``: our metadata, short cells, short facets."""
    return [
        "serve", str(db_file), "--metadata", str(metadata_file), "--host", host,
        "--port", str(port),
        "--setting", "truncate_cells_html", str(PREVIEW_CHARS),
        "--setting", "default_page_size", "50",
        "--setting", "default_facet_size", str(FACET_VALUES),
        "--setting", "suggest_facets", "off",
    ]


def _register_plugin() -> ModuleType:
    """Our plugin (scraper.archive.datasette_site.plugin), registered with Datasette once."""
    plugin = importlib.import_module("scraper.archive.datasette_site.plugin")
    manager = importlib.import_module("datasette.plugins").pm
    if not manager.is_registered(plugin):
        manager.register(plugin, name="scraper")
    return plugin


def _check_can_listen(host: str, port: int) -> None:
    """One clear line now rather than a server log later."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


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
    path = archive_path(config, db_path)
    open_archive(path).close()  # a clear error now, and the schema migrated forward
    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("Datasette is not installed: pip install 'scraper[serve]'")
    _check_can_listen(host, port)
    plugin = _register_plugin()
    datasette_cli = importlib.import_module("datasette.cli").cli
    metadata = datasette_metadata(path.stem, database_path=plugin.database_path(path.stem))
    with tempfile.TemporaryDirectory(prefix="scraper-serve-") as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata), encoding="utf-8")
        datasette_cli.main(args=datasette_args(path, metadata_file, host=host, port=port),
                           prog_name="datasette", standalone_mode=False)
