"""The command line: click commands that parse options, call the library and print.

The only place that prints or exits. Library errors (``ScraperError``) become one line on
stderr (``click.ClickException``); records go to stdout. Each command lives in a small module
of this package named for what it does, and is registered here.
"""

from __future__ import annotations

import click

from scraper import __version__
from scraper.cli.article_cmds import extract_command, fetch_command
from scraper.cli.capture_cmds import import_command, reextract_command, verify_command
from scraper.cli.crawl_cmd import crawl_command
from scraper.cli.duplicates_cmd import duplicates_command
from scraper.cli.eval_cmd import eval_command
from scraper.cli.export_cmd import export_command
from scraper.cli.search_cmd import search_command
from scraper.cli.serve_cmd import serve_command
from scraper.cli.show_cmds import history_command, show_command
from scraper.cli.stats_cmd import stats_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scraper")
def main() -> None:
    """Scrape news articles, extract clean records, archive them in SQLite.

    \b
    scraper fetch https://example.com/2023/09/some-article/
    scraper extract page.html --url https://example.com/a/
    scraper crawl --config config.toml
    """


main.add_command(fetch_command)
main.add_command(extract_command)
main.add_command(crawl_command)
main.add_command(search_command)
main.add_command(show_command)
main.add_command(history_command)
main.add_command(export_command)
main.add_command(stats_command)
main.add_command(duplicates_command)
main.add_command(serve_command)
main.add_command(eval_command)
main.add_command(reextract_command)
main.add_command(import_command)
main.add_command(verify_command)
