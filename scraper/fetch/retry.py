"""The one retry policy: what is worth trying again, when, and the loop that does it.

::

    is_retryable(error)       now, within this request: a timeout, a network error, 429/5xx
    retry_delay(error, n, s)  seconds before attempt n+1: Retry-After, else backoff + jitter
    with_retries(call, ...)   the loop, used by ``scraper fetch`` and the crawler alike
    retry_next_run(error)     the crawl tries the URL again next run (``failures.retry``)
    server_in_trouble(error)  a robots.txt answer that makes the crawl skip the host

Decisions read the error's type and HTTP status (``scraper.errors``), never its message.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC
from typing import TypeVar

from scraper.config import FetchSettings
from scraper.errors import FetchError, FetchTimeout, HttpStatusError, NetworkError

T = TypeVar("T")

RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses worth another attempt (scrapy's RETRY_HTTP_CODES, less 408 and 522/524)."""

OnRetry = Callable[[FetchError, float], None]
"""(the error, seconds before the next attempt): told before each wait."""
Pause = Callable[[FetchError, float], Awaitable[None]]
"""How to wait before the next attempt (the crawler pauses the host instead of sleeping)."""


def is_retryable(error: FetchError) -> bool:
    """Worth another attempt now: a timeout, a network error, or a 429/5xx answer."""
    if isinstance(error, FetchTimeout | NetworkError):
        return True
    return isinstance(error, HttpStatusError) and error.status in RETRY_STATUSES


def retry_next_run(error: FetchError) -> bool:
    """Worth trying again next run: no HTTP answer was kept (``status`` is None: network,
    timeout, a skipped host...), or the server answered 429/5xx."""
    return error.status is None or (
        isinstance(error, HttpStatusError) and error.status in RETRY_STATUSES
    )


def server_in_trouble(error: FetchError) -> bool:
    """The server answered, with a 429 or any 5xx."""
    return isinstance(error, HttpStatusError) and error.status is not None and (
        error.status == 429 or error.status >= 500
    )


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
    """Seconds to wait before retrying after ``error`` (attempt counts from 1), or None.

    A ``Retry-After`` wins over the backoff; one over ``max_retry_after`` fails at once.
    """
    if attempt > settings.retries or not is_retryable(error):
        return None
    if error.retry_after is not None:
        if error.retry_after > settings.max_retry_after:
            return None
        return float(error.retry_after)
    base: float = settings.backoff * pow(2.0, attempt - 1)
    return base + random.uniform(0, base / 4)  # jitter so retries do not align


async def _sleep(_error: FetchError, delay: float) -> None:
    await asyncio.sleep(delay)


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    settings: FetchSettings,
    on_retry: OnRetry | None = None,
    pause: Pause = _sleep,
) -> T:
    """``await call()``, again after each retryable ``FetchError`` as :func:`retry_delay` says.

    ``on_retry`` is told of each retry before the wait; ``pause`` waits (by default it
    sleeps). The last error is raised as it is. ``settings.retries = 0`` means one attempt.
    """
    attempt = 0
    while True:
        try:
            return await call()
        except FetchError as error:
            attempt += 1
            delay = retry_delay(error, attempt, settings)
            if delay is None:
                raise
            if on_retry is not None:
                on_retry(error, delay)
            await pause(error, delay)
