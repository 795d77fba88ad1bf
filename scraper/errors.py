"""One exception tree for the whole package.

::

    ScraperError                   anything this package raises on purpose
     ├── ConfigError               config.toml unreadable, bad key, bad type   (path, key)
     ├── MissingExtra              an optional library (pandas, pyarrow) is not installed (extra)
     ├── FetchError                a URL could not be fetched  (url, reason, status, retry_after)
     │    ├── InvalidUrl           not an absolute http(s) URL with a host
     │    ├── FetchTimeout         a network operation, or the whole request, took too long
     │    ├── NetworkError         connection refused, DNS lookup failed, broken mid-response
     │    ├── HttpStatusError      the server answered 4xx or 5xx        (status, retry_after)
     │    ├── Blocked              a wall stands in for the page (challenge, consent, login)
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
     │    └── NotAnArticle        a home page, a listing, no article text  (label, reason)
     ├── ArchiveError              the archive cannot be opened or written     (path)
     │    ├── ArchiveLockedError   another process holds the archive's crawl lock
     │    └── CaptureError         a WARC capture cannot be written or read (disk full, a
     │                             missing file, a corrupt record)             (path)
     └── ClusterError              Ray missing, the cluster unreachable, a shard failed for
                                   good (``scraper.cluster.engine.ShardFailed``)

A ``FetchError`` that is none of its subclasses is any other failure of the HTTP library
("HTTP error: ..."). Whether a fetch error is worth retrying is decided from these types and
the status in one place, :mod:`scraper.fetch.retry`; the ``reason`` is for people only.

Library errors (httpx, sqlite3, tomllib...) are translated once, where they happen, with
``raise X(...) from exc`` so the cause is kept. The CLI turns these into one line each.
"""

from __future__ import annotations


class ScraperError(Exception):
    """Base of every error this package raises on purpose: catch it to catch them all.

    >>> import scraper
    >>> try:
    ...     scraper.extract("<html><body><p>Hello</p></body></html>")
    ... except scraper.ScraperError as exc:
    ...     print(type(exc).__name__, isinstance(exc, scraper.ExtractError))
    NotAnArticle True
    """


class ConfigError(ScraperError):
    """The configuration file cannot be used: the message names the file and the key.

    >>> import scraper, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "config.toml"
    >>> _ = path.write_text("[fetch]\\nretries = -1\\n")
    >>> scraper.crawl(path)
    Traceback (most recent call last):
    scraper.errors.ConfigError: .../config.toml: fetch.retries: ...
    """

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = path or "config"
        if key:
            where = f"{where}: {key}"
        super().__init__(f"{where}: {message}")


class MissingExtra(ScraperError):
    """A feature needs an optional library that is not installed: ``extra`` names the
    package extra that brings it (``pip install 'scraper[parquet]'``).

    >>> import scraper
    >>> str(scraper.MissingExtra("Archive.to_pandas", "pandas", "pandas"))
    "Archive.to_pandas needs pandas, which is not installed: pip install 'scraper[pandas]'"
    """

    def __init__(self, feature: str, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(f"{feature} needs {module}, which is not installed:"
                         f" pip install 'scraper[{extra}]'")


class FetchError(ScraperError):
    """A URL could not be fetched (network, HTTP status, size, content type): ``url`` and
    ``reason`` say which and why; subclasses say the kind (``NetworkError``,
    ``HttpStatusError``, ``RobotsRefused``...).

    >>> import scraper
    >>> settings = scraper.FetchSettings(retries=0, respect_robots=False)
    >>> try:
    ...     scraper.fetch("http://127.0.0.1:9/a/", settings)
    ... except scraper.FetchError as exc:
    ...     print(type(exc).__name__, exc.url)
    NetworkError http://127.0.0.1:9/a/
    """

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
    """The server answered with a 4xx or 5xx status (and maybe a ``Retry-After``); the start
    of its HTML body and its headers are kept, so a challenge page can be told."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        body: bytes = b"",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(url, reason, status=status, retry_after=retry_after)
        self.body = body
        self.headers = headers


class Blocked(FetchError):
    """A wall stands in for the page: a bot challenge, a consent wall, a login wall or a
    soft 404 (``kind``); never archived, never retried within the run."""

    def __init__(self, url: str, reason: str, *, kind: str, status: int | None = None) -> None:
        super().__init__(url, reason, status=status)
        self.kind = kind


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
    (the host is in trouble).

    >>> import scraper
    >>> issubclass(scraper.RobotsRefused, scraper.FetchError)
    True
    """


class DiscoverError(ScraperError):
    """A feed, sitemap or section page could not be read."""


class ExtractError(ScraperError):
    """A page could not be parsed into an article (``NotAnArticle``: it is none).

    >>> import scraper
    >>> issubclass(scraper.NotAnArticle, scraper.ExtractError)
    True
    """


class NotAnArticle(ExtractError):
    """The page is no article to keep (a home page, a listing, no article text): ``reason``
    as ``models.why_not_an_article`` says it; ``label`` names the page (its URL or file).

    >>> import scraper
    >>> try:
    ...     scraper.extract("<html><body><p>Hello</p></body></html>", url="https://a.example/")
    ... except scraper.NotAnArticle as exc:
    ...     print(exc.label, "|", exc.reason)
    https://a.example/ | not an article (listing page: ...)
    """

    def __init__(self, label: str, reason: str) -> None:
        self.label = label
        self.reason = reason
        super().__init__(f"{label}: {reason}; pass any_page=True to get the record anyway")


class ArchiveError(ScraperError):
    """The archive database cannot be opened, read or written; ``path`` names the file.

    >>> import scraper, tempfile, pathlib
    >>> scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "none.db", create=False)
    Traceback (most recent call last):
    scraper.errors.ArchiveError: .../none.db: ...
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ArchiveLockedError(ArchiveError):
    """Another process is crawling into the same archive."""


class CaptureError(ArchiveError):
    """A WARC capture cannot be written (disk full) or read (missing file, corrupt record)."""


class ClusterError(ScraperError):
    """A run on a Ray cluster cannot start or a shard of it failed for good."""
