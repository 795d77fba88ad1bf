"""Whether an extracted page is an article worth archiving: one function, for every caller
(the crawl, ``fetch --save``, ``import``, ``reextract``)."""

from __future__ import annotations

from scraper.models import Article


def is_article(article: Article) -> bool:
    """Today: the page has a body. (Home pages, listings and empty pages have none.)"""
    return bool(article.body.strip())
