"""Where each record of a WARC file of any origin starts and ends, surviving damage.

warcio parses each record (:func:`scraper.captures.reader.parse_record`); this module only
finds them, because a foreign file may be damaged and warcio's iterator stops at the first
bad byte. Three layouts (:func:`detect_layout`)::

    gzip-records  each record its own gzip member (CC-NEWS, Heritrix, ours): offsets and
                  lengths are the members'; a corrupt member is reported and skipped (the
                  next member is found by its gzip header)
    gzip-file     the whole file one gzip stream: offsets are in the inflated stream; a
                  corrupt stream ends the file
    plain         no compression: offsets are the records'; a malformed record is reported
                  and the next ``WARC/1.x`` line is looked for

A file that ends inside a record yields it as a problem ("truncated") and ends.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal, Protocol, cast

from isal import isal_zlib

Layout = Literal["gzip-records", "gzip-file", "plain"]
INFLATE_ERROR = cast("type[Exception]", isal_zlib.error)
"""What ISA-L's inflate raises on a corrupt member (its stubs call it an instance)."""
BLOCK = 1 << 16
MAX_RECORD = 64 << 20
"""An inflated record larger than this is reported and skipped."""
_GZIP_HEADER = b"\x1f\x8b\x08"
_CONTENT_LENGTH = re.compile(rb"\r?\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Chunk:
    """One record as found: where, its bytes, or what is wrong with it."""

    offset: int
    length: int
    data: bytes = b""
    """The record, inflated."""
    raw: bytes = b""
    """The bytes on disk (the gzip member), for a gzip-records file."""
    problem: str | None = None


def _record_end(data: bytes) -> int | None:
    """Where the first record in ``data`` ends (with its two CRLFs), if its header is in."""
    head = data.find(b"\r\n\r\n")
    if head < 0:
        return None
    match = _CONTENT_LENGTH.search(data[:head + 2])
    return head + 4 + int(match.group(1)) + 4 if match else None


def detect_layout(path: Path) -> Layout:
    with path.open("rb") as handle:
        if handle.read(2) != _GZIP_HEADER[:2]:
            return "plain"
        handle.seek(0)
        engine = zlib.decompressobj(zlib.MAX_WBITS | 16)
        out = b""
        try:
            while not engine.eof and (block := handle.read(BLOCK)):
                out += engine.decompress(block)
                end = _record_end(out)
                if end is not None and len(out) > end:
                    return "gzip-file"  # a second record inside the first member
        except zlib.error:
            pass
    return "gzip-records"


def iter_chunks(path: Path, layout: Layout, start: int = 0) -> Iterator[Chunk]:
    """Every record from ``start`` (a gzip-file is always read from its beginning)."""
    with path.open("rb") as handle:
        if layout == "gzip-records":
            yield from _members(handle, start)
        elif layout == "plain":
            handle.seek(start)
            yield from _records(handle, start, resync=True)
        else:
            with gzip.GzipFile(fileobj=handle) as stream:
                yield from _records(stream, 0, resync=False)


def _members(handle: BinaryIO, start: int) -> Iterator[Chunk]:
    offset: int | None = start
    while offset is not None:
        handle.seek(offset)
        engine = isal_zlib.decompressobj(isal_zlib.MAX_WBITS | 16)  # ISA-L: 2.4x zlib
        parts: list[bytes] = []
        member: list[bytes] = []
        size = 0
        try:
            while not engine.eof:
                block = handle.read(BLOCK)
                if not block:
                    if parts or member:
                        yield Chunk(offset, 0, problem="truncated record (the file ends in it)")
                    return
                member.append(block)
                part = engine.decompress(block)
                size += len(part)
                if size <= MAX_RECORD:
                    parts.append(part)
        except INFLATE_ERROR as exc:
            yield Chunk(offset, 0, problem=f"corrupt gzip member ({exc})")
            offset = _find(handle, _GZIP_HEADER, offset + 1)
            continue
        raw = b"".join(member)
        raw = raw[:len(raw) - len(engine.unused_data)]
        if size > MAX_RECORD:
            yield Chunk(offset, len(raw), problem=f"record over {MAX_RECORD:,} bytes")
        else:
            yield Chunk(offset, len(raw), data=b"".join(parts), raw=raw)
        offset += len(raw)
        if not engine.unused_data and not handle.read(1):
            return


def _find(handle: BinaryIO, needle: bytes, start: int) -> int | None:
    """The offset of ``needle`` at or after ``start``, if any."""
    handle.seek(start)
    position, tail = start, b""
    while block := handle.read(BLOCK):
        data = tail + block
        found = data.find(needle)
        if found >= 0:
            return position - len(tail) + found
        tail = data[-(len(needle) - 1):]
        position += len(block)
    return None


class _Reader:
    """A stream read ahead in blocks, with its position (the inflated one for gzip)."""

    def __init__(self, stream: Readable, position: int) -> None:
        self.stream = stream
        self.buffer = b""
        self.position = position
        """Of ``buffer[0]``."""
        self.ended = False

    def fill(self, size: int) -> bool:
        while len(self.buffer) < size and not self.ended:
            block = self.stream.read(BLOCK)
            self.ended = not block
            self.buffer += block
        return len(self.buffer) >= size

    def take(self, size: int) -> bytes:
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        self.position += len(data)
        return data


def _records(stream: Readable, start: int, *, resync: bool) -> Iterator[Chunk]:
    reader = _Reader(stream, start)
    try:
        while True:
            while reader.fill(2) and reader.buffer[:2] == b"\r\n":  # blank lines between
                reader.take(2)
            if not reader.fill(1):
                return
            offset = reader.position
            reader.fill(BLOCK)
            end = _record_end(reader.buffer) if reader.buffer.startswith(b"WARC/") else None
            if end is None:
                if reader.ended and reader.buffer.startswith(b"WARC/"):
                    yield Chunk(offset, 0, problem="truncated record (the file ends in it)")
                    return
                yield Chunk(offset, 0, problem="not a WARC record here")
                if not resync or not _skip_to_next(reader):
                    return
                continue
            if end > MAX_RECORD:
                yield Chunk(offset, 0, problem=f"record over {MAX_RECORD:,} bytes")
                return
            if not reader.fill(end - 2):
                yield Chunk(offset, 0, problem="truncated record (the file ends in it)")
                return
            data = reader.take(end)
            yield Chunk(offset, len(data), data=data)
    except (OSError, EOFError, zlib.error) as exc:
        yield Chunk(reader.position, 0, problem=f"unreadable from here on ({exc})")


def _skip_to_next(reader: _Reader) -> bool:
    """Drop bytes up to the next line starting ``WARC/1.``; False at the end of the file."""
    reader.take(1)
    while True:
        found = reader.buffer.find(b"\nWARC/1.")
        if found >= 0:
            reader.take(found + 1)
            return True
        if reader.ended:
            return False
        reader.take(max(0, len(reader.buffer) - 8))
        reader.fill(len(reader.buffer) + BLOCK)
