"""The HTTP client: one per run (the crawler: one per host), made here and passed in."""

from __future__ import annotations

import httpx

from scraper.config import FetchSettings
from scraper.fetch.exchange import hand_back_redirects
from scraper.fetch.recording import Recorder


class HttpClient(httpx.AsyncClient):
    """An httpx client that may carry a :class:`~scraper.fetch.recording.Recorder`: every
    exchange read through it is handed to the recorder (``scraper.fetch.exchange``)."""

    recorder: Recorder | None = None


def make_client(
    settings: FetchSettings, *, max_connections: int | None = None,
    recorder: Recorder | None = None,
) -> HttpClient:
    """The HTTP client for one run: honest User-Agent, timeouts, a small pool, and redirects
    left to :mod:`scraper.fetch.redirects`; ``recorder`` keeps every exchange (captures).
    ``settings``' extra headers, cookies and proxy go with every request."""
    limit = max_connections or max(1, min(settings.concurrency, 10))
    client = HttpClient(
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate",
                 **dict(settings.headers)},
        cookies=dict(settings.cookies),
        proxy=settings.proxy,
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=False,
        limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
        event_hooks={"response": [hand_back_redirects]},
    )
    client.recorder = recorder
    return client
