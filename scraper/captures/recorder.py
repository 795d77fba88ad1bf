"""The recorder a crawl or ``fetch --save`` hands its HTTP client: each exchange becomes
WARC records (:mod:`scraper.captures.records`) appended to this writer's files
(:mod:`scraper.captures.warcfiles`), then an index row in ``captures``, committed after the
bytes are written (so no row ever points at a record that is not there).

A 2xx answer whose payload digest equals the URL's last capture is a ``revisit``; a 304
refers to the last capture too. Rows of article pages are linked to their article later, by
``Archive.save``, in the save's own transaction.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scraper.archive.captures import Capture, add_capture, last_payload
from scraper.captures.records import build_records, warcinfo_member
from scraper.captures.warcfiles import WarcFiles, close_off
from scraper.config import ArchiveSettings
from scraper.errors import ArchiveError
from scraper.fetch.exchange import media_type
from scraper.fetch.recording import RawExchange

if TYPE_CHECKING:
    from sqlite_utils import Database


IN_THREAD_FROM = 512_000
"""Bodies larger than this are turned into records in a thread, off the event loop (a crawl's
other requests must not time out while a huge feed is compressed); smaller ones (a page:
1-2 ms) are not worth a thread."""


class CaptureRecorder:
    """Keeps every exchange it is given (a :class:`scraper.fetch.recording.Recorder`)."""

    def __init__(self, db: Database, folder: Path, *, run: str, origin: str,
                 max_bytes: int) -> None:
        self.db = db
        self.files = WarcFiles(db, folder, run=run, origin=origin, max_bytes=max_bytes,
                               header=warcinfo_member)
        self.origin = origin
        self.notes = close_off(db, folder)
        """What was done to files left half-written by a killed writer."""

    async def __call__(self, exchange: RawExchange) -> int:
        previous = (last_payload(self.db, exchange.url)
                    if exchange.status == 304 or 200 <= exchange.status < 300 else None)
        if len(exchange.body) > IN_THREAD_FROM:  # a 10 MB feed: ~0.1-1 s of compression
            records = await asyncio.to_thread(build_records, exchange, previous)
        else:
            records = build_records(exchange, previous)
        name, offset = self.files.append(records.data)
        answer_type = next((v for k, v in exchange.headers if k.lower() == "content-type"), None)
        capture = Capture(
            url=exchange.url, fetched_at=exchange.started.isoformat(timespec="seconds"),
            record_type=records.record_type, warc_file=name, offset=offset,
            length=records.response_length, origin=self.origin, status=exchange.status,
            content_type=media_type(answer_type) or None, payload_digest=records.payload_digest,
            record_id=records.record_id, refers_to=records.refers_to,
            request_offset=offset + records.response_length,
            request_length=records.request_length)
        try:
            with self.db.atomic():
                return add_capture(self.db, capture)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot index a capture: {exc}") from exc

    def close(self) -> None:
        self.files.close()


def open_recorder(db: Database, archive_path: str | os.PathLike[str], settings: ArchiveSettings,
                  *, origin: str, run: str | None = None) -> CaptureRecorder | None:
    """The recorder for a run on this archive, or None when ``capture = false``."""
    if not settings.capture:
        return None
    return CaptureRecorder(db, settings.captures_dir(archive_path), run=run_name(origin, run),
                           origin=origin, max_bytes=settings.warc_max_bytes)


def run_name(origin: str, run: str | None = None) -> str:
    """``20240105T101500Z-run7``: the start of this writer's WARC file names."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{run or f'{origin}{os.getpid()}'}"
