"""The HTTP client: one per run (the crawler: one per host), made here and passed in."""

from __future__ import annotations

import httpx

from scraper.config import FetchSettings
from scraper.fetch.exchange import hand_back_redirects

HttpClient = httpx.AsyncClient
"""The client type, for modules that hold clients made by :func:`make_client`."""


def make_client(
    settings: FetchSettings, *, max_connections: int | None = None
) -> httpx.AsyncClient:
    """The HTTP client for one run: honest User-Agent, timeouts, a small pool, and redirects
    left to :mod:`scraper.fetch.redirects`."""
    limit = max_connections or max(1, min(settings.concurrency, 10))
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=False,
        limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
        event_hooks={"response": [hand_back_redirects]},
    )
