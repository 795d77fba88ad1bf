"""The run's ledger: its events, and the rows it leaves in the archive's crawl tables.

::

    emit(kind, site, url, message)     an event for ``on_event``, with the site's counts
    fail(site, url, stage, reason)     one failed URL: counted, a ``failures`` row, an event
    save_counts(site)                  the site's ``run_sites`` row, so far
    cached_listing(url) / remember     the ``http_cache`` rows: validators and what a listing
                                       named, which a 304 stands for

:class:`RunLedger` writes to the archive (:class:`~scraper.archive.crawlstate.CrawlState`).
:class:`NullLedger`, for a dry run, writes nothing; it reads the same cached listings as a
real run would (so both send the same conditional GETs and plan from the same links), and
its events are the same.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import replace

from scraper.archive.crawlstate import CachedListing, CrawlState, FailureStage, Validators
from scraper.crawl.report import CrawlEvent, EventKind, EventSink, SiteReport


class Ledger(ABC):
    """Events go to ``on_event`` (if any); rows are the subclass's business."""

    def __init__(self, on_event: EventSink | None) -> None:
        self.on_event = on_event

    def emit(self, kind: EventKind, site: SiteReport | None = None, url: str | None = None,
             message: str = "") -> None:
        if self.on_event is None:
            return
        counts = replace(site.counts) if site is not None else None
        self.on_event(CrawlEvent(kind=kind, site=site.name if site else None, url=url,
                                 message=message, counts=counts))

    def fail(self, site: SiteReport, url: str, stage: FailureStage, reason: str,
             status: int | None = None, *, retry: bool | None = None) -> None:
        """``retry``: whether an article URL's failure may pass on a later run (the retry
        policy, :mod:`scraper.crawl.plan`); None for listings and robots.txt."""
        site.counts.failed += 1
        self.record_failure(site.name, url, stage, reason, status, retry)
        self.emit("failure", site, url, f"{stage}: {reason}")

    @abstractmethod
    def record_failure(self, site: str, url: str, stage: FailureStage, reason: str,
                       status: int | None, retry: bool | None) -> None: ...

    @abstractmethod
    def save_counts(self, site: SiteReport) -> None: ...

    @abstractmethod
    def cached_listing(self, url: str) -> CachedListing | None:
        """The validators to send for ``url`` and the listing a 304 stands for (None: fetch
        it in full)."""

    @abstractmethod
    def remember_listing(self, url: str, validators: Validators, listing: bytes) -> None: ...

    @abstractmethod
    def forget_listing(self, url: str) -> None: ...


class RunLedger(Ledger):
    """The ledger of a real run: ``run_id``'s rows in the archive."""

    def __init__(self, state: CrawlState, run_id: int, on_event: EventSink | None) -> None:
        super().__init__(on_event)
        self.state = state
        self.run_id = run_id

    def record_failure(self, site: str, url: str, stage: FailureStage, reason: str,
                       status: int | None, retry: bool | None) -> None:
        self.state.record_failure(self.run_id, site=site, url=url, stage=stage, reason=reason,
                                  status=status, retry=retry)

    def save_counts(self, site: SiteReport) -> None:
        self.state.save_site_counts(self.run_id, site.name, site.counts)

    def cached_listing(self, url: str) -> CachedListing | None:
        return self.state.cached_listing(url)

    def remember_listing(self, url: str, validators: Validators, listing: bytes) -> None:
        self.state.remember_listing(url, validators, listing)

    def forget_listing(self, url: str) -> None:
        self.state.forget_listing(url)


def _nothing_cached(url: str) -> CachedListing | None:
    return None


class NullLedger(Ledger):
    """The ledger of a dry run: events only. ``recall`` reads the archive's cached listings
    (``CrawlState.cached_listing``), if there is an archive."""

    def __init__(self, on_event: EventSink | None,
                 recall: Callable[[str], CachedListing | None] = _nothing_cached) -> None:
        super().__init__(on_event)
        self.recall = recall

    def record_failure(self, site: str, url: str, stage: FailureStage, reason: str,
                       status: int | None, retry: bool | None) -> None:
        return None

    def save_counts(self, site: SiteReport) -> None:
        return None

    def cached_listing(self, url: str) -> CachedListing | None:
        return self.recall(url)

    def remember_listing(self, url: str, validators: Validators, listing: bytes) -> None:
        return None

    def forget_listing(self, url: str) -> None:
        return None
