"""The lexbor reader of clear content containers (issue 17), on fixture pages written for
these tests: what it keeps of each kind of block, what it leaves out, when it hands the page
to trafilatura instead, and that the choice is archived."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.archive import Archive
from scraper.extract import extract_article
from scraper.extract.blocks import Heading, ListBlock, Preformatted, Quote, Table
from scraper.extract.body import Body, extract_body, remove_chrome

URL = "https://valleypost.example/2025/06/02/orchard-census/"
TITLE = "Volunteers Count Every Tree in the Old Hill Orchard"

STORY = [
    "Forty volunteers spent the long weekend walking the rows of the old hill orchard with "
    "clipboards, tagging every apple, pear and plum tree that still bears fruit.",
    "The orchard was planted by a farming cooperative in the 1920s and had not been surveyed "
    "since the cooperative sold the land to the town half a century ago.",
    "Organisers said the census found far more surviving trees than expected, including "
    "several local varieties that nurseries stopped selling decades ago.",
    "The town plans to graft cuttings from the rarest trees next winter so that the varieties "
    "can be planted again along the new walking path by the river.",
    "Several of the oldest pear trees lean badly after a storm last autumn, and the volunteers "
    "marked them for props before the fruit gets heavy in August.",
    "A retired teacher who led one of the teams said the work had brought neighbours together "
    "who had lived on the same lane for years without ever speaking.",
    "The census figures will be published on the town's website in July, with a map showing "
    "where each variety stands and which trees need care first.",
    "Anyone who wants to help with the grafting can sign up at the town hall; no experience is "
    "needed, the organisers said, only a free morning and a warm coat.",
]


def _page(article: str, *, container: str = "article") -> str:
    """A page with a header, a sidebar and a footer around ``article``, set in
    ``container``."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{TITLE} | Valley Post</title>
<meta property="og:title" content="{TITLE}">
<meta property="article:published_time" content="2025-06-02T09:30:00Z">
</head><body>
<header class="site-header"><a href="/">Valley Post</a>
<nav><a href="/news/">News</a> <a href="/sport/">Sport</a> <a href="/weather/">Weather</a></nav>
</header>
<div class="layout">
<{container}>
<h1>{TITLE}</h1>
{article}
</{container.split()[0]}>
<aside class="sidebar"><h3>Most read</h3><ul>
<li><a href="/2025/05/bridge/">Bridge repairs finish a week early</a></li>
<li><a href="/2025/05/market/">Saturday market moves to the square</a></li></ul></aside>
</div>
<footer class="site-footer"><p>Copyright Valley Post. All rights reserved.</p></footer>
</body></html>"""


def _paragraphs(*texts: str) -> str:
    return "\n".join(f"<p>{text}</p>" for text in texts)


def _body(html: str) -> Body:
    tree = LexborHTMLParser(html)
    remove_chrome(tree)
    return extract_body(tree, URL, TITLE)


STRUCTURED = _page(
    _paragraphs(STORY[0], STORY[1])
    + """
<h2>What the <a href="#varieties">census</a> found</h2>
<ul>
<li>Apple trees, of which
  <ul><li>Russet varieties</li><li>Cider varieties</li></ul>
</li>
<li>Pear trees along the south wall</li>
<li>Plum trees by the old barn</li>
</ul>
<blockquote><p>We expected a few dozen trees.</p><p>We found nearly three hundred.</p>
</blockquote>
<table><tr><th>Kind</th><th>Trees</th></tr><tr><td>Apple</td><td>212</td></tr>
<tr><td>Pear</td><td>51</td></tr></table>
<h3>How the trees were tagged</h3>
<pre><code><span class="token comment"># one line per tree</span>
tag = f"{row}-{column}"</code></pre>
"""
    + _paragraphs(*STORY[2:])
)


def test_clear_container_is_read_by_lexbor_with_its_structure() -> None:
    body = _body(STRUCTURED)
    assert body.source == "lexbor"
    kinds = {type(block) for block in body.blocks}
    assert {Heading, ListBlock, Quote, Table, Preformatted} <= kinds
    lists = [b for b in body.blocks if isinstance(b, ListBlock)]
    assert lists[0].items[0].split("\n") == ["Apple trees, of which", "Russet varieties",
                                             "Cider varieties"]
    assert lists[0].items[1:] == ("Pear trees along the south wall", "Plum trees by the old barn")
    quote = next(b for b in body.blocks if isinstance(b, Quote))
    assert quote.text == "We expected a few dozen trees.\nWe found nearly three hundred."
    table = next(b for b in body.blocks if isinstance(b, Table))
    assert table.rows == (("Kind", "Trees"), ("Apple", "212"), ("Pear", "51"))
    headings = [(b.text, b.level) for b in body.blocks if isinstance(b, Heading)]
    assert headings == [("What the census found", 2), ("How the trees were tagged", 3)]
    assert body.headings == ["What the census found", "How the trees were tagged"]


def test_code_listing_keeps_token_spans_named_like_chrome() -> None:
    body = _body(STRUCTURED)
    code = next(b for b in body.blocks if isinstance(b, Preformatted))
    assert code.text.split("\n") == ["# one line per tree", 'tag = f"{row}-{column}"']


def test_record_of_a_clear_page_and_of_the_same_page_read_by_trafilatura() -> None:
    fast = extract_article(STRUCTURED, URL)
    slow = extract_article(STRUCTURED, URL, fast_reader=None)
    assert (fast.body_source, slow.body_source) == ("lexbor", "trafilatura")
    for paragraph in STORY:
        assert paragraph in fast.body
        assert paragraph in slow.body
    for chrome in ("Most read", "Bridge repairs", "All rights reserved", TITLE):
        assert chrome not in fast.body
    assert fast.title == slow.title == TITLE
    assert fast.published == slow.published


SIGN_UP = _page(
    _paragraphs(*STORY)
    + """
<div class="newsletter-box"><p>Our free weekly letter brings stories like this one to
your inbox every Friday morning.</p><p>We will never share your address.</p></div>
"""
)

RECENT = _page(
    _paragraphs(*STORY)
    + """
<div class="wp-block-group"><h2>Recent articles</h2><ul>
<li><a href="/2025/05/30/cider-festival-returns/">Cider festival returns to the mill yard</a></li>
<li><a href="/2025/05/28/river-path/">River path opens its second stretch</a></li>
<li><a href="/2025/05/25/beekeepers/">Beekeepers ask for more wildflower verges</a></li>
</ul></div>
"""
)

CARDS = _page(
    _paragraphs(*STORY)
    + """
<section class="more"><h2>Recent articles</h2>
<div class="card"><h3><a href="/2025/05/30/cider-festival-returns/">Cider festival returns to
the mill yard</a></h3><p>Twelve presses and a brass band are back for the spring weekend.</p>
</div>
<div class="card"><h3><a href="/2025/05/28/river-path/">River path opens its second
stretch</a></h3><p>Walkers can now follow the water from the weir to the old mill.</p></div>
</section>
"""
)

CONTENTS = _page(
    "<p>Jump to a section:</p>"
    + '<p><a href="#found">What the census found</a></p>'
    + '<p><a href="#next">What comes next</a></p>'
    + _paragraphs(*STORY[:4])
    + '<h2 id="next"><a href="#next">What comes next</a></h2>'
    + _paragraphs(*STORY[4:])
)

HIDDEN = _page(
    _paragraphs(STORY[0], STORY[1])
    + """
<span class="sr-only">2025-06-02T09:30:00+00:00</span>
<div style="display: none">https://valleypost.example/images/orchard-census-wide.jpg</div>
<div hidden><p>Orchard census, volunteers, fruit trees, heritage varieties</p></div>
<p class="visually-hidden">Posted by the news desk</p>
"""
    + _paragraphs(*STORY[2:])
)

MACHINE = _page(
    _paragraphs(*STORY[:4])
    + """
<p>2025-06-02T09:30:00Z</p>
<p>https://valleypost.example/images/orchard-census-wide.jpg</p>
<ul><li>narrow-phone-layout</li><li>wide-desktop-layout</li></ul>
"""
    + _paragraphs(*STORY[4:])
)

FURNITURE = _page(
    _paragraphs(*STORY)
    + """
<div class="article-bottom"><p>Found a mistake? Tell us.</p></div>
<div class="link"><p>Our guide to planting.</p></div>
<div class="share-toolbar"><p>Copy the address.</p></div>
"""
)

AUTHOR_BIO = _page(
    _paragraphs(*STORY)
    + """
<div class="author-bio"><p>Mara Quill covers farming and the countryside for the Valley
Post. She grew up on a dairy farm on the far side of the hill.</p></div>
"""
)


def assert_fast_story_without(page: str, left_out: list[str]) -> None:
    """The page is read on the fast path, with every paragraph of the story and none of
    ``left_out``."""
    article = extract_article(page, URL)
    assert article.body_source == "lexbor"
    for paragraph in STORY:
        assert paragraph in article.body
    for text in left_out:
        assert text not in article.body, text

@pytest.mark.parametrize(
    ("page", "left_out"),
    [
        (SIGN_UP, ["free weekly letter", "never share your address"]),
        (RECENT, ["Recent articles", "Cider festival", "River path", "Beekeepers"]),
        (CARDS, ["Recent articles", "Cider festival", "Twelve presses", "from the weir"]),
        (CONTENTS, ["What the census found"]),
        (HIDDEN, ["2025-06-02T09:30", "orchard-census-wide.jpg", "heritage varieties",
                  "Posted by the news desk"]),
        (MACHINE, ["2025-06-02T09:30", "orchard-census-wide.jpg", "phone-layout"]),
        (FURNITURE, ["Found a mistake", "guide to planting", "Copy the address"]),
        (AUTHOR_BIO, ["Mara Quill", "dairy farm"]),
    ],
    ids=["sign-up-box-in-prose", "recent-articles-at-the-end", "teaser-cards-at-the-end",
         "in-page-contents", "hidden-structured-data",
         "visible-machine-text", "page-furniture-names",
         "author-bio"],
)
def test_boxes_that_are_not_the_article_are_left_out(page: str, left_out: list[str]) -> None:
    assert_fast_story_without(page, left_out)


def test_trailing_heading_with_nothing_under_it_is_dropped() -> None:
    page = _page(_paragraphs(*STORY) + "<h2>Share this story</h2>")
    body = _body(page)
    assert body.source == "lexbor"
    assert not isinstance(body.blocks[-1], Heading)
    assert body.blocks[-1].text == STORY[-1]


def _entry(n: int) -> str:
    return (
        f'<article class="post"><h2><a href="/post-{n}/">Entry {n}</a></h2>'
        + _paragraphs(*(f"{text} (entry {n})" for text in STORY))
        + "</article>"
    )


SHORT = _page(_paragraphs("The orchard census starts on Saturday at nine; bring gloves."))
LISTING = _page("".join(_entry(n) for n in range(3)), container="main")
NO_CONTAINER = _page(_paragraphs(*STORY[:5]), container='div class="story-wrap"')
LINKED = _page(
    "\n".join(
        f'<p>{text} See <a href="/orchard/{i}/">{text[:60]}</a>.</p>'
        for i, text in enumerate(STORY)
    )
)
BIG_BOX = _page(
    _paragraphs(STORY[0], STORY[1], STORY[2])
    + f'<div class="related-coverage">{_paragraphs(STORY[3], STORY[1])}</div>'
)


@pytest.mark.parametrize(
    "page",
    [SHORT, LISTING, NO_CONTAINER, LINKED, BIG_BOX],
    ids=["too-short", "listing-of-entries", "no-content-container", "link-heavy",
         "skipped-box-holds-much-prose"],
)
def test_pages_whose_container_is_not_clear_go_to_trafilatura(page: str) -> None:
    article = extract_article(page, URL)
    assert article.body_source in ("trafilatura", "container", "paragraphs")
    assert article.body_source != "lexbor"


def test_fast_reader_none_makes_trafilatura_read_every_page() -> None:
    assert extract_article(SIGN_UP, URL, fast_reader=None).body_source == "trafilatura"


def test_body_source_is_archived(tmp_path: Path) -> None:
    fast = extract_article(STRUCTURED, URL)
    slow = extract_article(LISTING, "https://valleypost.example/blog/")
    with Archive(tmp_path / "a.db") as archive:
        archive.save(fast)
        archive.save(slow)
    with sqlite3.connect(tmp_path / "a.db") as conn:
        stored = dict(conn.execute("SELECT url, body_source FROM articles").fetchall())
    assert stored == {URL: "lexbor", "https://valleypost.example/blog/": slow.body_source}
    assert slow.body_source != "lexbor"


LONG_BIO = _page(
    _paragraphs(*STORY)
    + """
<div class="author-bio"><p>Mara Quill covers farming, orchards and the countryside for the
Valley Post. She grew up on a dairy farm on the far side of the hill, studied plant science
in the city and came back to write about the valley's growers and their trees.</p></div>
"""
)
CAPTIONED = _page(
    _paragraphs(*STORY[:4])
    + """
<div class="photo-top"><img src="/images/orchard-rows.jpg" alt="Rows of trees">
<p>In this photo taken on the first morning of the census, volunteers from the Old Hill
orchard group, left to right, a retired teacher, two college students and the town's parks
officer, tag a pear tree planted by the farming cooperative. (Valley Post photo, file)</p></div>
"""
    + _paragraphs(*STORY[4:])
)


@pytest.mark.parametrize(
    ("page", "left_out"),
    [
        (LONG_BIO, ["Mara Quill", "plant science"]),
        (CAPTIONED, ["In this photo", "college students", "Valley Post photo"]),
    ],
    ids=["skipped-box-under-a-fifth-of-the-prose", "long-caption-beside-a-picture"],
)
def test_containers_losing_under_a_fifth_to_skipped_boxes_stay_on_the_fast_path(
    page: str, left_out: list[str]
) -> None:
    assert_fast_story_without(page, left_out)
