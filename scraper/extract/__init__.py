"""Page -> Article. Pure: no I/O. The only package that imports selectolax / trafilatura."""

from __future__ import annotations

from scraper.extract.article import extract_article
from scraper.extract.page_kind import is_article
from scraper.extract.version import extractor_version

__all__ = ["extract_article", "extractor_version", "is_article"]
