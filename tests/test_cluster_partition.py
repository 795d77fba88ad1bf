"""Splitting work into shards: sites by registrable domain, WARC files by size, article ids
by ranges; and the [cluster] settings."""

from __future__ import annotations

import pytest

from scraper.cluster.partition import (
    id_ranges,
    registrable_domain,
    shard_files,
    shard_sites,
)
from scraper.config import SiteSettings, parse_config
from scraper.errors import ConfigError


def site(name: str, *urls: str, allowed: tuple[str, ...] = (), weight: int = 10) -> SiteSettings:
    return SiteSettings(name=name, feeds=urls, allowed_hosts=allowed, max_articles=weight)


@pytest.mark.parametrize(("host", "domain"), [
    ("www.bbc.co.uk", "bbc.co.uk"),
    ("feeds.bbci.co.uk", "bbci.co.uk"),
    ("WWW.Example.COM.", "example.com"),
    ("cdn.news.example", "news.example"),
    ("127.0.0.1", "127.0.0.1"),
    ("127.0.0.2", "127.0.0.2"),
    ("::1", "::1"),
    ("localhost", "localhost"),
])
def test_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def names(shards: list[list[SiteSettings]]) -> list[list[str]]:
    return [[s.name for s in shard] for shard in shards]


def test_sites_sharing_a_registrable_domain_share_a_shard() -> None:
    sites = [
        site("bbc-news", "https://feeds.bbc.co.uk/news/rss.xml", allowed=("www.bbc.co.uk",)),
        site("guardian", "https://www.theguardian.com/world/rss"),
        site("bbc-sport", "https://www.bbc.co.uk/sport/rss.xml"),
        site("npr", "https://feeds.npr.org/1001/rss.xml"),
        site("local-a", "http://127.0.0.1:8001/feed/"),
        site("local-b", "http://127.0.0.1:8002/feed/"),
        site("local-c", "http://127.0.0.2:8001/feed/"),
    ]
    shards = shard_sites(sites, 8)
    together = {frozenset(shard) for shard in names(shards)}
    assert frozenset({"bbc-news", "bbc-sport"}) in together
    assert frozenset({"local-a", "local-b"}) in together  # one IP host, two ports
    assert {"guardian"} <= next(s for s in together if "guardian" in s)
    assert len(shards) == 5
    assert sorted(n for shard in names(shards) for n in shard) == sorted(s.name for s in sites)


def test_an_allowed_host_joins_two_sites() -> None:
    sites = [site("a", "https://a.example.com/feed", allowed=("cdn.shared.net",)),
             site("b", "https://b.example.org/feed", allowed=("img.shared.net",)),
             site("c", "https://c.example.net/feed")]
    assert names(shard_sites(sites, 3)) == [["a", "b"], ["c"]]
    # d shares example.net with c and shared.net with a: the join is transitive
    sites.append(site("d", "https://d.example.net/feed", allowed=("x.shared.net",)))
    assert names(shard_sites(sites, 3)) == [["a", "b", "c", "d"]]


def test_shards_are_balanced_and_stable() -> None:
    sites = [site(f"s{i}", f"https://www.site{i}.com/feed", weight=w)
             for i, w in enumerate([50, 40, 30, 20, 10, 10])]
    shards = shard_sites(sites, 2)
    loads = sorted(sum(s.max_articles for s in shard) for shard in shards)
    assert loads == [80, 80]
    assert names(shard_sites(sites, 2)) == names(shards)
    assert len(shard_sites(sites, 1)) == 1
    assert len(shard_sites(sites[:2], 8)) == 2  # never an empty shard
    with pytest.raises(ValueError):
        shard_sites(sites, 0)


def test_files_are_split_whole_by_size() -> None:
    files = [("a.warc.gz", 900), ("b.warc.gz", 500), ("c.warc.gz", 400), ("d.warc.gz", 10)]
    shards = shard_files(files, 2)
    assert sorted(sorted(s) for s in shards) == [["a.warc.gz", "d.warc.gz"],
                                                 ["b.warc.gz", "c.warc.gz"]]
    assert shard_files(files[:1], 4) == [["a.warc.gz"]]


def test_id_ranges_cover_every_id_once() -> None:
    ids = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89]
    ranges = id_ranges(ids, 3)
    assert len(ranges) == 3
    covered = [i for first, last in ranges for i in ids if first <= i <= last]
    assert covered == ids
    assert id_ranges(ids[:2], 5) == [(1, 1), (2, 2)]
    assert id_ranges([], 4) == []


def test_cluster_settings_parse_and_validate() -> None:
    config = parse_config({"cluster": {"address": "auto", "shards": 4,
                                       "work_dir": "/shared/work"}})
    assert config.cluster.address == "auto"
    assert config.cluster.shards == 4
    assert str(config.cluster.work_dir_for("/srv/a.db")) == "/shared/work"
    assert parse_config({}).cluster.address is None
    assert str(parse_config({}).cluster.work_dir_for("/srv/a.db")) == "/srv/a.db.cluster"
    for bad, key in ([{"shards": -1}, "cluster.shards"], [{"address": ""}, "cluster.address"],
                     [{"address": 5}, "cluster.address"], [{"nodes": 3}, "cluster.nodes"]):
        with pytest.raises(ConfigError) as caught:
            parse_config({"cluster": bad})
        assert key in str(caught.value)
