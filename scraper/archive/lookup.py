"""Finding an archived article: by any spelling of a URL it was seen under, by its body, by id.

One article has many URL keys in ``article_urls`` (``scraper.urls.url_key``: scheme, ``www.``,
trailing slash and tracking parameters do not matter). The writer (``Archive.save``), the
crawl's planning, the duplicate links and the analyst commands all look articles up here.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from scraper.errors import ArchiveError
from scraper.urls import url_key

_MAX_ID = 2**63
"""Past SQLite's INTEGER: no such id, and sqlite3 would overflow binding it."""


def article_for_keys(db: Database, keys: Sequence[str]) -> int | None:
    """The article any of these URL keys belongs to, if any."""
    if not keys:
        return None
    marks = ",".join("?" * len(keys))
    row = db.execute(
        f"SELECT article_id FROM article_urls WHERE url_key IN ({marks}) LIMIT 1", list(keys)
    ).fetchone()
    return int(row[0]) if row else None


def article_for_url(db: Database, url: str) -> int | None:
    """The article seen under any spelling of ``url``, if any."""
    return article_for_keys(db, [url_key(url)])


def article_for_body(db: Database, content_hash: str) -> int | None:
    """An article with this (non-empty) body hash, if any: an exact copy under another URL."""
    if not content_hash:
        return None
    row = db.execute(
        "SELECT id FROM articles WHERE content_hash = ? AND word_count > 0 LIMIT 1",
        [content_hash],
    ).fetchone()
    return int(row[0]) if row else None


def find_article(db: Database, url_or_id: str) -> int:
    """Article id for an id (digits) or any URL the article was seen under; ArchiveError if
    there is none."""
    text = url_or_id.strip()
    if text.isdigit():
        number = int(text)
        if number >= _MAX_ID or not db.execute(
            "SELECT 1 FROM articles WHERE id = ?", [number]
        ).fetchone():
            raise ArchiveError(f"no article with id {text}")
        return number
    article_id = article_for_url(db, text)
    if article_id is None:
        raise ArchiveError(f"no archived article for {text}")
    return article_id
