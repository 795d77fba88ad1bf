"""A GET request: URL check, deadline, conditional GET, redirects -> :class:`Response`.

``timeout`` (in the client) bounds each network operation; ``deadline`` here bounds the whole
request, every redirect hop, headers and body, so a server trickling a byte a second is cut
off too. ``etag``/``last_modified`` make it conditional: a 304 comes back without a body,
carrying the validators that were sent unless the server sent new ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass

import httpx

from scraper.config import FetchSettings
from scraper.errors import FetchTimeout
from scraper.fetch.exchange import Exchange
from scraper.fetch.redirects import RedirectCheck, check_url, follow_redirects


@dataclass(frozen=True, slots=True)
class Response:
    """The last exchange of a request, with the validators to send next time."""

    url: str
    """The final URL, after redirects."""
    requested_url: str
    exchange: Exchange
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.exchange.status == 304


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


async def get(
    url: str,
    *,
    client: httpx.AsyncClient,
    settings: FetchSettings,
    accept: Collection[str],
    etag: str | None = None,
    last_modified: str | None = None,
    redirect_check: RedirectCheck | None = None,
    truncate: bool = False,
) -> Response:
    """GET ``url`` following redirects, within ``settings.deadline``.

    With ``truncate`` a body over ``max_bytes`` is cut there instead of refused.
    """
    check_url(url)
    try:
        async with asyncio.timeout(settings.deadline):
            final_url, answer = await follow_redirects(
                url, client=client, settings=settings, accept=accept,
                headers=conditional_headers(etag, last_modified),
                redirect_check=redirect_check, truncate=truncate,
            )
    except TimeoutError as exc:
        raise FetchTimeout(
            url, f"timed out: no complete response within {settings.deadline:g} s"
        ) from exc
    if answer.status == 304:  # the validators sent still hold unless new ones came
        etag = answer.header("etag") or etag
        last_modified = answer.header("last-modified") or last_modified
    else:
        etag, last_modified = answer.header("etag"), answer.header("last-modified")
    return Response(url=final_url, requested_url=url, exchange=answer, etag=etag,
                    last_modified=last_modified)
