"""Tags (article:tag, rel="tag" links, JSON-LD keywords; never the category) and the site
name (og:site_name, the JSON-LD publisher or site, the <title> suffix that agrees with the
host), on pages written for these tests."""

from __future__ import annotations

import pytest

from scraper.extract import extract_article
from tests.pages import PARAGRAPHS

URL = "https://dailymeridian.example/2024/03/05/harbour-ferry-timetable/"
TITLE = "Harbour Ferry Timetable Changes"
POSTED_IN = (
    '<span class="cat-links">Posted in <a href="/category/world/" rel="category tag">World</a>'
    "</span>"
)
TAG_LINKS = (  # some themes set the post's tag list in an <aside>
    '<aside class="tags">Tagged <a href="/tag/ferries/" rel="tag">ferries</a>, '
    '<a href="/tag/harbour/" rel="tag">harbour</a></aside>'
)
TAG_CLOUD = (
    '<aside class="widget widget_tag_cloud"><h2>Tags</h2><div class="tagcloud">'
    '<a href="/tag/elections/" rel="tag">elections</a> <a href="/tag/weather/" rel="tag">weather'
    "</a></div></aside>"
)


def _page(head: str = "", meta: str = "", *, title: str = f"{TITLE} – Daily Meridian") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
{head}</head><body><div class="site"><article class="post"><h1>{TITLE}</h1>
<div class="entry-meta">{POSTED_IN}</div><div class="entry-content">{body}</div>
<footer class="entry-footer">{meta}</footer></article>{TAG_CLOUD}</div></body></html>"""


@pytest.mark.parametrize(
    ("head", "meta"),
    [
        ("", TAG_LINKS),
        ('<meta property="article:tag" content="ferries">'
         '<meta property="article:tag" content="harbour">', ""),
        ('<script type="application/ld+json">{"@context":"https://schema.org",'
         '"@type":"NewsArticle","headline":"x","keywords":"ferries, harbour"}</script>', ""),
        ('<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
         '{"@type":"WebPage","@id":"#page"},{"@type":"Article","isPartOf":{"@id":"#page"},'
         '"keywords":["ferries","harbour"],"articleSection":["World"]}]}</script>', TAG_LINKS),
    ],
    ids=["rel-tag-links", "article-tag-meta", "json-ld-keywords", "json-ld-graph-keywords"],
)
def test_tags_are_the_page_tags_not_its_category(head: str, meta: str) -> None:
    article = extract_article(_page(head, meta), URL)
    assert article.tags == ["ferries", "harbour"]


def test_a_page_with_only_a_category_has_no_tags() -> None:
    assert extract_article(_page(), URL).tags == []


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:site_name" content="Daily Meridian">',
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"NewsArticle","headline":"x","publisher":{"@id":"https://dailymeridian.'
        'example/#org"}},{"@type":"NewsMediaOrganization","@id":"https://dailymeridian.'
        'example/#org","name":"Daily Meridian"}]}</script>',
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"WebSite",'
        '"name":"Daily Meridian","url":"https://dailymeridian.example/"}</script>',
        "",  # the <title> suffix alone, agreeing with the host
    ],
    ids=["og-site-name", "json-ld-publisher-by-id", "json-ld-website", "title-suffix"],
)
def test_site_name(head: str) -> None:
    assert extract_article(_page(head), URL).site_name == "Daily Meridian"


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Daily Meridian | Harbour Ferry Timetable Changes", URL),
        ("Harbour Ferry Timetable Changes :: The Daily Meridian", URL),
    ],
)
def test_site_name_from_a_title_part_that_names_the_host(title: str, url: str) -> None:
    assert extract_article(_page(title=title), url).site_name in ("Daily Meridian",
                                                                    "The Daily Meridian")


@pytest.mark.parametrize(
    ("title", "url"),
    [
        # the suffix is a section, not the site: it does not name the host
        (f"{TITLE} - Local News", URL),
        # a headline with a dash in it
        ("Ferry Timetable – What Changes in June", URL),
    ],
)
def test_title_suffix_that_does_not_name_the_host_is_not_the_site_name(
    title: str, url: str
) -> None:
    assert extract_article(_page(title=title), url).site_name is None


def test_title_suffix_confirmed_by_another_signal() -> None:
    head = '<meta name="application-name" content="Meridian Daily Online">'
    title = f"{TITLE} | Meridian Daily Online"
    article = extract_article(_page(head, title=title), "https://mdo-news.example/a/b/")
    assert article.site_name == "Meridian Daily Online"


def test_one_article_tag_meta_holding_the_list_is_split() -> None:
    head = '<meta property="article:tag" content="ferries,harbour">'
    assert extract_article(_page(head), URL).tags == ["ferries", "harbour"]
