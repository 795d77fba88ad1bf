"""config.toml -> frozen, validated settings.

Defaults are polite and live here, in code; the file only overrides them. An unknown key,
a wrong type, a negative number or a bad regex is a ``ConfigError`` naming the file and key.
Settings are read once and passed on as plain values.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, get_type_hints

from scraper import __version__
from scraper.errors import ConfigError

DEFAULT_CONFIG_PATH = Path("config.toml")
DEFAULT_ARCHIVE_PATH = "archive.db"
DEFAULT_USER_AGENT = f"scraper/{__version__} (+https://github.com/news-scraper/scraper)"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class Check(Protocol):
    """A setting's check: the value to keep, or a ConfigError naming the file and key."""

    def __call__(self, value: object, *, path: str | None, key: str) -> Any: ...


def parse_duration(value: object, *, path: str | None, key: str) -> float:
    """'90', '15m', '24h', '7d' (or a number of seconds) -> seconds."""
    if isinstance(value, bool):
        raise ConfigError("expected a duration such as '24h'", path=path, key=key)
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ConfigError(
                f"bad duration {value!r} (use e.g. '90s', '15m', '24h', '7d')", path=path, key=key
            )
        seconds = float(match.group(1)) * _DURATION_UNITS[match.group(2)]
    if seconds < 0:
        raise ConfigError("must not be negative", path=path, key=key)
    return seconds


def _check_str(value: object, *, path: str | None, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"expected a string, got {type(value).__name__}", path=path, key=key)
    return value


def _check_bool(value: object, *, path: str | None, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"expected true/false, got {value!r}", path=path, key=key)
    return value


def _check_int(value: object, *, path: str | None, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"expected an integer, got {value!r}", path=path, key=key)
    if value < 0:
        raise ConfigError(f"must not be negative, got {value}", path=path, key=key)
    return value


def _check_float(value: object, *, path: str | None, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"expected a number, got {value!r}", path=path, key=key)
    if value < 0:
        raise ConfigError(f"must not be negative, got {value}", path=path, key=key)
    return float(value)


def _check_strings(value: object, *, path: str | None, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("expected a list of strings", path=path, key=key)
    return tuple(value)


_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
"""An HTTP header or cookie name (RFC 9110 token)."""
_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
RENDER_INSTALL = "pip install 'scraper[render]'"


def _check_pairs(value: object, *, path: str | None, key: str) -> tuple[tuple[str, str], ...]:
    """A TOML table of strings (headers, cookies) -> (name, value) pairs."""
    if not isinstance(value, dict):
        raise ConfigError("expected a table of strings, e.g. { name = \"value\" }",
                          path=path, key=key)
    pairs = []
    for name, text in value.items():
        if not isinstance(text, str):
            raise ConfigError(f"expected a string, got {type(text).__name__}", path=path,
                              key=f"{key}.{name}")
        if not _TOKEN.match(name):
            raise ConfigError("not a valid name (letters, digits and -_.!#$%&'*+^`|~)",
                              path=path, key=f"{key}.{name}")
        if any(c in text for c in "\r\n\0") or (key.endswith("cookies") and ";" in text):
            raise ConfigError("value holds a line break, NUL or (a cookie) ';'", path=path,
                              key=f"{key}.{name}")
        pairs.append((name, text))
    return tuple(pairs)


def _check_proxy(value: object, *, path: str | None, key: str) -> str | None:
    """A proxy URL httpx can use: http://, https://, or socks5:// with httpx[socks]."""
    url = _check_str(value, path=path, key=key)
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in _PROXY_SCHEMES or not re.match(r"^[a-z0-9]+://[^/\s]+", url, re.I):
        raise ConfigError(f"not a proxy URL: {url!r} (use http://, https:// or socks5://"
                          "host:port)", path=path, key=key)
    if scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise ConfigError("a socks5 proxy needs httpx's SOCKS support: pip install "
                          "'httpx[socks]'", path=path, key=key)
    return url


def _check_render(value: object, *, path: str | None, key: str) -> bool:
    """render = true needs Playwright (the render extra)."""
    render = _check_bool(value, path=path, key=key)
    if render and importlib.util.find_spec("playwright") is None:
        raise ConfigError(f"render = true needs Playwright: {RENDER_INSTALL} (and Chromium)",
                          path=path, key=key)
    return render


_CHECKS: dict[object, Check] = {
    str: _check_str, bool: _check_bool, int: _check_int, float: _check_float,
    tuple[str, ...]: _check_strings, tuple[tuple[str, str], ...]: _check_pairs,
    str | None: _check_str, float | None: _check_float, int | None: _check_int,
}
"""The check for each setting type; a field's ``metadata["check"]`` overrides it."""


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How to fetch: the ``[fetch]`` table of config.toml (every key a field), politeness
    (robots.txt, per-host delay and concurrency), retries, limits.

    >>> import scraper
    >>> settings = scraper.FetchSettings(per_host_delay=1.0, retries=1)
    >>> settings.per_host_delay, settings.respect_robots
    (1.0, True)
    """

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0
    """Seconds per network operation (connect, each read, write, pool)."""
    deadline: float = 60.0
    """Seconds for one whole request: every redirect hop, the headers and the entire body.
    A server that trickles bytes just fast enough to dodge ``timeout`` is cut off here."""
    concurrency: int = 16
    """Requests in flight, all hosts together."""
    per_host_concurrency: int = 1
    per_host_delay: float = 1.0
    """Seconds between two requests to one host; robots.txt Crawl-delay wins if larger."""
    retries: int = 3
    """Extra attempts for connect errors, timeouts, 429 and 5xx."""
    backoff: float = 1.0
    """First retry delay in seconds; doubles each attempt (Retry-After wins)."""
    max_retry_after: float = 300.0
    """A Retry-After longer than this fails the URL instead of waiting."""
    max_bytes: int = 10_000_000
    """Cap on the decoded body size."""
    max_redirects: int = 10
    respect_robots: bool = True
    headers: tuple[tuple[str, str], ...] = ()
    """Extra request headers ([fetch] or a site's [sites.fetch] ``headers`` table)."""
    cookies: tuple[tuple[str, str], ...] = ()
    """Cookies sent with every request (e.g. a consent cookie the user obtained)."""
    proxy: str | None = field(default=None, metadata={"check": _check_proxy})
    """http://, https:// or socks5:// proxy for every request; None: none."""


@dataclass(frozen=True, slots=True)
class SiteFetchSettings:
    """A site's own fetch settings (``[sites.fetch]``): each one given replaces the
    ``[fetch]`` value for every request to the site's hosts (robots.txt, listings,
    articles) and for ``scraper fetch`` of a URL on them; None keeps the ``[fetch]`` value."""

    user_agent: str | None = None
    headers: tuple[tuple[str, str], ...] | None = field(
        default=None, metadata={"check": _check_pairs})
    cookies: tuple[tuple[str, str], ...] | None = field(
        default=None, metadata={"check": _check_pairs})
    proxy: str | None = field(default=None, metadata={"check": _check_proxy})
    per_host_delay: float | None = None
    per_host_concurrency: int | None = None


def _check_site_fetch(value: object, *, path: str | None, key: str) -> SiteFetchSettings:
    site_fetch: SiteFetchSettings = _build(SiteFetchSettings, value, path=path, prefix=key)
    if site_fetch.per_host_concurrency is not None and site_fetch.per_host_concurrency < 1:
        raise ConfigError("must be at least 1", path=path, key=f"{key}.per_host_concurrency")
    return site_fetch


@dataclass(frozen=True, slots=True)
class ArchiveSettings:
    path: str = DEFAULT_ARCHIVE_PATH
    captures: str = "captures"
    """Folder for the WARC captures, relative to the archive file's folder."""
    capture: bool = True
    """Keep every fetched response (WARC) beside the extracted record."""
    warc_max_bytes: int = 1_000_000_000
    """A new WARC file is started once the current one is past this size."""

    def captures_dir(self, archive_path: str | os.PathLike[str]) -> Path:
        """The captures folder for the archive at ``archive_path``."""
        return Path(archive_path).parent / self.captures


@dataclass(frozen=True, slots=True)
class SiteSettings:
    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    max_articles: int = 200
    refresh_after: float | None = field(default=None, metadata={"check": parse_duration})
    """Seconds after which an archived article is fetched again; None = never."""
    allow_private_redirects: bool = False
    fetch: SiteFetchSettings = field(default_factory=SiteFetchSettings,
                                     metadata={"check": _check_site_fetch})
    """The site's own fetch settings (``[sites.fetch]``)."""
    render: bool = field(default=False, metadata={"check": _check_render})
    """Load the site's article pages in a headless browser (the render extra)."""


def site_fetch(fetch: FetchSettings, site: SiteSettings | None) -> FetchSettings:
    """The fetch settings for requests to ``site``'s hosts: ``[fetch]`` with the site's
    ``[sites.fetch]`` values in place (headers and cookies: the site's added to, and
    replacing, the global ones of the same name)."""
    if site is None:
        return fetch
    own = site.fetch
    changes: dict[str, Any] = {
        name: getattr(own, name) for name in ("user_agent", "proxy", "per_host_delay",
                                              "per_host_concurrency")
        if getattr(own, name) is not None
    }
    for name in ("headers", "cookies"):
        extra = getattr(own, name)
        if extra:
            merged = dict(getattr(fetch, name))
            merged.update(extra)
            changes[name] = tuple(merged.items())
    return dataclasses.replace(fetch, **changes) if changes else fetch


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Where ``crawl --cluster`` runs (``docs/cluster.md``); unused without an address."""

    address: str | None = field(default=None, metadata={"check": _check_str})
    """The Ray address ("auto", "HEAD:6379", "ray://HEAD:10001"); None: run on this machine."""
    work_dir: str | None = field(default=None, metadata={"check": _check_str})
    """A folder every node reads and writes (shard archives, their WARC files); None:
    ``<archive>.cluster/`` beside the archive."""
    shards: int = 0
    """Shards a crawl is split into; 0: one per CPU the cluster offers."""
    max_retries: int = 2
    """Times Ray runs a shard again after its worker or node died."""

    def work_dir_for(self, archive_path: str | os.PathLike[str]) -> Path:
        """The work folder for the archive at ``archive_path``."""
        return Path(self.work_dir) if self.work_dir else Path(f"{archive_path}.cluster")


@dataclass(frozen=True, slots=True)
class Config:
    """What ``config.toml`` holds (``load_config``): ``[archive]``, ``[fetch]``
    (``FetchSettings``), the ``[[sites]]`` and ``[cluster]``. The API's calls that take a
    ``config`` take one of these, or the path of a config.toml.

    >>> import scraper
    >>> config = scraper.Config(fetch=scraper.FetchSettings(retries=0))
    >>> config.fetch.retries, config.archive.path, config.sites
    (0, 'archive.db', ())
    """

    path: str | None = None
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    sites: tuple[SiteSettings, ...] = ()
    cluster: ClusterSettings = field(default_factory=ClusterSettings)

    def site(self, name: str) -> SiteSettings:
        """The configured site of that name; ``ConfigError`` naming the known ones if none.

        >>> import scraper
        >>> scraper.Config().site("bbc-news")
        Traceback (most recent call last):
        scraper.errors.ConfigError: config: no site named 'bbc-news' (known: none)
        """
        for site in self.sites:
            if site.name == name:
                return site
        known = ", ".join(s.name for s in self.sites) or "none"
        raise ConfigError(f"no site named {name!r} (known: {known})", path=self.path)


def _build(cls: type[Any], table: object, *, path: str | None, prefix: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError("expected a table", path=path, key=prefix)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    types = get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}.{key}"
        if key not in fields:
            raise ConfigError(f"unknown key (known: {', '.join(fields)})", path=path, key=dotted)
        check = fields[key].metadata.get("check") or _CHECKS[types[key]]
        values[key] = check(value, path=path, key=dotted)
    try:
        return cls(**values)
    except TypeError as exc:  # a required key is missing
        missing = [n for n, f in fields.items() if n not in values and _required(f)]
        raise ConfigError(
            f"missing required key(s): {', '.join(missing)}", path=path, key=prefix
        ) from exc


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _validate_site(site: SiteSettings, *, path: str | None, prefix: str) -> None:
    if not site.name.strip():
        raise ConfigError("must not be empty", path=path, key=f"{prefix}.name")
    for key in ("include", "exclude"):
        for pattern in getattr(site, key):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(
                    f"bad regex {pattern!r}: {exc}", path=path, key=f"{prefix}.{key}"
                ) from exc
    for key in ("feeds", "sitemaps", "pages"):
        for url in getattr(site, key):
            if not re.match(r"^https?://[^/\s]+", url):
                raise ConfigError(f"not an http(s) URL: {url!r}", path=path, key=f"{prefix}.{key}")


def parse_config(data: dict[str, Any], *, path: str | None = None) -> Config:
    """Validate a parsed TOML document."""
    known = {"archive", "fetch", "sites", "cluster"}
    for key in data:
        if key not in known:
            raise ConfigError(
                f"unknown key (known: {', '.join(sorted(known))})", path=path, key=key
            )
    archive = _build(ArchiveSettings, data.get("archive", {}), path=path, prefix="archive")
    if not archive.captures.strip():
        raise ConfigError("must not be empty", path=path, key="archive.captures")
    if archive.warc_max_bytes < 1:
        raise ConfigError("must be at least 1", path=path, key="archive.warc_max_bytes")
    fetch = _build(FetchSettings, data.get("fetch", {}), path=path, prefix="fetch")
    for key in ("timeout", "deadline"):
        if getattr(fetch, key) <= 0:
            raise ConfigError("must be greater than 0", path=path, key=f"fetch.{key}")
    for key in ("concurrency", "per_host_concurrency", "max_bytes"):
        if getattr(fetch, key) < 1:
            raise ConfigError("must be at least 1", path=path, key=f"fetch.{key}")
    cluster = _build(ClusterSettings, data.get("cluster", {}), path=path, prefix="cluster")
    for key in ("address", "work_dir"):
        value = getattr(cluster, key)
        if value is not None and not value.strip():
            raise ConfigError("must not be empty (leave the key out instead)", path=path,
                              key=f"cluster.{key}")
    raw_sites = data.get("sites", [])
    if not isinstance(raw_sites, list):
        raise ConfigError("expected [[sites]] tables", path=path, key="sites")
    sites: list[SiteSettings] = []
    for i, raw in enumerate(raw_sites):
        prefix = f"sites[{i}]"
        site = _build(SiteSettings, raw, path=path, prefix=prefix)
        _validate_site(site, path=path, prefix=prefix)
        if any(s.name == site.name for s in sites):
            raise ConfigError(f"duplicate site name {site.name!r}", path=path, key=f"{prefix}.name")
        if not (site.feeds or site.sitemaps or site.pages):
            raise ConfigError("no feeds, sitemaps or pages to read", path=path,
                              key=f"{prefix} (name {site.name!r})")
        sites.append(site)
    return Config(path=path, archive=archive, fetch=fetch, sites=tuple(sites), cluster=cluster)


def load_config(path: str | Path | None = None) -> Config:
    """Read config.toml. With no path, ./config.toml if present, else the defaults."""
    if path is None:
        if not DEFAULT_CONFIG_PATH.is_file():
            return Config()
        path = DEFAULT_CONFIG_PATH
    path_str = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError("file not found", path=path_str) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path_str) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8 text", path=path_str) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path_str) from exc
    return parse_config(data, path=path_str)
