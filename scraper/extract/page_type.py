"""Is this page an article? ``article``, ``listing`` (a home page, a section, tag, author or
search page: teasers linking to articles) or ``other`` (no article text: a form, an error
page, a bare image page), decided from general signals:

* what the page declares: a JSON-LD article type or ``og:type`` article; a JSON-LD
  ``CollectionPage`` / ``SearchResultsPage`` / ``ProfilePage`` / ``ItemList`` and no article;
* the URL's shape: the site's root, ``/tag/x``, ``/category/x``, ``/author/x``, ``/page/2``,
  a search;
* the page's structure, read before chrome removal: teasers (headings that link to other
  pages of the site, outside sidebars and footers);
* the body the reader kept: its words and paragraphs.

A page that declares itself an article is one unless its URL and structure both say listing.
``scraper.models.why_not_an_article`` reads the verdict off the record: ``scraper fetch``,
``scraper extract`` and the crawler all ask it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.jsonld import JsonLd
from scraper.extract.text import inside
from scraper.models import PageType
from scraper.urls import url_key

_TEASER_HEADINGS = "h1 a[href], h2 a[href], h3 a[href], h4 a[href], a[href] h2, a[href] h3"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TOKEN = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
"""Thai, kana and CJK ideographs: scripts written without spaces between words."""


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What the page as served says about its kind."""

    declared: PageType | None = None
    """``article`` or ``listing`` when the page's metadata says so."""
    declared_by: str = ""
    listing_url: str = ""
    """The URL shape that names a listing ("the site's home page", "a tag page"), else ""."""
    teasers: int = 0
    """Distinct pages of the site linked from headings outside sidebars and footers."""


def read_signals(
    tree: LexborHTMLParser, url: str | None, meta: dict[str, str], jsonld: JsonLd
) -> PageSignals:
    """The signals of the page as served (run before chrome removal)."""
    declared, declared_by = _declared(meta, jsonld)
    return PageSignals(
        declared=declared,
        declared_by=declared_by,
        listing_url=_listing_url(url),
        teasers=_teasers(tree, url),
    )


def classify(signals: PageSignals, body: str) -> tuple[PageType, str]:
    """The page's kind and the evidence for it, from its signals and the body kept."""
    words = text_words(body)
    blocks = [b for b in _PARAGRAPH_BREAK.split(body) if b.strip()]
    text = f"{words} words of text"
    teasers = f"{signals.teasers} links to other articles"
    structure = signals.teasers >= tuning.LISTING_MIN_TEASERS
    thin = words < tuning.ARTICLE_MIN_WORDS
    if signals.listing_url and (structure or thin):
        return "listing", f"{signals.listing_url}: {teasers}, {text}"
    if signals.declared == "article":
        return "article", f"{signals.declared_by}, {text}"
    if signals.declared in ("listing", "other") and (structure or thin):
        detail = teasers if signals.declared == "listing" else ""
        return signals.declared, ", ".join(filter(None, (signals.declared_by, detail, text)))
    if signals.teasers >= tuning.LISTING_MANY_TEASERS and thin:
        return "listing", f"{teasers}, {text}"
    if words < tuning.OTHER_MAX_WORDS and _paragraphs(blocks) <= 1:
        return "other", f"only {text}" if words else "no article text found on the page"
    return "article", f"{text} in {len(blocks)} blocks"


def _paragraphs(blocks: list[str]) -> int:
    """Blocks of at least a sentence's words (counted only for a short body)."""
    return sum(text_words(b) >= tuning.SENTENCE_MIN_WORDS for b in blocks)


def text_words(text: str) -> int:
    """Words of ``text``; a run of CJK or Thai characters, written without spaces, counts
    one word per CJK_CHARS_PER_WORD characters."""
    tokens = _TOKEN.findall(text)
    if not _UNSPACED.search(text):  # most pages: every token is a word
        return len(tokens)
    total = 0
    for token in tokens:
        if _UNSPACED.match(token):
            total += max(1, len(token) // tuning.CJK_CHARS_PER_WORD)
        else:
            total += 1
    return total


def _declared(meta: dict[str, str], jsonld: JsonLd) -> tuple[PageType | None, str]:
    articles = jsonld.types & sel.ARTICLE_TYPES - sel.PAGE_TYPES
    if articles:
        return "article", f"JSON-LD {sorted(articles)[0]}"
    og_type = meta.get("og:type", "").strip().lower()
    if og_type == "article":
        return "article", "og:type article"
    listings = jsonld.types & sel.LISTING_TYPES
    if listings:
        return "listing", f"JSON-LD {sorted(listings)[0]}"
    if og_type.split(".")[0] in sel.NOT_ARTICLE_OG_TYPES:
        return "other", f"og:type {og_type}"
    return None, ""


def _listing_url(url: str | None) -> str:
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    path = parts.path.strip("/").casefold()
    query = f"?{parts.query}" if parts.query else ""
    for name, pattern in sel.LISTING_URLS:
        if pattern.search(f"/{path}/" if path else "/") or (query and pattern.search(query)):
            return name
    if not path or path in sel.INDEX_PAGES:
        return "" if query else "the site's home page"
    return ""


def _teasers(tree: LexborHTMLParser, url: str | None) -> int:
    root = tree.body
    if root is None:
        return 0
    own = _key(url) if url else None
    host = _host(url) if url else ""
    seen: set[str] = set()
    for node in root.css(_TEASER_HEADINGS):
        link: LexborNode | None = node
        while link is not None and link.tag != "a":
            link = link.parent
        href = (link.attributes.get("href") or "").strip() if link is not None else ""
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        try:
            target = urljoin(url, href) if url else href
        except ValueError:  # a malformed link ("http://[::1") is nobody's teaser
            continue
        key = _key(target)
        if key is None or key == own or key in seen:
            continue
        target_host = _host(target)
        if host and target_host and target_host != host:
            continue  # another site's story: a link out, not a teaser
        if inside(node, sel.TEASER_EXCLUDED_ANCESTORS):
            continue
        seen.add(key)
    return len(seen)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _key(url: str) -> str | None:
    try:
        return url_key(url)
    except ValueError:
        return None
