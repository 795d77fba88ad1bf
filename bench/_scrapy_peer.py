"""The peer stack for ``bench/crawl_speed.py``: Scrapy + trafilatura + SQLite, as people build it.

    .venv/bin/python bench/_scrapy_peer.py --sitemap http://127.0.0.1:PORT/sitemap.xml \\
        --db /tmp/peer.db --summary /tmp/peer.json

A ``SitemapSpider`` fetches every page the sitemap lists; an item pipeline runs
``trafilatura.bare_extraction(html, url=url, with_metadata=True)`` on each page and writes one
row (url, title, date, text) into a fresh SQLite file through a plain ``sqlite3`` connection,
committing every ``--commit-every`` rows. Scrapy is one process: the pipeline runs in the
reactor's thread, so extraction and downloading share one core — that is the stack as usually
built, not a straw man (Scrapy has no process pool for item pipelines).

The politeness settings come from the command line (``crawl_speed.py`` passes the crawl's own
``FetchSettings``); AutoThrottle is off. A JSON summary (rows, timings, Scrapy's stats) is
written to ``--summary``. Needs the optional ``bench`` extra: ``pip install -e ".[bench]"``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import scrapy
import trafilatura
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import DropItem
from scrapy.http import Response
from scrapy.spiders import SitemapSpider
from trafilatura.settings import Document

SCHEMA = "CREATE TABLE articles (url TEXT PRIMARY KEY, title TEXT, date TEXT, text TEXT)"


class PeerSpider(SitemapSpider):
    """Every URL of the sitemap(s) given as ``sitemap``, each page handed on as an item."""

    name = "peer"

    def __init__(self, sitemap: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [sitemap]

    def parse(self, response: Response, **kwargs: Any) -> Iterator[dict[str, str]]:
        yield {"url": response.url, "html": response.text}


class SqlitePipeline:
    """trafilatura with metadata on each item, then one row per page, committed in batches.

    The ``spider`` parameters are optional so that the methods suit both the Scrapy releases
    that pass the spider and the ones that have deprecated it.
    """

    def __init__(self, path: str, commit_every: int) -> None:
        self.path = path
        self.commit_every = commit_every
        self.pending = 0
        self.rows = 0
        self.db: sqlite3.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SqlitePipeline:
        return cls(crawler.settings.get("PEER_DB_PATH"),
                   crawler.settings.getint("PEER_COMMIT_EVERY", 100))

    def open_spider(self, spider: scrapy.Spider | None = None) -> None:
        self.db = sqlite3.connect(self.path)
        self.db.execute(SCHEMA)
        self.db.commit()

    def process_item(self, item: dict[str, str],
                     spider: scrapy.Spider | None = None) -> dict[str, str]:
        assert self.db is not None
        page = item.pop("html")  # dropped items are logged: not with the whole page
        doc = trafilatura.bare_extraction(page, url=item["url"], with_metadata=True)
        if not isinstance(doc, Document) or not doc.text:
            raise DropItem(f"no text extracted from {item['url']}")
        self.db.execute("INSERT OR REPLACE INTO articles (url, title, date, text) "
                        "VALUES (?, ?, ?, ?)", (item["url"], doc.title, doc.date, doc.text))
        self.rows += 1
        self.pending += 1
        if self.pending >= self.commit_every:
            self.db.commit()
            self.pending = 0
        item.update(title=doc.title or "", date=doc.date or "")
        return item

    def close_spider(self, spider: scrapy.Spider | None = None) -> None:
        assert self.db is not None
        self.db.commit()
        self.db.close()


def scrapy_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The crawl's politeness in Scrapy's terms (see ``crawl_speed.py`` for the mapping)."""
    return {
        "ROBOTSTXT_OBEY": args.obey_robots,
        "USER_AGENT": args.user_agent,
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.per_host_concurrency,
        "DOWNLOAD_DELAY": args.delay,
        "AUTOTHROTTLE_ENABLED": False,
        "RETRY_ENABLED": args.retries > 0,
        "RETRY_TIMES": args.retries,
        "DOWNLOAD_TIMEOUT": args.timeout,
        "DOWNLOAD_MAXSIZE": args.max_bytes,
        "REDIRECT_MAX_TIMES": args.max_redirects,
        # Scrapy's default level, DEBUG, logs every response and every item; a production
        # crawl runs at INFO.
        "LOG_LEVEL": "INFO",
        # No consoles listening on ports during a benchmark (no effect on the pages' path).
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "ITEM_PIPELINES": {SqlitePipeline: 300},
        "PEER_DB_PATH": str(args.db),
        "PEER_COMMIT_EVERY": args.commit_every,
    }


def summary(crawler: Crawler, elapsed: float, cpu: float) -> dict[str, Any]:
    assert crawler.stats is not None
    stats = {key: value for key, value in crawler.stats.get_stats().items()
             if isinstance(value, int | float | str)}
    return {
        "scrapy": scrapy.__version__,
        "trafilatura": trafilatura.__version__,
        "elapsed": elapsed,
        "cpu": cpu,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stats": stats,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sitemap", required=True)
    parser.add_argument("--db", type=Path, required=True, help="a fresh SQLite file")
    parser.add_argument("--summary", type=Path, required=True, help="JSON written here")
    parser.add_argument("--obey-robots", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--user-agent", default=f"Scrapy/{scrapy.__version__}")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-host-concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--retries", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--max-bytes", type=int, default=10_000_000)
    parser.add_argument("--max-redirects", type=int, default=10)
    parser.add_argument("--commit-every", type=int, default=100)
    args = parser.parse_args()
    if args.db.exists():
        parser.error(f"{args.db} exists: the peer writes a fresh file")

    process = CrawlerProcess(settings=scrapy_settings(args))
    crawler = process.create_crawler(PeerSpider)
    started, cpu_started = time.monotonic(), time.process_time()
    process.crawl(crawler, sitemap=args.sitemap)
    process.start()  # until the spider closes and the pipeline's last commit is done
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
    report = summary(crawler, elapsed, cpu)
    args.summary.write_text(json.dumps(report, indent=1))
    # Scrapy exits 0 even when the engine never started (an error in its log): say so.
    if report["stats"].get("finish_reason") != "finished":
        raise SystemExit(f"the crawl did not finish: {report['stats']}")


if __name__ == "__main__":
    main()
