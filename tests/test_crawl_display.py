"""The live table `scraper crawl` shows on a terminal, rendered as rich renders it there."""

from __future__ import annotations

import pytest
from rich.console import Console

from scraper.archive.crawlstate import SiteCounts
from scraper.cli.crawl_report import crawl_table

HEADERS = ["site", "found", "fetched", "new", "updated", "same", "robots", "failed", "status"]
SITES = {
    "africa-news-hub": SiteCounts(discovered=12_345, fetched=210, new=198, updated=7,
                                  unchanged=5, skipped_robots=12, failed=2),
    "bbc-news": SiteCounts(discovered=40, fetched=10, new=10),
    "the-guardian-world-coverage-and-analysis": SiteCounts(discovered=120_000, fetched=1_000,
                                                           new=990, updated=10, failed=100),
}
STATES = {"africa-news-hub": "fetching", "bbc-news": "done",
          "the-guardian-world-coverage-and-analysis": "failed"}


@pytest.mark.parametrize("width", [80, 100])
def test_the_live_table_reads_whole_at_80_columns(width: int) -> None:
    console = Console(width=width, force_terminal=True, record=True)
    console.print(crawl_table(SITES, STATES))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= width
    rows = [line.split() for line in lines if line.split()]
    assert HEADERS in rows  # every header whole, the status column named
    for name, counts in SITES.items():
        row = next(r for r in rows if name.startswith(r[0].removesuffix("…")))
        values = [str(v) for v in counts.as_dict().values()]
        assert row[1:] == [*values, STATES[name]], row  # no number cut either
    # The long name is shortened, the others are whole.
    assert {r[0] for r in rows} >= {"africa-news-hub", "bbc-news"}
