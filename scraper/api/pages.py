"""``extract``: an HTML page (text, or bytes in any charset) -> :class:`~scraper.Article`.

The one "is it an article" gate of the API and the CLI (``models.why_not_an_article``): a home
page, a listing or a page without article text is :class:`~scraper.errors.NotAnArticle`
unless ``any_page``.
"""

from __future__ import annotations

from scraper.encoding import decode_html
from scraper.errors import NotAnArticle
from scraper.extract import extract_article
from scraper.models import Article, why_not_an_article


def extract(html: str | bytes, url: str | None = None, *, any_page: bool = False) -> Article:
    """The article record of one HTML page; no network, no files.

    ``html`` is decoded text, or the page's bytes (the charset is found as a fetch finds it:
    BOM, ``<meta charset>``, detection). ``url`` resolves links and dates the page when it
    holds a date. A page that is no article raises ``NotAnArticle`` unless ``any_page``, when
    the record's ``page_type`` says what it is.

    >>> import scraper
    >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
    ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
    >>> art = scraper.extract(html, url="https://news.example/2024/05/02/tide-mill/")
    >>> art.title, art.published, art.word_count
    ('Tide mill reopens', '2024-05-02', 108)
    >>> art.to_dict()["title"]
    'Tide mill reopens'
    >>> scraper.extract("<html><body><p>Hello</p></body></html>", url="https://news.example/")
    Traceback (most recent call last):
    scraper.errors.NotAnArticle: https://news.example/: not an article (listing page: ...); ...
    >>> scraper.extract(html.encode("cp1252"), any_page=True).page_type
    'article'
    """
    text = decode_html(html)[0] if isinstance(html, bytes) else html
    article = extract_article(text, url)
    check_article(article, url or "page", any_page=any_page)
    return article


def check_article(article: Article, label: str, *, any_page: bool = False) -> None:
    """Raise ``NotAnArticle`` (naming ``label``) for a page that is no article to keep,
    unless ``any_page``.

    >>> import scraper
    >>> from scraper.api import check_article
    >>> check_article(scraper.Article(url=None, page_type="other"), "empty.html", any_page=True)
    >>> check_article(scraper.Article(url=None, page_type="other"), "empty.html")
    Traceback (most recent call last):
    scraper.errors.NotAnArticle: empty.html: no article text found on the page; ...
    """
    reason = why_not_an_article(article)
    if reason is not None and not any_page:
        raise NotAnArticle(label, reason)
