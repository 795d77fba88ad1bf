"""scraper.crawl.parse and .scope: feeds, sitemaps and section pages in, candidate URLs out
(no network)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from scraper.crawl.parse import Candidate, parse_feed, parse_section_page, parse_sitemap
from scraper.crawl.scope import UrlFilter, host_key
from scraper.errors import DiscoverError

SITE = "https://www.harbourtimes.example"

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Times</title><link>https://www.harbourtimes.example/</link>
<item><title>Pier lights switched back on</title>
<link>https://www.harbourtimes.example/2024/06/pier-lights-switched-back-on/?utm_source=rss</link>
<pubDate>Tue, 04 Jun 2024 07:15:00 +0200</pubDate></item>
<item><title>Relative link story</title><link>/2024/06/relative-link-story/</link></item>
<item><title>No link at all</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.harbourtimes.example/news/">
<title>Harbour Times</title><id>tag:ht,2024:feed</id><updated>2024-06-05T10:00:00Z</updated>
<entry><title>Lifeboat crew honoured</title><id>tag:ht,2024:1</id>
<link rel="alternate" href="2024/06/lifeboat-crew-honoured/"/>
<link rel="enclosure" href="https://cdn.harbourtimes.example/crew.jpg"/>
<updated>2024-06-05T10:00:00Z</updated><published>2024-06-05T09:00:00Z</published></entry>
</feed>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://www.harbourtimes.example/rdf"><title>Harbour Times</title>
<link>https://www.harbourtimes.example/</link><description>d</description></channel>
<item rdf:about="https://www.harbourtimes.example/2024/05/tide-tables-printed/">
<title>Tide tables printed</title><link>https://www.harbourtimes.example/2024/05/tide-tables-printed/</link>
<dc:date>2024-05-30T18:00:00Z</dc:date></item>
</rdf:RDF>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.harbourtimes.example/2024/06/ferry-fares-frozen/</loc>
<news:news><news:publication><news:name>Harbour Times</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2024-06-03T12:00:00+01:00</news:publication_date>
<news:title>Ferry fares frozen</news:title></news:news></url>
<url><loc>https://www.harbourtimes.example/2024/06/plain-entry/</loc><lastmod>2024-06-02</lastmod></url>
<url><loc>  </loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.harbourtimes.example/sitemap-2024-06.xml.gz</loc><lastmod>2024-06-05</lastmod></sitemap>
<sitemap><loc>/sitemap-2024-05.xml</loc></sitemap>
</sitemapindex>"""


# --- feeds -------------------------------------------------------------------------------------


def test_rss2_entries_keep_title_and_date_hints() -> None:
    listing = parse_feed(RSS2, f"{SITE}/feed/")
    assert [c.url for c in listing.candidates] == [
        f"{SITE}/2024/06/pier-lights-switched-back-on/?utm_source=rss",
        f"{SITE}/2024/06/relative-link-story/",
    ]
    first = listing.candidates[0]
    assert first.title == "Pier lights switched back on"
    assert first.published == "2024-06-04T05:15:00+00:00"  # converted to UTC
    assert first.source == "feed"
    assert listing.candidates[1].published is None


def test_atom_uses_alternate_link_and_xml_base() -> None:
    listing = parse_feed(ATOM, f"{SITE}/atom.xml")
    assert [c.url for c in listing.candidates] == [f"{SITE}/news/2024/06/lifeboat-crew-honoured/"]
    assert listing.candidates[0].published == "2024-06-05T09:00:00+00:00"  # published, not updated


def test_rss1_rdf_feed() -> None:
    listing = parse_feed(RSS1, f"{SITE}/rdf")
    assert listing.candidates == [
        Candidate(url=f"{SITE}/2024/05/tide-tables-printed/", title="Tide tables printed",
                  published="2024-05-30T18:00:00+00:00", source="feed")
    ]


def test_feed_never_resolves_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top-secret-value")
    evil = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://'
            + str(secret).encode() + b'">]><rss version="2.0"><channel><item><title>&x;</title>'
            b"<link>https://www.harbourtimes.example/2024/06/a/</link></item></channel></rss>")
    listing = parse_feed(evil, f"{SITE}/feed/")
    assert all("top-secret" not in (c.title or "") for c in listing.candidates)


def test_garbage_is_not_a_feed() -> None:
    with pytest.raises(DiscoverError, match="not a readable feed"):
        parse_feed(b"\x00\x01 definitely not xml <<<", f"{SITE}/feed/")


# --- sitemaps ----------------------------------------------------------------------------------


def test_news_sitemap_keeps_news_title_and_date() -> None:
    listing = parse_sitemap(URLSET, f"{SITE}/news-sitemap.xml")
    assert [(c.url, c.title, c.published) for c in listing.candidates] == [
        (f"{SITE}/2024/06/ferry-fares-frozen/", "Ferry fares frozen", "2024-06-03T12:00:00+01:00"),
        (f"{SITE}/2024/06/plain-entry/", None, None),
    ]
    assert {c.source for c in listing.candidates} == {"sitemap"}
    assert listing.sitemaps == []


def test_gzipped_sitemap_is_detected_by_its_bytes() -> None:
    listing = parse_sitemap(gzip.compress(URLSET), f"{SITE}/sitemap.xml.gz")
    assert len(listing.candidates) == 2


def test_gzip_bomb_is_cut_off() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 2_000_000 + b"</urlset>")
    with pytest.raises(DiscoverError, match="more than 1,000,000 bytes"):
        parse_sitemap(bomb, f"{SITE}/s.xml.gz", max_bytes=1_000_000)


def test_broken_gzip_is_a_discover_error() -> None:
    with pytest.raises(DiscoverError, match="broken gzip"):
        parse_sitemap(b"\x1f\x8b\x08\x00garbage", f"{SITE}/s.xml.gz")


def test_sitemap_index_lists_children_with_lastmod() -> None:
    listing = parse_sitemap(INDEX, f"{SITE}/sitemap_index.xml")
    assert listing.candidates == []
    assert [(r.url, r.lastmod) for r in listing.sitemaps] == [
        (f"{SITE}/sitemap-2024-06.xml.gz", "2024-06-05"),
        (f"{SITE}/sitemap-2024-05.xml", None),
    ]


def test_sitemap_entities_are_not_expanded() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
              b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              b"<url><loc>https://www.harbourtimes.example/&c;</loc></url></urlset>")
    listing = parse_sitemap(laughs, f"{SITE}/s.xml")
    assert all("aaaaaaaaaa" not in c.url for c in listing.candidates)


def test_html_error_page_is_not_a_sitemap() -> None:
    with pytest.raises(DiscoverError):
        parse_sitemap(b"<html><body><h1>Service unavailable</h1></body></html>", f"{SITE}/s.xml")


# --- section pages -----------------------------------------------------------------------------


SECTION = """<!doctype html><html><head><base href="https://www.harbourtimes.example/world/">
<link rel="next" href="/world/page/2/"></head><body>
<a href="2024/06/story-one/">Story one</a>
<a href="https://www.harbourtimes.example/2024/06/story-two/#comments">Story two</a>
<a href="#top">Top</a> <a href="mailto:desk@harbourtimes.example">Mail</a>
<a href="javascript:void(0)">Menu</a>
<a rel="next nofollow" href="/world/page/2/">Older</a>
</body></html>"""


def test_section_page_links_resolve_against_base_href() -> None:
    listing = parse_section_page(SECTION, f"{SITE}/world/")
    assert [c.url for c in listing.candidates] == [
        f"{SITE}/world/2024/06/story-one/",
        f"{SITE}/2024/06/story-two/#comments",
        f"{SITE}/world/page/2/",
    ]
    assert all(c.title is None and c.source == "page" for c in listing.candidates)
    assert listing.next_pages == [f"{SITE}/world/page/2/"]


# --- the filter --------------------------------------------------------------------------------


def make_filter(**kwargs: object) -> UrlFilter:
    return UrlFilter([f"{SITE}/feed/", f"{SITE}/world/"], **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        pytest.param(f"{SITE}/2024/06/story/", True, id="same-host"),
        pytest.param("https://harbourtimes.example/2024/06/story/", True, id="without-www"),
        pytest.param("http://WWW.HarbourTimes.example:80/2024/06/story/", True, id="case-port"),
        pytest.param("https://other.example/2024/06/story/", False, id="other-host"),
        pytest.param("https://harbourtimes.example.attacker.example/a/", False, id="lookalike"),
        pytest.param("https://www.harbourtimes.example:8443/2024/06/s/", False, id="other-port"),
        pytest.param("ftp://www.harbourtimes.example/2024/06/story/", False, id="ftp"),
        pytest.param(f"{SITE}/", False, id="home-page"),
        pytest.param(f"{SITE}/feed/", False, id="own-feed"),
        pytest.param(f"{SITE}/media/photo.JPG", False, id="image-file"),
    ],
)
def test_filter_hosts_schemes_and_files(url: str, accepted: bool) -> None:
    assert (make_filter().accept(url) is not None) is accepted


def test_allowed_hosts_extend_the_seed_hosts() -> None:
    url_filter = make_filter(allowed_hosts=["amp.harbourtimes.example", "https://news.example:8443"])
    assert url_filter.accept("https://amp.harbourtimes.example/2024/06/s/")
    assert url_filter.accept("https://news.example:8443/2024/06/s/")
    assert url_filter.accept("https://news.example/2024/06/s/") is None


def test_include_and_exclude_patterns() -> None:
    url_filter = make_filter(include=[r"/\d{4}/\d{2}/"], exclude=[r"/tag/", r"/page/\d+"])
    assert url_filter.accept(f"{SITE}/2024/06/story/")
    assert url_filter.accept(f"{SITE}/about/") is None
    assert url_filter.accept(f"{SITE}/2024/06/tag/ferries/") is None
    reason = url_filter.why_rejected(f"{SITE}/2024/06/page/2/")
    assert reason == "matches exclude pattern '/page/\\\\d+'"


def test_select_normalises_dedupes_and_merges_hints() -> None:
    found = [
        Candidate(url=f"{SITE}/2024/06/story/?utm_source=rss&fbclid=abc", source="page"),
        Candidate(url="https://harbourtimes.example/2024/06/story#comments", title="Story",
                  published="2024-06-01T00:00:00+00:00", source="feed"),
        Candidate(url="https://other.example/2024/06/story/", source="page"),
        Candidate(url=f"{SITE}/2024/06/second/", source="sitemap"),
    ]
    chosen = make_filter().select(found)
    assert chosen == [
        Candidate(url=f"{SITE}/2024/06/story/", title="Story",
                  published="2024-06-01T00:00:00+00:00", source="feed"),
        Candidate(url=f"{SITE}/2024/06/second/", source="sitemap"),
    ]


def test_host_key() -> None:
    assert host_key("https://www.Example.com:443/a") == "example.com"
    assert host_key("http://127.0.0.1:8080/a") == "127.0.0.1:8080"
