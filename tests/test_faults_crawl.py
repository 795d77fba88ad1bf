"""The fault catalogue inside one real `scraper crawl`, healthy pages all around.

One crawl (``python -m scraper crawl`` in a subprocess, so its peak memory is its own) over
six sites on the fault server: the page faults listed in a feed between healthy articles,
and feeds and sitemaps that are HTML, huge, self-referencing, entity bombs and XXE. Then each
fault is its own test case, read from the archive the crawl left. The robots.txt faults need
a host each, so they are crawls of their own.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scraper.config import load_config
from scraper.crawl import PoolSettings, run_crawl
from tests.fault_catalogue import (
    PAGE_FAULTS,
    Archived,
    Empty,
    Fails,
    Fault,
    install_page_faults,
    many_links,
)
from tests.fault_server import (
    BILLION_LAUGHS,
    SECRET_MARK,
    FaultServer,
    Finished,
    article_html,
    article_path,
    fault_config,
    marker,
    rss,
    run_measured,
    sitemap_index,
    static,
    urlset,
    xxe_doctype,
)

MAIN_HEALTHY = (0, 1, 2, 3, 4, 5)
"""Healthy articles in the main feed, between the faults."""
LISTING_HEALTHY = {"html-feed": 10, "huge-feed": 11, "self-sitemap": 12, "billion-laughs": 13,
                   "xxe": 14}
"""One healthy article per listing-fault site, from a feed of its own (or the fault's)."""
HUGE_FEED_ENTRIES = 100_000
MEMORY_CAP_MB = 500


@dataclass
class CrawlRun:
    server: FaultServer
    db: Path
    result: Finished
    secret: str

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as db:
            return db.execute(sql, params).fetchall()


def _site(name: str, *, feeds: list[str] = (), sitemaps: list[str] = (),  # type: ignore[assignment]
          max_articles: int = 100) -> str:
    def toml_list(urls: list[str]) -> str:
        return "[" + ", ".join(f'"{u}"' for u in urls) + "]"

    return (f'[[sites]]\nname = "{name}"\nfeeds = {toml_list(list(feeds))}\n'
            f"sitemaps = {toml_list(list(sitemaps))}\nmax_articles = {max_articles}\n\n")


def _serve_article(server: FaultServer, index: int) -> str:
    server.route(article_path(index), static(article_html(index).encode()))
    return server.url(article_path(index))


@pytest.fixture(scope="module")
def crawl_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlRun]:
    tmp = tmp_path_factory.mktemp("fault-crawl")
    secret = tmp / "secret.txt"
    secret.write_text(SECRET_MARK, encoding="utf-8")
    with FaultServer() as server:
        server.secret_path = str(secret)
        install_page_faults(server)
        server.route("/robots.txt", static(b"User-agent: *\nDisallow: /private/\n", "text/plain"))
        healthy = {i: _serve_article(server, i) for i in (*MAIN_HEALTHY,
                                                         *LISTING_HEALTHY.values())}
        url = server.url
        # The main feed: healthy articles with the faults between them.
        links = [healthy[i] for i in MAIN_HEALTHY[:3]]
        links += [url(fault.path) for fault in PAGE_FAULTS]
        links += [healthy[i] for i in MAIN_HEALTHY[3:]]
        server.route("/feeds/main.xml", static(rss(links), "application/rss+xml"))
        for name, index in LISTING_HEALTHY.items():
            server.route(f"/feeds/healthy-{name}.xml",
                         static(rss([healthy[index]]), "application/rss+xml"))
        # A "feed" that is an HTML page.
        server.route("/feeds/html.xml", static(article_html(60).encode()))
        # 100,000 entries, the healthy article first (max_articles = 1 for that site).
        bulk = [healthy[LISTING_HEALTHY["huge-feed"]]]
        bulk += [url(f"/bulk/{n}/") for n in range(HUGE_FEED_ENTRIES)]
        server.route("/feeds/huge.xml", static(rss(bulk), "application/rss+xml"))
        # A sitemap index that lists itself.
        server.route("/sitemaps/self-index.xml", static(sitemap_index(
            [url("/sitemaps/self-index.xml"), url("/sitemaps/child.xml")]), "application/xml"))
        server.route("/sitemaps/child.xml", static(
            urlset([healthy[LISTING_HEALTHY["self-sitemap"]]]), "application/xml"))
        # Entity-expansion bombs and external entities, in a feed and in a sitemap.
        server.route("/feeds/lol.xml", static(rss(
            [url("/x/&lol9;/"), healthy[13]], doctype=BILLION_LAUGHS, title="&lol9;"),
            "application/rss+xml"))
        server.route("/sitemaps/lol.xml", static(
            urlset([url("/x/&lol9;/"), healthy[13]], doctype=BILLION_LAUGHS), "application/xml"))
        server.route("/feeds/xxe.xml", static(rss(
            [url("/x/&xxe;/"), healthy[14]], doctype=xxe_doctype("rss", str(secret)),
            title="&xxe;"), "application/rss+xml"))
        server.route("/sitemaps/xxe.xml", static(urlset(
            [url("/x/&xxe;/"), healthy[14]], doctype=xxe_doctype("urlset", str(secret))),
            "application/xml"))

        sites = _site("faults", feeds=[url("/feeds/main.xml")])
        sites += _site("html-feed", feeds=[url("/feeds/html.xml"),
                                           url("/feeds/healthy-html-feed.xml")])
        sites += _site("huge-feed", feeds=[url("/feeds/huge.xml")], max_articles=1)
        sites += _site("self-sitemap", sitemaps=[url("/sitemaps/self-index.xml")])
        sites += _site("billion-laughs", feeds=[url("/feeds/lol.xml"),
                                                url("/feeds/healthy-billion-laughs.xml")],
                       sitemaps=[url("/sitemaps/lol.xml")])
        sites += _site("xxe", feeds=[url("/feeds/xxe.xml"), url("/feeds/healthy-xxe.xml")],
                       sitemaps=[url("/sitemaps/xxe.xml")])
        (tmp / "config.toml").write_text(fault_config(sites, deadline=8.0, timeout=3.0),
                                         encoding="utf-8")
        result = run_measured(["crawl", "--config", "config.toml", "--db", "archive.db"],
                              cwd=str(tmp))
        yield CrawlRun(server=server, db=tmp / "archive.db", result=result, secret=str(secret))


# --- the run as a whole ------------------------------------------------------------------------


def test_the_crawl_completes(crawl_run: CrawlRun) -> None:
    result = crawl_run.result
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one summary line, no traceback
    assert result.stderr.startswith("scraper crawl: run 1 completed in ")
    assert crawl_run.query("SELECT status FROM runs") == [("completed",)]
    assert crawl_run.query("PRAGMA integrity_check") == [("ok",)]
    assert result.seconds < 120


def test_every_healthy_article_is_archived_exactly_once(crawl_run: CrawlRun) -> None:
    expected = [*MAIN_HEALTHY, *LISTING_HEALTHY.values()]
    for index in expected:
        rows = crawl_run.query("SELECT url FROM articles WHERE body LIKE ?",
                               (f"%{marker(index)}%",))
        assert rows == [(crawl_run.server.url(article_path(index)),)], index
    archived_faults = [f for f in PAGE_FAULTS if isinstance(f.in_crawl, Archived)]
    # Nothing else was archived, and nothing twice.
    assert crawl_run.query("SELECT count(*) FROM articles") == [
        (len(expected) + len(archived_faults),)]
    assert crawl_run.query("SELECT count(*) FROM revisions") == [
        (len(expected) + len(archived_faults),)]
    assert crawl_run.query("SELECT content_hash FROM articles GROUP BY content_hash"
                           " HAVING count(*) > 1") == []
    for index in LISTING_HEALTHY.values():
        assert crawl_run.server.count(article_path(index)) == 1


def test_memory_stays_bounded(crawl_run: CrawlRun) -> None:
    """2 GB bodies, a 10 GB gzip bomb, a 100,000-entry feed, a 100,000-link page."""
    assert crawl_run.result.peak_rss_mb < MEMORY_CAP_MB


@pytest.mark.parametrize("fault", PAGE_FAULTS, ids=lambda fault: fault.name)
def test_page_fault_in_a_crawl(fault: Fault, crawl_run: CrawlRun) -> None:
    url = crawl_run.server.url(fault.path)
    rows = crawl_run.query("SELECT stage, status, reason FROM failures WHERE url = ?", (url,))
    outcome = fault.in_crawl
    if isinstance(outcome, Fails):
        assert len(rows) == 1, rows
        stage, status, reason = rows[0]
        assert (stage, status) == (outcome.stage, outcome.status)
        assert re.search(outcome.reason, reason), reason
        times = crawl_run.server.times(fault.path)
        if outcome.min_gap:
            assert times[1] - times[0] >= outcome.min_gap
    else:
        assert not isinstance(outcome, Empty)
        assert rows == []
        archived = crawl_run.query("SELECT body FROM articles WHERE url = ?", (url,))
        assert len(archived) == 1 and outcome.text in archived[0][0]
    if fault.name == "redirect-chain-30":
        _assert_chain_given_up_once(crawl_run, fault.path)
    else:
        assert crawl_run.server.count(fault.path) == outcome.requests


def _assert_chain_given_up_once(crawl_run: CrawlRun, path: str) -> None:
    """Too many redirects is not retried: one attempt follows the chain to the limit (hop 10)
    and no further. The crawl shares two cores with endless bodies, so one of the 31 fresh
    connections may time out first; that attempt is cut short and retried, as a timeout
    should be (``retries = 1``)."""
    attempts = crawl_run.server.count(path)
    assert crawl_run.server.count("/r/chain/10/") == 1
    assert crawl_run.server.count("/r/chain/11/") == 0
    assert 1 <= attempts <= 2


# --- listing faults ----------------------------------------------------------------------------


def test_a_feed_that_is_html_is_a_recorded_discover_failure(crawl_run: CrawlRun) -> None:
    url = crawl_run.server.url("/feeds/html.xml")
    [(stage, reason)] = crawl_run.query("SELECT stage, reason FROM failures WHERE url = ?",
                                        (url,))
    assert stage == "discover" and reason.startswith(f"{url}: not a readable feed (")


def test_a_feed_of_100k_entries_is_read_and_capped(crawl_run: CrawlRun) -> None:
    counts = crawl_run.query("SELECT discovered, fetched, new, failed FROM run_sites"
                             " WHERE site = 'huge-feed'")
    assert counts == [(HUGE_FEED_ENTRIES + 1, 1, 1, 0)]
    assert not [r for r in crawl_run.server.requests if r.path.startswith("/bulk/")]


def test_a_sitemap_index_listing_itself_is_read_once(crawl_run: CrawlRun) -> None:
    assert crawl_run.server.count("/sitemaps/self-index.xml") == 1
    assert crawl_run.server.count("/sitemaps/child.xml") == 1


def test_entity_bombs_and_external_entities_are_never_expanded(crawl_run: CrawlRun) -> None:
    for path in ("/feeds/lol.xml", "/sitemaps/lol.xml", "/feeds/xxe.xml", "/sitemaps/xxe.xml"):
        assert crawl_run.server.count(path) == 1
    # Not expanded: no request, failure or row holds "lollol" or the secret file's text.
    secret_bytes = SECRET_MARK.encode()
    for request in crawl_run.server.requests:
        assert "lollol" not in request.path and SECRET_MARK not in request.path
    data = b"".join(p.read_bytes() for p in crawl_run.db.parent.glob("archive.db*"))
    assert secret_bytes not in data and b"lollollol" not in data
    assert SECRET_MARK not in crawl_run.result.stderr + crawl_run.result.stdout
    # What the unexpanded references left in the links is fetched as an ordinary URL (404).
    for site in ("billion-laughs", "xxe"):
        [(new, failed)] = crawl_run.query("SELECT new, failed FROM run_sites WHERE site = ?",
                                          (site,))
        assert new == 1
        reasons = crawl_run.query("SELECT reason FROM failures WHERE site = ?", (site,))
        assert all(r[0] == "HTTP 404 Not Found" for r in reasons), reasons
        assert failed == len(reasons)


# --- robots.txt faults: one host each ----------------------------------------------------------


def _robots_huge(ex: Any) -> None:
    rules = b"User-agent: *\nDisallow: /blocked/\n"
    padding = b"".join(b"# padding line %d of a very large robots.txt\n" % n
                       for n in range(120_000))  # ~5 MB
    ex.reply(200, rules + padding + b"Disallow: /2024/\n", "text/plain")


def _robots_hang(ex: Any) -> None:
    ex.wait(60)


ROBOTS_FAULTS = {
    "robots-5mb": _robots_huge,
    "robots-times-out": _robots_hang,
    "robots-500": lambda ex: ex.reply(500, b"oops", "text/plain"),
}


@pytest.mark.parametrize("name", ROBOTS_FAULTS)
def test_robots_fault(name: str, tmp_path: Path) -> None:
    with FaultServer() as faulty, FaultServer() as other:
        faulty.route("/robots.txt", ROBOTS_FAULTS[name])
        links = [_serve_article(faulty, 20), _serve_article(faulty, 21)]
        faulty.route("/blocked/a/", static(article_html(22).encode()))
        links.append(faulty.url("/blocked/a/"))
        faulty.route("/feed.xml", static(rss(links), "application/rss+xml"))
        healthy = _serve_article(other, 23)
        other.route("/feed.xml", static(rss([healthy]), "application/rss+xml"))
        sites = _site("faulty", feeds=[faulty.url("/feed.xml")])
        sites += _site("other", feeds=[other.url("/feed.xml")])
        (tmp_path / "config.toml").write_text(fault_config(sites), encoding="utf-8")
        result = run_measured(["crawl", "--config", "config.toml", "--db", "archive.db"],
                              cwd=str(tmp_path), timeout=60)
    run = CrawlRun(server=faulty, db=tmp_path / "archive.db", result=result, secret="")
    assert "Traceback" not in result.stderr
    assert run.query("PRAGMA integrity_check") == [("ok",)]
    # The other host is crawled whatever this one's robots.txt does.
    assert run.query("SELECT site FROM articles WHERE body LIKE ?", (f"%{marker(23)}%",)) == [
        ("other",)]
    assert result.peak_rss_mb < MEMORY_CAP_MB
    if name == "robots-times-out":
        # Unreachable robots.txt: no rules (issue 4's policy), the crawl goes on for this host.
        assert result.returncode == 0, result.stderr
        assert run.query("SELECT new FROM run_sites WHERE site = 'faulty'") == [(3,)]
        assert faulty.count("/robots.txt") == 1
        return
    assert faulty.count("/blocked/a/") == 0
    if name == "robots-5mb":
        # Read up to 500 KB (RFC 9309): the rule at the top is obeyed, the one past the cut
        # (which would block every article) is not.
        assert result.returncode == 0, result.stderr
        assert run.query("SELECT skipped_robots, new FROM run_sites WHERE site = 'faulty'") == [
            (1, 2)]
        return
    # robots.txt answering 5xx: the host is skipped for this run.
    assert result.returncode == 1  # a site failed entirely
    assert "error: site faulty: no feed, sitemap or section page could be read" in result.stderr
    assert [r.path for r in faulty.requests] == ["/robots.txt"]
    [(stage, status, reason)] = run.query(
        "SELECT stage, status, reason FROM failures WHERE url LIKE '%/robots.txt'")
    assert stage == "robots" and reason.endswith(": host skipped this run")
    if name == "robots-500":
        assert (status, reason) == (500, "HTTP 500 Internal Server Error: host skipped this run")
    else:
        assert status is None and reason.startswith("timed out")


# --- a page that takes too long to extract -----------------------------------------------------


def test_a_page_over_the_extraction_time_cap_fails_and_its_worker_is_replaced(
        tmp_path: Path) -> None:
    slow = many_links(article_html(80)).replace("</footer>", "</footer>" + "<b>x</b>" * 400_000)

    def later(index: int) -> Any:
        def handler(ex: Any) -> None:
            ex.wait(2.5)  # arrives after the slow page's worker was killed
            ex.reply(200, article_html(index).encode())
        return handler

    with FaultServer() as server:
        before = [_serve_article(server, i) for i in (81, 82)]
        server.route("/f/slow/", static(slow.encode()))
        for index in (83, 84):
            server.route(article_path(index), later(index))
        after = [server.url(article_path(i)) for i in (83, 84)]
        server.route("/feed.xml", static(rss([*before, server.url("/f/slow/"), *after]),
                                         "application/rss+xml"))
        text = fault_config(_site("slow", feeds=[server.url("/feed.xml")]))
        text = text.replace("timeout = 1.5", "timeout = 5.0").replace("deadline = 3.0",
                                                                      "deadline = 10.0")
        config = load_config(_write(tmp_path, text))
        started = time.monotonic()
        report = run_crawl(config, tmp_path / "archive.db",
                           pool=PoolSettings(extract_timeout=1.0))
    assert time.monotonic() - started < 30
    assert report.status == "completed" and report.totals.new == 4
    run = CrawlRun(server=server, db=tmp_path / "archive.db", result=_NO_RESULT, secret="")
    assert run.query("SELECT stage, status, reason FROM failures") == [
        ("extract", 200, "extraction took longer than 1 s")]
    for index in (81, 82, 83, 84):
        assert run.query("SELECT count(*) FROM articles WHERE body LIKE ?",
                         (f"%{marker(index)}%",)) == [(1,)]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


_NO_RESULT = Finished(returncode=0, stdout="", stderr="", peak_rss_mb=0.0, seconds=0.0)
