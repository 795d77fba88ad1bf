"""`scraper show` and `scraper history`: one article, and its stored versions; the work is
``scraper.Archive.get`` and ``history`` (``captures`` and ``page_html`` for --captures,
--html)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import cast

import click

from scraper.archive.queries import ArticleDetail, Link, Revision
from scraper.cli.archive_options import UsageProblem, reading
from scraper.cli.capture_views import show_captures
from scraper.cli.options import config_option, db_option, links_option, reports_errors
from scraper.cli.render import Format, View, output_one, output_rows

_DIFF_COLOURS = {"+": "green", "-": "red", "@": "cyan"}


def _link_text(link: Link) -> str:
    score = None if link.similarity is None else f"similarity {link.similarity:.2f}"
    how = "; ".join(part for part in (link.site, link.method, score) if part)
    return f"[{link.id}] {link.title or '(no headline)'} ({how})"


def _detail_text(detail: ArticleDetail) -> str:
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


def _revision_line(version: Revision) -> str:
    return (f"revision {version.revision}  {version.fetched_at}  {version.word_count} words"
            f"  {version.content_hash[:12]}  {version.title or ''}")


def _diff_text(pair: tuple[Revision, Revision]) -> str:
    """A blank line, then the diff from one revision to the next, coloured by line kind."""
    return "\n".join(["", *(click.style(line, fg=_DIFF_COLOURS.get(line[:1]))
                            for line in pair[0].diff(pair[1]))])


SHOW_VIEW: View[ArticleDetail] = View(record=ArticleDetail.to_dict, text=_detail_text)
HISTORY_VIEW: View[Revision] = View(text=_revision_line)
DIFF_VIEW: View[tuple[Revision, Revision]] = View(text=_diff_text)


@click.command("show")
@click.argument("url_or_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]),
              default="text", show_default=True,
              help="markdown, html: the latest body only, rendered from its stored blocks.")
@links_option
@click.option("--captures", "list_captures", is_flag=True,
              help="The article's kept captures: when, status, WARC file, digest.")
@click.option("--html", "show_html", is_flag=True,
              help="The page exactly as it was served (decoded to text).")
@click.option("--revision", type=click.IntRange(min=1), default=None,
              help="With --html: the page this revision was read from (default: the newest).")
@config_option
@db_option
@reports_errors
def show_command(url_or_id: str, fmt: str, links: bool, list_captures: bool, show_html: bool,
                 revision: int | None, config_path: Path | None, db_path: Path | None) -> None:
    """One article: every field, the URLs it was seen under, its revisions and copies;
    its captures, or the page as served.

    \b
    scraper show 42
    scraper show https://example.com/2023/09/some-article/ --format json --db archive.db
    scraper show 42 --captures
    scraper show 42 --html --revision 2 > page.html
    scraper show 42 --format markdown
    scraper show 42 --format html --links
    """
    if list_captures or show_html:
        if fmt not in ("text", "json"):
            raise UsageProblem("--captures and --html take --format text or json")
        show_captures(url_or_id, cast(Format, fmt), html=show_html, revision=revision,
                      config_path=config_path, db_path=db_path)
        return
    with reading(config_path, db_path) as db:
        detail = db.get(url_or_id)
    if fmt in ("markdown", "html"):
        click.echo(detail.to_markdown(links=links) if fmt == "markdown"
                   else detail.to_html(links=links))
        return
    output_one(detail, cast(Format, fmt), SHOW_VIEW)


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
        versions = db.history(url_or_id)
    output_rows(versions, "text", HISTORY_VIEW)
    if show_diff:
        output_rows(pairwise(versions), "text", DIFF_VIEW)
