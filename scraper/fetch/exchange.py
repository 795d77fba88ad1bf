"""One HTTP exchange: a GET, its status line, headers and capped body -> :class:`Exchange`.

The single place a response is read, and where httpx's errors become ours (``scraper.errors``)::

    redirect (301/302/303/307/308), 304   -> Exchange without a body (the caller decides)
    4xx, 5xx                              -> HttpStatusError (status, Retry-After)
    Content-Type not accepted             -> UnsupportedContent
    body over max_bytes (decoded)         -> TooLarge, or cut there with ``truncate``
    timeout / network / encoding error    -> FetchTimeout / NetworkError / UndecodableBody

The body is read raw (de-chunked, still content-encoded: what a capture keeps) and decoded
here (:mod:`scraper.fetch.decoding`), cut off past ``max_bytes`` of *decoded* bytes, so a gzip
bomb cannot fill memory. A client made with a recorder (:mod:`scraper.fetch.recording`) is
given every exchange read here, the raw request and answer, and its capture reference comes
back on the ``Exchange``. Redirects are not followed here: :func:`hand_back_redirects`, a
response hook of every client :func:`scraper.fetch.make_client` makes, returns a redirect to
the caller before httpx parses its Location (a ``javascript:`` one would raise a bare
``httpx.InvalidURL``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx

from scraper.errors import (
    FetchError,
    FetchTimeout,
    HttpStatusError,
    InvalidUrl,
    NetworkError,
    TooLarge,
    UndecodableBody,
    UnsupportedContent,
)
from scraper.fetch.decoding import BadEncoding, ContentDecoder
from scraper.fetch.recording import RawExchange, Recorder
from scraper.fetch.retry import parse_retry_after

REDIRECT_STATUSES: frozenset[int] = frozenset({301, 302, 303, 307, 308})
ERROR_BODY_MAX = 256_000
"""Bytes of an error answer's HTML kept on its ``HttpStatusError``: enough to tell a bot
challenge (403/429/503) from a plain error."""


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request's answer as received: status line, headers, body."""

    url: str
    """The URL as sent (httpx's normal form of the one asked for)."""
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    """As received: in order, names as the server spelt them, repeats kept."""
    body: bytes = b""
    """Content-Encoding removed, at most ``max_bytes``; empty for a redirect or a 304."""
    capture: int | None = None
    """The capture of this exchange (a ``captures`` row id), when the client records."""

    def header(self, name: str) -> str | None:
        """A header's value (several values joined with ", ", as httpx does), or None."""
        name = name.lower()
        values = [value for key, value in self.headers if key.lower() == name]
        return ", ".join(values) if values else None


def media_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


class _RedirectAnswer(Exception):
    """Carries a redirect out of httpx's response hooks, unparsed."""

    def __init__(self, exchange: Exchange, response: httpx.Response) -> None:
        super().__init__(exchange.url)
        self.exchange = exchange
        self.response = response


async def hand_back_redirects(response: httpx.Response) -> None:
    """Response hook: a redirect goes back to our redirect loop as it is.

    After the hooks, httpx parses a redirect's Location to build ``next_request`` even when
    it does not follow it; a ``javascript:`` Location makes that raise a bare
    ``httpx.InvalidURL``, before our loop could refuse it with a reason.
    """
    if response.has_redirect_location:
        raise _RedirectAnswer(_record(response), response)


def _record(response: httpx.Response, body: bytes = b"") -> Exchange:
    encoding = response.headers.encoding
    return Exchange(
        url=str(response.request.url),
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=tuple((key.decode(encoding), value.decode(encoding))
                      for key, value in response.headers.raw),
        body=body,
    )


async def exchange(
    client: httpx.AsyncClient,
    url: str,
    *,
    headers: Mapping[str, str],
    accept: Collection[str],
    max_bytes: int,
    truncate: bool = False,
) -> Exchange:
    """GET ``url`` once (no redirects followed); errors name ``url``."""
    recorder: Recorder | None = getattr(client, "recorder", None)
    started = datetime.now(UTC)
    try:
        async with client.stream("GET", url, headers=headers) as response:
            try:
                answer, raw, cut = await _receive(response, url, accept=accept,
                                                  max_bytes=max_bytes, truncate=truncate)
            except FetchError:  # an answer refused before its body: status line and headers
                await _keep(recorder, response, b"", started, truncated=True)
                raise
            return replace(answer, capture=await _keep(recorder, response, raw, started,
                                                       truncated=cut))
    except _RedirectAnswer as answer:
        capture = await _keep(recorder, answer.response, b"", started, truncated=True)
        return replace(answer.exchange, capture=capture)
    except httpx.HTTPError as exc:
        raise _translate(url, exc) from exc
    except httpx.InvalidURL as exc:  # not an HTTPError: a URL httpx cannot send to
        raise InvalidUrl(url, f"invalid URL: {exc}") from exc


async def _keep(recorder: Recorder | None, response: httpx.Response, body: bytes,
                started: datetime, *, truncated: bool) -> int | None:
    """Hand the raw exchange to the recorder (if any): its capture reference."""
    if recorder is None:
        return None
    request = response.request
    encoding = response.headers.encoding
    stream = response.extensions.get("network_stream")
    address = stream.get_extra_info("server_addr") if stream is not None else None
    return await recorder(RawExchange(
        url=str(request.url), method=request.method,
        target=request.url.raw_path.decode("ascii", "replace"),
        request_headers=tuple((k.decode(encoding), v.decode(encoding))
                              for k, v in request.headers.raw),
        http_version=response.http_version, status=response.status_code,
        reason=response.reason_phrase,
        headers=tuple((k.decode(encoding), v.decode(encoding))
                      for k, v in response.headers.raw),
        body=body, started=started,
        peer=str(address[0]) if isinstance(address, tuple) and address else None,
        truncated=truncated and (bool(body) or _declares_body(response)),
    ))


def _declares_body(response: httpx.Response) -> bool:
    length = response.headers.get("content-length", "")
    return "transfer-encoding" in response.headers or (length.isdigit() and int(length) > 0)


async def _receive(response: httpx.Response, url: str, *, accept: Collection[str],
                   max_bytes: int, truncate: bool) -> tuple[Exchange, bytes, bool]:
    """The exchange (body decoded), the raw body, and whether the raw body is incomplete."""
    status = response.status_code
    if status in REDIRECT_STATUSES or status == 304:
        return _record(response), b"", False
    if status >= 400:
        raise HttpStatusError(
            url,
            f"HTTP {status} {response.reason_phrase}".rstrip(),
            status=status,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
            body=await _error_body(response, url),
            headers=tuple(response.headers.multi_items()),
        )
    media = media_type(response.headers.get("content-type"))
    if media and media not in accept:
        raise UnsupportedContent(url, f"not HTML: Content-Type {media}", status=status)
    body, raw, cut = await _read_capped(response, url, max_bytes, truncate=truncate)
    return _record(response, body), raw, cut


async def _error_body(response: httpx.Response, url: str) -> bytes:
    """The start of an error answer's HTML (a challenge page), or b"" if it has none."""
    if media_type(response.headers.get("content-type")) not in ("text/html", ""):
        return b""
    try:
        body, _raw, _cut = await _read_capped(response, url, ERROR_BODY_MAX, truncate=True)
    except (FetchError, httpx.HTTPError):
        return b""
    return body


async def _read_capped(
    response: httpx.Response, url: str, max_bytes: int, *, truncate: bool = False
) -> tuple[bytes, bytes, bool]:
    """(decoded body, raw body, whether it was cut short)."""
    declared = response.headers.get("content-length", "")
    if (
        not truncate
        and declared.isdigit()
        and int(declared) > max_bytes
        and "content-encoding" not in response.headers
    ):
        raise TooLarge(
            url,
            f"too large: Content-Length {int(declared):,} > {max_bytes:,} bytes",
            status=response.status_code,
        )
    decoder = ContentDecoder(response.headers.get("content-encoding"))
    raw: list[bytes] = []
    chunks: list[bytes] = []
    size = 0
    try:
        async for piece in response.aiter_raw():
            raw.append(piece)
            chunk = decoder.decode(piece)
            if size + len(chunk) > max_bytes:
                if truncate:
                    chunks.append(chunk[: max_bytes - size])
                    return b"".join(chunks), b"".join(raw), True
                raise TooLarge(url, f"too large: more than {max_bytes:,} bytes",
                               status=response.status_code)
            size += len(chunk)
            chunks.append(chunk)
        tail = decoder.flush()
    except BadEncoding as exc:
        raise UndecodableBody(url, f"undecodable content encoding: {exc}") from exc
    if size + len(tail) > max_bytes and not truncate:
        raise TooLarge(url, f"too large: more than {max_bytes:,} bytes",
                       status=response.status_code)
    chunks.append(tail[: max_bytes - size])
    return b"".join(chunks), b"".join(raw), size + len(tail) > max_bytes


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
        return FetchTimeout(url, f"timed out ({type(exc).__name__})")
    if isinstance(exc, httpx.ConnectError):
        lowered = text.lower()
        if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
            return NetworkError(url, f"connection failed: DNS lookup failed ({text})")
        if "refused" in lowered:
            return NetworkError(url, "connection refused")
        return NetworkError(url, f"connection failed: {text}")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return NetworkError(url, f"connection broken mid-response: {text}")
    if isinstance(exc, httpx.DecodingError):
        return UndecodableBody(url, f"undecodable content encoding: {text}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return InvalidUrl(url, f"invalid URL: {text}")
    return FetchError(url, f"HTTP error: {text}")
