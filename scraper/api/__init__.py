"""The Python API: everything the command line does, as functions and one class.

::

    extract(html, url=)            page text or bytes -> Article          pages.py
    fetch(url, settings)           one polite fetch -> Article            fetching.py
    afetch_many(urls, settings)    many, per-host limits -> [Fetched]     fetching.py
    Archive(path)                  save, fetch, search, get, history,     archive.py
                                   duplicates, records, stats, to_pandas
                                   import_warc, reextract, verify,        capture_methods.py
                                   captures, page_html
                                   export, sites                          exports.py
    ImportReport, ReextractReport, what those return                      reports.py
    VerifyReport, Exported
    crawl(config_path, sites=)     a crawl run -> RunReport               crawling.py
    evaluate(corpus_dir, floors=)  benchmark figures -> EvalReport        evaluating.py
    Archive.serve(host=, port=)    Datasette on the archive -> server     serving.py

``scraper/__init__.py`` re-exports these (and the records and errors they use); the CLI
commands call them, so the two cannot drift. Errors are the :mod:`scraper.errors` tree only.
"""

from scraper.api.archive import Archive, Saved
from scraper.api.crawling import crawl
from scraper.api.evaluating import DatasetFigures, EvalReport, evaluate
from scraper.api.fetching import (
    Fetched,
    afetch_many,
    fetch,
    fetch_article,
    run_sync,
    without_robots,
)
from scraper.api.pages import check_article, extract
from scraper.api.reports import Exported, ImportReport, ReextractReport, VerifyReport
from scraper.api.serving import ArchiveServer

__all__ = [
    "Archive",
    "ArchiveServer",
    "DatasetFigures",
    "EvalReport",
    "Exported",
    "Fetched",
    "ImportReport",
    "ReextractReport",
    "Saved",
    "VerifyReport",
    "afetch_many",
    "check_article",
    "crawl",
    "evaluate",
    "extract",
    "fetch",
    "fetch_article",
    "run_sync",
    "without_robots",
]
