"""The extractor on fixture pages written for these tests, in several theme markups."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from scraper.encoding import decode_html
from scraper.errors import ExtractError
from scraper.extract import extract_article
from scraper.models import Hints
from tests import pages

URL = "https://bayherald.example/2024/03/05/solar-desalination-plant/"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


def _text(build: Callable[[str], str]) -> str:
    return build(URL)


MARKUPS = {
    "wordpress-jsonld": lambda: pages.wordpress_jsonld(URL),
    "plain-visible-date-h3": lambda: pages.plain_theme(URL),
    "microdata-only": lambda: pages.microdata_theme(URL),
    "windows-1252-meta": lambda: decode_html(pages.legacy_charset(URL))[0],
}


@pytest.mark.parametrize("markup", list(MARKUPS))
def test_same_article_in_every_markup(markup: str) -> None:
    article = extract_article(MARKUPS[markup](), URL)
    expected_title = pages.LEGACY_TITLE if markup == "windows-1252-meta" else pages.TITLE
    assert article.title == expected_title
    assert article.published is not None and article.published[:10] == pages.DAY
    assert article.headings == pages.HEADINGS
    assert article.source_link == pages.SOURCE
    for paragraph in pages.PARAGRAPHS:
        assert paragraph in article.body
    for heading in pages.HEADINGS:
        assert f"\n\n{heading}\n\n" in article.body
    for chrome in pages.CHROME:
        assert chrome not in article.body, chrome
    assert article.word_count > 100
    assert len(article.content_hash) == 64


@pytest.mark.parametrize("markup", ["wordpress-jsonld", "plain-visible-date-h3", "microdata-only"])
def test_section_found_without_site_name(markup: str) -> None:
    article = extract_article(MARKUPS[markup](), URL)
    assert article.section == pages.SECTION
    assert article.section_source is not None


def test_sources_are_recorded_for_debugging() -> None:
    article = extract_article(pages.wordpress_jsonld(URL), URL)
    assert article.date_source == "meta:article:published_time"
    assert article.published == f"{pages.DAY}T09:30:00+01:00"  # the offset is kept
    assert article.section_source == "json-ld"
    assert article.title_source == "h1"
    assert article.authors == ["Jo Reed"]
    assert article.site_name == "Bay Herald"
    assert article.canonical_url == URL


def test_visible_date_wins_over_header_date_bar() -> None:
    article = extract_article(pages.plain_theme(URL), URL.replace("/2024/03/05", ""))
    assert article.published == pages.DAY
    assert article.date_source in ("time", "htmldate", "text")


def test_title_site_suffix_stripped_when_no_h1() -> None:
    html = "<html><head><title>Harbour Works Delayed Again | Bay Herald</title>"
    html += '<meta property="og:site_name" content="Bay Herald"></head><body><p>'
    html += " ".join(pages.PARAGRAPHS) + "</p></body></html>"
    assert extract_article(html, URL).title == "Harbour Works Delayed Again"


def test_same_body_same_hash_across_markups() -> None:
    hashes = {extract_article(MARKUPS[m](), URL).content_hash for m in ("wordpress-jsonld",)}
    assert len(hashes) == 1
    a = extract_article(pages.wordpress_jsonld(URL), URL)
    b = extract_article(pages.wordpress_jsonld(URL).replace("Tuesday", "Wednesday"), URL)
    assert a.content_hash != b.content_hash


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x00\x00"])
def test_empty_input_is_an_extract_error(bad: str) -> None:
    with pytest.raises(ExtractError):
        extract_article(bad, URL)


def test_broken_html_still_yields_a_record() -> None:
    html = "<html><body><div><div><p>" + pages.PARAGRAPHS[0] + "<p>" + pages.PARAGRAPHS[1]
    article = extract_article(html, URL)
    assert pages.PARAGRAPHS[1] in article.body


@pytest.mark.skipif(not SEED.is_dir(), reason="../shared/seed not present")
def test_seed_page_yields_the_expected_record() -> None:
    expected = json.loads((SEED / "tagdiv.json").read_text(encoding="utf-8"))
    html, _ = decode_html((SEED / "tagdiv.html").read_bytes())
    article = extract_article(html, expected["url"])
    assert article.title == expected["title"]
    assert article.published is not None and article.published[:10] == expected["published"]
    assert article.section == expected["section"]
    assert article.headings == expected["headings"]
    assert article.source_link == expected["source_link"]
    for snippet in expected["body_must_contain"]:
        assert snippet in article.body
    for snippet in expected["body_must_not_contain"]:
        assert snippet not in article.body


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            '<script type="application/ld+json">'
            '{"@type":"NewsArticle","articleSection":"Main Blog,Politics"}</script>',
            "Politics",
        ),
        (
            '<script type="application/ld+json">'
            '{"@type":"NewsArticle","articleSection":["News","Science"]}</script>',
            "Science",
        ),
        (
            '<script type="application/ld+json">'
            '{"@type":"NewsArticle","articleSection":"News"}</script>',
            "News",
        ),
        (
            '<footer class="entry-footer">Posted in '
            '<a rel="category tag" href="/c/garden/">Garden</a></footer>',
            "Garden",
        ),
        ('<aside class="widget"><a rel="category tag" href="/c/x/">Sidebar Cat</a></aside>', None),
    ],
)
def test_section_rules(markup: str, expected: str | None) -> None:
    html = (
        f"<html><head>{markup}</head><body><h1>Harbour Works Delayed Again</h1>"
        f"<p>{' '.join(pages.PARAGRAPHS)}</p>{markup}</body></html>"
    )
    assert extract_article(html, "https://x.example/2024/03/harbour/").section == expected


def test_container_blocks_fill_what_trafilatura_dropped_between_kept_blocks() -> None:
    from selectolax.lexbor import LexborHTMLParser

    from scraper.extract.container import container_blocks

    first = "The council opened the new cycle bridge over the canal on a wet Monday morning."
    table = "Opening hours for the bridge lift are seven in the morning to ten at night."
    tips = "Cyclists must dismount on the ramps during the first month of operation."
    last = "Engineers will inspect the bearings again in spring, the council said in a note."
    comment = "Great news, I have waited for this bridge for ten years and will use it daily."
    html = (
        "<html><body><article>"
        f"<p>{first}</p><table><tr><td>{table}</td></tr></table><ul><li>{tips}</li>"
        "<li><a href='/a'>Other story about trams and buses in town</a></li></ul>"
        f"<p>{last}</p><div class='talk'><p>{comment}</p></div></article></body></html>"
    )
    container = LexborHTMLParser(html).css_first("article")
    assert container is not None
    blocks = container_blocks(container, [first, last], "")
    assert blocks == [first, table, tips, last]  # no link list, nothing after the last kept
    assert container_blocks(container, ["nowhere on this page at all"], "") == [
        "nowhere on this page at all"
    ]


_ITEMS = [
    "Households may fill two containers a day at the harbour tap until the plant runs fully.",
    "Farmers keep their irrigation quota until the end of the month.",
    "Schools get water deliveries on Mondays and Thursdays.",
]


def _page_with_list(items: str) -> str:
    """A page whose theme trafilatura reads only by its paragraphs: it drops the list."""
    p = pages.PARAGRAPHS
    return (
        f"<html><head><title>{pages.TITLE}</title></head><body><header><a href='/'>Home</a>"
        f"</header><h1>{pages.TITLE}</h1><section class='publication-content'><div class='block'>"
        f"<div class='block__content'><p>{p[0]}</p><p>{p[1]}</p>{items}<p>{p[2]}</p>"
        "</div></div></section><footer><p>Copyright</p></footer></body></html>"
    )


_ROWS = (("Monday", 120), ("Tuesday", 135), ("Wednesday", 150))


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<ul>" + "".join(f"<li>{item}</li>" for item in _ITEMS) + "</ul>", ["\n".join(_ITEMS)]),
        # the headings over and after the list were dropped with it: put back by the heading pass
        (
            "<h2>What Households Can Do</h2><ul>"
            + "".join(f"<li>{item}</li>" for item in _ITEMS)
            + "</ul><h2>Where the Water Comes From</h2>",
            ["What Households Can Do", "\n".join(_ITEMS), "Where the Water Comes From"],
        ),
        (
            "<table><tr><th>Day</th><th>Water per household</th></tr>"
            + "".join(f"<tr><td>{day}</td><td>{n} litres</td></tr>" for day, n in _ROWS)
            + "</table>",
            ["\n".join(["Day Water per household"] + [f"{d} {n} litres" for d, n in _ROWS])],
        ),
    ],
    ids=["list", "headed-list", "table"],
)
def test_block_dropped_between_two_kept_paragraphs_is_put_back(
    markup: str, expected: list[str]
) -> None:
    body = extract_article(_page_with_list(markup), "https://x.example/a/").body
    blocks = body.split("\n\n")
    assert blocks[2 : 2 + len(expected)] == expected  # in its place, a line per item or row
    assert blocks[1].startswith(pages.PARAGRAPHS[1][:40])
    assert blocks[2 + len(expected)].startswith(pages.PARAGRAPHS[2][:40])


@pytest.mark.parametrize(
    "markup",
    [
        # share tools and the date under the headline, named so by their classes
        "<ul><li class='entry-date'>5 March 2024</li><li class='share'>Share this story on "
        "the social networks</li><li class='print'>Print this page for later reading</li></ul>",
        # a row of cards: each item a picture and a caption
        "<ul>" + "".join(f"<li><img src='/{n}.jpg'>{item}</li>" for n, item in enumerate(_ITEMS))
        + "</ul>",
        # a list of links to other stories
        "<ul>" + "".join(f"<li><a href='/{n}/'>{item}</a></li>" for n, item in enumerate(_ITEMS))
        + "</ul>",
    ],
    ids=["furniture", "cards", "links"],
)
def test_dropped_furniture_lists_stay_dropped(markup: str) -> None:
    body = extract_article(_page_with_list(markup), "https://x.example/a/").body
    assert "Share this story" not in body
    assert _ITEMS[1] not in body


def test_article_shipped_once_per_screen_size_is_read_once() -> None:
    paragraphs = [f"{text} (part {n} of the report)" for n in range(4) for text in pages.PARAGRAPHS]
    copy = "".join(f"<p>{text}</p>" for text in paragraphs)
    variants = "".join(f"<div class='variant hidden-{size}'>{copy}</div>" for size in "sml")
    html = f"<html><body><h1>{pages.TITLE}</h1><article>{variants}</article></body></html>"
    body = extract_article(html, "https://x.example/a/").body
    assert body.split("\n\n") == paragraphs


def test_a_listing_hint_titles_only_a_page_that_gives_no_title() -> None:
    hint = Hints(title="Harbour desalination plant opens", source="feed")
    prose = "<p>" + "The plant turns sea water into drinking water for the town. " * 12 + "</p>"
    untitled = extract_article(f"<html><body>{prose}</body></html>", URL, hints=hint)
    assert (untitled.title, untitled.title_source) == (hint.title, "feed")
    titled = extract_article(MARKUPS["wordpress-jsonld"](), URL, hints=hint)
    assert titled.title is not None and titled.title != hint.title
