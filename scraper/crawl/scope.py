"""Which URLs belong to a site: its hosts, http(s) only, no files or home pages, the
include/exclude patterns (scrapy's offsite middleware, as one filter)::

    UrlFilter(seeds, ...).accept(url)   the normalised URL if it is a candidate, else None
    UrlFilter(...).select(candidates)   normalise, filter, deduplicate (hints merged in)
    UrlFilter.for_site(site)            the filter of a configured site
    site_for_url(sites, url)            the first site whose hosts include the URL's host
    host_key(url)                       host[:port] without www., as hosts are compared
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from scraper.config import SiteSettings
from scraper.crawl.parse import Candidate
from scraper.urls import is_site_root, normalise_url, url_key

SKIPPED_EXTENSIONS: tuple[str, ...] = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".pdf", ".zip", ".gz",
    ".mp3", ".mp4", ".m4a", ".mov", ".avi", ".css", ".js", ".json", ".xml", ".rss", ".atom",
    ".txt", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".epub",
)
"""Links whose path ends like this are files, not article pages."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_key(url: str) -> str:
    """``host[:port]`` without ``www.``, the port only when it is not the scheme's default."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        return host
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def _allowed_host_key(entry: str) -> str:
    entry = entry.strip().lower()
    return host_key(entry if "://" in entry else f"http://{entry}")


class UrlFilter:
    """Decides which discovered URLs are candidates for one site.

    ``seeds`` are the site's feeds, sitemaps and section pages: their hosts (with or without
    ``www.``) are allowed, plus ``allowed_hosts``. ``include`` patterns: at least one must
    match (if any are given); ``exclude`` patterns: none may match. Patterns are searched in
    the normalised URL.
    """

    def __init__(
        self,
        seeds: Iterable[str],
        *,
        allowed_hosts: Iterable[str] = (),
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ) -> None:
        seeds = list(seeds)
        hosts = [host_key(normalise_url(s)) for s in seeds]
        hosts += [_allowed_host_key(h) for h in allowed_hosts]
        self.hosts: frozenset[str] = frozenset(hosts)
        self.include = [re.compile(p) for p in include]
        self.exclude = [re.compile(p) for p in exclude]
        self._listing_keys = frozenset(url_key(s) for s in seeds)

    @classmethod
    def for_site(cls, site: SiteSettings) -> UrlFilter:
        """The site's filter: the hosts of its feeds, sitemaps and pages, its allowed_hosts,
        its include and exclude patterns."""
        return cls([*site.feeds, *site.sitemaps, *site.pages], allowed_hosts=site.allowed_hosts,
                   include=site.include, exclude=site.exclude)

    def host_allowed(self, url: str) -> bool:
        return host_key(url) in self.hosts

    def why_rejected(self, url: str) -> str | None:
        """None when ``url`` (already normalised) is a candidate, else the reason it is not."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"scheme {parts.scheme or '(none)'!r} is not http(s)"
        if not parts.hostname:
            return "no host"
        if not self.host_allowed(url):
            return f"host {parts.hostname} is not one of the site's hosts"
        if is_site_root(url):
            return "a home page"
        if parts.path.lower().endswith(SKIPPED_EXTENSIONS):
            return "a file, not a page"
        if url_key(url) in self._listing_keys:
            return "one of the site's own feeds or section pages"
        if self.include and not any(p.search(url) for p in self.include):
            return "matches no include pattern"
        for pattern in self.exclude:
            if pattern.search(url):
                return f"matches exclude pattern {pattern.pattern!r}"
        return None

    def accept(self, url: str) -> str | None:
        """The normalised URL if it is a candidate, else None."""
        normalised = normalise_url(url)
        return normalised if self.why_rejected(normalised) is None else None

    def select(self, candidates: Iterable[Candidate]) -> list[Candidate]:
        """Normalise, filter and deduplicate (first occurrence wins, hints merged in)."""
        chosen: dict[str, Candidate] = {}
        for candidate in candidates:
            url = self.accept(candidate.url)
            if url is None:
                continue
            key = url_key(url)
            earlier = chosen.get(key)
            if earlier is None:
                chosen[key] = Candidate(url=url, title=candidate.title,
                                        published=candidate.published, source=candidate.source)
            elif (earlier.published is None and candidate.published) or (
                earlier.title is None and candidate.title
            ):
                # ``source`` says where the hints came from: the date's listing wins.
                dated_later = earlier.published is None and candidate.published is not None
                chosen[key] = Candidate(
                    url=earlier.url, title=earlier.title or candidate.title,
                    published=earlier.published or candidate.published,
                    source=candidate.source if dated_later else earlier.source,
                )
        return list(chosen.values())


def site_for_url(sites: Iterable[SiteSettings], url: str) -> SiteSettings | None:
    """The first configured site whose hosts (as a crawl of it allows them) include the URL's
    host; None if there is none."""
    return next((site for site in sites if UrlFilter.for_site(site).host_allowed(url)), None)
