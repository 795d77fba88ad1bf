"""What a run tells: events as it goes, a :class:`RunReport` at the end."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from scraper.archive.crawlstate import RunStatus, SiteCounts

EventKind = Literal[
    "run-start", "site-start", "listing", "planned", "article", "retry", "failure",
    "site-blocked", "site-done", "run-done",
]
FetchReason = Literal["new", "retry", "refresh"]
"""Why an article is fetched: not archived yet, not archived and failed before for a passing
reason, or archived and due for a refresh (`scraper.crawl.plan`)."""


@dataclass(frozen=True, slots=True)
class CrawlEvent:
    """One thing that happened during a run, for progress displays and logs
    (``scraper.crawl(..., on_event=...)`` hears each).

    >>> import scraper
    >>> event = scraper.CrawlEvent("article", site="local", url="https://news.example/a/",
    ...                            message="new")
    >>> event.kind, event.message
    ('article', 'new')
    """

    kind: EventKind
    site: str | None = None
    url: str | None = None
    message: str = ""
    counts: SiteCounts | None = None
    """A snapshot of the site's counts after this event."""


EventSink = Callable[[CrawlEvent], None]


@dataclass(frozen=True, slots=True)
class PlannedFetch:
    """An article a dry run would fetch."""

    site: str
    url: str
    reason: FetchReason
    title: str | None = None
    published: str | None = None


@dataclass(slots=True)
class SiteReport:
    name: str
    counts: SiteCounts = field(default_factory=SiteCounts)
    error: str | None = None
    """Why the site failed entirely (no listing readable, every article failed, blocked)."""
    blocked: str | None = None
    """Why the site stopped being fetched this run: its fetches kept meeting walls
    (``scraper.crawl.blocking``), and what to try."""


@dataclass(slots=True)
class RunReport:
    """What a crawl did (``scraper.crawl``, ``scraper crawl``): its status, the per-site
    reports and their totals.

    >>> import scraper
    >>> report = scraper.RunReport(run_id=None, status="ok", elapsed=1.5, sites=[])
    >>> report.status, report.totals.new
    ('ok', 0)
    """

    run_id: int | None
    status: RunStatus
    elapsed: float
    sites: list[SiteReport]
    planned: list[PlannedFetch] = field(default_factory=list)
    message: str | None = None
    dry_run: bool = False
    stopped_by: signal.Signals | None = None
    """The signal that aborted the run (SIGTERM, or SIGINT from Ctrl-C), if one did."""

    @property
    def totals(self) -> SiteCounts:
        total = SiteCounts()
        for site in self.sites:
            total.add(site.counts)
        return total


def outcome(sites: list[SiteReport]) -> tuple[RunStatus, str | None]:
    """The run's status and message: ``failed`` when a site failed entirely, naming each."""
    failed = [site for site in sites if site.error]
    message = "; ".join(f"{site.name}: {site.error}" for site in failed) or None
    return ("failed" if failed else "completed"), message


__all__ = ["CrawlEvent", "EventKind", "EventSink", "FetchReason", "PlannedFetch", "RunReport",
           "RunStatus", "SiteReport", "outcome"]
