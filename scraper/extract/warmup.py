"""Importing this module warms the extractor up, once, in the importing process.

The extractor's libraries build much of their state on first use, not on import: dateparser
(which htmldate hands free-text dates to) loads and compiles every one of its locales the
first time a string matches none of them, about 1.7 s of CPU; trafilatura's fallbacks and
htmldate's patterns add a few tenths. A crawl's extraction workers are forked from one
forkserver, which preloads this module: every worker, including those that replace a
recycled pool, starts with that state instead of paying for it on its first pages.

A failure here is never an error: the worker is merely as cold as it would have been.
"""

from __future__ import annotations

import contextlib

import dateparser

from scraper.extract.article import extract_article

WARM_UP_URL = "https://warm-up.invalid/2021/03/14/a-sample-article/"

_PARAGRAPH = (
    "The harbour committee met on a grey morning to discuss the new ferry timetable, and the "
    "minutes record a long debate about winter crossings, fuel costs and the old pier. "
)

SAMPLE_PAGES: tuple[str, ...] = (
    # an article with no date metadata and a date written out in French under its headline:
    # the whole date cascade, the body and heading passes, trafilatura and its fallbacks
    "<html><head><title>A sample article - Warm-up Gazette</title></head><body>"
    "<nav><ul><li><a href='/news/'>News</a></li><li><a href='/sport/'>Sport</a></li></ul></nav>"
    "<article><h1>A sample article about the harbour</h1>"
    "<p class='byline'>By A. Writer, le 14 mars 2021</p>"
    f"<p>{_PARAGRAPH * 3}</p><h2>What comes next</h2><p>{_PARAGRAPH * 2}</p>"
    "<ul><li>First point of the list</li><li>Second point of the list</li></ul>"
    "</article><aside><h3>Most popular</h3><a href='/other/'>Another story</a></aside>"
    "<footer>Copyright 2021 Warm-up Gazette</footer></body></html>",
    # too short for trafilatura's own extraction: its justext rescue runs
    "<html><body><div><p>Only a line of text on this page.</p></div></body></html>",
)


def warm_up() -> None:
    with contextlib.suppress(Exception):
        # A string no locale knows: dateparser tries, and so loads, every one of them.
        dateparser.parse("14 qwertz 2021")
    for page in SAMPLE_PAGES:
        with contextlib.suppress(Exception):
            extract_article(page, WARM_UP_URL)


warm_up()
