"""Content-Encoding removed by us, a chunk at a time, with the decoded size capped.

The fetcher keeps the body as received (still compressed: that is what a WARC capture
stores) and decodes it here; the importer decodes a WARC record's payload with the same code,
so a page fetched and a page imported read the same. ::

    ContentDecoder("gzip")          gzip / x-gzip, deflate (zlib or raw), br, identity;
                                    "gzip, br" is undone right to left; an unknown coding
                                    is left as it is (the bytes then look binary)
    decode_body(raw, coding, cap)   the whole body, at most ``cap`` decoded bytes

A stream that is not what its coding says raises :class:`BadEncoding`; the fetcher turns it
into ``UndecodableBody``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import brotli


class BadEncoding(ValueError):
    """The bytes cannot be decoded as their Content-Encoding says."""


class _Step:
    """One coding: decode(chunk) -> bytes, flush() -> bytes."""

    def decode(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class _Zlib(_Step):
    def __init__(self, wbits: int) -> None:
        self.wbits = wbits
        self.engine = zlib.decompressobj(wbits)
        self.started = False

    def decode(self, data: bytes) -> bytes:
        if not data:
            return b""
        try:
            out = self._feed(data)
        except zlib.error as exc:
            if self.wbits == zlib.MAX_WBITS and not self.started:  # "deflate" sent raw
                self.wbits = -zlib.MAX_WBITS
                self.engine = zlib.decompressobj(self.wbits)
                return self.decode(data)
            raise BadEncoding(str(exc)) from exc
        self.started = True
        return out

    def _feed(self, data: bytes) -> bytes:
        out = self.engine.decompress(data)
        # a gzip body may be several members one after the other (RFC 1952)
        while self.engine.eof and self.engine.unused_data and self.wbits == zlib.MAX_WBITS | 16:
            rest = self.engine.unused_data
            self.engine = zlib.decompressobj(self.wbits)
            out += self.engine.decompress(rest)
        return out

    def flush(self) -> bytes:
        try:
            return self.engine.flush()
        except zlib.error as exc:
            raise BadEncoding(str(exc)) from exc


class _Brotli(_Step):
    def __init__(self) -> None:
        self.engine = brotli.Decompressor()

    def decode(self, data: bytes) -> bytes:
        if not data:
            return b""
        try:
            return bytes(self.engine.process(data))
        except brotli.error as exc:
            raise BadEncoding(str(exc)) from exc


_STEPS: dict[str, Callable[[], _Step]] = {
    "identity": _Step,
    "gzip": lambda: _Zlib(zlib.MAX_WBITS | 16),
    "x-gzip": lambda: _Zlib(zlib.MAX_WBITS | 16),
    "deflate": lambda: _Zlib(zlib.MAX_WBITS),
    "br": _Brotli,
}


class ContentDecoder:
    """Undo a Content-Encoding header's codings, right to left."""

    def __init__(self, content_encoding: str | None) -> None:
        names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
        self.steps = [_STEPS.get(name, _Step)() for name in reversed(names)]

    def decode(self, data: bytes) -> bytes:
        for step in self.steps:
            data = step.decode(data)
        return data

    def flush(self) -> bytes:
        data = b""
        for step in self.steps:
            data = step.decode(data) + step.flush()
        return data


DECODE_STEP = 16_384
"""Raw bytes decoded at a time: a gzip bomb grows at most ~1000-fold per step past the cap."""


def decode_body(raw: bytes, content_encoding: str | None, cap: int) -> tuple[bytes, bool]:
    """(decoded body cut at ``cap`` bytes, whether it was cut)."""
    decoder = ContentDecoder(content_encoding)
    parts: list[bytes] = []
    size = 0
    for start in range(0, len(raw), DECODE_STEP):
        part = decoder.decode(raw[start:start + DECODE_STEP])
        size += len(part)
        parts.append(part)
        if size > cap:
            return b"".join(parts)[:cap], True
    parts.append(decoder.flush())
    out = b"".join(parts)
    return out[:cap], len(out) > cap
