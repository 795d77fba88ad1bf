"""A fetched page's article -> the archive: the one step the crawler
(:mod:`scraper.crawl.articles`) and ``fetch --save`` (``scraper.Archive.fetch``) share, so
what they keep, and how they save it, cannot drift.

``checked`` refuses a wall standing in for the article (``Blocked``: never archived) and a
page that is no article (``NotAnArticle``, unless ``any_page``); ``save_page`` saves the
article with what the fetch knows (the URL asked for, the fetch time, the kept capture,
the listing's hints) and the extractor's version.
"""

from __future__ import annotations

from scraper.archive import Archive
from scraper.archive.similarity import Sketch
from scraper.archive.store import SaveResult
from scraper.errors import Blocked, NotAnArticle
from scraper.extract import extractor_version
from scraper.models import Article, Hints, Page, is_blocked, why_not_an_article


def checked(page: Page, article: Article, *, any_page: bool = False) -> Article:
    """``article`` if it is one to keep: ``Blocked`` for a wall (``any_page`` or not),
    ``NotAnArticle`` for a listing or a page without article text (unless ``any_page``)."""
    if is_blocked(article):
        raise Blocked(page.url, f"blocked: {article.wall_reason}", kind=article.wall,
                      status=page.status)
    reason = why_not_an_article(article)
    if reason is not None and not any_page:
        raise NotAnArticle(page.url, reason)
    return article


def save_page(archive: Archive, page: Page, article: Article, *, site: str | None,
              requested_url: str, sketch: Sketch | None = None,
              hints: Hints | None = None) -> SaveResult:
    """Archive the article read from ``page`` (fetched for ``requested_url``), linked to
    the page's capture in the save's transaction."""
    return archive.save(article, site=site, requested_url=requested_url,
                        fetched_at=page.fetched_at, sketch=sketch, capture=page.capture,
                        hints=hints, extractor_version=extractor_version())
