"""Politeness per host, across the whole run: one client each, concurrency slots, pacing,
Retry-After pauses and robots.txt.

At most ``per_host_concurrency`` requests to a host are in flight and their starts are at
least ``per_host_delay`` apart (robots.txt's Crawl-delay wins if larger); a 429/503
``Retry-After`` pauses that host only. Each host gets its own small HTTP client (a large
shared pool is slow: httpx #3215).

robots.txt is read once per host, through the host's slots, by :mod:`scraper.crawl.robots`
(the policy ``scraper fetch`` follows too): one that answers 429 or 5xx means the host is in
trouble, so it is skipped this run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Literal, TypeVar

from scraper.config import FetchSettings
from scraper.crawl.robots import Robots, origin, read_robots
from scraper.crawl.siterun import SiteRun
from scraper.errors import FetchError, HostSkipped
from scraper.fetch import HttpClient, make_client, with_retries

T = TypeVar("T")

Verdict = Literal["allowed", "disallowed", "host-skipped"]


class Host:
    """One origin: its client, its concurrency slots, its pacing and its robots.txt."""

    def __init__(self, origin: str, client: HttpClient, settings: FetchSettings) -> None:
        self.origin = origin
        self.client = client
        self.delay = settings.per_host_delay
        self.slots = asyncio.Semaphore(settings.per_host_concurrency)
        self.next_start = 0.0
        self.pacing = asyncio.Lock()
        self.robots: Robots | None = None
        self.robots_lock = asyncio.Lock()
        self.skipped: str | None = None
        """Why every request to this host is refused this run (robots.txt 429/5xx)."""

    def pause(self, seconds: float) -> None:
        """No request to this host starts for ``seconds`` (Retry-After)."""
        loop = asyncio.get_running_loop()
        self.next_start = max(self.next_start, loop.time() + seconds)

    async def back_off(self, error: FetchError, delay: float) -> None:
        """Wait before a retry: a Retry-After pauses the host (other hosts go on and this
        task waits for its next slot); a backoff sleeps this task only."""
        if error.retry_after is not None:
            self.pause(delay)
        else:
            await asyncio.sleep(delay)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self.slots:
            async with self.pacing:
                loop = asyncio.get_running_loop()
                wait = self.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.next_start = loop.time() + self.delay
            yield


class Hosts:
    """Every host of one run, made on first use; ``concurrency`` requests in flight in all."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.hosts: dict[str, Host] = {}
        self.global_slots = asyncio.Semaphore(settings.concurrency)

    def host(self, url: str) -> Host:
        key = origin(url)
        host = self.hosts.get(key)
        if host is None:
            client = make_client(self.settings, max_connections=self.settings.per_host_concurrency)
            host = self.hosts[key] = Host(key, client, self.settings)
        return host

    async def request(self, url: str, run: SiteRun, call: Callable[[HttpClient], Awaitable[T]],
                      *, settings: FetchSettings | None = None) -> T:
        """``call`` with the host's client, in its slots and pacing, retried as ``settings``
        (the run's by default) say; each retry is a ``retry`` event."""
        host = self.host(url)

        async def attempt() -> T:
            if host.skipped:
                raise HostSkipped(url, f"host skipped this run: {host.skipped}")
            async with host.slot(), self.global_slots:
                return await call(host.client)

        def on_retry(error: FetchError, delay: float) -> None:
            run.emit("retry", url, f"retrying in {delay:.1f}s: {error.reason}")

        return await with_retries(attempt, settings=settings or self.settings,
                                  on_retry=on_retry, pause=host.back_off)

    async def robots_verdict(self, url: str, run: SiteRun) -> Verdict:
        if not self.settings.respect_robots:
            return "allowed"
        host = self.host(url)
        async with host.robots_lock:
            if host.robots is None:
                host.robots = await self._load_robots(host, run)
        if host.skipped:
            return "host-skipped"
        return "allowed" if host.robots.allows(url, self.settings.user_agent) else "disallowed"

    async def _load_robots(self, host: Host, run: SiteRun) -> Robots:
        robots = await read_robots(
            host.origin, self.settings, redirect_check=run.redirect_check,
            send=lambda url, once, call: self.request(url, run, call, settings=once))
        if robots.trouble is not None:
            error = robots.trouble
            host.skipped = f"robots.txt answered HTTP {error.status}"
            run.fail(robots.url, "robots", f"{error.reason}: host skipped this run",
                     error.status)
        crawl_delay = robots.crawl_delay(self.settings.user_agent)
        if crawl_delay is not None and crawl_delay > host.delay:
            host.delay = crawl_delay
        return robots

    async def aclose(self) -> None:
        for host in self.hosts.values():
            await host.client.aclose()
