"""`scraper serve`: Datasette on a real archive, over real HTTP (and one headless browser)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scraper.archive import Archive
from scraper.cli.serve_cmd import datasette_metadata
from scraper.models import Article

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FILLER = " ".join(f"filler{i % 50}" for i in range(120))

needs_datasette = pytest.mark.skipif(
    importlib.util.find_spec("datasette") is None,
    reason="datasette not installed (pip install '.[serve]')",
)


def make_article(url: str, title: str, body: str, **fields: Any) -> Article:
    return Article(url=url, title=title, body=body,
                   content_hash=hashlib.sha256(body.encode()).hexdigest(),
                   word_count=len(body.split()), **fields)


@dataclass
class Served:
    base: str
    db_name: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("serve")
    path = folder / "news.db"
    with Archive(path) as archive:
        archive.save(make_article("https://news.example/world/ceasefire",
                                  "Ceasefire holds in Khartoum",
                                  "The ceasefire in Khartoum held overnight. " + FILLER,
                                  site_name="News", section="World", published="2023-09-01"),
                     site="news")
        archive.save(make_article("https://news.example/sport/final", "Cup final tonight",
                                  "Supporters gathered before the final. " + FILLER.upper(),
                                  section="Sport", published="2023-09-02"), site="news")
        archive.save(make_article("https://evil.example/x", "Script test",
                                  "<script>alert('pwned')</script> <b>bold</b> " + FILLER[:200],
                                  section="World", published="2023-09-03"), site="evil")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper", "serve", "--db", str(path), "--port", str(port),
         "--host", "127.0.0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=folder,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"scraper serve exited early:\n{output}")
            try:
                if get(f"{base}/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("scraper serve did not answer within 30 s")
            time.sleep(0.2)
        yield Served(base=base, db_name="news")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@needs_datasette
def test_json_api_searches_articles(served: Served) -> None:
    query = urllib.parse.urlencode({"_search": "ceasefire", "_shape": "array"})
    status, body = get(f"{served.base}/{served.db_name}/articles.json?{query}")
    assert status == 200
    rows = json.loads(body)
    assert [row["title"] for row in rows] == ["Ceasefire holds in Khartoum"]
    status, body = get(f"{served.base}/{served.db_name}/articles.json?_search=nothingmatches"
                       "&_shape=array")
    assert (status, json.loads(body)) == (200, [])


@needs_datasette
def test_fts5_syntax_and_facets_and_canned_queries(served: Served) -> None:
    query = urllib.parse.urlencode({"_search": "title:final OR khartoum", "_shape": "objects",
                                    "_facet": "section"})
    status, body = get(f"{served.base}/{served.db_name}/articles.json?{query}")
    assert status == 200
    data = json.loads(body)
    assert {row["title"] for row in data["rows"]} == {"Ceasefire holds in Khartoum",
                                                      "Cup final tonight"}
    facet = {item["value"]: item["count"] for item in data["facet_results"]["section"]["results"]}
    assert facet == {"World": 1, "Sport": 1}
    params = urllib.parse.urlencode({"query": "ceasefire", "section": "World",
                                     "since": "2023-06-01", "_shape": "array"})
    status, body = get(f"{served.base}/{served.db_name}/topic_in_section_since.json?{params}")
    assert status == 200
    assert [row["title"] for row in json.loads(body)] == ["Ceasefire holds in Khartoum"]
    status, body = get(f"{served.base}/{served.db_name}/published_per_site_per_day.json"
                       "?since=2023-09-02&_shape=array")
    assert [(r["day"], r["site"], r["articles"]) for r in json.loads(body)] == [
        ("2023-09-03", "evil", 1), ("2023-09-02", "news", 1)]


@needs_datasette
def test_metadata_title_and_descriptions_are_served(served: Served) -> None:
    status, home = get(f"{served.base}/")
    assert status == 200
    assert "News archive" in home
    status, page = get(f"{served.base}/{served.db_name}")
    assert status == 200
    assert "One row per article (latest version)" in page
    assert "Which pages are copies of the same story" in page
    assert "article_minhash" not in page  # internal tables are hidden


@needs_datasette
def test_article_html_is_escaped_text(served: Served) -> None:
    status, page = get(f"{served.base}/{served.db_name}/articles/3")
    assert status == 200
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert(" not in page
    assert "<b>bold</b>" not in page
    status, table = get(f"{served.base}/{served.db_name}/articles?_search=pwned")
    assert status == 200
    assert "&lt;script&gt;alert(" in table and "<script>alert(" not in table


def test_metadata_is_keyed_by_the_database_name() -> None:
    metadata = datasette_metadata("my-archive")
    assert list(metadata["databases"]) == ["my-archive"]
    articles = metadata["databases"]["my-archive"]["tables"]["articles"]
    assert articles["fts_table"] == "articles_fts"
    assert articles["facets"] == ["site", "section", {"date": "published"}]
    assert len(metadata["databases"]["my-archive"]["queries"]) >= 4


@pytest.mark.browser
@needs_datasette
def test_browser_search_shows_the_matching_headline(served: Served) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", exc_type=ImportError)
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    executable = CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{served.base}/{served.db_name}/articles", timeout=20_000)
            page.fill("input[name=_search]", "khartoum")
            page.press("input[name=_search]", "Enter")
            page.wait_for_url("**_search=khartoum**", timeout=20_000)
            table = page.locator("table.rows-and-columns")
            sync_api.expect(table).to_contain_text("Ceasefire holds in Khartoum")
            assert "Cup final tonight" not in table.inner_text()
        finally:
            browser.close()
