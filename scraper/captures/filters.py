"""Which imported records to take: ``--site`` (a configured site's hosts and
include/exclude), ``--include/--exclude`` patterns, ``--since/--until`` on the capture date,
``--language`` on the extracted article."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from scraper.config import SiteSettings
from scraper.crawl.scope import UrlFilter, host_key
from scraper.models import Article
from scraper.urls import normalise_url

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ImportFilters:
    site: SiteSettings | None = None
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    since: str | None = None
    until: str | None = None
    """``YYYY-MM-DD`` (that whole day) or an ISO 8601 timestamp."""
    language: str | None = None
    _scope: UrlFilter | None = field(default=None, init=False, repr=False)
    _include: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False)
    _exclude: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        if self.site is not None:
            site = self.site
            object.__setattr__(self, "_scope", UrlFilter(
                [*site.feeds, *site.sitemaps, *site.pages], allowed_hosts=site.allowed_hosts,
                include=site.include, exclude=site.exclude))
        object.__setattr__(self, "_include", tuple(re.compile(p) for p in self.include))
        object.__setattr__(self, "_exclude", tuple(re.compile(p) for p in self.exclude))

    def keep_record(self, url: str, warc_date: str) -> bool:
        """Before extraction: the URL and the capture date."""
        if not url.startswith(("http://", "https://")):
            return False
        if self._scope is not None and self._scope.why_rejected(normalise_url(url)):
            return False
        if self._include and not any(p.search(url) for p in self._include):
            return False
        if any(p.search(url) for p in self._exclude):
            return False
        day = warc_date.replace("Z", "+00:00")
        if self.since and day < self.since:
            return False
        if self.until:
            end = (date.fromisoformat(self.until) + timedelta(days=1)).isoformat() \
                if _DAY.match(self.until) else self.until
            if day >= end if _DAY.match(self.until) else day > end:
                return False
        return True

    def keep_article(self, article: Article) -> bool:
        """After extraction: the language (``en`` keeps ``en``, ``en-GB``...)."""
        if not self.language:
            return True
        found = (article.language or "").lower().replace("_", "-")
        want = self.language.lower()
        return found == want or found.startswith(f"{want}-")

    def site_for(self, url: str) -> str:
        """The ``site`` recorded on an imported article: ``--site``'s name, else the host."""
        return self.site.name if self.site is not None else host_key(url)
