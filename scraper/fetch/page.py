"""What a caller asks for: an HTML :class:`~scraper.models.Page`, or a :class:`Document`
(feed, sitemap, robots.txt) kept as bytes. No retries here: see
:func:`scraper.fetch.retry.with_retries`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from scraper.config import FetchSettings
from scraper.encoding import charset_from_content_type, decode_html
from scraper.errors import Blocked, EmptyBody, FetchError, HttpStatusError, UnsupportedContent
from scraper.fetch.exchange import media_type
from scraper.fetch.redirects import RedirectCheck
from scraper.fetch.request import get
from scraper.models import Page

HTML_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES: frozenset[str] = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-gzip",
        "application/gzip",
        "application/octet-stream",
        "text/plain",
        "text/html",
    }
)

WallCheck = Callable[[str, int, Sequence[tuple[str, str]]], tuple[str, str] | None]
"""(an error answer's HTML, its status, its headers) -> (wall kind, what it is) or None:
``scraper.extract.walls.error_page_wall`` as the crawl and ``scraper fetch`` pass it."""


def wall_error(error: HttpStatusError, walls: WallCheck | None) -> FetchError:
    """The error to raise for an error answer: ``Blocked`` when ``walls`` finds a challenge
    in its body, else the error itself."""
    if walls is None or not error.body or error.status is None:
        return error
    html, _encoding = decode_html(error.body, declared=charset_from_content_type(
        next((v for k, v in error.headers if k.lower() == "content-type"), "")))
    wall = walls(html, error.status, error.headers)
    if wall is None:
        return error
    kind, what = wall
    return Blocked(error.url, f"blocked: {what} (HTTP {error.status})", kind=kind,
                   status=error.status)


def _looks_binary(data: bytes) -> bool:
    head = data[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with BOM
    return b"\x00" in head


async def fetch_page(
    url: str,
    *,
    client: httpx.AsyncClient,
    settings: FetchSettings,
    etag: str | None = None,
    last_modified: str | None = None,
    redirect_check: RedirectCheck | None = None,
    walls: WallCheck | None = None,
) -> Page:
    """Fetch one HTML page (conditional GET: a 304 is a Page with no HTML).

    ``walls`` reads the HTML of a 4xx/5xx answer: a challenge page there is ``Blocked``
    (never retried), not an ``HttpStatusError``."""
    try:
        response = await get(url, client=client, settings=settings, accept=HTML_TYPES,
                             etag=etag, last_modified=last_modified,
                             redirect_check=redirect_check)
    except HttpStatusError as error:
        blocked = wall_error(error, walls)
        if blocked is error:
            raise
        raise blocked from error
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    answer = response.exchange
    if response.not_modified:
        return Page(url=response.url, html="", requested_url=url, status=304,
                    fetched_at=fetched_at, etag=response.etag,
                    last_modified=response.last_modified, capture=answer.capture)
    if not answer.body.strip():
        raise EmptyBody(response.url, "empty response body", status=answer.status)
    if _looks_binary(answer.body):
        raise UnsupportedContent(response.url, "not HTML: binary content", status=answer.status)
    content_type = answer.header("content-type") or ""
    html, encoding = decode_html(answer.body, declared=charset_from_content_type(content_type))
    return Page(
        url=response.url,
        html=html,
        requested_url=url,
        status=answer.status,
        encoding=encoding,
        content_type=media_type(content_type) or "text/html",
        etag=response.etag,
        last_modified=response.last_modified,
        fetched_at=fetched_at,
        capture=answer.capture,
        headers=answer.headers,
    )


@dataclass(frozen=True, slots=True)
class Document:
    """A fetched non-HTML body (feed, sitemap, robots.txt), kept as bytes."""

    url: str
    """The final URL, after redirects."""
    requested_url: str
    status: int
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


async def fetch_document(
    url: str,
    *,
    client: httpx.AsyncClient,
    settings: FetchSettings,
    accept: Collection[str] = XML_TYPES,
    etag: str | None = None,
    last_modified: str | None = None,
    redirect_check: RedirectCheck | None = None,
    truncate: bool = False,
) -> Document:
    """Fetch a feed, sitemap or robots.txt as bytes (conditional GET; a 304 has no body).

    With ``truncate``, only the first ``max_bytes`` are kept (robots.txt: RFC 9309 §2.5).
    """
    response = await get(url, client=client, settings=settings, accept=accept, etag=etag,
                             last_modified=last_modified, redirect_check=redirect_check,
                             truncate=truncate)
    answer = response.exchange
    return Document(
        url=response.url,
        requested_url=url,
        status=answer.status,
        body=answer.body,
        content_type=media_type(answer.header("content-type")),
        etag=response.etag or None,
        last_modified=response.last_modified or None,
    )
