"""Body sub-headings: how they are found around and inside what trafilatura keeps.

Pages are small stories written for these tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import extract_article
from scraper.extract.body import Body, Reader, extract_body
from tests.ferry_story import STORY, URL


def _extractor_output(xml: str) -> Reader:
    """A stand-in for trafilatura that returns ``xml`` (its output tree) for any page."""
    element = etree.fromstring(xml)
    text = "".join(element.itertext())
    document = SimpleNamespace(body=element, text=text)

    def read(html: str, url: str | None, *, precision: bool) -> object:
        return document

    return read


def _read_keeping_three_paragraphs(html: str) -> Body:
    """``html``'s body when trafilatura keeps only the story's first three paragraphs."""
    reader = _extractor_output("<body><p>{}</p><p>{}</p><p>{}</p></body>".format(*STORY))
    return extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader)


def test_headings_inside_a_kept_block_are_listed_in_order() -> None:
    # trafilatura sometimes passes a whole <div> through, headings and paragraphs inside it
    reader = _extractor_output(
        "<body><div><p>{}</p><head rend='h2'>What changes in June</head><p>{}</p>"
        "<head rend='h2'>Who asked for it</head><p>{}</p></div><p>{}</p></body>".format(*STORY),
    )
    tree = LexborHTMLParser("<html><body><p>placeholder</p></body></html>")
    body = extract_body(tree, URL, "Ferry to run every twenty minutes", reader=reader)
    assert body.headings == ["What changes in June", "Who asked for it"]
    # the nested paragraphs and headings are separate lines, not glued together
    assert f"{STORY[0]}\nWhat changes in June\n{STORY[1]}" in body.text


def test_heading_in_a_list_item_is_listed() -> None:
    reader = _extractor_output(
        "<body><p>{}</p><list><item><head rend='h3'>The north landing</head><p>{}</p></item>"
        "<item><head rend='h3'>The east landing</head><p>{}</p></item></list></body>".format(
            *STORY
        ),
    )
    tree = LexborHTMLParser("<html><body><p>placeholder</p></body></html>")
    body = extract_body(tree, URL, "Ferry to run every twenty minutes", reader=reader)
    assert body.headings == ["The north landing", "The east landing"]


def test_widget_title_inside_a_kept_block_is_not_a_heading() -> None:
    reader = _extractor_output(
        "<body><div><p>{}</p><head rend='h2'>Related posts</head><p>{}</p></div></body>".format(
            *STORY
        ),
    )
    tree = LexborHTMLParser("<html><body><p>placeholder</p></body></html>")
    assert extract_body(tree, URL, "Ferry", reader=reader).headings == []


def test_plain_page_headings_unchanged() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1><div>"
        f"<p>{STORY[0]}</p><h2>What changes in June</h2><p>{STORY[1]}</p>"
        f"<h2>Who asked for it</h2><p>{STORY[2]}</p><p>{STORY[3]}</p></div></main></body></html>"
    )
    article = extract_article(html, URL)
    assert article.headings == ["What changes in June", "Who asked for it"]


def test_dropped_heading_wrapped_alone_in_a_div_is_put_back() -> None:
    # page builders wrap each heading in its own <div>: the heading has no next sibling
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p><div class='block'><div class='heading'><h2>What changes in June</h2>"
        f"</div></div><p>{STORY[1]}</p><p>{STORY[2]}</p></main></body></html>"
    )
    body = _read_keeping_three_paragraphs(html)
    assert body.headings == ["What changes in June"]
    assert f"{STORY[0]}\n\nWhat changes in June\n\n{STORY[1]}" in body.text


def test_dropped_heading_before_a_short_line_is_put_back() -> None:
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p><h3>The north landing</h3><p>Rated: 4/5</p>"
        f"<p>{STORY[1]}</p></main></body></html>"
    )
    reader = _extractor_output(
        "<body><p>{}</p><p>Rated: 4/5</p><p>{}</p></body>".format(*STORY)
    )
    body = extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader)
    assert body.headings == ["The north landing"]
    assert f"{STORY[0]}\n\nThe north landing\n\nRated: 4/5" in body.text


def test_heading_whose_wrapper_holds_other_text_is_not_looked_past() -> None:
    # a teaser card inside the article: its title is not a heading of the story after it
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p><aside><h3>Bridge tolls rise again</h3><a href='/x'>More</a>"
        f"</aside><p>{STORY[1]}</p></main></body></html>"
    )
    reader = _extractor_output("<body><p>{}</p><p>{}</p></body>".format(*STORY))
    assert extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader).headings == []


@pytest.mark.parametrize(
    "anchor",
    [
        "<a class='anchor' href='#what-changes'>#</a>",
        "<a href='#what-changes' aria-label='Permalink'>¶</a>",
        "<a class='subhead' href='#what-changes'>#what-changes</a>",
    ],
)
def test_heading_permalink_is_not_part_of_the_heading(anchor: str) -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2 id='what-changes'>{anchor}What changes in June</h2>"
        f"<p>{STORY[1]}</p><h2>Who asked for it {anchor}</h2><p>{STORY[2]}</p>"
        "</main></body></html>"
    )
    article = extract_article(html, URL)
    assert article.headings == ["What changes in June", "Who asked for it"]
    assert "#" not in article.body and "¶" not in article.body


def test_heading_that_is_a_link_to_itself_keeps_its_text() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2><a href='#timetable'>timetable</a></h2>"
        f"<p>{STORY[1]}</p><p>{STORY[2]}</p></main></body></html>"
    )
    assert extract_article(html, URL).headings == ["timetable"]


def test_dropped_h1_section_heading_is_put_back_but_not_the_headline() -> None:
    # a page rendered from Markdown: h1 for the headline and for each section
    html = (
        "<html><body><main><h1>Ferry to run every twenty minutes</h1>"
        f"<p>{STORY[0]}</p><h1>Background</h1><p>{STORY[1]}</p></main></body></html>"
    )
    reader = _extractor_output("<body><p>{}</p><p>{}</p></body>".format(*STORY))
    title = "Ferry to run every twenty minutes | Riverside"
    body = extract_body(LexborHTMLParser(html), URL, title, reader=reader)
    assert body.headings == ["Background"]
    assert not body.text.startswith("Ferry")


def test_dropped_heading_is_put_back_when_the_sub_heading_after_it_was_dropped_too() -> None:
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p><h2>The landings</h2><h3>North landing</h3>"
        f"<p>{STORY[1]}</p></main></body></html>"
    )
    reader = _extractor_output("<body><p>{}</p><p>{}</p></body>".format(*STORY))
    body = extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader)
    assert body.headings == ["The landings", "North landing"]
    assert f"{STORY[0]}\n\nThe landings\n\nNorth landing\n\n{STORY[1]}" in body.text


def test_dropped_heading_before_a_line_inside_a_kept_block_splits_the_block() -> None:
    html = (
        "<html><body><main><div>"
        f"<p>{STORY[0]}</p><h2>What changes in June</h2><p>{STORY[1]}</p></div>"
        "</main></body></html>"
    )
    reader = _extractor_output("<body><div><p>{}</p><p>{}</p></div></body>".format(*STORY))
    body = extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader)
    assert body.headings == ["What changes in June"]
    assert body.text == f"{STORY[0]}\n\nWhat changes in June\n\n{STORY[1]}"


def test_table_of_contents_title_is_not_a_section_heading() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2>Table of Contents</h2><p>What changes in June; who asked.</p>"
        f"<h2>What changes in June</h2><p>{STORY[1]}</p><p>{STORY[2]}</p></main></body></html>"
    )
    assert extract_article(html, URL).headings == ["What changes in June"]


def test_dropped_heading_deep_in_builder_wrappers_is_put_back() -> None:
    # page builders nest a heading in several wrappers that hold nothing else
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p><div class='row'><div class='cell'><div class='widget'>"
        "<span class='module'><h2>What changes in June</h2></span></div></div></div>"
        f"<p>{STORY[1]}</p></main></body></html>"
    )
    reader = _extractor_output("<body><p>{}</p><p>{}</p></body>".format(*STORY))
    body = extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader)
    assert body.headings == ["What changes in June"]


def test_dropped_heading_whose_section_opens_with_a_dropped_list_is_put_back() -> None:
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p><h2>Pros and cons</h2><ul><li>Two more boats join the fleet</li>"
        "<li>The last crossing leaves at eleven in the evening</li></ul><p>Cons:</p><ul>"
        "<li>Fares are reviewed in the autumn and may rise after the review</li></ul>"
        f"<p>{STORY[1]}</p><h2>Fares</h2><p>{STORY[2]}</p>"
        "</main></body></html>"
    )
    reader = _extractor_output(
        "<body><p>{}</p><p>{}</p><head rend='h2'>Fares</head><p>{}</p></body>".format(
            *STORY
        )
    )
    body = extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader)
    assert body.headings == ["Pros and cons", "Fares"]
    # its section's opening is not in the body, so neither is the heading
    assert f"{STORY[0]}\n\n{STORY[1]}" in body.text


@pytest.mark.parametrize("dek_class", ["subtitle", "dek", "standfirst"])
def test_dek_under_the_headline_is_not_a_section_heading(dek_class: str) -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<h3 class='{dek_class} big'>The harbour board answers the north bank</h3>"
        f"<p>{STORY[0]}</p><h2>What changes in June</h2><p>{STORY[1]}</p><p>{STORY[2]}</p>"
        "</main></body></html>"
    )
    assert extract_article(html, URL).headings == ["What changes in June"]


def test_heading_text_double_encoded_as_latin_1_is_repaired() -> None:
    # the page's UTF-8 was once read as Windows-1252 and saved again: "â€™" for "’"
    broken = "Why the north bank’s queues grew".encode().decode("cp1252")
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2>{broken}</h2><p>{STORY[1]}</p><p>{STORY[2]}</p>"
        "</main></body></html>"
    )
    assert extract_article(html, URL).headings == ["Why the north bank’s queues grew"]


def test_heading_with_latin_letters_is_left_alone() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2>Â bientôt, café crème</h2><p>{STORY[1]}</p><p>{STORY[2]}</p>"
        "</main></body></html>"
    )
    assert extract_article(html, URL).headings == ["Â bientôt, café crème"]


@pytest.mark.parametrize(
    "furniture",
    [
        "Sign up for the Riverside newsletter",
        "Get our stories in your inbox",
        "Book a demo with Harbourline",
        "By Ann Marsh",
        "Harbour desk | 5 min read",
        "Advertisement: the autumn boat show",
        "Up next",
        "Related articles you may like",
        "You’ll also love...",
        "ICYMI: the week on the river",
    ],
)
def test_call_to_action_heading_is_not_a_section_heading(furniture: str) -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<h2>{furniture}</h2><p>{STORY[0]}</p><h2>What changes in June</h2><p>{STORY[1]}</p>"
        f"<p>{STORY[2]}</p></main></body></html>"
    )
    assert extract_article(html, URL).headings == ["What changes in June"]


def test_zero_width_characters_are_not_part_of_a_heading() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2>\u200dWhat changes in June\u200b</h2><p>{STORY[1]}</p>"
        f"<p>{STORY[2]}</p></main></body></html>"
    )
    assert extract_article(html, URL).headings == ["What changes in June"]


def test_dropped_table_of_contents_title_is_not_put_back_into_the_body() -> None:
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p><h2>Table of contents</h2><p>{STORY[1]}</p></main></body></html>"
    )
    reader = _extractor_output("<body><p>{}</p><p>{}</p></body>".format(*STORY))
    body = extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader)
    assert body.headings == []
    assert "Table of contents" not in body.text


def test_page_heading_the_extractor_kept_as_a_paragraph_is_listed() -> None:
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p><p>{STORY[1]}</p><div class='card'><h2>Harbour Line 4</h2>"
        "<img src='boat.jpg'></div></main></body></html>"
    )
    reader = _extractor_output(
        "<body><p>{}</p><p>{}</p><p>Harbour Line 4</p></body>".format(*STORY)
    )
    body = extract_body(LexborHTMLParser(html), URL, "Ferry", reader=reader)
    assert body.headings == ["Harbour Line 4"]


def test_question_lines_of_a_disclosure_or_faq_block_are_not_section_headings() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2>What changes in June</h2><p>{STORY[1]}</p>"
        f"<details><summary>Will fares go up?</summary><p>{STORY[2]}</p></details>"
        "<div class='schema-faq-section'><strong class='schema-faq-question'>"
        f"Where do I board?</strong><p>{STORY[3]}</p></div></main></body></html>"
    )
    article = extract_article(html, URL)
    assert article.headings == ["What changes in June"]
    assert "Will fares go up?" in article.body


def test_disclosure_holding_a_heading_element_keeps_it() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><details open><summary><h2>What changes in June</h2></summary>"
        f"<p>{STORY[1]}</p><p>{STORY[2]}</p></details></main></body></html>"
    )
    assert extract_article(html, URL).headings == ["What changes in June"]


def test_heading_that_links_to_another_page_of_the_site_is_not_a_section_heading() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2>What changes in June</h2><p>{STORY[1]}</p>"
        f"<h3><a href='/2024/04/11/bridge-repairs/'>Bridge repairs begin</a></h3><p>{STORY[2]}</p>"
        f"<h3><a href='#fares'>Fares</a></h3><p>{STORY[3]}</p></main></body></html>"
    )
    assert extract_article(html, URL).headings == ["What changes in June", "Fares"]


def test_heading_that_links_to_another_site_is_still_a_section_heading() -> None:
    html = (
        "<html><head><title>Ferry</title></head><body><main><h1>Ferry</h1>"
        f"<p>{STORY[0]}</p><h2><a href='https://boatyard.example/'>The Boatyard</a></h2>"
        f"<p>{STORY[1]}</p><p>{STORY[2]}</p></main></body></html>"
    )
    assert extract_article(html, URL).headings == ["The Boatyard"]


@pytest.mark.parametrize(
    "box",
    [
        # an image's caption set as a heading
        "<figure><img src='boats.jpg'><h2 class='caption'>Two refitted boats at the north"
        " landing. Photo: Harbour Board</h2></figure>",
        # a card linking to another story: its title is inside the link
        "<div class='promo'><a href='/2024/04/11/bridge-repairs/'><img src='b.jpg'>"
        "<span><h3>Bridge repairs begin on the eastern bank</h3></span></a></div>",
        # a box whose title heads a link (a donation button carrying the story's excerpt)
        "<div class='support'><h4>Support the harbour news desk:</h4>"
        f"<a class='donate' href='https://pay.example/give'>{STORY[1][:90]}...</a></div>",
    ],
    ids=["figure-caption", "card-link", "heading-over-link"],
)
def test_caption_or_teaser_heading_is_not_put_back_into_the_body(box: str) -> None:
    html = (
        "<html><body><main>"
        f"<p>{STORY[0]}</p>{box}<p>{STORY[1]}</p><h2>What changes in June</h2>"
        f"<p>{STORY[2]}</p></main></body></html>"
    )
    body = _read_keeping_three_paragraphs(html)
    assert body.headings == ["What changes in June"]
    assert f"{STORY[0]}\n\n{STORY[1]}\n\nWhat changes in June\n\n{STORY[2]}" == body.text
