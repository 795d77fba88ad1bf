"""Redirects, followed here hop by hop (never by httpx), in one loop.

Each hop's target is checked once, in order: a Location at all, an http(s) URL with a host,
the caller's :data:`RedirectCheck` (the crawler's guard: the site's hosts, no private
addresses), not seen before on this request; and at most ``max_redirects`` hops.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from urllib.parse import urljoin, urlsplit

import httpx

from scraper.config import FetchSettings
from scraper.errors import InvalidUrl, RedirectError, RedirectRefused
from scraper.fetch.exchange import REDIRECT_STATUSES, Exchange, exchange

RedirectCheck = Callable[[str, str], Awaitable[str | None]]
"""(from_url, to_url) -> None if the hop is allowed, else the reason it is refused."""


def check_url(url: str) -> None:
    """Refuse anything that is not an absolute http(s) URL with a host (``InvalidUrl``)."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidUrl(url, f"invalid URL ({exc})") from exc
    if parts.scheme not in ("http", "https"):
        raise InvalidUrl(
            url, f"unsupported scheme {parts.scheme or '(none)'!r}: only http and https"
        )
    if not parts.hostname:
        raise InvalidUrl(url, "invalid URL: no host")


async def follow_redirects(
    url: str,
    *,
    client: httpx.AsyncClient,
    settings: FetchSettings,
    headers: Mapping[str, str],
    accept: Collection[str],
    redirect_check: RedirectCheck | None = None,
    truncate: bool = False,
) -> tuple[str, Exchange]:
    """(final URL, its exchange): the first answer that is not a redirect."""
    current = url
    seen: set[str] = set()
    for _ in range(settings.max_redirects + 1):
        seen.add(current)
        answer = await exchange(client, current, headers=headers, accept=accept,
                                max_bytes=settings.max_bytes, truncate=truncate)
        if answer.status not in REDIRECT_STATUSES:
            return current, answer
        current = await _next_hop(url, current, answer, redirect_check, seen)
    raise RedirectError(url, f"too many redirects (more than {settings.max_redirects})")


async def _next_hop(url: str, current: str, answer: Exchange, redirect_check: RedirectCheck | None,
                    seen: set[str]) -> str:
    """Where the redirect ``answer`` (to a request for ``current``) leads, if it may be
    followed. Refusals of the target itself name the URL as sent; policy refusals, ``url``."""
    status = answer.status
    location = answer.header("location")
    if not location:
        raise RedirectError(current, f"HTTP {status} redirect without Location", status=status)
    target = urljoin(current, location.strip())
    try:
        check_url(target)
    except InvalidUrl as exc:
        raise RedirectRefused(
            answer.url, f"redirect to {target} refused: {exc.reason}", status=status
        ) from exc
    if redirect_check is not None and (why := await redirect_check(current, target)):
        raise RedirectRefused(url, f"redirect to {target} refused: {why}", status=status)
    if target in seen:
        raise RedirectError(url, f"redirect loop at {target}", status=status)
    return target
