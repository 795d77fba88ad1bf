"""Page -> Article. Pure: no I/O. The only package that imports selectolax / trafilatura."""

from __future__ import annotations

from scraper.extract.article import extract_article

__all__ = ["extract_article"]
