"""Bad input at the edges: malformed config files for `scraper crawl`, and the odd things
analysts type into `search`, `show` and `--since`. Always one clear line, never a traceback.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scraper.cli import main
from tests.fixture_site import NewsSite, site_config

SITE = '[[sites]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/feed"]\n'


def assert_one_line_error(result: Result, exit_code: int) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# Cases not already in test_crawl.py's test_config_errors_exit_2_naming_the_key.
CONFIGS = [
    pytest.param('[fetch\ntimeout = 3\n', None, "invalid TOML", id="bad-toml"),
    pytest.param('[fetch]\ntimeout = "3 seconds"\n', "fetch.timeout", "expected a number",
                 id="string-for-number"),
    pytest.param("[fetch]\nretries = -1\n", "fetch.retries", "must not be negative",
                 id="negative-int"),
    pytest.param("[fetch]\nper_host_delay = -0.5\n", "fetch.per_host_delay",
                 "must not be negative", id="negative-float"),
    pytest.param("[fetch]\ntimeout = 0\n", "fetch.timeout", "must be greater than 0",
                 id="zero-timeout"),
    pytest.param("[fetch]\ndeadline = 0\n", "fetch.deadline", "must be greater than 0",
                 id="zero-deadline"),
    pytest.param("[fetch]\nrespect_robots = 1\n", "fetch.respect_robots", "expected true/false",
                 id="int-for-bool"),
    pytest.param("[fetch]\nconcurrency = 2.5\n", "fetch.concurrency", "expected an integer",
                 id="float-for-int"),
    pytest.param("[crawler]\nx = 1\n", "crawler", "unknown key", id="unknown-table"),
    pytest.param("archive = 3\n", "archive", "expected a table", id="scalar-for-table"),
    pytest.param("sites = 3\n", "sites", "expected [[sites]] tables", id="sites-not-a-list"),
    pytest.param('[[sites]]\nfeeds = ["http://127.0.0.1:9/f"]\n', "sites[0]",
                 "missing required key(s): name", id="site-without-name"),
    pytest.param(SITE + "color = 'red'\n", "sites[0].color", "unknown key", id="unknown-site-key"),
    pytest.param(SITE + "exclude = ['[a-']\n", "sites[0].exclude", "bad regex",
                 id="bad-exclude-regex"),
    pytest.param(SITE + "max_articles = -5\n", "sites[0].max_articles", "must not be negative",
                 id="negative-max-articles"),
    pytest.param(SITE + "refresh_after = 'soon'\n", "sites[0].refresh_after", "bad duration",
                 id="bad-duration"),
    pytest.param(SITE + "refresh_after = -60\n", "sites[0].refresh_after", "must not be negative",
                 id="negative-duration"),
    pytest.param('[[sites]]\nname = "a"\nfeeds = ["ftp://127.0.0.1/f"]\n', "sites[0].feeds",
                 "not an http(s) URL", id="ftp-feed"),
    pytest.param('[[sites]]\nname = "a"\nfeeds = "http://127.0.0.1:9/f"\n', "sites[0].feeds",
                 "expected a list of strings", id="string-for-list"),
    pytest.param(SITE + SITE, "sites[1].name", "duplicate site name 'a'", id="duplicate-site"),
]


@pytest.mark.parametrize(("text", "key", "problem"), CONFIGS)
def test_malformed_config_is_exit_2_naming_file_key_and_problem(
        text: str, key: str | None, problem: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["crawl", "--config", str(config), "--db",
                                       str(tmp_path / "archive.db")])
    line = assert_one_line_error(result, 2)
    where = f"{config}: {key}: " if key else f"{config}: "
    assert line.startswith(f"Error: {where}"), line
    assert problem in line
    assert not (tmp_path / "archive.db").exists()


def test_config_that_is_not_utf8_is_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b"[fetch]\nuser_agent = \"caf\xe9\"\n")
    line = assert_one_line_error(CliRunner().invoke(main, ["crawl", "--config", str(config)]), 2)
    assert line == f"Error: {config}: not UTF-8 text"


# --- analysts' input ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("analyst")
    with NewsSite(articles=3) as site:
        (folder / "config.toml").write_text(site_config([("gazette", site)]), encoding="utf-8")
        result = CliRunner().invoke(main, ["crawl", "--config", str(folder / "config.toml"),
                                           "--db", str(folder / "archive.db")])
        assert result.exit_code == 0, result.output
    yield folder / "archive.db"


def articles(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


@pytest.mark.parametrize("text", [
    '"unbalanced', "AND", "ferry AND", "title:", "NEAR(ferry", "(ferry", "*", "ferry OR OR x",
    "nosuchcolumn:ferry", "^", "ferry)", "-ferry", "\x00", "'; DROP TABLE articles; --",
    "1; DELETE FROM articles", "ferry' OR '1'='1", "ferry\" OR 1=1 --",
])
def test_search_never_tracebacks_and_never_writes(text: str, archive: Path) -> None:
    before = articles(archive)
    result = CliRunner().invoke(main, ["search", "--db", str(archive), "--format", "json", "--",
                                       text])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        line = assert_one_line_error(result, 1)
        assert line.startswith(("Error: bad search query", "Error: empty search query",
                                "Error: nothing to search for")), line
    else:
        assert result.exit_code == 0, result.output
    assert articles(archive) == before


@pytest.mark.parametrize("value", [
    "yesterday", "2024-13-01", "2024-02-30", "0000-00-00", "2024/03/04", "20240304x", " ",
    "2024-03-04T25:00", "'; DROP TABLE articles; --",
])
@pytest.mark.parametrize("command", ["search ferry", "export"])
def test_odd_since_dates_are_one_line(value: str, command: str, archive: Path) -> None:
    result = CliRunner().invoke(main, [*command.split(), "--since", value, "--db", str(archive)])
    line = assert_one_line_error(result, 2)  # a usage error
    assert line.startswith("Error: --since: "), line


@pytest.mark.parametrize("value", ["-1", "0", "99999999999999999999", "' OR 1=1 --",
                                   "javascript:alert(1)", "http://127.0.0.1:9/nope/"])
def test_show_of_something_not_archived_is_one_line(value: str, archive: Path) -> None:
    result = CliRunner().invoke(main, ["show", "--db", str(archive), "--", value])
    line = assert_one_line_error(result, 1)
    assert line.startswith("Error: no ")
