"""The hand-run benchmarks keep running: each has a --smoke mode (tiny sizes, seconds, no
figure asserted) and .ci/run runs every bench that way, so one that rots fails CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMOKE_BENCHES = sorted(p.name for p in (ROOT / "bench").glob("[!_]*.py"))
"""Every bench (``bench/_*.py`` are helper modules the benches import)."""


def bench(name: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bench" / name), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_ci_runs_every_bench_in_smoke_mode() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "for bench in bench/[!_]*.py; do" in script
    assert 'python "$bench" --smoke' in script


@pytest.mark.parametrize("name", SMOKE_BENCHES)
def test_bench_has_a_smoke_mode(name: str) -> None:
    done = bench(name, "--help")
    assert done.returncode == 0, done.stderr
    assert "--smoke" in done.stdout


def test_archive_bench_runs_its_timing_hook_in_smoke_mode() -> None:
    done = bench("archive_speed.py", "--smoke")
    assert done.returncode == 0, done.stderr[-3000:]
    figures = dict(line.split(None, 1) for line in done.stdout.splitlines() if line.strip())
    assert {"detect_ms_first", "search_median_ms", "stats_day_ms", "export_all_rows"} <= set(
        figures)
