"""The headline: the page's own h1 / headline, matched against what the page declares
(JSON-LD headline, og:title, <title>) with the site name stripped from those."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.jsonld import JsonLd, text_of
from scraper.extract.text import MAIN_CONTAINERS, clean, fold, node_text


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Remove " | Site", " - Site", "Site: " from a <title>/og:title."""
    parts = [p for p in sel.TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    folded_names = {fold(n).replace(" ", "") for n in site_names if n}

    def is_site(part: str) -> bool:
        folded = fold(part).replace(" ", "")
        return bool(folded) and any(
            folded == name
            or (
                len(name) >= tuning.SITE_NAME_MIN_CHARS
                and (name in folded or folded in name)
                and len(folded) <= len(name) + tuning.SITE_NAME_EXTRA_CHARS
            )
            for name in folded_names
        )

    for candidate in (parts[-1], parts[0]):
        if is_site(candidate):
            pattern = re.escape(candidate.strip())
            stripped = re.sub(
                rf"^\s*{pattern}\s*[|\-–—:·•»«/]*\s*|\s*[|\-–—:·•»«/]*\s*{pattern}\s*$", "", title
            )
            if stripped.strip() and len(stripped) >= tuning.TITLE_KEEP_SHARE * len(title):
                return clean(stripped)
    if " | " in title:  # a pipe almost always separates the site or section name
        head = clean(title.split(" | ")[0])
        if len(head.split()) >= tuning.PIPE_HEAD_MIN_WORDS:
            return head
    return title


def _h1_candidates(tree: LexborHTMLParser) -> list[LexborNode]:
    nodes = [n for n in tree.css("h1") if node_text(n)]
    main = [
        n for n in nodes if n.css_matches(", ".join(f"{c} *" for c in MAIN_CONTAINERS.split(", ")))
    ]
    return main + [n for n in nodes if n not in main]


def choose_title(
    tree: LexborHTMLParser, meta: dict[str, str], jsonld: JsonLd, site_names: list[str]
) -> tuple[str | None, str | None]:
    declared: list[tuple[str, str]] = []
    if headline := text_of(jsonld.article.get("headline")):
        declared.append((clean(html.unescape(headline)), "json-ld"))
    for key, source in (("og:title", "og:title"), ("twitter:title", "twitter:title")):
        if meta.get(key):
            declared.append((strip_site_name(meta[key], site_names), source))
    title_node = tree.css_first("head title") or tree.css_first("title")
    if title_node is not None and (page_title := node_text(title_node)):
        declared.append((strip_site_name(page_title, site_names), "title"))
    itemprop = tree.css_first("[itemprop=headline]")
    if itemprop is not None and itemprop.tag != "meta" and (text := node_text(itemprop)):
        declared.insert(0, (text, "microdata"))
    h1s = _h1_candidates(tree)[: tuning.H1_CANDIDATES]
    folded = [fold(text) for text, _ in declared]
    for node in h1s:
        text = node_text(node)
        f = fold(text)
        partial = len(f) > tuning.H1_PARTIAL_MIN_CHARS
        if f and any(f == d or (partial and (f in d or d in f)) for d in folded if d):
            return text, "h1"
    primary = _primary_h1(tree, h1s, site_names)
    if primary:
        return primary, "h1"
    if declared:
        return declared[0]
    return None, None


def _primary_h1(tree: LexborHTMLParser, h1s: list[LexborNode], site_names: list[str]) -> str | None:
    """The page's one headline-like h1: the first in the main content, or the only one."""
    if not h1s:
        return None
    in_main = h1s[0].css_matches(", ".join(f"{c} *" for c in MAIN_CONTAINERS.split(", ")))
    if not in_main and len(h1s) > 1:
        return None
    text = strip_site_name(node_text(h1s[0]), site_names)
    words = len(text.split())
    if words < tuning.HEADLINE_MIN_WORDS or len(text) > tuning.HEADLINE_MAX_CHARS:
        return None
    if any(fold(text) == fold(name) for name in site_names):
        return None
    return text


