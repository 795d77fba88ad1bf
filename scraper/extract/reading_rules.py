"""What the lexbor reader (``lexbor_reader.py``) reads and skips inside a content container:
tag sets and class/id vocabulary as data. Its thresholds are in ``tuning.py``.

Nothing here names a particular site: these are the tags of HTML and the class/id words
of common CMS themes for the boxes an article container holds besides the article (share
bars, sign-up boxes, author bios, related stories, ads, hidden structured data).
"""

from __future__ import annotations

import re
from functools import lru_cache

SKIPPED: frozenset[str] = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "button", "input", "select",
        "option", "textarea", "form", "iframe", "nav", "aside", "footer", "picture",
        "video", "audio", "canvas", "map", "object", "embed", "dialog", "label", "fieldset",
        "legend", "menu", "img", "head", "title", "meta", "link", "source", "track", "area",
        "-comment", "_comment", "figcaption",
    }
)
"""Elements read as nothing, with everything inside them: scripts and styling, media,
forms and controls, and the container's own navigation and footer (tags, share bar, author
line). A ``<header>`` is read only when it heads a section (``SECTION_HEADER``)."""

SECTION_HEADER = "h2, h3, h4, h5, h6"
ARTICLE_HEADER = "h1"
"""A ``<header>`` holding a sub-heading and no ``<h1>`` heads a section of the article (it is
read); any other is the article's own header (headline, byline, date: skipped)."""

INLINE: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
        "font", "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike",
        "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "acronym",
    }
)
"""Elements whose text runs on in the line around them; class/id rules are not read on
them (a code listing's ``<span class="token comment">`` is code, not a comment box)."""

HEADINGS: dict[str, int] = {f"h{level}": level for level in range(1, 7)}

LINES: frozenset[str] = frozenset({"summary"})
"""Elements whose text is a line of its own, read even where text set directly in a
wrapper is not (a disclosure's question)."""

FIGURE_CONTENT = "table"
"""A <figure> is an image (skipped) unless it wraps a table (block editors put tables in
figures; pull quotes in figures are repeats of the text)."""

LINK_BOXES: frozenset[str] = frozenset({"div", "section"})
"""Wrappers dropped whole when they are a small box around a link (``lexbor_reader``)."""

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
"""Inline styles that hide an element from the reader (structured data kept for machines:
timestamps, image URLs)."""

CHROME_NAME_PARTS: tuple[str, ...] = (
    # sharing, sign-up, consent
    "share-", "sharing", "sharebar", "social", "sociable", "viral", "newsletter", "syndication",
    "subscri", "signup", "sign-up", "optin", "opt-in", "mc4wp", "cookie", "consent", "gdpr",
    # tags, bylines, meta lines, ratings
    "tags", "tag-list", "tag-cloud", "author", "byline", "meta", "rating", "timestamp",
    "user-info", "user-profile", "article-infos", "attachment",
    # navigation, page furniture
    "subnav", "avigation", "navbar", "navbox", "menu", "sidebar", "banner", "breadcrumb",
    "bread-crumb", "footer", "pagination", "pager", "table-of-contents",
    # ads, promotions, paywalls
    "advert", "dfp", "outbrain", "taboola", "criteo", "paid-content", "paidcontent", "sponsor",
    "promo", "call-to-action", "calltoaction", "paywall", "premium", "restricted",
    "obfuscated", "blurred",
    # other stories
    "related", "elated", "more-on", "most-popular", "-stories", "next-", "readnext",
    "read-next", "nextread", "next-read", "recommend", "teaser", "widget", "embed", "linkbox",
    # comments (a commentary is an article: see chrome_named)
    "comment", "disqus", "reply",
    # pop-ups, carousels, captions
    "noprint", "modal", "popup", "overlay", "message", "slide", "carousel", "caption", "credit",
    # controls and page furniture (trafilatura's precision mode drops these names too)
    "button", "toolbar", "-icon", "viewport", "permission", "options", "expand",
)
"""Parts of class or id names of the boxes inside an article container that are not the
article (those trafilatura's precision mode discards by name), found anywhere in the name,
lower-cased: "authorbox", "relatedlinks", "nocomments"."""

CHROME_NAME_WORDS: frozenset[str] = frozenset(
    {"nav", "bio", "toc", "ad", "ads", "cta", "respond", "hide"}
)
"""Short chrome words, found only as whole words of a name (split at spaces, ``-``, ``_``):
"ad-slot" but not "header"."""

CHROME_CLASS_TOKENS: frozenset[str] = frozenset({"link"})
"""Chrome words found only as a whole class or id token (split at spaces): ``link`` but not
"headline-link" or "permalink" (trafilatura's precision rule)."""
CHROME_TOKEN_EDGES: tuple[str, ...] = ("bottom",)
"""Chrome words found at the start or end of a token: "bottom-bar", "article-bottom", not a
spacing utility ("padding-bottom-lg")."""

NAME_WORD_BREAKS = re.compile(r"[\s_-]+")
"""Where a class or id name is split into words."""

NOT_NAMED: frozenset[str] = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "blockquote", "tr", "td", "th",
     "thead", "tbody", "tfoot", "dt", "dd", "summary"}
)
"""Elements whose class and id are not read for chrome words: headings ("header-anchor"),
code and quotes, table and list parts (trafilatura reads names on boxes only, too)."""

HIDDEN_NAMES = re.compile(
    r"(?<![\w:-])(?:hidden|hide|d-none|is-hidden|invisible|visually-hidden|sr-only|"
    r"screen-reader-text|print-only)(?![\w-])",
    re.IGNORECASE,
)
SHOWN_NAMES = re.compile(r"(?<![\w-])(?:\w+:|d-\w+-)(?:block|flex|grid|inline|table)")
"""Class words that hide an element (structured data, text for screen readers, a copy for
another screen size), unless a SHOWN_NAMES word shows it again at some screen size
(``hidden md:block``)."""

LAYOUT_TABLE_PARTS = "table table, h1, h2, h3, h4, h5, h6"
LAYOUT_LIST_PARTS = "h1, h2, h3, h4, h5, h6"
"""A table holding another table or a heading lays out the page (a listicle in a grid):
it is read as a wrapper, not as rows of cells; so is a list whose items hold headings (a
listicle set as a list)."""

SHARE_LINE = re.compile(
    r"\W*(?:Drucken|E-?Mail|Facebook|Flipboard|Google|Instagram|Linkedin|Mail|PDF|Pinterest|"
    r"Pocket|Print|QQ|Reddit|Twitter|WeChat|WeiBo|Whatsapp|Xing|Mehr zum Thema:?|"
    r"More on this.{,8})$",
    re.IGNORECASE,
)
"""A block that is only a share or print button's word (trafilatura drops these lines)."""

MACHINE_LINE = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
    r"|(?:https?:)?//\S+|[a-z0-9]+(?:[-_][a-z0-9]+){2,}"
)
"""A line no reader is shown, when a whole block is made of such lines: an ISO date or
timestamp, a URL, a lower-case identifier of three or more hyphenated parts (layout markers,
class names: structured data or scripts' text left in the container)."""

ENTRIES = "article, .hentry, .type-post"
"""Entries of a listing: a container holding ENTRY_LIMIT of them (besides itself) is a blog
page or a stream of stories, not one clear article."""

PICTURES = "img, picture, video"
"""What makes a small box with a short text in it a figure with its caption."""


@lru_cache(maxsize=4096)
def chrome_named(name: str) -> bool:
    """Whether a class-and-id string names a box that is not the article (cached: the same
    class strings come back on every element of a list, a grid, a page). Plain substring
    tests, not one big pattern: a pattern of many alternatives is tried at every position
    of long class strings (~45 µs a name, against ~5)."""
    lowered = name.lower()
    for part in CHROME_NAME_PARTS:
        if part in lowered and (part != "comment" or _comment_box(lowered)):
            return True
    words = NAME_WORD_BREAKS.split(lowered.strip())
    if words[0].startswith("shar") or not CHROME_NAME_WORDS.isdisjoint(words):
        return True
    tokens = lowered.split()
    return not CHROME_CLASS_TOKENS.isdisjoint(tokens) or any(
        token.startswith(CHROME_TOKEN_EDGES) or token.endswith(CHROME_TOKEN_EDGES)
        for token in tokens
    )


def _comment_box(lowered: str) -> bool:
    """Whether "comment" in a name is a comment box, not a "commentary" (an opinion piece)."""
    return lowered.count("comment") > lowered.count("commentary")


@lru_cache(maxsize=4096)
def hidden_named(classes: str) -> bool:
    """Whether a class string hides its element at every screen size."""
    return bool(HIDDEN_NAMES.search(classes)) and not SHOWN_NAMES.search(classes)
