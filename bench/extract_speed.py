"""Hand-run benchmark: our extract_article vs plain trafilatura on the same pages.

The baseline is plain ``trafilatura.bare_extraction(html, url=url, with_metadata=True)``:
like for like, since our record includes the metadata (title, date, authors...). The same
call without metadata is timed too (``trafilatura-nometa``), and quoted beside it.

Each extractor runs in its own fresh Python process (no shared caches, its own peak RSS)
over the same pages: the first N of zyte and of wcxb-dev, decoded in memory before the
clock starts. An untimed warm-up (dateparser's one-time locale loading, which both extractors
reach through htmldate, then the next 20 pages of each dataset: not the timed ones, so no
cache hits), then R timed passes over all pages, each dataset's CPU time kept apart so that
the ratio is quoted per dataset too.

    .venv/bin/python bench/extract_speed.py                       # 50 + 50 pages, 1 pass
    .venv/bin/python bench/extract_speed.py --pages 150 --rounds 3
    .venv/bin/python bench/extract_speed.py --corpus ../shared/corpus --json
    .venv/bin/python bench/extract_speed.py --smoke     # does it still run? (CI, seconds)

Not a test: figures depend on the machine. ``--smoke`` runs one round on 3 pages of each
dataset (the test suite's own pages when the corpus is absent) and means nothing as a figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SYSTEMS = ("scraper", "trafilatura", "trafilatura-nometa")
BASELINE = "trafilatura"
"""The system the ratio is quoted against: trafilatura with metadata."""
DATASETS = ("zyte", "wcxb-dev")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


WARM_UP_PAGES = 20
"""Pages of each dataset, after the timed ones, extracted before the clock starts: one-time
initialisations (justext's stoplists, htmldate's month-name patterns: ~1.7 s in one process
here) are start-up costs, like imports, not per-page costs."""


Pages = list[tuple[str, str, str | None]]
"""(dataset, html, url) of each page."""


SMOKE_PAGES = 3


def _fixture_pages(count: int) -> Pages:
    """The test suite's own article pages, for a smoke run without the corpus (spread over
    the datasets' names, so the per-dataset figures are filled)."""
    from tests.fixture_site import make_article, render_article

    pages: Pages = []
    for index in range(count):
        url = f"https://news.example/2024/03/story-{index}/"
        name = DATASETS[index % len(DATASETS)]
        pages.append((name, render_article(make_article(index), url, []), url))
    return pages


def _load_pages(
    corpus: Path, per_dataset: int, warm_up_pages: int = WARM_UP_PAGES
) -> tuple[Pages, Pages]:
    """(timed pages, warm-up pages); without a corpus folder, the fixture pages (--smoke)."""
    from scraper.evaluation.corpus import iter_pages

    if not corpus.is_dir():
        timed = per_dataset * len(DATASETS)
        fixtures = _fixture_pages(timed + warm_up_pages)
        return fixtures[:timed], fixtures[timed:]

    pages: Pages = []
    warm_up: Pages = []
    for name in DATASETS:
        for index, page in enumerate(iter_pages(corpus, name, limit=per_dataset + warm_up_pages)):
            entry = (name, page.read_html(), page.url or None)
            (pages if index < per_dataset else warm_up).append(entry)
    return pages, warm_up


def _extractor(system: str) -> Callable[[str, str | None], object]:
    """The extract call ``system`` names: ours, or plain trafilatura (with or without its
    metadata), called directly so nothing of ours is timed with it."""
    if system == "scraper":
        from scraper.extract import extract_article

        return extract_article
    from trafilatura import bare_extraction

    with_metadata = system == BASELINE

    def plain(html: str, url: str | None) -> object:
        return bare_extraction(html, url=url, with_metadata=with_metadata)

    return plain


def worker(system: str, corpus: Path, per_dataset: int, repeat: int,
           warm_up_pages: int = WARM_UP_PAGES) -> dict[str, Any]:
    """Time one extractor in this process; returns its figures (overall and per dataset)."""
    extract = _extractor(system)
    pages, warm_up = _load_pages(corpus, per_dataset, warm_up_pages)
    if not pages:
        raise SystemExit(f"no pages under {corpus}")
    rss_loaded = _peak_rss_mb()
    # One-time state both extractors share, whichever system this is: dateparser (htmldate's
    # parser for written-out dates) loads every locale the first time a string matches none,
    # ~1.7 s. A page loop alone may not reach it, and one system would then pay it inside the
    # timed passes.
    import dateparser
    from trafilatura.external import jt_stoplist_init

    dateparser.parse("14 qwertz 2021")
    # likewise justext's stoplists of every language (~0.2 s), built the first time
    # trafilatura's fallback asks justext about a page in no known language: the warm-up
    # pages may not reach it, and the process that meets it in a timed pass pays it there
    jt_stoplist_init()
    for _, html, url in warm_up or pages[:1]:  # lazy imports, compiled patterns, stoplists
        with contextlib.suppress(Exception):
            extract(html, url)
    errors = 0
    per_dataset_seconds = dict.fromkeys(DATASETS, 0.0)
    per_dataset_pages = dict.fromkeys(DATASETS, 0)
    for _ in range(repeat):
        for dataset in DATASETS:
            start = time.process_time()
            for name, html, url in pages:
                if name != dataset:
                    continue
                per_dataset_pages[dataset] += 1
                try:
                    extract(html, url)
                except Exception:  # a failing page still costs its time
                    errors += 1
            per_dataset_seconds[dataset] += time.process_time() - start
    seconds = sum(per_dataset_seconds.values())
    done = len(pages) * repeat
    return {
        "system": system,
        "pages": done,
        "errors": errors,
        "seconds": seconds,
        "pages_per_sec": done / seconds,
        "datasets": {
            name: {"pages": per_dataset_pages[name], "seconds": per_dataset_seconds[name],
                   "pages_per_sec": per_dataset_pages[name] / per_dataset_seconds[name]}
            for name in DATASETS if per_dataset_seconds[name] > 0
        },
        "peak_rss_mb": _peak_rss_mb(),
        "rss_after_loading_mb": rss_loaded,
    }


def run_worker(system: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--worker", system, "--corpus", str(args.corpus),
        "--pages", str(args.pages), "--repeat", str(args.repeat),
        "--warm-up", str(args.warm_up),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{system} worker failed:\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=50, help="pages from each dataset")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes over the pages")
    parser.add_argument("--rounds", type=int, default=3, help="A/B pairs; the median is quoted")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--smoke", action="store_true",
                        help=f"Check the bench still runs: {SMOKE_PAGES} pages of each dataset,"
                        " one round (the test pages if the corpus is absent); figures mean"
                        " nothing.")
    parser.add_argument("--warm-up", type=int, default=WARM_UP_PAGES,
                        help="untimed pages of each dataset extracted first")
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(worker(args.worker, args.corpus, args.pages, args.repeat,
                                args.warm_up)))
        return
    if args.smoke:
        args.pages, args.repeat, args.rounds, args.warm_up = SMOKE_PAGES, 1, 1, 1
    elif not args.corpus.is_dir():
        raise SystemExit(f"corpus folder not found: {args.corpus}")
    rounds: list[dict[str, dict[str, Any]]] = []
    for _ in range(args.rounds):  # A B C A B C ...: a drifting machine hits all alike
        rounds.append({system: run_worker(system, args) for system in SYSTEMS})
    report = _ratios(rounds)
    middle = rounds[report["median_round"]]
    if args.json:
        print(json.dumps({**middle, **report}, indent=2))
        return
    source = (f"first {args.pages} of {' + '.join(DATASETS)}" if args.corpus.is_dir()
              else f"{args.pages * len(DATASETS)} test pages (no corpus)")
    print(f"pages: {source}, {args.repeat} pass(es)")
    print(f"{'system':<19} {'pages':>6} {'errors':>6} {'seconds':>8} {'pages/s':>8} "
          f"{'peak RSS MB':>11} {'RSS loaded':>10}")
    for figures in middle.values():
        print(f"{figures['system']:<19} {figures['pages']:>6} {figures['errors']:>6} "
              f"{figures['seconds']:>8.2f} {figures['pages_per_sec']:>8.1f} "
              f"{figures['peak_rss_mb']:>11.0f} {figures['rss_after_loading_mb']:>10.0f}")
    for label, key in (("", "all"), *((f" on {name}", name) for name in DATASETS)):
        for base in SYSTEMS[1:]:
            ratios = report["ratios"][base][key]
            print(f"speed ratio scraper/{base}{label} (CPU time): median "
                  f"x{_median(ratios):.2f} of {', '.join(f'x{r:.2f}' for r in ratios)}")


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _ratios(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Our pages/s over each baseline's, per round (in round order), overall ("all") and per
    dataset; and the round whose overall ratio to BASELINE is the median (its figures are
    the ones printed)."""
    def rate(figures: dict[str, Any], key: str) -> float:
        value: float = (figures if key == "all" else figures["datasets"][key])["pages_per_sec"]
        return value

    ratios = {
        base: {
            key: [rate(r["scraper"], key) / rate(r[base], key) for r in rounds]
            for key in ("all", *DATASETS)
            if all(key == "all" or key in r["scraper"]["datasets"] for r in rounds)
        }
        for base in SYSTEMS[1:]
    }
    overall = ratios[BASELINE]["all"]
    return {
        "speed_ratio": _median(overall),
        "ratios": ratios,
        "median_round": overall.index(_median(overall)),
    }

if __name__ == "__main__":
    main()
