"""One exception tree for the whole package.

::

    ScraperError                   anything this package raises on purpose
     ├── ConfigError               config.toml unreadable, bad key, bad type   (path, key)
     ├── FetchError                a URL could not be fetched  (url, reason, status, retry_after)
     │    ├── InvalidUrl           not an absolute http(s) URL with a host
     │    ├── FetchTimeout         a network operation, or the whole request, took too long
     │    ├── NetworkError         connection refused, DNS lookup failed, broken mid-response
     │    ├── HttpStatusError      the server answered 4xx or 5xx        (status, retry_after)
     │    ├── RedirectError        a redirect without Location, a loop, too many redirects
     │    │    └── RedirectRefused a hop to another scheme, a foreign host, a private address
     │    ├── TooLarge             the body is over ``max_bytes``
     │    ├── UnsupportedContent   not HTML (or not a listing): Content-Type, binary bytes
     │    ├── EmptyBody            an answer with nothing in it
     │    ├── UndecodableBody      a Content-Encoding that cannot be decoded
     │    ├── HostSkipped          the crawl skips the host this run (robots.txt in trouble)
     │    └── RobotsRefused        robots.txt disallows the URL, or is in trouble (`fetch`)
     ├── DiscoverError             a feed, sitemap or section page could not be read
     ├── ExtractError              a page could not be turned into an article
     └── ArchiveError              the archive cannot be opened or written     (path)
          └── ArchiveLockedError   another process holds the archive's crawl lock

A ``FetchError`` that is none of its subclasses is any other failure of the HTTP library
("HTTP error: ..."). Whether a fetch error is worth retrying is decided from these types and
the status in one place, :mod:`scraper.fetch.retry`; the ``reason`` is for people only.

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


class InvalidUrl(FetchError):
    """Not an absolute http(s) URL with a host, or one the HTTP library cannot send to."""


class FetchTimeout(FetchError):
    """A network operation took longer than ``timeout``, or the request than ``deadline``."""


class NetworkError(FetchError):
    """No complete answer: connection refused, DNS lookup failed, broken mid-response."""


class HttpStatusError(FetchError):
    """The server answered with a 4xx or 5xx status (and maybe a ``Retry-After``)."""


class RedirectError(FetchError):
    """A redirect that cannot be followed: no Location, a loop, too many hops."""


class RedirectRefused(RedirectError):
    """A redirect to a URL we may not fetch: another scheme, a foreign host, a private
    address."""


class TooLarge(FetchError):
    """The body is over ``max_bytes`` (declared by Content-Length, or as read)."""


class UnsupportedContent(FetchError):
    """Not what was asked for: a Content-Type outside the accepted ones, or binary bytes."""


class EmptyBody(FetchError):
    """An answer with an empty (or all-whitespace) body."""


class UndecodableBody(FetchError):
    """The body's Content-Encoding (gzip, deflate...) cannot be decoded."""


class HostSkipped(FetchError):
    """The crawl skips this URL's host for the rest of the run (its robots.txt answered 429
    or 5xx)."""


class RobotsRefused(FetchError):
    """``scraper fetch`` does not fetch the URL: robots.txt disallows it, or answered 429/5xx
    (the host is in trouble)."""


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
