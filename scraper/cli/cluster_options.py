"""``--cluster ADDRESS``, shared by the commands that can run on a Ray cluster.

The address comes from ``--cluster`` or, failing that, ``[cluster] address``; none means
the command runs on this machine as always, and nothing of Ray is imported. Without the
``cluster`` extra, asking for a cluster is a usage error (exit 2) saying what to install.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from scraper.cli.options import ConfigProblem
from scraper.config import Config

F = TypeVar("F", bound=Callable[..., Any])

INSTALL_HINT = "pip install 'scraper[cluster]'"


def cluster_option(func: F) -> F:
    return click.option(
        "--cluster", metavar="ADDRESS", default=None,
        help="Run on the Ray cluster at ADDRESS ('auto': the one `ray start` joined on this"
             " machine; 'local': start a Ray here); wins over [cluster] address."
             f" Needs {INSTALL_HINT}.")(func)


def cluster_address(option: str | None, config: Config, *, dry_run: bool = False) -> str | None:
    """The Ray address to run on, or None for this machine. A dry run lists the plan here
    (it fetches no article, so there is nothing to spread)."""
    address = option or config.cluster.address
    if address is None or dry_run:
        return None
    if not address.strip():
        raise click.UsageError("--cluster needs an address ('auto', 'local' or HOST:PORT)")
    from scraper.cluster.engine import available

    if not available():
        raise ConfigProblem(f"--cluster needs Ray, which is not installed: {INSTALL_HINT}")
    return address
