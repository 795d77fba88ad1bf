"""One site's run: its settings, scope and guard, and what happened to it so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from scraper.archive.crawlstate import FailureStage, SiteCounts
from scraper.config import SiteSettings
from scraper.crawl.guard import redirect_guard
from scraper.crawl.ledger import Ledger
from scraper.crawl.report import EventKind, SiteReport
from scraper.crawl.scope import UrlFilter
from scraper.fetch import RedirectCheck


@dataclass(slots=True)
class SiteRun:
    site: SiteSettings
    ledger: Ledger
    url_filter: UrlFilter
    redirect_check: RedirectCheck
    report: SiteReport
    listing_errors: list[str] = field(default_factory=list)
    listings_read: int = 0
    attempted: int = 0
    """Articles fetched this run for the first time or for a refresh (retries not counted)."""
    succeeded: int = 0

    @classmethod
    def start(cls, site: SiteSettings, ledger: Ledger, report: SiteReport) -> SiteRun:
        url_filter = UrlFilter.for_site(site)
        guard = redirect_guard(url_filter, allow_private=site.allow_private_redirects)
        return cls(site=site, ledger=ledger, url_filter=url_filter, redirect_check=guard,
                   report=report)

    @property
    def counts(self) -> SiteCounts:
        return self.report.counts

    def emit(self, kind: EventKind, url: str | None = None, message: str = "") -> None:
        self.ledger.emit(kind, self.report, url, message)

    def fail(self, url: str, stage: FailureStage, reason: str, status: int | None = None, *,
             retry: bool | None = None) -> None:
        self.ledger.fail(self.report, url, stage, reason, status, retry=retry)

    def save_counts(self) -> None:
        self.ledger.save_counts(self.report)

    def failed_entirely(self) -> str | None:
        """Why the site failed as a whole: no listing read, or every article fetch failed
        (retries of URLs that failed before do not count: one bad URL is not a bad site)."""
        if self.listings_read == 0 and self.listing_errors:
            first = self.listing_errors[0]
            return f"no feed, sitemap or section page could be read ({first})"
        if self.attempted and not self.succeeded:
            return f"all {self.attempted} article fetches failed"
        return None
