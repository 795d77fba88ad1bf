"""Page -> Article: parse once with selectolax, metadata cascade, source link, chrome removal,
body via trafilatura. Pure: no I/O."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import replace

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from scraper.errors import ExtractError
from scraper.extract.body import content_words, extract_body, remove_chrome
from scraper.extract.dates import fallback_date
from scraper.extract.metadata import extract_metadata
from scraper.extract.published import only_printed_day, printed_headline_day
from scraper.extract.source_link import take_source_link
from scraper.extract.text import clean
from scraper.models import Article, Hints

MAX_HTML_CHARS = 20_000_000
_LIBRARY_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, TypeError, LookupError, AttributeError, RecursionError, etree.LxmlError,
)
"""What the parsing libraries raise on input they cannot cope with (an ``http://[::1`` link
is a ValueError in urllib): translated into ``ExtractError`` with the cause kept."""


def content_hash(body: str) -> str:
    """Hash of the normalised body (NFKC, whitespace collapsed, casefolded)."""
    normal = clean(unicodedata.normalize("NFKC", body)).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def extract_article(html: str, url: str | None = None, *, hints: Hints | None = None) -> Article:
    """Extract the article record from an HTML document.

    ``hints`` (from the feed or sitemap that listed the page) fill the date and title only
    where the page gives none."""
    if not isinstance(html, str):
        raise ExtractError("expected decoded HTML text")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractError(f"page too large to extract ({len(html):,} characters)")
    html = html.replace("\x00", "")
    if not html.strip():
        raise ExtractError("empty page")
    try:
        article = _extract(html, url)
    except ExtractError:
        raise
    except _LIBRARY_ERRORS as exc:  # a parser or extractor tripped on pathological input
        raise ExtractError(f"extractor failed on this page: {type(exc).__name__}: {exc}") from exc
    return article if hints is None else _with_hints(article, hints)


def _with_hints(article: Article, hints: Hints) -> Article:
    if not article.published and hints.published:
        article = replace(article, published=hints.published, date_source=hints.source)
    if not article.title and hints.title:
        article = replace(article, title=hints.title, title_source=hints.source)
    return article


def _extract(html: str, url: str | None) -> Article:
    try:
        tree = LexborHTMLParser(html)
    except Exception as exc:  # selectolax raises plain errors on pathological input
        raise ExtractError(f"unparseable HTML: {exc}") from exc
    meta = extract_metadata(tree, url)
    printed_day = printed_headline_day(tree) if meta.published is None else None
    base = url or meta.canonical_url
    source_link = take_source_link(tree, base)
    remove_chrome(tree)
    body = extract_body(tree, url, meta.title)
    if meta.published is None:
        if guess := fallback_date(tree.html or "", html, url):
            meta.published, meta.date_source = guess, "htmldate"
        elif printed_day:
            meta.published, meta.date_source = printed_day, "headline"
        elif meta.modified:  # the page's last change: closer than no date at all
            meta.published, meta.date_source = meta.modified, "modified"
        elif only_day := only_printed_day(tree):  # read without the page's chrome
            meta.published, meta.date_source = only_day, "text"
    return Article(
        url=url or meta.canonical_url or "",
        canonical_url=meta.canonical_url,
        title=meta.title,
        published=meta.published,
        modified=meta.modified,
        section=meta.section,
        headings=body.headings,
        body=body.text,
        source_link=source_link,
        authors=meta.authors,
        language=meta.language,
        site_name=meta.site_name,
        description=meta.description,
        tags=meta.tags,
        image=meta.image,
        word_count=content_words(body.text),
        content_hash=content_hash(body.text),
        title_source=meta.title_source,
        date_source=meta.date_source,
        section_source=meta.section_source,
    )
