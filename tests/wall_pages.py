"""Wall pages for the tests, written here in the shape each vendor's pages take (the
markers they publish: headers, script and form names, titles), never copied from one.

Each ``WallPage`` is a reply (status, headers, HTML) and what the crawl must say of it: the
failure's kind and the reason's start, or for a paywall teaser, what its body must not hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tests.httpserver import Reply

HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class WallPage:
    name: str
    status: int
    html: str
    headers: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    """The failure's reason for a blocking wall ("blocked: cloudflare challenge (HTTP 403)")."""

    def reply(self) -> Reply:
        return Reply(status=self.status, body=self.html.encode(), headers={**HTML, **self.headers})


def _page(title: str, body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}"
            f"</head><body>{body}</body></html>")


CLOUDFLARE_403 = WallPage(
    "cloudflare-403", 403,
    _page("Just a moment...",
          "<div class='main-wrapper'><div class='main-content'><h1>example.test</h1>"
          "<h2 id='challenge-running'>Checking if the site connection is secure</h2>"
          "<form id='challenge-form' action='/?__cf_chl_f_tk=k9' method='POST'>"
          "<input type='hidden' name='md' value='x'></form></div></div>"
          "<script>(function(){window._cf_chl_opt={cvId:'3',cType:'managed'};"
          "var s=document.createElement('script');"
          "s.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f';"
          "document.head.appendChild(s);})();</script>"),
    {"Server": "cloudflare", "cf-mitigated": "challenge", "CF-RAY": "8f0000000000-AMS"},
    "blocked: cloudflare challenge (HTTP 403)",
)
CLOUDFLARE_503 = WallPage(
    "cloudflare-503", 503,
    _page("Just a moment...",
          "<noscript>Enable JavaScript and cookies to continue</noscript>"
          "<script>window._cf_chl_opt={cvId:'2',cZone:'example.test'};</script>"),
    {"Server": "cloudflare", "Retry-After": "0"},
    "blocked: cloudflare challenge (HTTP 503)",
)
AKAMAI_403 = WallPage(
    "akamai-403", 403,
    _page("Access Denied",
          "<h1>Access Denied</h1>You don't have permission to access this page on this "
          "server.<p>Reference #18.5a2e3b17.1733400000.2c0ffee</p>"),
    {"Server": "AkamaiGHost", "Mime-Version": "1.0"},
    "blocked: akamai challenge (HTTP 403)",
)
IMPERVA_200 = WallPage(
    "imperva-200", 200,
    _page("", "<iframe id='main-iframe' src='/_Incapsula_Resource?SWUDNSAI=31&xinfo=9-1'"
              " frameborder='0' width='100%' height='100%'>Request unsuccessful. Incapsula "
              "incident ID: 1000-2000</iframe>",
          "<meta name='robots' content='noindex,nofollow'>"),
    {"X-Iinfo": "9-123-0 NNNN CT(0 0 0) RT(1 0) q(0 0 0 -1) r(0 0) U5", "X-CDN": "Incapsula"},
    "blocked: imperva challenge (HTTP 200)",
)
DATADOME_403 = WallPage(
    "datadome-403", 403,
    _page("example.test",
          "<p id='cmsg'>Please enable JS and disable any ad blocker</p>"
          "<script>var dd={'rt':'c','cid':'AHrlqAAA','hsh':'AB12','s':4242,"
          "'host':'geo.captcha-delivery.com'}</script>"
          "<script src='https://ct.captcha-delivery.com/c.js'></script>"),
    {"X-DataDome": "protected", "X-DD-B": "1"},
    "blocked: datadome challenge (HTTP 403)",
)
PERIMETERX_403 = WallPage(
    "perimeterx-403", 403,
    _page("Access to this page has been denied",
          "<div class='container'><h1>Please verify you are a human</h1>"
          "<div id='px-captcha'></div><p>Press and hold the button.</p></div>"
          "<script>window._pxAppId = 'PXa1b2c3d4'; window._pxJsClientSrc = '/a1b2c3d4/init.js';"
          "</script>"),
    {},
    "blocked: perimeterx challenge (HTTP 403)",
)
INTERRUPTION_200 = WallPage(
    "interruption-200", 200,
    _page("Pardon Our Interruption",
          "<h1>Pardon Our Interruption</h1><p>As you were browsing something about your "
          "browser made us think you were a bot.</p>"),
    {},
    "blocked: bot challenge (HTTP 200)",
)
ONETRUST_CONSENT = WallPage(
    "onetrust-consent", 200,
    _page("The Saltmere Gazette",
          "<div id='onetrust-consent-sdk'><div id='onetrust-banner-sdk' role='dialog'>"
          "<h2>We value your privacy</h2><p>We and our partners store and access information"
          " on your device.</p><button id='onetrust-accept-btn-handler'>I Accept</button>"
          "</div></div>",
          "<script src='https://cdn.cookielaw.org/scripttemplates/otSDKStub.js'"
          " data-domain-script='0000-1111'></script>"),
    {},
    "blocked: onetrust consent wall (HTTP 200)",
)
DIDOMI_CONSENT = WallPage(
    "didomi-consent", 200,
    _page("The Saltmere Gazette",
          "<div id='didomi-host'><div id='didomi-popup'><p>Your consent is needed to read"
          " this site.</p><button>Agree and close</button></div></div>",
          "<script>window.didomiConfig={};</script>"
          "<script src='https://sdk.privacy-center.org/loader.js' async></script>"),
    {},
    "blocked: didomi consent wall (HTTP 200)",
)
BEFORE_YOU_CONTINUE = WallPage(
    "tcf-before-you-continue", 200,
    _page("Before you continue",
          "<form method='post' action='/save'><p>We use cookies and data to deliver and "
          "maintain services.</p><button name='set'>Accept all</button>"
          "<button name='set'>Reject all</button></form>"),
    {},
    "blocked: consent wall (HTTP 200)",
)
LOGIN_WALL = WallPage(
    "login", 200,
    _page("Sign in | The Saltmere Gazette",
          "<main><h1>Sign in to keep reading</h1><form action='/account/login' method='post'>"
          "<label>Email <input type='email' name='email'></label>"
          "<label>Password <input type='password' name='password'></label>"
          "<button>Sign in</button></form></main>"),
    {},
    "blocked: login wall (HTTP 200)",
)
SOFT_404 = WallPage(
    "soft-404", 200,
    _page("Page not found | The Saltmere Gazette",
          "<main><h1>Sorry, this article is no longer available</h1>"
          "<p>Try our <a href='/'>home page</a>.</p></main>"),
    {},
    "blocked: soft 404 (an error page served as 200) (HTTP 200)",
)

BLOCKING = (CLOUDFLARE_403, CLOUDFLARE_503, AKAMAI_403, IMPERVA_200, DATADOME_403,
            PERIMETERX_403, INTERRUPTION_200, ONETRUST_CONSENT, DIDOMI_CONSENT,
            BEFORE_YOU_CONTINUE, LOGIN_WALL, SOFT_404)

PROMPT = "Subscribe to continue reading. Already a subscriber? Log in"
TEASER = (
    "The harbour board voted on Tuesday to rebuild the north breakwater, which was "
    "damaged in the winter storms and has been closed to walkers since January.",
    "Engineers told the meeting that the work would take two summers and that the "
    "fishing fleet would have to share the inner berths while the crane barge is moored.",
    "Several skippers said they had been given no say in the timetable and asked the board"
    " to publish the contractor's plans before the first stones are moved.",
)


def _teaser_article(title: str, *, jsonld: dict[str, object] | None, prompt_block: str) -> str:
    head = ""
    if jsonld is not None:
        head = f"<script type='application/ld+json'>{json.dumps(jsonld)}</script>"
    paragraphs = f"<p>{title}: what the board decided.</p>" + "".join(
        f"<p>{p}</p>" for p in TEASER)
    return _page(f"{title} | The Saltmere Gazette",
                 f"<article><h1>{title}</h1><p class='byline'>By Marta Okafor</p>"
                 f"<div class='story-body'>{paragraphs}</div>{prompt_block}"
                 "<div class='paywalled-part'></div></article>", head)


PAYWALL_JSONLD = WallPage(
    "paywall-jsonld", 200,
    _teaser_article(
        "Harbour board votes to rebuild the north breakwater",
        jsonld={"@context": "https://schema.org", "@type": "NewsArticle",
                "headline": "Harbour board votes to rebuild the north breakwater",
                "datePublished": "2024-03-05T09:00:00+00:00", "isAccessibleForFree": False,
                "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False,
                            "cssSelector": ".paywalled-part"}},
        prompt_block=f"<div class='piano-offer-template'><p>{PROMPT}</p></div>"),
)
PAYWALL_PROMPT = WallPage(
    "paywall-prompt", 200,
    _teaser_article(
        "Skippers ask to see the breakwater plans", jsonld=None,
        prompt_block=(f"<div class='article-paywall'><h3>This story is for subscribers</h3>"
                      f"<p>{PROMPT}</p><a href='/subscribe'>Subscribe now</a></div>")),
)
PAYWALLED = (PAYWALL_JSONLD, PAYWALL_PROMPT)

CONSENT_OVERLAY_BANNER = (
    "<div id='onetrust-consent-sdk'><div id='onetrust-banner-sdk'><p>We value your privacy"
    " and use cookies to improve this site.</p><button>I Accept</button></div></div>"
    "<script src='https://cdn.cookielaw.org/scripttemplates/otSDKStub.js'></script>"
)
"""A consent banner that is only an overlay: put on a full article, it is chrome."""
