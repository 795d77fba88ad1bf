"""Breadcrumb trails and category labels in every common shape, written for these tests: plain
text, separators as elements, schema.org BreadcrumbList in microdata, RDFa and JSON-LD, and
the markup of the most used WordPress news themes. Each page names one section, SECTION, and
gives no other hint of it (no article:section, no articleSection, nothing in the URL)."""

from __future__ import annotations

from tests.pages import PARAGRAPHS

TITLE = "Harbour Ferry Timetable Changes"
SECTION = "Coast & Country"
HOME = "https://bayherald.example/"
URL = "https://bayherald.example/2024/03/05/ferry-timetable-changes/"
CATEGORY = "https://bayherald.example/category/coast-country/"
_S = SECTION.replace("&", "&amp;")

TRAILS: dict[str, str] = {
    "plain-text": f'<div class="breadcrumb">Home &gt; {_S} &gt; {TITLE}</div>',
    "plain-text-no-title": f'<p class="breadcrumbs">You are here: Home » {_S}</p>',
    "em-delimiter": (
        f'<div class="breadcrumb"><span>Home</span><em class="delimiter">/</em><span>{_S}</span>'
        f'<em class="delimiter">/</em><span>{TITLE}</span></div>'
    ),
    "span-sep": (
        f'<nav class="breadcrumbs"><a href="{HOME}">Home</a><span class="sep">›</span>'
        f'<span>{_S}</span><span class="sep">›</span><span>{TITLE}</span></nav>'
    ),
    "icon-separator": (
        f'<div id="breadcrumbs"><span>Home</span> <i class="icon icon-chevron-right"></i> '
        f'<span>{_S}</span> <i class="icon icon-chevron-right"></i> <span>{TITLE}</span></div>'
    ),
    # icons as inline SVG whose <title> names the icon
    "svg-icon-separator": (
        f'<nav class="breadcrumbs"><a href="{HOME}">Home</a><svg role="img"><title>Chevron Right'
        f'</title><path d="M8 16l4-4-4-4"></path></svg><a href="{CATEGORY}">{_S}</a>'
        f'<span class="icon" aria-hidden="true">Chevron</span><span>{TITLE}</span></nav>'
    ),
    # the last crumb links the page itself, under a shortened title
    "microdata": f"""<ol itemscope itemtype="https://schema.org/BreadcrumbList">
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
<a itemprop="item" href="{HOME}"><span itemprop="name">Home</span></a>
<meta itemprop="position" content="1"></li>
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
<a itemprop="item" href="{CATEGORY}"><span itemprop="name">{_S}</span></a>
<meta itemprop="position" content="2"></li>
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">
<a itemprop="item" href="{URL}"><span itemprop="name">Ferry Timetable…</span></a>
<meta itemprop="position" content="3"></li></ol>""",
    "rdfa": f"""<ol vocab="https://schema.org/" typeof="BreadcrumbList">
<li property="itemListElement" typeof="ListItem"><a property="item" typeof="WebPage"
 href="{HOME}"><span property="name">Home</span></a><meta property="position" content="1"></li>
<li property="itemListElement" typeof="ListItem"><a property="item" typeof="WebPage"
 href="{CATEGORY}"><span property="name">{_S}</span></a><meta property="position" content="2">
</li><li property="itemListElement" typeof="ListItem"><span property="name">{TITLE}</span>
<meta property="position" content="3"></li></ol>""",
    "json-ld": f"""<script type="application/ld+json">{{"@context":"https://schema.org",
"@type":"BreadcrumbList","itemListElement":[
{{"@type":"ListItem","position":1,"name":"Home","item":"{HOME}"}},
{{"@type":"ListItem","position":2,"name":"{SECTION}","item":"{CATEGORY}"}},
{{"@type":"ListItem","position":3,"name":"Ferry timetable: what changes","item":"{URL}"}}
]}}</script>""",
    # tagDiv Newspaper, classic template
    "tagdiv-newspaper": f"""<div class="td-crumb-container"><div class="entry-crumbs">
<span><a title="" class="entry-crumb" href="{HOME}">Home</a></span>
<i class="td-icon-right td-bread-sep"></i> <span><a title="View all posts in {_S}"
 class="entry-crumb" href="{CATEGORY}">{_S}</a></span>
<i class="td-icon-right td-bread-sep td-bred-no-url-last"></i>
<span class="td-bred-no-url-last">{TITLE}</span></div></div>""",
    # tagDiv Newspaper, built with its Composer
    "tagdiv-composer": f"""<div class="td_block_wrap tdb_breadcrumbs tdi_61 tdb-breadcrumbs
 td-pb-border-top td_block_template_1"><div class="tdb-block-inner td-fix-index">
<span><a title="" class="tdb-entry-crumb" href="{HOME}">Home</a></span>
<i class="tdb-bread-sep tdc-font-tdmp tdc-font-tdmp-arrow-right"></i>
<span><a title="View all posts in {_S}" class="tdb-entry-crumb" href="{CATEGORY}">{_S}</a>
</span><i class="tdb-bread-sep tdb-bred-no-url-last tdc-font-tdmp"></i>
<span class="tdb-bred-no-url-last">{TITLE}</span></div></div>""",
    "jannah": f"""<nav id="breadcrumb"><a href="{HOME}"><span class="tie-icon-home"
 aria-hidden="true"></span> Home</a><em class="delimiter">/</em><a href="{CATEGORY}">{_S}</a>
<em class="delimiter">/</em><span class="current">{TITLE}</span></nav>""",
    "jnews": f"""<div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs">
<span class=""><a href="{HOME}">Home</a></span><i class="fa fa-angle-right"></i>
<span class="breadcrumb_last_link"><a href="{CATEGORY}">{_S}</a></span></div></div>""",
    "soledad": f"""<div class="container penci-breadcrumb single-breadcrumb">
<span><a class="crumb" href="{HOME}">Home</a></span><i class="penci-faicon fa fa-angle-right"
 ></i><span><a class="crumb" href="{CATEGORY}">{_S}</a></span><i
 class="penci-faicon fa fa-angle-right"></i><span>{TITLE}</span></div>""",
    # Newspack prints Yoast's trail under its header
    "newspack-yoast": f"""<div class="site-breadcrumb desktop-only"><div class="wrapper">
<span><span><a href="{HOME}">Home</a></span> » <span><a href="{CATEGORY}">{_S}</a></span> »
<span class="breadcrumb_last" aria-current="page">{TITLE}</span></span></div></div>""",
    "astra": f"""<div class="ast-breadcrumbs-wrapper"><div class="ast-breadcrumbs-inner">
<nav role="navigation" aria-label="Breadcrumbs" class="breadcrumb-trail breadcrumbs">
<div class="ast-breadcrumbs"><ul class="trail-items"><li class="trail-item trail-begin">
<a href="{HOME}" rel="home"><span>Home</span></a></li><li class="trail-item">
<a href="{CATEGORY}"><span>{_S}</span></a></li><li class="trail-item trail-end"><span>
<span>{TITLE}</span></span></li></ul></div></nav></div></div>""",
}

# The category label under the headline (or in the entry footer), as each theme prints it.
LABELS: dict[str, str] = {
    "tagdiv-newspaper": (
        f'<ul class="td-category"><li class="entry-category"><a href="{CATEGORY}">{_S}</a>'
        "</li></ul>"
    ),
    "jannah": (
        f'<span class="post-cat-wrap"><a class="post-cat tie-cat-7" href="{CATEGORY}">{_S}</a>'
        "</span>"
    ),
    "jnews": (
        '<div class="jeg_meta_category"><span><span class="meta_text">in</span> '
        f'<a href="{CATEGORY}" rel="category tag">{_S}</a></span></div>'
    ),
    "soledad": (
        '<div class="penci-entry-categories"><span class="cat"><a class="penci-cat-name '
        f'penci-cat-4" href="{CATEGORY}" rel="category tag">{_S}</a></span></div>'
    ),
    "newspack": (
        '<span class="cat-links"><span class="screen-reader-text">Posted in</span>'
        f'<a href="{CATEGORY}" rel="category tag">{_S}</a></span>'
    ),
    "astra": (
        f'<span class="ast-terms-link"><a href="{CATEGORY}">{_S}</a></span>'
    ),
    "generatepress": (
        '<footer class="entry-meta"><span class="cat-links"><span class="screen-reader-text">'
        f'Categories </span><a href="{CATEGORY}" rel="category tag">{_S}</a></span></footer>'
    ),
}


def page(trail: str = "", label: str = "") -> str:
    """An article page with ``trail`` above the headline and ``label`` under it."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{TITLE} – Bay Herald</title></head><body>
<header class="site-header"><a href="{HOME}">Bay Herald</a></header>
<div class="site-content">{trail}<article class="post"><h1 class="entry-title">{TITLE}</h1>
{label}<div class="entry-content">{body}</div></article></div></body></html>"""
