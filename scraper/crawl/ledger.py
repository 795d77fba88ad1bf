"""The run's ledger: its events, and the rows it leaves in the archive's crawl tables.

::

    emit(kind, site, url, message)     an event for ``on_event``, with the site's counts
    fail(site, url, stage, reason)     one failed URL: counted, a ``failures`` row, an event
    save_counts(site)                  the site's ``run_sites`` row, so far
    validators(url) / store / forget   the ``http_cache`` rows of conditional GET

:class:`RunLedger` writes to the archive (:class:`~scraper.archive.crawlstate.CrawlState`).
:class:`NullLedger`, for a dry run, writes nothing and remembers no validators (so a dry run
reads every listing in full); its events are the same.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace

from scraper.archive.crawlstate import CrawlState, FailureStage, Validators
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
             status: int | None = None) -> None:
        site.counts.failed += 1
        self.record_failure(site.name, url, stage, reason, status)
        self.emit("failure", site, url, f"{stage}: {reason}")

    @abstractmethod
    def record_failure(self, site: str, url: str, stage: FailureStage, reason: str,
                       status: int | None) -> None: ...

    @abstractmethod
    def save_counts(self, site: SiteReport) -> None: ...

    @abstractmethod
    def validators(self, url: str) -> Validators | None:
        """The ETag/Last-Modified to send for ``url`` (None: fetch it in full)."""

    @abstractmethod
    def store_validators(self, url: str, validators: Validators) -> None: ...

    @abstractmethod
    def forget_validators(self, url: str) -> None: ...


class RunLedger(Ledger):
    """The ledger of a real run: ``run_id``'s rows in the archive."""

    def __init__(self, state: CrawlState, run_id: int, on_event: EventSink | None) -> None:
        super().__init__(on_event)
        self.state = state
        self.run_id = run_id

    def record_failure(self, site: str, url: str, stage: FailureStage, reason: str,
                       status: int | None) -> None:
        self.state.record_failure(self.run_id, site=site, url=url, stage=stage, reason=reason,
                                  status=status)

    def save_counts(self, site: SiteReport) -> None:
        self.state.save_site_counts(self.run_id, site.name, site.counts)

    def validators(self, url: str) -> Validators | None:
        return self.state.validators(url)

    def store_validators(self, url: str, validators: Validators) -> None:
        self.state.store_validators(url, validators)

    def forget_validators(self, url: str) -> None:
        self.state.forget_validators(url)


class NullLedger(Ledger):
    """The ledger of a dry run: events only."""

    def record_failure(self, site: str, url: str, stage: FailureStage, reason: str,
                       status: int | None) -> None:
        return None

    def save_counts(self, site: SiteReport) -> None:
        return None

    def validators(self, url: str) -> Validators | None:
        return None

    def store_validators(self, url: str, validators: Validators) -> None:
        return None

    def forget_validators(self, url: str) -> None:
        return None
