"""robots.txt: read once per host, and what it allows. One policy for the crawl and for
``scraper fetch``.

::

    read_robots(origin, settings, send=...)   robots.txt -> Robots (rules, or trouble)
    Robots.allows(url, agent)                 may this URL be fetched
    Robots.crawl_delay(agent)                 Crawl-delay, capped at MAX_CRAWL_DELAY
    check_robots(url, client, settings)       ``scraper fetch``'s gate: RobotsRefused or None

robots.txt is read in one attempt, up to :data:`MAX_ROBOTS_BYTES` (RFC 9309 §2.5: the rest is
ignored). The project's policy (README): one that answers 429 or 5xx means the host is in
trouble — the crawl skips the host for the run, ``scraper fetch`` refuses the URL; one that
cannot be reached at all (network error, timeout), a 4xx or an odd content type means no
rules. The crawl wraps the request in its host's pacing (``send``); a one-off fetch sends it
straight.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from protego import Protego

from scraper.config import FetchSettings
from scraper.errors import FetchError, RobotsRefused
from scraper.fetch import Document, HttpClient, RedirectCheck, fetch_document, server_in_trouble

MAX_CRAWL_DELAY = 300.0
"""A robots.txt Crawl-delay above this is capped (a run must end)."""
MAX_ROBOTS_BYTES = 512_000
"""robots.txt is read up to this size and the rest ignored (RFC 9309 §2.5: at least 500 KiB)."""

Call = Callable[[HttpClient], Awaitable[Document]]
Send = Callable[[str, FetchSettings, Call], Awaitable[Document]]
"""(robots.txt URL, its one-attempt settings, the fetch to make with a client) -> Document."""


def origin(url: str) -> str:
    """``scheme://host[:port]``, lower-cased: the site a robots.txt speaks for."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass(frozen=True, slots=True)
class Robots:
    """A host's robots.txt as read: its rules, or the trouble it answered with."""

    url: str
    """The robots.txt URL."""
    rules: Protego | None = None
    """None: no rules (robots.txt missing, unreachable, or in trouble)."""
    trouble: FetchError | None = None
    """A 429/5xx answer: the host must not be fetched now."""

    def allows(self, url: str, agent: str) -> bool:
        return self.trouble is None and (self.rules is None or self.rules.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float | None:
        delay = self.rules.crawl_delay(agent) if self.rules is not None else None
        return None if delay is None else min(float(delay), MAX_CRAWL_DELAY)


async def read_robots(site: str, settings: FetchSettings, *, send: Send,
                      redirect_check: RedirectCheck | None = None) -> Robots:
    """The robots.txt of ``site`` (an origin), by the module's policy. Never raises."""
    url = f"{origin(site)}/robots.txt"
    once = replace(settings, retries=0, max_bytes=min(settings.max_bytes, MAX_ROBOTS_BYTES))
    try:
        document = await send(url, once, lambda client: fetch_document(
            url, client=client, settings=once, redirect_check=redirect_check, truncate=True))
    except FetchError as error:
        return Robots(url, trouble=error if server_in_trouble(error) else None)
    return Robots(url, rules=Protego.parse(document.body.decode("utf-8", "replace")))


async def check_robots(url: str, client: HttpClient, settings: FetchSettings) -> None:
    """``scraper fetch``'s gate: ``RobotsRefused`` when robots.txt disallows ``url`` for our
    user agent, or answers 429/5xx (the crawl would skip the host). Crawl-delay does not
    matter for one request."""
    robots = await read_robots(url, settings, send=lambda _url, _once, call: call(client))
    if robots.trouble is not None:
        raise RobotsRefused(url, f"robots.txt answered HTTP {robots.trouble.status};"
                                 f" not fetching ({robots.url})")
    if not robots.allows(url, settings.user_agent):
        raise RobotsRefused(url, f"disallowed by robots.txt ({robots.url})")
