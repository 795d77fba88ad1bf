"""scraper: a news article scraper and archiver.

Pipeline stages, one module each, records flowing one way::

    config.toml -> config.Config
    URL --fetch--> models.Page --extract--> models.Article --archive--> SQLite rows

The Python API (docs/api.md) is re-exported here from :mod:`scraper.api`::

    import scraper
    art = scraper.extract(html, url="https://site.example/2023/09/story/")
    with scraper.Archive("archive.db") as db:
        db.save(art)

``extract``, ``fetch`` and ``crawl`` are both subpackages (the pipeline stages) and API
functions: the API is imported here, after the stages, so the names are the functions
(``from scraper.extract import extract_article`` still reads the subpackage).
"""

from scraper.__about__ import __version__
from scraper.api import (
    Archive,
    ArchiveServer,
    DatasetFigures,
    EvalReport,
    Exported,
    Fetched,
    ImportReport,
    ReextractReport,
    Saved,
    VerifyReport,
    afetch_many,
    crawl,
    evaluate,
    extract,
    fetch,
)
from scraper.archive.captures import Capture
from scraper.archive.parquet import ParquetExport
from scraper.archive.queries import ArticleDetail, DuplicateGroup, Revision, SearchHit, Stats
from scraper.archive.store import SaveResult
from scraper.config import Config, FetchSettings
from scraper.crawl.report import CrawlEvent, RunReport
from scraper.errors import (
    ArchiveError,
    ConfigError,
    ExtractError,
    FetchError,
    MissingExtra,
    NotAnArticle,
    RobotsRefused,
    ScraperError,
)
from scraper.models import Article

__all__ = [
    "Archive", "ArchiveError", "ArchiveServer", "Article", "ArticleDetail", "Capture", "Config",
    "ConfigError", "CrawlEvent", "DatasetFigures", "DuplicateGroup", "EvalReport", "Exported",
    "ExtractError", "FetchError", "FetchSettings", "Fetched", "ImportReport", "MissingExtra",
    "NotAnArticle", "ParquetExport",
    "ReextractReport", "Revision", "RobotsRefused", "RunReport", "SaveResult", "Saved",
    "ScraperError", "SearchHit", "Stats", "VerifyReport", "__version__", "afetch_many",
    "crawl", "evaluate", "extract", "fetch",
]
