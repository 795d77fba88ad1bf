"""What grows in an ``import``: resident memory of the importer and of each extraction
worker every 1,000 records (100 with ``--smoke``), with the importer's SQLite memory
(``sqlite3_status64``) and glibc heap beside it, so a rise can be put on the page cache, the
heap or the workers.

    .venv/bin/python bench/captures_memory.py --import-pages 10000

The pages are those of ``captures_speed.py`` (corpus pages repeated under new URLs), written
into a WARC file in a temporary folder.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _sqlite3  # noqa: E402

from bench.captures_speed import CORPUS, write_warc  # noqa: E402
from bench.crawl_speed import build_pages, descendants, rss_mb  # noqa: E402
from scraper import ImportReport  # noqa: E402
from scraper.archive import Archive  # noqa: E402
from scraper.captures.filters import ImportFilters  # noqa: E402
from scraper.captures.imports import import_warcs  # noqa: E402
from scraper.captures.warcfiles import WarcFiles  # noqa: E402


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def sqlite_mb() -> float:
    """SQLite's own allocations in this process (page cache, statements, schema)."""
    library = ctypes.CDLL(_sqlite3.__file__)
    current, highest = ctypes.c_int64(), ctypes.c_int64()
    library.sqlite3_status64(0, ctypes.byref(current), ctypes.byref(highest), 0)
    return current.value / 2**20


def heap_mb() -> float:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    return float(libc.mallinfo2().uordblks) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--import-pages", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true", help="small numbers (300 records)")
    args = parser.parse_args()
    if args.smoke:
        args.import_pages = 300
    pages = build_pages(100 if args.smoke else 2_000, CORPUS if CORPUS.is_dir() else None,
                        "https://bench.example")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bench.warc.gz"
        write_warc(pages, args.import_pages, source)
        records = 0
        every = 100 if args.smoke else 1_000

        def progress(_name: str, _done: int, _size: int) -> None:
            nonlocal records
            records += 1
            if records % every == 0:
                me = os.getpid()
                workers = [round(rss_mb(p)) for p in descendants(me, -1)]
                print(f"{records:>6} records: importer {rss_mb(me):.0f} MB (SQLite "
                      f"{sqlite_mb():.1f} MB, heap in use {heap_mb():.0f} MB); workers and "
                      f"forkserver {workers} = {sum(workers)} MB; load average "
                      f"{os.getloadavg()[0]:.1f}", flush=True)

        with Archive(Path(folder) / "bench.db") as archive:
            copies = WarcFiles(archive.db, Path(folder) / "captures", run="bench",
                               origin="import", max_bytes=10**9)
            started = time.perf_counter()
            report = import_warcs(archive, [source], filters=ImportFilters(), copies=copies,
                                  progress=progress)
            line = ImportReport.of(report).summary()
            print(f"{line}; {time.perf_counter() - started:.0f} s; archive "
                  f"{sum(p.stat().st_size for p in Path(folder).glob('bench.db*')) / 2**20:.0f}"
                  " MB")


if __name__ == "__main__":
    main()
