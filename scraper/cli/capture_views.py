"""How `scraper show --captures` and `scraper show --html` look."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from scraper.api import Archive
from scraper.api.capture_methods import NO_CAPTURES
from scraper.archive.captures import Capture
from scraper.cli.options import archive_path, load_settings
from scraper.cli.render import Column, Format, TableLayout, View, output_rows


def _digest(capture: Capture) -> str:
    return (capture.payload_digest or "").removeprefix("sha1:")[:16]


CAPTURES_VIEW: View[Capture] = View(
    record=dataclasses.asdict,
    table=TableLayout(columns=(
        Column("fetched", lambda c: c.fetched_at), Column("status", lambda c: str(c.status or "")),
        Column("type", lambda c: c.record_type), Column("rev", lambda c: str(c.revision or "")),
        Column("file", lambda c: c.warc_file, overflow="fold"),
        Column("offset", lambda c: str(c.offset), justify="right"),
        Column("digest", _digest),
    )),
    empty=NO_CAPTURES,
)


def show_captures(url_or_id: str, fmt: Format, *, html: bool, revision: int | None,
                  config_path: Path | None, db_path: Path | None) -> None:
    """The article's captures (a table, or JSON), or with ``html`` the page as served:
    ``scraper.Archive.captures`` and ``page_html``."""
    config = load_settings(config_path)
    with Archive(archive_path(config, db_path), create=False) as db:
        if not html:
            output_rows(db.captures(url_or_id), "json" if fmt == "json" else "table",
                        CAPTURES_VIEW)
            return
        text = db.page_html(url_or_id, revision, config=config)
    click.echo(text, nl=not text.endswith("\n"))
