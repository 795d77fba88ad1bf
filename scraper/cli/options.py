"""Options and helpers shared by every command: --config, --db, error translation."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scraper.config import Config, load_config
from scraper.errors import ConfigError, MissingExtra, ScraperError

F = TypeVar("F", bound=Callable[..., Any])


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Settings file (default: ./config.toml when present).",
    )(func)


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(path_type=Path),
        default=None,
        help="Archive database (default: the config's [archive] path, else ./archive.db).",
    )(func)


class ConfigProblem(click.ClickException):
    """A bad config file: one line naming file, key and problem; exit status 2."""

    exit_code = 2


def load_settings(config_path: Path | None) -> Config:
    """Read the config; a bad config is exit status 2 with one line naming file and key."""
    try:
        return load_config(config_path)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from exc


def archive_path(config: Config, db_path: Path | None) -> Path:
    return db_path if db_path is not None else Path(config.archive.path)


def reports_errors(func: F) -> F:
    """Turn library errors into one clear line and exit status 1 (2 for config errors and a
    missing optional library)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ConfigError, MissingExtra) as exc:  # a setup problem, not a failed URL
            raise ConfigProblem(str(exc)) from exc
        except ScraperError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


links_option = click.option(
    "--links", is_flag=True,
    help="With --format markdown or html: the body's inline links as [text](url) or <a href>"
         " (http, https and mailto only; off: their text alone).")
