"""How `scraper show --captures` and `scraper show --html` look."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from scraper.archive.captures import Capture, capture_for_revision, captures_of
from scraper.archive.queries import find_article
from scraper.captures.reader import load_capture, page_text
from scraper.cli.archive_options import reading
from scraper.cli.options import archive_path, load_settings
from scraper.cli.render import Column, Format, TableLayout, View, output_rows
from scraper.errors import ArchiveError

NO_CAPTURES = ("no captures: this article was archived before captures were kept"
               " (or with capture = false)")


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
    """The article's captures (a table, or JSON), or with ``html`` the page as served."""
    config = load_settings(config_path)
    folder = config.archive.captures_dir(archive_path(config, db_path))
    with reading(config_path, db_path) as db:
        article_id = find_article(db, url_or_id)
        if not html:
            output_rows(captures_of(db, article_id), "json" if fmt == "json" else "table",
                        CAPTURES_VIEW)
            return
        capture = capture_for_revision(db, article_id, revision)
        if capture is None:
            which = f"revision {revision}" if revision else "this article"
            raise ArchiveError(f"no capture of {which}: " + NO_CAPTURES.split(": ", 1)[1])
        text, _codec = page_text(load_capture(db, folder, capture), config.fetch.max_bytes)
    click.echo(text, nl=not text.endswith("\n"))
