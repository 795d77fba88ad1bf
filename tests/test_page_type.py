"""A page that is not an article says so: ``page_type`` on fixture pages of each kind, and
articles that look a little like listings stay articles."""

from __future__ import annotations

import pytest

from scraper.errors import ExtractError
from scraper.extract import extract_article
from scraper.models import ARTICLE_FIELDS, why_not_an_article
from tests import pages
from tests.pages import listings

ARTICLE_URL = "https://harbourtimes.example/2024/03/05/coastal-town-opens-solar-plant/"


@pytest.mark.parametrize("name", list(listings.LISTINGS))
def test_listing_pages_are_listings(name: str) -> None:
    url, html = listings.LISTINGS[name]
    article = extract_article(html, url)
    assert article.page_type == "listing"
    reason = why_not_an_article(article)
    assert reason is not None and reason.startswith("not an article (listing page: ")
    assert "links to other articles" in reason and "words of text" in reason


@pytest.mark.parametrize("name", list(listings.OTHERS))
def test_pages_without_article_text_are_other(name: str) -> None:
    url, html = listings.OTHERS[name]
    article = extract_article(html, url)
    assert article.page_type == "other"
    assert why_not_an_article(article) is not None


@pytest.mark.parametrize(
    "html",
    [
        pages.wordpress_jsonld(ARTICLE_URL),
        pages.plain_theme(ARTICLE_URL),
        pages.microdata_theme(ARTICLE_URL),
        listings.article_with_more_stories(ARTICLE_URL),
        listings.short_article(ARTICLE_URL, declared=True),
        listings.short_article(ARTICLE_URL, declared=False),
    ],
    ids=["wordpress", "plain", "microdata", "more-stories", "short-declared", "short-plain"],
)
def test_articles_are_articles(html: str) -> None:
    article = extract_article(html, ARTICLE_URL)
    assert article.page_type == "article"
    assert why_not_an_article(article) is None


def test_an_article_whose_text_was_not_found_is_refused_for_that() -> None:
    html = (
        '<html><head><meta property="og:type" content="article"><title>Quay</title></head>'
        "<body><main><h1>Quay Closed for Repairs</h1></main></body></html>"
    )
    article = extract_article(html, ARTICLE_URL)
    assert article.page_type == "article"
    assert why_not_an_article(article) == "no article text found on the page"


def test_page_type_is_in_the_record_and_its_evidence_is_not() -> None:
    record = extract_article(*reversed(listings.LISTINGS["tag-page"])).to_dict()
    assert record["page_type"] == "listing"
    assert "page_type" in ARTICLE_FIELDS and "page_evidence" not in record


def test_without_a_url_the_record_url_is_none() -> None:
    html = listings.short_article(ARTICLE_URL, declared=True)
    assert extract_article(html).to_dict()["url"] is None


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>", "a PDF document"),
        ("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08" * 40, "binary content"),
    ],
)
def test_non_html_input_is_an_extract_error(text: str, what: str) -> None:
    with pytest.raises(ExtractError, match=f"not HTML: {what}"):
        extract_article(text, ARTICLE_URL)
