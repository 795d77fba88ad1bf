"""What a capture of one HTTP exchange is given: :class:`RawExchange`, and the
:class:`Recorder` that keeps it (``scraper.captures`` writes it to a WARC file).

A recorder is handed to :func:`scraper.fetch.make_client`; :mod:`scraper.fetch.exchange`, the
one place a response is read, calls it once per exchange (redirect hops, 304s, 4xx/5xx and
refused content types too: their status line and headers, without the body). It returns a
reference to the capture (the ``captures`` row id), which travels back on the ``Exchange``
(and the ``Page``) so the archive can link the article to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RawExchange:
    """One request and its answer as they went over the wire."""

    url: str
    """The URL as sent."""
    method: str
    target: str
    """The request line's target (path and query)."""
    request_headers: Headers
    http_version: str
    status: int
    reason: str
    headers: Headers
    """As received: in order, names as the server spelt them."""
    body: bytes
    """As received, de-chunked, still content-encoded."""
    started: datetime
    """When the request was sent (UTC)."""
    peer: str | None = None
    """The server's IP address, when the connection tells it."""
    truncated: bool = False
    """The body was not kept in full (a size cap, or not read: redirects, errors)."""


class Recorder(Protocol):
    """Keeps an exchange; returns a reference to the capture (or None if not kept).

    Awaited on the event loop: heavy work (compressing a large body) belongs in a thread."""

    async def __call__(self, exchange: RawExchange) -> int | None: ...
