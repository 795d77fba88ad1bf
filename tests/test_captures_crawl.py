"""Captures written by a crawl and by `fetch --save`: real servers on 127.0.0.1, real WARC
files read back with warcio, the archive read with sqlite3."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from tests.archive_queries import cli, query
from tests.fixture_site import NewsSite, make_article, render_article, site_config
from tests.httpserver import FixtureServer, Reply


def warc_records(folder: Path) -> list[Any]:
    """Every record of every WARC file under ``folder``, digests checked by warcio."""
    records = []
    files = sorted(folder.rglob("*.warc.gz"))
    assert files
    for path in files:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle, check_digests=True):
                body = record.content_stream().read()
                assert record.digest_checker.passed is not False, (path, record.rec_headers)
                records.append((record.rec_type, record.rec_headers, record.http_headers, body))
    return records


def test_a_crawl_keeps_every_exchange_and_a_refetch_is_a_revisit(tmp_path: Path) -> None:
    with NewsSite(articles=4) as first, NewsSite(articles=3, first_index=10) as second:
        (tmp_path / "config.toml").write_text(
            site_config([("gazette", first), ("courier", second)], refresh_after="0s"),
            encoding="utf-8")
        assert cli(tmp_path, "crawl").exit_code == 0
        db = tmp_path / "archive.db"
        served = {first.url(a.path): a for a in first.articles}
        served |= {second.url(a.path): a for a in second.articles}
        # every archived article has its capture, linked to its revision
        linked = query(db, "SELECT a.url, c.record_type, c.status, c.revision FROM articles a"
                           " JOIN captures c ON c.article_id = a.id")
        assert {row[0] for row in linked} == set(served)
        assert {row[1:] for row in linked} == {("response", 200, 1)}
        # feeds, sitemaps, robots.txt were kept too, unlinked
        kept = {row[0] for row in query(db, "SELECT url FROM captures WHERE article_id IS NULL")}
        assert first.url("/robots.txt") in kept and second.url(first.FEED) in kept
        assert first.url(first.NEWS_SITEMAP) in kept
        # warcio reads every file; each payload is byte for byte what the server sent
        records = warc_records(tmp_path / "captures")
        responses = {h.get_header("WARC-Target-URI"): (http, body)
                     for kind, h, http, body in records if kind == "response"}
        for url, article in served.items():
            http, body = responses[url]
            owner = first if url.startswith(first.url()) else second
            related = [a for a in owner.articles if a is not article and not a.removed][:3]
            assert body == render_article(article, url, related).encode()
            assert http.get_statuscode() == "200"
        assert sum(kind == "request" for kind, *_ in records) == len(
            [r for r in records if r[0] in ("response", "revisit")])
        # the second run refetches every article: the same payload is a revisit
        assert cli(tmp_path, "crawl").exit_code == 0
        revisits = query(db, "SELECT c.url, c.refers_to, o.url FROM captures c"
                             " JOIN captures o ON o.id = c.refers_to WHERE c.record_type ="
                             " 'revisit' AND c.article_id IS NOT NULL")
        assert {row[0] for row in revisits} == set(served)
        assert all(row[0] == row[2] for row in revisits)
        # a 304 to a conditional feed refetch is a server-not-modified revisit
        profiles = {h.get_header("WARC-Profile") for kind, h, *_ in warc_records(
            tmp_path / "captures") if kind == "revisit"}
        assert profiles == {
            "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
            "http://netpreserve.org/warc/1.1/revisit/server-not-modified"}
        assert query(db, "SELECT count(*) FROM captures WHERE status = 304"
                         " AND record_type = 'revisit'")[0][0] >= 2
    verify = cli(tmp_path, "verify")
    assert verify.exit_code == 0, verify.output
    assert " 0 problems" in verify.stderr


def test_fetch_save_keeps_the_page_compressed_and_show_html_prints_it_decoded(
        tmp_path: Path, server: FixtureServer) -> None:
    article = make_article(3, theme="wordpress")
    page = render_article(article, server.url("/story/"), []).replace(
        "harbour", "harbour café").replace('charset="utf-8"', 'charset="windows-1252"')
    sent = gzip.compress(page.encode("cp1252"), mtime=0)
    server.route("/story/", Reply(body=sent, headers={
        "Content-Type": "text/html; charset=windows-1252", "Content-Encoding": "gzip"}))
    (tmp_path / "config.toml").write_text("[archive]\ncaptures = \"kept\"\n", encoding="utf-8")
    saved = cli(tmp_path, "fetch", server.url("/story/"), "--save")
    assert saved.exit_code == 0, saved.output
    records = warc_records(tmp_path / "kept")
    (http, raw), = [(http, body) for kind, warc, http, body in records if kind == "response"
                    and warc.get_header("WARC-Target-URI") == server.url("/story/")]
    assert any(warc.get_header("WARC-Target-URI").endswith("/robots.txt")  # fetch obeys it
               for kind, warc, _http, _body in records if kind == "response")
    assert http.get_header("Content-Encoding") == "gzip"
    with (next((tmp_path / "kept").rglob("*.warc.gz"))).open("rb") as handle:
        stored = next(r for r in ArchiveIterator(handle) if r.rec_type == "response"
                      and r.rec_headers.get_header("WARC-Target-URI") == server.url("/story/"))
        assert stored.raw_stream.read() == sent  # as received: still compressed
    assert raw == page.encode("cp1252")  # warcio decodes the gzip itself
    html = cli(tmp_path, "show", "1", "--html")
    assert html.exit_code == 0, html.output
    assert html.stdout.rstrip("\n") == page and "café" in html.stdout
    listing = cli(tmp_path, "show", "1", "--captures")
    assert listing.exit_code == 0 and "200" in listing.stdout and "response" in listing.stdout


def test_an_article_archived_before_captures_says_it_has_none(tmp_path: Path,
                                                            server: FixtureServer) -> None:
    article = make_article(5, theme="jsonld")
    server.route("/old/", Reply(body=render_article(article, server.url("/old/"), []).encode(),
                                headers={"Content-Type": "text/html; charset=utf-8"}))
    (tmp_path / "config.toml").write_text("[archive]\ncapture = false\n", encoding="utf-8")
    assert cli(tmp_path, "fetch", server.url("/old/"), "--save").exit_code == 0
    assert not (tmp_path / "captures").exists()
    listing = cli(tmp_path, "show", "1", "--captures")
    assert listing.exit_code == 0 and "no captures" in listing.stderr
    html = cli(tmp_path, "show", "1", "--html")
    assert html.exit_code == 1 and "no capture" in html.stderr
    assert query(tmp_path / "archive.db", "SELECT extractor_version FROM revisions")[0][0]
