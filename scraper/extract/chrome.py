"""Chrome removal, the body reader's first stage: the site's chrome (menus, widgets, pagers,
"Read also" pointers, heading permalinks) dropped from the tree before the article is read.

The one stage that edits the tree: it runs after everything that reads the page as served
(metadata, the dates of ``published.read_served_dates``) and before the body reader.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.nodes import HEADING_TAGS, link_chars, link_density, text_size
from scraper.extract.page_names import PageNames, narrowed
from scraper.extract.signup import remove_signup_boxes
from scraper.extract.text import clean, fold

_WORD = re.compile(r"\w")
_HEADING_NODES = "h2, h3, h4, h5, h6, .widget-title, .block-title, .widgettitle, .section-title"
_HEAD_CHROME = ", ".join(sel.HEAD_CHROME)
_CHROME_UNLESS_PROSE = ", ".join(sel.CHROME_UNLESS_PROSE)
_CHROME_HEADING_MAX = max(len(h) for h in sel.CHROME_HEADINGS) + tuning.CHROME_TITLE_EXTRA_CHARS
# compared in folded form: "top-themen" is "top themen" once folded, "share this:" is "share this"
_CHROME_HEADINGS = frozenset(fold(h) for h in sel.CHROME_HEADINGS)


def remove_chrome(tree: LexborHTMLParser, *, names: PageNames | None = None) -> None:
    """Drop site chrome in place: sign-up boxes, known chrome containers, then widget blocks
    by title. ``names``: the page's class and id names, when already read (the selector
    lists are narrowed to them)."""
    if tree.head is not None:  # metadata is read by now; what is left here only costs parsing
        for node in tree.head.css(_HEAD_CHROME):
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return
    remove_signup_boxes(tree, names=names)
    for node in root.css(narrowed(sel.CHROME_SELECTORS, names)):
        if node.tag not in ("body", "html"):  # a class on <body> names a layout, not a block
            node.decompose()
    for node in root.css(_CHROME_UNLESS_PROSE):
        if not _holds_prose(node):
            node.decompose()
    for node in root.css("p, h2, h3, h4, h5, h6, li"):
        text = clean(node.text(deep=True))
        pointer = len(text) <= tuning.SEE_ALSO_MAX_CHARS and sel.SEE_ALSO_PREFIX.match(text)
        if pointer or sel.PAGE_COUNT.match(text):
            node.decompose()
    _drop_heading_anchors(root)
    for heading in root.css(_HEADING_NODES):
        if is_chrome_heading(heading_text := heading.text(deep=True)):
            _drop_widget(heading, len(clean(heading_text)))


def _drop_widget(heading: LexborNode, heading_len: int) -> None:
    """Drop the widget a chrome title heads (its nearest ancestor with more text than the
    title, when that is mostly links), else the title alone."""
    container = heading
    for _ in range(tuning.CHROME_TITLE_LEVELS):
        parent = container.parent
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            break
        container = parent
        if len(clean(container.text(deep=True))) > heading_len * tuning.CHROME_TITLE_GROWTH:
            break
    if container is not heading and link_density(container) > tuning.CHROME_WIDGET_LINK_SHARE:
        container.decompose()
    else:
        heading.decompose()


def is_chrome_heading(text: str) -> bool:
    """A widget title: one of CHROME_HEADINGS, or one of several words followed by the
    name of the site or section ("More news from the Gazette", "Mehr zum Thema auf X")."""
    if len(text) > _CHROME_HEADING_MAX:
        return False
    folded = fold(text)
    if folded in _CHROME_HEADINGS:
        return True
    words = folded.split()
    first = max(tuning.CHROME_PHRASE_MIN_WORDS, len(words) - tuning.SITE_NAME_MAX_WORDS - 1)
    return any(
        words[at] in sel.CHROME_HEADING_SOURCE_WORDS and " ".join(words[:at]) in _CHROME_HEADINGS
        for at in range(first, len(words) - 1)
    )


def _holds_prose(node: LexborNode) -> bool:
    """Whether ``node`` holds paragraphs: at least PROSE_CHARS of <p> text outside links."""
    total = 0
    for paragraph in node.css("p"):
        total += text_size(paragraph) - link_chars(paragraph)
        if total >= tuning.PROSE_CHARS:
            return True
    return False


def _drop_heading_anchors(root: LexborNode) -> None:
    """Drop the permalink a theme puts in each heading (``<a href="#id">#</a>``, a pilcrow,
    "#id"): a link to the heading itself, whose text is a symbol or its own fragment."""
    for link in root.css(sel.HEADING_ANCHORS):
        text = clean(link.text(deep=True))
        fragment = (link.attributes.get("href") or "")[1:]
        if _WORD.search(text) and text.lstrip("#") != fragment:
            continue
        heading = link.parent
        while heading is not None and heading.tag not in HEADING_TAGS:
            heading = heading.parent
        if heading is not None and clean(heading.text(deep=True)) != text:
            link.decompose()
