"""The capture commands from Python, as a user writes them: ``Archive.import_warc``,
``reextract``, ``verify``, ``captures``, ``page_html``, ``export``, and ``Revision``'s
structured body. WARC files are written here by warcio (tests/warc_fixtures.py), archives
are real SQLite files in tmp_path; the CLI commands give the same answers (one code path)."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

import scraper
from scraper.cli import main
from tests.archive_queries import query
from tests.warc_fixtures import HOST, WarcBuilder, article_page, corrupt_member

URLS = [f"{HOST}/2024/03/story-{i}/" for i in range(3)]


def write_warc(path: Path, *, damaged: bool = False) -> dict[str, bytes]:
    """Three article pages, a home page and (``damaged``) a corrupt record, gzip per record."""
    warc = WarcBuilder()
    warc.warcinfo()
    pages = {url: article_page(i, url).encode() for i, url in enumerate(URLS)}
    for i, (url, page) in enumerate(pages.items()):
        warc.response(url, page, date=f"2024-03-0{i + 4}T10:00:00Z")
    warc.response(f"{HOST}/", b'<html><body><nav><a href="/a/">A</a> <a href="/b/">B</a>'
                              b"</nav></body></html>")
    members = [gzip.compress(record, mtime=0) for record in warc.records]
    if damaged:
        extra = WarcBuilder()
        extra.response(f"{HOST}/2024/03/lost/", article_page(9, f"{HOST}/x/").encode(),
                       request=False)
        members.insert(2, corrupt_member(extra.records[0]))
    path.write_bytes(b"".join(members))
    return pages



@pytest.fixture()
def imported(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    pages = write_warc(tmp_path / "news.warc.gz")
    with scraper.Archive(tmp_path / "archive.db") as db:
        report = db.import_warc(tmp_path / "news.warc.gz")
    assert report.new == 3
    return tmp_path / "archive.db", pages


def test_import_reports_what_it_did_and_warns_of_damage(tmp_path: Path) -> None:
    write_warc(tmp_path / "news.warc.gz", damaged=True)
    heard: list[str] = []
    with scraper.Archive(tmp_path / "archive.db") as db:
        report = db.import_warc([tmp_path / "news.warc.gz"], warn=heard.append)
        again = db.import_warc(tmp_path / "news.warc.gz")
        titles = sorted(db.get(url).record["title"] for url in URLS)
    assert (report.files, report.new, report.not_articles, report.unreadable) == (1, 3, 1, 1)
    assert report.ok and report.warnings == tuple(heard) and len(heard) == 1
    assert "offset" in heard[0]
    assert (again.skipped_files, again.new) == (1, 0)
    assert len(titles) == 3 and all(titles)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.new = 0  # type: ignore[misc]


def test_import_filters_by_url_and_date_and_a_missing_file_is_a_failed_file(
        tmp_path: Path) -> None:
    write_warc(tmp_path / "news.warc.gz")
    with scraper.Archive(tmp_path / "archive.db") as db:
        report = db.import_warc(tmp_path / "news.warc.gz", include=[r"story-[01]/"],
                                since="2024-03-05")
        missing = db.import_warc(tmp_path / "nothing.warc.gz")
        urls = [hit["url"] for hit in db.records()]
    assert (report.new, report.filtered) == (1, 3)  # story-0 by date; story-2, home by URL
    assert urls == [URLS[1]]
    assert not missing.ok and missing.failed_files == 1
    assert "nothing.warc.gz" in missing.warnings[0]


def test_import_site_must_be_configured(tmp_path: Path) -> None:
    write_warc(tmp_path / "news.warc.gz")
    (tmp_path / "config.toml").write_text(
        f'[[sites]]\nname = "gazette"\nfeeds = ["{HOST}/feed/"]\n', encoding="utf-8")
    with scraper.Archive(tmp_path / "archive.db") as db:
        with pytest.raises(scraper.ConfigError, match="no site named 'other'"):
            db.import_warc(tmp_path / "news.warc.gz", site="other",
                           config=tmp_path / "config.toml")
        with pytest.raises(scraper.ConfigError, match="include: not a regular expression"):
            db.import_warc(tmp_path / "news.warc.gz", include=["story-("])
        report = db.import_warc(tmp_path / "news.warc.gz", site="gazette",
                                config=tmp_path / "config.toml")
        assert report.new == 3 and db.sites() == ["gazette"]


def test_captures_and_the_page_as_served(imported: tuple[Path, dict[str, bytes]]) -> None:
    path, pages = imported
    with scraper.Archive(path) as db:
        captures = db.captures(URLS[1])
        page = db.page_html(URLS[1])
        by_id = db.page_html(captures[0].article_id or 0, revision=1)
    assert [(c.url, c.origin, c.status, c.revision) for c in captures] == [
        (URLS[1], "import", 200, 1)]
    assert page == by_id == pages[URLS[1]].decode()


def test_page_html_without_a_capture_and_an_unknown_article(tmp_path: Path) -> None:
    html = ("<html><body><article><h1>Tide mill</h1><p>"
            + "The tide mill grinds flour again. " * 15 + "</p></article>")
    with scraper.Archive(tmp_path / "archive.db") as db:
        db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        assert db.captures(1) == []
        with pytest.raises(scraper.ArchiveError, match="no capture of this article"):
            db.page_html(1)
        with pytest.raises(scraper.ArchiveError, match="no archived article"):
            db.captures("https://news.example/elsewhere/")


def _age(path: Path) -> None:
    """Make the archive look read by an older extractor that got the headlines wrong."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE captures SET extractor_version = 'old'")
        conn.execute("UPDATE articles SET title = 'Old headline'")


def test_reextract_counts_changes_per_field_and_writes_a_revision(
        imported: tuple[Path, dict[str, bytes]]) -> None:
    path, _pages = imported
    _age(path)
    with scraper.Archive(path) as db:
        dry = db.reextract(dry_run=True)
        assert db.get(URLS[0]).record["title"] == "Old headline"
        done = db.reextract(limit=2)
        rest = db.reextract()
        latest = db.history(URLS[0])[-1]
    assert (dry.total, dry.changed, dry.fields, dry.dry_run) == (3, 3, {"title": 3}, True)
    assert (done.total, done.changed, done.fields, done.dry_run) == (2, 2, {"title": 2}, False)
    assert (rest.total, rest.changed) == (1, 1)
    assert latest.revision == 2 and latest.title != "Old headline"
    assert latest.blocks and latest.to_markdown().startswith(latest.blocks[0].text[:20])
    assert latest.body_html.startswith("<")
    for url in URLS:
        assert query(path, "SELECT count(*) FROM revisions r JOIN article_urls u"
                     " ON u.article_id = r.article_id WHERE u.url = ?", (url,)) == [(2,)]


def test_verify_finds_a_damaged_file_and_the_cli_says_the_same(
        imported: tuple[Path, dict[str, bytes]]) -> None:
    path, _pages = imported
    with scraper.Archive(path) as db:
        good = db.verify()
    assert good.ok and good.captures == 3 and len(good.files) == 1
    warc = Path(good.files[0])
    data = bytearray(warc.read_bytes())
    (offset,) = query(path, "SELECT offset FROM captures ORDER BY id LIMIT 1")[0]
    data[offset + 40] ^= 0x5A
    warc.write_bytes(bytes(data))
    heard: list[str] = []
    with scraper.Archive(path) as db:
        bad = db.verify(say=heard.append)
    assert not bad.ok and bad.problems == len(heard) >= 1
    assert bad.problem_lines == tuple(heard)
    result = CliRunner().invoke(main, ["verify", "--db", str(path)])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if not line.startswith("scraper")] \
        == list(heard)


def test_export_every_format_and_the_cli_writes_the_same(
        imported: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    path, pages = imported
    out = tmp_path / "out"
    out.mkdir()
    with scraper.Archive(path) as db:
        jsonl = db.export(out / "all.jsonl")
        stream = io.StringIO()
        csv_done = db.export(stream, "csv", since="2024-03-01")
        warc = db.export(out / "picked.warc.gz", "warc")
        parquet = db.export(out / "parquet", "parquet")
        records = list(db.records())
    assert (jsonl.format, jsonl.count, jsonl.out) == ("jsonl", 3, out / "all.jsonl")
    lines = (out / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == records
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert csv_done.count == len(rows) - 1 == 3 and csv_done.out is None
    assert [row[1] for row in rows[1:]] == [record["url"] for record in records]
    with (out / "picked.warc.gz").open("rb") as handle:
        served = {r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
                  for r in ArchiveIterator(handle) if r.rec_type == "response"}
    assert warc.count == 3 and served == pages
    assert parquet.count == 3 and parquet.files and all(p.is_file() for p in parquet.files)
    result = CliRunner().invoke(main, ["export", "--format", "jsonl", "--db", str(path)])
    assert result.exit_code == 0 and result.output.splitlines() == lines


def test_export_errors_are_archive_errors(imported: tuple[Path, dict[str, bytes]],
                                         tmp_path: Path) -> None:
    path, _pages = imported
    with scraper.Archive(path) as db:
        with pytest.raises(scraper.ArchiveError, match="cannot write"):
            db.export(tmp_path / "no-such-folder" / "a.jsonl")
        with pytest.raises(scraper.ArchiveError, match="no export format 'xml'"):
            db.export(tmp_path / "a.xml", "xml")  # type: ignore[arg-type]
        with pytest.raises(scraper.ArchiveError, match="not a date"):
            db.export(tmp_path / "a.jsonl", since="last week")
    with pytest.raises(scraper.ArchiveError):
        scraper.Archive(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
