"""A raw exchange -> WARC/1.1 records, written by warcio, each record its own gzip member.

::

    response  the answer as received (headers, then the body de-chunked and still
              content-encoded), with WARC-Payload-Digest (over that body, WARC 1.1),
              WARC-Block-Digest, WARC-IP-Address when known; then its ``request`` record
    revisit   identical-payload-digest: the same body as the URL's last capture (headers
              only, refers to it); server-not-modified: a 304 to a conditional refetch

The body is kept de-chunked, so a ``Transfer-Encoding`` header is kept renamed
(``X-Archive-Orig-Transfer-Encoding``, pywb's convention): a reader must not de-chunk it
again. A body not kept in full (a redirect's or an error's, never read; a size cap) is marked
``WARC-Truncated: length``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zlib
from dataclasses import dataclass
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from scraper import __version__
from scraper.archive.captures import Capture
from scraper.fetch.recording import RawExchange

WARC_VERSION = "WARC/1.1"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
GZIP_LEVEL = 2
"""Measured on 200 real news pages (154 KB mean): level 2 takes 1.6 ms a page and keeps 23.4%
of the bytes; zlib's default 6 takes 4.1 ms for 20.6%, warcio's 9 more. A crawl's capture
budget is 5% of its CPU (extraction: ~60 ms a page), so the cheap level wins."""
_RENAMED = {"transfer-encoding": "X-Archive-Orig-Transfer-Encoding"}


@dataclass(frozen=True, slots=True)
class Records:
    """The gzip members to append, and what the index needs to know of them."""

    data: bytes
    record_type: str
    record_id: str
    payload_digest: str | None
    response_length: int
    """The first member (response or revisit); the request record follows it."""
    request_length: int
    refers_to: int | None = None


def warcinfo_member(filename: str) -> bytes:
    """The ``warcinfo`` record a WARC file of ours starts with."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False, warc_version=WARC_VERSION)
    writer.write_record(writer.create_warcinfo_record(
        filename, {"software": f"scraper/{__version__}", "format": "WARC File Format 1.1",
                   "conformsTo": "https://iipc.github.io/warc-specifications/"
                                 "specifications/warc-format/warc-1.1/"}))
    return gzip_member(buffer.getvalue())


def payload_digest(body: bytes) -> str:
    """WARC's ``sha1:<base32>`` of a payload."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def gzip_member(data: bytes) -> bytes:
    engine = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return engine.compress(data) + engine.flush()


def _serialise(writer: WARCWriter, buffer: io.BytesIO, record: Any) -> bytes:
    buffer.seek(0)
    buffer.truncate()
    writer.write_record(record)
    return gzip_member(buffer.getvalue())


def build_records(exchange: RawExchange, previous: Capture | None) -> Records:
    """The records of one exchange; ``previous``: the URL's last capture with a payload."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False, warc_version=WARC_VERSION)
    date = datetime_to_iso_date(exchange.started.replace(tzinfo=None), use_micros=True)
    digest = payload_digest(exchange.body)
    profile = _revisit_profile(exchange, digest, previous)
    warc_headers = {"WARC-Date": date}
    if exchange.peer:
        warc_headers["WARC-IP-Address"] = exchange.peer
    if exchange.truncated:
        warc_headers["WARC-Truncated"] = "length"
    http_headers = StatusAndHeaders(
        f"{exchange.status} {exchange.reason}".rstrip(),
        [(_RENAMED.get(k.lower(), k), v) for k, v in exchange.headers],
        protocol=exchange.http_version)
    if profile is not None and previous is not None:
        warc_headers.update({
            "WARC-Profile": profile, "WARC-Refers-To": previous.record_id or "",
            "WARC-Refers-To-Target-URI": previous.url,
            "WARC-Refers-To-Date": previous.fetched_at.replace("+00:00", "Z"),
        })
        if profile == IDENTICAL_PAYLOAD:
            warc_headers["WARC-Payload-Digest"] = digest
        record = writer.create_warc_record(exchange.url, "revisit", http_headers=http_headers,
                                           warc_headers_dict=warc_headers)
        digest = previous.payload_digest or digest
    else:
        warc_headers["WARC-Payload-Digest"] = digest
        record = writer.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body),
            length=len(exchange.body), http_headers=http_headers,
            warc_headers_dict=warc_headers)
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    first = _serialise(writer, buffer, record)
    request = writer.create_warc_record(
        exchange.url, "request", payload=io.BytesIO(b""), length=0,
        http_headers=StatusAndHeaders(
            f"{exchange.method} {exchange.target} {exchange.http_version}",
            list(exchange.request_headers), is_http_request=True),
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id})
    second = _serialise(writer, buffer, request)
    return Records(data=first + second, record_type="response" if profile is None else "revisit",
                   record_id=record_id, payload_digest=digest, response_length=len(first),
                   request_length=len(second),
                   refers_to=previous.id if profile is not None and previous else None)


def _revisit_profile(exchange: RawExchange, digest: str, previous: Capture | None) -> str | None:
    if previous is None:
        return None
    if exchange.status == 304:
        return NOT_MODIFIED
    if (200 <= exchange.status < 300 and not exchange.truncated
            and previous.payload_digest == digest):
        return IDENTICAL_PAYLOAD
    return None
