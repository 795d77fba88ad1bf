"""Where an ``import`` worker's time goes, per page, against ``extract_article``
alone on the same pages, in one process, warm (a warm-up pass over every page first, then
the timed passes, the steps interleaved page by page so the machine's load hits them alike).

    .venv/bin/python bench/captures_steps.py --pages 300

The importer's steps (in its own process): inflate (the gzip member), parse (warcio,
de-chunk). The worker's job, :func:`scraper.captures.jobs.extract_payload`, whole and in its
steps: decode (Content-Encoding, charset), extract (``extract_article`` with the answer's
status and headers), sketch (MinHash of the body). The pages are corpus pages written as
CC-NEWS-like records (gzip per record, HTTP/1.1 headers), in memory.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from bench.crawl_speed import build_pages  # noqa: E402
from scraper.archive.similarity import Sketch  # noqa: E402
from scraper.captures.jobs import extract_payload  # noqa: E402
from scraper.captures.reader import inflate, page_text, parse_record  # noqa: E402
from scraper.extract import extract_article  # noqa: E402
from scraper.models import Article  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
URL = "https://bench.example"


def member(path: str, text: str) -> bytes:
    """One page as a gzip-member response record, as an import or a reextract reads it."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    body = text.encode("utf-8")
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                       ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        URL + path, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"}))
    return out.getvalue()


def timed(totals: dict[str, float], name: str, step: Callable[..., Any], *args: Any) -> Any:
    started = time.perf_counter()
    result = step(*args)
    totals[name] = totals.get(name, 0.0) + time.perf_counter() - started
    return result


def extract_with(html: str, url: str, status: int | None,
                 headers: tuple[tuple[str, str], ...]) -> Article:
    return extract_article(html, url, status=status, headers=headers)


def one_pass(pages: list[tuple[str, str]], members: list[bytes],
             totals: dict[str, float]) -> None:
    for (path, text), data in zip(pages, members, strict=True):
        url = URL + path
        timed(totals, "extract_article alone (baseline)", extract_article, text, url)
        inflated = timed(totals, "importer: inflate", inflate, data)
        record = timed(totals, "importer: parse_record", parse_record, inflated)
        timed(totals, "job: extract_payload, whole", extract_payload, record.payload,
              record.http_headers, record.status, url, None, 10**7)
        html, _codec = timed(totals, "  page_text (decode)", page_text, record, 10**7)
        article = timed(totals, "  extract_article (status, headers)", extract_with, html, url,
                        record.status, record.http_headers)
        timed(totals, "  Sketch.of", Sketch.of, article.body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="small numbers (10 pages)")
    args = parser.parse_args()
    if args.smoke:
        args.pages, args.passes = 10, 1
    pages = build_pages(args.pages, CORPUS if CORPUS.is_dir() else None, URL)
    members = [member(path, text) for path, text in pages]
    print(f"{len(pages)} pages, {sum(len(t) for _p, t in pages) / len(pages) / 1024:.0f} KB "
          f"mean; load average {os.getloadavg()[0]:.2f}")
    one_pass(pages, members, {})  # warm-up: every page once, every step
    totals: dict[str, float] = {}
    for _ in range(args.passes):
        one_pass(pages, members, totals)
    count = len(pages) * args.passes
    base = totals["extract_article alone (baseline)"]
    for name, seconds in totals.items():
        print(f"{name:45} {seconds / count * 1000:8.2f} ms/page  {seconds / base:6.3f} x baseline")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
