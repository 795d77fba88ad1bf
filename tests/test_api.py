"""The Python API as a user writes it: ``import scraper`` and nothing private.

Real HTTP servers on 127.0.0.1 (the fixture news site, tests/fixture_site.py), real SQLite
files in tmp_path. How polite ``afetch_many`` is, is read from the servers' own request logs.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

import scraper
from tests.fixture_site import NewsSite, make_article, render_article, site_config
from tests.httpserver import FixtureServer, Reply, html_reply

FAST = scraper.FetchSettings(per_host_delay=0.0, retries=0, timeout=5.0)


def page_of(index: int, url: str, *, edition: int = 0) -> str:
    article = make_article(index, theme="jsonld", edition=edition)
    return render_article(article, url, [])


# extract ----------------------------------------------------------------------------------


def test_extract_gives_the_record_of_a_page() -> None:
    fixture = make_article(3, theme="wordpress")
    url = f"https://gazette.example{fixture.path}"
    art = scraper.extract(render_article(fixture, url, []), url=url)
    assert isinstance(art, scraper.Article)
    assert art.title == fixture.title
    assert art.published is not None and art.published.startswith(
        fixture.published.date().isoformat())
    assert fixture.paragraphs[0][:40] in art.body
    assert art.to_dict()["title"] == fixture.title
    # bytes in the page's own charset are decoded as a fetch would
    again = scraper.extract(render_article(fixture, url, []).encode("utf-16"), url=url)
    assert again.body == art.body


def test_extract_refuses_a_listing_unless_any_page() -> None:
    html = "<html><body><ul>" + "".join(
        f'<li><a href="/2024/01/0{n}/story-{n}/">Story number {n} of the day</a></li>'
        for n in range(1, 10)) + "</ul></body></html>"
    with pytest.raises(scraper.NotAnArticle) as refused:
        scraper.extract(html, url="https://gazette.example/")
    assert isinstance(refused.value, scraper.ExtractError)
    assert refused.value.label == "https://gazette.example/"
    record = scraper.extract(html, url="https://gazette.example/", any_page=True)
    assert record.page_type != "article"


# fetch ------------------------------------------------------------------------------------


def test_fetch_obeys_robots_and_raises_only_our_errors() -> None:
    with NewsSite(articles=2) as site:
        fixture = site.articles[0]
        art = scraper.fetch(site.url(fixture.path), FAST)
        assert art.title == fixture.title and art.url == site.url(fixture.path)
        with pytest.raises(scraper.RobotsRefused):
            scraper.fetch(site.url(NewsSite.PRIVATE), FAST)
        with pytest.raises(scraper.FetchError) as missing:
            scraper.fetch(site.url("/2024/01/02/no-such-story/"), FAST)
        assert missing.value.status == 404
        private_requests = site.requests_for(NewsSite.PRIVATE)
    assert private_requests == 0


def test_fetch_works_inside_a_running_event_loop() -> None:
    with NewsSite(articles=1) as site:
        url = site.url(site.articles[0].path)

        async def notebook_cell() -> scraper.Article:
            return scraper.fetch(url, FAST)

        assert asyncio.run(notebook_cell()).title == site.articles[0].title


def _slow_site(server: FixtureServer, count: int, delay: float) -> list[str]:
    urls = []
    for n in range(count):
        path = f"/2024/02/{n + 1:02d}/story-{n}/"
        reply = html_reply(page_of(n, server.url(path)))
        server.route(path, Reply(status=reply.status, body=reply.body, headers=reply.headers,
                                 delay=delay))
        urls.append(server.url(path))
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n",
                                      headers={"Content-Type": "text/plain"}))
    return urls


def test_afetch_many_keeps_to_per_host_concurrency() -> None:
    with FixtureServer() as one, FixtureServer() as two:
        urls = _slow_site(one, 6, 0.3) + _slow_site(two, 6, 0.3)
        settings = scraper.FetchSettings(per_host_concurrency=2, per_host_delay=0.0,
                                         concurrency=16, retries=0)
        done = asyncio.run(scraper.afetch_many(urls, settings))
        assert [d.url for d in done] == urls and all(d.ok for d in done), done
        # each server saw at most two at once, and did get two at once
        assert one.max_in_flight == 2 and two.max_in_flight == 2
        assert one.paths().count("/robots.txt") == 1 and two.paths().count("/robots.txt") == 1


def test_afetch_many_paces_each_host_and_obeys_robots() -> None:
    with FixtureServer() as server:
        urls = _slow_site(server, 4, 0.0)
        private = server.url("/private/staff-rota/")
        server.route("/private/staff-rota/", html_reply(page_of(9, private)))
        settings = scraper.FetchSettings(per_host_concurrency=1, per_host_delay=0.25,
                                         retries=0)
        done = asyncio.run(scraper.afetch_many([*urls, private], settings))
        starts = [r.started for r in server.requests]
        paths = server.paths()
    assert [d.ok for d in done] == [True, True, True, True, False]
    assert isinstance(done[-1].error, scraper.RobotsRefused)
    assert "/private/staff-rota/" not in paths
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(gaps) == 4 and min(gaps) >= 0.2  # robots.txt, then four pages, 0.25 s apart


def test_afetch_many_reports_each_failure_in_its_place() -> None:
    with FixtureServer() as server:
        urls = _slow_site(server, 2, 0.0)
        server.route("/gone/", Reply(status=410))
        done = asyncio.run(scraper.afetch_many([urls[0], server.url("/gone/"), urls[1]], FAST))
    assert [d.ok for d in done] == [True, False, True]
    assert isinstance(done[1].error, scraper.FetchError) and done[1].error.status == 410


# Archive ----------------------------------------------------------------------------------


def test_archive_save_search_get_history(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    url = "https://gazette.example/2024/03/01/harbour-wall/"
    first = scraper.extract(page_of(0, url), url=url)
    changed = scraper.extract(page_of(0, url, edition=1), url=url)
    other_url = "https://gazette.example/2024/05/01/other/"
    other = scraper.extract(page_of(1, other_url), url=other_url)
    with scraper.Archive(path) as db:
        saved = db.save(first, site="gazette")
        assert (saved.status, saved.revision) == ("new", 1)
        assert db.save(first, site="gazette").status == "unchanged"
        assert db.save(changed, site="gazette") == scraper.SaveResult(saved.article_id,
                                                                      "updated", 2)
        db.save(other, site="ledger")
        word = first.title.split()[-1] if first.title else ""
        hits = db.search(word)
        assert [hit.url for hit in hits][:1] == [url]
        other_word = other.title.split()[-1] if other.title else ""
        assert [h.url for h in db.search(other_word, site="ledger")] == [other_url]
        assert other_url not in [h.url for h in db.search(other_word, site="gazette")]
        assert db.search(word, since="2030-01-01") == []
        detail = db.get(url + "?utm_source=feed")
        assert detail.record["id"] == saved.article_id and detail.record["site"] == "gazette"
        assert db.get(saved.article_id).record["url"] == url
        history = db.history(url)
        assert [r.revision for r in history] == [1, 2]
        assert history[0].body == first.body and history[1].body == changed.body
        with pytest.raises(scraper.ArchiveError):
            db.get("https://gazette.example/never-archived/")
        assert [r["url"] for r in db.records(site="ledger")] == [other_url]
        assert db.stats(by="site").articles == 2
    rows = sqlite3.connect(path).execute("SELECT count(*) FROM revisions").fetchone()
    assert rows == (3,)


def test_archive_duplicates_groups_copies(tmp_path: Path) -> None:
    with scraper.Archive(tmp_path / "archive.db") as db:
        for host, credit in (("a.example", ""), ("b.example", "By the agencies. ")):
            url = f"https://{host}/2024/03/01/harbour-wall/"
            html = page_of(0, url).replace("<p>", f"<p>{credit}", 1)  # a syndicated copy
            db.save(scraper.extract(html, url=url), site=host)
        lone = "https://c.example/2024/03/01/else/"
        db.save(scraper.extract(page_of(5, lone), url=lone), site="c.example")
        groups = db.duplicates(threshold=0.9)
        assert [[m.site for m in g.members] for g in groups] == [["a.example", "b.example"]]
        with pytest.raises(scraper.ArchiveError):
            db.duplicates(threshold=2.0)


def test_archive_to_pandas_and_its_errors(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    with scraper.Archive(tmp_path / "archive.db") as db:
        for n in range(3):
            url = f"https://gazette.example/2024/03/0{n + 1}/story-{n}/"
            db.save(scraper.extract(page_of(n, url), url=url), site="gazette")
        frame = db.to_pandas("SELECT id, title, published FROM article_latest WHERE id > ?",
                             [1])
        assert list(frame["id"]) == [2, 3]
        with pytest.raises(scraper.ArchiveError):
            db.to_pandas("SELECT nothing FROM nowhere")


def test_archive_refuses_another_applications_file(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    with pytest.raises(scraper.ArchiveError, match="not a scraper archive"):
        scraper.Archive(path)


def test_archive_fetch_is_fetch_save(tmp_path: Path) -> None:
    with NewsSite(articles=2) as site:
        config = tmp_path / "config.toml"
        config.write_text(site_config([("gazette", site)], archive=str(tmp_path / "x.db")))
        url = site.url(site.articles[0].path)
        with scraper.Archive(tmp_path / "archive.db") as db:
            saved = db.fetch(url, config=config)
            assert (saved.site, saved.result.status) == ("gazette", "new")
            assert db.fetch(url, config=config).result.status == "unchanged"
            assert db.get(url).record["site"] == "gazette"
            with pytest.raises(scraper.RobotsRefused):
                db.fetch(site.url(NewsSite.PRIVATE), config=config)
    captures = sqlite3.connect(tmp_path / "archive.db").execute(
        "SELECT count(*) FROM captures WHERE url = ?", [url]).fetchone()
    assert captures == (2,)


# crawl ------------------------------------------------------------------------------------


def test_crawl_returns_the_run_report(tmp_path: Path) -> None:
    with NewsSite(articles=4) as site:
        config = tmp_path / "config.toml"
        config.write_text(site_config([("gazette", site)], archive=str(tmp_path / "a.db")))
        events: list[scraper.CrawlEvent] = []
        report = scraper.crawl(config, sites=["gazette"], max_articles=2, on_event=events.append)
    assert isinstance(report, scraper.RunReport)
    assert report.status == "completed" and report.totals.new == 2
    assert [s.name for s in report.sites] == ["gazette"]
    assert sum(e.kind == "article" for e in events) == 2
    with scraper.Archive(tmp_path / "a.db") as db:
        assert db.stats().articles == 2
    with pytest.raises(scraper.ConfigError):
        scraper.crawl(config, sites=["no-such-site"])
