"""`scraper duplicates`: groups of near-duplicate articles, original first; the work is
``scraper.Archive.duplicates``."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from scraper.archive.queries import DuplicateGroup
from scraper.cli.archive_options import reading
from scraper.cli.options import config_option, db_option, reports_errors
from scraper.cli.render import Format, View, output_rows

NumberedGroup = tuple[int, DuplicateGroup]


def _group_record(numbered: NumberedGroup) -> list[dict[str, Any]]:
    return [asdict(member) for member in numbered[1].members]


def _group_text(numbered: NumberedGroup) -> str:
    number, group = numbered
    lines = [f"group {number} ({len(group.members)} articles)"]
    for member in group.members:
        how = ""
        if member.duplicate_of is not None:
            score = "" if member.similarity is None else f" {member.similarity:.2f}"
            how = f"  <- copy of {member.duplicate_of} ({member.method}{score})"
        lines.append(f"  [{member.id}] {member.site or ''}: {member.title or ''}{how}")
        lines.append(f"       {member.url}")
    return "\n".join(lines)


DUPLICATES_VIEW: View[NumberedGroup] = View(record=_group_record, text=_group_text)


@click.command("duplicates")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.9, show_default=True,
              help="Lowest similarity of a text match (source-link copies always count).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@config_option
@db_option
@reports_errors
def duplicates_command(threshold: float, fmt: Format, config_path: Path | None,
                       db_path: Path | None) -> None:
    """Groups of near-duplicate articles (syndicated or lightly edited copies), original first.

    \b
    scraper duplicates
    scraper duplicates --threshold 0.8 --format json --db archive.db
    """
    with reading(config_path, db_path) as db:
        groups = db.duplicates(threshold)
    view = dataclasses.replace(DUPLICATES_VIEW, empty=f"no copies at similarity >= {threshold}")
    output_rows(enumerate(groups, 1), fmt, view)
