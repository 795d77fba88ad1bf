"""The scheduled run: listings -> plan -> fetch -> extract -> archive, for every site.

One file per policy, so "where does a crawl decide X" is answered by a file name::

    run.py       run_crawl: the lock, the runs row, SIGTERM, the dry run, the report
    site.py      one site's run: listings -> plan -> act
    listings.py  feeds, sitemaps, section pages: conditional GET, a 304 stands for the
                 listing as last read; parsed off the loop
    parse.py     listing bytes -> candidates (feedparser, lxml, selectolax); pure
    scope.py     which URLs belong to the site (hosts, include/exclude, no files)
    plan.py      what is due: new, retry, refresh, the cap (the dry run plans the same way)
    hosts.py     per-host client, concurrency, pacing, Retry-After, robots.txt
    robots.py    robots.txt: read once, what it allows, Crawl-delay (also `scraper fetch`)
    guard.py     where a redirect may lead (the site's hosts, no private addresses)
    articles.py  a chosen article: fetch -> extract -> save, its failures by stage
    pool.py      the extraction processes: forkserver, lifeline, recycle, timeout/kill
    ledger.py    events, failures, counts, cached listings: to the archive, or nowhere
    siterun.py   one site's state during a run
    report.py    CrawlEvent, SiteReport, RunReport, PlannedFetch

Nothing here prints: progress goes to the ``on_event`` callback, the result is a ``RunReport``.
Fetching is :mod:`scraper.fetch` (retries: :mod:`scraper.fetch.retry`).
"""

from scraper.crawl.guard import redirect_guard
from scraper.crawl.pool import PoolSettings
from scraper.crawl.report import (
    CrawlEvent,
    EventKind,
    EventSink,
    FetchReason,
    PlannedFetch,
    RunReport,
    RunStatus,
    SiteReport,
)
from scraper.crawl.run import run_crawl, select_sites

__all__ = [
    "CrawlEvent",
    "EventKind",
    "EventSink",
    "FetchReason",
    "PlannedFetch",
    "PoolSettings",
    "RunReport",
    "RunStatus",
    "SiteReport",
    "redirect_guard",
    "run_crawl",
    "select_sites",
]
