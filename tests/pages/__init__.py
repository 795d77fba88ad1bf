"""Fixture article pages written for these tests: one invented story in several common theme
markups, with the site chrome that real themes wrap around it."""

from __future__ import annotations

TITLE = "Coastal Town Opens Solar Desalination Plant After Dry Summer"
SECTION = "Environment"
DAY = "2024-03-05"
HEADINGS = ["Why the Town Needed Water", "How the Plant Works", "What Residents Say"]
SOURCE = "https://original.example.org/2024/03/05/solar-desalination-plant-opens"
PARAGRAPHS = [
    "The small coastal town of Marlow Bay switched on its first solar powered desalination "
    "plant on Tuesday, ending months of water deliveries by truck after an unusually dry summer.",
    "Local engineers spent two years testing membranes that could survive the salty winds of the "
    "bay, and the council says the plant will supply a third of daily household demand.",
    "Three reservoirs that serve the valley fell to their lowest level in forty years, and "
    "farmers were asked to cut irrigation by half during the hottest weeks of August.",
    "Panels on the old ferry terminal roof drive pumps that push seawater through filters; "
    "surplus power during the day is stored so the plant can keep running after sunset.",
    "Shopkeepers on the harbour front welcomed the news, though some asked whether the price "
    "of water would rise once the construction loan has to be repaid next spring.",
    "The council promised a public meeting in April to publish the first months of figures, "
    "and said a second plant could follow if the trial keeps its promises through the winter.",
]
CHROME = [
    "Most Popular",
    "Recent Comments",
    "Ferry Strike Called Off at the Last Minute",
    "Library Reopens With Longer Hours",
    "Nice report, thanks.",
    "Subscribe to our newsletter",
    "Monday, March 11, 2024",
    "Source link",
]


def _body(heading_tag: str = "h2", *, source: str = "anchor") -> str:
    parts = [f"<p>{PARAGRAPHS[0]}</p>"]
    for i, heading in enumerate(HEADINGS):
        parts.append(f"<{heading_tag}>{heading}</{heading_tag}>")
        parts.append(f"<p>{PARAGRAPHS[i + 1]}</p>")
    parts.append(f"<p>{PARAGRAPHS[4]}</p><p>{PARAGRAPHS[5]}</p>")
    if source == "anchor":
        parts.append(f'<p><a href="{SOURCE}" target="_blank" rel="noopener">Source link</a></p>')
    elif source == "prefix":
        parts.append(f'<p>Source: <a href="{SOURCE}">Original Example Gazette</a></p>')
    elif source == "plugin":
        parts.append(
            f'<div class="wprss-source-link">Read the full story at '
            f'<a href="{SOURCE}">original.example.org</a></div>'
        )
    return "\n".join(parts)


SIDEBAR = """
<aside class="widget widget_popular"><h3 class="widget-title">Most Popular</h3><ul>
<li><a href="/2024/03/ferry-strike/">Ferry Strike Called Off at the Last Minute</a></li>
<li><a href="/2024/03/library/">Library Reopens With Longer Hours</a></li></ul></aside>
<aside class="widget widget_recent_comments"><h3 class="widget-title">Recent Comments</h3>
<ul><li>Ana on <a href="/2024/03/solar/#c1">Nice report, thanks.</a></li></ul></aside>
<div class="widget newsletter"><h3>Newsletter</h3><p>Subscribe to our newsletter for daily news.</p>
</div>"""

FOOTER = """<footer class="site-footer"><p>&copy; 2024 Bay Herald. All rights reserved.</p>
<p><a href="/about/">About</a> <a href="/contact/">Contact</a></p></footer>"""

TOPBAR = '<div class="top-bar"><span class="today">Monday, March 11, 2024</span></div>'


def wordpress_jsonld(url: str) -> str:
    """A WordPress-style page with JSON-LD, OpenGraph and an aggregator source link."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{TITLE} - Bay Herald</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{TITLE} - Bay Herald">
<meta property="og:site_name" content="Bay Herald">
<meta property="article:section" content="{SECTION}">
<meta property="article:published_time" content="{DAY}T09:30:00+01:00">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"{TITLE}","datePublished":"{DAY}T09:30:00+01:00","articleSection":"{SECTION}",
"author":{{"@type":"Person","name":"Jo Reed"}}}}</script></head>
<body>{TOPBAR}<nav><a href="/">Home</a> <a href="/category/environment/">Environment</a></nav>
<div class="breadcrumbs"><a href="/">Home</a> » <a href="/category/environment/">{SECTION}</a></div>
<main><article class="post"><h1 class="entry-title">{TITLE}</h1>
<div class="share-buttons"><a href="https://social.example/share">Share</a></div>
<div class="entry-content">{_body()}</div>
<div class="post-tags"><a rel="tag" href="/tag/water/">water</a></div>
<div class="related-posts"><h3>Related Posts</h3><a href="/x/">Ferry Strike Called Off at the
Last Minute</a></div></article>
<div id="comments" class="comments-area"><h3>Leave a Reply</h3><ol class="comment-list">
<li>Nice report, thanks.</li></ol></div></main>
<div class="sidebar">{SIDEBAR}</div>{FOOTER}</body></html>"""


def plain_theme(url: str) -> str:
    """No JSON-LD, no OpenGraph; the date only as visible text; headings as h3."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{TITLE} | Bay Herald</title>
</head><body>{TOPBAR}
<div id="page"><div id="content"><div class="post">
<div class="post-meta"><a href="/category/environment/" rel="category tag">{SECTION}</a></div>
<h1 class="post-title">{TITLE}</h1>
<p class="byline">By Jo Reed | Posted on March 5, 2024</p>
<div class="post-body">{_body("h3", source="prefix")}</div>
<div class="post-navigation"><a href="/prev/">Previous: Ferry Strike Called Off at the Last
Minute</a></div></div></div>
<div id="sidebar" class="sidebar">{SIDEBAR}</div></div>{FOOTER}</body></html>"""


def microdata_theme(url: str) -> str:
    """Schema.org microdata only (itemprop headline / datePublished / articleSection)."""
    return f"""<html><head><meta charset="utf-8"><title>Bay Herald: {TITLE}</title></head>
<body>{TOPBAR}<div itemscope itemtype="https://schema.org/NewsArticle">
<span itemprop="articleSection" class="kicker">{SECTION}</span>
<h1 itemprop="headline">{TITLE}</h1>
<meta itemprop="datePublished" content="{DAY}">
<div itemprop="articleBody">{_body("h2", source="plugin")}</div></div>
<section class="related-articles"><h2>You may also like</h2>
<a href="/a/">Library Reopens With Longer Hours</a></section>
{SIDEBAR}{FOOTER}</body></html>"""


def legacy_charset(url: str) -> bytes:
    """windows-1252 bytes declared only in a <meta http-equiv> tag; curly quotes in the text."""
    title = "Caf\u00e9 Owners \u201cRelieved\u201d as Coastal Town Opens Solar Plant"
    page = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>{title} - Bay Herald</title></head><body>{TOPBAR}
<div class="article"><h1>{title}</h1><time datetime="{DAY}">5 March 2024</time>
{_body("h2")}</div>{SIDEBAR}{FOOTER}</body></html>"""
    return page.encode("cp1252")


LEGACY_TITLE = "Caf\u00e9 Owners \u201cRelieved\u201d as Coastal Town Opens Solar Plant"
