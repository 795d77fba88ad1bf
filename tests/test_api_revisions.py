"""Every revision's structured body from Python (``Revision.blocks``, ``to_markdown()``,
``body_html``, ``diff``), the latest one's from ``Archive.get``, the CLI printing the same;
and ``fetch --save`` keeping a page exactly as the crawler keeps it (one step for both)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from click.testing import CliRunner

import scraper
from scraper.cli import main
from tests.fixture_site import NewsSite, site_config

URL = "https://news.example/2024/05/02/pier/"
INTRO = "".join(f"<p>The pier will close for repairs in March, the council said; the work"
                f" will take {n} weeks, the engineers said.</p>" for n in (10, 12, 14))


def page(structure: str) -> str:
    return (f"<html><body><article><h1>Pier repairs</h1>{INTRO}<h2>What is planned</h2>"
            f"{structure}</article></body></html>")


LIST = "<ul><li>New decking<ul><li>north end</li></ul></li><li>Rails</li></ul>"
TABLE = ("<table><tr><th>Phase</th><th>Weeks</th></tr><tr><td>Decking</td><td>6</td></tr>"
         "</table>")


def two_revisions(path: Path) -> list[scraper.Revision]:
    with scraper.Archive(path) as db:
        db.save(scraper.extract(page(LIST), url=URL))
        db.save(scraper.extract(page(TABLE), url=URL))
        return db.history(URL)


def test_each_revision_keeps_its_own_structure(tmp_path: Path) -> None:
    first, second = two_revisions(tmp_path / "archive.db")
    kinds = [[type(block).__name__ for block in rev.blocks][-2:] for rev in (first, second)]
    assert kinds == [["Heading", "ListBlock"], ["Heading", "Table"]]
    assert first.to_markdown().endswith("- New decking\n  - north end\n- Rails")
    assert second.to_markdown().endswith("| Phase | Weeks |\n| --- | --- |\n| Decking | 6 |")
    assert first.body_html.endswith(
        "<ul><li>New decking<ul><li>north end</li></ul></li><li>Rails</li></ul>")
    assert "<table>" in second.body_html and "<ul>" not in second.body_html
    assert first.to_markdown() == scraper.extract(page(LIST), url=URL).to_markdown()


def test_the_latest_revision_is_what_show_renders(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    _first, second = two_revisions(path)
    with scraper.Archive(path) as db:
        detail = db.get(URL)
    assert detail.to_markdown() == second.to_markdown()
    assert detail.body_html == second.body_html
    for fmt, expected in (("markdown", second.to_markdown()), ("html", second.body_html)):
        shown = CliRunner().invoke(main, ["show", URL, "--format", fmt, "--db", str(path)])
        assert shown.exit_code == 0 and shown.output == expected + "\n"


def test_revision_diff_is_history_diff(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    first, second = two_revisions(path)
    lines = first.diff(second)
    assert lines[0].startswith("--- revision 1") and lines[1].startswith("+++ revision 2")
    assert any(line.startswith("+") and "Decking" in line for line in lines[2:])
    shown = CliRunner().invoke(main, ["history", URL, "--diff", "--db", str(path)])
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown.output)
    assert shown.exit_code == 0 and "\n".join(lines) in plain


def test_a_revision_without_stored_blocks_reads_its_plain_body() -> None:
    revision = scraper.Revision(1, "2024-05-02T10:00:00+00:00", "x", "Pier", None, None, 5,
                                "Calm seas.\n\nOutlook\n\nRain later.", headings=("Outlook",))
    assert [type(block).__name__ for block in revision.blocks] == [
        "Paragraph", "Heading", "Paragraph"]
    assert revision.body_html == "<p>Calm seas.</p>\n<h2>Outlook</h2>\n<p>Rain later.</p>"


def _kept(path: Path, url: str) -> tuple[dict[str, object], list[tuple[object, ...]]]:
    with scraper.Archive(path) as db:
        record = dict(db.get(url).record)
        for name in ("id", "first_seen", "last_seen"):
            record.pop(name)
    with sqlite3.connect(path) as conn:
        revision = conn.execute(
            "SELECT r.title, r.body, r.blocks, r.extractor_version, c.url IS NOT NULL"
            " FROM revisions r LEFT JOIN captures c ON c.id = r.capture_id").fetchall()
    return record, revision


def test_fetch_save_keeps_a_page_as_the_crawler_does(tmp_path: Path) -> None:
    with NewsSite(articles=1) as site:
        config = tmp_path / "config.toml"
        config.write_text(site_config([("gazette", site)], archive=str(tmp_path / "crawl.db")))
        report = scraper.crawl(config)
        url = site.url(site.articles[0].path)
        with scraper.Archive(tmp_path / "fetch.db") as db:
            saved = db.fetch(url, config=config)
    assert report.totals.new == 1 and saved.result.status == "new"
    crawled, fetched = _kept(tmp_path / "crawl.db", url), _kept(tmp_path / "fetch.db", url)
    assert crawled == fetched
    assert fetched[1][0][4] == 1  # the revision points at its capture
