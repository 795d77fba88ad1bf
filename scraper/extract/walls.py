"""Walls: pages that stand in for the article. Decided per page, from the answer (status,
headers), the page as served (title, scripts, element ids, JSON-LD) and the body the
extractor kept:

* ``challenge``: a bot-protection interstitial or CAPTCHA page (a vendor's header, script,
  form or widget, or an interstitial's title, on a page with almost no text);
* ``consent``: a consent manager's page with no article behind it (a consent banner over a
  full article is chrome: the article is extracted);
* ``login``: a login wall, or an error page served with status 200 (a soft 404);
* ``paywall``: a teaser (JSON-LD ``isAccessibleForFree: false`` with a ``hasPart`` marking
  the paywalled part, or a subscribe/login prompt block): archived, flagged ``paywalled``,
  the prompt taken out of the body.

The first three are *blocking* (``BLOCKING``): never archived as an article. Markers are
data (:mod:`scraper.extract.wall_markers`); nothing here knows a site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import wall_markers as mk
from scraper.extract.jsonld import JsonLd
from scraper.extract.page_names import PageNames, narrowed, read_page_names
from scraper.extract.page_type import text_words

WallKind = Literal["challenge", "consent", "login"]
BLOCKING: frozenset[str] = frozenset({"challenge", "consent", "login"})
"""Wall kinds that are never archived as an article."""

Headers = Sequence[tuple[str, str]]
_SCRIPT_TEXT_CHARS = 20_000
"""Inline scripts are searched this far: vendors' names stand at the top."""
_PAGE_WORDS_CAP = max(mk.CHALLENGE_MAX_WORDS, mk.WALL_PAGE_MAX_WORDS) + 1
"""The page's words are counted this far: past every threshold they are compared with."""


@dataclass(frozen=True, slots=True)
class WallSignals:
    """What the page as served says about walls (read before chrome removal)."""

    challenge: str = ""
    """The vendor of a challenge marker (script, form, widget, iframe), or ""."""
    decisive: str = ""
    """The vendor of a header only challenge answers carry, or ""."""
    protected_by: str = ""
    """The protection the headers name (``server: cloudflare``), or ""."""
    challenge_title: bool = False
    consent: str = ""
    """The consent manager whose dialog is in the page as served, or ""."""
    consent_script: str = ""
    """The consent manager whose script the page loads, or "" (names the manager only:
    nearly every European page loads one)."""
    consent_page: bool = False
    """The page is a consent form: a consent title or a consent redirect's host."""
    login_form: bool = False
    login_title: bool = False
    soft_404: bool = False
    paywall_jsonld: bool = False
    page_words: int | None = None
    """Words of the whole page's visible text as served (menus and footers too): a wall
    stands alone, an article page with a vendor's script on it has a site around it.
    Counted only where it decides something (a challenge marker or title, a consent
    dialog, a login title; else None), and only just past the largest threshold."""


@dataclass(frozen=True, slots=True)
class Wall:
    """A blocking wall: its kind and what the reason says ("cloudflare challenge")."""

    kind: WallKind
    what: str


def read_wall_signals(tree: LexborHTMLParser, url: str | None, status: int | None,
                      headers: Headers, jsonld: JsonLd | None, *,
                      names: PageNames | None = None) -> WallSignals:
    """The wall signals of the page as served (run before chrome removal; ``names``: its
    class and id names, when already read)."""
    head = [(name.lower(), value.lower()) for name, value in headers]
    title = _title(tree)
    scripts = _scripts(tree)
    names_text = (names or read_page_names(tree)).text
    iframes = " ".join((n.attributes.get("src") or "").lower() for n in tree.css("iframe"))
    challenge = (_find(mk.CHALLENGE_SCRIPTS, scripts) or _find(mk.CHALLENGE_IDS, names_text)
                 or _find(mk.CHALLENGE_IFRAMES, iframes))
    first_heading = _first_heading(tree)
    challenge_title = _matches(mk.CHALLENGE_TITLES, title)
    consent = _find(mk.CONSENT_IDS, names_text)
    login_title = _matches(mk.LOGIN_TITLES, title) or _matches(mk.LOGIN_TITLES, first_heading)
    counted = bool(challenge or challenge_title or consent or login_title)
    return WallSignals(
        challenge=challenge,
        decisive=_header_vendor(mk.CHALLENGE_HEADERS, head),
        protected_by=_header_vendor(mk.CHALLENGE_SERVER_HEADERS, head),
        challenge_title=challenge_title,
        consent=consent,
        consent_script=_find(mk.CONSENT_SCRIPTS, scripts),
        consent_page=_matches(mk.CONSENT_TITLES, title) or _consent_host(url),
        login_form=tree.css_first(mk.LOGIN_FORMS) is not None,
        login_title=login_title,
        soft_404=(status is None or status < 300) and (
            _matches(mk.SOFT_404_TITLES, title) or _matches(mk.SOFT_404_TITLES, first_heading)),
        paywall_jsonld=jsonld is not None and _paywalled_jsonld(jsonld.article),
        page_words=_page_words(tree) if counted else None,
    )


def decide_wall(signals: WallSignals, words: int) -> Wall | None:
    """The blocking wall the page is, if any, given the words of article text it has."""
    vendor = signals.decisive or signals.challenge or signals.protected_by or "bot"
    page_words = signals.page_words  # None: no signal below needs it
    alone = page_words is not None and page_words <= mk.WALL_PAGE_MAX_WORDS
    if signals.decisive or (
        (signals.challenge or signals.challenge_title)
        and page_words is not None and page_words <= mk.CHALLENGE_MAX_WORDS
    ):
        return Wall("challenge", f"{vendor} challenge")
    if words <= mk.LOGIN_MAX_WORDS and (signals.consent_page or (signals.consent and alone)):
        manager = signals.consent or signals.consent_script
        return Wall("consent", f"{manager} consent wall" if manager else "consent wall")
    if signals.soft_404 and words <= mk.LOGIN_MAX_WORDS:
        return Wall("login", "soft 404 (an error page served as 200)")
    if words <= mk.LOGIN_MAX_WORDS and signals.login_title and (signals.login_form or alone):
        return Wall("login", "login wall")
    return None


def error_page_wall(html: str, status: int, headers: Headers) -> tuple[str, str] | None:
    """The challenge an error answer (403, 429, 503...) is, if any: its body and headers
    read without article extraction: (kind, what), the shape ``scraper.fetch.fetch_page``
    takes as ``walls``. Other walls on an error status are just the error."""
    try:
        tree = LexborHTMLParser(html)
    except Exception:  # selectolax raises plain errors on pathological input
        return None
    signals = read_wall_signals(tree, None, status, headers, None)
    body = tree.body
    words = text_words(body.text(separator=" ")) if body is not None else 0
    wall = decide_wall(signals, words)
    return (wall.kind, wall.what) if wall is not None and wall.kind == "challenge" else None


def take_paywall_prompts(tree: LexborHTMLParser, *, names: PageNames | None = None) -> int:
    """Remove the paywall prompt blocks ("Subscribe to continue reading") from ``tree``
    (in place, before the body is read): how many were removed. ``names``: the page's
    class and id names, when already read."""
    chosen: list[LexborNode] = []
    ids: set[int] = set()
    blocks = narrowed(mk.PAYWALL_BLOCKS, names)
    for node in tree.css(blocks) if blocks else ():
        if node.tag in ("html", "body") or _under(node, ids):
            continue
        text = node.text(separator=" ")
        words = text_words(text)
        if (mk.PAYWALL_PROMPT_MIN_WORDS <= words <= mk.PAYWALL_PROMPT_MAX_WORDS
                and mk.PAYWALL_PROMPT.search(text)):
            chosen.append(node)
            ids.add(node.mem_id)
    for node in chosen:
        node.decompose()
    return len(chosen)


def _under(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _paywalled_jsonld(item: dict[str, Any]) -> bool:
    if not _not_free(item.get("isAccessibleForFree")):
        return False
    parts = item.get("hasPart")
    parts = parts if isinstance(parts, list) else [parts]
    return any(isinstance(p, dict) and _not_free(p.get("isAccessibleForFree")) for p in parts)


def _not_free(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def _page_words(tree: LexborHTMLParser) -> int:
    """Words of the page's visible text, counted up to _PAGE_WORDS_CAP (a long page stops
    the walk early: its exact count decides nothing)."""
    body = tree.body
    if body is None:
        return 0
    total = 0
    for node in body.traverse(include_text=False):
        if node.tag not in ("script", "style", "noscript", "template"):
            total += text_words(node.text(deep=False))
            if total >= _PAGE_WORDS_CAP:
                return _PAGE_WORDS_CAP
    return total


def _title(tree: LexborHTMLParser) -> str:
    node = tree.css_first("title")
    return " ".join(node.text().split()) if node is not None else ""


def _first_heading(tree: LexborHTMLParser) -> str:
    node = tree.css_first("h1")
    return " ".join(node.text().split()) if node is not None else ""


def _scripts(tree: LexborHTMLParser) -> str:
    parts = []
    for node in tree.css("script"):
        parts.append((node.attributes.get("src") or "").lower())
        parts.append(node.text()[:_SCRIPT_TEXT_CHARS].lower())
    return "\n".join(parts)


def _find(markers: tuple[tuple[str, str], ...], text: str) -> str:
    return next((vendor for marker, vendor in markers if marker in text), "")


def _header_vendor(markers: tuple[tuple[str, str, str], ...],
                   headers: list[tuple[str, str]]) -> str:
    for name, value, vendor in markers:
        if any(n == name and value in v for n, v in headers):
            return vendor
    return ""


def _matches(patterns: tuple[Any, ...], text: str) -> bool:
    return bool(text) and any(p.search(text) for p in patterns)


def _consent_host(url: str | None) -> bool:
    if not url:
        return False
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return bool(mk.CONSENT_HOST.match(host))
