"""Pages that are not articles, written for these tests: a news site's home page, tag,
category, author, search and date-archive pages (teaser cards linking to articles), a section
front, a login form and an error page; and articles that look a little like them."""

from __future__ import annotations

from tests.pages import PARAGRAPHS

SITE = "https://harbourtimes.example"
HEADLINES = [
    "Ferry Strike Called Off at the Last Minute",
    "Library Reopens With Longer Hours",
    "Council Approves New Cycle Lanes on the Quay",
    "Storm Damages Roof of the Old Fish Market",
    "School Choir Wins Regional Contest",
    "Harbour Dredging to Start in the Spring",
    "Bakery on Mill Street Celebrates Fifty Years",
    "New Lifeboat Arrives After Long Delay",
    "Tourist Numbers Rise for Third Year Running",
    "Residents Asked About Parking on the Seafront",
    "Rowing Club Opens Its Doors to Beginners",
    "Lighthouse Museum Gets a Fresh Coat of Paint",
]
EXCERPT = "A short summary of the story, a line or two that tempts the reader to click through."


def _teasers(count: int = len(HEADLINES), *, excerpt: str = EXCERPT) -> str:
    cards = []
    for n, headline in enumerate(HEADLINES[:count], 1):
        slug = headline.lower().replace(" ", "-")
        cards.append(  # root-relative links: teasers of whatever host serves the page
            f'<article class="post type-post"><h2 class="entry-title"><a href="/2024/03/'
            f'{n:02d}/{slug}/">{headline}</a></h2><div class="entry-summary"><p>{excerpt}</p>'
            f'</div><a class="more-link" href="/2024/03/{n:02d}/{slug}/">Read more</a>'
            "</article>"
        )
    return "".join(cards)


def _chrome() -> tuple[str, str]:
    header = (
        f'<header class="site-header"><a href="{SITE}/">Harbour Times</a><nav class="menu">'
        f'<a href="{SITE}/category/news/">News</a> <a href="{SITE}/category/sport/">Sport</a>'
        "</nav></header>"
    )
    sidebar = (
        '<aside class="sidebar"><h3>Popular</h3><ul>'
        + "".join(f'<li><a href="{SITE}/p/{n}/">{h}</a></li>' for n, h in enumerate(HEADLINES))
        + "</ul></aside>"
    )
    return header, sidebar


def listing(title: str, *, head: str = "", intro: str = "", count: int = len(HEADLINES),
            excerpt: str = EXCERPT) -> str:
    """A listing page: a title, maybe an intro line, teaser cards, a pager."""
    header, sidebar = _chrome()
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} – Harbour Times</title>{head}</head><body>{header}
<main class="site-main"><h1 class="page-title">{title}</h1>{intro}
{_teasers(count, excerpt=excerpt)}<nav class="pagination"><a href="?page=2">Older posts</a></nav>
</main>{sidebar}</body></html>"""


YOAST_COLLECTION = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
    '{"@type":"CollectionPage","@id":"#page","name":"World"},'
    '{"@type":"WebSite","name":"Harbour Times"}]}</script>'
)
OG_WEBSITE = '<meta property="og:type" content="website">'

LISTINGS: dict[str, tuple[str, str]] = {
    # name: (URL, page)
    "home-page": (f"{SITE}/", listing("Latest news", head=OG_WEBSITE)),
    "tag-page": (f"{SITE}/tag/ferries/", listing("Tag: ferries")),
    "category-page": (f"{SITE}/category/world/", listing("World")),
    "category-page-2": (f"{SITE}/category/world/page/2/", listing("World – Page 2")),
    "author-page": (f"{SITE}/author/jo-reed/", listing("Jo Reed", intro="<p>Reporter.</p>")),
    "search-page": (f"{SITE}/?s=ferry", listing("Search results for ferry")),
    "date-archive": (f"{SITE}/2024/03/", listing("March 2024")),
    # a section front at a plain URL: the page says what it is
    "declared-collection": (f"{SITE}/world/", listing("World", head=YOAST_COLLECTION,
                                                      excerpt=EXCERPT * 3)),
    # a section front that says nothing: teasers, and little text of its own
    "section-front": (f"{SITE}/world/", listing("World", excerpt="Short summary.")),
}


def form_page(url: str) -> str:
    return f"""<!doctype html><html><head><title>Log in – Harbour Times</title></head><body>
<main><h1>Log in</h1><form action="{url}" method="post"><label>User name <input name="u">
</label><label>Password <input type="password" name="p"></label><button>Log in</button>
</form><p>Forgot your password?</p></main></body></html>"""


def error_page(url: str) -> str:
    return """<!doctype html><html><head><title>Page not found – Harbour Times</title></head>
<body><main><h1>Oops!</h1><p>The page you asked for could not be found.</p></main>
</body></html>"""


OTHERS = {
    "login-form": (f"{SITE}/login/", form_page(f"{SITE}/login/")),
    "not-found": (f"{SITE}/2024/03/05/missing-story/", error_page(f"{SITE}/x/")),
}


def article_with_more_stories(url: str) -> str:
    """An article (no metadata) followed by a block of twelve more stories in <main>."""
    header, sidebar = _chrome()
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html><html><head><title>Coastal Town Opens Solar Plant</title></head>
<body>{header}<main><article><h1>Coastal Town Opens Solar Plant</h1>{body}</article>
<section class="more-stories"><h2>More stories</h2>{_teasers()}</section></main>{sidebar}
</body></html>"""


def short_article(url: str, *, declared: bool) -> str:
    """A brief of two short paragraphs; ``declared``: with og:type article."""
    head = '<meta property="og:type" content="article">' if declared else ""
    return f"""<!doctype html><html><head><title>Quay Closed for Repairs</title>{head}</head>
<body><main><article><h1>Quay Closed for Repairs</h1>
<p>The north quay is closed until Friday while engineers replace two damaged bollards.</p>
<p>Ferries will use the south landing in the meantime, the harbour office said.</p>
</article></main></body></html>"""
