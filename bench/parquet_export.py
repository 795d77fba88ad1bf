"""Parquet export memory: peak RSS of ``scraper export --format parquet`` on a small and a
large archive, each in a fresh process. The export streams (one day at a time, 1,000 rows per
row group, one file open), so the large export should stay within 50 MB of the small one.

    .venv/bin/python bench/parquet_export.py                     # 100 vs 10,000 articles
    .venv/bin/python bench/parquet_export.py --large 50000       # a larger archive
    .venv/bin/python bench/parquet_export.py --smoke             # does it still run? (CI)

Articles are generated (tests/generated_articles.py: ~5 KB bodies, three sites, 120 days, one
in 37 undated) and saved with ``Archive.save_many``. Needs the ``parquet`` extra.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scraper  # noqa: E402
from tests.generated_articles import SITES, generated  # noqa: E402

BODY_WORDS = 800
BAR_MB = 50.0


def build(path: Path, count: int, body_words: int) -> float:
    started = time.perf_counter()
    articles = list(generated(count, body_words=body_words))
    with scraper.Archive(path) as db:
        for site in SITES:
            db.save_many((a for a, s in articles if s == site), site=site)
    return time.perf_counter() - started


def export_rss(db: Path, out: Path) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of the export in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper", "export", "--format", "parquet", "--db", str(db),
         "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        message = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"export failed with status {status}: {message}")
    return usage.ru_maxrss / 1024, time.perf_counter() - started


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true",
                        help="tiny archives (20 and 200 articles, short bodies): CI")
    args = parser.parse_args()
    small, large, words = args.small, args.large, BODY_WORDS
    if args.smoke:
        small, large, words = 20, 200, 20
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        figures: dict[str, float] = {}
        for name, count in (("small", small), ("large", large)):
            db = root / f"{name}.db"
            figures[f"{name}_articles"] = count
            figures[f"{name}_build_s"] = build(db, count, words)
            rss, seconds = export_rss(db, root / name)
            figures[f"{name}_rss_mb"] = rss
            figures[f"{name}_export_s"] = seconds
            figures[f"{name}_parquet_mb"] = size_mb(root / name)
            figures[f"{name}_archive_mb"] = db.stat().st_size / 1e6
    figures["rss_growth_mb"] = figures["large_rss_mb"] - figures["small_rss_mb"]
    for key, value in figures.items():
        print(f"{key} {value:.1f}" if isinstance(value, float) else f"{key} {value}")
    verdict = "within" if figures["rss_growth_mb"] <= BAR_MB else "OVER"
    print(f"verdict {verdict} {BAR_MB:.0f} MB")


if __name__ == "__main__":
    main()
