"""`scraper search`: full-text search of the archive, best match first; the work is
``scraper.Archive.search``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from scraper.archive import queries
from scraper.archive.queries import SearchHit
from scraper.cli.archive_options import check_site, filter_options, reading
from scraper.cli.options import config_option, db_option, reports_errors
from scraper.cli.render import Column, Format, TableLayout, View, output_rows

_MARK = ("\x02", "\x03")
"""Private snippet markers, turned into styling (table) or ``**`` (json, csv)."""


def _marked(snippet: str) -> Text:
    text = Text()
    start, end = _MARK
    for index, part in enumerate(snippet.replace(end, start).split(start)):
        text.append(part, style="bold yellow" if index % 2 else "")
    return text


def _plain(snippet: str) -> str:
    return snippet.replace(_MARK[0], queries.HIGHLIGHT[0]).replace(_MARK[1], queries.HIGHLIGHT[1])


def _record(hit: SearchHit) -> dict[str, Any]:
    return {**asdict(hit), "snippet": _plain(hit.snippet)}


def _article_cell(hit: SearchHit) -> Text:
    article = Text(hit.title or "(no headline)", style="bold")
    article.append("\n")
    article.append_text(_marked(hit.snippet))
    article.append(f"\n{hit.url}", style="dim")
    return article


def _where(hit: SearchHit) -> str:
    place = " / ".join(v for v in (hit.site, hit.section) if v)
    if hit.copies:
        place += f"\n+{hit.copies} {'copy' if hit.copies == 1 else 'copies'}"
    return place


def _fold(name: str, cell: Any) -> Column[SearchHit]:
    return Column(name, cell, overflow="fold")


SEARCH_VIEW: View[SearchHit] = View(
    record=_record,
    columns=(
        Column("id", lambda hit: hit.id),
        Column("score", lambda hit: f"{hit.score:.3f}"),
        Column("published", lambda hit: hit.published),
        Column("site", lambda hit: hit.site),
        Column("section", lambda hit: hit.section),
        Column("title", lambda hit: hit.title),
        Column("url", lambda hit: hit.url),
        Column("snippet", lambda hit: _plain(hit.snippet)),
        Column("copies", lambda hit: hit.copies),
        Column("duplicate_of", lambda hit: hit.duplicate_of),
    ),
    table=TableLayout((
        _fold("id", lambda hit: str(hit.id)),
        _fold("published", lambda hit: (hit.published or "")[:10]),
        _fold("site / section", _where),
        _fold("article", _article_cell),
    )),
    empty="no matches",
)


@click.command("search")
@click.argument("query")
@filter_options
@click.option("--fts", is_flag=True,
              help="QUERY is SQLite FTS5 syntax (AND, OR, NOT, NEAR, \"phrase\", prefix*,"
                   " title:word) instead of plain words.")
@click.option("--all-copies", is_flag=True,
              help="List every syndicated copy of a story, not one hit per story.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@config_option
@db_option
@reports_errors
def search_command(query: str, since: str | None, until: str | None, site: str | None,
                   section: str | None, fts: bool, all_copies: bool, limit: int, fmt: Format,
                   config_path: Path | None, db_path: Path | None) -> None:
    """Full-text search, best match first, with highlighted snippets.

    QUERY is plain words, all of which must appear ("U.S.", "don't", "c++" are words):
    "a phrase" in double quotes, -word to leave a word out, word* for a prefix. With --fts
    it is SQLite FTS5 syntax instead. The syndicated copies of one story are one hit,
    with the number of copies; --all-copies lists each.

    \b
    scraper search 'sudan ceasefire -football' --since 2023-09-01 --limit 20
    scraper search '"peace talks" U.S.' --site africa-news-hub --section "Africa News"
    scraper search 'ceasefire NEAR/5 talks OR title:truce' --fts --format json
    scraper search 'jeddah talks' --all-copies --db archive.db
    """
    with reading(config_path, db_path) as db:
        check_site(db, site)
        hits = db.search(query, since=since, until=until, site=site, section=section,
                         limit=limit, fts=fts, all_copies=all_copies, highlight=_MARK)
    output_rows(hits, fmt, SEARCH_VIEW)
