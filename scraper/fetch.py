"""URL -> Page. The only module that imports httpx.

One ``httpx.AsyncClient`` per run, made by :func:`make_client` and passed in (never global).
Redirects are followed here, hop by hop, so every hop's scheme (and, for the crawler, its
host) can be checked. The body is read as a stream and cut off past ``max_bytes`` of
*decoded* bytes, so a gzip bomb cannot fill memory. ``timeout`` bounds each network
operation; ``deadline`` bounds the whole request, so a server trickling a byte a second is
cut off too. Every failure is a ``FetchError`` carrying the URL, the reason and the HTTP
status if there was one.
"""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import random
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from scraper.config import FetchSettings
from scraper.encoding import charset_from_content_type, decode_html
from scraper.errors import FetchError
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
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})

RedirectCheck = Callable[[str, str], str | None | Awaitable[str | None]]
"""(from_url, to_url) -> None if the hop is allowed, else the reason it is refused."""


def make_client(
    settings: FetchSettings, *, max_connections: int | None = None
) -> httpx.AsyncClient:
    """The HTTP client for one run: honest User-Agent, timeouts, a small pool."""
    limit = max_connections or max(1, min(settings.concurrency, 10))
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(settings.timeout),
        follow_redirects=False,
        limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
        event_hooks={"response": [_check_location]},
    )


async def _check_location(response: httpx.Response) -> None:
    """Refuse a redirect to a non-http(s) URL before httpx parses it for ``next_request``
    (where a ``javascript:`` Location raises a bare ``httpx.InvalidURL``)."""
    location = response.headers.get("location")
    if location and response.status_code in (301, 302, 303, 307, 308):
        source = str(response.request.url)
        check_url_for_redirect(source, urljoin(source, location.strip()), response.status_code)


def check_url(url: str) -> None:
    """Refuse anything that is not an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError(url, f"invalid URL ({exc})") from exc
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            url, f"unsupported scheme {parts.scheme or '(none)'!r}: only http and https"
        )
    if not parts.hostname:
        raise FetchError(url, "invalid URL: no host")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Retry-After as seconds (it may be a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_delay(error: FetchError, attempt: int, settings: FetchSettings) -> float | None:
    """Seconds to wait before retrying after ``error`` (attempt counts from 1), or None."""
    if attempt > settings.retries:
        return None
    if error.status is not None and error.status not in RETRY_STATUSES:
        return None
    if error.status is None and not error.reason.startswith(("timed out", "connection")):
        return None
    if error.retry_after is not None:
        if error.retry_after > settings.max_retry_after:
            return None
        return float(error.retry_after)
    base: float = settings.backoff * pow(2.0, attempt - 1)
    return base + random.uniform(0, base / 4)  # jitter so retries do not align


def _describe(exc: BaseException) -> str:
    """The first non-empty message down the cause chain ("Connection reset by peer"),
    since httpx's ReadError often has none of its own."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        if str(seen):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return type(exc).__name__


def _translate(url: str, exc: httpx.HTTPError) -> FetchError:
    text = _describe(exc)
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(url, f"timed out ({type(exc).__name__})")
    if isinstance(exc, httpx.ConnectError):
        lowered = text.lower()
        if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
            return FetchError(url, f"connection failed: DNS lookup failed ({text})")
        if "refused" in lowered:
            return FetchError(url, "connection refused")
        return FetchError(url, f"connection failed: {text}")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return FetchError(url, f"connection broken mid-response: {text}")
    if isinstance(exc, httpx.DecodingError):
        return FetchError(url, f"undecodable content encoding: {text}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return FetchError(url, f"invalid URL: {text}")
    return FetchError(url, f"HTTP error: {text}")


async def _read_capped(
    response: httpx.Response, url: str, max_bytes: int, *, truncate: bool = False
) -> bytes:
    declared = response.headers.get("content-length", "")
    if (
        not truncate
        and declared.isdigit()
        and int(declared) > max_bytes
        and "content-encoding" not in response.headers
    ):
        raise FetchError(
            url,
            f"too large: Content-Length {int(declared):,} > {max_bytes:,} bytes",
            status=response.status_code,
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > max_bytes:
            if truncate:
                chunks.append(chunk[: max_bytes - size])
                break
            raise FetchError(
                url, f"too large: more than {max_bytes:,} bytes", status=response.status_code
            )
        size += len(chunk)
        chunks.append(chunk)
    return b"".join(chunks)


async def fetch_bytes(
    url: str,
    *,
    client: httpx.AsyncClient,
    settings: FetchSettings,
    accept: Collection[str] = HTML_TYPES,
    etag: str | None = None,
    last_modified: str | None = None,
    redirect_check: RedirectCheck | None = None,
    truncate: bool = False,
) -> tuple[httpx.Response, bytes, str]:
    """GET ``url`` following redirects; returns (last response, body bytes, final URL).

    A 304 (when ``etag``/``last_modified`` were given) returns an empty body. The whole
    exchange (every hop, headers and body) must finish within ``settings.deadline``.
    With ``truncate`` a body over ``max_bytes`` is cut there instead of refused.
    """
    check_url(url)
    try:
        async with asyncio.timeout(settings.deadline):
            return await _follow(url, client=client, settings=settings, accept=accept,
                                 etag=etag, last_modified=last_modified,
                                 redirect_check=redirect_check, truncate=truncate)
    except TimeoutError as exc:
        raise FetchError(
            url, f"timed out: no complete response within {settings.deadline:g} s"
        ) from exc


async def _follow(
    url: str,
    *,
    client: httpx.AsyncClient,
    settings: FetchSettings,
    accept: Collection[str],
    etag: str | None,
    last_modified: str | None,
    redirect_check: RedirectCheck | None,
    truncate: bool,
) -> tuple[httpx.Response, bytes, str]:
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    seen: set[str] = set()
    for _ in range(settings.max_redirects + 1):
        seen.add(current)
        try:
            async with client.stream("GET", current, headers=headers) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(
                            current, f"HTTP {status} redirect without Location", status=status
                        )
                    target = urljoin(current, location.strip())
                    check_url_for_redirect(current, target, status)
                    if redirect_check is not None and (why := await _verdict(current, target,
                                                                            redirect_check)):
                        raise FetchError(url, f"redirect to {target} refused: {why}", status=status)
                    if target in seen:
                        raise FetchError(url, f"redirect loop at {target}", status=status)
                    current = target
                    continue
                if status == 304:
                    return response, b"", current
                if status >= 400:
                    raise FetchError(
                        current,
                        f"HTTP {status} {response.reason_phrase}".rstrip(),
                        status=status,
                        retry_after=parse_retry_after(response.headers.get("retry-after")),
                    )
                media = _media_type(response.headers.get("content-type"))
                if media and media not in accept:
                    raise FetchError(current, f"not HTML: Content-Type {media}", status=status)
                data = await _read_capped(response, current, settings.max_bytes,
                                          truncate=truncate)
                return response, data, current
        except httpx.HTTPError as exc:
            raise _translate(current, exc) from exc
        except httpx.InvalidURL as exc:  # not an HTTPError: a URL httpx cannot send to
            raise FetchError(current, f"invalid URL: {exc}") from exc
    raise FetchError(url, f"too many redirects (more than {settings.max_redirects})")


async def _verdict(source: str, target: str, check: RedirectCheck) -> str | None:
    """A redirect check's answer; a check may need I/O (a DNS lookup) and return an awaitable."""
    verdict = check(source, target)
    if inspect.isawaitable(verdict):
        return await verdict
    return verdict


def check_url_for_redirect(source: str, target: str, status: int | None = None) -> None:
    try:
        check_url(target)
    except FetchError as exc:
        raise FetchError(
            source, f"redirect to {target} refused: {exc.reason}", status=status
        ) from exc


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
) -> Page:
    """Fetch one HTML page (no retries: see :func:`fetch_page_with_retries`)."""
    response, data, final_url = await fetch_bytes(
        url,
        client=client,
        settings=settings,
        etag=etag,
        last_modified=last_modified,
        redirect_check=redirect_check,
    )
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    content_type = response.headers.get("content-type", "")
    if response.status_code == 304:
        return Page(
            url=final_url,
            html="",
            requested_url=url,
            status=304,
            fetched_at=fetched_at,
            etag=response.headers.get("etag") or etag,
            last_modified=response.headers.get("last-modified") or last_modified,
        )
    if not data.strip():
        raise FetchError(final_url, "empty response body", status=response.status_code)
    if _looks_binary(data):
        raise FetchError(final_url, "not HTML: binary content", status=response.status_code)
    html, encoding = decode_html(data, declared=charset_from_content_type(content_type))
    return Page(
        url=final_url,
        html=html,
        requested_url=url,
        status=response.status_code,
        encoding=encoding,
        content_type=_media_type(content_type) or "text/html",
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        fetched_at=fetched_at,
    )


async def fetch_page_with_retries(
    url: str,
    *,
    client: httpx.AsyncClient,
    settings: FetchSettings,
    on_retry: Callable[[FetchError, float], None] | None = None,
) -> Page:
    """Fetch with backoff on connect errors, timeouts, 429 and 5xx; Retry-After honoured."""
    attempt = 0
    while True:
        try:
            return await fetch_page(url, client=client, settings=settings)
        except FetchError as error:
            attempt += 1
            delay = retry_delay(error, attempt, settings)
            if delay is None:
                raise
            if on_retry is not None:
                on_retry(error, delay)
            await asyncio.sleep(delay)


HttpClient = httpx.AsyncClient
"""The client type, for modules that hold clients made by :func:`make_client`."""


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
    response, data, final_url = await fetch_bytes(
        url, client=client, settings=settings, accept=accept, etag=etag,
        last_modified=last_modified, redirect_check=redirect_check, truncate=truncate,
    )
    not_modified = response.status_code == 304
    return Document(
        url=final_url,
        requested_url=url,
        status=response.status_code,
        body=data,
        content_type=_media_type(response.headers.get("content-type")),
        etag=response.headers.get("etag") or (etag if not_modified else None),
        last_modified=response.headers.get("last-modified")
        or (last_modified if not_modified else None),
    )
