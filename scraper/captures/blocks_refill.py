"""``scraper reextract --blocks-only``: the stored blocks of revisions that were made from
the plain body (by migration m008, for rows archived before blocks) read again from the
page as served, where a capture of it is kept.

A revision is done when its stored blocks are exactly the plain body's form
(``body_blocks.plain_blocks``) and its ``capture_id`` names a kept capture: the page is read
by today's extractor, and its blocks are matched to the revision's own body
(``blocks.matched_blocks``: a paragraph of the stored body that is a block of the new reading
unchanged takes that block, with its type and links; any other stays a paragraph), so the
stored body and its blocks keep agreeing whatever today's extractor would say. Nothing but
``blocks`` (and the article's, for its newest revision) is written: no new revision.

Each revision looked at is marked in ``revisions.blocks_from`` (``page``: read from the
page, or its blocks were the extractor's already; ``text``: no capture, or the page could
not be read), one transaction per batch, so a rerun goes on where an interrupted one
stopped and does nothing once all are done. Not a migration: reading every kept page is
an extraction per revision (minutes to hours on a large archive), not work for opening one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scraper.archive import Archive
from scraper.archive.body_blocks import blocks_json, plain_blocks
from scraper.archive.captures import Capture, get_capture
from scraper.captures.jobs import read_stored
from scraper.captures.reader import resolve
from scraper.errors import ScraperError
from scraper.extract.blocks import matched_blocks

__all__ = ["RefillReport", "refill_blocks"]

BATCH = 200
"""Revisions looked at per transaction."""


@dataclass(slots=True)
class RefillReport:
    """What ``reextract --blocks-only`` (``Archive.refill_blocks``) did."""

    examined: int = 0
    """Revisions looked at."""
    read: int = 0
    """Revisions whose blocks were read from their page."""
    kept: int = 0
    """Revisions whose blocks were the extractor's already."""
    unreadable: int = 0
    """Revisions made from the plain body with no readable page: left as they are."""

    def line(self) -> str:
        return (f"scraper reextract --blocks-only: {self.examined} revisions, {self.read}"
                f" read from their page, {self.kept} had the page's blocks already,"
                f" {self.unreadable} without a readable page")


def _payload(archive: Archive, capture: Capture | None) -> Capture | None:
    """The capture holding the page (a revisit resolved to the one it refers to)."""
    for _hop in range(5):
        if capture is None or capture.record_type != "revisit" or capture.refers_to is None:
            return capture
        capture = get_capture(archive.db, capture.refers_to)
    return capture


def _headings(stored: str | None) -> list[str]:
    value = json.loads(stored or "[]")
    return [h for h in value if isinstance(h, str)] if isinstance(value, list) else []


def _page_blocks(archive: Archive, folder: Path, capture_id: int | None, body: str,
                 headings: list[str], cap: int) -> str | None:
    """The revision's blocks read from its page, or None when it cannot be read."""
    if capture_id is None:
        return None
    capture = get_capture(archive.db, capture_id)
    holder = _payload(archive, capture)
    if capture is None or holder is None:
        return None
    try:
        article = read_stored(str(resolve(folder, holder.warc_file)), holder.offset,
                              holder.length, capture.url, capture.hints, cap)
    except (ScraperError, OSError):
        return None
    texts = [text for part in body.split("\n\n") if (text := part.strip("\n"))]
    return blocks_json(matched_blocks(texts, list(article.blocks), headings))


def refill_blocks(archive: Archive, folder: Path, *, limit: int | None = None,
                  max_bytes: int = 10_000_000,
                  progress: Callable[[int], None] | None = None) -> RefillReport:
    """Read again from their pages the blocks of the revisions made from the plain body
    (at most ``limit`` revisions looked at); see the module docstring."""
    report = RefillReport()
    db = archive.db
    while limit is None or report.examined < limit:
        size = BATCH if limit is None else min(BATCH, limit - report.examined)
        rows = db.execute(
            "SELECT r.id, r.article_id, r.revision, r.body, r.headings, r.blocks, r.capture_id,"
            " a.revision_count FROM revisions r JOIN articles a ON a.id = r.article_id"
            " WHERE r.blocks_from IS NULL ORDER BY r.id LIMIT ?", [size]).fetchall()
        if not rows:
            break
        with db.atomic():
            for row_id, article_id, revision, body, headings, blocks, capture_id, newest in rows:
                report.examined += 1
                listed = _headings(headings)
                if blocks != plain_blocks(body or "", listed):
                    report.kept += 1
                    db.execute("UPDATE revisions SET blocks_from = 'page' WHERE id = ?",
                               [row_id])
                    continue
                read = _page_blocks(archive, folder, capture_id, body or "", listed, max_bytes)
                if read is None:
                    report.unreadable += 1
                    db.execute("UPDATE revisions SET blocks_from = 'text' WHERE id = ?",
                               [row_id])
                    continue
                report.read += 1
                db.execute("UPDATE revisions SET blocks = ?, blocks_from = 'page' WHERE id = ?",
                           [read, row_id])
                if revision == newest:
                    db.execute("UPDATE articles SET blocks = ? WHERE id = ?", [read, article_id])
        if progress is not None:
            progress(report.examined)
    return report
