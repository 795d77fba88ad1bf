"""config.toml -> frozen, validated settings.

Defaults are polite and live here, in code; the file only overrides them. An unknown key,
a wrong type, a negative number or a bad regex is a ``ConfigError`` naming the file and key.
Settings are read once and passed on as plain values.
"""

from __future__ import annotations

import dataclasses
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


_CHECKS: dict[object, Check] = {
    str: _check_str, bool: _check_bool, int: _check_int, float: _check_float,
    tuple[str, ...]: _check_strings,
}
"""The check for each setting type; a field's ``metadata["check"]`` overrides it."""


@dataclass(frozen=True, slots=True)
class FetchSettings:
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


@dataclass(frozen=True, slots=True)
class ArchiveSettings:
    path: str = DEFAULT_ARCHIVE_PATH


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


@dataclass(frozen=True, slots=True)
class Config:
    path: str | None = None
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    sites: tuple[SiteSettings, ...] = ()

    def site(self, name: str) -> SiteSettings:
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
    known = {"archive", "fetch", "sites"}
    for key in data:
        if key not in known:
            raise ConfigError(
                f"unknown key (known: {', '.join(sorted(known))})", path=path, key=key
            )
    archive = _build(ArchiveSettings, data.get("archive", {}), path=path, prefix="archive")
    fetch = _build(FetchSettings, data.get("fetch", {}), path=path, prefix="fetch")
    for key in ("timeout", "deadline"):
        if getattr(fetch, key) <= 0:
            raise ConfigError("must be greater than 0", path=path, key=f"fetch.{key}")
    for key in ("concurrency", "per_host_concurrency", "max_bytes"):
        if getattr(fetch, key) < 1:
            raise ConfigError("must be at least 1", path=path, key=f"fetch.{key}")
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
    return Config(path=path, archive=archive, fetch=fetch, sites=tuple(sites))


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
