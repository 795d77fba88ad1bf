"""render = true: an article page whose text a script inserts is loaded in headless Chromium
(Playwright driving the system's chromium), third-party requests blocked, and the rendered
DOM extracted as any page; without render the same page has no article text. Skips where
Playwright or Chromium is absent (CI installs both: .ci/run)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import main
from scraper.fetch.render import system_browser
from tests.fixture_site import NewsSite, site_config
from tests.httpserver import FixtureServer, Reply

pytest.importorskip("playwright.async_api")
if system_browser() is None:
    pytest.skip("no chromium on the PATH", allow_module_level=True)

PARAGRAPHS = [
    "The Saltmere lifeboat was launched twice on Sunday, first to a yacht with a fouled "
    "propeller and then to two walkers cut off by the tide below the cliffs.",
    "The crew reached the walkers within twenty minutes and brought them round to the harbour, "
    "where they were checked over by paramedics and found to be cold but unhurt.",
    "The coxswain said the tide tables at the car park would be made larger after the "
    "second rescue of its kind this summer.",
]


def script_page(tracker: str) -> bytes:
    """An article page that is empty until its script runs; it also calls a third party."""
    data = json.dumps({"title": "Lifeboat launched twice in one day", "paragraphs": PARAGRAPHS})
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Lifeboat launched twice in one day | The Saltmere Gazette</title></head>
<body><div id="app"><p class="loading">Loading</p></div>
<script>
  const story = {data};
  const parts = story.paragraphs.map(function (p) {{ return "<p>" + p + "</p>"; }});
  document.getElementById("app").innerHTML =
    "<article><h1>" + story.title + "</h1>" + parts.join("") + "</article>";
</script>
<script src="{tracker}"></script>
</body></html>""".encode()


def crawl_with(tmp_path: Path, *, render: bool) -> tuple[list[tuple[str, str]], int, str]:
    with NewsSite(articles=1) as site, FixtureServer() as third_party:
        third_party.route("/tracker.js", Reply(body=b"window.tracked = 1;",
                                               headers={"Content-Type": "text/javascript"}))
        tracker = f"http://localhost:{third_party.port}/tracker.js"  # another host
        path = site.articles[0].path
        site.server.route(path, Reply(body=script_page(tracker),
                                      headers={"Content-Type": "text/html; charset=utf-8"}))
        config = site_config([("gazette", site)]) + ("render = true\n" if render else "")
        (tmp_path / "config.toml").write_text(config, encoding="utf-8")
        result = CliRunner().invoke(main, ["crawl", "--config", str(tmp_path / "config.toml"),
                                           "--db", str(tmp_path / "archive.db")])
        third_party_requests = len(third_party.requests)
    with sqlite3.connect(tmp_path / "archive.db") as db:
        rows = db.execute("SELECT title, body FROM articles").fetchall()
        failures = db.execute("SELECT stage || ': ' || reason FROM failures").fetchall()
    return rows, third_party_requests, result.output + "".join(f[0] for f in failures)


def test_a_script_built_article_is_extracted_with_render(tmp_path: Path) -> None:
    rows, third_party, output = crawl_with(tmp_path, render=True)
    assert len(rows) == 1, output
    title, body = rows[0]
    assert title == "Lifeboat launched twice in one day"
    assert all(paragraph in body for paragraph in PARAGRAPHS)
    assert "Loading" not in body
    assert third_party == 0  # the tracker on another host was never asked


def test_without_render_the_same_page_has_no_article(tmp_path: Path) -> None:
    rows, _third_party, output = crawl_with(tmp_path, render=False)
    assert rows == []
    assert "extract: not an article (other page: only 1 words of text)" in output
