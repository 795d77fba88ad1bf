"""One exception tree for the whole package.

::

    ScraperError                 anything this package raises on purpose
     ├── ConfigError             config.toml unreadable, bad key, bad type  (path, key)
     ├── FetchError              a URL could not be fetched                 (url, status, reason)
     ├── DiscoverError           a feed, sitemap or section page could not be read
     ├── ExtractError            a page could not be turned into an article
     └── ArchiveError            the archive cannot be opened or written    (path)
          └── ArchiveLockedError another process holds the archive's crawl lock

Library errors (httpx, sqlite3, tomllib...) are translated once, where they happen, with
``raise X(...) from exc`` so the cause is kept. The CLI turns these into one line each.
"""

from __future__ import annotations


class ScraperError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigError(ScraperError):
    """The configuration file cannot be used."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = path or "config"
        if key:
            where = f"{where}: {key}"
        super().__init__(f"{where}: {message}")


class FetchError(ScraperError):
    """A URL could not be fetched (network, HTTP status, size, content type)."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"{url}: {reason}")


class DiscoverError(ScraperError):
    """A feed, sitemap or section page could not be read."""


class ExtractError(ScraperError):
    """A page could not be parsed into an article."""


class ArchiveError(ScraperError):
    """The archive database cannot be opened, read or written."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ArchiveLockedError(ArchiveError):
    """Another process is crawling into the same archive."""
