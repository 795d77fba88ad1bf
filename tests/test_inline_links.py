"""Inline links in the structured body (scraper/extract/links.py, scraper/body_formats.py):
kept through both readers with their absolute targets, rendered only when asked
(``links=True``, ``--links``), sanitised (only http, https and mailto; ``rel``), stored with
the blocks; and a ``<pre>`` without ``<code>`` read as code by both readers.

The pages are ours: a harbour story with links in paragraphs, a sub-heading, nested list
items, a quote and a table cell; relative, ``javascript:``, ``mailto:`` and in-page targets.
"""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

import scraper
from scraper.body_formats import HTML_TAGS, blocks_from_json, body_html, to_markdown
from scraper.cli import main
from scraper.extract.article import extract_article
from scraper.extract.blocks import (
    Block,
    Heading,
    Link,
    ListBlock,
    Paragraph,
    Preformatted,
    Quote,
    Table,
    body_text,
)
from scraper.extract.links import link_target
from tests.link_pages import LINKED_HTML, LINKED_MD, OPENING, PAGE, URL


def _plain(markdown: str) -> str:
    """The Markdown with each ``[text](url)`` as its text."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)


@pytest.mark.parametrize(("fast", "source"), [(True, "lexbor"), (False, "trafilatura")])
def test_both_readers_keep_the_links(fast: bool, source: str) -> None:
    kwargs = {} if fast else {"fast_reader": None}
    article = extract_article(PAGE, URL, **kwargs)  # type: ignore[arg-type]
    assert article.body_source == source
    assert article.to_markdown(links=True) == LINKED_MD
    assert article.to_html(links=True) == LINKED_HTML
    # asked for nothing, the forms hold the text alone, and the body is untouched
    assert article.to_markdown() == _plain(LINKED_MD)
    assert "<a " not in article.to_html() and article.to_html() == article.body_html
    assert body_text(article.blocks) == article.body
    assert article.body.startswith(OPENING)
    assert "http" not in article.body and "javascript" not in article.to_html(links=True)


@pytest.mark.parametrize("fast", [True, False])
def test_a_pre_without_code_is_code_for_both_readers(fast: bool) -> None:
    kwargs = {} if fast else {"fast_reader": None}
    article = extract_article(PAGE, URL, **kwargs)  # type: ignore[arg-type]
    code = [(b.kind, b.text) for b in article.blocks if isinstance(b, Preformatted | Quote)]
    assert code == [("quote", "We are pleased, said the chair.\nThe second line of the quote."),
                    ("preformatted", "high  06:12\nlow   12:30")]


@pytest.mark.parametrize(("href", "expected"), [
    ("../first/", "https://port.example/2024/first/"),
    ("/a?b=1#c", "https://port.example/a?b=1#c"),
    ("//cdn.example/x", "https://cdn.example/x"),
    ("HTTPS://Other.example/Y", "HTTPS://Other.example/Y"),
    ("mailto:desk@port.example", "mailto:desk@port.example"),
    (" \nhttps://spaced.example/ ", "https://spaced.example/"),
    ("/a b/c d", "https://port.example/a%20b/c%20d"),
    ("javascript:alert(1)", None),
    (" JavaScript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("data:text/html,<script>x</script>", None),
    ("vbscript:msgbox", None),
    ("#notes", None),
    ("mailto:", None),
    ("https://bad\x01.example/", None),
    ("", None),
])
def test_link_targets(href: str, expected: str | None) -> None:
    assert link_target(href, "https://port.example/2024/05/") == expected


def test_a_relative_link_on_a_page_without_url_is_left_out() -> None:
    assert link_target("/docs/", None) is None
    assert link_target("https://port.example/docs/", None) == "https://port.example/docs/"


# sanitiser fuzz -----------------------------------------------------------------------------

TARGETS = (
    "https://ok.example/a", "http://ok.example/b?c=1&d=2", "mailto:x@ok.example",
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:x",
    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "https://ok.example/\" onclick=\"x",
    "https://ok.example/<script>", "https://ok.example/a b (c) [d] |e|", "file:///etc/passwd",
    "//no-scheme.example/", "https:no-host", "mailto:",
)
PIECES = ("harbour", "<script>alert(1)</script>", "[x](javascript:y)", "a & b", "\"quoted\"",
          "<a href='javascript:z'>", "onmouseover=bad()", "# hash", "- dash", "|", "]", "`")


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))


def _links(rng: random.Random, text: str, **cell: int) -> tuple[Link, ...]:
    links = []
    for _ in range(rng.randint(0, 3)):
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text) + 2)  # now and then past the end: left out
        links.append(Link(start, end, rng.choice(TARGETS), **cell))
    return tuple(links)


def _block(rng: random.Random) -> Block:
    text = _text(rng)
    kind = rng.randrange(5)
    if kind == 0:
        return Heading(text, rng.randint(1, 6), links=_links(rng, text))
    if kind == 1:
        text = f"{text}\n{_text(rng)}"
        return Quote(text, links=_links(rng, text))
    if kind == 2:
        items = tuple(_text(rng) for _ in range(rng.randint(1, 3)))
        children = tuple((Paragraph(item, links=_links(rng, item)),) for item in items)
        return ListBlock(items, rng.random() < 0.5, children=children)
    if kind == 3:
        rows = tuple(tuple(_text(rng) for _ in range(2)) for _ in range(rng.randint(1, 3)))
        links = tuple(link for r, row in enumerate(rows) for c, cell in enumerate(row)
                      for link in _links(rng, cell, row=r, col=c))
        return Table(rows, links=links)
    return Paragraph(text, links=_links(rng, text))


def _assert_sanitised_with_links(markup: str) -> None:
    tree = LexborHTMLParser(f"<html><body>{markup}</body></html>")
    assert tree.body is not None
    root = tree.body.mem_id
    for node in tree.body.traverse(include_text=False):
        if node.mem_id == root:
            continue
        assert node.tag in HTML_TAGS, node.tag
        if node.tag != "a":
            assert not node.attributes, node.attributes
            continue
        assert set(node.attributes) == {"href", "rel"}, node.attributes
        assert node.attributes["rel"] == "nofollow noopener"
        href = node.attributes["href"] or ""
        assert href.startswith(("https://ok.example/", "http://ok.example/", "mailto:x@")), href


def test_fuzzed_linked_blocks_render_sanitised_with_the_text_intact() -> None:
    rng = random.Random(1616)
    for _ in range(500):
        blocks = [_block(rng) for _ in range(rng.randint(1, 4))]
        linked = body_html(blocks, links=True)
        _assert_sanitised_with_links(linked)
        # links add markup, never text: the text shown is the same as without them
        shown = LexborHTMLParser(linked).text(separator="")
        assert shown == LexborHTMLParser(body_html(blocks)).text(separator="")
        # the page's text makes no link in Markdown; the links made are the safe ones
        assert _md_link_targets(to_markdown(blocks)) == []
        for target in _md_link_targets(to_markdown(blocks, links=True)):
            assert target.startswith(SAFE), target
            assert not set(target) & set(" ()<>|\\"), target


SAFE = ("https://ok.example/", "http://ok.example/", "mailto:x@")


def _md_link_targets(markdown: str) -> list[str]:
    """The target of every ``](target)`` whose ``]`` is not escaped (an even run of
    backslashes before it)."""
    targets = []
    for match in re.finditer(r"(\\*)\]\(([^)]*)\)?", markdown):
        if len(match[1]) % 2 == 0:
            targets.append(match[2])
    return targets


# storage -------------------------------------------------------------------------------------


def test_the_archive_keeps_the_links_and_reads_blocks_stored_before_them(
    tmp_path: Path,
) -> None:
    article = scraper.extract(PAGE, url=URL)
    db_path = tmp_path / "archive.db"
    with scraper.Archive(db_path) as archive:
        saved = archive.save(article)
    with sqlite3.connect(db_path) as db:
        (stored,) = db.execute("SELECT blocks FROM revisions WHERE article_id = ?",
                               [saved.article_id]).fetchone()
    assert to_markdown(blocks_from_json(stored), links=True) == LINKED_MD
    result = CliRunner().invoke(main, ["show", str(saved.article_id), "--db", str(db_path),
                                       "--format", "html", "--links"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == LINKED_HTML + "\n"
    # blocks stored before links (no "links" key) read as before
    old = '[{"kind": "paragraph", "text": "Calm."}, {"kind": "table", "rows": [["a", "b"]]}]'
    assert body_html(blocks_from_json(old), links=True) == (
        "<p>Calm.</p>\n<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody></tbody>"
        "</table>")
    # a malformed stored link is left out, not an error
    odd = '[{"kind": "paragraph", "text": "Calm.", "links": [{"start": "x"}, 3]}]'
    assert to_markdown(blocks_from_json(odd), links=True) == "Calm."


def test_extract_command_links_flag(tmp_path: Path) -> None:
    path = tmp_path / "quay.html"
    path.write_text(PAGE, encoding="utf-8")
    args = ["extract", str(path), "--url", URL, "--format", "markdown"]
    plain = CliRunner().invoke(main, args)
    linked = CliRunner().invoke(main, [*args, "--links"])
    assert plain.exit_code == 0 and linked.exit_code == 0, plain.stderr + linked.stderr
    assert linked.stdout == LINKED_MD + "\n"
    assert plain.stdout == _plain(LINKED_MD) + "\n"
