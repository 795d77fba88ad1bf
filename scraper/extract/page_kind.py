"""Whether an extracted page is an article worth archiving: one function, for every caller
(the crawl, ``fetch --save``, ``import``, ``reextract``)."""

from __future__ import annotations

from scraper.models import Article, why_not_an_article


def is_article(article: Article) -> bool:
    """The page is an article with text: not a listing (home, section, tag page...), not a
    page without article text (``scraper.models.why_not_an_article`` says which)."""
    return why_not_an_article(article) is None
