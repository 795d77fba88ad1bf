"""Walls (issue 15): bot challenges, consent walls, login walls and soft 404s are never
archived; paywall teasers are archived and flagged; a site that keeps answering with walls is
left alone for the run. Real servers on 127.0.0.1, pages written in tests/wall_pages.py."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scraper.cli import main
from scraper.crawl.blocking import FIRST_FETCHES, IN_A_ROW, WallTally
from scraper.extract import extract_article
from tests.fixture_articles import render_article
from tests.fixture_site import NewsSite, site_config
from tests.httpserver import FixtureServer, Reply
from tests.wall_pages import (
    BLOCKING,
    CLOUDFLARE_403,
    CLOUDFLARE_503,
    CONSENT_OVERLAY_BANNER,
    HTML,
    PAYWALLED,
    PROMPT,
    WallPage,
)


def crawl(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["crawl", "--config", str(tmp_path / "config.toml"),
                                     "--db", str(tmp_path / "archive.db"), *args])


def query(tmp_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "archive.db") as db:
        return db.execute(sql, params).fetchall()


def serve_walls(site: NewsSite, walls: tuple[WallPage, ...]) -> dict[str, WallPage]:
    """Answer one article of ``site`` with each wall (once): {its URL: the wall}."""
    chosen = {}
    for article, wall in zip(site.articles, walls, strict=False):
        site.fail_next(article.path, wall.reply())
        chosen[site.url(article.path)] = wall
    return chosen


def test_walls_among_healthy_articles_are_never_archived(tmp_path: Path) -> None:
    half = len(BLOCKING) // 2
    with NewsSite(articles=14) as gazette, NewsSite(articles=14, first_index=40) as courier:
        walls = {**serve_walls(gazette, BLOCKING[:half]), **serve_walls(courier, BLOCKING[half:])}
        (tmp_path / "config.toml").write_text(
            site_config([("gazette", gazette), ("courier", courier)]), encoding="utf-8")
        result = crawl(tmp_path, "--log-format", "json")
        requests = {url: sum(1 for r in site.server.requests if site.url(r.path) == url)
                    for site in (gazette, courier) for url in walls if url.startswith(site.url())}
    assert result.exit_code == 0, result.output
    archived = {row[0] for row in query(tmp_path, "SELECT url FROM articles")}
    assert archived.isdisjoint(walls)
    healthy = {site.url(a.path) for site in (gazette, courier) for a in site.articles} - set(walls)
    assert archived == healthy
    failures = {url: (stage, reason, retry) for url, stage, reason, retry in query(
        tmp_path, "SELECT url, stage, reason, retry FROM failures")}
    for url, wall in walls.items():
        assert failures[url] == ("blocked", wall.reason, 1), wall.name
    # A challenge answered with 503 is not retried within the run (the retry would have got
    # the article: the wall is served once).
    assert requests[next(u for u, w in walls.items() if w is CLOUDFLARE_503)] == 1
    assert query(tmp_path, "SELECT count(*) FROM revisions")[0][0] == len(healthy)
    summary = json.loads(result.stderr.splitlines()[-1])
    assert summary["status"] == "completed"
    assert all(site["blocked"] is None for site in summary["sites"].values())


def test_paywall_teasers_are_archived_flagged_without_the_prompt(tmp_path: Path) -> None:
    with NewsSite(articles=4) as site:
        teasers = serve_walls(site, PAYWALLED)
        (tmp_path / "config.toml").write_text(site_config([("gazette", site)]),
                                              encoding="utf-8")
        result = crawl(tmp_path)
    assert result.exit_code == 0, result.output
    rows = {url: (paywalled, body) for url, paywalled, body in query(
        tmp_path, "SELECT url, paywalled, body FROM articles")}
    assert len(rows) == 4
    for url, (paywalled, body) in rows.items():
        assert paywalled == (url in teasers)
        if url in teasers:
            assert "harbour board voted" in body.lower()
            assert "subscribe" not in body.lower() and PROMPT not in body
    export = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "archive.db"),
                                       "--format", "jsonl"])
    assert sorted(json.loads(line)["paywalled"] for line in export.output.splitlines()) == [
        0, 0, 1, 1]


def test_a_refresh_answered_by_a_challenge_keeps_the_archived_article(tmp_path: Path) -> None:
    with NewsSite(articles=3) as site:
        (tmp_path / "config.toml").write_text(
            site_config([("gazette", site)], refresh_after="0s"), encoding="utf-8")
        assert crawl(tmp_path).exit_code == 0
        before = query(tmp_path, "SELECT id, url, title, body, content_hash, revision_count"
                                 " FROM articles ORDER BY id")
        revisions = query(tmp_path, "SELECT * FROM revisions ORDER BY id")
        target = site.articles[0]
        for article in site.articles:  # each page read now makes a new revision
            site.edit_article(article)
        site.fail_next(target.path, CLOUDFLARE_403.reply())
        result = crawl(tmp_path, "--log-format", "json")
    assert result.exit_code == 0, result.output
    after = query(tmp_path, "SELECT id, url, title, body, content_hash, revision_count"
                            " FROM articles ORDER BY id")
    changed = [a for a, b in zip(after, before, strict=True) if a != b]
    assert len(changed) == 2 and all(row[1] != site.url(target.path) for row in changed)
    assert [r for r in query(tmp_path, "SELECT * FROM revisions ORDER BY id")
            if r in revisions] == revisions
    assert query(tmp_path, "SELECT stage, reason FROM failures WHERE run_id = 2") == [
        ("blocked", CLOUDFLARE_403.reason)]


def test_a_site_that_keeps_answering_with_walls_is_left_alone(tmp_path: Path) -> None:
    with NewsSite(articles=30) as site, NewsSite(articles=3, first_index=50) as other:
        for article in site.articles:
            site.fail_next(article.path, CLOUDFLARE_403.reply())
        (tmp_path / "config.toml").write_text(
            site_config([("walled", site), ("open", other)], per_host_concurrency=1),
            encoding="utf-8")
        result = crawl(tmp_path)
        article_requests = sum(1 for r in site.server.requests
                               if any(r.path == a.path for a in site.articles))
    assert result.exit_code == 1, result.output
    assert article_requests == IN_A_ROW
    assert "blocked: walled" in result.stderr
    assert "user_agent" in result.stderr and "cookies" in result.stderr
    assert "10 fetches in a row met a wall" in result.stderr
    assert query(tmp_path, "SELECT count(*) FROM articles WHERE site = 'open'") == [(3,)]
    assert query(tmp_path, "SELECT count(*) FROM articles WHERE site = 'walled'") == [(0,)]


def test_more_than_half_of_the_first_fetches_walled_stops_a_site() -> None:
    tally = WallTally()
    outcomes = ["challenge" if i % 3 else None for i in range(FIRST_FETCHES)]
    stops = [tally.count(wall) for wall in outcomes]
    assert stops.index(True) == 16  # the 11th wall, within the first 20, no 10 in a row
    assert tally.stopped is not None and "11 of its first 20" in tally.stopped
    healthy = WallTally()
    assert not any(healthy.count(None if i % 2 else "challenge") for i in range(40))


def test_fetch_says_blocked_and_exits_1(tmp_path: Path) -> None:
    with FixtureServer() as server:
        for wall in BLOCKING:
            server.route(f"/2024/03/{wall.name}/", wall.reply())
        for wall in BLOCKING:
            result = CliRunner().invoke(main, ["fetch", server.url(f"/2024/03/{wall.name}/"),
                                               "--ignore-robots", "--save", "--db",
                                               str(tmp_path / "archive.db")])
            assert result.exit_code == 1, (wall.name, result.output)
            assert wall.reason in result.output, (wall.name, result.output)
    assert query(tmp_path, "SELECT count(*) FROM articles") == [(0,)]


@pytest.mark.parametrize("wall", PAYWALLED, ids=lambda w: w.name)
def test_fetch_flags_a_paywall_teaser(wall: WallPage) -> None:
    with FixtureServer() as server:
        server.route("/2024/03/teaser/", wall.reply())
        result = CliRunner().invoke(main, ["fetch", server.url("/2024/03/teaser/"),
                                           "--ignore-robots"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["paywalled"] is True and "Subscribe" not in record["body"]


def test_a_consent_banner_over_a_full_article_is_chrome(tmp_path: Path) -> None:
    with NewsSite(articles=1) as site:
        article = site.articles[0]
        page = render_article(article, site.url(article.path), [])
        page = page.replace("</body>", CONSENT_OVERLAY_BANNER + "</body>")
        site.fail_next(article.path, Reply(body=page.encode(), headers=HTML))
        (tmp_path / "config.toml").write_text(site_config([("gazette", site)]),
                                              encoding="utf-8")
        assert crawl(tmp_path).exit_code == 0
    [(body, paywalled)] = query(tmp_path, "SELECT body, paywalled FROM articles")
    assert article.paragraphs[0] in body and paywalled == 0
    assert "We value your privacy" not in body


@pytest.mark.parametrize("text", [
    "Cloudflare said on Tuesday that a challenge page was shown to some visitors. "
    "Just a moment, said the spokesperson, before explaining cookies and consent banners.",
])
def test_an_article_about_walls_is_no_wall(text: str) -> None:
    paragraphs = "".join(f"<p>{text} Paragraph {i} of the story goes on.</p>" for i in range(8))
    html = (f"<html><head><title>Why sites ask: are you a robot?</title></head><body><article>"
            f"<h1>Why sites ask if you are human</h1>{paragraphs}</article></body></html>")
    article = extract_article(html, "https://example.test/2024/03/walls/", status=200)
    assert article.wall == "" and not article.paywalled and article.body


SITE_AROUND = "".join(
    f"<li><a href='/section/{i}/'>Section {i} news and local reports from the coast</a></li>"
    for i in range(60))
"""A site's menus and footer: some 500 words around a story."""


@pytest.mark.parametrize("extra", [
    "<script src='/_Incapsula_Resource?SWJIYLWA=0a1b2c3d'></script>",
    "<script src='https://cdn.cookielaw.org/scripttemplates/otSDKStub.js'></script>"
    "<div id='onetrust-consent-sdk'></div>",
    "<form class='comment-login'><input type='text' name='user'>"
    "<input type='password' name='pass'><button>Log in to comment</button></form>",
], ids=["protection-script", "consent-manager", "comment-login"])
def test_a_short_story_with_a_site_around_it_is_no_wall(extra: str) -> None:
    story = ("The ferry timetable changes on Monday, when the first crossing leaves at "
             "seven instead of half past six, the harbour office said.")
    html = (f"<html><head><title>Ferry timetable changes | The Gazette</title>"
            f"</head><body><nav><ul>{SITE_AROUND}</ul></nav><article><h1>Ferry timetable "
            f"changes</h1><p>{story}</p></article>{extra}<footer><ul>{SITE_AROUND}</ul>"
            f"</footer></body></html>")
    article = extract_article(html, "https://example.test/2024/03/ferry/", status=200)
    assert article.wall == "", article.wall_reason


def test_a_login_box_in_the_header_of_a_short_story_is_no_wall() -> None:
    html = ("<html><head><title>Council wins school grant | The Gazette</title></head><body>"
            "<header><form action='/login'><input name='u'><input type='password' name='p'>"
            "<button>Log in</button></form></header><article><h1>Council wins school grant"
            "</h1><p>The council's bid for a new school wing was among those chosen …</p>"
            "</article></body></html>")
    article = extract_article(html, "https://example.test/2024/03/grant/", status=200)
    assert article.wall == "", article.wall_reason


def test_paywall_buttons_and_labels_do_not_make_a_teaser() -> None:
    paragraphs = "".join(f"<p>The harbour story goes on, paragraph {i}, with the board's "
                         f"vote and what the skippers said about the timetable.</p>"
                         for i in range(8))
    html = ("<html><head><title>Harbour vote | The Gazette</title></head><body><header>"
            "<a class='paywall-account-button'>Subscribe / Log in</a></header><article><h1>"
            "Harbour vote</h1>" + paragraphs + "</article><aside><h3 class='subscriber-only-tag'>"
            "Subscriber only</h3><a href='/2024/03/other/'>Another story</a></aside>"
            "</body></html>")
    article = extract_article(html, "https://example.test/2024/03/harbour-vote/", status=200)
    assert not article.paywalled and "paragraph 7" in article.body
