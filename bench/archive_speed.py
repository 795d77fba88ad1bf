"""Archive speed on a generated archive: FTS search with filters, export memory, stats time,
and near-duplicate detection cost per saved article as the archive grows.

    .venv/bin/python bench/archive_speed.py                    # 100,000 articles (~15-20 min)
    .venv/bin/python bench/archive_speed.py --articles 5000    # a quick run
    .venv/bin/python bench/archive_speed.py --keep /tmp/bench  # keep the archive afterwards
    .venv/bin/python bench/archive_speed.py --smoke            # does it still run? (CI, seconds)

Bodies are ~5 KB of text drawn from a Zipf-distributed vocabulary with a seeded RNG, so common
words are common and rare words rare, as in news text. One article in 50 is a lightly edited
copy of an earlier one (so detection has something to find). Articles are saved through
``Archive.save`` (FTS triggers, revisions, sketching and LSH lookups included), committed in
batches of 500 to keep the build short; detection cost is timed around the save hook alone.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from scraper.archive import Archive, store
from scraper.archive.queries import GROUPINGS, Filters, open_archive, search, stats
from scraper.models import Article

SEED = 20230901
VOCABULARY_SIZE = 30_000
BODY_WORDS = 800  # ~5 KB
SITES = [f"site-{n:02d}" for n in range(12)]
SECTIONS = ["World", "Africa News", "Business", "Politics", "Sport", "Science", "Culture",
            "Opinion"]
FIRST_DAY = date(2023, 1, 1)
DAYS = 365
COPY_EVERY = 50
BATCH = 500
WINDOW = 1000
"""Saves timed at each end of the build."""
SMOKE_ARTICLES = 300
"""--smoke: enough for every measurement to run (copies, windows, exports), in seconds."""
P = ParamSpec("P")
R = TypeVar("R")


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    syllables = ["ka", "lo", "mi", "ra", "tu", "ve", "no", "si", "da", "pe", "gu", "zo", "ri",
                 "ba", "fe", "ho", "ju", "ne", "qua", "sta", "tri", "wen", "xo", "yl"]
    words: set[str] = set()
    while len(words) < VOCABULARY_SIZE:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(ordered))))
    return ordered, weights


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.words, self.cum_weights = vocabulary(self.rng)
        self.bodies: list[str] = []

    def body(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum_weights, k=BODY_WORDS)
        sentences = [" ".join(words[i:i + 16]).capitalize() + "." for i in range(0, len(words), 16)]
        return " ".join(sentences)

    def article(self, number: int) -> tuple[Article, str]:
        if number % COPY_EVERY == COPY_EVERY - 1 and self.bodies:
            words = self.rng.choice(self.bodies).split()
            for index in self.rng.sample(range(len(words)), 5):
                words[index] = "amended"
            body = "Republished with permission. " + " ".join(words)
        else:
            body = self.body()
        if len(self.bodies) < 2000:
            self.bodies.append(body)
        else:
            self.bodies[self.rng.randrange(2000)] = body
        site = self.rng.choice(SITES)
        day = FIRST_DAY + timedelta(days=self.rng.randrange(DAYS))
        title = " ".join(self.rng.choices(self.words, cum_weights=self.cum_weights, k=7))
        article = Article(
            url=f"https://{site}.example/{day:%Y/%m/%d}/story-{number}",
            title=title.capitalize(), published=f"{day.isoformat()}T{number % 24:02d}:00:00+00:00",
            section=self.rng.choice(SECTIONS), body=body, word_count=len(body.split()),
            content_hash=f"{number:012x}", authors=["Staff"],
        )
        return article, site


def timed(function: Callable[P, R], samples: list[float]) -> Callable[P, R]:
    """``function``, whatever its signature, appending the seconds of each call to
    ``samples``."""

    @functools.wraps(function)
    def hook(*args: P.args, **kwargs: P.kwargs) -> R:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            samples.append(time.perf_counter() - start)

    return hook


@contextlib.contextmanager
def timing_index_article(samples: list[float]) -> Iterator[None]:
    """Time the save's near-duplicate hook (``store.index_article``) while building."""
    real = store.index_article
    setattr(store, "index_article", timed(real, samples))  # noqa: B010 (timing the save hook)
    try:
        yield
    finally:
        setattr(store, "index_article", real)  # noqa: B010


def build(path: Path, count: int) -> dict[str, Any]:
    generator = Generator()
    detect: list[float] = []
    saves: list[float] = []
    started = time.perf_counter()
    with timing_index_article(detect), Archive(path) as archive:
        for batch_start in range(0, count, BATCH):
            with archive.db.atomic():
                for number in range(batch_start, min(count, batch_start + BATCH)):
                    article, site = generator.article(number)
                    start = time.perf_counter()
                    archive.save(article, site=site, fetched_at="2024-01-01T00:00:00+00:00")
                    saves.append(time.perf_counter() - start)
            if batch_start and batch_start % 10_000 == 0:
                print(f"  {batch_start:,} articles, {time.perf_counter() - started:.0f} s",
                      file=sys.stderr)
        copies = archive.db.execute(
            "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
    window = min(WINDOW, count // 2)
    return {
        "articles": count,
        "build_s": time.perf_counter() - started,
        "size_mb": path.stat().st_size / 1e6,
        "copies_linked": copies,
        "copies_made": sum(1 for n in range(count) if n % COPY_EVERY == COPY_EVERY - 1),
        "detect_ms_first": statistics.median(detect[:window]) * 1000,
        "detect_ms_last": statistics.median(detect[-window:]) * 1000,
        "detect_ms_first_mean": statistics.fmean(detect[:window]) * 1000,
        "detect_ms_last_mean": statistics.fmean(detect[-window:]) * 1000,
        "save_ms_first": statistics.median(saves[:window]) * 1000,
        "save_ms_last": statistics.median(saves[-window:]) * 1000,
        "window": window,
    }


def search_queries(path: Path) -> Iterator[tuple[str, Filters]]:
    """50 analyst-style queries (FTS5 syntax: some use OR): a rarer term or two, usually
    with filters. Copies are folded into one hit per story, as `scraper search` does."""
    rng = random.Random(SEED + 1)
    words, _ = vocabulary(random.Random(SEED))
    for n in range(50):
        term = words[rng.randrange(200, 5000)]
        if n % 3 == 0:
            term = f"{term} {words[rng.randrange(50, 1000)]}"
        elif n % 3 == 1:
            term = f'"{term}" OR {words[rng.randrange(1000, 8000)]}'
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 60))
        filters = [
            Filters(since=day.isoformat()),
            Filters(site=rng.choice(SITES), since=day.isoformat()),
            Filters(section=rng.choice(SECTIONS), site=rng.choice(SITES)),
            Filters(section=rng.choice(SECTIONS), since=day.isoformat(),
                    until=(day + timedelta(days=60)).isoformat()),
            Filters(),
        ][n % 5]
        yield term, filters


def evict(path: Path) -> None:
    """Drop the archive file's pages from the OS cache, as after a reboot (this file only)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def search_pass(path: Path) -> tuple[list[float], list[int]]:
    db = open_archive(path)
    times, hits = [], []
    for query, filters in search_queries(path):
        start = time.perf_counter()
        found = search(db, query, fts=True, filters=filters, limit=20)
        times.append((time.perf_counter() - start) * 1000)
        hits.append(len(found))
    db.close()
    return sorted(times), hits


def measure_search(path: Path) -> dict[str, Any]:
    evict(path)
    cold, _ = search_pass(path)
    warm, hits = search_pass(path)
    db = open_archive(path)
    words, _ = vocabulary(random.Random(SEED))
    common = []
    for word in words[:5]:
        start = time.perf_counter()
        search(db, word, filters=Filters(section="World"), limit=20)
        common.append((time.perf_counter() - start) * 1000)
    db.close()
    return {
        "search_cold_median_ms": statistics.median(cold),
        "search_cold_p95_ms": cold[int(len(cold) * 0.95) - 1],
        "search_median_ms": statistics.median(warm),
        "search_p95_ms": warm[int(len(warm) * 0.95) - 1],
        "search_max_ms": warm[-1],
        "search_mean_hits": statistics.fmean(hits),
        "search_top5_word_median_ms": statistics.median(common),
    }


def measure_stats(path: Path) -> dict[str, Any]:
    evict(path)
    db = open_archive(path)
    start = time.perf_counter()
    stats(db, by="day")
    result = {"stats_day_cold_ms": (time.perf_counter() - start) * 1000}
    for by in GROUPINGS:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            stats(db, by=by)
            times.append(time.perf_counter() - start)
        result[f"stats_{by}_ms"] = statistics.median(times) * 1000
    db.close()
    return result


def export_rss(path: Path, *args: str) -> tuple[float, float, int]:
    """Peak RSS (MB) and seconds of `scraper export` in a fresh process, and lines written."""
    with tempfile.NamedTemporaryFile("w+b", suffix=".jsonl") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper", "export", "--db", str(path), "--out", out.name,
             *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if status:
            raise SystemExit(f"export failed with status {status}")
        lines = sum(1 for _ in open(out.name, "rb"))  # noqa: SIM115
    return usage.ru_maxrss / 1024, elapsed, lines


def measure_export(path: Path) -> dict[str, Any]:
    small_rss, small_s, small_rows = export_rss(path, "--site", SITES[0], "--since", "2023-12-25")
    all_rss, all_s, all_rows = export_rss(path)
    csv_rss, _, _ = export_rss(path, "--format", "csv")
    return {
        "export_small_rows": small_rows, "export_small_rss_mb": small_rss,
        "export_all_rows": all_rows, "export_all_rss_mb": all_rss, "export_all_s": all_s,
        "export_csv_all_rss_mb": csv_rss, "export_small_s": small_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None, help="Folder to build the archive in.")
    parser.add_argument("--reuse", action="store_true",
                        help="Measure an archive already built in --keep; skip the build.")
    parser.add_argument("--smoke", action="store_true",
                        help=f"Check the bench still runs: {SMOKE_ARTICLES} articles, a few"
                        " seconds; the figures mean nothing.")
    options = parser.parse_args()
    if options.smoke:
        options.articles = SMOKE_ARTICLES
    folder = options.keep or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.db"
    figures: dict[str, Any] = {}
    if not (options.reuse and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        print(f"building {options.articles:,} articles in {path}", file=sys.stderr)
        figures = build(path, options.articles)
    figures |= measure_search(path)
    figures |= measure_stats(path)
    figures |= measure_export(path)
    for name, value in figures.items():
        print(f"{name:32} {value:,.2f}" if isinstance(value, float) else f"{name:32} {value:,}")
    if options.keep is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        folder.rmdir()


if __name__ == "__main__":
    main()
