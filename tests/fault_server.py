"""A misbehaving HTTP/1.1 server on 127.0.0.1, and the listings and configs fault tests use.

Raw sockets, one thread per connection, so a handler can do what a broken server does:
hang before the headers, stall or trickle the body, close or reset the connection mid-body,
cut a chunked body short, lie in Content-Length, stream 2 GB or a gzip bomb (both generated
lazily, never held in memory)::

    with FaultServer() as server:
        server.route("/feed.xml", static(rss, "application/rss+xml"))
        install_page_faults(server)            # tests.fault_catalogue
        server.url(fault.path); server.count(fault.path)

Every request is recorded (``server.requests``). The faults, each with the outcome the
scraper must produce, are :mod:`tests.fault_catalogue`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
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


def fault_config(sites: str, *, archive: str = "archive.db", deadline: float = 3.0,
                 timeout: float = 1.5) -> str:
    """config.toml with small limits, so the whole fault suite stays fast. A crawl that runs
    every fault at once shares two cores between them: give it a longer ``deadline`` so a
    big-but-finite body is not cut by the clock under load, and a longer ``timeout`` so a
    connection opened while the crawl's event loop is held up (a retry, on a loaded CI
    machine) is not given up as a connect timeout."""
    return (
        f'[archive]\npath = "{archive}"\n\n'
        "[fetch]\n"
        'user_agent = "scraper-faults/1.0 (+https://example.invalid/tests)"\n'
        f"timeout = {timeout:g}\ndeadline = {deadline:g}\nretries = 1\nbackoff = 0.01\n"
        "max_retry_after = 5.0\n"
        "max_bytes = 10000000\nmax_redirects = 10\nconcurrency = 16\n"
        "per_host_concurrency = 8\nper_host_delay = 0.0\n\n"
        f"{sites}"
    )


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


_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "scraper", *sys.argv[2:]])
_pid, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs scraper as its grandchild. Linux carries a process's peak RSS across fork and exec,
so a child of the test process would report the test process's own size (500 MB and more
once pandas, pyarrow and Ray are loaded); forked from this small launcher, scraper's peak is
its own."""


def run_measured(args: list[str], *, cwd: str, timeout: float = 240.0) -> Finished:
    """Run ``python -m scraper ARGS`` to completion; output via files, its own peak RSS
    (kilobytes from wait4, reported by the launcher)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory() as scratch:
        peak_file = os.path.join(scratch, "maxrss")
        process = subprocess.Popen([sys.executable, "-c", _LAUNCHER, peak_file, *args],
                                   cwd=cwd, stdout=out, stderr=err, start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, _usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                raise AssertionError(f"scraper {' '.join(args)} still running after {timeout}s")
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        with open(peak_file) as report:
            peak_kb = int(report.read())
        return Finished(returncode=process.returncode,
                        stdout=out.read().decode("utf-8", "replace"),
                        stderr=err.read().decode("utf-8", "replace"),
                        peak_rss_mb=peak_kb / 1024, seconds=time.monotonic() - started)
