"""Date parsing and the publication-date cascade, on small pages written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from scraper.extract import extract_article
from scraper.extract import selectors as sel
from scraper.extract.date_sources import DATE_SOURCES
from scraper.extract.dates import date_from_url, find_date_in_text, htmldate_guess, normalise_date
from scraper.extract.published import DateGuesser
from scraper.models import Hints

TODAY = date(2024, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-17T08:15:02+00:00", "2023-09-17T08:15:02+00:00"),
        ("2023-09-17T08:15:02Z", "2023-09-17T08:15:02+00:00"),
        ("2023-09-17", "2023-09-17"),
        ("September 17, 2023", "2023-09-17"),
        ("17 September 2023", "2023-09-17"),
        ("20230917", "2023-09-17"),
        ("2023-09-17T10:00:00", "2023-09-17T10:00:00"),
        ("2099-01-01", None),  # the future
        ("1990-05-05", None),  # before 1995
        ("2019", None),  # a year is not a day
        ("March 2024", None),  # nor is a month
        ("no date here", None),
        ("", None),
    ],
)
def test_normalise_date(text: str, expected: str | None) -> None:
    assert normalise_date(text, today=TODAY) == expected


def test_dates_written_out_in_text() -> None:
    assert find_date_in_text("By Jo | Posted on March 5, 2024", today=TODAY) == "2024-03-05"
    assert find_date_in_text("Stand: 05.03.2024, 10:00 Uhr", today=TODAY) == "2024-03-05"
    assert find_date_in_text("5. Jan. 2024", today=TODAY) == "2024-01-05"
    assert find_date_in_text("nothing", today=TODAY) is None


def test_date_from_url() -> None:
    assert date_from_url("https://x.example/2023/09/17/story/") == "2023-09-17"
    assert date_from_url("https://x.example/2023/13/40/story/") is None
    assert date_from_url("https://x.example/story/") is None


PROSE = "<p>" + "Some article text for the body of this page. " * 20 + "</p>"
"""Enough article text for the page to have a body."""


def page(head: str, body: str) -> str:
    return (
        f"<html><head>{head}</head><body><h1>A Headline For Testing Dates</h1>{body}"
        f"{PROSE}</body></html>"
    )


def test_local_offset_preferred_over_same_instant_in_utc() -> None:
    html = page(
        '<meta property="article:published_time" content="2023-11-09T03:28:35+00:00">',
        '<time datetime="2023-11-08T19:28:35-08:00">Nov 8</time>',
    )
    article = extract_article(html, "https://x.example/story/")
    assert article.published == "2023-11-08T19:28:35-08:00"
    assert article.date_source == "time"


def test_url_day_wins_over_a_timestamp_one_day_off() -> None:
    html = page('<meta property="article:published_time" content="2023-11-09T03:28:35+00:00">', "")
    article = extract_article(html, "https://x.example/2023/11/08/story/")
    assert article.published == "2023-11-08"
    assert article.date_source == "url"


def test_url_day_one_day_off_a_midday_timestamp_does_not_win() -> None:
    stamp = "2023-11-09T13:28:35-05:00"  # no time zone puts this instant on the 8th
    html = page(f'<meta property="article:published_time" content="{stamp}">', "")
    article = extract_article(html, "https://x.example/2023/11/08/story/")
    assert article.published == stamp


def _guessing(day: str | None) -> DateGuesser:
    """A whole-page date search that finds ``day`` on any page."""

    def guess(html: str, url: str | None) -> str | None:
        return day

    return guess


STORY = "https://x.example/story/"


def test_htmldate_does_not_outvote_two_sources_that_agree() -> None:
    guess = _guessing("2020-02-18")
    head = (
        '<meta property="article:published_time" content="2020-02-19T18:37:32+01:00">'
        '<meta name="datepublished" content="2020-02-18T18:12:26+01:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A",'
        ' "datePublished": "2020-02-19T18:37:32+01:00"}</script>'
    )
    article = extract_article(page(head, ""), STORY, date_guesser=guess)
    assert article.published == "2020-02-19T18:37:32+01:00"
    # the odd one out listed first: the two that agree go before it
    guess = _guessing("2023-05-01")
    head = (
        '<meta property="article:published_time" content="2023-05-01T09:00:00+02:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2023-05-03T09:00:00+02:00"}</script>'
    )
    body = '<p class="byline">Published on 3 May 2023 by the desk</p>'
    assert extract_article(page(head, body), STORY, date_guesser=guess).published == (
        "2023-05-03T09:00:00+02:00"
    )
    # the same instant in UTC twice against a local visible day: htmldate still settles it
    guess = _guessing("2020-02-18")
    head = (
        '<meta property="article:published_time" content="2020-02-19T01:10:00+00:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A",'
        ' "datePublished": "2020-02-19T01:10:00+00:00"}</script>'
    )
    body = '<time datetime="2020-02-18">18 February 2020</time>'
    assert extract_article(page(head, body), STORY, date_guesser=guess).published == "2020-02-18"


def test_header_date_bar_and_sidebar_dates_are_ignored() -> None:
    html = (
        '<html><body><div class="top-bar">Friday, September 22, 2023</div>'
        '<aside><time datetime="2023-09-21">Sept 21</time></aside>'
        "<article><h1>A Headline For Testing Dates</h1>"
        '<div class="entry-meta">Published September 17, 2023</div>'
        f"{PROSE}</article></body></html>"
    )
    article = extract_article(html, "https://x.example/story/")
    assert article.published == "2023-09-17"


def test_no_date_anywhere_is_none() -> None:
    article = extract_article(page("", ""), "https://x.example/story/")
    assert article.published is None and article.date_source is None


def test_local_midnight_stored_in_utc_is_the_next_day() -> None:
    html = page('<meta property="article:published_time" content="2021-11-04T23:00:00+00:00">', "")
    assert extract_article(html, "https://x.example/story/").published == "2021-11-05"


def test_disagreeing_sources_are_settled_by_a_whole_page_search() -> None:
    head = (
        '<meta property="article:published_time" content="2023-05-01T09:00:00+02:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2023-05-03T09:00:00+02:00"}</script>'
    )
    html = page(head, "<p>Filed on 1 May 2023.</p>")
    article = extract_article(html, "https://x.example/story/")
    judge = htmldate_guess(html, "https://x.example/story/")
    assert judge is not None and article.published is not None
    assert article.published[:10] == judge[:10]
    assert article.date_source is not None and article.date_source.endswith("+htmldate")
    agreeing = page('<meta property="article:published_time" content="2023-05-03">', "")
    assert extract_article(agreeing, "https://x.example/story/").date_source == (
        "meta:article:published_time"
    )


def test_a_copyright_year_is_not_a_publication_date() -> None:
    html = page("", "<footer>© 2019 The Example Times</footer>")
    assert extract_article(html, "https://x.example/story/").published is None


def test_fallback_searches_the_whole_page_when_the_cleaned_one_has_only_a_year() -> None:
    html = (
        "<html><head><title>A story</title></head><body><p>Archive</p>"
        "<script>showDate('2020/04/17 01:43:09')</script>"
        f"<h1>A Headline For Testing Dates</h1>{PROSE}"
        "<footer>© 2019 The Example Times</footer></body></html>"
    )
    article = extract_article(html, "https://x.example/story/")
    assert article.published == "2020-04-17"
    assert article.date_source == "htmldate"


def test_local_midnight_only_where_the_language_keeps_central_european_time() -> None:
    head = '<meta property="article:published_time" content="2021-11-04T23:00:00+00:00">'
    german = page(head, "").replace("<html>", '<html lang="de-DE">')
    english = page(head, "").replace("<html>", '<html lang="en-US">')
    assert extract_article(german, "https://x.example/story/").published == "2021-11-05"
    published = extract_article(english, "https://x.example/story/").published
    assert published is not None and published[:10] == "2021-11-04"


def test_a_generic_meta_date_ranks_after_the_visible_date() -> None:
    html = page(
        '<meta name="date" content="2023-05-10T08:00:00+02:00">',
        '<time datetime="2023-05-03T09:00:00+02:00">3 May 2023</time>',
    )
    article = extract_article(html, "https://x.example/story/")
    assert article.published == "2023-05-03T09:00:00+02:00"
    assert article.date_source == "time"
    alone = page('<meta name="dc.date" content="2023-05-10">', "")
    assert extract_article(alone, "https://x.example/story/").published == "2023-05-10"


def test_the_day_printed_under_the_headline_beats_metadata_the_page_never_shows() -> None:
    head = '<meta property="article:published_time" content="2021-11-29T14:13:37+00:00">'
    html = page(head, '<p class="author">Jo Writer · 12.01.2022</p>')
    article = extract_article(html, "https://x.example/story/")
    assert article.published == "2022-01-12"
    assert article.date_source == "headline"


def test_the_metadata_day_stays_when_the_page_prints_it_somewhere() -> None:
    head = '<meta property="article:published_time" content="2021-11-29T14:13:37+00:00">'
    html = page(
        head, "<p>Jo Writer · 12 January 2022</p><footer>First published 29.11.2021</footer>"
    )
    assert extract_article(html, "https://x.example/story/").published == (
        "2021-11-29T14:13:37+00:00"
    )


def test_a_printed_day_one_time_zone_away_from_a_near_midnight_timestamp_does_not_win() -> None:
    for stamp, printed in (
        ("2021-11-29T23:13:37+00:00", "30.11.2021"),  # late evening, printed the next day
        ("2021-11-29T02:10:00+00:00", "28.11.2021"),  # early morning, printed the day before
    ):
        head = f'<meta property="article:published_time" content="{stamp}">'
        article = extract_article(
            page(head, f"<p>Jo Writer · {printed}</p>"), "https://x.example/a/"
        )
        assert article.published == stamp, printed
    head = '<meta property="article:published_time" content="2021-11-29T14:13:37+00:00">'
    midday = extract_article(page(head, "<p>Jo Writer · 30.11.2021</p>"), "https://x.example/a/")
    assert midday.published == "2021-11-30"  # midday: no time zone makes it the next day


def test_an_update_label_under_the_headline_does_not_replace_the_metadata() -> None:
    head = '<meta property="article:published_time" content="2021-11-29T14:13:37+00:00">'
    for label in ("Updated on", "Aktualisiert am", "Last updated:"):
        html = page(head, f"<p>Jo Writer · {label} January 12, 2022</p>")
        assert extract_article(html, "https://x.example/story/").published == (
            "2021-11-29T14:13:37+00:00"
        ), label


def test_days_in_text_skip_slashed_numbers() -> None:
    from scraper.extract.dates import days_in_text

    text = "Posted 03/04/2021, revised 5. Jan. 2024 and 2023-09-17"
    assert [day for _, day in days_in_text(text, today=TODAY)] == ["2024-01-05", "2023-09-17"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Veröffentlicht am 12. März 2022", "2022-03-12"),
        ("Publié le 1er janvier 2020", "2020-01-01"),
        ("Publicado el 3 de marzo de 2021", "2021-03-03"),
        ("Pubblicato il 12 maggio 2019", "2019-05-12"),
        ("Geplaatst op 4 oktober 2018", "2018-10-04"),
        ("31 février 2020", None),
    ],
)
def test_dates_written_out_in_other_languages(text: str, expected: str | None) -> None:
    assert find_date_in_text(text, today=TODAY) == expected


def test_dotted_numeric_dates_are_day_first() -> None:
    assert normalise_date("01.11.2023", today=TODAY) == "2023-11-01"
    assert normalise_date("01.03.2023", today=TODAY) == "2023-03-01"
    assert normalise_date("Di., 05.03.2024 - 14:45", today=TODAY) == "2024-03-05T14:45:00"


def test_a_time_element_with_a_non_iso_attribute_is_read_from_its_written_text() -> None:
    html = page("", '<time datetime="05-03-2024 10:29">5. März 2024, 10:29</time>')
    article = extract_article(html, "https://x.example/story/")
    assert article.published == "2024-03-05"
    assert article.date_source == "time"


def test_a_time_attribute_the_page_never_prints_gives_way_to_the_printed_day() -> None:
    html = page(
        "",
        "<p>von Jo Writer am 20.09.2020</p>"
        '<time datetime="2020-09-23T18:19:06+02:00">vor drei Tagen</time>',
    )
    article = extract_article(html, "https://x.example/story/")
    assert article.published == "2020-09-20"
    assert article.date_source == "headline"


def test_the_printed_headline_day_is_the_last_resort() -> None:
    no_guess = _guessing(None)  # htmldate finds none
    html = (
        "<html><head><title>Advent calendar, part 2</title></head><body>"
        "<div><h1>Advent calendar, part 2</h1></div><div><span>20 December 2023</span></div>"
        f"{PROSE}</body></html>"
    )
    article = extract_article(html, "https://x.example/story/", date_guesser=no_guess)
    assert article.published == "2023-12-20"
    assert article.date_source == "headline"


def test_a_menu_link_to_a_month_archive_does_not_date_the_page() -> None:
    html = page("", "").replace(
        "<body>",
        '<body><div class="sidebar"><a href="https://x.example/2024/03/other-story/">Other</a>'
        "</div>",
    )
    assert extract_article(html, "https://x.example/story/").published is None


def test_the_modified_date_is_the_last_resort() -> None:
    no_guess = _guessing(None)  # htmldate finds none
    html = page('<meta itemprop="dateModified" content="2019-06-13">', "")
    article = extract_article(html, "https://x.example/recipes/cake/", date_guesser=no_guess)
    assert article.published == "2019-06-13"
    assert article.date_source == "modified"


def test_comment_list_and_footer_dates_do_not_date_the_article() -> None:
    no_guess = _guessing(None)  # htmldate finds none
    body = (
        '<div class="entry">Posted 26 May 2008 by Ann</div>'
        '<ol class="commentlist"><li class="pingback"><div class="comment-meta">'
        "18 March 2009 at 16:40</div>A pingback</li></ol>"
    )
    article = extract_article(page("", body), STORY, date_guesser=no_guess)
    assert article.published == "2008-05-26"
    forum = (
        "<html><body><div><h1>A Headline For Testing Dates</h1>"
        "<p>" + "Some forum post text for the body of this page. " * 20 + "</p></div>"
        '<div id="page-footer"><p class="time">Current time: 14.10.2020, 12:18</p></div>'
        "</body></html>"
    )
    forum_page = extract_article(forum, "https://x.example/viewtopic/", date_guesser=no_guess)
    assert forum_page.published is None


def test_json_ld_with_a_stray_brace_comments_or_trailing_commas_is_read() -> None:
    for block in (
        '{"@type": "NewsArticle", "datePublished": "2020-10-26T18:10:00+01:00"}\n}',
        '{"@type": "NewsArticle",\n // "author": "",\n'
        ' "datePublished": "2020-10-26T18:10:00+01:00",\n}',
    ):
        head = f'<script type="application/ld+json">{block}</script>'
        article = extract_article(page(head, ""), "https://x.example/story/")
        assert article.published == "2020-10-26T18:10:00+01:00", block



def test_a_date_line_above_the_headline_yields_to_the_day_printed_under_it() -> None:
    html = (
        '<html><body><header><span class="date-edition">Mon. 5 August 2019</span></header>'
        "<h1>A Headline For Testing Dates</h1><p>27 June 2019 by Elba</p>"
        f"{PROSE}</body></html>"
    )
    article = extract_article(html, "https://x.example/story/")
    assert (article.published, article.date_source) == ("2019-06-27", "headline")
    # with nothing printed under the headline, the line above it dates the page
    html = html.replace("<p>27 June 2019 by Elba</p>", "")
    assert extract_article(html, "https://x.example/story/").published == "2019-08-05"


def test_the_headline_is_the_first_h1_of_two_words_not_an_empty_logo_h1() -> None:
    html = (
        '<html><body><header><h1><a href="/"><img src="/logo.png" alt=""></a></h1>'
        '<span class="date">Wednesday, 26.02.2020</span></header>'
        "<main><h1>A Headline For Testing Dates</h1><p>1 May 2017</p>"
        f"{PROSE}</main></body></html>"
    )
    article = extract_article(html, "https://x.example/story/")
    assert (article.published, article.date_source) == ("2017-05-01", "headline")


def test_a_slashed_date_that_cannot_be_month_first_is_read() -> None:
    from scraper.extract.dates import days_in_text, slashed_days

    assert days_in_text("Posted 15/07/2014, updated 07/16/2014") == [
        (7, "2014-07-15"), (27, "2014-07-16")
    ]
    assert days_in_text("Posted 03/04/2021") == []  # 3 April or 4 March: a guess
    assert slashed_days("Posted 03/04/2021") == {"2021-04-03", "2021-03-04"}


def test_a_slashed_date_confirms_the_metadata_day_against_an_older_day_in_the_lead() -> None:
    lead = "<p>On 14 June 2005 the founder gave a speech that is still quoted.</p>"
    for printed in ("15/07/2014", "7/15/2014 7/28/2014"):
        html = page(
            '<meta property="article:published_time" content="2014-07-15T11:00:29+01:00">',
            f"<p>Published {printed} by the desk</p>{lead}",
        )
        article = extract_article(html, "https://x.example/story/")
        assert article.published == "2014-07-15T11:00:29+01:00", printed


def test_the_one_day_a_page_prints_is_the_last_resort() -> None:
    no_guess = _guessing(None)  # htmldate finds none
    text = "<p>" + "How to choose and fit a new boiler, step by step. " * 10 + "</p>"
    late = "<p>The installer came back for a check on 23 January 2025 and found no fault.</p>"
    html = page("", f"<div>{text}{late}</div>")
    article = extract_article(html, "https://x.example/guide/", date_guesser=no_guess)
    assert (article.published, article.date_source) == ("2025-01-23", "text")
    # two different days printed: no telling which one dates the page
    second = "<p>A second visit followed on 2 February 2025.</p>"
    html = page("", f"<div>{text}{late}{second}</div>")
    article = extract_article(html, "https://x.example/guide/", date_guesser=no_guess)
    assert article.published is None


@pytest.mark.parametrize("key", sel.PUBLISHED_META)
def test_each_published_meta_key_is_named_in_the_date_source(key: str) -> None:
    article = extract_article(page(f'<meta name="{key}" content="2023-05-03">', ""), STORY)
    assert (article.published, article.date_source) == ("2023-05-03", f"meta:{key}")
    assert article.date_source in DATE_SOURCES


@pytest.mark.parametrize(
    "key", [key for key in sel.PUBLISHED_META if key not in sel.GENERIC_DATE_META]
)
def test_each_leading_meta_key_settled_by_htmldate_is_named_so(key: str) -> None:
    head = (
        f'<meta name="{key}" content="2023-05-01">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2023-05-03"}</script>'
    )
    article = extract_article(page(head, ""), STORY, date_guesser=_guessing("2023-05-01"))
    assert (article.published, article.date_source) == ("2023-05-01", f"meta:{key}+htmldate")
    assert article.date_source in DATE_SOURCES


def test_a_listing_hint_dates_only_a_page_that_gives_no_date() -> None:
    hint = Hints(published="2022-03-04", source="sitemap")
    bare = extract_article(page("", ""), STORY, hints=hint)
    assert (bare.published, bare.date_source) == ("2022-03-04", "sitemap")
    dated = page('<meta property="article:published_time" content="2023-05-03">', "")
    article = extract_article(dated, STORY, hints=hint)
    assert (article.published, article.date_source) == (
        "2023-05-03", "meta:article:published_time"
    )
