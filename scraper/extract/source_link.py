"""The aggregator's credit line ("Source link", "Source: <a>", "Originally published at",
"The post <a>Title</a> appeared first on <a>Site</a>."): found, its link resolved, and every
credit line removed from the tree so its text never reaches the body.

With several credit links, a link to an article wins over a link to a home page (the
Yoast footer links both, a "Source: Reuters" line often only the agency's home page); among
equals the last one wins (aggregators append it at the end of the post). A page with more
credit lines than an aggregator adds (``tuning.SOURCE_MAX_CREDIT_LINES``) is a link roundup
whose "via ..." lines are content: only the chosen line leaves it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.nodes import outermost
from scraper.extract.page_names import PageNames, narrowed
from scraper.extract.text import clean

_BLOCKS = ("p", "div", "span", "li", "em", "strong", "small", "section", "footer", "figure")
_NOT_CONTENT = (
    "nav",
    "aside",
    ".sidebar",
    ".widget",
    "#comments",
    ".comments",
    ".related",
    ".td-footer-wrapper",
    ".site-footer",
    "header",
)
_SOURCE_CONTAINERS = ", ".join(sel.SOURCE_CONTAINER_SELECTORS)


def _href(anchor: LexborNode, base: str | None) -> str | None:
    href = (anchor.attributes.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    absolute = urljoin(base, href) if base else href
    return absolute if absolute.startswith(("http://", "https://")) else None


def _squash(text: str) -> str:
    """:func:`clean` without the regex: this runs on every link of the page."""
    return " ".join(text.split())


def _block_of(anchor: LexborNode) -> LexborNode:
    node = anchor
    while node.parent is not None and node.parent.tag in _BLOCKS and node.tag not in ("p", "li"):
        node = node.parent
        if len(_squash(node.text(deep=True))) > tuning.SOURCE_BLOCK_MAX_CHARS:
            break
    return node


@dataclass(frozen=True, slots=True)
class _Credit:
    """A credit line: the node removed with it, and its links in page order."""

    node: LexborNode
    hrefs: tuple[str, ...]


def _block_hrefs(block: LexborNode, base: str | None) -> tuple[str, ...]:
    anchors = [block] if block.tag == "a" else block.css("a[href]")
    return tuple(href for anchor in anchors if (href := _href(anchor, base)) is not None)


def _candidates(
    tree: LexborHTMLParser, base: str | None, names: PageNames | None
) -> list[_Credit]:
    found: list[_Credit] = []
    # one query first: most pages have none of these containers (then the per-selector
    # queries, which keep the selectors' order, are skipped)
    possible = sel.SOURCE_CONTAINER_SELECTORS if names is None else tuple(
        filter(names.can_match, sel.SOURCE_CONTAINER_SELECTORS))
    any_container = _SOURCE_CONTAINERS if names is None else ", ".join(possible)
    containers = possible if any_container and tree.css_first(any_container) else ()
    for selector in containers:
        for container in tree.css(selector):
            anchor = container if container.tag == "a" else container.css_first("a[href]")
            if anchor is not None and (href := _href(anchor, base)):
                found.append(_Credit(container, (href,)))
    if found:
        return found
    # links in menus, sidebars, footers... are never the source link: the containers found
    # in one query, then the links under each (cheaper than one "nav a[href], ..." query,
    # which tests every link's ancestors against each container); a container that is itself
    # a link is not under itself (lexbor's css() matches the node it is called on)
    chrome: set[int] = set()
    for container in tree.css(narrowed(_NOT_CONTENT, names)):
        itself = container.mem_id
        chrome.update(a.mem_id for a in container.css("a[href]") if a.mem_id != itself)
    for anchor in tree.css("a[href]"):
        if anchor.mem_id in chrome:
            continue
        text = _squash(anchor.text(deep=True))
        if sel.SOURCE_LINK_TEXT.match(text.casefold().strip(" :.»›→>()[]")):
            node = _removable(anchor)
            hrefs: tuple[str, ...] = (href,) if (href := _href(anchor, base)) else ()
        else:
            if _follows_link(anchor):
                continue  # in a run of links (menus, link farms): not a "Source:" line
            lead = _lead_text(anchor)
            if len(lead) > tuning.SOURCE_LEAD_MAX_CHARS:
                continue
            if not sel.SOURCE_BLOCK_PREFIX.match(f"{lead} {text}".strip()):
                continue  # cheap test first: most links have no "Source:" before them
            node = _block_of(anchor)
            block_text = _squash(node.text(deep=True))
            if len(block_text) >= tuning.SOURCE_BLOCK_MAX_CHARS:
                continue
            if not sel.SOURCE_BLOCK_PREFIX.match(block_text):
                continue
            # every link of the line: the Yoast footer's article link comes before the label
            # is complete ("The post <a>Title</a> appeared first on <a>Site</a>")
            hrefs = _block_hrefs(node, base)
        if hrefs and all(node.mem_id != credit.node.mem_id for credit in found):
            found.append(_Credit(node, hrefs))
    return found


_INLINE = frozenset({"span", "em", "strong", "b", "i", "small", "font", "u"})


def _follows_link(anchor: LexborNode) -> bool:
    """Whether the nearest non-blank thing before ``anchor`` in its parent is another link."""
    sibling = anchor.prev
    while sibling is not None and not sibling.is_element_node:
        if (sibling.text() or "").strip():
            return False
        sibling = sibling.prev
    return sibling is not None and sibling.tag == "a"


def _lead_text(anchor: LexborNode) -> str:
    """The text just before ``anchor`` in its block ("Source: " in "Source: <a>...</a>")."""
    node = anchor
    parts: list[str] = []
    for _ in range(tuning.SOURCE_LEAD_LEVELS):
        sibling = node.prev
        while sibling is not None and len(parts) < tuning.SOURCE_LEAD_PIECES:
            parts.append(sibling.text(deep=True) if sibling.is_element_node else sibling.text())
            sibling = sibling.prev
        if "".join(parts).strip() or node.parent is None or node.parent.tag not in _INLINE:
            break
        node = node.parent
    return _squash("".join(reversed(parts)))


def _removable(anchor: LexborNode) -> LexborNode:
    """The anchor's block if it holds little else, otherwise the anchor alone."""
    block = _block_of(anchor)
    rest = len(clean(block.text(deep=True))) - len(clean(anchor.text(deep=True)))
    return block if rest < tuning.SOURCE_BLOCK_REST_CHARS else anchor


def is_home_page(url: str) -> bool:
    """Whether ``url`` is a site's front page (no path beyond an index file)."""
    path = urlsplit(url).path.strip("/")
    return not path or path.casefold() in sel.INDEX_PAGES


def _choose(credits: list[_Credit]) -> str:
    """The last link to an article, else the last link."""
    hrefs = [href for credit in credits for href in credit.hrefs]
    articles = [href for href in hrefs if not is_home_page(href)]
    return (articles or hrefs)[-1]


def take_source_link(
    tree: LexborHTMLParser, base: str | None, *, names: PageNames | None = None
) -> str | None:
    """Find the source link, remove every credit line from ``tree``, return the link's
    absolute URL (``names``: the page's class and id names, when already read)."""
    credits = _candidates(tree, base, names)
    if not credits:
        return None
    href = _choose(credits)
    if len(credits) > tuning.SOURCE_MAX_CREDIT_LINES:
        # a link roundup: each entry's "via ..." line is part of the post; only the chosen
        # one goes, as the credit line
        credits = [next(c for c in reversed(credits) if href in c.hrefs)]
    for node in outermost([credit.node for credit in credits]):
        node.decompose()
    return href
