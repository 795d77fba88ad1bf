"""What the archive-reading commands share: opening the archive they name (never creating
one), and the --since/--until/--site/--section filter options."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from scraper.archive import open_archive
from scraper.archive.queries import parse_date
from scraper.cli.options import archive_path, load_settings
from scraper.errors import ArchiveError

if TYPE_CHECKING:  # the archive package is the one that imports sqlite_utils
    from sqlite_utils import Database

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def reading(config_path: Path | None, db_path: Path | None) -> Iterator[Database]:
    """The archive named by --db or the config, opened for reading."""
    config = load_settings(config_path)
    db = open_archive(archive_path(config, db_path))
    try:
        yield db
    finally:
        db.close()


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ArchiveError as exc:
        raise click.ClickException(f"--{param.name}: {exc}") from exc


def filter_options(func: F) -> F:
    """--since, --until, --site, --section."""
    options: list[Callable[[F], F]] = [
        click.option("--since", callback=_date, help="Published on or after (YYYY-MM-DD)."),
        click.option("--until", callback=_date, help="Published on or before (YYYY-MM-DD)."),
        click.option("--site", default=None, help="Only this site (its name in the config)."),
        click.option("--section", default=None, help="Only this section, exactly."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
