"""The command line through its real entry point: records on stdout, one-line errors on stderr."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import main
from tests import pages
from tests.httpserver import FixtureServer, Reply, html_reply

ARTICLE_PATH = "/2024/03/05/solar-plant/"


def run(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site(server: FixtureServer) -> FixtureServer:
    server.route(ARTICLE_PATH, html_reply(pages.wordpress_jsonld(server.url(ARTICLE_PATH))))
    server.route("/old-link", Reply(status=301, headers={"Location": ARTICLE_PATH}))
    server.route("/feed.pdf", Reply(body=b"%PDF", headers={"Content-Type": "application/pdf"}))
    return server


def test_fetch_prints_the_record_as_json(site: FixtureServer) -> None:
    code, out, _ = run("fetch", site.url("/old-link"))
    assert code == 0
    record = json.loads(out)
    assert record["url"] == site.url(ARTICLE_PATH)
    assert record["title"] == pages.TITLE
    assert record["headings"] == pages.HEADINGS
    assert record["source_link"] == pages.SOURCE
    assert record["date_source"] == "meta:article:published_time"
    expected_keys = {
        "url",
        "canonical_url",
        "title",
        "published",
        "modified",
        "section",
        "headings",
        "body",
        "source_link",
        "authors",
        "language",
        "site_name",
        "description",
        "tags",
        "image",
        "word_count",
        "content_hash",
        "title_source",
        "date_source",
        "section_source",
    }
    assert expected_keys <= set(record)


def test_fetch_text_format(site: FixtureServer) -> None:
    code, out, _ = run("fetch", site.url(ARTICLE_PATH), "--format", "text")
    assert code == 0
    assert out.startswith(pages.TITLE)
    assert f"Section: {pages.SECTION}" in out and f"Source link: {pages.SOURCE}" in out
    assert pages.PARAGRAPHS[2] in out


def test_fetch_save_writes_once(site: FixtureServer, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    for url in (
        site.url(ARTICLE_PATH),
        site.url("/old-link"),
        site.url(ARTICLE_PATH) + "?utm_source=x",
    ):
        code, _, err = run("fetch", url, "--save", "--db", str(db))
        assert code == 0, err
    assert (
        "saved: new"
        in run("fetch", site.url(ARTICLE_PATH), "--save", "--db", str(tmp_path / "b.db"))[2]
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_fetch_save_uses_config_archive_path(site: FixtureServer, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[archive]\npath = "{tmp_path / "from-config.db"}"\n[fetch]\ntimeout = 5\n')
    code, _, err = run("fetch", site.url(ARTICLE_PATH), "--save", "--config", str(config))
    assert code == 0, err
    assert (tmp_path / "from-config.db").exists()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/feed.pdf", "not HTML"),
    ],
)
def test_fetch_errors_are_one_line_exit_1(site: FixtureServer, path: str, reason: str) -> None:
    code, out, err = run("fetch", site.url(path))
    assert code == 1 and out == ""
    assert reason in err and site.url(path) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_fetch_bad_url_is_one_line() -> None:
    code, _, err = run("fetch", "ftp://example.com/file")
    assert code == 1 and "only http and https" in err and len(err.strip().splitlines()) == 1


def test_bad_config_exits_2_naming_key(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\nretry = 3\n")
    code, _, err = run("fetch", "http://127.0.0.1:9/", "--config", str(config))
    assert code == 2 and "fetch.retry" in err and str(config) in err
    assert len(err.strip().splitlines()) == 1


def test_extract_from_html_gz_and_stdin(tmp_path: Path) -> None:
    url = "https://bayherald.example" + ARTICLE_PATH
    html = pages.wordpress_jsonld(url)
    plain, packed = tmp_path / "page.html", tmp_path / "page.html.gz"
    plain.write_text(html, encoding="utf-8")
    packed.write_bytes(gzip.compress(html.encode()))
    outputs = [
        run("extract", str(plain), "--url", url),
        run("extract", str(packed), "--url", url),
        run("extract", "-", "--url", url, input=html.encode()),
    ]
    records = [json.loads(out) for code, out, _ in outputs if code == 0]
    assert len(records) == 3
    assert all(r == records[0] for r in records)
    assert records[0]["url"] == url and records[0]["title"] == pages.TITLE


def test_extract_legacy_charset_file(tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    path.write_bytes(pages.legacy_charset("x"))
    code, out, _ = run("extract", str(path), "--url", "https://bayherald.example/a/")
    assert code == 0 and json.loads(out)["title"] == pages.LEGACY_TITLE


def test_extract_manifest_keeps_order_and_reports_bad_lines(tmp_path: Path) -> None:
    url = "https://bayherald.example" + ARTICLE_PATH
    (tmp_path / "a.html").write_text(pages.wordpress_jsonld(url))
    (tmp_path / "b.html").write_text(pages.plain_theme(url))
    manifest = tmp_path / "pages.jsonl"
    lines = [
        {"path": str(tmp_path / "a.html"), "url": url},
        {"path": str(tmp_path / "missing.html"), "url": url},
        {"path": str(tmp_path / "b.html"), "url": url},
    ]
    manifest.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    code, out, err = run("extract", "--manifest", str(manifest))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["path"] for r in records[:3]] == [x["path"] for x in lines]
    assert records[0]["title"] == pages.TITLE and records[2]["title"] == pages.TITLE
    assert "error" in records[1] and "missing.html" in records[1]["error"]
    assert "error" in records[3] and records[3]["path"] is None
    assert "missing.html" in err


def test_extract_missing_file_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("extract", str(tmp_path / "nope.html"))
    assert code == 1 and "cannot read" in err and len(err.strip().splitlines()) == 1


def test_every_command_has_help_with_an_example() -> None:
    code, out, _ = run("--help")
    assert code == 0
    commands = [line.split()[0] for line in out.split("Commands:")[1].strip().splitlines()]
    assert {"fetch", "extract"} <= set(commands)
    for command in commands:
        code, text, _ = run(command, "--help")
        assert code == 0 and f"scraper {command}" in text, command


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scraper", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "scraper" in done.stdout
