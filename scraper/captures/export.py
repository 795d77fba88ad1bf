"""``scraper export --format warc``: the chosen articles' captures in one WARC file, each
record its own gzip member: a ``warcinfo`` record, then per capture its ``response`` and its
``request`` (when kept). A revisit is resolved: written as a ``response`` with the payload it
refers to (and its own date and HTTP headers; a 304's are the referred answer's), so the file
stands on its own. warcio reads it back with every digest verified.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.archive.captures import Capture, iter_captures
from scraper.captures.reader import (
    GZIP_MAGIC,
    WarcRecord,
    load_capture,
    read_capture,
    read_member,
    resolve,
)
from scraper.captures.records import WARC_VERSION, gzip_member, warcinfo_member

if TYPE_CHECKING:
    from sqlite_utils import Database


def _member(path: Path, offset: int, length: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
    return data if data.startswith(GZIP_MAGIC) else gzip_member(data)


def _resolved(revisit: WarcRecord, payload: WarcRecord) -> bytes:
    """A revisit and the record holding its payload -> one self-contained response."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False, warc_version=WARC_VERSION)
    answer = payload if revisit.status == 304 or not revisit.status_line else revisit
    protocol, _, status = answer.status_line.partition(" ")
    http = StatusAndHeaders(status, list(answer.http_headers), protocol=protocol)
    warc_headers = {"WARC-Date": revisit.date}
    if ip := revisit.warc("WARC-IP-Address"):
        warc_headers["WARC-IP-Address"] = ip
    record = writer.create_warc_record(revisit.url, "response",
                                       payload=io.BytesIO(payload.stored),
                                       length=len(payload.stored), http_headers=http,
                                       warc_headers_dict=warc_headers)
    writer.write_record(record)
    return gzip_member(buffer.getvalue())


def export_warc(db: Database, folder: Path, out: BinaryIO, *,
                article_ids: Iterable[int] | None, filename: str = "") -> int:
    """Write the captures of ``article_ids`` (None: of every article) to ``out``; how many."""
    out.write(warcinfo_member(filename))
    count = 0
    for batch in _batches(article_ids):
        for capture in iter_captures(db, article_ids=batch):
            if capture.article_id is None:
                continue
            out.write(_response(db, folder, capture))
            if capture.request_offset is not None and capture.request_length is not None:
                out.write(_member(resolve(folder, capture.warc_file), capture.request_offset,
                                  capture.request_length))
            count += 1
    return count


def _batches(ids: Iterable[int] | None, size: int = 500) -> Iterator[list[int] | None]:
    if ids is None:
        yield None
        return
    batch: list[int] = []
    for article_id in ids:
        batch.append(article_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _response(db: Database, folder: Path, capture: Capture) -> bytes:
    path = resolve(folder, capture.warc_file)
    if capture.record_type != "revisit":
        read_member(path, capture.offset, capture.length)  # readable, or CaptureError
        return _member(path, capture.offset, capture.length)
    return _resolved(read_capture(folder, capture), load_capture(db, folder, capture))
