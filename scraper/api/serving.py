"""``Archive.serve``: the archive in Datasette (the ``serve`` extra), from Python.

A notebook wants the server beside it, not instead of it: :meth:`ArchiveServer.start` runs
it in a background thread and returns once it listens (``url`` to open, ``stop()`` to end
it, or a ``with`` block); ``scraper serve`` calls :meth:`ArchiveServer.run`, which serves in
the calling thread until Ctrl-C, as ``datasette serve`` does. Both run the same Datasette
instance (``datasette``: our metadata and plugin, short cells, short facets) under uvicorn.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import socket
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from scraper.archive.datasette_site import datasette_metadata
from scraper.errors import MissingExtra, ScraperError

PREVIEW_CHARS = 300
"""Longest cell in a table page (a body's preview); the full text is one click away."""
FACET_VALUES = 8
"""Values listed per facet; with no suggested facets, the first screen reaches the rows."""
SETTINGS: dict[str, Any] = {
    "truncate_cells_html": PREVIEW_CHARS, "default_page_size": 50,
    "default_facet_size": FACET_VALUES, "suggest_facets": False,
}
"""Datasette settings of the archive's site."""
START_TIMEOUT = 30.0
"""Seconds :meth:`ArchiveServer.start` waits for the server to listen."""


def _register_plugin() -> ModuleType:
    """Our plugin (scraper.archive.datasette_site.plugin), registered with Datasette once."""
    plugin = importlib.import_module("scraper.archive.datasette_site.plugin")
    manager = importlib.import_module("datasette.plugins").pm
    if not manager.is_registered(plugin):
        manager.register(plugin, name="scraper")
    return plugin


def _check_can_listen(host: str, port: int) -> None:
    """One clear line now rather than a server log later."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise ScraperError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


class ArchiveServer:
    """Datasette serving one archive file on ``host:port`` (made by :meth:`Archive.serve
    <scraper.Archive.serve>`): the home page leads to the ranked search and the articles
    table. ``port=0`` takes a free port; ``port`` and ``url`` then say which.

    >>> import scraper, tempfile, pathlib, urllib.request, json
    >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "news.db") as db:
    ...     with db.serve(port=0) as server:
    ...         with urllib.request.urlopen(server.url + "news/articles.json?_shape=array") as r:
    ...             print(r.status, json.load(r))
    200 []
    >>> server.running
    False
    """

    def __init__(self, path: str | Path, *, host: str = "127.0.0.1", port: int = 8001,
                 log_level: str = "warning") -> None:
        if importlib.util.find_spec("datasette") is None:
            raise MissingExtra("Archive.serve", "datasette", "serve")
        _check_can_listen(host, port)
        path = Path(path)
        plugin = _register_plugin()
        datasette = importlib.import_module("datasette.app").Datasette
        uvicorn = importlib.import_module("uvicorn")
        metadata = datasette_metadata(path.stem, database_path=plugin.database_path(path.stem))
        self.datasette: Any = datasette([str(path)], metadata=metadata, settings=dict(SETTINGS))
        """The ``datasette.app.Datasette`` instance (``datasette.client`` asks it without HTTP)."""
        self.host = host
        self._port = port
        self._server: Any = uvicorn.Server(uvicorn.Config(
            self.datasette.app(), host=host, port=port, log_level=log_level, lifespan="on",
            workers=1))
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port listened on (the one given, or the one taken for ``port=0``)."""
        for server in getattr(self._server, "servers", None) or ():
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        return self._port

    @property
    def url(self) -> str:
        """The home page, ``http://HOST:PORT/``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def running(self) -> bool:
        """Listening now."""
        return bool(self._server.started) and not self._server.should_exit

    async def _serve(self) -> None:
        await self.datasette.invoke_startup()
        await self._server.serve()

    def run(self) -> None:
        """Serve in this thread until Ctrl-C (or SIGTERM): what ``scraper serve`` does.

        >>> import scraper, tempfile, pathlib, threading, time
        >>> db = scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "news.db")
        >>> server = scraper.ArchiveServer(db.path, port=0)
        >>> threading.Timer(0.5, server.stop).start()
        >>> server.run()   # returns when stopped
        >>> db.close()

        Inside a running event loop (a notebook) it refuses: use :meth:`start` there.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(self._serve())
            return
        raise ScraperError("ArchiveServer.run was called inside a running event loop:"
                           " serve in the background there (Archive.serve(), or start())")

    def start(self) -> ArchiveServer:
        """Serve in a background thread; return once listening (``ScraperError`` if it
        cannot start within ``START_TIMEOUT`` seconds).

        >>> import scraper, tempfile, pathlib
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "news.db") as db:
        ...     server = scraper.ArchiveServer(db.path, port=0).start()
        ...     server.running, server.url.startswith("http://127.0.0.1:")
        ...     server.stop()
        (True, True)
        """
        thread = threading.Thread(target=self.run, name="scraper-serve", daemon=True)
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ScraperError(f"cannot serve the archive on {self.host}:{self._port}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving (and wait for the background thread, if started there).

        >>> import scraper, tempfile, pathlib
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "news.db") as db:
        ...     server = db.serve(port=0)
        ...     server.stop()
        ...     server.running
        False
        """
        self._server.should_exit = True
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=START_TIMEOUT)

    def __enter__(self) -> ArchiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
