"""One article: every field, the URLs it was seen under, its revisions, copies and diffs."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from scraper.archive.lookup import find_article
from scraper.archive.queries.export import EXPORT_COLUMNS, article_record

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


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
    blocks: str | None = None
    """The latest body's blocks as stored (JSON, ``scraper/archive/body_blocks.py``; read
    them with ``scraper.body_formats.blocks_from_json``); None in an archive without them."""

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
    (blocks,) = db.execute("SELECT blocks FROM articles WHERE id = ?", [article_id]).fetchone()
    return ArticleDetail(
        record=article_record(row), urls=urls, revisions=revisions(db, article_id),
        original=Link(*original) if original else None, copies=copies, blocks=blocks,
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
