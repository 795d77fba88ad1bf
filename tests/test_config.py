"""config.toml -> validated settings; every mistake names the file and the key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scraper.config import (
    ArchiveSettings,
    Config,
    FetchSettings,
    SiteSettings,
    load_config,
    parse_duration,
)
from scraper.errors import ConfigError

GOOD = """
[archive]
path = "news.db"

[fetch]
user_agent = "tester/1.0"
timeout = 5
per_host_delay = 0.5
max_bytes = 1_000_000

[[sites]]
name = "bay-herald"
feeds = ["https://bayherald.example/feed/"]
include = ['/\\d{4}/\\d{2}/']
refresh_after = "24h"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_and_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.archive.path == "news.db"
    assert config.fetch.user_agent == "tester/1.0"
    assert config.fetch.timeout == 5.0 and isinstance(config.fetch.timeout, float)
    assert config.fetch.retries == 3  # default kept
    site = config.site("bay-herald")
    assert site.feeds == ("https://bayherald.example/feed/",)
    assert site.refresh_after == 86400.0
    assert site.max_articles == 200


def test_missing_default_file_means_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config() == Config()


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[fetch]\ntimout = 3\n", "fetch.timout", "unknown key"),
        ("[fetch]\ntimeout = 'fast'\n", "fetch.timeout", "expected a number"),
        ("[fetch]\nretries = -1\n", "fetch.retries", "must not be negative"),
        ("[fetch]\nrespect_robots = 'yes'\n", "fetch.respect_robots", "expected true/false"),
        ("[fetch]\nconcurrency = 0\n", "fetch.concurrency", "at least 1"),
        ("[archiv]\npath = 'x'\n", "archiv", "unknown key"),
        (
            "[[sites]]\nfeeds = ['https://a.example/']\n",
            "sites[0]",
            "missing required key(s): name",
        ),
        ("[[sites]]\nname = 'a'\ninclude = ['(unclosed']\n", "sites[0].include", "bad regex"),
        (
            "[[sites]]\nname = 'a'\nfeeds = ['ftp://a.example/']\n",
            "sites[0].feeds",
            "not an http(s) URL",
        ),
        (
            "[[sites]]\nname = 'a'\nrefresh_after = 'soon'\n",
            "sites[0].refresh_after",
            "bad duration",
        ),
        ("[[sites]]\nname = 'a'\npages = ['https://a.example/']\n[[sites]]\nname = 'a'\n",
         "sites[1].name", "duplicate site name"),
        ("[[sites]]\nname = 'a'\npages = ['https://a.example/']\n[[sites]]\nname = 'b'\n",
         "sites[1] (name 'b')", "no feeds, sitemaps or pages to read"),
    ],
)
def test_mistakes_name_file_key_and_problem(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message and key in message and problem in message
    assert "\n" not in message


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(write(tmp_path, "[fetch\ntimeout=1"))
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_durations() -> None:
    assert parse_duration("90", path=None, key="k") == 90
    assert parse_duration("15m", path=None, key="k") == 900
    assert parse_duration("7d", path=None, key="k") == 604800
    assert parse_duration(30, path=None, key="k") == 30


SETTINGS = [("archive", ArchiveSettings), ("fetch", FetchSettings), ("sites", SiteSettings)]


@pytest.mark.parametrize(
    ("table", "name"),
    [(table, f.name) for table, cls in SETTINGS for f in dataclasses.fields(cls)],
)
def test_every_setting_is_checked(tmp_path: Path, table: str, name: str) -> None:
    head = f"[{table}]\n"
    if table == "sites":
        head = "[[sites]]\n" + ("" if name == "name" else "name = 'a'\n")
    path = write(tmp_path, f"{head}{name} = {{ nested = 1 }}\n")  # no setting is a table
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert f"{name}: " in str(info.value) and str(path) in str(info.value)
