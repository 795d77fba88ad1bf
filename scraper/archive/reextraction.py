"""A kept page read again by today's extractor: the article's record replaced, and a new
revision, only when a field changed (one transaction, with the capture marked as read by
this extractor, so an interrupted ``reextract`` never does an article twice). When no field
changed, the stored blocks (the body's structure and links) of the newest revision are still
refreshed from the new reading: no new revision for that.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from scraper.archive.body_blocks import stored_blocks
from scraper.archive.captures import link_capture, mark_extracted
from scraper.archive.similarity import Sketch, index_article
from scraper.models import ARTICLE_FIELDS, Article, Hints

COMPARED: tuple[str, ...] = tuple(
    name for name in ARTICLE_FIELDS if name not in ("url", "word_count", "content_hash"))
"""The record fields whose change makes a new revision (``url`` stays the first one seen;
``word_count`` and ``content_hash`` follow ``body``)."""
_REVISION_FIELDS = (
    "content_hash", "title", "published", "modified", "headings", "body", "word_count",
    "blocks",
)


def _stored(value: Any, new: Any) -> Any:
    return json.loads(value) if isinstance(new, list) and isinstance(value, str) else value


def changed_fields(db: Database, article_id: int, article: Article) -> list[str]:
    """The fields of ``article`` that differ from the archived record."""
    columns = ", ".join(COMPARED)
    row = db.execute(f"SELECT {columns} FROM articles WHERE id = ?", [article_id]).fetchone()
    new = article.to_dict()
    return [name for name, old in zip(COMPARED, row, strict=True)
            if _stored(old, new[name]) != new[name]]


def refresh_blocks(db: Database, article_id: int, blocks: str) -> None:
    """The newest revision's stored blocks (and the article's) made ``blocks``, read from
    the page (``revisions.blocks_from = 'page'``)."""
    db.execute("UPDATE articles SET blocks = ? WHERE id = ?", [blocks, article_id])
    db.execute(
        "UPDATE revisions SET blocks = ?, blocks_from = 'page' WHERE article_id = ?"
        " AND revision = (SELECT revision_count FROM articles WHERE id = ?)",
        [blocks, article_id, article_id])


def apply_reextraction(db: Database, article_id: int, article: Article, *, capture_id: int,
                       hints: Hints | None, version: str,
                       fetched_at: str, sketch: Sketch | None) -> list[str]:
    """Replace the record if it changed (a new revision tagged ``version``); mark the
    capture read by ``version`` either way. The changed fields (none: nothing rewritten)."""
    with db.atomic():
        changed = changed_fields(db, article_id, article)
        if not changed:
            refresh_blocks(db, article_id, stored_blocks(article))
            mark_extracted(db, capture_id, version)
            return []
        (count,) = db.execute("SELECT revision_count FROM articles WHERE id = ?",
                              [article_id]).fetchone()
        revision = int(count) + 1
        row = article.to_dict()
        row.pop("url")
        row["revision_count"] = revision
        row["blocks"] = stored_blocks(article)
        db.table("articles").update(article_id, row)
        db.table("revisions").insert({
            "article_id": article_id, "revision": revision, "fetched_at": fetched_at,
            **{name: row[name] for name in _REVISION_FIELDS}, "extractor_version": version,
            "capture_id": capture_id, "blocks_from": "page",
        })
        if "body" in changed:
            index_article(db, article_id, sketch)
        link_capture(db, capture_id, article_id=article_id, revision=revision, hints=hints,
                     extractor_version=version)
    return changed
