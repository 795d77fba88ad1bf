"""`scraper serve`: Datasette on a real archive, over real HTTP (and one headless browser)."""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import random
import re
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
from scraper.archive.datasette_site import datasette_metadata
from scraper.models import Article
from tests.cdp import Chromium, chromium_path

WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "ra", "tu", "ve") for b in ("no", "si", "da")]


def filler(seed: int, words: int = 160) -> str:
    """Distinct text per seed (so that articles are not near-duplicates of each other)."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + rng.choice(WORDS) for _ in range(words))


FILLER = filler(0)
KHARTOUM = ("The ceasefire in Khartoum held overnight. Khartoum residents returned to the "
            "markets of Khartoum.\n\n" + FILLER + "\n\nMediators stayed in Jeddah.")

needs_datasette = pytest.mark.skipif(
    importlib.util.find_spec("datasette") is None,
    reason="datasette not installed (pip install '.[serve]')",
)


def make_article(url: str, title: str, body: str, **fields: Any) -> Article:
    return Article(url=url, title=title, body=body,
                   content_hash=hashlib.sha256(body.encode()).hexdigest(),
                   word_count=len(body.split()), **fields)


ARTICLES: list[tuple[str, Article]] = [
    ("news", make_article("https://news.example/world/ceasefire", "Ceasefire holds in Khartoum",
                          KHARTOUM, section="World", published="2023-09-01")),
    ("news", make_article("https://news.example/sport/final", "Cup final tonight",
                          "Supporters gathered before the final. " + filler(1),
                          section="Sport", published="2023-09-02")),
    ("evil", make_article("https://evil.example/x", "Script test",
                          "<script>alert('pwned')</script> <b>bold</b> " + filler(2),
                          section="World", published="2023-09-03")),
    # newer than the first, but Khartoum is one word in a long body: it ranks below it
    ("news", make_article("https://news.example/world/markets", "Markets reopen",
                          "Traders were back. " + filler(3) + " A trader came from Khartoum.",
                          section="World", published="2023-09-05")),
    ("agg", make_article("https://agg.example/copy", "Ceasefire holds in Khartoum",
                         "Republished. " + KHARTOUM, section="World", published="2023-09-06",
                         source_link="https://news.example/world/ceasefire")),
    ("news", make_article("https://news.example/world/envoy", "Envoy arrives",
                          "The U.S. envoy arrived on Monday. " + filler(4),
                          section="World", published="2023-09-04")),
]


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
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def get_json(url: str) -> Any:
    status, body = get(url)
    assert status == 200, body[:2000]
    return json.loads(body)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("serve")
    path = folder / "news.db"
    with Archive(path) as archive:
        for site, article in ARTICLES:
            archive.save(article, site=site)
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


def search(served: Served, words: str, **params: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode({"words": words, **params, "_shape": "array"})
    rows: list[dict[str, Any]] = get_json(f"{served.base}/{served.db_name}/search.json?{query}")
    return rows


# -- the ranked search ---------------------------------------------------------------------


@needs_datasette
def test_search_ranks_by_relevance_and_folds_copies(served: Served) -> None:
    rows = search(served, "khartoum")
    assert [row["title"] for row in rows] == ["Ceasefire holds in Khartoum", "Markets reopen"]
    assert [row["copies"] for row in rows] == [1, 0]
    assert [row["title"] for row in search(served, "khartoum", since="2023-09-05")] == [
        "Ceasefire holds in Khartoum", "Markets reopen"]  # the copy (09-06) stands in
    assert search(served, "khartoum", section="Sport") == []


@needs_datasette
@pytest.mark.parametrize(("words", "titles"), [
    ("U.S.", ["Envoy arrives"]),
    ("khartoum -markets", []),
    ("jeddah -traders", ["Ceasefire holds in Khartoum"]),
    ("", []),
    ("AND (", []),
])
def test_search_takes_plain_words(served: Served, words: str, titles: list[str]) -> None:
    assert [row["title"] for row in search(served, words)] == titles


@needs_datasette
def test_previews_are_short_and_headlines_open_the_full_text(served: Served) -> None:
    status, page = get(f"{served.base}/{served.db_name}/search?words=khartoum")
    assert status == 200
    previews = re.findall(r'<td class="col-preview[^"]*">(.*?)</td>', page, re.DOTALL)
    assert previews and all(len(html.unescape(re.sub("<[^>]+>", "", p))) < 400
                            for p in previews)
    assert "<mark>Khartoum</mark>" in page
    link = re.search(r'<a href="([^"]+)">Ceasefire holds in Khartoum</a>', page)
    assert link, page[:3000]
    status, reading = get(served.base + html.unescape(link[1]))
    assert status == 200
    for paragraph in KHARTOUM.split("\n\n"):
        assert f"<p>{paragraph}</p>" in reading
    assert "1 other archived article" in reading


@needs_datasette
def test_reading_page_escapes_the_body(served: Served) -> None:
    status, reading = get(f"{served.base}/-/scraper/{served.db_name}/article/3")
    assert status == 200
    assert "&lt;script&gt;alert(" in reading and "<script>alert(" not in reading
    assert get(f"{served.base}/-/scraper/{served.db_name}/article/999")[0] == 404


# -- the first screens ---------------------------------------------------------------------


@needs_datasette
def test_home_page_leads_to_the_articles_and_the_schema(served: Served) -> None:
    status, home = get(f"{served.base}/")
    assert status == 200
    assert "News archive" in home
    search_at = home.index(f'href="/{served.db_name}/search"')
    browse_at = home.index(f'href="/{served.db_name}/articles"')
    assert search_at < browse_at < home.index(f'href="/{served.db_name}/revisions"')
    assert re.search(r'<a href="https://[^"]+/docs/schema\.md">', home)


@needs_datasette
def test_articles_table_shows_short_previews(served: Served) -> None:
    status, page = get(f"{served.base}/{served.db_name}/articles")
    assert status == 200
    bodies = re.findall(r'<td class="col-body(?: [^"]*)?">(.*?)</td>', page, re.DOTALL)
    assert len(bodies) == len(ARTICLES)
    assert all(len(html.unescape(body.strip())) <= 301 for body in bodies)
    assert max(len(html.unescape(body.strip())) for body in bodies) > 250
    assert f'href="/-/scraper/{served.db_name}/article/1"' in page  # headlines open the text


@needs_datasette
def test_table_search_is_plain_words_and_raw_on_request(served: Served) -> None:
    def titles(**params: str) -> set[str]:
        query = urllib.parse.urlencode({**params, "_shape": "array"})
        return {r["title"] for r in get_json(f"{served.base}/{served.db_name}/articles.json"
                                             f"?{query}")}

    assert titles(_search="U.S.") == {"Envoy arrives"}
    assert titles(_search="title:final OR cup", _searchmode="raw") == {"Cup final tonight"}
    status, page = get(f"{served.base}/{served.db_name}/articles?_search=pwned")
    assert status == 200
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page


@needs_datasette
def test_facets_and_canned_questions(served: Served) -> None:
    query = urllib.parse.urlencode({"_shape": "objects", "_facet": "section"})
    data = get_json(f"{served.base}/{served.db_name}/articles.json?{query}")
    facet = {item["value"]: item["count"] for item in data["facet_results"]["section"]["results"]}
    assert facet == {"World": 5, "Sport": 1}
    rows = get_json(f"{served.base}/{served.db_name}/published_per_site_per_day.json"
                    "?since=2023-09-05&_shape=array")
    assert [(r["day"], r["site"], r["articles"]) for r in rows] == [
        ("2023-09-06", "agg", 1), ("2023-09-05", "news", 1)]
    status, page = get(f"{served.base}/{served.db_name}")
    assert status == 200
    assert "Which pages are copies of the same story" in page
    assert "article_minhash" not in page  # internal tables are hidden


def test_metadata_is_keyed_by_the_database_name() -> None:
    metadata = datasette_metadata("my-archive")
    assert list(metadata["databases"]) == ["my-archive"]
    database = metadata["databases"]["my-archive"]
    assert database["tables"]["articles"]["fts_table"] == "articles_fts"
    assert "searchmode" not in database["tables"]["articles"]  # plain words, as the CLI
    assert "scraper_words(:words)" in database["queries"]["search"]["sql"]
    assert 'href="/my-archive/search"' in metadata["description_html"]


# -- in a browser --------------------------------------------------------------------------


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chromium]:
    if chromium_path() is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    with Chromium.launch(tmp_path / "profile") as chromium:
        yield chromium


@pytest.mark.browser
@needs_datasette
def test_browser_articles_page_opens_on_its_rows(served: Served, browser: Chromium,
                                                 tmp_path: Path) -> None:
    browser.goto(f"{served.base}/{served.db_name}/articles")
    top = browser.evaluate(
        "document.querySelector('table.rows-and-columns tbody tr').getBoundingClientRect().top")
    browser.screenshot(tmp_path / "articles.png")
    assert top < browser.evaluate("window.innerHeight") - 50


@pytest.mark.browser
@needs_datasette
def test_browser_search_from_the_home_page_to_the_full_text(served: Served,
                                                            browser: Chromium) -> None:
    browser.goto(f"{served.base}/")
    browser.evaluate("[...document.links].find(a => a.textContent === 'Search the articles')"
                     ".click()")
    browser.wait_for_load()
    browser.evaluate("document.querySelector('input[name=words]').value = 'khartoum';"
                     "document.querySelector('form.sql').submit()")
    browser.wait_for_load()
    titles = browser.evaluate(
        "[...document.querySelectorAll('table.rows-and-columns td.col-title')]"
        ".map(td => td.innerText.trim())")
    assert titles == ["Ceasefire holds in Khartoum", "Markets reopen"]
    browser.evaluate("document.querySelector('td.col-title a').click()")
    browser.wait_for_load()
    text = browser.evaluate("document.querySelector('article').innerText")
    assert "Mediators stayed in Jeddah." in text and FILLER[:200] in text
