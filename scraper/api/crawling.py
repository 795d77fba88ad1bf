"""``crawl``: ``scraper crawl`` from Python, returning the run's report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scraper.cluster.engine import check_address
from scraper.config import Config, load_config
from scraper.crawl import run_crawl
from scraper.crawl.report import EventSink, RunReport


def crawl(config_path: str | Path | Config | None = None, *,
          sites: Sequence[str] | None = None, max_articles: int | None = None,
          db: str | Path | None = None, dry_run: bool = False,
          on_event: EventSink | None = None, cluster: str | None = None) -> RunReport:
    """Crawl the sites of ``config_path`` (default ``./config.toml``; or a loaded ``Config``)
    into the archive (the config's ``[archive] path``, or ``db``), as ``scraper crawl``
    does; ``sites`` names some of them, ``max_articles`` caps each. Failed URLs are in the
    report and the archive's ``failures`` table, never raised; ``ConfigError`` for a bad
    config or an unknown site, ``ArchiveLockedError`` if another crawl holds the archive.
    ``on_event`` hears of every step (``CrawlEvent``). A SIGTERM or Ctrl-C stops the run:
    an ``aborted`` report, ``stopped_by`` the signal.

    ``cluster``: crawl on the Ray cluster at this address (``"auto"``, ``"HOST:6379"``, or
    ``"local"``: a Ray started on this machine), as ``scraper crawl --cluster``; None takes
    the config's ``[cluster] address`` (none there: this machine). A ``dry_run`` plans here.
    ``MissingExtra`` without the ``cluster`` extra, ``ClusterError`` when the cluster
    cannot be joined (docs/cluster.md).

    >>> import scraper, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "config.toml").write_text(
    ...     '[fetch]\\nretries = 0\\n[[sites]]\\nname = "local"\\nfeeds = ["http://127.0.0.1:9/feed/"]\\n')
    >>> report = scraper.crawl(folder / "config.toml", db=folder / "archive.db", max_articles=5)
    >>> report.status, report.sites[0].name, report.totals.new
    ('failed', 'local', 0)
    >>> report.sites[0].error
    'no feed, sitemap or section page could be read (http://127.0.0.1:9/feed/: connection ...)'
    """
    config = config_path if isinstance(config_path, Config) else load_config(config_path)
    archive = db if db is not None else config.archive.path
    address = None if dry_run else check_address(cluster or config.cluster.address)
    if address is not None:
        from scraper.cluster.crawl import run_cluster_crawl  # Ray only when asked for

        return run_cluster_crawl(config, archive, address=address, sites=sites,
                                 max_articles=max_articles, on_event=on_event)
    return run_crawl(config, archive, sites=sites, max_articles=max_articles, dry_run=dry_run,
                     on_event=on_event)
