"""Parquet export memory: peak RSS of ``scraper export --format parquet`` on a small and a
large archive, each in a fresh process. The export streams (one day at a time, 1,000 rows per
row group, one file open), so the large export should stay within 50 MB of the small one.

    .venv/bin/python bench/parquet_export.py                     # 100 vs 10,000 articles
    .venv/bin/python bench/parquet_export.py --large 50000       # a larger archive
    .venv/bin/python bench/parquet_export.py --smoke             # does it still run? (CI)

Articles are generated (tests/generated_articles.py: ~5 KB bodies, three sites, 120 days, one
in 37 undated) and saved with ``Archive.save_many`` in a child process, so this process stays
small (a child forked from a large parent counts the parent's pages in its peak RSS). Needs the
``parquet`` extra.
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

BODY_WORDS = 800
BAR_MB = 50.0


def build(path: Path, count: int, body_words: int) -> float:
    """Build the archive in a child process: a child forked from a large parent would count
    the parent's pages in its peak RSS (Linux keeps the high-water mark across exec)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--build", str(path), str(count), str(body_words)],
                   check=True)
    return time.perf_counter() - started


def build_here(path: Path, count: int, body_words: int) -> None:
    import scraper
    from tests.generated_articles import SITES, generated

    articles = list(generated(count, body_words=body_words))
    with scraper.Archive(path) as db:
        for site in SITES:
            db.save_many((a for a, s in articles if s == site), site=site)


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
    parser.add_argument("--build", nargs=3, metavar=("PATH", "COUNT", "WORDS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_here(Path(args.build[0]), int(args.build[1]), int(args.build[2]))
        return
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
