"""`scraper crawl`: the scheduled run, built for cron.

Three ways to report (:mod:`scraper.cli.crawl_report`), chosen once: quiet (not a terminal:
one summary line on stderr), live (a terminal: a table per site, failures as they happen),
json (one JSON object per event on stderr, for log shippers). A dry run lists what would be
fetched on stdout.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from scraper.api.crawling import crawl
from scraper.cli.cluster_options import cluster_address, cluster_option
from scraper.cli.crawl_report import make_reporter, print_planned
from scraper.cli.options import (
    ConfigProblem,
    archive_path,
    config_option,
    db_option,
    load_settings,
    reports_errors,
)
from scraper.config import DEFAULT_CONFIG_PATH
from scraper.crawl import select_sites

LOG_FORMATS = click.Choice(["text", "json"])
EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report an interrupted command."""
@click.command("crawl")
@config_option
@db_option
@click.option("--site", "site_names", multiple=True, metavar="NAME",
              help="Crawl only this configured site (repeatable).")
@click.option("--max-articles", type=click.IntRange(min=0), default=None, metavar="N",
              help="Articles fetched per site this run, new ones first, then retries and"
                   " refreshes (overrides each site's max_articles).")
@click.option("--dry-run", is_flag=True,
              help="Discover and list what would be fetched; fetch no article, write nothing.")
@click.option("--log-format", type=LOG_FORMATS, default="text", show_default=True,
              help="text: live table on a terminal, one summary line otherwise; json: JSON lines.")
@cluster_option
@reports_errors
def crawl_command(config_path: Path | None, db_path: Path | None, site_names: tuple[str, ...],
                  max_articles: int | None, dry_run: bool, log_format: str,
                  cluster: str | None) -> None:
    """Crawl the configured sites: discover, fetch politely and incrementally, archive.

    Exit status: 0 when the run completed (failed URLs are recorded in the archive's
    failures table), 1 when a site failed entirely, the run was stopped by SIGTERM or another
    crawl holds the archive, 2 for usage or config errors, 130 when interrupted by Ctrl-C.
    A stopped run keeps what it saved, is recorded as aborted and prints its summary line.

    The sites are those of ./config.toml, or of --config PATH; without either, nothing is
    crawled (exit status 2).

    \b
    scraper crawl
    scraper crawl --config other.toml --site africa-news-hub --max-articles 20
    scraper crawl --dry-run
    scraper crawl --cluster auto      # on a Ray cluster: pip install 'scraper[cluster]'
    """
    if config_path is None and not DEFAULT_CONFIG_PATH.is_file():
        raise ConfigProblem(f"no config file: ./{DEFAULT_CONFIG_PATH} not found"
                            " (give --config PATH)")
    config = load_settings(config_path)
    select_sites(config, site_names)  # an unknown --site is a config error (exit 2)
    db = archive_path(config, db_path)
    address = cluster_address(cluster, config, dry_run=dry_run)
    reporter = make_reporter(log_format, db, terminal=sys.stderr.isatty())
    with reporter:
        report = crawl(config, db=db, sites=site_names or None, max_articles=max_articles,
                       dry_run=dry_run, on_event=reporter.event, cluster=address)
    if dry_run:
        print_planned(report, log_format)
    reporter.finish(report)
    if report.stopped_by == signal.SIGINT:
        sys.exit(EXIT_INTERRUPTED)
    if report.status != "completed":
        sys.exit(1)
