"""Selectors and chrome vocabulary as data: a new site quirk is a one-line change here.

Nothing here names a particular site: these are the class/id conventions of common CMS
themes (WordPress and its big themes, Drupal, news CMSs) and the words of common widgets.
"""

from __future__ import annotations

import re

# Blocks removed before the body is extracted. CSS selectors, joined with ", ".
CHROME_SELECTORS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "button",
    "select",
    "textarea",
    "iframe",
    "dialog",
    "[role=navigation]",
    "[role=complementary]",
    "[role=contentinfo]",
    "[role=search]",
    "#comments",
    ".comments",
    ".comment-respond",
    "#respond",
    ".comment-list",
    ".commentlist",
    ".comments-area",
    "#disqus_thread",
    ".sidebar",
    "#sidebar",
    ".widget-area",
    ".td-main-sidebar",
    ".td-ss-main-sidebar",
    ".widget_recent_comments",
    ".widget_recent_entries",
    ".related-posts",
    ".related_posts",
    ".td_block_related_posts",
    ".jp-relatedposts",
    ".yarpp-related",
    ".crp_related",
    ".related-articles",
    ".rp4wp-related-posts",
    ".sharedaddy",
    ".share-buttons",
    ".social-share",
    ".td-post-sharing-top",
    ".td-post-sharing-bottom",
    ".addtoany_share_save_container",
    ".a2a_kit",
    ".ssba",
    ".sharing",
    ".social-sharing",
    ".share-bar",
    ".entry-share",
    ".newsletter",
    ".newsletter-signup",
    ".mc4wp-form",
    ".subscribe-box",
    ".author-box",
    ".author-box-wrap",
    ".about-author",
    ".saboxplugin-wrap",
    ".entry-crumbs",
    ".breadcrumb",
    ".breadcrumbs",
    ".td-crumb-container",
    "#breadcrumbs",
    ".post-navigation",
    ".nav-links",
    ".td-post-next-prev",
    ".navigation.post-navigation",
    ".td-post-source-tags",
    ".tags-links",
    ".post-tags",
    ".entry-tags",
    ".tag-links",
    ".td-header-wrap",
    ".td-header-top-menu",
    ".td_data_time",
    ".top-bar",
    ".topbar",
    ".td-footer-wrapper",
    ".td-sub-footer-container",
    ".site-footer",
    ".cookie-notice",
    "#cookie-notice",
    ".cookie-banner",
    "#onetrust-consent-sdk",
    ".cc-window",
    ".gdpr",
    ".wp-caption-text",
    ".td-post-views",
    ".post-views",
)

# Blocks removed only when they hold no run of prose: ASP.NET pages wrap the whole page in
# one <form>, and script-rendered pages ship the article [hidden] until it is hydrated.
CHROME_UNLESS_PROSE: tuple[str, ...] = (
    "form",
    "[hidden]",
    "[aria-hidden=true]",
)
# "A run of prose": this many characters of paragraph text outside links.
PROSE_CHARS = 400

# Headings and short blocks that are widget titles, never article content (casefolded).
CHROME_HEADINGS: frozenset[str] = frozenset(
    {
        "most popular",
        "recent comments",
        "recent posts",
        "related",
        "related posts",
        "related articles",
        "related stories",
        "you may also like",
        "you might also like",
        "more from author",
        "more stories",
        "read also",
        "read more",
        "see also",
        "share",
        "share this",
        "share this article",
        "share this post",
        "share this:",
        "leave a reply",
        "leave a comment",
        "comments",
        "newsletter",
        "subscribe",
        "popular posts",
        "trending",
        "latest news",
        "latest posts",
        "more news",
        "tags",
        "advertisement",
        "follow us",
        "like this:",
        "related:",
        "recommended",
        "recommended for you",
        "top stories",
        "editor's picks",
        "most read",
        "about the author",
    }
)

# The aggregator's "original article" anchor: its text matches one of these (casefolded,
# whitespace collapsed, trailing punctuation stripped).
SOURCE_LINK_TEXT = re.compile(
    r"^(?:source(?: link)?|original(?: article| story| post| source)?|"
    r"read (?:the )?(?:full|original|entire) (?:article|story|post)(?: here| at .+| on .+)?|"
    r"read more(?: at| on) .+|continue reading(?: at| on) .+|view original(?: article| post)?|"
    r"see (?:the )?original(?: article)?|go to (?:the )?(?:source|original)(?: article)?|"
    r"visit (?:the )?source)$"
)
# A block whose text starts like this carries the source anchor ("Source: Reuters").
SOURCE_BLOCK_PREFIX = re.compile(
    r"^(?:source|original article|originally published(?: at| on| by)?|"
    r"this article (?:was )?(?:originally )?(?:appeared|published) (?:first )?(?:on|in|at)|"
    r"the post .+ appeared first on|read more at|via)\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
# Feed-import plugins wrap the source link in containers like these.
SOURCE_CONTAINER_SELECTORS: tuple[str, ...] = (
    ".wprss-source-link",
    ".wpra-item-source",
    ".feedzy-source",
    ".source-link",
    ".original-source",
    ".post-source",
    ".entry-source",
    ".td-post-source",
)

ARTICLE_TYPES: frozenset[str] = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "posting",
        "webpage",
        "itempage",
    }
)

PUBLISHED_META: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "date",
    "article.published",
    "og:published_time",
    "cxenseparse:recs:publishtime",
    "article_date_original",
    "originalpublicationdate",
    "publication_date",
    "release_date",
    "citation_publication_date",
    "displaydate",
    "date_published",
    "bt:pubdate",
    "story.published",
)
MODIFIED_META: tuple[str, ...] = (
    "article:modified_time",
    "og:updated_time",
    "og:article:modified_time",
    "datemodified",
    "lastmod",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
    "article:modified",
)
SECTION_META: tuple[str, ...] = (
    "article:section",
    "og:article:section",
    "section",
    "article-section",
    "parsely-section",
    "sailthru.section",
    "category",
    "dc.subject",
)
BREADCRUMB_SELECTORS: tuple[str, ...] = (
    "[itemtype*='BreadcrumbList']",
    "nav[aria-label*='readcrumb']",
    ".breadcrumb",
    ".breadcrumbs",
    ".entry-crumbs",
    "#breadcrumbs",
    ".crumbs",
    ".td-crumb-container",
    ".rank-math-breadcrumb",
    ".yoast-breadcrumb",
)
CATEGORY_LINK_SELECTORS: tuple[str, ...] = (
    "a[rel~='category']",
    ".entry-category a",
    ".cat-links a",
    ".post-category a",
    ".td-category a",
    ".category-link",
    ".article-category a",
    ".meta-category a",
)
# A <time>/date element inside one of these is not the article's date.
DATE_EXCLUDED_ANCESTORS: tuple[str, ...] = (
    "aside",
    "footer",
    "nav",
    ".sidebar",
    ".widget",
    ".td-main-sidebar",
    ".td_data_time",
    ".related",
    ".comments",
    "#comments",
    ".comment",
    ".td-header-wrap",
    ".top-bar",
)
HOME_WORDS: frozenset[str] = frozenset(
    {"home", "homepage", "start", "startseite", "accueil", "inicio", "index"}
)
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]+\s+|\s*[|•»«]\s*")

# Section labels too generic to prefer when the page offers a more specific one.
GENERIC_SECTIONS: frozenset[str] = frozenset({
    "main blog", "blog", "news", "aktuell", "aktuelles", "à la une", "a la une", "featured",
    "top stories", "headlines", "allgemein", "uncategorized", "general", "latest", "home",
    "nachrichten", "actualités", "actualites", "noticias", "notizie", "uutiset", "nieuws",
})
# URL path segments that are not sections.
URL_NOT_SECTIONS: frozenset[str] = frozenset({
    "article", "articles", "artikel", "story", "stories", "post", "posts", "p", "a", "blog",
    "blogs", "news", "content", "detail", "details", "page", "pages", "index", "view", "read",
    "amp", "en", "de", "fr", "es", "it", "www", "web", "item", "items", "entry", "s",
    "uutiset", "nachrichten", "noticias", "actualites", "magazin", "magazine", "wiki",
})
# Category links inside these are site navigation or widgets, not the article's own.
SECTION_EXCLUDED_ANCESTORS: tuple[str, ...] = (
    "aside", "nav", ".sidebar", ".widget", ".related", ".comments", "#comments", ".menu",
    ".td-main-sidebar", "header .menu",
)
