"""Fuzzing the extractor: arbitrary bytes and mutated real-looking pages raise nothing but
``ExtractError`` (bounded: a few hundred examples, no example database written)."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.encoding import decode_html
from scraper.errors import ExtractError
from scraper.extract import extract_article
from tests import pages
from tests.fault_server import article_html

FUZZ = settings(max_examples=200, deadline=10_000, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SEEDS: tuple[str, ...] = (
    pages.wordpress_jsonld("https://example.com/2024/03/05/a/"),
    pages.plain_theme("https://example.com/2024/03/05/b/"),
    pages.microdata_theme("https://example.com/2024/03/05/c/"),
    article_html(90),
)
FRAGMENTS = ("<", ">", "</div>", "<div>", "<p>", "<script>", "</script>", "<!--", "-->",
             "<![CDATA[", "&", "&#x0;", "&#xD800;", "&#99999999;", "\x00", "\ufffd", "\ud800",
             '<meta charset="utf-16">', '<script type="application/ld+json">{"@type":',
             '"datePublished": "9999-99-99"', '<time datetime="0000-00-00T99:99">',
             '<base href="javascript:x">', '<a href="http://[::1">x</a>', "<svg><math>",
             "<table><tr><td>", "<h1>", "</h1>", "\u202e", "<template>", "<plaintext>")


def check(html: str, url: str | None) -> None:
    with contextlib.suppress(ExtractError):  # anything else fails the test
        extract_article(html, url)


@FUZZ
@given(data=st.binary(max_size=20_000), url=st.none() | st.just("https://example.com/a/b/"))
def test_arbitrary_bytes_raise_only_extract_error(data: bytes, url: str | None) -> None:
    html, _codec = decode_html(data)
    check(html, url)


@st.composite
def mutated_pages(draw: st.DrawFn) -> str:
    html = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(html)))
        end = draw(st.integers(at, min(len(html), at + 2_000)))
        action = draw(st.sampled_from(("insert", "delete", "duplicate", "truncate", "text")))
        if action == "insert":
            fragment = draw(st.sampled_from(FRAGMENTS)) * draw(st.integers(1, 50))
            html = html[:at] + fragment + html[at:]
        elif action == "delete":
            html = html[:at] + html[end:]
        elif action == "duplicate":
            html = html[:end] + html[at:end] * draw(st.integers(1, 20)) + html[end:]
        elif action == "truncate":
            html = html[:at]
        else:
            html = html[:at] + draw(st.text(max_size=200)) + html[at:]
    return html


@FUZZ
@given(html=mutated_pages(), url=st.sampled_from((None, "https://example.com/2024/03/05/a/",
                                                  "not a url", "http://[::1")))
def test_mutated_pages_raise_only_extract_error(html: str, url: str | None) -> None:
    check(html, url)
