"""How work is split into shards: pure functions, no Ray, no I/O.

::

    crawl     sites -> shards by registrable domain: every site whose hosts share one
              (``bbc.co.uk`` for ``www.bbc.co.uk`` and ``feeds.bbc.co.uk``; an IP address or
              ``localhost``: the host itself) lands in the same shard, so a host is only ever
              fetched by one worker and the per-host limits hold across the cluster
    import    WARC files -> shards, balanced by size
    reextract article ids -> contiguous ranges of about equal counts

Groups are placed largest first on the least loaded shard (a crawl group weighs the articles
its sites may fetch), so the shards come out even and the same input always gives the same
shards.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

from tld import get_fld

from scraper.config import SiteSettings


def registrable_domain(host: str) -> str:
    """The domain a host's owner registered (``news.example.co.uk`` for
    ``www.news.example.co.uk``); an IP address or ``localhost`` is itself. A host under no
    known public suffix (``cdn.news.example``) counts by its last two labels."""
    host = host.lower().strip().rstrip(".").strip("[]")
    if host == "localhost" or _is_ip(host):
        return host
    found = get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(found, str) and found:
        return found
    return ".".join(host.split(".")[-2:])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def site_hosts(site: SiteSettings) -> set[str]:
    """Every host a site's crawl may fetch from: its listings' hosts and ``allowed_hosts``."""
    hosts = {urlsplit(url).hostname or "" for url in (*site.feeds, *site.sitemaps, *site.pages)}
    hosts.update(host.lower() for host in site.allowed_hosts)
    hosts.discard("")
    return hosts


def site_groups(sites: Sequence[SiteSettings]) -> list[list[SiteSettings]]:
    """The sites joined by shared registrable domains (transitively), in config order."""
    parent = list(range(len(sites)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, site in enumerate(sites):
        for domain in sorted({registrable_domain(h) for h in site_hosts(site)}):
            if domain in owner:
                parent[root(i)] = root(owner[domain])
            else:
                owner[domain] = i
    groups: dict[int, list[SiteSettings]] = {}
    for i, site in enumerate(sites):
        groups.setdefault(root(i), []).append(site)
    return list(groups.values())


def _place(weights: Sequence[int], shards: int) -> list[list[int]]:
    """Indexes of ``weights`` placed heaviest first on the lightest shard; empty shards
    dropped; each shard's indexes in input order."""
    if shards < 1:
        raise ValueError("shards must be at least 1")
    bins: list[list[int]] = [[] for _ in range(min(shards, len(weights)))]
    loads = [0] * len(bins)
    for index in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        lightest = min(range(len(bins)), key=lambda b: (loads[b], b))
        bins[lightest].append(index)
        loads[lightest] += weights[index]
    return [sorted(b) for b in bins if b]


def shard_sites(sites: Sequence[SiteSettings], shards: int) -> list[list[SiteSettings]]:
    """The sites split into at most ``shards`` shards; sites sharing a registrable domain
    are always in the same one."""
    groups = site_groups(sites)
    placed = _place([sum(max(s.max_articles, 1) for s in g) for g in groups], shards)
    order = {site.name: i for i, site in enumerate(sites)}
    return [sorted((s for g in shard for s in groups[g]), key=lambda s: order[s.name])
            for shard in placed]


def shard_files(files: Sequence[tuple[str, int]], shards: int) -> list[list[str]]:
    """WARC files ``(path, size)`` split into at most ``shards`` shards of about equal
    bytes; a file is never split."""
    placed = _place([max(size, 1) for _path, size in files], shards)
    return [[files[i][0] for i in shard] for shard in placed]


def id_ranges(ids: Sequence[int], shards: int) -> list[tuple[int, int]]:
    """Sorted article ids split into at most ``shards`` inclusive ``(first, last)`` ranges
    holding about equal numbers of ids."""
    if shards < 1:
        raise ValueError("shards must be at least 1")
    count = len(ids)
    parts = min(shards, count)
    bounds = [(part * count // parts, (part + 1) * count // parts) for part in range(parts)]
    return [(ids[start], ids[end - 1]) for start, end in bounds]
