"""WARC files written by the tests, in the layouts other archives use (CC-NEWS: gzip per
record, HTTP/1.1 headers as sent, chunked and gzip payloads, windows-1252 pages), with the
damage real files have (a corrupt member, a truncated last record). Records are made by
warcio; the damage by hand. Every page text is made up (tests/fixture_site.py)."""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from typing import Literal

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.fixture_site import make_article, render_article

Layout = Literal["gzip-records", "gzip-file", "plain"]
HOST = "https://gazette.example"


def chunked(data: bytes, size: int = 700) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size])
             for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def article_page(index: int, url: str) -> str:
    return render_article(make_article(index, theme=("wordpress", "jsonld")[index % 2]), url, [])


@dataclass
class WarcBuilder:
    version: str = "1.1"
    records: list[bytes] = field(default_factory=list)
    """Each record, uncompressed."""

    def _writer(self) -> tuple[WARCWriter, io.BytesIO]:
        buffer = io.BytesIO()
        return WARCWriter(buffer, gzip=False, warc_version=self.version), buffer

    def warcinfo(self) -> None:
        writer, buffer = self._writer()
        writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "tests"}))
        self.records.append(buffer.getvalue())

    def response(self, url: str, body: bytes, *, status: str = "200 OK",
                 headers: list[tuple[str, str]] | None = None, date: str = "2024-03-05T10:00:00Z",
                 payload_digest: str | None = None, request: bool = True) -> None:
        """A response (and the request before it, as CC-NEWS has them). ``body`` is the
        entity as sent (chunked if the headers say so)."""
        writer, buffer = self._writer()
        if request:
            req = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0,
                                            http_headers=StatusAndHeaders(
                                                f"GET {url.split('/', 3)[-1] or '/'} HTTP/1.1",
                                                [("Host", "gazette.example")],
                                                is_http_request=True),
                                            warc_headers_dict={"WARC-Date": date})
            writer.write_record(req)
            self.records.append(buffer.getvalue())
            writer, buffer = self._writer()
        extra = {"WARC-Date": date}
        if payload_digest:
            extra["WARC-Payload-Digest"] = payload_digest
        http = StatusAndHeaders(status, headers or [("Content-Type", "text/html; charset=utf-8")],
                                protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                           length=len(body), http_headers=http,
                                           warc_headers_dict=extra)
        writer.write_record(record)
        self.records.append(buffer.getvalue())

    def resource(self, url: str, body: bytes, content_type: str = "text/html") -> None:
        writer, buffer = self._writer()
        writer.write_record(writer.create_warc_record(
            url, "resource", payload=io.BytesIO(body), length=len(body),
            warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": "2024-03-06T10:00:00Z"}))
        self.records.append(buffer.getvalue())

    def metadata(self, url: str) -> None:
        writer, buffer = self._writer()
        writer.write_record(writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\r\n"), length=17,
            warc_content_type="application/warc-fields"))
        self.records.append(buffer.getvalue())

    def file(self, layout: Layout) -> bytes:
        if layout == "plain":
            return b"".join(self.records)
        if layout == "gzip-file":
            return gzip.compress(b"".join(self.records), mtime=0)
        return b"".join(gzip.compress(r, mtime=0) for r in self.records)


def corrupt_member(record: bytes) -> bytes:
    """A gzip member whose deflate data is damaged (its header still looks right)."""
    member = bytearray(gzip.compress(record, mtime=0))
    for position in range(20, min(len(member) - 10, 80)):
        member[position] ^= 0x5A
    assert _breaks(bytes(member))
    return bytes(member)


def _breaks(member: bytes) -> bool:
    try:
        zlib.decompress(member, zlib.MAX_WBITS | 16)
    except zlib.error:
        return True
    return False
