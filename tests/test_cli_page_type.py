"""`scraper fetch`, `scraper extract` and `scraper crawl` on pages that are not articles: one
line on stderr and exit 1 (a failure with stage extract for the crawler), unless --any-page;
non-HTML files are errors; a record without a URL has ``url: null``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import main
from tests import pages
from tests.fixture_site import NewsSite, site_config
from tests.httpserver import FixtureServer, Reply, html_reply
from tests.pages import listings

ARTICLE_PATH = "/2024/03/05/solar-plant/"


def run(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site(server: FixtureServer) -> FixtureServer:
    server.route(ARTICLE_PATH, html_reply(pages.wordpress_jsonld(server.url(ARTICLE_PATH))))
    server.route("/", html_reply(listings.LISTINGS["home-page"][1]))
    server.route("/tag/ferries/", html_reply(listings.LISTINGS["tag-page"][1]))
    return server


@pytest.mark.parametrize("path", ["/", "/tag/ferries/"])
def test_fetch_of_a_listing_is_one_line_and_exit_1(site: FixtureServer, path: str) -> None:
    code, out, err = run("fetch", site.url(path))
    assert code == 1 and out == ""
    assert f"{site.url(path)}: not an article (listing page: " in err
    assert "links to other articles" in err and "use --any-page" in err
    assert len(err.strip().splitlines()) == 1


def test_fetch_any_page_gives_the_record(site: FixtureServer, tmp_path: Path) -> None:
    code, out, err = run("fetch", site.url("/tag/ferries/"), "--any-page")
    assert code == 0, err
    assert json.loads(out)["page_type"] == "listing"


def test_fetch_save_of_a_listing_saves_nothing(site: FixtureServer, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    code, _, err = run("fetch", site.url("/"), "--save", "--db", str(db))
    assert code == 1 and "not an article" in err
    assert not db.exists()


def test_fetch_of_an_article_says_so(site: FixtureServer) -> None:
    code, out, _ = run("fetch", site.url(ARTICLE_PATH))
    assert code == 0 and json.loads(out)["page_type"] == "article"


def test_extract_of_a_listing_file(tmp_path: Path) -> None:
    url, html = listings.LISTINGS["category-page"]
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    code, out, err = run("extract", str(page), "--url", url)
    assert code == 1 and out == "" and "not an article (listing page: a category page" in err
    code, out, _ = run("extract", str(page), "--url", url, "--any-page")
    assert code == 0 and json.loads(out)["page_type"] == "listing"


def test_extract_manifest_reports_a_listing_as_an_error_line(tmp_path: Path) -> None:
    url, html = listings.LISTINGS["tag-page"]
    (tmp_path / "tag.html").write_text(html, encoding="utf-8")
    (tmp_path / "story.html").write_text(pages.plain_theme(url), encoding="utf-8")
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text(
        json.dumps({"path": str(tmp_path / "tag.html"), "url": url}) + "\n"
        + json.dumps({"path": str(tmp_path / "story.html")}) + "\n",
        encoding="utf-8",
    )
    code, out, err = run("extract", "--manifest", str(manifest))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and "not an article" in records[0]["error"]
    assert records[1]["title"] == pages.TITLE and records[1]["page_type"] == "article"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "a PNG image"),
    ],
)
def test_extract_of_a_non_html_file_is_an_error(tmp_path: Path, data: bytes, what: str) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    code, out, err = run("extract", str(path))
    assert code == 1 and out == ""
    assert f"not HTML: {what}" in err and len(err.strip().splitlines()) == 1


def test_extract_without_url_gives_url_null(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(listings.short_article("", declared=True), encoding="utf-8")
    code, out, err = run("extract", str(page))
    assert code == 0, err
    assert json.loads(out)["url"] is None


def test_crawl_refuses_a_listing_like_an_empty_page(tmp_path: Path) -> None:
    with NewsSite(articles=3) as site:
        front, fine = site.articles[0], site.articles[1]
        site.fail_next(front.path, Reply(body=listings.LISTINGS["section-front"][1].encode(),
                                         headers={"Content-Type": "text/html"}))
        (tmp_path / "config.toml").write_text(site_config([("gazette", site)]), "utf-8")
        result = CliRunner().invoke(main, ["crawl", "--config", str(tmp_path / "config.toml"),
                                           "--db", str(tmp_path / "archive.db")])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "archive.db") as db:
        failures = db.execute("SELECT url, stage, reason FROM failures").fetchall()
        archived = {url for (url,) in db.execute("SELECT url FROM articles")}
        kinds = {kind for (kind,) in db.execute("SELECT page_type FROM articles")}
    assert [(url, stage) for url, stage, _ in failures] == [(site.url(front.path), "extract")]
    assert failures[0][2].startswith("not an article (listing page: ")
    assert site.url(fine.path) in archived and site.url(front.path) not in archived
    assert kinds == {"article"}
