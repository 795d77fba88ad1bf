"""The fault catalogue: every way an article page can go wrong, and what the scraper must
make of it.

Each :class:`Fault` is a handler for :class:`tests.fault_server.FaultServer` (hang, stall,
trickle, close or reset mid-body, lie in Content-Length, stream 2 GB or a gzip bomb, redirect
badly, serve the wrong bytes) with its expected outcome: ``Fails`` (reason, status, how many
requests it may cost), ``Archived`` or ``Empty``, for a one-off fetch and, where it differs,
inside a crawl::

    install_page_faults(server)
    for fault in PAGE_FAULTS:
        server.url(fault.path); fault.fetch; fault.in_crawl
"""

from __future__ import annotations

import codecs
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tests.fault_server import (
    Exchange,
    FaultServer,
    Handler,
    article_html,
    article_path,
    marker,
    static,
)


def gzip_bomb(total: int = 10 * 2**30, step: int = 2**20) -> Iterator[bytes]:
    """gzip of ``total`` zero bytes (10 GiB -> ~10 MB on the wire), compressed as it is sent."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(step)
    yield compressor.compress(b"<html><body><p>")
    for _ in range(total // step):
        yield compressor.compress(zeros)
    yield compressor.flush()


def endless_html(total: int = 2 * 2**30) -> Iterator[bytes]:
    """``total`` bytes of HTML, one shared 64 KB chunk at a time."""
    chunk = b"<p>" + b"x" * 65529 + b"</p>"
    for _ in range(total // len(chunk)):
        yield chunk


# --- the catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fails:
    """The URL fails: exit 1 from `fetch`, a failures row from `crawl`."""

    reason: str
    """A regex searched in the reason."""
    status: int | None
    requests: int = 1
    """Requests the fault gets: 2 when it is retried once (retries = 1)."""
    stage: str = "fetch"
    min_gap: float = 0.0
    """Seconds the retry must have waited (Retry-After)."""


@dataclass(frozen=True)
class Archived:
    """The page is fetched and extracted; its body contains ``text``."""

    text: str
    requests: int = 1


@dataclass(frozen=True)
class Empty:
    """Fetched, but no article text in it: `fetch` prints a record with an empty body."""

    requests: int = 1


Outcome = Fails | Archived | Empty


@dataclass(frozen=True)
class Fault:
    name: str
    handler: Handler
    fetch: Outcome
    crawl: Outcome | None = None
    """When the crawl's outcome differs from a one-off fetch's."""

    @property
    def path(self) -> str:
        return f"/f/{self.name}/"

    @property
    def in_crawl(self) -> Outcome:
        return self.crawl or self.fetch


def _hang(ex: Exchange) -> None:
    ex.wait(60)


def _stall_body(ex: Exchange) -> None:
    body = article_html(40).encode()
    ex.head(200, {"Content-Type": "text/html", "Content-Length": str(len(body))})
    ex.send(body[:500])
    ex.wait(60)


def _trickle(ex: Exchange) -> None:
    body = article_html(41).encode()
    ex.head(200, {"Content-Type": "text/html", "Content-Length": str(len(body))})
    for byte in body:
        ex.send(bytes([byte]))
        ex.wait(1.0)
        if ex.server.stopping.is_set():
            return


def _close_mid_body(ex: Exchange) -> None:
    body = article_html(42).encode()
    ex.head(200, {"Content-Type": "text/html", "Content-Length": str(len(body))})
    ex.send(body[: len(body) // 2])


def _reset(ex: Exchange) -> None:
    ex.reset()


def _truncated_chunked(ex: Exchange) -> None:
    body = article_html(43).encode()
    ex.head(200, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"})
    ex.send(b"%x\r\n%s\r\n" % (1000, body[:1000]))
    ex.send(b"%x\r\n%s" % (len(body) - 1000, body[1000:2000]))  # promised more, then gone


def _status(code: int, headers: dict[str, str] | None = None) -> Handler:
    def handler(ex: Exchange) -> None:
        ex.reply(code, b"<html><body><h1>Error</h1></body></html>", headers=headers)

    return handler


def _retry_after_date(ex: Exchange) -> None:
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 3600))
    ex.reply(429, b"slow down", headers={"Retry-After": when})


def _redirect(location: str | Callable[[Exchange], str]) -> Handler:
    def handler(ex: Exchange) -> None:
        target = location(ex) if callable(location) else location
        ex.reply(302, b"", headers={"Location": target})

    return handler


def _chain(ex: Exchange) -> None:
    """/f/redirect-chain-30/ -> /r/chain/1/ -> ... -> /r/chain/30/ -> an article."""
    match = re.search(r"/r/chain/(\d+)/", ex.request.path)
    step = int(match.group(1)) if match else 0
    target = f"/r/chain/{step + 1}/" if step < 30 else article_path(44)
    ex.reply(302, b"", headers={"Location": target})


def _lying_length(factor: float) -> Handler:
    def handler(ex: Exchange) -> None:
        body = article_html(45).encode()
        ex.head(200, {"Content-Type": "text/html", "Content-Length": str(int(len(body) * factor))})
        ex.send(body)

    return handler


def _body_2gb_declared(ex: Exchange) -> None:
    ex.head(200, {"Content-Type": "text/html", "Content-Length": str(2 * 2**30)})
    for chunk in endless_html():
        ex.send(chunk)


def _bomb(ex: Exchange) -> None:
    ex.chunked(gzip_bomb(), {"Content-Type": "text/html", "Content-Encoding": "gzip"})


CAFE = "Zürich café – “quoted” naïve façade"
CAFE_PARAGRAPH = (f"At the {CAFE} on the harbour front, the owners said the winter menu would "
                  "keep its prices and that the terrace heaters would stay on until ten.")


def _encoded(index: int, encoding: str, declared: str | None) -> Handler:
    def handler(ex: Exchange) -> None:
        html = article_html(index, extra=CAFE_PARAGRAPH).replace('<meta charset="utf-8">', "")
        body = html.encode(encoding)
        if encoding == "utf-16":
            assert body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        ex.reply(200, body, f"text/html; charset={declared}" if declared else "text/html")

    return handler


def _mixed(ex: Exchange) -> None:
    html = article_html(51, extra="LATIN1_PARAGRAPH")
    ex.reply(200, html.encode("utf-8").replace(b"LATIN1_PARAGRAPH",
                                                  CAFE_PARAGRAPH.encode("cp1252", "replace")))


def _invalid_utf8(ex: Exchange) -> None:
    html = article_html(52, extra=CAFE_PARAGRAPH.replace(CAFE, "BROKEN_BYTES"))
    ex.reply(200, html.encode("utf-8").replace(b"BROKEN_BYTES", b"caf\xc3 \xff\xfe \xed\xa0\x80"))


def _malformed(index: int, transform: Callable[[str], str]) -> Handler:
    def handler(ex: Exchange) -> None:
        ex.reply(200, transform(article_html(index)).encode())

    return handler


def _deep(html: str) -> str:
    return html.replace("<body>", "<body>" + "<div><span>" * 5000)  # 10,000 unclosed tags


def _one_line(html: str) -> str:
    return html.replace("\n", " ").replace("</footer>", "</footer>" + "<b>x</b>" * 130_000)


def many_links(html: str) -> str:
    return html.replace("<body>", "<body>" + "".join(f'<a href="/l/{i}/">l</a>'
                                                     for i in range(100_000)))


def _xxe_page(ex: Exchange) -> None:
    doctype = f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{ex.server.secret_path}">]>'
    html = article_html(56).replace("<!DOCTYPE html>", doctype).replace("</h1>", "&xxe;</h1>")
    ex.reply(200, html.replace("</p>", "&xxe;</p>", 1).encode())


RETRIED = 2
"""Requests for a fault that is retried once (``retries = 1`` in the test config)."""

PAGE_FAULTS: tuple[Fault, ...] = (
    Fault("hang-before-headers", _hang, Fails(r"^timed out \(ReadTimeout\)$", None, RETRIED)),
    Fault("headers-then-stall", _stall_body, Fails(r"^timed out \(ReadTimeout\)$", None, RETRIED)),
    Fault("trickle-1-byte-per-s", _trickle,
          Fails(r"^timed out: no complete response within \d+ s$", None, RETRIED)),
    Fault("close-mid-body", _close_mid_body,
          Fails(r"^connection broken mid-response: peer closed connection", None, RETRIED)),
    Fault("connection-reset", _reset,
          Fails(r"^connection broken mid-response: .*(reset|disconnected)", None, RETRIED)),
    Fault("truncated-chunked", _truncated_chunked,
          Fails(r"^connection broken mid-response: peer closed connection", None, RETRIED)),
    Fault("http-500", _status(500), Fails(r"^HTTP 500 Internal Server Error$", 500, RETRIED)),
    Fault("http-502", _status(502), Fails(r"^HTTP 502 Bad Gateway$", 502, RETRIED)),
    Fault("http-503", _status(503), Fails(r"^HTTP 503 Service Unavailable$", 503, RETRIED)),
    Fault("http-504", _status(504), Fails(r"^HTTP 504 Gateway Timeout$", 504, RETRIED)),
    Fault("429-retry-after-seconds", _status(429, {"Retry-After": "1"}),
          Fails(r"^HTTP 429 Too Many Requests$", 429, RETRIED, min_gap=0.9)),
    Fault("429-retry-after-date", _retry_after_date,  # an hour away > max_retry_after: give up
          Fails(r"^HTTP 429 Too Many Requests$", 429, 1)),
    Fault("http-403", _status(403), Fails(r"^HTTP 403 Forbidden$", 403)),
    Fault("http-404", _status(404), Fails(r"^HTTP 404 Not Found$", 404)),
    Fault("http-410", _status(410), Fails(r"^HTTP 410 Gone$", 410)),
    Fault("redirect-loop", _redirect("/f/redirect-loop/"),
          Fails(r"^redirect loop at http://127\.0\.0\.1:\d+/f/redirect-loop/$", 302)),
    Fault("redirect-chain-30", _chain, Fails(r"^too many redirects \(more than 10\)$", None)),
    Fault("redirect-to-file", _redirect("file:///etc/passwd"),
          Fails(r"^redirect to file:///etc/passwd refused: unsupported scheme 'file'", 302)),
    Fault("redirect-to-ftp", _redirect("ftp://127.0.0.1/pub/a.html"),
          Fails(r"^redirect to ftp://127\.0\.0\.1/pub/a\.html refused: unsupported scheme", 302)),
    Fault("redirect-to-javascript", _redirect("javascript:alert(document.cookie)"),
          Fails(r"^redirect to javascript:alert\(document\.cookie\) refused: unsupported", 302)),
    # A one-off fetch has no site, so no host rule: the redirect is followed. A crawl refuses it.
    Fault("redirect-to-other-host",
          _redirect(lambda ex: ex.server.url(article_path(46), host="localhost")),
          Archived(marker(46)),
          crawl=Fails(r"refused: localhost:\d+ is not one of the site's hosts$", 302)),
    Fault("body-2gb-streamed", lambda ex: ex.chunked(endless_html(), {"Content-Type": "text/html"}),
          Fails(r"^too large: more than 10,000,000 bytes$", 200)),
    Fault("body-2gb-declared", _body_2gb_declared,
          Fails(r"^too large: Content-Length 2,147,483,648 > 10,000,000 bytes$", 200)),
    Fault("gzip-bomb-10gb", _bomb, Fails(r"^too large: more than 10,000,000 bytes$", 200)),
    Fault("content-length-too-long", _lying_length(1.5),
          Fails(r"^connection broken mid-response: peer closed connection", None, RETRIED)),
    Fault("content-length-too-short", _lying_length(0.1),  # the page's head only
          Fails(r"^no article text found on the page; use --any-page", 200, stage="extract"),
          crawl=Fails(r"^no article text found on the page$", 200, stage="extract")),
    Fault("content-type-pdf", static(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
          Fails(r"^not HTML: Content-Type application/pdf$", 200)),
    Fault("content-type-image", static(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
          Fails(r"^not HTML: Content-Type image/png$", 200)),
    Fault("empty-200", static(b""), Fails(r"^empty response body$", 200)),
    Fault("json-200", static(b'{"title": "not a page"}', "application/json"),
          Fails(r"^not HTML: Content-Type application/json$", 200)),
    # Detection may pick cp1250 for these bytes ("naïve" -> "naďve"); these letters agree.
    Fault("wrong-declared-charset", _encoded(47, "cp1252", "utf-8"),
          Archived("Zürich café – “quoted”")),
    Fault("utf16-with-bom", _encoded(48, "utf-16", None), Archived(CAFE)),
    Fault("mixed-encodings", _mixed, Archived(marker(51))),
    Fault("invalid-utf8", _invalid_utf8, Archived(marker(52))),
    Fault("nul-bytes", static(b"\x00" * 100_000, "text/html"),
          Fails(r"^not HTML: binary content$", 200)),
    Fault("unclosed-tags-10000-deep", _malformed(53, _deep), Archived(marker(53))),
    Fault("single-line-1mb", _malformed(54, _one_line), Archived(marker(54))),
    Fault("links-100k", _malformed(55, many_links), Archived(marker(55))),
    Fault("xxe-in-html", _xxe_page, Archived(marker(56))),
)
"""Article-page faults: each is fetched one-off and listed in a crawl's feed."""

HEALTHY_TARGETS: dict[str, int] = {"redirect-chain-30": 44, "redirect-to-other-host": 46}
"""Articles that only a fault's redirect leads to."""


def install_page_faults(server: FaultServer) -> None:
    """Route every page fault, and the articles their redirects lead to."""
    for fault in PAGE_FAULTS:
        server.route(fault.path, fault.handler)
    server.route_prefix("/r/chain/", _chain)
    for index in HEALTHY_TARGETS.values():
        server.route(article_path(index), static(article_html(index).encode()))
