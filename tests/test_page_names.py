"""The page's class and id names narrow the selector lists: never a selector that matches."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import selectors as sel
from scraper.extract import wall_markers as mk
from scraper.extract.page_names import narrowed, read_page_names

# No doctype: quirks mode, where lexbor matches class and id names case-insensitively.
QUIRKS_PAGE = """<html><head><title>t</title></head><body class="Single-Post">
<div id="Sidebar" class="widget-area  extra"><h3 class="widget-title">More</h3></div>
<nav class="Breadcrumbs"><a href="/">Home</a></nav>
<div class="entry-category"><a href="/world/">World</a></div>
<p class="STANDFIRST lead">The lead.</p>
<h2 class="Dek">A deck</h2><div class="Entry-Content"><p>Text.</p></div>
<div class="site-PAYWALL-box">Subscribe to continue reading</div>
<blockquote class="wp-embedded-content">q</blockquote>
<div class="navigation post-navigation">next</div>
<span itemprop="description">d</span>
</body></html>"""
STANDARDS_PAGE = "<!DOCTYPE html>" + QUIRKS_PAGE

LISTS = {
    "chrome": sel.CHROME_SELECTORS,
    "lead": sel.LEAD_SELECTORS,
    "breadcrumbs": sel.BREADCRUMB_SELECTORS,
    "category links": sel.CATEGORY_LINK_SELECTORS,
    "sign-up": sel.SIGNUP_CONTAINERS,
    "paywall": mk.PAYWALL_BLOCKS,
    "decks": tuple(sel.DEK_HEADINGS.split(", ")),
    "content containers": sel.MAIN_CONTENT_SELECTORS,
}


def _matched(tree: LexborHTMLParser, selectors: str) -> list[int]:
    return [node.mem_id for node in tree.css(selectors)] if selectors else []


@pytest.mark.parametrize("page", [QUIRKS_PAGE, STANDARDS_PAGE], ids=["quirks", "standards"])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_narrowed_lists_match_the_same_nodes(page: str, name: str) -> None:
    tree = LexborHTMLParser(page)
    names = read_page_names(tree)
    selectors = LISTS[name]
    assert _matched(tree, narrowed(selectors, names)) == _matched(tree, ", ".join(selectors))
    for selector in selectors:  # and each selector alone: none that matches is dropped
        if tree.css_first(selector) is not None:
            assert names.can_match(selector), selector


def test_selectors_naming_absent_classes_are_dropped() -> None:
    names = read_page_names(LexborHTMLParser(STANDARDS_PAGE))
    kept = names.narrow(sel.CHROME_SELECTORS).split(", ")
    assert "script" in kept and "[role=navigation]" in kept  # tags and roles always stay
    assert "#sidebar" in kept and ".widget-area" in kept and ".breadcrumbs" in kept
    assert ".td-main-sidebar" not in kept and "#disqus_thread" not in kept
    assert ".navigation.post-navigation" in kept
    assert names.narrow(('[class*="regwall" i]', '[class*="paywall" i]')) == (
        '[class*="paywall" i]'
    )
    assert names.narrow((".absent", "#absent")) == ""


def test_unknown_names_keep_every_selector() -> None:
    selectors = (".a", "#b", "p")
    assert narrowed(selectors, None) == ".a, #b, p"
    names = read_page_names(LexborHTMLParser("<p>no names</p>"))
    assert names.narrow((r".a\:b", "p:not(.absent)", "p")) == r".a\:b, p:not(.absent), p"
