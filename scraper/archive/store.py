"""Article -> rows: saving articles, deduplicated, one transaction per save.

Identity: an article is found by any of its URL keys (the fetched URL, the requested URL, the
canonical URL unless it is a bare home page) or, failing that, by the hash of its normalised
body. Saving is one transaction: a crash mid-save leaves the database as it was.

A save writes, through sqlite-utils' ``Table.insert`` / ``insert_all`` / ``update`` (which
also store the list fields as JSON text): the ``articles`` row (inserted, or updated when
the body changed, or only its ``last_seen`` touched), a ``revisions`` row for a new or
changed body, the ``article_urls`` rows of URLs not seen before; the FTS triggers follow
``articles``; then ``similarity.index_article`` records the near-duplicate sketch and links.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from scraper.archive.body_blocks import stored_blocks
from scraper.archive.captures import link_capture
from scraper.archive.connection import open_archive
from scraper.archive.lookup import article_for_body, article_for_keys, article_for_url
from scraper.archive.similarity import Sketch, index_article
from scraper.errors import ArchiveError
from scraper.models import Article, Hints
from scraper.urls import is_site_root, normalise_url, url_key

SaveStatus = Literal["new", "updated", "unchanged"]
_REVISION_FIELDS = (
    "content_hash", "title", "published", "modified", "headings", "body", "word_count",
    "blocks",
)
"""The article fields each revision keeps."""


@dataclass(frozen=True, slots=True)
class _Made:
    """How a revision was made: by which extractor, from which capture."""

    extractor_version: str | None
    capture: int | None


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What saving an article did (``Archive.save``): its id, ``status`` (``new``,
    ``updated``: a new revision, ``unchanged``) and its latest revision.

    >>> import scraper
    >>> scraper.SaveResult(article_id=1, status="new", revision=1).status
    'new'
    """

    article_id: int
    status: SaveStatus
    revision: int


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _keys_for(article: Article, requested_url: str | None) -> dict[str, str]:
    urls = [article.url] if article.url else []
    if requested_url:
        urls.append(requested_url)
    if article.canonical_url and not is_site_root(article.canonical_url):
        urls.append(article.canonical_url)
    keys: dict[str, str] = {}
    for url in urls:
        keys.setdefault(url_key(url), normalise_url(url))
    return keys


class Archive:
    """The article archive in one SQLite file. Use as a context manager."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = open_archive(path, create=True)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def find_article_id(self, url: str) -> int | None:
        """The archived article seen under any spelling of ``url``, if any."""
        return article_for_url(self.db, url)

    def save(
        self,
        article: Article,
        *,
        site: str | None = None,
        requested_url: str | None = None,
        fetched_at: str | None = None,
        sketch: Sketch | None = None,
        capture: int | None = None,
        hints: Hints | None = None,
        extractor_version: str | None = None,
    ) -> SaveResult:
        """Insert or update ``article``; one transaction. ``sketch``: the body's MinHash when
        the caller already made it (else it is made here). ``capture``: the kept page it was
        read from (written and flushed before this), linked in the same transaction with the
        listing's ``hints``; ``extractor_version`` is recorded on a new revision."""
        seen = fetched_at or now_iso()
        keys = _keys_for(article, requested_url)
        try:
            with self.db.atomic():
                article_id = article_for_keys(self.db, list(keys))
                if article_id is None:
                    article_id = article_for_body(self.db, article.content_hash)
                made = _Made(extractor_version, capture)
                if article_id is None:
                    result = self._insert(article, site=site, seen=seen, made=made)
                else:
                    result = self._update(article_id, article, site=site, seen=seen, made=made)
                # a URL seen before keeps its article and its first_seen
                self.db.conn.executemany(
                    "INSERT OR IGNORE INTO article_urls (url_key, url, article_id, first_seen)"
                    " VALUES (?, ?, ?, ?)",
                    [(key, url, result.article_id, seen) for key, url in keys.items()])
                if result.status != "unchanged":
                    index_article(self.db, result.article_id, sketch)
                if capture is not None:
                    link_capture(self.db, capture, article_id=result.article_id,
                                 revision=result.revision, hints=hints,
                                 extractor_version=extractor_version)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot save {article.url}: {exc}", path=self.path) from exc
        return result

    def _insert(self, article: Article, *, site: str | None, seen: str,
                made: _Made) -> SaveResult:
        row = article.to_dict()
        row.update(site=site, first_seen=seen, last_seen=seen, last_fetched=seen, revision_count=1,
                   blocks=stored_blocks(article))
        articles = self.db.table("articles")
        articles.insert(row)
        article_id = int(articles.last_rowid or 0)
        self._add_revision(article_id, 1, row, seen, made)
        return SaveResult(article_id, "new", 1)

    def _update(
        self, article_id: int, article: Article, *, site: str | None, seen: str, made: _Made
    ) -> SaveResult:
        content_hash, revision_count = self.db.execute(
            "SELECT content_hash, revision_count FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        if content_hash == article.content_hash:  # the commonest save of a refetch: one statement
            self.db.execute("UPDATE articles SET last_seen = ?, last_fetched = ? WHERE id = ?",
                            [seen, seen, article_id])
            return SaveResult(article_id, "unchanged", int(revision_count))
        articles = self.db.table("articles")
        revision = int(revision_count) + 1
        row = article.to_dict()
        row.pop("url")  # the article keeps the URL it was first archived under
        row.update(last_seen=seen, last_fetched=seen, revision_count=revision,
                   blocks=stored_blocks(article))
        if site is not None:
            row["site"] = site
        articles.update(article_id, row)
        self._add_revision(article_id, revision, row, seen, made)
        return SaveResult(article_id, "updated", revision)

    def _add_revision(self, article_id: int, revision: int, row: dict[str, Any], seen: str,
                      made: _Made) -> None:
        self.db.table("revisions").insert({
            "article_id": article_id, "revision": revision, "fetched_at": seen,
            **{name: row[name] for name in _REVISION_FIELDS},
            "extractor_version": made.extractor_version, "capture_id": made.capture,
        })

    def count(self, table: str = "articles") -> int:
        return self.db.table(table).count
