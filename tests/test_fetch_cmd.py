"""`scraper fetch` as the crawl would behave: robots.txt obeyed, the site taken from the config.

A real server on 127.0.0.1; the command through click's runner, the archive read with sqlite3.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import main
from tests import pages
from tests.httpserver import FixtureServer, Reply, html_reply

OPEN = "/2024/03/05/solar-plant/"
PRIVATE = "/private/2024/03/05/staff-rota/"
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site(server: FixtureServer) -> FixtureServer:
    for path in (OPEN, PRIVATE):
        server.route(path, html_reply(pages.wordpress_jsonld(server.url(path))))
    server.route("/robots.txt", Reply(body=ROBOTS.encode(), headers={"Content-Type": "text/plain"}))
    return server


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_fetch_refuses_what_robots_txt_disallows(site: FixtureServer, tmp_path: Path) -> None:
    code, out, err = run("fetch", site.url(PRIVATE), "--config", write(tmp_path, ""))
    assert code == 1 and out == ""
    assert err == (f"Error: {site.url(PRIVATE)}: disallowed by robots.txt"
                   f" ({site.url('/robots.txt')})\n")
    assert site.paths() == ["/robots.txt"]  # the page itself was never asked for
    # An allowed page on the same host is fetched as usual.
    code, out, err = run("fetch", site.url(OPEN), "--config", write(tmp_path, ""))
    assert code == 0, err
    assert pages.TITLE in out


def test_ignore_robots_and_respect_robots_false_fetch_anyway(site: FixtureServer,
                                                             tmp_path: Path) -> None:
    code, out, err = run("fetch", site.url(PRIVATE), "--ignore-robots")
    assert code == 0, err
    assert pages.TITLE in out
    config = write(tmp_path, "[fetch]\nrespect_robots = false\n")
    code, out, err = run("fetch", site.url(PRIVATE), "--config", config)
    assert code == 0, err
    assert "/robots.txt" not in site.paths()  # neither asked for it


@pytest.mark.parametrize("status", [503, 429])
def test_a_robots_txt_in_trouble_means_no_fetch(server: FixtureServer, status: int) -> None:
    # The crawl's policy: a robots.txt answering 429/5xx means the host is in trouble.
    server.route(OPEN, html_reply(pages.wordpress_jsonld(server.url(OPEN))))
    server.route("/robots.txt", Reply(status=status, body=b"busy"))
    code, out, err = run("fetch", server.url(OPEN))
    assert code == 1 and out == ""
    assert err.startswith(f"Error: {server.url(OPEN)}: robots.txt answered HTTP {status}")
    assert err.endswith(f"not fetching ({server.url('/robots.txt')})\n")
    assert server.paths() == ["/robots.txt"]


def test_fetch_save_files_the_article_under_the_site_of_its_host(site: FixtureServer,
                                                                 tmp_path: Path) -> None:
    port = site.port
    config = write(tmp_path, f"""
[[sites]]
name = "elsewhere"
feeds = ["http://127.0.0.1:9/feed/"]

[[sites]]
name = "harbour"
feeds = ["http://news.invalid/feed/"]
allowed_hosts = ["127.0.0.1:{port}"]
""")
    db = tmp_path / "archive.db"
    code, _out, err = run("fetch", site.url(OPEN), "--save", "--config", config, "--db", str(db))
    assert code == 0, err
    other = site.url(OPEN).replace("127.0.0.1", "localhost")  # a host no site has
    code, _out, err = run("fetch", other, "--save", "--config", config, "--db",
                          str(tmp_path / "other.db"))
    assert code == 0, err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT site FROM articles").fetchall() == [("harbour",)]
    with sqlite3.connect(tmp_path / "other.db") as conn:
        assert conn.execute("SELECT site FROM articles").fetchall() == [(None,)]
