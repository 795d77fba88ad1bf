"""What the archive and CLI tests share: a query on a real archive file, and the CLI run
against the config and archive of a test's folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from scraper.cli import main


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on the archive file ``db`` (a connection of its own)."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def cli(tmp_path: Path, *args: str, db: str = "archive.db") -> Result:
    """``scraper ARGS --config TMP/config.toml --db TMP/<db>``."""
    return CliRunner().invoke(main, [*args, "--config", str(tmp_path / "config.toml"),
                                     "--db", str(tmp_path / db)])
