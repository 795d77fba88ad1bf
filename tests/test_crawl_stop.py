"""Stopping a crawl from the keyboard: Ctrl-C is a clean, recorded abort.

The terminal sends SIGINT to the whole foreground process group: the crawl, its forkserver and
its extraction workers. The crawl is started in a process group of its own, and the group gets
the signal, as a terminal would send it.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from tests.fixture_site import NewsSite, site_config
from tests.test_crawl import archived, crawl_process, query, wait_for, write_config


def test_ctrl_c_aborts_the_run_in_one_line_with_exit_status_130(tmp_path: Path) -> None:
    with NewsSite(articles=8, article_delay=0.4) as site:
        write_config(tmp_path, site_config([("gazette", site)], per_host_concurrency=1))
        with crawl_process(tmp_path) as process:
            wait_for(lambda: archived(tmp_path) >= 2)  # the extraction workers are up
            os.killpg(process.pid, signal.SIGINT)
            _out, err = process.communicate(timeout=30)
    stderr = err.decode("utf-8", "replace")
    assert process.returncode == 130, stderr
    # One line, the summary; no worker's KeyboardInterrupt traceback, no "Aborted!".
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("scraper crawl: run 1 aborted in "), stderr
    assert "(interrupted by Ctrl-C)" in stderr
    saved = archived(tmp_path)
    assert 2 <= saved < 8
    assert f"{saved} new" in stderr
    assert query(tmp_path, "SELECT id, status, message FROM runs") == [
        (1, "aborted", "interrupted by Ctrl-C")]
    assert query(tmp_path, "SELECT new FROM run_sites") == [(saved,)]
    assert query(tmp_path, "PRAGMA integrity_check") == [("ok",)]
