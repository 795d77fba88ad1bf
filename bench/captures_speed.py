"""Captures: what keeping every response as WARC costs a crawl, and how fast ``import`` and
``reextract`` go against the extractor's own speed.

    .venv/bin/python bench/captures_speed.py            # real pages from ../shared/corpus
    .venv/bin/python bench/captures_speed.py --smoke    # a quick run of every part
    .venv/bin/python bench/captures_speed.py --pages 600 --import-pages 10000

In one run, with the same pages:

1. **Crawl, capture off vs on.** A local site (a separate server process, as in
   ``crawl_speed.py``) is crawled into fresh archives with ``capture = false`` and ``true``,
   alternately, twice each. CPU is the crawl process's (fetch, hand-off, save and, when on,
   the WARC writing) plus its extraction workers' (sampled from /proc); the added share is
   (on - off) / off. Bytes per archived article with captures on: the WARC files' size over
   the articles archived.
2. **Import.** The pages are written into a WARC file (gzip per record, HTTP/1.1 headers, in a
   temporary folder, never in the project), repeated under new URLs up to ``--import-pages``,
   and imported into a fresh archive; pages/s, and resident memory (importer plus workers)
   after 1,000, 5,000 and 10,000 pages.
3. **Reextract.** Every imported article re-read from its capture (as if by a new extractor
   version); pages/s.
4. **The bar.** ``extract_article`` on one core in this process, warm (30 pages untimed
   first), on the same pages: for the import every page it imports once (each page is
   imported ``--import-pages / len(pages)`` times, so that is the same mix), for the
   reextract the pages of the articles it re-reads; measured just before and just after each
   step, which is compared with 0.85 x cores x the mean of the two. (``--sample N`` times
   every Nth page only. Page costs are heavy-tailed: every 5th of the 2,000 corpus pages,
   as earlier runs took, costs 7-10 % less a page than all of them.) Then ``cores`` plain
   one-core loops side by side (forked, started together): the machine's own parallel
   ceiling for extraction, against which what is left of the gap can be read.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from bench.crawl_speed import (  # noqa: E402
    Probe,
    build_pages,
    descendants,
    rss_mb,
    serve,
)
from scraper import ImportReport  # noqa: E402
from scraper.archive import Archive  # noqa: E402
from scraper.captures.filters import ImportFilters  # noqa: E402
from scraper.captures.imports import import_warcs  # noqa: E402
from scraper.captures.reextract import reextract  # noqa: E402
from scraper.captures.warcfiles import WarcFiles  # noqa: E402
from scraper.config import ArchiveSettings, Config, FetchSettings, SiteSettings  # noqa: E402
from scraper.crawl import run_crawl  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def crawl_once(host: str, count: int, server_pid: int, folder: Path, *,
               capture: bool) -> dict[str, float]:
    settings = FetchSettings(concurrency=16, per_host_concurrency=8, per_host_delay=0.0,
                             timeout=60.0, retries=1)
    site = SiteSettings(name="bench", sitemaps=(f"{host}/sitemap.xml",), max_articles=count)
    config = Config(fetch=settings, sites=(site,), archive=ArchiveSettings(capture=capture))
    probe = Probe(server_pid=server_pid, marks=(count,))
    main_before = time.process_time()
    report = run_crawl(config, folder / "bench.db", on_event=probe)
    main_cpu = time.process_time() - main_before
    totals = report.totals
    archived = totals.new + totals.updated + totals.unchanged
    workers = sum(probe.worker_cpu.values())
    warc = sum(p.stat().st_size for p in (folder / "captures").rglob("*.warc.gz"))
    return {"archived": archived, "seconds": report.elapsed, "main": main_cpu,
            "workers": workers, "warc_bytes": warc,
            "db_bytes": sum(p.stat().st_size for p in folder.glob("bench.db*"))}


def crawl_part(pages: int, corpus: Path | None) -> None:
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    server = context.Process(target=serve, args=(pages, str(corpus or ""), child_end),
                             daemon=True)
    server.start()
    host, count = parent_end.recv()
    assert server.pid is not None
    print(f"1. crawl of {count} pages at {host}, capture off and on, alternately")
    runs: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for capture in (False, True, False, True):
        with tempfile.TemporaryDirectory() as folder:
            result = crawl_once(host, count, server.pid, Path(folder), capture=capture)
        runs[capture].append(result)
        total = result["main"] + result["workers"]
        print(f"   capture={str(capture).lower():5}: {result['archived']:.0f} archived in "
              f"{result['seconds']:.1f}s; CPU crawl process {result['main']:.2f}s, workers "
              f"{result['workers']:.2f}s, total {total:.2f}s "
              f"({total / result['archived'] * 1000:.1f} ms/page)")
    parent_end.send("stop")
    server.join(timeout=10)
    off = sum(r["main"] + r["workers"] for r in runs[False])
    on = sum(r["main"] + r["workers"] for r in runs[True])
    main_off = sum(r["main"] for r in runs[False])
    main_on = sum(r["main"] for r in runs[True])
    print(f"   capture adds {(on - off) / off * 100:+.1f}% CPU in all (bar: 5%); the crawl "
          f"process alone {main_on - main_off:+.2f}s = {(main_on - main_off) / off * 100:+.1f}% "
          f"of the total without captures")
    last = runs[True][-1]
    print(f"   storage with captures on: {last['warc_bytes'] / last['archived'] / 1024:.1f} KB of "
          f"WARC per archived article (gzip per record, request + response), archive "
          f"{last['db_bytes'] / last['archived'] / 1024:.1f} KB per article")


def write_warc(pages: list[tuple[str, str]], total: int, path: Path) -> None:
    """The pages as a CC-NEWS-like WARC file, repeated under new URLs up to ``total``."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        for number in range(total):
            page_path, text = pages[number % len(pages)]
            url = f"https://bench.example{page_path}" + (
                f"?copy={number // len(pages)}" if number >= len(pages) else "")
            body = text.encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"}))


def rss_split() -> tuple[float, float]:
    """Resident MB of this process (the importer) and of its descendants (the extraction
    workers, their forkserver and the resource tracker)."""
    me = os.getpid()
    return rss_mb(me), sum(rss_mb(p) for p in descendants(me, -1))


def tree_cpu() -> float:
    """CPU seconds of this process and of every descendant, living or reaped: the workers of
    a retired pool are children of the forkserver, which reaps them (its cutime/cstime)."""

    def fields(pid: int) -> list[int]:
        try:
            return [int(f) for f in
                    Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:15]]
        except (OSError, ValueError):
            return [0, 0, 0, 0]

    me = os.getpid()
    ticks = sum(fields(me)[:2]) + sum(sum(fields(p)) for p in descendants(me, -1))
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_line(cpu: float, pages: int, own: float, base_ms: float) -> str:
    """The step's CPU a page (this process and its workers) against one-core extraction."""
    total = cpu / pages * 1000
    return (f"   CPU a page: {total:.1f} ms (this process {own / pages * 1000:.1f} ms, workers "
            f"{(cpu - own) / pages * 1000:.1f} ms) vs extract_article alone {base_ms:.1f} ms: "
            f"{base_ms / total:.2f} (the bar needs 0.85 with both cores busy)")


WARM_UP = 30
"""Pages extracted, untimed, before each one-core timing (the process warmed up)."""


CPU_MS: list[float] = []
"""CPU milliseconds a page of every one-core timing so far (``process_time``)."""


def one_core_rate(sample: list[tuple[str, str]]) -> float:
    """``extract_article`` on one core over ``sample``, warm: the first pages once untimed,
    then every page of the sample timed (pages/s; its CPU a page goes to ``CPU_MS``)."""
    from scraper.extract import extract_article
    from scraper.extract.warm import warm_up

    warm_up()  # as warm as the pool's workers start (their forkserver runs it)
    for path, text in sample[:WARM_UP]:
        extract_article(text, f"https://bench.example{path}")
    started, cpu = time.perf_counter(), time.process_time()
    for path, text in sample:
        extract_article(text, f"https://bench.example{path}")
    CPU_MS.append((time.process_time() - cpu) / len(sample) * 1000)
    return len(sample) / (time.perf_counter() - started)


def _loop_in_child(sample: list[tuple[str, str]], start: Any, out: Any) -> None:
    from scraper.extract import extract_article
    from scraper.extract.warm import warm_up

    warm_up()
    for path, text in sample[:WARM_UP]:
        extract_article(text, f"https://bench.example{path}")
    start.wait()
    for path, text in sample:
        extract_article(text, f"https://bench.example{path}")
    out.put(time.perf_counter())


def parallel_ceiling(sample: list[tuple[str, str]]) -> float:
    """Pages/s of ``cores`` plain one-core loops run side by side (forked processes, started
    together, no pool, no WARC, no archive): what this machine's cores give extraction
    when they all work at once, the most any import could reach."""
    cores = os.cpu_count() or 1
    context = multiprocessing.get_context("fork")
    start, out = context.Barrier(cores + 1), context.Queue()
    loops = [context.Process(target=_loop_in_child, args=(sample, start, out))
             for _ in range(cores)]
    for loop in loops:
        loop.start()
    start.wait()
    started = time.perf_counter()
    ended = max(out.get() for _ in loops)
    for loop in loops:
        loop.join()
    return cores * len(sample) / (ended - started)


def bar_for(sample: list[tuple[str, str]], before: float) -> tuple[float, float]:
    """The one-core rate measured again now, and the bar against the mean of the rates
    before and after the measured step (the rate drifts with a shared machine's load)."""
    after = one_core_rate(sample)
    cores = os.cpu_count() or 1
    return after, 0.85 * cores * (before + after) / 2


def reextracted_pages(archive: Archive, pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pages of the archived articles (what ``reextract`` reads), in page order."""
    paths = {url.split("bench.example", 1)[1].split("?", 1)[0]
             for (url,) in archive.db.execute("SELECT url FROM articles").fetchall()}
    return [(path, text) for path, text in pages if path in paths]


def import_part(pages: list[tuple[str, str]], total: int, marks: tuple[int, ...],
                every: int = 1) -> None:
    cores = os.cpu_count() or 1
    # every page imported is one of ``pages`` (each repeated total/len times): the one-core
    # rate over ``pages`` is the rate over the same mix of pages
    sample = pages[::every]
    which = "every page" if every == 1 else f"every {every}th"
    first = one_core_rate(sample)
    print(f"2. extract_article on one core, warm, over {len(sample)} of the {len(pages)} pages"
          f" imported ({which}): {first:.1f} pages/s (load average {os.getloadavg()[0]:.2f})")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bench.warc.gz"
        write_warc(pages, total, source)
        print(f"   WARC of {total} pages: {source.stat().st_size / 1e6:.1f} MB")
        seen: dict[int, tuple[float, float]] = {}
        records = 0

        def progress(_name: str, _done: int, _size: int) -> None:
            nonlocal records
            records += 1
            if records in marks:
                seen[records] = rss_split()

        with Archive(Path(folder) / "bench.db") as archive:
            copies = WarcFiles(archive.db, Path(folder) / "captures", run="bench",
                               origin="import", max_bytes=10**9)
            started, cpu, own = time.perf_counter(), tree_cpu(), time.process_time()
            report = import_warcs(archive, [source], filters=ImportFilters(), copies=copies,
                                  progress=progress)
            seconds, own = time.perf_counter() - started, time.process_time() - own
            time.sleep(0.5)  # the forkserver reaps the last workers
            cpu = tree_cpu() - cpu
            second, bar = bar_for(sample, first)
            print(f"   import: {ImportReport.of(report).summary()}")
            print(f"   import: {report.records / seconds:.1f} pages/s; one core after it "
                  f"{second:.1f} pages/s; bar 0.85 x {cores} cores x mean = {bar:.1f} pages/s; "
                  f"{report.records / seconds / bar:.2f} x the bar (load average "
                  f"{os.getloadavg()[0]:.2f})")
            print(cpu_line(cpu, report.records, own, sum(CPU_MS[-2:]) / 2))
            ceiling = parallel_ceiling(sample)
            print(f"   {cores} plain one-core loops side by side: {ceiling:.1f} pages/s = "
                  f"{ceiling / (bar / 0.85):.2f} x ({cores} x one core); the import reached "
                  f"{report.records / seconds / ceiling:.2f} x that (load average "
                  f"{os.getloadavg()[0]:.2f})")
            for mark in marks:
                if mark in seen:
                    own, workers = seen[mark]
                    print(f"   RSS after {mark:>6} pages: importer {own:.0f} MB + workers "
                          f"{workers:.0f} MB = {own + workers:.0f} MB")
            if len(seen) == len(marks):
                (own0, work0), (own1, work1) = seen[marks[0]], seen[marks[-1]]
                print(f"   RSS growth {marks[0]} -> {marks[-1]}: "
                      f"{own1 + work1 - own0 - work0:+.0f} MB (bar: 50 MB): importer "
                      f"{own1 - own0:+.0f} MB, workers {work1 - work0:+.0f} MB")
            again_sample = reextracted_pages(archive, pages)[::every]
            before = one_core_rate(again_sample)
            started, cpu, own = time.perf_counter(), tree_cpu(), time.process_time()
            again = reextract(archive, Path(folder) / "captures", version="bench-2")
            seconds, own = time.perf_counter() - started, time.process_time() - own
            time.sleep(0.5)
            cpu = tree_cpu() - cpu
            third, bar = bar_for(again_sample, before)
            print(f"3. reextract: {again.total} articles in {seconds:.1f}s = "
                  f"{again.total / seconds:.1f} pages/s; one core on {len(again_sample)} of "
                  f"their pages ({which}) before {before:.1f}, after {third:.1f} pages/s; "
                  f"bar {bar:.1f} pages/s; {again.total / seconds / bar:.2f} x the bar (load "
                  f"average {os.getloadavg()[0]:.2f}); {again.changed} changed, "
                  f"{again.failed} failed")
            print(cpu_line(cpu, max(again.total, 1), own, sum(CPU_MS[-2:]) / 2))
            ceiling = parallel_ceiling(again_sample)
            print(f"   {cores} plain one-core loops side by side: {ceiling:.1f} pages/s = "
                  f"{ceiling / (bar / 0.85):.2f} x ({cores} x one core); the reextract reached "
                  f"{again.total / seconds / ceiling:.2f} x that")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=600, help="pages of the crawl")
    parser.add_argument("--import-pages", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=CORPUS if CORPUS.is_dir() else None)
    parser.add_argument("--smoke", action="store_true", help="small numbers, every part")
    parser.add_argument("--skip-crawl", action="store_true", help="import and reextract only")
    parser.add_argument("--sample", type=int, default=1, metavar="N",
                        help="time one core on every Nth page only (default: every page)")
    args = parser.parse_args()
    if args.smoke:
        args.pages, args.import_pages = 60, 300
    marks = (100, 200, 300) if args.smoke else (1_000, 5_000, 10_000)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; pages: "
          f"{args.corpus or 'generated'}")
    if not args.skip_crawl:
        crawl_part(args.pages, args.corpus)
    pages = build_pages(max(args.pages, 300 if args.smoke else 2_000), args.corpus,
                        "https://bench.example")
    import_part(pages, args.import_pages, marks, max(1, args.sample))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
