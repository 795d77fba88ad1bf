"""The section from breadcrumb trails and category labels of every common shape
(fixture pages in ``tests/pages/breadcrumbs.py``)."""

from __future__ import annotations

import pytest

from scraper.extract import extract_article
from tests.pages import breadcrumbs as crumbs


@pytest.mark.parametrize("shape", list(crumbs.TRAILS))
def test_section_from_breadcrumb(shape: str) -> None:
    article = extract_article(crumbs.page(trail=crumbs.TRAILS[shape]), crumbs.URL)
    assert article.section == crumbs.SECTION
    assert article.section_source is not None and "breadcrumb" in article.section_source


@pytest.mark.parametrize("shape", list(crumbs.TRAILS))
def test_breadcrumb_stays_out_of_the_body(shape: str) -> None:
    body = extract_article(crumbs.page(trail=crumbs.TRAILS[shape]), crumbs.URL).body
    assert crumbs.SECTION not in body
    assert body.startswith(crumbs.PARAGRAPHS[0])


@pytest.mark.parametrize("theme", list(crumbs.LABELS))
def test_section_from_theme_category_label(theme: str) -> None:
    article = extract_article(crumbs.page(label=crumbs.LABELS[theme]), crumbs.URL)
    assert article.section == crumbs.SECTION


@pytest.mark.parametrize(
    "trail",
    [
        # a trail of the home page alone, or with only the current page after it
        '<div class="breadcrumb"><a href="/">Home</a></div>',
        f'<div class="breadcrumb"><a href="/">Home</a> » <span>{crumbs.TITLE}</span></div>',
        # a long plain-text trail whose last crumb is the headline, cut short
        '<div class="breadcrumbs">Start / Harbour Ferry Timetable…</div>',
    ],
)
def test_trail_without_a_section_gives_none(trail: str) -> None:
    assert extract_article(crumbs.page(trail=trail), crumbs.URL).section is None


def test_deepest_section_wins() -> None:
    trail = (
        f'<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/news/">News</a> › '
        f'<a href="/news/coast/">{crumbs._S}</a> › {crumbs.TITLE}</nav>'
    )
    assert extract_article(crumbs.page(trail=trail), crumbs.URL).section == crumbs.SECTION


def test_the_trail_the_page_shows_wins_over_a_generic_json_ld_trail() -> None:
    generic = (
        '<script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":['
        f'{{"position":1,"name":"Home","item":"{crumbs.HOME}"}},'
        f'{{"position":2,"name":"Blog posts","item":"{crumbs.HOME}blog/"}},'
        f'{{"position":3,"name":"{crumbs.TITLE}"}}]}}</script>'
    )
    html = crumbs.page(trail=generic + crumbs.TRAILS["jannah"])
    article = extract_article(html, crumbs.URL)
    assert (article.section, article.section_source) == (crumbs.SECTION, "breadcrumb")
