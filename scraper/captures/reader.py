"""Reading a kept capture back: one record at its offset, parsed by warcio, its payload
de-chunked and (for a page) decoded to text the way a fetched page is.

::

    read_member(path, offset, length)   the record's bytes (its gzip member inflated)
    parse_record(data)                  -> WarcRecord: WARC headers, HTTP answer, payload
    load_capture(db, folder, capture)   the record holding a capture's payload (a revisit
                                        resolved to the capture it refers to)
    page_text(record, cap)              -> (html, codec): Content-Encoding, then charset
    payload_text(payload, headers, ...)  the same from a payload and its HTTP headers
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isal import isal_zlib
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader

from scraper.archive.captures import Capture, get_capture
from scraper.captures.warcread import INFLATE_ERROR
from scraper.encoding import charset_from_content_type, decode_html
from scraper.errors import CaptureError
from scraper.fetch.decoding import BadEncoding, decode_body

if TYPE_CHECKING:
    from sqlite_utils import Database

Headers = tuple[tuple[str, str], ...]
GZIP_MAGIC = b"\x1f\x8b"
MAX_HOPS = 5
"""Revisits followed to reach a payload (a revisit of a revisit...)."""


@dataclass(frozen=True, slots=True)
class WarcRecord:
    """One WARC record as read."""

    record_type: str
    url: str
    date: str
    warc_headers: Headers
    status: int | None
    status_line: str
    """``HTTP/1.1 200 OK`` (empty without an HTTP answer)."""
    http_headers: Headers
    block: bytes
    """The record block as stored (HTTP headers and payload)."""
    stored: bytes
    """The HTTP entity as stored (maybe still chunked)."""
    payload: bytes
    """The entity de-chunked: what WARC 1.1 digests, still content-encoded."""

    def warc(self, name: str) -> str | None:
        return _get(self.warc_headers, name)

    def http(self, name: str) -> str | None:
        return _get(self.http_headers, name)


def _get(headers: Headers, name: str) -> str | None:
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), None)


def resolve(folder: Path, warc_file: str) -> Path:
    """A ``captures.warc_file`` as a path: relative to the captures folder, or absolute."""
    path = Path(warc_file)
    return path if path.is_absolute() else folder / path


def inflate(data: bytes) -> bytes:
    """A gzip member's content (the bytes as they are when not gzipped)."""
    if not data.startswith(GZIP_MAGIC):
        return data
    engine = isal_zlib.decompressobj(isal_zlib.MAX_WBITS | 16)  # ISA-L: 2.4x zlib
    try:
        out = engine.decompress(data)
    except INFLATE_ERROR as exc:
        raise CaptureError(f"corrupt gzip member: {exc}") from exc
    if not engine.eof:
        raise CaptureError("truncated gzip member")
    return out


def read_member(path: Path, offset: int, length: int) -> bytes:
    """The record stored at ``offset`` (``length`` bytes on disk), inflated."""
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            data = handle.read(length)
    except OSError as exc:
        raise CaptureError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    if len(data) < length:
        raise CaptureError(f"record at offset {offset} runs past the end of the file",
                           path=str(path))
    try:
        return inflate(data)
    except CaptureError as exc:
        raise CaptureError(f"offset {offset}: {exc}", path=str(path)) from exc


def parse_record(data: bytes) -> WarcRecord:
    """One record's bytes (inflated) -> :class:`WarcRecord`; ``CaptureError`` if malformed."""
    head_end = data.find(b"\r\n\r\n")
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data), no_record_parse=False)))
        length = int(record.rec_headers.get_header("Content-Length") or -1)
    except (ArchiveLoadFailed, StopIteration, ValueError, EOFError) as exc:
        raise CaptureError(f"not a WARC record ({str(exc).strip()[:80]})") from exc
    block = data[head_end + 4: head_end + 4 + length] if head_end >= 0 and length >= 0 else b""
    if length < 0 or len(block) < length:
        raise CaptureError("record shorter than its Content-Length")
    http = record.http_headers
    status: int | None = None
    status_line = ""
    http_headers: Headers = ()
    stored = block
    if http is not None and record.rec_type in ("response", "revisit", "request"):
        http_headers = tuple((str(k), str(v)) for k, v in http.headers)
        status_line = f"{http.protocol} {http.statusline}".strip()
        stored = _rest_of_block(record.raw_stream, block, length)
        if record.rec_type != "request":
            code = http.get_statuscode()
            status = int(code) if str(code).isdigit() else None
    payload = stored
    chunked = (_get(http_headers, "transfer-encoding") or "").lower() == "chunked"
    if chunked and stored:
        payload = ChunkedDataReader(io.BytesIO(stored)).read()
    return WarcRecord(
        record_type=str(record.rec_type), url=str(record.rec_headers.get_header("WARC-Target-URI")
                                                   or ""),
        date=str(record.rec_headers.get_header("WARC-Date") or ""),
        warc_headers=tuple((str(k), str(v)) for k, v in record.rec_headers.headers),
        status=status, status_line=status_line, http_headers=http_headers, block=block,
        stored=stored, payload=payload)


def _rest_of_block(raw: Any, block: bytes, length: int) -> bytes:
    """What follows the HTTP headers in the block: sliced from the block, which is in memory
    already, at the point warcio's header parser stopped (reading it through warcio's
    buffered reader cost ~0.1 ms a page, in the importer and again in its worker)."""
    if isinstance(raw, LimitReader) and raw.tell() + raw.limit == length:
        return block[raw.tell():]
    return bytes(raw.read())


def read_capture(folder: Path, capture: Capture) -> WarcRecord:
    path = resolve(folder, capture.warc_file)
    data = read_member(path, capture.offset, capture.length)
    try:
        return parse_record(data)
    except CaptureError as exc:
        raise CaptureError(f"offset {capture.offset}: {exc}", path=str(path)) from exc


def load_capture(db: Database, folder: Path, capture: Capture) -> WarcRecord:
    """The record holding the capture's payload (revisits followed to the one they name)."""
    for _hop in range(MAX_HOPS):
        if capture.record_type != "revisit" or capture.refers_to is None:
            return read_capture(folder, capture)
        referred = get_capture(db, capture.refers_to)
        if referred is None:
            break
        capture = referred
    raise CaptureError(f"capture {capture.id}: the capture its revisit refers to is missing")


def page_text(record: WarcRecord, cap: int) -> tuple[str, str]:
    """The page as text: Content-Encoding undone (at most ``cap`` bytes), then the charset
    (header, BOM, meta, detection) as for a fetched page."""
    return payload_text(record.payload, record.http_headers, cap, record.url)


def payload_text(payload: bytes, http_headers: Headers, cap: int, url: str) -> tuple[str, str]:
    """``page_text`` of a record's payload and HTTP headers, read elsewhere (an import's
    worker is given them by the importer, which has parsed the record already)."""
    try:
        body, _cut = decode_body(payload, _get(http_headers, "content-encoding"), cap)
    except BadEncoding as exc:
        raise CaptureError(f"{url}: undecodable content encoding: {exc}") from exc
    return decode_html(body, declared=charset_from_content_type(
        _get(http_headers, "content-type")))
