"""`scraper fetch` and `scraper extract`: one article (or a manifest of saved pages)."""

from __future__ import annotations

import contextlib
import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from scraper import api
from scraper.cli.options import (
    archive_path,
    config_option,
    db_option,
    links_option,
    load_settings,
    reports_errors,
)
from scraper.config import site_fetch
from scraper.crawl.scope import site_for_url
from scraper.errors import ExtractError, FetchError, NotAnArticle, ScraperError
from scraper.models import Article

FORMATS = click.Choice(["json", "text", "markdown", "html"])
any_page_option = click.option(
    "--any-page", is_flag=True,
    help="Give the record even when the page is not an article (a home page, a listing, "
    "a page without article text); its page_type says what it is.",
)


@contextlib.contextmanager
def cli_wording(label: str | None = None) -> Iterator[None]:
    """The API's ``NotAnArticle`` said the command line's way (``--any-page``), naming the
    page as ``label`` (the file) when given, else as the API did (its URL)."""
    try:
        yield
    except NotAnArticle as exc:
        raise ExtractError(f"{label or exc.label}: {exc.reason}; use --any-page to get the"
                           " record anyway") from exc


def format_text(article: Article) -> str:
    """The record as a person reads it."""
    lines = [article.title or "(no headline)"]
    meta = [
        ("Published", article.published),
        ("Modified", article.modified),
        ("Section", article.section),
        ("Authors", ", ".join(article.authors) or None),
        ("URL", article.url),
        ("Source link", article.source_link),
        ("Page type", article.page_type if article.page_type != "article" else None),
    ]
    lines.append("=" * min(len(lines[0]), 80))
    lines += [f"{label}: {value}" for label, value in meta if value]
    if article.headings:
        lines.append("Headings:")
        lines += [f"  - {heading}" for heading in article.headings]
    lines += ["", article.body]
    return "\n".join(lines)


def emit(article: Article, fmt: str, extra: dict[str, Any] | None = None, *,
         links: bool = False) -> None:
    if fmt == "text":
        click.echo(format_text(article))
        return
    if fmt in ("markdown", "html"):  # the body only, rendered from its blocks
        click.echo(article.to_markdown(links=links) if fmt == "markdown"
                   else article.to_html(links=links))
        return
    record = {**(extra or {}), **article.to_dict()}
    click.echo(json.dumps(record, ensure_ascii=False))


def _on_retry(error: FetchError, delay: float) -> None:
    click.echo(f"retrying in {delay:.1f}s: {error}", err=True)


@click.command("fetch")
@click.argument("url")
@click.option("--format", "fmt", type=FORMATS, default="json", show_default=True)
@links_option
@click.option("--save", is_flag=True,
              help="Also write the article to the archive, under the configured site whose"
                   " hosts (feeds, sitemaps, pages, allowed_hosts) include the URL's host.")
@click.option("--ignore-robots", is_flag=True,
              help="Fetch even if robots.txt disallows it or answers 429/5xx (only where you"
                   " have the right to).")
@any_page_option
@config_option
@db_option
@reports_errors
def fetch_command(
    url: str, fmt: str, links: bool, save: bool, ignore_robots: bool, any_page: bool,
    config_path: Path | None,
    db_path: Path | None,
) -> None:
    """Fetch one URL, extract the article and print its record. A page that is not an
    article (a home page, a listing, no article text) is an error unless --any-page; a wall
    standing in for the article (a bot challenge, a consent or login wall, a soft 404:
    "blocked: cloudflare challenge (HTTP 403)") is always an error, and never saved.

    robots.txt is obeyed as the crawl obeys it (unless respect_robots = false or
    --ignore-robots): a URL it disallows, or a robots.txt answering 429/5xx (the host is in
    trouble), is an error, exit status 1; a robots.txt that is missing or unreachable means
    no rules.

    \b
    scraper fetch https://example.com/2023/09/some-article/
    scraper fetch https://example.com/2023/09/some-article/ --format text
    scraper fetch https://example.com/2023/09/some-article/ --format markdown
    scraper fetch https://example.com/2023/09/some-article/ --format markdown --links
    scraper fetch https://example.com/2023/09/some-article/ --save --db archive.db
    scraper fetch https://example.com/ --any-page
    """
    config = load_settings(config_path)
    if ignore_robots:
        config = replace(config, fetch=api.without_robots(config.fetch))
    if not save:
        with cli_wording():
            site = site_for_url(config.sites, url)  # its [sites.fetch], render = true
            _page, article = api.run_sync(api.fetch_article(
                url, site_fetch(config.fetch, site), any_page=any_page, on_retry=_on_retry,
                render=site is not None and site.render))
        emit(article, fmt, links=links)
        return
    # a file that is not an archive is refused before a fetch; every exchange kept as WARC
    with api.Archive(archive_path(config, db_path)) as archive, cli_wording():
        saved = archive.fetch(url, config=config, any_page=any_page, on_retry=_on_retry)
    result = saved.result
    click.echo(
        f"saved: {result.status} (article {result.article_id}, revision {result.revision})",
        err=True,
    )
    emit(saved.article, fmt, links=links)


def read_page_file(path: str) -> bytes:
    """Bytes of a saved page: a file, a .gz file, or '-' for stdin."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ExtractError(f"{path}: broken gzip file: {exc}") from exc
    return data


def extract_file(path: str, url: str | None, *, any_page: bool, label: str) -> Article:
    with cli_wording(label):
        return api.extract(read_page_file(path), url, any_page=any_page)


def _run_manifest(manifest: str, *, any_page: bool) -> int:
    failures = 0
    try:
        handle = sys.stdin if manifest == "-" else open(manifest, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise ExtractError(f"{manifest}: cannot read manifest: {exc.strerror}") from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            path: str | None = None
            try:
                entry = json.loads(line)
                if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                    raise ExtractError('each line must be an object with a "path" string')
                path = entry["path"]
                url = entry.get("url")
                article = extract_file(path, url if isinstance(url, str) else None,
                                       any_page=any_page, label=path)
                emit(article, "json", {"path": path})
            except (ScraperError, json.JSONDecodeError) as exc:
                failures += 1
                reason = f"{manifest}:{number}: {exc}" if path is None else str(exc)
                click.echo(json.dumps({"path": path, "error": reason}, ensure_ascii=False))
                click.echo(f"error: {reason}", err=True)
    return failures


@click.command("extract")
@click.argument("path", required=False)
@click.option(
    "--url", default=None, help="The page's URL (resolves links, fills the record's url)."
)
@click.option(
    "--manifest",
    default=None,
    help='JSON lines file of {"path": ..., "url": ...}; one record out per line in.',
)
@click.option("--format", "fmt", type=FORMATS, default="json", show_default=True)
@links_option
@any_page_option
@config_option
@db_option
@reports_errors
def extract_command(
    path: str | None,
    url: str | None,
    manifest: str | None,
    fmt: str,
    links: bool,
    any_page: bool,
    config_path: Path | None,
    db_path: Path | None,
) -> None:
    """Extract the article record from saved pages (.html, .html.gz, or - for stdin). A page
    that is not an article is an error unless --any-page; so is a file that is not HTML.

    \b
    scraper extract page.html --url https://example.com/2023/09/some-article/
    scraper extract page.html.gz --format text
    scraper extract page.html --format html
    scraper extract --manifest pages.jsonl > records.jsonl
    """
    load_settings(config_path)
    if manifest is not None:
        if path is not None:
            raise click.UsageError("give either PATH or --manifest, not both")
        if _run_manifest(manifest, any_page=any_page):
            sys.exit(1)
        return
    if path is None:
        raise click.UsageError("missing PATH (a saved page, or - for stdin) or --manifest")
    emit(extract_file(path, url, any_page=any_page, label=url or path), fmt, links=links)
