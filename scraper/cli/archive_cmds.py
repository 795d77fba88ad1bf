"""Reading the archive: `search`, `show`, `history`, `export`, `stats`, `duplicates`, `serve`.

Each command opens an existing archive (never creating one), calls ``scraper.archive.queries``
and prints. Errors (missing file, not an archive, bad FTS query, odd date) are one line.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import json
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlite_utils import Database

from scraper.archive import queries
from scraper.archive.queries import Filters, GroupBy
from scraper.cli.options import (
    archive_path,
    config_option,
    db_option,
    load_settings,
    reports_errors,
)
from scraper.errors import ArchiveError

F = TypeVar("F", bound=Callable[..., Any])
METADATA_FILE = Path(__file__).parent.parent / "archive" / "datasette_metadata.json"
_MARK = ("\x02", "\x03")
"""Private snippet markers, turned into styling (table) or ``**`` (json, csv)."""


@contextmanager
def reading(config_path: Path | None, db_path: Path | None) -> Iterator[Database]:
    """The archive named by --db or the config, opened for reading."""
    config = load_settings(config_path)
    db = queries.open_archive(archive_path(config, db_path))
    try:
        yield db
    finally:
        db.close()


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return queries.parse_date(value)
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


def _print(*renderables: Any) -> None:
    """Render rich tables to text (styled only on a terminal) and echo them."""
    buffer = io.StringIO()
    tty = sys.stdout.isatty()
    console = Console(
        file=buffer, width=shutil.get_terminal_size((120, 24)).columns,
        force_terminal=tty, color_system="standard" if tty else None, highlight=False,
    )
    for renderable in renderables:
        console.print(renderable)
    click.echo(buffer.getvalue(), nl=False)


def _marked(snippet: str) -> Text:
    text = Text()
    start, end = _MARK
    for index, part in enumerate(snippet.replace(end, start).split(start)):
        text.append(part, style="bold yellow" if index % 2 else "")
    return text


def _plain(snippet: str) -> str:
    return snippet.replace(_MARK[0], queries.HIGHLIGHT[0]).replace(_MARK[1], queries.HIGHLIGHT[1])


# -- search ------------------------------------------------------------------------------


@click.command("search")
@click.argument("query")
@filter_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@config_option
@db_option
@reports_errors
def search_command(query: str, since: str | None, until: str | None, site: str | None,
                   section: str | None, limit: int, fmt: str, config_path: Path | None,
                   db_path: Path | None) -> None:
    """Full-text search (SQLite FTS5 syntax), best match first, with highlighted snippets.

    \b
    scraper search 'ceasefire NEAR talks' --since 2023-09-01 --limit 20
    scraper search '"peace talks" AND sudan' --site africa-news-hub --section "Africa News"
    scraper search 'title:election' --format json --db archive.db
    """
    filters = Filters(since=since, until=until, site=site, section=section)
    with reading(config_path, db_path) as db:
        hits = queries.search(db, query, filters=filters, limit=limit, highlight=_MARK)
    if fmt == "json":
        records = [{**asdict(hit), "snippet": _plain(hit.snippet)} for hit in hits]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "score", "published", "site", "section", "title", "url", "snippet"])
        for hit in hits:
            writer.writerow([hit.id, f"{hit.score:.3f}", hit.published, hit.site, hit.section,
                             hit.title, hit.url, _plain(hit.snippet)])
        click.echo(out.getvalue(), nl=False)
    else:
        if not hits:
            click.echo("no matches", err=True)
            return
        table = Table(box=box.SIMPLE_HEAD, show_lines=False)
        for name in ("id", "published", "site / section", "article"):
            table.add_column(name, overflow="fold")
        for hit in hits:
            article = Text(hit.title or "(no headline)", style="bold")
            article.append("\n")
            article.append_text(_marked(hit.snippet))
            article.append(f"\n{hit.url}", style="dim")
            table.add_row(str(hit.id), (hit.published or "")[:10],
                          " / ".join(v for v in (hit.site, hit.section) if v), article)
        _print(table)


# -- show, history -----------------------------------------------------------------------


def _link_text(link: queries.Link) -> str:
    score = None if link.similarity is None else f"similarity {link.similarity:.2f}"
    how = "; ".join(part for part in (link.site, link.method, score) if part)
    return f"[{link.id}] {link.title or '(no headline)'} ({how})"


def _detail_text(detail: queries.ArticleDetail) -> str:
    record = detail.record
    title = record["title"] or "(no headline)"
    lines = [title, "=" * min(len(title), 80)]
    fields = [
        ("Id", record["id"]), ("Site", record["site"]), ("Section", record["section"]),
        ("Published", record["published"]), ("Modified", record["modified"]),
        ("Authors", ", ".join(record["authors"]) or None), ("URL", record["url"]),
        ("Canonical", record["canonical_url"]), ("Source link", record["source_link"]),
        ("Words", record["word_count"]), ("First seen", record["first_seen"]),
        ("Last seen", record["last_seen"]),
    ]
    lines += [f"{label}: {value}" for label, value in fields if value not in (None, "")]
    if detail.original:
        lines.append(f"Copy of: {_link_text(detail.original)}")
    lines += [f"Copied by: {_link_text(copy)}" for copy in detail.copies]
    lines.append("URLs:")
    lines += [f"  {u.url}  (first seen {u.first_seen})" for u in detail.urls]
    lines.append("Revisions:")
    lines += [f"  {r.revision}  {r.fetched_at}  {r.word_count} words  {r.title or ''}"
              for r in detail.revisions]
    lines += ["", record["body"]]
    return "\n".join(lines)


@click.command("show")
@click.argument("url_or_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@config_option
@db_option
@reports_errors
def show_command(url_or_id: str, fmt: str, config_path: Path | None, db_path: Path | None) -> None:
    """One article: every field, the URLs it was seen under, its revisions and copies.

    \b
    scraper show 42
    scraper show https://example.com/2023/09/some-article/ --format json --db archive.db
    """
    with reading(config_path, db_path) as db:
        detail = queries.article_detail(db, url_or_id)
    if fmt == "json":
        click.echo(json.dumps(detail.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(_detail_text(detail))


@click.command("history")
@click.argument("url_or_id")
@click.option("--diff", "show_diff", is_flag=True, help="Unified diff of each change of body.")
@config_option
@db_option
@reports_errors
def history_command(url_or_id: str, show_diff: bool, config_path: Path | None,
                    db_path: Path | None) -> None:
    """The stored versions of one article, oldest first; --diff shows what changed.

    \b
    scraper history 42
    scraper history https://example.com/2023/09/some-article/ --diff --db archive.db
    """
    with reading(config_path, db_path) as db:
        article_id = queries.find_article(db, url_or_id)
        versions = queries.revisions(db, article_id)
    for version in versions:
        click.echo(f"revision {version.revision}  {version.fetched_at}  {version.word_count} words"
                   f"  {version.content_hash[:12]}  {version.title or ''}")
    if show_diff:
        for old, new in zip(versions, versions[1:], strict=False):
            click.echo("")
            for line in queries.revision_diff(old, new):
                colour = {"+": "green", "-": "red", "@": "cyan"}.get(line[:1])
                click.secho(line, fg=colour)


# -- export ------------------------------------------------------------------------------


def _csv_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def _write_export(rows: Iterator[dict[str, Any]], fmt: str, out: TextIO) -> int:
    count = 0
    writer = csv.writer(out, lineterminator="\n")
    if fmt == "csv":
        writer.writerow(queries.EXPORT_COLUMNS)
    for row in rows:
        if fmt == "csv":
            writer.writerow([_csv_value(row[name]) for name in queries.EXPORT_COLUMNS])
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@filter_options
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@config_option
@db_option
@reports_errors
def export_command(fmt: str, since: str | None, until: str | None, site: str | None,
                   section: str | None, out_path: Path | None, config_path: Path | None,
                   db_path: Path | None) -> None:
    """Every matching article, one record per line (JSON lines) or per row (CSV), streamed.

    List fields (headings, authors, tags) are JSON arrays; in CSV, JSON text.

    \b
    scraper export --format jsonl --since 2023-06-01 --out june.jsonl
    scraper export --format csv --site africa-news-hub --section World > world.csv
    """
    filters = Filters(since=since, until=until, site=site, section=section)
    with reading(config_path, db_path) as db:
        rows = queries.export_rows(db, filters=filters)
        if out_path is None:
            _write_export(rows, fmt, sys.stdout)
            return
        try:
            with out_path.open("w", encoding="utf-8", newline="") as out:
                count = _write_export(rows, fmt, out)
        except OSError as exc:
            raise click.ClickException(f"{out_path}: cannot write: {exc.strerror or exc}") from exc
    click.echo(f"exported {count} articles to {out_path}", err=True)


# -- stats, duplicates -------------------------------------------------------------------


def _stats_tables(result: queries.Stats) -> list[Any]:
    summary = Table(box=box.SIMPLE_HEAD, show_header=False, title="Archive", title_justify="left")
    summary.add_column()
    summary.add_column()
    for label, value in (
        ("articles", result.articles), ("revisions", result.revisions), ("URLs", result.urls),
        ("sites", result.sites), ("recorded copies", result.duplicates),
        ("first seen", result.first_seen), ("last seen", result.last_seen),
        ("published from", result.earliest_published), ("published to", result.latest_published),
    ):
        summary.add_row(label, "" if value is None else str(value))
    groups = Table(box=box.SIMPLE_HEAD, title=f"By {result.by}", title_justify="left")
    for name in (result.by, "articles", "words", "first seen", "last seen"):
        groups.add_column(name, justify="right" if name in ("articles", "words") else "left")
    for group in result.groups:
        groups.add_row(group.key or "(none)", str(group.articles), str(group.words),
                       group.first_seen or "", group.last_seen or "")
    tables: list[Any] = [summary, groups]
    if result.runs:
        runs = Table(box=box.SIMPLE_HEAD, title="Last runs", title_justify="left")
        for name in ("run", "started", "status", "fetched", "new", "updated", "failed"):
            runs.add_column(name)
        for run in result.runs:
            runs.add_row(str(run.id), run.started, run.status, str(run.fetched), str(run.new),
                         str(run.updated), str(run.failed))
        tables.append(runs)
    if result.failures:
        failures = Table(box=box.SIMPLE_HEAD, title="Failures in those runs", title_justify="left")
        for name in ("count", "stage", "status", "reason"):
            failures.add_column(name)
        for failure in result.failures:
            failures.add_row(str(failure.count), failure.stage,
                             "" if failure.status is None else str(failure.status), failure.reason)
        tables.append(failures)
    return tables


@click.command("stats")
@click.option("--by", type=click.Choice(queries.GROUPINGS), default="site", show_default=True,
              help="Count articles per publication day, site or section.")
@click.option("--runs", "last_runs", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many recent crawl runs to summarise.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@config_option
@db_option
@reports_errors
def stats_command(by: GroupBy, last_runs: int, fmt: str, config_path: Path | None,
                  db_path: Path | None) -> None:
    """Counts per day, site or section, first/last seen, and failures in the last runs.

    \b
    scraper stats
    scraper stats --by day --db archive.db
    scraper stats --by section --format json
    """
    with reading(config_path, db_path) as db:
        result = queries.stats(db, by=by, last_runs=last_runs)
    if fmt == "json":
        click.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
    else:
        _print(*_stats_tables(result))


@click.command("duplicates")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.9, show_default=True,
              help="Lowest similarity of a text match (source-link copies always count).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@config_option
@db_option
@reports_errors
def duplicates_command(threshold: float, fmt: str, config_path: Path | None,
                       db_path: Path | None) -> None:
    """Groups of near-duplicate articles (syndicated or lightly edited copies), original first.

    \b
    scraper duplicates
    scraper duplicates --threshold 0.8 --format json --db archive.db
    """
    with reading(config_path, db_path) as db:
        groups = queries.duplicate_groups(db, threshold=threshold)
    if fmt == "json":
        click.echo(json.dumps([[asdict(m) for m in g.members] for g in groups],
                              ensure_ascii=False, indent=2))
        return
    if not groups:
        click.echo(f"no copies at similarity >= {threshold}", err=True)
    for number, group in enumerate(groups, 1):
        click.echo(f"group {number} ({len(group.members)} articles)")
        for member in group.members:
            how = ""
            if member.duplicate_of is not None:
                score = "" if member.similarity is None else f" {member.similarity:.2f}"
                how = f"  <- copy of {member.duplicate_of} ({member.method}{score})"
            click.echo(f"  [{member.id}] {member.site or ''}: {member.title or ''}{how}")
            click.echo(f"       {member.url}")


# -- serve -------------------------------------------------------------------------------


def datasette_metadata(database_name: str) -> dict[str, Any]:
    """Our Datasette metadata, keyed for a database called ``database_name``."""
    metadata: dict[str, Any] = json.loads(METADATA_FILE.read_text(encoding="utf-8"))
    metadata["databases"] = {database_name: metadata["databases"]["archive"]}
    return metadata


def datasette_args(db_file: Path, metadata_file: Path, *, host: str, port: int) -> list[str]:
    """Arguments for ``datasette serve``: our metadata, short cells in table views."""
    return [
        "serve", str(db_file), "--metadata", str(metadata_file), "--host", host,
        "--port", str(port),
        "--setting", "truncate_cells_html", "400",
        "--setting", "default_page_size", "50",
    ]


def _check_can_listen(host: str, port: int) -> None:
    """One clear line now rather than a server log later."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


@click.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 exposes the archive to the network).")
@config_option
@db_option
@reports_errors
def serve_command(port: int, host: str, config_path: Path | None, db_path: Path | None) -> None:
    """Browse and search the archive in Datasette (needs the `serve` extra).

    \b
    pip install 'scraper[serve]'
    scraper serve --db archive.db --port 8001    # then open http://127.0.0.1:8001/
    """
    config = load_settings(config_path)
    path = archive_path(config, db_path)
    queries.open_archive(path).close()  # a clear error now, and the schema migrated forward
    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("Datasette is not installed: pip install 'scraper[serve]'")
    _check_can_listen(host, port)
    datasette_cli = importlib.import_module("datasette.cli").cli
    with tempfile.TemporaryDirectory(prefix="scraper-serve-") as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata_file.write_text(json.dumps(datasette_metadata(path.stem)), encoding="utf-8")
        datasette_cli.main(args=datasette_args(path, metadata_file, host=host, port=port),
                           prog_name="datasette", standalone_mode=False)
