"""Counts for the whole archive and per publication day, site or section; the last runs and
their most frequent failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlite_utils import Database

from scraper.errors import ArchiveError

GroupBy = Literal["day", "site", "section"]
GROUPINGS: tuple[GroupBy, ...] = ("day", "site", "section")


@dataclass(frozen=True, slots=True)
class GroupCount:
    key: str | None
    articles: int
    words: int
    first_seen: str | None
    last_seen: str | None


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    started: str
    finished: str | None
    status: str
    fetched: int
    new: int
    updated: int
    failed: int


@dataclass(frozen=True, slots=True)
class FailureCount:
    stage: str
    status: int | None
    reason: str
    count: int


@dataclass(frozen=True, slots=True)
class Stats:
    """The archive's counts (``Archive.stats``, ``scraper stats``): articles, revisions,
    URLs, sites, duplicates, dates, per ``by`` group, and the last runs.

    >>> import scraper, tempfile, pathlib
    >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
    ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
    >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
    ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"),
    ...                 site="news-example")
    ...     stats = db.stats(by="site")
    >>> stats.articles, stats.revisions, stats.earliest_published
    (1, 1, '2024-05-02')
    """

    articles: int
    revisions: int
    urls: int
    sites: int
    duplicates: int
    first_seen: str | None
    last_seen: str | None
    earliest_published: str | None
    latest_published: str | None
    by: GroupBy
    groups: list[GroupCount]
    runs: list[RunInfo]
    """The most recent crawl runs, newest first."""
    failures: list[FailureCount]
    """Failures in those runs, most frequent reason first."""


_GROUP_EXPR: dict[GroupBy, str] = {
    "day": "substr(published, 1, 10)", "site": "site", "section": "section",
}


def stats(db: Database, *, by: GroupBy = "site", last_runs: int = 5,
          top_failures: int = 10) -> Stats:
    """Counts for the whole archive and per day/site/section, plus the last runs' failures."""
    if by not in _GROUP_EXPR:
        raise ArchiveError(f"cannot group by {by!r} (use one of: {', '.join(GROUPINGS)})")
    totals = db.execute(
        "SELECT count(*), count(DISTINCT site), min(first_seen), max(last_seen),"
        " min(published), max(published) FROM articles INDEXED BY idx_articles_stats"
    ).fetchone()
    expr = _GROUP_EXPR[by]
    order = "key DESC" if by == "day" else "articles DESC, key"
    groups = [
        GroupCount(*row) for row in db.execute(
            f"SELECT {expr} AS key, count(*) AS articles, coalesce(sum(word_count), 0),"
            " min(first_seen), max(last_seen) FROM articles INDEXED BY idx_articles_stats"
            f" GROUP BY key ORDER BY {order}"
        )
    ]
    runs = [
        RunInfo(*row) for row in db.execute(
            "SELECT r.id, r.started, r.finished, r.status, coalesce(sum(s.fetched), 0),"
            " coalesce(sum(s.new), 0), coalesce(sum(s.updated), 0),"
            " (SELECT count(*) FROM failures f WHERE f.run_id = r.id)"
            " FROM runs r LEFT JOIN run_sites s ON s.run_id = r.id"
            " GROUP BY r.id ORDER BY r.id DESC LIMIT ?", [last_runs],
        )
    ]
    failures = [
        FailureCount(*row) for row in db.execute(
            "SELECT stage, status, reason, count(*) AS n FROM failures WHERE run_id IN"
            " (SELECT id FROM runs ORDER BY id DESC LIMIT ?)"
            " GROUP BY stage, status, reason ORDER BY n DESC, stage, reason LIMIT ?",
            [last_runs, top_failures],
        )
    ]
    return Stats(
        articles=totals[0],
        revisions=db.execute("SELECT count(*) FROM revisions").fetchone()[0],
        urls=db.execute("SELECT count(*) FROM article_urls").fetchone()[0],
        sites=totals[1],
        duplicates=db.execute(
            "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
        ).fetchone()[0],
        first_seen=totals[2], last_seen=totals[3],
        earliest_published=totals[4], latest_published=totals[5],
        by=by, groups=groups, runs=runs, failures=failures,
    )
