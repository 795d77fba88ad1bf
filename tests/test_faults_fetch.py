"""Every page fault as a one-off `scraper fetch`: exit 1 and one line saying why, or the page.

The fault server (tests/fault_server.py) is real: sockets on 127.0.0.1 that hang, trickle,
reset, lie and explode. Limits are small (timeout 1.5 s, deadline 3 s, 1 retry, 10 MB cap).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scraper.cli import main
from tests.fault_catalogue import (
    PAGE_FAULTS,
    Archived,
    Empty,
    Fails,
    Fault,
    install_page_faults,
)
from tests.fault_server import SECRET_MARK, FaultServer, fault_config, run_measured


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultServer]:
    secret = tmp_path_factory.mktemp("secret") / "secret.txt"
    secret.write_text(SECRET_MARK, encoding="utf-8")
    with FaultServer() as server:
        server.secret_path = str(secret)
        install_page_faults(server)
        yield server


def fetch(tmp_path: Path, url: str, *args: str) -> Result:
    config = tmp_path / "config.toml"
    config.write_text(fault_config(""), encoding="utf-8")
    return CliRunner().invoke(main, ["fetch", url, "--config", str(config), *args])


def assert_clean_exit(result: Result) -> None:
    """Ended by the CLI itself (exit status), never by an exception escaping it."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.mark.parametrize("fault", PAGE_FAULTS, ids=lambda fault: fault.name)
def test_fetch_survives(fault: Fault, faults: FaultServer, tmp_path: Path) -> None:
    url = faults.url(fault.path)
    result = fetch(tmp_path, url)
    assert_clean_exit(result)
    assert SECRET_MARK not in result.output
    outcome = fault.fetch
    if isinstance(outcome, Fails):
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        # Retries are announced as they happen; the error itself is the one last line.
        assert all(line.startswith("retrying in ") for line in lines[:-1]), lines
        assert len(lines) == outcome.requests
        label, failed_url, reason = lines[-1].split(": ", 2)
        assert label == "Error" and failed_url.startswith(faults.url("/"))
        assert re.search(outcome.reason, reason), reason
        assert result.stdout == ""
        times = faults.times(fault.path)
        if outcome.min_gap:
            assert times[1] - times[0] >= outcome.min_gap
    else:
        assert result.exit_code == 0, result.output
        record = json.loads(result.stdout)
        if isinstance(outcome, Archived):
            assert outcome.text in record["body"]
        else:
            assert isinstance(outcome, Empty)
            assert record["body"] == ""
    assert faults.count(fault.path) == outcome.requests


def test_fetch_save_refuses_a_page_without_article_text(faults: FaultServer,
                                                        tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    # --any-page gives the record of any page; --save still keeps articles with text only
    result = fetch(tmp_path, faults.url("/f/content-length-too-short/"), "--save", "--db",
                   str(db), "--any-page")
    assert_clean_exit(result)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("no article text found on the page; not saved")


MEMORY_CAP_MB = 500
HEAVY = ("body-2gb-streamed", "body-2gb-declared", "gzip-bomb-10gb", "single-line-1mb",
         "links-100k")


@pytest.mark.parametrize("name", HEAVY)
def test_fetch_memory_stays_bounded(name: str, faults: FaultServer, tmp_path: Path) -> None:
    """`python -m scraper fetch` in a process of its own: its peak RSS, from wait4."""
    (tmp_path / "config.toml").write_text(fault_config(""), encoding="utf-8")
    result = run_measured(["fetch", faults.url(f"/f/{name}/"), "--config", "config.toml"],
                          cwd=str(tmp_path), timeout=60)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1)
    assert result.peak_rss_mb < MEMORY_CAP_MB, result.peak_rss_mb
