"""Reading the archive: search, one article, its history, exports, stats, duplicate groups.

Every function takes an open ``Database`` (from ``open_archive``) and returns small typed
records; nothing here prints. ``open_archive`` refuses, with one clear ``ArchiveError``, a
path that does not exist (it never creates a file), a file that is not SQLite, and a SQLite
file that is not our archive; an archive made by an older version is migrated forward.

Date filters compare ISO 8601 strings as the sites wrote them: ``since`` 2023-06-01 keeps
``published >= '2023-06-01'``; ``until`` 2023-06-30 keeps everything published that day.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from scraper.archive.store import open_database
from scraper.errors import ArchiveError
from scraper.urls import url_key

GroupBy = Literal["day", "site", "section"]
GROUPINGS: tuple[GroupBy, ...] = ("day", "site", "section")
HIGHLIGHT = ("**", "**")
"""Default snippet markers around matched terms."""
SNIPPET_WORDS = 16
RANK_WEIGHTS = (10.0, 4.0, 1.0)
"""bm25 weights of the FTS columns: title, headings, body."""
LIST_FIELDS = ("headings", "authors", "tags")
EXPORT_COLUMNS: tuple[str, ...] = (
    "id", "url", "canonical_url", "site", "title", "published", "modified", "section",
    "headings", "body", "source_link", "authors", "language", "site_name", "description", "tags",
    "image", "word_count", "content_hash", "title_source", "date_source", "section_source",
    "first_seen", "last_seen", "revision_count", "duplicate_of", "duplicate_similarity",
    "duplicate_method",
)
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NEAR = re.compile(r'("[^"]*"|[\w*]+)\s+NEAR(?:/(\d+))?\s+("[^"]*"|[\w*]+)')


def open_archive(path: str | Path) -> Database:
    """Open an existing archive for reading (migrating it forward); never creates one."""
    path = Path(path)
    if not path.exists():
        raise ArchiveError("no archive here (give --db, or crawl first)", path=str(path))
    if path.is_dir():
        raise ArchiveError("is a directory, not an archive file", path=str(path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise ArchiveError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    if header != _SQLITE_MAGIC:
        raise ArchiveError("not a scraper archive (not an SQLite database)", path=str(path))
    try:
        conn = sqlite3.connect(path)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot read archive: {exc}", path=str(path)) from exc
    if "articles" not in names or "_sqlite_migrations" not in names:
        raise ArchiveError("not a scraper archive (no articles table)", path=str(path))
    return open_database(path)


# -- filters -----------------------------------------------------------------------------


def parse_date(text: str) -> str:
    """A --since/--until value: YYYY-MM-DD or an ISO 8601 timestamp; ArchiveError otherwise."""
    value = text.strip()
    try:
        if _DAY.match(value):
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError as exc:
        raise ArchiveError(
            f"not a date: {text!r} (use YYYY-MM-DD or an ISO 8601 timestamp)"
        ) from exc


@dataclass(frozen=True, slots=True)
class Filters:
    """Row filters shared by search, export and the canned questions."""

    since: str | None = None
    until: str | None = None
    site: str | None = None
    section: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, parse_date(value))

    def where(self, alias: str = "a") -> tuple[list[str], list[Any]]:
        """SQL conditions (to AND together) and their parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append(f"{alias}.published >= ?")
            params.append(self.since)
        if self.until:
            if _DAY.match(self.until):
                end = (date.fromisoformat(self.until) + timedelta(days=1)).isoformat()
                clauses.append(f"{alias}.published < ?")
                params.append(end)
            else:
                clauses.append(f"{alias}.published <= ?")
                params.append(self.until)
        if self.site is not None:
            clauses.append(f"{alias}.site = ?")
            params.append(self.site)
        if self.section is not None:
            clauses.append(f"{alias}.section = ?")
            params.append(self.section)
        return clauses, params


# -- search ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    site: str | None
    section: str | None
    published: str | None
    title: str | None
    url: str
    snippet: str
    """Best-matching fragment of the body, matched terms wrapped in the highlight markers."""
    score: float
    """bm25 relevance, larger is better."""


def fts5_query(query: str) -> str:
    """The query for FTS5: FTS4's ``a NEAR b`` / ``a NEAR/5 b`` become ``NEAR(a b, 5)``."""
    return _NEAR.sub(lambda m: f"NEAR({m[1]} {m[3]}, {m[2] or 10})", query)


def search(
    db: Database,
    query: str,
    *,
    filters: Filters | None = None,
    limit: int = 20,
    highlight: tuple[str, str] = HIGHLIGHT,
) -> list[SearchHit]:
    """Full-text search (FTS5 query syntax, plus FTS4's ``a NEAR b``) ranked by bm25, best
    first; matches in the title weigh most, then headings, then the body."""
    if not query.strip():
        raise ArchiveError("empty search query")
    fts = fts5_query(query)
    clauses, params = (filters or Filters()).where()
    weights = ", ".join(str(w) for w in RANK_WEIGHTS)
    where = " AND ".join(["articles_fts MATCH ?", *clauses])
    # filters read the narrow covering index, not the wide rows (10x faster on a cold cache)
    join = " JOIN articles a INDEXED BY idx_articles_filter ON a.id = articles_fts.rowid"
    ranked_sql = (
        f"SELECT articles_fts.rowid, bm25(articles_fts, {weights}) AS score FROM articles_fts"
        f"{join if clauses else ''} WHERE {where} ORDER BY score LIMIT ?"
    )
    detail_sql = (
        "SELECT a.id, a.site, a.section, a.published, a.title, a.url,"
        f" snippet(articles_fts, 2, ?, ?, ' … ', {SNIPPET_WORDS})"
        " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        " WHERE articles_fts MATCH ? AND articles_fts.rowid = ?"
    )
    try:
        ranked = db.execute(ranked_sql, [fts, *params, limit]).fetchall()
        hits = []
        for rowid, score in ranked:
            id_, site, section, published, title, url, snippet = db.execute(
                detail_sql, [*highlight, fts, rowid]
            ).fetchone()
            hits.append(SearchHit(id_, site, section, published, title, url, snippet,
                                  score=-float(score)))
    except sqlite3.OperationalError as exc:
        raise ArchiveError(f"bad search query {query!r}: {exc} (FTS5 query syntax)") from exc
    return hits


# -- one article -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleUrl:
    url: str
    url_key: str
    first_seen: str


@dataclass(frozen=True, slots=True)
class Revision:
    revision: int
    fetched_at: str
    content_hash: str
    title: str | None
    published: str | None
    modified: str | None
    word_count: int
    body: str


@dataclass(frozen=True, slots=True)
class Link:
    """Another article on the other end of a duplicate link."""

    id: int
    site: str | None
    title: str | None
    url: str
    similarity: float | None
    method: str | None


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    record: dict[str, Any]
    """Every column of the article's row (list fields decoded), keys as in EXPORT_COLUMNS."""
    urls: list[ArticleUrl]
    revisions: list[Revision]
    original: Link | None
    """The article this one copies, if any."""
    copies: list[Link] = field(default_factory=list)
    """Articles recorded as copies of this one."""

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.record,
            "urls": [u.url for u in self.urls],
            "revisions": [
                {"revision": r.revision, "fetched_at": r.fetched_at,
                 "content_hash": r.content_hash, "title": r.title, "word_count": r.word_count}
                for r in self.revisions
            ],
            "copies": [c.id for c in self.copies],
        }


def find_article(db: Database, url_or_id: str) -> int:
    """Article id for an id (digits) or any URL the article was seen under."""
    text = url_or_id.strip()
    if text.isdigit():
        if int(text) >= 2**63:  # past SQLite's INTEGER: no such id, and sqlite3 would overflow
            raise ArchiveError(f"no article with id {text}")
        row = db.execute("SELECT id FROM articles WHERE id = ?", [int(text)]).fetchone()
        if row is None:
            raise ArchiveError(f"no article with id {text}")
        return int(row[0])
    row = db.execute(
        "SELECT article_id FROM article_urls WHERE url_key = ?", [url_key(text)]
    ).fetchone()
    if row is None:
        raise ArchiveError(f"no archived article for {text}")
    return int(row[0])


def _record(row: Sequence[Any], names: Sequence[str]) -> dict[str, Any]:
    record = dict(zip(names, row, strict=True))
    for name in LIST_FIELDS:
        if name in record and isinstance(record[name], str):
            record[name] = json.loads(record[name])
    return record


def revisions(db: Database, article_id: int) -> list[Revision]:
    """Every stored version of the article, oldest first."""
    rows = db.execute(
        "SELECT revision, fetched_at, content_hash, title, published, modified, word_count,"
        " body FROM revisions WHERE article_id = ? ORDER BY revision",
        [article_id],
    ).fetchall()
    return [Revision(*row) for row in rows]


def article_detail(db: Database, url_or_id: str) -> ArticleDetail:
    article_id = find_article(db, url_or_id)
    columns = ", ".join(EXPORT_COLUMNS)
    row = db.execute(f"SELECT {columns} FROM articles WHERE id = ?", [article_id]).fetchone()
    urls = [
        ArticleUrl(*r) for r in db.execute(
            "SELECT url, url_key, first_seen FROM article_urls WHERE article_id = ?"
            " ORDER BY first_seen, url", [article_id],
        )
    ]
    original = db.execute(
        "SELECT o.id, o.site, o.title, o.url, c.duplicate_similarity, c.duplicate_method"
        " FROM articles c JOIN articles o ON o.id = c.duplicate_of WHERE c.id = ?", [article_id],
    ).fetchone()
    copies = [
        Link(*r) for r in db.execute(
            "SELECT id, site, title, url, duplicate_similarity, duplicate_method FROM articles"
            " WHERE duplicate_of = ? ORDER BY id", [article_id],
        )
    ]
    return ArticleDetail(
        record=_record(row, EXPORT_COLUMNS), urls=urls, revisions=revisions(db, article_id),
        original=Link(*original) if original else None, copies=copies,
    )


def _diff_lines(revision: Revision) -> list[str]:
    """Title, then the body one sentence a line (a one-word edit shows as one short line)."""
    lines = [f"# {revision.title or ''}"]
    for paragraph in revision.body.splitlines():
        lines += [s for s in _SENTENCE_END.split(paragraph.strip()) if s] or [""]
    return lines


def revision_diff(old: Revision, new: Revision, *, context: int = 3) -> list[str]:
    """Unified diff (lines without newlines) from one revision to the next: title, then body."""
    before = _diff_lines(old)
    after = _diff_lines(new)
    return list(difflib.unified_diff(
        before, after, n=context, lineterm="",
        fromfile=f"revision {old.revision} ({old.fetched_at})",
        tofile=f"revision {new.revision} ({new.fetched_at})",
    ))


# -- export ------------------------------------------------------------------------------


def export_rows(db: Database, *, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """Every matching article as a record, streamed one row at a time (memory stays flat)."""
    clauses, params = (filters or Filters()).where()
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    columns = ", ".join(f"a.{name}" for name in EXPORT_COLUMNS)
    cursor = db.conn.execute(f"SELECT {columns} FROM articles a{where} ORDER BY a.id", params)
    try:
        for row in cursor:
            yield _record(row, EXPORT_COLUMNS)
    finally:
        cursor.close()


# -- stats -------------------------------------------------------------------------------


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


# -- duplicates --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DuplicateMember:
    id: int
    site: str | None
    title: str | None
    url: str
    published: str | None
    duplicate_of: int | None
    similarity: float | None
    method: str | None


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    members: list[DuplicateMember]
    """The group's original (not itself a copy in the group) first, then copies by id."""


def duplicate_groups(db: Database, *, threshold: float = 0.9) -> list[DuplicateGroup]:
    """Groups of articles linked as copies: source-link links always, sketch links whose
    similarity is at least ``threshold``. Largest groups first."""
    if not 0.0 <= threshold <= 1.0:
        raise ArchiveError(f"threshold must be between 0 and 1, not {threshold}")
    edges = db.execute(
        "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"
        " AND (duplicate_method = 'source_link' OR duplicate_similarity >= ?)",
        [threshold],
    ).fetchall()
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for copy, original in edges:
        parent[root(copy)] = root(original)
    in_group: dict[int, list[int]] = {}
    for node in list(parent):
        in_group.setdefault(root(node), []).append(node)
    copies = {copy for copy, _ in edges}
    groups = []
    for ids in in_group.values():
        members = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            members += [
                DuplicateMember(*row) for row in db.execute(
                    "SELECT id, site, title, url, published, duplicate_of, duplicate_similarity,"
                    f" duplicate_method FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            ]
        members.sort(key=lambda m: (m.id in copies, m.id))
        groups.append(DuplicateGroup(members))
    groups.sort(key=lambda g: (-len(g.members), g.members[0].id))
    return groups
