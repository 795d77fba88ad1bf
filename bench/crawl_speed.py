"""Crawl speed: articles archived per second, end to end, against one-core extraction loops
and against the stack people build themselves (Scrapy + trafilatura + SQLite).

    .venv/bin/python bench/crawl_speed.py                      # 2,000 generated pages
    .venv/bin/python bench/crawl_speed.py --pages 500
    .venv/bin/python bench/crawl_speed.py --corpus ../shared/corpus   # real saved pages
    .venv/bin/python bench/crawl_speed.py --smoke              # 20 pages: does it still run?

A local news site is served on 127.0.0.1 by a separate process (so the server does not share
the crawler's interpreter): a sitemap listing every article, no robots.txt. ``scraper crawl``'s
library entry point (:func:`scraper.crawl.run_crawl`) archives them all into a fresh archive,
with ``per_host_delay = 0``. In the same run, the same pages go through plain
``trafilatura.bare_extraction`` in a loop on one core, with its defaults (no metadata) and
with ``with_metadata=True`` (our records carry metadata, so that is the like-for-like
baseline), once before the crawl (in a process of its own) and once after it; the ratios are
quoted against the mean of the two, since those rates drift on a shared machine. After the
crawl the pages also go through ``extract_article`` the same way (the crawl's own extractor,
to separate pipeline efficiency from extractor cost).

The peer (``bench/_scrapy_peer.py``, needs the ``bench`` extra; skipped with a message if
Scrapy is not installed): a Scrapy ``SitemapSpider`` over the same site, in a process of its
own, with the crawl's politeness settings (robots.txt, concurrency, per-host concurrency and
delay, retries, timeout, size and redirect limits; AutoThrottle off), trafilatura with
metadata in an item pipeline writing one row per page to SQLite. Scrapy is one process, so its
extraction shares a core with its downloads: that is the stack as people build it.

Printed: pages/s for each, the ratios, and resident memory (crawl process, and crawl process
plus its extraction workers) after 200 and after all pages.

Generated pages carry the chrome of a real news site (mega-menu, inline scripts and config,
teaser rails, footer link farm, comments) around a unique article body, ~80 kB each.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _site_pages import build_pages, serve  # noqa: E402

from scraper.config import Config, FetchSettings, SiteSettings  # noqa: E402
from scraper.crawl import CrawlEvent, run_crawl  # noqa: E402

PEER = Path(__file__).with_name("_scrapy_peer.py")
METADATA_BAR = 1.8
"""Issue 12: the crawl at least this many times the one-core with-metadata loop."""
SMOKE_PAGES = 20

Extract = Callable[[str, str], object]

# --- measuring ---------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int, exclude: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child != exclude:
                found.append(child)
                todo.append(child)
    return found


@dataclass
class Probe:
    server_pid: int
    marks: tuple[int, ...]
    count: int = 0
    started: float = field(default_factory=time.monotonic)
    seen: dict[int, tuple[float, float, float]] = field(default_factory=dict)
    """articles -> (seconds since start, crawl process RSS MB, with workers RSS MB)."""
    cpu: dict[int, float] = field(default_factory=dict)
    """articles -> CPU seconds used by the crawl process itself (fetch, parse, archive)."""
    worker_cpu: dict[int, float] = field(default_factory=dict)
    """pid -> CPU seconds last seen for each extraction worker (sampled; workers recycle)."""
    cpu_started: float = field(default_factory=time.process_time)

    def __call__(self, event: CrawlEvent) -> None:
        if event.kind != "article":
            return
        self.count += 1
        if self.count % 10 == 0 or self.count in self.marks:
            for pid in descendants(os.getpid(), self.server_pid):
                self.worker_cpu[pid] = max(self.worker_cpu.get(pid, 0.0), cpu_seconds(pid))
        if self.count in self.marks:
            me = os.getpid()
            tree = rss_mb(me) + sum(rss_mb(p) for p in descendants(me, self.server_pid))
            self.seen[self.count] = (time.monotonic() - self.started, rss_mb(me), tree)
            self.cpu[self.count] = time.process_time()


@dataclass(frozen=True)
class Loop:
    """One one-core loop over the pages."""

    rate: float
    """Pages/s, wall clock."""
    cpu_ms: float
    """CPU milliseconds a page (``process_time``): less moved by other load than ``rate``."""


def one_core_loop(pages: list[tuple[str, str]], host: str, extract: Extract) -> Loop:
    started, cpu_started = time.perf_counter(), time.process_time()
    for path, text in pages:
        extract(text, f"{host}{path}")
    return Loop(rate=len(pages) / (time.perf_counter() - started),
                cpu_ms=(time.process_time() - cpu_started) / len(pages) * 1000)


def plain_trafilatura(text: str, url: str) -> object:
    """``trafilatura.bare_extraction`` with its defaults: no metadata pass."""
    import trafilatura

    return trafilatura.bare_extraction(text, url=url)


def trafilatura_with_metadata(text: str, url: str) -> object:
    """``trafilatura.bare_extraction`` with title, date, author... as our records have them."""
    import trafilatura

    return trafilatura.bare_extraction(text, url=url, with_metadata=True)


@dataclass(frozen=True)
class LoopRates:
    """The one-core trafilatura loops over the same pages."""

    plain: Loop
    with_metadata: Loop

    def line(self, when: str) -> str:
        return (f"trafilatura.bare_extraction, one core, {when} the crawl: "
                f"{self.plain.rate:.1f} pages/s ({self.plain.cpu_ms:.1f} ms CPU a page); "
                f"with_metadata=True: {self.with_metadata.rate:.1f} pages/s "
                f"({self.with_metadata.cpu_ms:.1f} ms)")


def timed_loop(pages: list[tuple[str, str]], host: str, extract: Extract) -> Loop:
    """``extract`` over ``pages`` on one core, after five pages of warm-up."""
    for path, text in pages[:5]:
        extract(text, f"{host}{path}")
    return one_core_loop(pages, host, extract)


def trafilatura_rates(pages: list[tuple[str, str]], host: str) -> LoopRates:
    return LoopRates(plain=timed_loop(pages, host, plain_trafilatura),
                     with_metadata=timed_loop(pages, host, trafilatura_with_metadata))


def loop_rates_process(count: int, corpus: str | None, host: str, result: Connection) -> None:
    """In a process of its own (its memory is not the crawl's): both trafilatura loops."""
    rates = trafilatura_rates(build_pages(count, Path(corpus) if corpus else None, host), host)
    result.send((rates.plain.rate, rates.plain.cpu_ms,
                 rates.with_metadata.rate, rates.with_metadata.cpu_ms))


def rates_before_crawl(context: SpawnContext, args: argparse.Namespace, host: str) -> LoopRates:
    parent, child = context.Pipe()
    loop = context.Process(target=loop_rates_process,
                           args=(args.pages, str(args.corpus or ""), host, child))
    loop.start()
    plain_rate, plain_ms, metadata_rate, metadata_ms = parent.recv()
    loop.join()
    return LoopRates(Loop(plain_rate, plain_ms), Loop(metadata_rate, metadata_ms))


# --- the peer: Scrapy + trafilatura + SQLite ---------------------------------------------------


@dataclass(frozen=True)
class PeerResult:
    rows: int
    elapsed: float
    """Seconds from the crawl's start to the pipeline's last commit (as ``report.elapsed``)."""
    wall: float
    """Seconds of the whole child process, interpreter start and imports included."""
    summary: dict[str, Any]

    @property
    def rate(self) -> float:
        return self.rows / self.elapsed


def peer_command(sitemap: str, settings: FetchSettings, folder: Path) -> list[str]:
    """``bench/_scrapy_peer.py`` with the crawl's own politeness settings."""
    return [sys.executable, str(PEER), "--sitemap", sitemap,
            "--db", str(folder / "peer.db"), "--summary", str(folder / "peer.json"),
            "--obey-robots" if settings.respect_robots else "--no-obey-robots",
            "--user-agent", settings.user_agent,
            "--concurrency", str(settings.concurrency),
            "--per-host-concurrency", str(settings.per_host_concurrency),
            "--delay", str(settings.per_host_delay),
            "--retries", str(settings.retries),
            "--timeout", str(settings.deadline),
            "--max-bytes", str(settings.max_bytes),
            "--max-redirects", str(settings.max_redirects)]


def run_peer(sitemap: str, settings: FetchSettings) -> PeerResult | None:
    """The Scrapy stack in a process of its own over the same site; None if Scrapy is absent."""
    if importlib.util.find_spec("scrapy") is None:
        print("Scrapy stack: SKIPPED, scrapy is not installed "
              "(pip install -e \".[bench]\" to measure it)")
        return None
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.monotonic()
        done = subprocess.run(peer_command(sitemap, settings, folder),
                              capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        if done.returncode != 0:
            print(done.stderr[-4000:], file=sys.stderr)
            raise SystemExit(f"the Scrapy stack failed (exit {done.returncode}); its log is above")
        summary = json.loads((folder / "peer.json").read_text())
        with sqlite3.connect(folder / "peer.db") as db:
            rows = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        db.close()
    if rows == 0:
        raise SystemExit(f"the Scrapy stack wrote no rows: {summary['stats']}")
    return PeerResult(rows=rows, elapsed=summary["elapsed"], wall=wall, summary=summary)


def print_peer(peer: PeerResult) -> None:
    stats = peer.summary["stats"]
    print(f"Scrapy stack (Scrapy {peer.summary['scrapy']} SitemapSpider, trafilatura "
          f"{peer.summary['trafilatura']} with metadata in an item pipeline, one row per page "
          f"into SQLite committed every 100): {peer.rows} rows, "
          f"{stats.get('item_dropped_count', 0)} dropped, "
          f"{stats.get('log_count/ERROR', 0)} errors, {stats.get('retry/count', 0)} retries, in "
          f"{peer.elapsed:.1f}s = {peer.rate:.1f} pages/s")
    print("  one process: downloads, parsing and the pipeline's extraction share one core, "
          "as the stack is usually built (Scrapy has no process pool for pipelines)")
    print(f"  CPU {peer.summary['cpu'] / max(peer.rows, 1) * 1000:.1f} ms/page, "
          f"{peer.summary['cpu'] / peer.elapsed:.2f} cores busy; peak RSS "
          f"{peer.summary['max_rss_mb']:.0f} MB; Scrapy's own elapsed (spider open -> close) "
          f"{stats.get('elapsed_time_seconds', 0.0):.1f}s, the whole process {peer.wall:.1f}s")


# --- the crawl ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrawlFigures:
    rate: float
    """Pages archived per second, wall clock."""
    cpu_ms: float
    """CPU milliseconds a page, crawl process and extraction workers (sampled) together."""


def print_crawl(report: Any, probe: Probe, server_cpu: float) -> CrawlFigures:
    """The figures of ``run_crawl``'s report."""
    totals = report.totals
    archived = totals.new + totals.updated + totals.unchanged
    crawl_rate: float = archived / report.elapsed
    print(f"crawl: {archived} archived ({totals.new} new, {totals.unchanged} same as another "
          f"page), {totals.failed} failed, in {report.elapsed:.1f}s = {crawl_rate:.1f} pages/s")
    last = max(probe.seen, default=0)
    if 200 in probe.seen and last > 200:
        t200, t_end = probe.seen[200][0], probe.seen[last][0]
        print(f"  steady state (article 200 -> {last}): "
              f"{(last - 200) / (t_end - t200):.1f} pages/s; crawl process CPU "
              f"{(probe.cpu[last] - probe.cpu[200]) / (last - 200) * 1000:.1f} ms/page "
              f"(fetch, hand-off, archive: everything but extraction)")
    main_cpu = probe.cpu.get(probe.marks[-1], time.process_time()) - probe.cpu_started
    all_cpu = main_cpu + sum(probe.worker_cpu.values())
    print(f"  CPU: crawl process {main_cpu / archived * 1000:.1f} ms/page, extraction workers "
          f"{sum(probe.worker_cpu.values()) / archived * 1000:.1f} ms/page (sampled); "
          f"{all_cpu / report.elapsed:.2f} cores busy on average "
          f"(on an idle machine: about {os.cpu_count()} / {all_cpu / archived * 1000:.1f} ms = "
          f"{(os.cpu_count() or 1) * archived / all_cpu:.0f} pages/s)")
    print(f"  the local site's server process (same machine): {server_cpu / archived * 1000:.1f}"
          f" ms/page, {server_cpu / report.elapsed:.2f} cores on average")
    for mark, (_, own, tree) in sorted(probe.seen.items()):
        print(f"  RSS after {mark:>5} pages: crawl process {own:.0f} MB, "
              f"with extraction workers {tree:.0f} MB")
    if 200 in probe.seen and last > 200:
        print(f"  RSS growth 200 -> {last}: crawl process "
              f"{probe.seen[last][1] - probe.seen[200][1]:+.0f} MB, with workers "
              f"{probe.seen[last][2] - probe.seen[200][2]:+.0f} MB")
    return CrawlFigures(rate=crawl_rate, cpu_ms=all_cpu / archived * 1000)


def crawl(host: str, count: int, settings: FetchSettings, server_pid: int) -> CrawlFigures:
    """``run_crawl`` over the site into a fresh archive; prints its figures."""
    site = SiteSettings(name="bench", sitemaps=(f"{host}/sitemap.xml",), max_articles=count)
    config = Config(fetch=settings, sites=(site,))
    # The last mark is 90% of the pages as well as all of them: with real pages a few fail.
    probe = Probe(server_pid=server_pid, marks=(200, count * 9 // 10, count))
    server_before = cpu_seconds(server_pid)
    with tempfile.TemporaryDirectory() as folder:
        report = run_crawl(config, Path(folder) / "bench.db", on_event=probe)
    return print_crawl(report, probe, cpu_seconds(server_pid) - server_before)


# --- the run -----------------------------------------------------------------------------------


def ratio_line(name: str, rate: float, before: float, after: float, bar: str) -> str:
    mean = (before + after) / 2
    return (f"ratio crawl / {name}: {rate / mean:.2f}x against the mean of before and after "
            f"({rate / before:.2f}x before, {rate / after:.2f}x after){bar}")


def print_ratios(crawl: CrawlFigures, before: LoopRates, after: LoopRates, ours: Loop,
                 peer: PeerResult | None) -> None:
    rate = crawl.rate
    print(ratio_line("bare_extraction loop (no metadata)", rate, before.plain.rate,
                     after.plain.rate, ""))
    with_metadata = (before.with_metadata.rate + after.with_metadata.rate) / 2
    verdict = "met" if rate / with_metadata >= METADATA_BAR else "NOT met"
    print(ratio_line("bare_extraction with_metadata loop", rate, before.with_metadata.rate,
                     after.with_metadata.rate,
                     f"; the like-for-like baseline, issue 12 asks >= {METADATA_BAR}x: {verdict}"))
    cores = os.cpu_count() or 1
    loop_ms = (before.with_metadata.cpu_ms + after.with_metadata.cpu_ms) / 2
    print(f"  the same from CPU time (what an idle machine would give; worker CPU sampled): "
          f"{cores} cores / {crawl.cpu_ms:.1f} ms a page against 1 / {loop_ms:.1f} ms = "
          f"{cores * loop_ms / crawl.cpu_ms:.2f}x")
    print(f"ratio crawl / extract_article loop: {rate / ours.rate:.2f}x "
          f"(pipeline efficiency on {cores} cores)")
    if peer is None:
        print("ratio crawl / Scrapy stack: SKIPPED (scrapy is not installed)")
        return
    verdict = "ahead" if rate > peer.rate else "NOT ahead"
    print(f"ratio crawl / Scrapy stack: {rate / peer.rate:.2f}x ({rate:.1f} vs "
          f"{peer.rate:.1f} pages/s; must be > 1: {verdict}); the Scrapy stack is "
          f"{peer.rate / with_metadata:.2f}x the one-core with-metadata loop")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="serve real saved pages (*.gz) from this folder instead")
    parser.add_argument("--per-host-concurrency", type=int, default=8)
    parser.add_argument("--smoke", action="store_true",
                        help=f"{SMOKE_PAGES} pages, a few seconds: checks that the bench runs "
                             "(for CI); its figures mean nothing")
    args = parser.parse_args()
    if args.smoke:
        args.pages = SMOKE_PAGES
    return args


def main() -> None:
    args = parse_args()
    context = multiprocessing.get_context("spawn")
    parent_end, child_end = context.Pipe()
    server = context.Process(target=serve, args=(args.pages, str(args.corpus or ""), child_end),
                             daemon=True)
    server.start()
    host, count = parent_end.recv()
    assert server.pid is not None
    if args.smoke:
        print(f"SMOKE RUN ({count} pages): checks that the bench runs; the figures mean nothing")
    print(f"serving {count} pages at {host} (server pid {server.pid}); "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")

    # The one-core loops before the crawl as well as after it: on a shared machine their rate
    # drifts, and the ratios are quoted against the mean of the two.
    before = rates_before_crawl(context, args, host)
    print(before.line("before"))
    settings = FetchSettings(concurrency=16, per_host_concurrency=args.per_host_concurrency,
                             per_host_delay=0.0, timeout=60.0, retries=1)
    figures = crawl(host, count, settings, server.pid)
    peer = run_peer(f"{host}/sitemap.xml", settings)
    if peer is not None:
        print_peer(peer)
    parent_end.send("stop")
    server.join(timeout=10)

    pages = build_pages(count, args.corpus, host)
    after = trafilatura_rates(pages, host)
    print(after.line("after"))
    from scraper.extract import extract_article

    ours = timed_loop(pages, host, extract_article)
    print(f"scraper.extract.extract_article, one core: {ours.rate:.1f} pages/s "
          f"({ours.cpu_ms:.1f} ms CPU a page)")
    print_ratios(figures, before, after, ours, peer)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
