"""`scraper import`: WARC files written here in the layouts other archives use, with the
damage real files have; filters; resumption after `kill -9`."""

from __future__ import annotations

import contextlib
import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scraper.cli import main
from tests.archive_queries import query
from tests.warc_fixtures import HOST, Layout, WarcBuilder, article_page, chunked, corrupt_member


def run(tmp_path: Path, *args: str, db: str = "archive.db") -> Result:
    config = tmp_path / "config.toml"
    if not config.exists():
        config.write_text("[archive]\n", encoding="utf-8")
    return CliRunner().invoke(main, [*args, "--config", str(config), "--db",
                                     str(tmp_path / db)])


def cc_news_like(path: Path) -> dict[str, Any]:
    """A CC-NEWS-like file: gzip per record, request + response pairs, HTTP/1.1 headers as
    sent, chunked and gzip payloads, windows-1252 pages, non-article pages, a corrupt member
    in the middle and a truncated final record."""
    warc = WarcBuilder()
    warc.warcinfo()
    urls = [f"{HOST}/2024/03/story-{i}/" for i in range(5)]
    plain = article_page(0, urls[0]).encode()
    warc.response(urls[0], plain)
    page = article_page(1, urls[1]).encode()
    warc.response(urls[1], chunked(page), headers=[
        ("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")])
    zipped = article_page(2, urls[2]).encode()
    warc.response(urls[2], gzip.compress(zipped), headers=[
        ("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    both = article_page(3, urls[3]).encode()
    warc.response(urls[3], chunked(gzip.compress(both)), headers=[
        ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
        ("Transfer-Encoding", "chunked")])
    latin = article_page(4, urls[4]).replace("harbour", "harbour café").replace(
        'charset="utf-8"', 'charset="windows-1252"').encode("cp1252")
    warc.response(urls[4], latin, headers=[("Content-Type", "text/html; charset=windows-1252")])
    middle = len(warc.records)
    warc.response(f"{HOST}/2024/03/lost-story/", article_page(6, f"{HOST}/x/").encode(),
                  request=False)
    warc.metadata(urls[4])
    warc.response(f"{HOST}/", b'<html><body><nav><a href="/a/">A</a> <a href="/b/">B</a>'
                              b"</nav></body></html>")  # a home page
    warc.response(f"{HOST}/empty/", b"")
    warc.response(f"{HOST}/missing/", b"<html><body>Not here</body></html>", status="404 Not Found")
    warc.response(f"{HOST}/logo.png", b"\x89PNG....", headers=[("Content-Type", "image/png")])
    warc.resource(f"{HOST}/2024/03/story-resource/", article_page(7, f"{HOST}/r/").encode())
    warc.response(f"{HOST}/2024/03/cut-short/", article_page(8, f"{HOST}/c/").encode())
    members = [gzip.compress(r, mtime=0) for r in warc.records]
    members[middle] = corrupt_member(warc.records[middle])
    members[-1] = members[-1][: len(members[-1]) // 2]
    path.write_bytes(b"".join(members))
    return {"pages": {urls[0]: plain, urls[1]: page, urls[2]: zipped, urls[3]: both,
                      urls[4]: latin}, "corrupt_offset": sum(len(m) for m in members[:middle]),
            "last_offset": sum(len(m) for m in members[:-1])}


def test_a_cc_news_like_file_is_imported_with_one_warning_per_damaged_record(
        tmp_path: Path) -> None:
    source = tmp_path / "CC-NEWS-20240305-00001.warc.gz"
    made = cc_news_like(source)
    result = run(tmp_path, "import", str(source))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith(
        f"warning: {source}: offset {made['corrupt_offset']}: corrupt gzip member")
    assert warnings[1] == (f"warning: {source}: offset {made['last_offset']}:"
                           " truncated record (the file ends in it)")
    summary = result.stderr.splitlines()[-1]
    assert "6 new, 0 updated, 0 unchanged, 4 not articles" in summary, summary
    assert "2 unreadable" in summary
    db = tmp_path / "archive.db"
    archived = {row[0] for row in query(db, "SELECT url FROM articles")}
    assert archived == {*made["pages"], f"{HOST}/2024/03/story-resource/"}
    body = query(db, "SELECT body FROM articles WHERE url = ?", (f"{HOST}/2024/03/story-4/",))
    assert "harbour café" in body[0][0]
    # the index points into the original file; the page comes back exactly as served
    assert {row[0] for row in query(db, "SELECT DISTINCT warc_file FROM captures")} == {
        str(source.resolve())}
    for url, page in made["pages"].items():
        (article_id,) = query(db, "SELECT id FROM articles WHERE url = ?", (url,))[0]
        shown = run(tmp_path, "show", str(article_id), "--html")
        assert shown.exit_code == 0, shown.output
        charset = "cp1252" if b"windows-1252" in page else "utf-8"
        assert shown.stdout.rstrip("\n") == page.decode(charset)
    verified = run(tmp_path, "verify")
    assert verified.exit_code == 0, verified.output
    # a file fully imported is skipped next time
    again = run(tmp_path, "import", str(source))
    assert "1 files (1 already imported), 0 records" in again.stderr, again.stderr
    assert query(db, "SELECT count(*) FROM articles") == [(6,)]


@pytest.mark.parametrize(("layout", "version"), [("gzip-records", "1.0"), ("gzip-file", "1.1"),
                                                 ("plain", "1.0"), ("plain", "1.1")])
def test_every_layout_and_warc_version_is_read(tmp_path: Path, layout: Layout,
                                               version: str) -> None:
    warc = WarcBuilder(version=version)
    warc.warcinfo()
    for index in range(3):
        url = f"{HOST}/2024/04/layout-{index}/"
        warc.response(url, article_page(index + 20, url).encode())
    warc.response(f"{HOST}/", b"<html><body><a href='/x/'>x</a></body></html>")
    data = warc.file(layout)
    if layout == "plain":  # a malformed record in the middle: skipped, then the next found
        cut = data.index(b"WARC/1", len(warc.records[0]) + len(warc.records[1]) + 10)
        data = data[:cut] + b"this is not a record\r\nat all\r\n\r\n" + data[cut:]
    source = tmp_path / ("layout.warc" if layout == "plain" else "layout.warc.gz")
    source.write_bytes(data)
    result = run(tmp_path, "import", str(source))
    assert result.exit_code == 0, result.output
    assert query(tmp_path / "archive.db", "SELECT count(*) FROM articles") == [(3,)]
    assert "3 new" in result.stderr and "1 not articles" in result.stderr
    assert ("1 unreadable" in result.stderr) == (layout == "plain")
    copied = layout == "gzip-file"  # one gzip stream cannot be read at an offset: copied
    files = {row[0] for row in query(tmp_path / "archive.db", "SELECT warc_file FROM captures")}
    assert all(Path(f).is_absolute() != copied for f in files)
    assert run(tmp_path, "verify").exit_code == 0


def test_filters_pick_site_urls_dates_and_language(tmp_path: Path) -> None:
    warc = WarcBuilder()
    for index, (host, day) in enumerate([(HOST, "2024-03-01"), (HOST, "2024-03-10"),
                                         ("https://other.example", "2024-03-10"),
                                         (HOST, "2024-03-20")]):
        url = f"{host}/2024/03/filtered-{index}/"
        page = article_page(index + 30, url)
        if index == 3:
            page = page.replace('lang="en"', 'lang="de"')
        warc.response(url, page.encode(), date=f"{day}T08:00:00Z")
    source = tmp_path / "mixed.warc.gz"
    source.write_bytes(warc.file("gzip-records"))
    (tmp_path / "config.toml").write_text(
        f'[[sites]]\nname = "gazette"\nfeeds = ["{HOST}/feed/"]\n', encoding="utf-8")
    result = run(tmp_path, "import", str(source), "--site", "gazette", "--since", "2024-03-05",
                 "--language", "en")
    assert result.exit_code == 0, result.output
    assert query(tmp_path / "archive.db", "SELECT url, site FROM articles") == [
        (f"{HOST}/2024/03/filtered-1/", "gazette")]
    assert "3 filtered out" in result.stderr
    other = run(tmp_path, "import", str(source), "--exclude", "filtered-[013]", "--until",
                "2024-03-10", db="other.db")
    assert query(tmp_path / "other.db", "SELECT url, site FROM articles") == [
        ("https://other.example/2024/03/filtered-2/", "other.example")]
    assert other.exit_code == 0


def test_a_file_that_cannot_be_opened_is_exit_1(tmp_path: Path) -> None:
    result = run(tmp_path, "import", str(tmp_path / "nowhere.warc.gz"))
    assert result.exit_code == 1
    assert "nowhere.warc.gz: cannot import" in result.stderr


@pytest.mark.slow
def test_an_import_killed_part_way_resumes_without_duplicates(tmp_path: Path) -> None:
    warc = WarcBuilder()
    urls = [f"{HOST}/2024/05/resumed-{i}/" for i in range(160)]
    for index, url in enumerate(urls):
        warc.response(url, article_page(index + 100, url).encode())
    source = tmp_path / "big.warc.gz"
    source.write_bytes(warc.file("gzip-records"))
    (tmp_path / "config.toml").write_text("[archive]\n", encoding="utf-8")
    db = tmp_path / "archive.db"
    args = [sys.executable, "-m", "scraper", "import", str(source), "--config",
            str(tmp_path / "config.toml"), "--db", str(db)]
    process = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None:
            assert time.monotonic() < deadline
            with contextlib.suppress(sqlite3.OperationalError):
                if query(db, "SELECT count(*) FROM articles")[0][0] >= 20:
                    break
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
    done = query(db, "SELECT count(*) FROM articles")[0][0]
    assert 20 <= done < len(urls), done
    result = run(tmp_path, "import", str(source))
    assert result.exit_code == 0, result.output
    assert f"{len(urls) - done} new" in result.stderr, (done, result.stderr)
    assert query(db, "SELECT count(*) FROM articles") == [(len(urls),)]
    assert query(db, "SELECT count(*) FROM revisions") == [(len(urls),)]
    assert query(db, "SELECT count(*), count(DISTINCT article_id) FROM captures") == [
        (len(urls), len(urls))]
