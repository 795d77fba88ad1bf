"""A misbehaving HTTP/1.1 server on 127.0.0.1, and the catalogue of faults it serves.

Raw sockets, one thread per connection, so a handler can do what a broken server does:
hang before the headers, stall or trickle the body, close or reset the connection mid-body,
cut a chunked body short, lie in Content-Length, stream 2 GB or a gzip bomb (both generated
lazily, never held in memory)::

    with FaultServer() as server:
        server.route("/feed.xml", static(rss, "application/rss+xml"))
        for fault in PAGE_FAULTS:
            server.route(fault.path, fault.handler)
        server.url(fault.path); server.count(fault.path)

Every request is recorded (``server.requests``). Each fault carries the outcome the scraper
must produce: ``Fails`` (reason, status, how many requests it may cost) or ``Archived``.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tests.fixture_site import make_article, render_article

SECRET_MARK = "XXE-SECRET-7f3a9c"
"""Written to a temp file that XXE payloads point at; it must never appear anywhere."""


# --- the server ------------------------------------------------------------------------------


@dataclass
class Request:
    path: str
    started: float
    headers: dict[str, str] = field(default_factory=dict)


class Exchange:
    """One request on one connection; what a handler writes to."""

    def __init__(self, sock: socket.socket, request: Request, server: FaultServer) -> None:
        self.sock = sock
        self.request = request
        self.server = server

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def head(self, status: int, headers: dict[str, str] | None = None,
             reason: str = "") -> None:
        lines = [f"HTTP/1.1 {status} {reason or _REASONS.get(status, 'Unknown')}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        lines.append("Connection: close")
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def reply(self, status: int = 200, body: bytes = b"",
              content_type: str | None = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        all_headers = {"Content-Type": content_type} if content_type else {}
        all_headers.update(headers or {})
        all_headers.setdefault("Content-Length", str(len(body)))
        self.head(status, all_headers)
        self.send(body)

    def chunked(self, chunks: Iterator[bytes], headers: dict[str, str]) -> None:
        """A chunked body from a generator, sent until it ends or the client hangs up."""
        self.head(200, {**headers, "Transfer-Encoding": "chunked"})
        for chunk in chunks:
            if chunk:
                self.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.send(b"0\r\n\r\n")

    def wait(self, seconds: float) -> None:
        """Sleep, but wake up when the server stops."""
        self.server.stopping.wait(seconds)

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


Handler = Callable[[Exchange], None]

_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 403: "Forbidden",
            404: "Not Found", 410: "Gone", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}


class FaultServer:
    """Serves ``routes`` (exact paths) and ``prefixes`` on 127.0.0.1, a free port."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.prefixes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self.secret_path = "/nonexistent"
        """The file XXE payloads try to read."""
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def route_prefix(self, prefix: str, handler: Handler) -> None:
        self.prefixes[prefix] = handler

    @property
    def port(self) -> int:
        assert self._listener is not None, "server not started"
        return int(self._listener.getsockname()[1])

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path == path)

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [r.started for r in self.requests if r.path == path]

    def start(self) -> FaultServer:
        listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        listener.settimeout(0.1)
        self._listener = listener
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.close()
        if self._listener is not None:
            self._listener.close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        assert self._listener is not None
        while not self.stopping.is_set():
            try:
                sock, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            with self._lock:
                self._open.add(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            request = self._read_request(sock)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            path = request.path.split("?", 1)[0]
            handler = self.routes.get(path) or next(
                (h for p, h in self.prefixes.items() if path.startswith(p)), None)
            exchange = Exchange(sock, request, self)
            if handler is None:
                exchange.reply(404, b"<html><body>not found</body></html>")
            else:
                handler(exchange)
        except OSError:
            pass  # the client hung up: that is what a cut-off looks like from here
        finally:
            with self._lock:
                self._open.discard(sock)
            with contextlib.suppress(OSError):
                sock.close()

    @staticmethod
    def _read_request(sock: socket.socket) -> Request | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk or len(data) > 65536:
                return None
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        parts = head[0].split(" ")
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return Request(path=parts[1] if len(parts) > 1 else "/", started=time.monotonic(),
                       headers=headers)


def static(body: bytes, content_type: str = "text/html; charset=utf-8",
           status: int = 200) -> Handler:
    def handler(ex: Exchange) -> None:
        ex.reply(status, body, content_type)

    return handler


# --- pages -----------------------------------------------------------------------------------


def article_html(index: int, *, extra: str = "") -> str:
    """A real-looking article page (the fixture site's markup) with a unique body."""
    article = make_article(index, theme="wordpress")
    if extra:
        article.paragraphs.insert(1, extra)
    return render_article(article, f"http://127.0.0.1/{article.slug}/", [])


def article_path(index: int) -> str:
    return make_article(index, theme="wordpress").path


def marker(index: int) -> str:
    """Text that is in article ``index``'s body and nowhere else."""
    return f"SG-{index:05d}"


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


def fault_config(sites: str, *, archive: str = "archive.db", deadline: float = 3.0) -> str:
    """config.toml with small limits, so the whole fault suite stays fast. A crawl that runs
    every fault at once shares two cores between them: give it a longer ``deadline`` so a
    big-but-finite body is not cut by the clock under load."""
    return (
        f'[archive]\npath = "{archive}"\n\n'
        "[fetch]\n"
        'user_agent = "scraper-faults/1.0 (+https://example.invalid/tests)"\n'
        f"timeout = 1.5\ndeadline = {deadline}\nretries = 1\nbackoff = 0.01\n"
        "max_retry_after = 5.0\n"
        "max_bytes = 10000000\nmax_redirects = 10\nconcurrency = 16\n"
        "per_host_concurrency = 8\nper_host_delay = 0.0\n\n"
        f"{sites}"
    )


def install_page_faults(server: FaultServer) -> None:
    """Route every page fault, and the articles their redirects lead to."""
    for fault in PAGE_FAULTS:
        server.route(fault.path, fault.handler)
    server.route_prefix("/r/chain/", _chain)
    for index in HEALTHY_TARGETS.values():
        server.route(article_path(index), static(article_html(index).encode()))


def rss(links: list[str], *, doctype: str = "", title: str = "Faults") -> bytes:
    """An RSS 2.0 feed listing ``links`` (absolute URLs)."""
    items = "".join(f"<item><title>{title}</title><link>{link}</link></item>" for link in links)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<rss version="2.0"><channel>'
            f"<title>{title}</title><link>http://127.0.0.1/</link>{items}</channel></rss>"
            ).encode()


def urlset(links: list[str], *, doctype: str = "") -> bytes:
    locs = "".join(f"<url><loc>{link}</loc></url>" for link in links)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            ).encode()


def sitemap_index(links: list[str]) -> bytes:
    refs = "".join(f"<sitemap><loc>{link}</loc></sitemap>" for link in links)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{refs}'
            "</sitemapindex>").encode()


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
              for n in range(1, 10))
    + "]>"
)
"""Nine levels of ten: ``&lol9;`` expands to 10^9 "lol"s (3 GB) if entities are expanded."""


def xxe_doctype(root: str, secret_path: str) -> str:
    return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{secret_path}">]>'


@dataclass(frozen=True)
class Finished:
    """A subprocess that ran to its end, with its own peak memory."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    """ru_maxrss from wait4: the process (and any children it reaped), in MB."""
    seconds: float


def run_measured(args: list[str], *, cwd: str, timeout: float = 240.0) -> Finished:
    """Run ``python -m scraper ARGS`` to completion; output via files, rusage via wait4."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([sys.executable, "-m", "scraper", *args], cwd=cwd,
                                   stdout=out, stderr=err, start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                raise AssertionError(f"scraper {' '.join(args)} still running after {timeout}s")
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Finished(returncode=process.returncode,
                        stdout=out.read().decode("utf-8", "replace"),
                        stderr=err.read().decode("utf-8", "replace"),
                        peak_rss_mb=usage.ru_maxrss / 1024, seconds=time.monotonic() - started)
