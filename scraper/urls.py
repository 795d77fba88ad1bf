"""URL normalisation, shared by discovery and the archive.

``normalise_url`` is what we store and fetch: courlan's normaliser (lower-case host, default
port dropped, tracking parameters such as utm_*/fbclid removed, query sorted), fragment dropped.
``url_key`` is the identity of a page: the normalised URL without scheme, ``www.`` or trailing
slash, so http/https, www./bare and /path vs /path/ variants are one article.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url


@lru_cache(maxsize=4096)
def normalise_url(url: str) -> str:
    """Canonical spelling of an http(s) URL for storage and fetching (a crawl asks for the
    same URL's spelling several times: discovery, planning, saving; hence the cache)."""
    url = url.strip()
    try:
        normalised = normalize_url(url, strict=False)
    except ValueError:
        normalised = url
    parts = urlsplit(normalised)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


@lru_cache(maxsize=4096)
def url_key(url: str) -> str:
    """Identity key: scheme-, www.-, trailing-slash- and tracking-insensitive."""
    parts = urlsplit(normalise_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port:
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def is_site_root(url: str) -> bool:
    """True for a bare home page URL (a canonical that points there identifies nothing)."""
    parts = urlsplit(url)
    return parts.path.strip("/") == "" and not parts.query


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
