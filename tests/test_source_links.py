"""The aggregator's credit line: which link is the source, and that no credit line stays in
the body. Pages written for these tests around the small ferry story."""

from __future__ import annotations

import pytest

from scraper.extract import extract_article
from tests.ferry_story import STORY, URL

ARTICLE = "https://harbourtimes.example/2024/05/01/ferry-every-twenty-minutes/"
OTHER_ARTICLE = "https://wire.example/news/ferries-timetable-change-4471"
HOME = "https://harbourtimes.example/"
WIRE_HOME = "https://wire.example/"

YOAST = (
    f'<p>The post <a rel="nofollow" href="{ARTICLE}">Ferry to run every twenty minutes</a> '
    f'appeared first on <a rel="nofollow" href="{HOME}">Harbour Times</a>.</p>'
)
REUTERS_LIKE = f'<p>Source: <a href="{WIRE_HOME}">Wire Service</a></p>'
ORIGINALLY = f'<p>Originally published at <a href="{OTHER_ARTICLE}">wire.example</a></p>'
VIA = f'<p>via <a href="{HOME}">Harbour Times</a></p>'
SEED_LIKE = f'<p><a href="{ARTICLE}" target="_blank" rel="noopener">Source link</a></p>'

CREDIT_TEXTS = (
    "appeared first on",
    "Harbour Times",
    "Originally published",
    "Source:",
    "Source link",
    "via ",
    "Wire Service",
)


def _page(*credits: str) -> str:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        "<html><head><title>Ferry to run every twenty minutes - Aggregator</title></head>"
        "<body><nav><a href='/'>Home</a></nav><article>"
        f"<h1>Ferry to run every twenty minutes</h1>{story}{''.join(credits)}</article>"
        "</body></html>"
    )


def _assert_clean_body(body: str) -> None:
    for paragraph in STORY:
        assert paragraph in body
    for text in CREDIT_TEXTS:
        assert text not in body, text


def test_yoast_footer_gives_the_article_not_the_home_page() -> None:
    article = extract_article(_page(YOAST), URL)
    assert article.source_link == ARTICLE
    _assert_clean_body(article.body)


@pytest.mark.parametrize(
    ("credits", "expected"),
    [
        ((YOAST, REUTERS_LIKE), ARTICLE),
        ((REUTERS_LIKE, YOAST), ARTICLE),
        ((ORIGINALLY, VIA), OTHER_ARTICLE),
        ((VIA, REUTERS_LIKE, SEED_LIKE), ARTICLE),
        ((SEED_LIKE, REUTERS_LIKE), ARTICLE),
        ((YOAST, ORIGINALLY), OTHER_ARTICLE),  # two article links: the last one, as before
    ],
    ids=["yoast+source", "source+yoast", "originally+via", "via+source+seed", "seed+source",
         "yoast+originally"],
)
def test_article_link_wins_over_home_page_and_every_credit_line_leaves_the_body(
    credits: tuple[str, ...], expected: str
) -> None:
    article = extract_article(_page(*credits), URL)
    assert article.source_link == expected
    _assert_clean_body(article.body)


def test_a_home_page_credit_alone_is_still_the_source() -> None:
    article = extract_article(_page(REUTERS_LIKE), URL)
    assert article.source_link == WIRE_HOME
    _assert_clean_body(article.body)


def test_a_paragraph_citing_a_link_is_not_a_credit_line() -> None:
    cited = (
        "The harbour board published the new timetable on its own site, "
        f'<a href="{ARTICLE}">where the crossings are listed</a>, and in the weekly bulletin.'
    )
    article = extract_article(_page(f"<p>{cited}</p>"), URL)
    assert article.source_link is None
    assert "where the crossings are listed" in article.body


def test_a_link_roundup_keeps_its_via_lines() -> None:
    entries = "".join(
        f"<h2>Story number {n} from along the river</h2><p>{STORY[n % 4]}</p>"
        f'<p>via News {n} <a href="https://news{n}.example/">news{n}.example</a></p>'
        for n in range(1, 6)
    )
    html = _page(entries)
    body = extract_article(html, URL).body
    assert sum(f"via News {n}" in body for n in range(1, 6)) == 4  # one is the credit line
