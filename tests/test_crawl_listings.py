"""Listings that answer 304: what a crawl still fetches, and how it reads a sitemap tree.

A 304 on a feed, sitemap or section page means "the same links as last time", not "nothing to
do": articles due for a refresh and URLs worth another try are fetched whatever the listings
say, and the dry run plans exactly what the real run then fetches. Real servers on 127.0.0.1,
a real archive.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.fixture_site import NewsSite, site_config
from tests.httpserver import Reply
from tests.test_crawl import crawl, query, site_counts, write_config

LISTINGS = (NewsSite.FEED, NewsSite.ATOM, NewsSite.SITEMAP_INDEX, NewsSite.NEWS_SITEMAP,
            NewsSite.ARCHIVE_SITEMAP, NewsSite.SECTION, NewsSite.SECTION_PAGE_2)


def test_refresh_fires_while_every_listing_answers_304(tmp_path: Path) -> None:
    with NewsSite(articles=3) as site:
        write_config(tmp_path, site_config([("gazette", site)], refresh_after="1s"))
        assert crawl(tmp_path).exit_code == 0
        edited = site.articles[1]
        site.edit_article(edited)
        time.sleep(1.1)  # every article is now due
        dry = crawl(tmp_path, "--dry-run")
        before = len(site.server.requests)
        real = crawl(tmp_path)
        fetched = {r.path for r in site.server.requests[before:]} & {
            a.path for a in site.articles}
    assert dry.exit_code == 0, dry.output
    assert real.exit_code == 0, real.output
    # Nothing changed in any listing: each answered 304 to the dry run and the real run.
    for listing in LISTINGS:
        assert site.statuses(listing) == [200, 304, 304], listing
    # The dry run planned what the real run fetched: every article, as a refresh.
    planned = {tuple(line.split("\t")) for line in dry.stdout.splitlines()}
    assert planned == {("gazette", "refresh", site.url(a.path)) for a in site.articles}
    assert "3 would be fetched" in dry.stderr
    assert fetched == {a.path for a in site.articles}
    counts = site_counts(tmp_path, 2)["gazette"]
    assert (counts["fetched"], counts["updated"], counts["unchanged"]) == (3, 1, 2)
    revisions = query(tmp_path, "SELECT r.revision, r.body FROM revisions r JOIN articles a"
                                " ON a.id = r.article_id WHERE a.url = ? ORDER BY r.revision",
                      (site.url(edited.path),))
    assert [r[0] for r in revisions] == [1, 2] and "correction 1" in revisions[1][1]


def test_failed_urls_are_retried_by_the_policy_while_listings_answer_304(
        tmp_path: Path) -> None:
    from scraper.crawl.plan import RETRY_LIMIT

    with NewsSite(articles=4) as site:
        passing, lasting, always, fine = site.articles
        attempts = 3  # retries = 2 in site_config
        site.fail_next(passing.path, *[Reply(status=503)] * attempts)
        site.fail_next(lasting.path, Reply(status=404))
        site.fail_next(always.path, *[Reply(status=502)] * attempts * (RETRY_LIMIT + 1))
        write_config(tmp_path, site_config([("gazette", site)]))
        for _run in range(RETRY_LIMIT + 1):
            result = crawl(tmp_path)
            assert result.exit_code == 0, result.output
        assert site.statuses(NewsSite.FEED) == [200] + [304] * RETRY_LIMIT
        archived = {row[0] for row in query(tmp_path, "SELECT url FROM articles")}
        # A passing failure (5xx, timeout, network) is tried again next run...
        assert archived == {site.url(passing.path), site.url(fine.path)}
        assert site.requests_for(passing.path) == attempts + 1
        # ... up to RETRY_LIMIT runs; a lasting one (404, not HTML...) is not tried again.
        assert site.requests_for(always.path) == attempts * RETRY_LIMIT
        assert site.requests_for(lasting.path) == 1
        assert site.requests_for(fine.path) == 1


def test_a_sitemap_index_is_conditional_and_its_children_are_still_checked(
        tmp_path: Path) -> None:
    with NewsSite(articles=3) as site:
        write_config(tmp_path, site_config([("gazette", site)]))
        assert crawl(tmp_path).exit_code == 0
        # A new article in the child sitemaps only: the index, feeds and section are unchanged.
        added = site.add_article(3)
        added.in_feed = added.on_section = False
        second = crawl(tmp_path)
        third = crawl(tmp_path)
    assert second.exit_code == 0 and third.exit_code == 0, second.output + third.output
    assert site.requests_for(NewsSite.SITEMAP_INDEX) == 3  # once a run, though it lists itself
    assert site.conditional(NewsSite.SITEMAP_INDEX) == [False, True, True]
    assert site.statuses(NewsSite.SITEMAP_INDEX) == [200, 304, 304]
    for child in (NewsSite.NEWS_SITEMAP, NewsSite.ARCHIVE_SITEMAP):
        assert site.conditional(child) == [False, True, True], child
        assert site.statuses(child) == [200, 200, 304], child
    assert site.statuses(NewsSite.FEED) == [200, 304, 304]
    assert site_counts(tmp_path, 2)["gazette"]["new"] == 1
    assert query(tmp_path, "SELECT count(*) FROM articles WHERE url = ?",
                 (site.url(added.path),)) == [(1,)]
    assert site.requests_for(added.path) == 1
