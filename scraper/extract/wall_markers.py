"""What walls look like: the markers :mod:`scraper.extract.walls` looks for, as data.

Every marker is something a vendor puts in *every* page of its kind (a header, a script or
form name, an element id, an interstitial's title), never a phrase of running text: an
article that mentions Cloudflare or cookies is no wall. Each table maps a marker to the
name given in the reason ("cloudflare challenge"). Matching is case-insensitive; a
substring marker matches anywhere in the attribute or script it names.
"""

from __future__ import annotations

import re

# --- Bot challenges and CAPTCHA interstitials ---

CHALLENGE_HEADERS: tuple[tuple[str, str, str], ...] = (
    # (header, value substring or "" for any value, vendor)
    ("cf-mitigated", "challenge", "cloudflare"),
    ("x-datadome", "", "datadome"),
    ("x-dd-b", "", "datadome"),
    ("x-px-block", "", "perimeterx"),
)
"""Headers only a challenge answer carries: decisive on their own."""

CHALLENGE_SERVER_HEADERS: tuple[tuple[str, str, str], ...] = (
    # (header, value substring, vendor): who answered; a challenge only with a marker below
    ("server", "cloudflare", "cloudflare"),
    ("server", "akamaighost", "akamai"),
    ("x-iinfo", "", "imperva"),
    ("x-cdn", "incapsula", "imperva"),
    ("server", "sucuri", "sucuri"),
)
"""Headers that name the protection in front of the site: they say whose challenge a
page with a generic challenge title is."""

CHALLENGE_SCRIPTS: tuple[tuple[str, str], ...] = (
    # (substring of a script's src or inline text, vendor)
    ("/cdn-cgi/challenge-platform/", "cloudflare"),
    ("_cf_chl_opt", "cloudflare"),
    ("cf_chl_", "cloudflare"),
    ("captcha-delivery.com", "datadome"),
    ("_incapsula_resource", "imperva"),
    ("_pxappid", "perimeterx"),
    ("/_px/", "perimeterx"),
    ("px-captcha", "perimeterx"),
    ("sucuri_cloudproxy_js", "sucuri"),
    ("/_sec/cp_challenge/", "akamai"),
    ("ak_bmsc", "akamai"),
    ("kpsdk", "kasada"),
    ("awswaf", "aws waf"),
)
"""Script sources and inline script names of challenge pages."""

CHALLENGE_IDS: tuple[tuple[str, str], ...] = (
    # (id or class of an element, vendor)
    ("challenge-form", "cloudflare"),
    ("challenge-running", "cloudflare"),
    ("challenge-stage", "cloudflare"),
    ("cf-challenge-running", "cloudflare"),
    ("cf-browser-verification", "cloudflare"),
    ("cf-turnstile", "cloudflare"),
    ("cf-error-details", "cloudflare"),
    ("px-captcha", "perimeterx"),
    ("sec-if-cpt-container", "akamai"),
)
"""Element ids (and classes) of challenge forms and widgets."""

CHALLENGE_IFRAMES: tuple[tuple[str, str], ...] = (
    ("_incapsula_resource", "imperva"),
    ("captcha-delivery.com", "datadome"),
    ("challenges.cloudflare.com", "cloudflare"),
)
"""Iframe sources of challenge pages."""

CHALLENGE_TITLES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE) for p in (
        r"^just a moment\s*(\.\.\.|…)?$",
        r"^attention required!?",
        r"^access denied\b",
        r"^access to this page has been denied",
        r"^pardon our interruption",
        r"^please wait while we verify",
        r"^verify(ing)? (that )?you are (a )?human",
        r"^are you a robot\??$",
        r"^(security|human|bot) (check|verification)$",
        r"^one more step$",
        r"^request unsuccessful\.? incapsula",
        r"^ddos-guard$",
        r"^sucuri website firewall",
    )
)
"""Titles of challenge interstitials (the whole title, or how it starts)."""

CHALLENGE_MAX_WORDS = 150
"""A page with a challenge marker or title but more words of text than this in all (menus,
footers and all) is a site's page that happens to load a vendor's script (protected sites
load it on every page); only a decisive header makes a longer page a challenge. Challenge
pages stand alone: a few lines and a form."""

WALL_PAGE_MAX_WORDS = 400
"""A consent manager's dialog counts as a wall only on a page with at most this many words
in all, and a login title without a password field likewise: a page standing in for the
article has no site around it (an article whose text the extractor missed still has its
menus, footer and story)."""

# --- Consent walls ---

CONSENT_IDS: tuple[tuple[str, str], ...] = (
    ("onetrust-consent-sdk", "onetrust"),
    ("onetrust-banner-sdk", "onetrust"),
    ("qc-cmp2-container", "quantcast choice"),
    ("qc-cmp2-ui", "quantcast choice"),
    ("didomi-host", "didomi"),
    ("didomi-popup", "didomi"),
    ("sp_message_container", "sourcepoint"),
    ("sp_message_iframe", "sourcepoint"),
    ("usercentrics-root", "usercentrics"),
    ("cybotcookiebotdialog", "cookiebot"),
    ("truste-consent-track", "trustarc"),
    ("cmpbox", "consentmanager"),
)
"""Element ids of consent-management dialogs, present in the page as served: a consent wall
when the page has no article and no site around it."""

CONSENT_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("cdn.cookielaw.org", "onetrust"),
    ("otsdkstub", "onetrust"),
    ("cmp.quantcast.com", "quantcast choice"),
    ("quantcast.mgr.consensu.org", "quantcast choice"),
    ("sdk.privacy-center.org", "didomi"),
    ("cdn.privacy-mgmt.com", "sourcepoint"),
    ("_sp_.config", "sourcepoint"),
    ("app.usercentrics.eu", "usercentrics"),
    ("consent.cookiebot.com", "cookiebot"),
    ("consent.trustarc.com", "trustarc"),
    ("consentmanager.net", "consentmanager"),
)
"""Script sources and inline names of consent managers: they only name the manager of a
consent page (nearly every European page loads one, article or not)."""

CONSENT_TITLES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE) for p in (
        r"^before you continue",
        r"^bevor sie fortfahren",
        r"^avant d'accéder",
        r"^(your )?privacy (choices|settings|preferences)$",
        r"^cookie (consent|settings|preferences)$",
    )
)
"""Titles of pages that stand in for the article until consent is given (TCF redirects)."""

CONSENT_HOST = re.compile(r"^(consent|cmp|privacy-gate|guce)\.", re.IGNORECASE)
"""A consent redirect's host ("consent.example.com"): the page is the consent form."""

# --- Login walls and soft 404s ---

LOGIN_FORMS = "input[type=password]"
"""A login form: a password field (a login wall when the title or the first heading asks to
sign in: a site's header login box or a comment form is no wall)."""

LOGIN_TITLES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE) for p in (
        r"^(log ?in|sign ?in|anmelden|connexion|iniciar sesión)\b",
        r"\b(log ?in|sign ?in) (required|to continue)",
    )
)
"""Titles (or first headings) of login pages."""

SOFT_404_TITLES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE) for p in (
        r"\bpage not found\b",
        r"\b404\b",
        r"\bnot found\b",
        r"\b(article|page|content|story) (is )?no longer available\b",
        r"\b(this|the) (article|page|story) (does not|doesn't) exist\b",
        r"\bseite nicht gefunden\b",
        r"\bpage (introuvable|non trouvée)\b",
        r"\bp[áa]gina no encontrada\b",
        r"\bpagina non trovata\b",
    )
)
"""Titles (or the first heading) of error pages served with status 200."""

LOGIN_MAX_WORDS = 120
"""A login form, a consent page or an error title on a page whose article text is longer
than this is an article (a comment form's password field, a story headlined "404")."""

# --- Paywalls ---

PAYWALL_BLOCKS: tuple[str, ...] = (
    '[class*="paywall" i]', '[id*="paywall" i]', '[class*="regwall" i]', '[id*="regwall" i]',
    '[class*="subscriber-only" i]', '[class*="premium-wall" i]', '[class*="piano-offer" i]',
    '[class*="meter-wall" i]', '[class*="subscription-wall" i]',
)
"""Blocks that hold a paywall prompt (checked for prompt words and size before removal)."""

PAYWALL_PROMPT = re.compile(
    r"\b((continue|keep) reading|read the (full|whole|rest)|for (paid )?subscribers|"
    r"already (a|an) (paid )?(subscriber|member)|subscribe (now )?to (read|continue|unlock|"
    r"keep)|unlock (this|the full)|(article|story|post) is (only )?(for|available to)|"
    r"lesen sie weiter|weiterlesen|abonnent|zugang (zu|für)|réservé aux abonnés|"
    r"abonnez-vous pour)",
    re.IGNORECASE,
)
"""What a paywall prompt says ("Subscribe to continue reading", "Already a subscriber?"):
the story goes on behind it. A "Log in" button or a "Subscriber only" label says nothing of
this page."""

PAYWALL_PROMPT_MIN_WORDS = 4
"""A paywall-named block with fewer words is a button or a label (a header's "Abo/Login")."""

PAYWALL_PROMPT_MAX_WORDS = 80
"""A paywall-named block with more words than this holds the story, not a prompt (some
sites wrap the whole article in a "paywall" container)."""
