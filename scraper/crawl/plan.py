"""What is due this run: one function, :func:`plan`, for the real run and the dry run alike.

A candidate is fetched when robots.txt allows it and it is not archived (``new``), or it is
archived and ``refresh_after`` has passed since it was last fetched (``refresh``); new ones
first, at most ``max_articles`` (the run's override, else the site's). Candidates left out
by a skipped host or by the cap are *held back*: their listings' validators are not stored,
so the next run sees them again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from scraper.archive import Archive
from scraper.archive.crawlstate import CrawlState, SiteCounts
from scraper.crawl.hosts import Verdict
from scraper.crawl.parse import Candidate
from scraper.crawl.report import FetchReason
from scraper.urls import url_key

PLAN_YIELD_EVERY = 500
"""Candidates planned between two yields to the event loop (a feed may list 100,000)."""

Choice = tuple[Candidate, FetchReason]
RobotsCheck = Callable[[str], Awaitable[Verdict]]


class History(Protocol):
    """What planning asks the archive."""

    def article_id(self, url: str) -> int | None: ...

    def last_fetched(self, article_id: int) -> str | None: ...


class ArchiveHistory:
    """The archive's answers."""

    def __init__(self, archive: Archive, state: CrawlState) -> None:
        self.archive = archive
        self.state = state

    def article_id(self, url: str) -> int | None:
        return self.archive.find_article_id(url)

    def last_fetched(self, article_id: int) -> str | None:
        return self.state.last_fetched(article_id)


class NoHistory:
    """No archive yet (a dry run before the first run): everything is new."""

    def article_id(self, url: str) -> int | None:
        return None

    def last_fetched(self, article_id: int) -> str | None:
        return None


@dataclass(frozen=True, slots=True)
class Plan:
    chosen: list[Choice]
    held_back: set[str] = field(default_factory=set)
    """URL keys not settled this run: a skipped host's, and those over the cap."""


def due_for_refresh(last_fetched: str | None, refresh_after: float | None) -> bool:
    if refresh_after is None:
        return False
    if not last_fetched:
        return True
    try:
        when = datetime.fromisoformat(last_fetched)
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (datetime.now(UTC) - when).total_seconds() >= refresh_after


async def plan(candidates: list[Candidate], *, robots: RobotsCheck, history: History,
               refresh_after: float | None, cap: int, counts: SiteCounts) -> Plan:
    """Which candidates to fetch; ``counts.skipped_robots`` grows as robots.txt refuses."""
    fresh: list[Choice] = []
    refresh: list[Choice] = []
    held_back: set[str] = set()
    for number, candidate in enumerate(candidates, 1):
        if number % PLAN_YIELD_EVERY == 0:
            await asyncio.sleep(0)  # let other sites' requests go on
        verdict = await robots(candidate.url)
        if verdict == "disallowed":
            counts.skipped_robots += 1
            continue
        if verdict == "host-skipped":
            held_back.add(url_key(candidate.url))
            continue
        article_id = history.article_id(candidate.url)
        if article_id is None:
            fresh.append((candidate, "new"))
            continue
        if due_for_refresh(history.last_fetched(article_id), refresh_after):
            refresh.append((candidate, "refresh"))
    ordered = fresh + refresh
    held_back.update(url_key(candidate.url) for candidate, _reason in ordered[cap:])
    return Plan(chosen=ordered[:cap], held_back=held_back)
