"""What is due this run: one function, :func:`plan`, for the real run and the dry run alike.

Both plan from the same inputs: every link the site's listings name (a listing that answers
304 stands for the links it named when last read) and the same archive. So what a dry run lists
is what the real run fetches.

A candidate robots.txt allows is fetched when

- it is not archived: ``new``; or ``retry`` when it failed before, for a passing reason
  (``failures.retry = 1``: a network error, a timeout, HTTP 429/5xx, a dead extraction worker,
  a database error) — at most :data:`RETRY_LIMIT` runs in all;
- it is archived and ``refresh_after`` has passed since it was last fetched: ``refresh``
  (failed refreshes count against :data:`RETRY_LIMIT` the same way, from that fetch on).

A URL that failed for a lasting reason (``failures.retry = 0``: 404, 410, 403, not HTML, too
large, a refused redirect, no article text...) is not fetched again (an archived one: not
until it is fetched some other way, e.g. ``scraper fetch --save``). New ones first, then
retries, then refreshes, at most ``max_articles`` (the run's override, else the site's); the
rest waits for the next run, where the listings (or the copies a 304 stands for) name them
again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from scraper.archive.crawlstate import SiteCounts, UrlStanding
from scraper.crawl.hosts import Verdict
from scraper.crawl.parse import Candidate
from scraper.crawl.report import FetchReason

RETRY_LIMIT = 5
"""Runs in which a URL may fail for a passing reason before the crawl gives it up."""
PLAN_BATCH = 200
"""Candidates looked up in the archive at once; the event loop gets a turn between batches
(a feed may list 100,000)."""

Choice = tuple[Candidate, FetchReason]
RobotsCheck = Callable[[str], Awaitable[Verdict]]


class History(Protocol):
    """What planning asks the archive (``CrawlState`` answers it)."""

    def standings(self, urls: Sequence[str]) -> list[UrlStanding]: ...


class NoHistory:
    """No archive yet (a dry run before the first run): everything is new."""

    def standings(self, urls: Sequence[str]) -> list[UrlStanding]:
        return [UrlStanding() for _url in urls]


def due_for_refresh(last_fetched: str | None, refresh_after: float | None,
                    now: datetime) -> bool:
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
    return (now - when).total_seconds() >= refresh_after


def reason_to_fetch(standing: UrlStanding, *, refresh_after: float | None,
                    now: datetime) -> FetchReason | None:
    """Why this URL is fetched this run, or None (the module docstring's rules)."""
    if standing.lasting_failure or standing.passing_failures >= RETRY_LIMIT:
        return None
    if standing.article_id is None:
        return "retry" if standing.passing_failures else "new"
    if due_for_refresh(standing.last_fetched, refresh_after, now):
        return "refresh"
    return None


async def plan(candidates: Sequence[Candidate], *, robots: RobotsCheck, history: History,
               refresh_after: float | None, cap: int, counts: SiteCounts,
               now: datetime | None = None) -> list[Choice]:
    """Which candidates to fetch, in order; ``counts.skipped_robots`` grows as robots.txt
    refuses. ``now``: the time refreshes are due by (default: now)."""
    now = now or datetime.now(UTC)
    chosen: dict[FetchReason, list[Choice]] = {"new": [], "retry": [], "refresh": []}
    for start in range(0, len(candidates), PLAN_BATCH):
        allowed: list[Candidate] = []
        for candidate in candidates[start:start + PLAN_BATCH]:
            verdict = await robots(candidate.url)
            if verdict == "disallowed":
                counts.skipped_robots += 1
            elif verdict == "allowed":
                allowed.append(candidate)  # a skipped host's wait for the next run
        standings = history.standings([candidate.url for candidate in allowed])
        for candidate, standing in zip(allowed, standings, strict=True):
            reason = reason_to_fetch(standing, refresh_after=refresh_after, now=now)
            if reason is not None:
                chosen[reason].append((candidate, reason))
        await asyncio.sleep(0)  # let other sites' requests go on
    return [*chosen["new"], *chosen["retry"], *chosen["refresh"]][:cap]
