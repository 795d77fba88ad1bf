"""One site's run, start to end: listings -> plan -> act.

The *action* on the plan is the only thing a dry run does differently (with a
:class:`~scraper.crawl.ledger.NullLedger`): a real run harvests the chosen articles
(:class:`~scraper.crawl.articles.Harvest`), a dry run lists them (:class:`ListPlanned`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from scraper.config import SiteSettings
from scraper.crawl.hosts import Hosts
from scraper.crawl.ledger import Ledger
from scraper.crawl.listings import Listings
from scraper.crawl.plan import Choice, History, plan
from scraper.crawl.report import PlannedFetch, SiteReport
from scraper.crawl.siterun import SiteRun


class Action(Protocol):
    async def __call__(self, run: SiteRun, chosen: list[Choice]) -> None: ...


@dataclass(slots=True)
class ListPlanned:
    """A dry run's action: note what would be fetched, and tell (``planned`` events)."""

    planned: list[PlannedFetch] = field(default_factory=list)

    async def __call__(self, run: SiteRun, chosen: list[Choice]) -> None:
        for candidate, reason in chosen:
            self.planned.append(PlannedFetch(
                site=run.site.name, url=candidate.url, reason=reason,
                title=candidate.title, published=candidate.published))
            run.emit("planned", candidate.url, reason)


@dataclass(frozen=True, slots=True)
class SiteCrawl:
    """What every site of a run shares."""

    hosts: Hosts
    ledger: Ledger
    history: History
    act: Action
    max_articles: int | None = None
    """The run's cap, overriding each site's ``max_articles``."""

    async def __call__(self, site: SiteSettings, report: SiteReport) -> None:
        """Crawl ``site``, counting into ``report`` as it goes."""
        run = SiteRun.start(site, self.ledger, report)
        listings = Listings(self.hosts, self.ledger)
        run.save_counts()
        run.emit("site-start")
        try:
            candidates = await listings.discover(run)
            run.counts.discovered = len(candidates)
            chosen = await plan(
                candidates, robots=lambda url: self.hosts.robots_verdict(url, run),
                history=self.history, refresh_after=site.refresh_after,
                cap=site.max_articles if self.max_articles is None else self.max_articles,
                counts=run.counts)
            await self.act(run, chosen)
        finally:
            run.save_counts()  # also when the run is stopped: the counts so far
        run.report.error = run.failed_entirely()
        run.emit("site-done", message=run.report.error or "")
