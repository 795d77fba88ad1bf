"""What the archive-reading commands share: opening the archive they name (never creating
one) as a ``scraper.Archive``, whose methods do the reading, and the
--since/--until/--site/--section filter options.

A filter the archive cannot answer is a usage error (exit status 2, one line): a date that is
not one, a site that is not archived (the line lists the sites that are)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from scraper.api import Archive
from scraper.archive.queries import parse_date
from scraper.cli.options import archive_path, load_settings
from scraper.errors import ArchiveError

F = TypeVar("F", bound=Callable[..., Any])


class UsageProblem(click.ClickException):
    """An option value the command cannot use: one line, exit status 2."""

    exit_code = 2


@contextmanager
def reading(config_path: Path | None, db_path: Path | None) -> Iterator[Archive]:
    """The archive named by --db or the config, opened for reading (an existing one only)."""
    config = load_settings(config_path)
    with Archive(archive_path(config, db_path), create=False) as db:
        yield db


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ArchiveError as exc:
        raise UsageProblem(f"--{param.name}: {exc}") from exc


def check_site(db: Archive, site: str | None) -> None:
    """A --site that names no archived site is a usage error listing the archived ones."""
    if site is not None:
        check_site_in(db.sites(), site)


def check_site_in(known: Sequence[str], site: str | None) -> None:
    """:func:`check_site`, given the archived sites (``scraper.Archive.sites()``)."""
    if site is not None and site not in known:
        raise UsageProblem(f"--site: no site {site!r} is archived"
                           f" (archived sites: {', '.join(known) or 'none'})")


def filter_options(func: F) -> F:
    """--since, --until, --site, --section."""
    options: list[Callable[[F], F]] = [
        click.option("--since", callback=_date, help="Published on or after (YYYY-MM-DD)."),
        click.option("--until", callback=_date, help="Published on or before (YYYY-MM-DD)."),
        click.option("--site", default=None,
                     help="Only this site (its name in the config); a site with nothing archived"
                     " is a usage error (exit 2) that lists the archived ones."),
        click.option("--section", default=None, help="Only this section, exactly."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
