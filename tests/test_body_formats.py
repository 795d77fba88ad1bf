"""The body's structured forms: ``Article.blocks`` from both readers, ``to_markdown()`` and the
sanitised ``body_html`` (scraper/body_formats.py), and ``--format markdown|html``.

The pages are ours: a story with paragraphs, sub-headings at two levels, a nested list, an
ordered list, a two-paragraph quote, a table and preformatted text.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

import scraper
from scraper.body_formats import HTML_TAGS, body_html, to_markdown
from scraper.cli import main
from scraper.extract.article import extract_article
from scraper.extract.blocks import (
    Block,
    Heading,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Table,
    body_text,
)
from tests.fixture_site import NewsSite
from tests.httpserver import FixtureServer, html_reply

URL = "https://coast.example/2024/05/01/harbour-wall/"
OPENING = (
    "<p>The harbour wall at Saltmere will be rebuilt this summer, the council said on Monday"
    " after a debate that ran late into the evening.</p>"
    "<p>Engineers found cracks along the <a href='https://coast.example/report'>east arm</a>"
    " during the winter storms, and the quay has been closed to cars since February.</p>"
)
REPORT = "".join(
    f"<p>Part {n} of the report says the stones will come from the old quarry on the hill"
    " above the town, as they did a century ago.</p>" for n in range(4)
)
STRUCTURE = (
    "<h2>What changes</h2>"
    "<ul><li>New steps down to the beach<ul><li>on the east side</li><li>on the west side</li>"
    "</ul></li><li>A wider quay for the fish market</li></ul>"
    "<ol><li>Survey in May</li><li>Works from June</li></ol>"
    "<blockquote><p>It is long overdue, and the boats need it.</p>"
    "<p>We will all be glad when it is done.</p></blockquote>"
    "<h3>What it costs</h3>"
    "<table><tr><th>Item</th><th>Cost</th></tr><tr><td>Wall | stones</td><td>2.1m</td></tr>"
    "<tr><td>Steps</td><td>0.4m</td></tr></table>"
    "<h3>The tide tables</h3>"
    "<pre><code>high  06:12\nlow   12:30</code></pre>"
    "<p>Work starts in June and should be finished by the end of the year, weather"
    " permitting, the harbour master said.</p>"
)


def page(middle: str = "") -> str:
    return (
        "<!doctype html><html lang='en'><head><title>Harbour wall to be rebuilt | Coast Post"
        "</title><meta property='article:published_time' content='2024-05-01T09:00:00Z'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/news/'>News</a></nav><article>"
        f"<h1>Harbour wall to be rebuilt</h1>{OPENING}{middle}{STRUCTURE}</article>"
        "<footer>Coast Post</footer></body></html>"
    )


STRUCTURE_MD = """## What changes

- New steps down to the beach
  - on the east side
  - on the west side
- A wider quay for the fish market

1. Survey in May
2. Works from June

> It is long overdue, and the boats need it.
>
> We will all be glad when it is done.

### What it costs

| Item | Cost |
| --- | --- |
| Wall \\| stones | 2.1m |
| Steps | 0.4m |

### The tide tables

```
high  06:12
low   12:30
```

Work starts in June and should be finished by the end of the year, weather permitting, \
the harbour master said."""

STRUCTURE_HTML = """<h2>What changes</h2>
<ul><li>New steps down to the beach<ul><li>on the east side</li><li>on the west side</li></ul>\
</li><li>A wider quay for the fish market</li></ul>
<ol><li>Survey in May</li><li>Works from June</li></ol>
<blockquote><p>It is long overdue, and the boats need it.</p><p>We will all be glad when it is \
done.</p></blockquote>
<h3>What it costs</h3>
<table><thead><tr><th>Item</th><th>Cost</th></tr></thead><tbody><tr><td>Wall | stones</td>\
<td>2.1m</td></tr><tr><td>Steps</td><td>0.4m</td></tr></tbody></table>
<h3>The tide tables</h3>
<pre><code>high  06:12
low   12:30</code></pre>
<p>Work starts in June and should be finished by the end of the year, weather permitting, \
the harbour master said.</p>"""


def opening_md() -> str:
    return (
        "The harbour wall at Saltmere will be rebuilt this summer, the council said on Monday"
        " after a debate that ran late into the evening.\n\nEngineers found cracks along the"
        " east arm during the winter storms, and the quay has been closed to cars since"
        " February."
    )


@pytest.mark.parametrize(("middle", "source", "fast"), [
    (REPORT, "lexbor", True),  # enough prose in a clear container: the fast reader
    ("", "trafilatura", True),  # too little for it: trafilatura
    (REPORT, "trafilatura", False),  # trafilatura forced on the longer page
])
def test_both_readers_give_the_structure(middle: str, source: str, fast: bool) -> None:
    kwargs = {} if fast else {"fast_reader": None}
    article = extract_article(page(middle), URL, **kwargs)  # type: ignore[arg-type]
    assert article.body_source == source
    assert body_text(article.blocks) == article.body  # the plain body is the blocks' text
    report = "\n\n".join(
        f"Part {n} of the report says the stones will come from the old quarry on the hill"
        " above the town, as they did a century ago." for n in range(4)) if middle else ""
    expected = "\n\n".join(p for p in (opening_md(), report, STRUCTURE_MD) if p)
    assert article.to_markdown() == expected
    assert article.body_html.endswith(STRUCTURE_HTML)
    assert [type(b).__name__ for b in article.blocks if not isinstance(b, Paragraph)] == [
        "Heading", "ListBlock", "ListBlock", "Quote", "Heading", "Table", "Heading",
        "Preformatted",
    ]


def test_a_record_without_blocks_renders_from_its_plain_body() -> None:
    article = scraper.Article(url=None, body="First.\n\nBy the sea\n\nLast line\nof it.",
                              headings=["By the sea"])
    assert article.to_markdown() == "First.\n\n## By the sea\n\nLast line\\\nof it."
    assert article.body_html == "<p>First.</p>\n<h2>By the sea</h2>\n<p>Last line<br>of it.</p>"


def test_markdown_escapes_what_would_read_as_markup() -> None:
    blocks: list[Block] = [
        Paragraph("# not a heading\n- not an item\n1. not a list\n<b>not bold</b>"),
        Paragraph("2.1 metres of wall, -3 degrees"),
        Preformatted("a ``` fence inside"),
        Table((("a|b", "c"), ("d",))),
    ]
    assert to_markdown(blocks) == (
        "\\# not a heading\\\n\\- not an item\\\n\\1. not a list\\\n\\<b>not bold\\</b>\n\n"
        "2.1 metres of wall, -3 degrees\n\n"
        "````\na ``` fence inside\n````\n\n"
        "| a\\|b | c |\n| --- | --- |\n| d | |"
    )


def test_html_levels_and_ordered_nesting() -> None:
    blocks: list[Block] = [
        Heading("Top", 1), Heading("Deep", 6),
        ListBlock(("one\ntwo", "three"), ordered=True,
                  children=((Paragraph("one"), ListBlock(("two",))), (Paragraph("three"),))),
    ]
    assert body_html(blocks) == (
        "<h2>Top</h2>\n<h6>Deep</h6>\n<ol><li>one<ul><li>two</li></ul></li><li>three</li></ol>"
    )
    assert to_markdown(blocks) == "# Top\n\n###### Deep\n\n1. one\n   - two\n2. three"


# the sanitiser, fuzzed ---------------------------------------------------------------------

PIECES = (
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "onerror=", "onclick='x'",
    "javascript:alert(1)", "<a href=\"javascript:alert(1)\">x</a>", "<style>*{}</style>",
    "<iframe src=//evil.example>", '"', "'", "<", ">", "&", "&amp;", "&#x3c;", "</p>",
    "<!--", "-->", "]]>", "<svg onload=alert(1)>", "`", "|", "\n", " ", "text", "é", "\u2028",
)


def _fuzz_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))


def _fuzz_block(rng: random.Random) -> Block:
    kind = rng.randrange(6)
    if kind == 0:
        return Heading(_fuzz_text(rng), rng.randint(1, 6))
    if kind == 1:
        items = tuple(_fuzz_text(rng) for _ in range(rng.randint(1, 3)))
        return ListBlock(items, ordered=rng.random() < 0.5)
    if kind == 2:
        return Quote(_fuzz_text(rng))
    if kind == 3:
        return Table(tuple(tuple(_fuzz_text(rng) for _ in range(2)) for _ in range(2)))
    if kind == 4:
        return Preformatted(_fuzz_text(rng))
    return Paragraph(_fuzz_text(rng))


def _assert_sanitised(markup: str) -> None:
    tree = LexborHTMLParser(f"<html><body>{markup}</body></html>")
    assert tree.body is not None
    root = tree.body.mem_id
    for node in tree.body.traverse(include_text=False):
        if node.mem_id == root:
            continue
        assert node.tag in HTML_TAGS, node.tag
        assert not node.attributes, node.attributes
    assert "javascript:" not in "".join(
        str(value) for node in tree.css("[href], [src]") for value in node.attributes.values())


def test_fuzzed_blocks_render_to_structural_tags_only_with_the_text_intact() -> None:
    rng = random.Random(16)
    for _ in range(400):
        blocks = [_fuzz_block(rng) for _ in range(rng.randint(1, 5))]
        markup = body_html(blocks)
        _assert_sanitised(markup)
        # the text survives as text, none of it as markup
        shown = LexborHTMLParser(markup).text(separator=" ")
        for block in blocks:
            if isinstance(block, Paragraph | Quote | Heading):
                for line in block.text.split("\n"):
                    assert " ".join(line.split()) in " ".join(shown.split())


def test_fuzzed_pages_through_the_extractor_give_sanitised_html() -> None:
    rng = random.Random(1616)
    for _ in range(40):
        noise = "".join(
            f"<p>{_fuzz_text(rng)} quay stones harbour wall tide {n}</p>"
            f"<div onclick='steal()'><script>bad({n})</script>{rng.choice(PIECES)}</div>"
            for n in range(6))
        try:
            article = scraper.extract(page(noise), url=URL, any_page=True)
        except scraper.ExtractError:
            continue
        _assert_sanitised(article.body_html)
        # the page's markup is gone (its text, escaped, may say "onclick=": that is text)
        assert "<script" not in article.body_html
        assert "steal()" not in article.body_html and "bad(" not in article.body_html


# the command line --------------------------------------------------------------------------


def test_fetch_format_markdown_and_html(server: FixtureServer) -> None:
    server.route("/2024/05/01/harbour-wall/", html_reply(page(REPORT)))
    url = server.url("/2024/05/01/harbour-wall/")
    result = CliRunner().invoke(main, ["fetch", url, "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(STRUCTURE_MD + "\n")
    assert result.stdout.startswith(opening_md())
    result = CliRunner().invoke(main, ["fetch", url, "--format", "html"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(STRUCTURE_HTML + "\n")


def test_fetch_format_markdown_from_the_fixture_site() -> None:
    with NewsSite(articles=2) as site:
        story = site.article_by_path(site.add_article(5).path)
        result = CliRunner().invoke(main, ["fetch", site.url(story.path), "--format",
                                           "markdown"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "\n\n".join(story.paragraphs) + "\n"


def test_extract_format_html(tmp_path: Path) -> None:
    path = tmp_path / "harbour.html"
    path.write_text(page(REPORT), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--url", URL, "--format", "html"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<p>The harbour wall at Saltmere")
    assert result.stdout.endswith(STRUCTURE_HTML + "\n")
