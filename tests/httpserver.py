"""A real HTTP server on 127.0.0.1 for tests: routes are data, every request is recorded.

    server = FixtureServer()
    server.route("/a/", Reply(body=b"<html>...", headers={"Content-Type": "text/html"}))
    server.route("/slow", lambda req: Reply(body=b"...", delay=3))
    with server:            # starts on a free port in a thread
        url = server.url("/a/")

A route's value is a ``Reply`` or a callable ``(Request) -> Reply``. A ``Reply`` whose body
is a callable gets the raw socket file to write to (for streamed / broken responses).
``server.requests`` lists every request; ``server.max_in_flight`` the peak concurrency.
A client hanging up (reset, broken pipe) is normal for a fetcher that stops reading; it is not
printed, because it would land in the stderr a test captures.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, BinaryIO


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    started: float
    host: str = ""


@dataclass
class Reply:
    status: int = 200
    body: bytes | Callable[[BinaryIO], None] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before sending anything."""


Route = Reply | Callable[[Request], Reply]


class _QuietServer(ThreadingHTTPServer):
    """Does not print a client's hang-up; any other handler error still prints."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class FixtureServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        """The loopback address it listens on (127.0.0.2... are other hosts on Linux)."""
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def route(self, path: str, reply: Route) -> None:
        self.routes[path] = reply

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def start(self) -> FixtureServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self)

        self._httpd = _QuietServer((self.host, 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        request = Request(
            method=handler.command,
            path=handler.path,
            headers={k.lower(): v for k, v in handler.headers.items()},
            started=time.monotonic(),
            host=handler.headers.get("Host", ""),
        )
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            route = self.routes.get(request.path) or self.routes.get(request.path.split("?")[0])
            if route is None:
                reply = Reply(
                    status=404,
                    body=b"<html><body>not found</body></html>",
                    headers={"Content-Type": "text/html"},
                )
            else:
                reply = route(request) if callable(route) else route
            if reply.delay:
                time.sleep(reply.delay)
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if callable(reply.body):
                handler.send_header("Connection", "close")
                handler.end_headers()
                with contextlib.suppress(OSError):
                    reply.body(handler.wfile)
                handler.close_connection = True
            else:
                if "content-length" not in {k.lower() for k in reply.headers}:
                    handler.send_header("Content-Length", str(len(reply.body)))
                handler.end_headers()
                with contextlib.suppress(OSError):
                    handler.wfile.write(reply.body)
        finally:
            with self._lock:
                self.in_flight -= 1


def html_reply(
    body: str | bytes,
    *,
    status: int = 200,
    charset: str | None = "utf-8",
    headers: dict[str, str] | None = None,
) -> Reply:
    data = body.encode(charset or "utf-8") if isinstance(body, str) else body
    content_type = "text/html" + (f"; charset={charset}" if charset else "")
    return Reply(
        status=status, body=data, headers={"Content-Type": content_type, **(headers or {})}
    )
