"""`import scraper` (every CLI command and every extraction worker starts with it) loads no
optional heavy library: pandas, pyarrow, Ray and Playwright load only when a feature that
needs them is used."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pandas", "pyarrow", "ray", "playwright", "duckdb")


def test_import_scraper_loads_no_optional_heavy_library() -> None:
    code = ("import sys, scraper, scraper.cli, scraper.crawl.pool; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_pandas_is_still_importable_after_scraper() -> None:
    pytest.importorskip("pandas")
    code = "import scraper, pandas; print(pandas.DataFrame({'a': [1]}).shape)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(1, 1)"
