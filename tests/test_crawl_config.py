"""`scraper crawl` and its config: every mistake is one line naming the file and key, exit 2,
before anything is fetched or written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_crawl import crawl, write_config


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        pytest.param('[fetch]\nper_host_delay = "fast"\n', (),
                     "fetch.per_host_delay: expected a number", id="wrong-type"),
        pytest.param("[fetch]\nconcurency = 4\n", (), "fetch.concurency: unknown key",
                     id="unknown-key"),
        pytest.param('[[sites]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/f"]\ninclude = ["("]\n',
                     (), "sites[0].include: bad regex", id="bad-regex"),
        pytest.param('[[sites]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/f"]\n', ("--site", "b"),
                     "no site named 'b'", id="unknown-site"),
        pytest.param("[archive]\npath = 'x.db'\n", (), "sites: no [[sites]] to crawl",
                     id="no-sites"),
        pytest.param('[[sites]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/f"]\n\n'
                     '[[sites]]\nname = "a2"\nsitemaps = ["http://127.0.0.1:9/s.xml"]\n\n'
                     '[[sites]]\nname = "x"\ninclude = ["/news/"]\n', (),
                     "config.toml: sites[2] (name 'x'): no feeds, sitemaps or pages to read",
                     id="site-without-listings"),
    ],
)
def test_config_errors_exit_2_naming_the_key(tmp_path: Path, config: str, args: tuple[str, ...],
                                             message: str) -> None:
    write_config(tmp_path, config)
    result = crawl(tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (tmp_path / "archive.db").exists()


def test_no_config_file_says_where_it_looked(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from scraper.cli import main

    monkeypatch.chdir(tmp_path)
    for args in ((), ("--dry-run",)):
        result = CliRunner().invoke(main, ["crawl", *args])
        assert result.exit_code == 2, result.output
        assert result.stderr == ("Error: no config file: ./config.toml not found"
                                 " (give --config PATH)\n")
    assert list(tmp_path.iterdir()) == []  # no archive, nothing
