"""The publication and modification dates: JSON-LD and meta tags beat visible markup;
a <time> near the headline beats dates in sidebars and header bars; then the URL."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract.dates import (
    date_from_url,
    days_in_text,
    find_date_in_text,
    htmldate_guess,
    normalise_date,
    slashed_days,
)
from scraper.extract.jsonld import JsonLd, text_of
from scraper.extract.text import MAIN_CONTAINERS, inside, node_text


def _visible_date(tree: LexborHTMLParser) -> tuple[str | None, str | None] | None:
    """<time datetime> / itemprop=datePublished in the article, not in sidebars or headers."""
    candidates: list[tuple[LexborNode, str]] = []
    for node in tree.css("[itemprop=datePublished]"):
        value = (
            node.attributes.get("content") or node.attributes.get("datetime") or node_text(node)
        )
        if value:
            candidates.append((node, value))
    if candidates and (found := _first_date(candidates, "microdata")):
        return found
    for node in tree.css("time"):
        shown = _time_value(node)
        if shown and not inside(node, sel.DATE_EXCLUDED_ANCESTORS):
            candidates.append((node, shown))
    if not candidates:
        return _byline_date(tree)
    main = [(n, v) for n, v in candidates if inside(n, _MAIN_CONTAINERS)]
    return _first_date(main or candidates, "time") or _byline_date(tree)


_MAIN_CONTAINERS = tuple(MAIN_CONTAINERS.split(", "))
_DATE_EXCLUDED = ", ".join(sel.DATE_EXCLUDED_ANCESTORS)
_ISO_START = re.compile(r"^\s*(?:19|20)\d{2}\b")


def _time_value(node: LexborNode) -> str | None:
    """A <time>'s datetime attribute, unless it is not ISO (01-11-2023: which is the month?)
    and the element's text writes the date out: then the text."""
    attribute = node.attributes.get("datetime")
    text = node_text(node)
    if attribute and not _ISO_START.match(attribute) and (written := find_date_in_text(text)):
        return written
    return attribute or text


_BYLINE = (
    "[class*=date], [class*=byline], [class*=meta], [class*=time], [class*=posted], "
    "[class*=publish], [id*=date], [class*=info]"
)


def _byline_date(tree: LexborHTMLParser) -> tuple[str | None, str | None] | None:
    """A date written out in a byline or meta line, or just after the headline.
    A date line above the headline (a header bar's today, the edition's day) yields to a
    different day printed just under the headline."""
    nodes = [n for n in tree.css(_BYLINE) if not inside(n, sel.DATE_EXCLUDED_ANCESTORS)]
    h1 = _headline(tree)
    if h1 is not None:
        sibling, steps = h1.next, 0
        while sibling is not None and steps < 4:
            if sibling.is_element_node:
                nodes.append(sibling)
                steps += 1
            sibling = sibling.next
    for node in nodes:
        text = node_text(node)
        if 6 <= len(text) <= 200 and (value := find_date_in_text(text)):
            if (
                h1 is not None
                and _above(node, h1, tree)
                and (shown := printed_headline_day(tree))
                and shown != value[:10]
            ):
                return shown, "headline"
            return value, "text"
    return None


def _above(node: LexborNode, h1: LexborNode, tree: LexborHTMLParser) -> bool:
    """The node ends before the headline starts (it comes first and does not hold it)."""
    if tree.body is None or any(h.mem_id == h1.mem_id for h in node.css("h1")):
        return False
    for current in tree.body.traverse():
        if current.mem_id == h1.mem_id:
            return False
        if current.mem_id == node.mem_id:
            return True
    return False


def _headline(tree: LexborHTMLParser) -> LexborNode | None:
    """The headline's h1: the first of two words or more (an empty or one-word h1 before it
    holds the logo or the site's name)."""
    first = None
    for node in tree.css("h1"):
        first = first or node
        if len(node_text(node).split()) >= 2:
            return node
    return first


_HIDDEN_TEXT = frozenset({"script", "style", "noscript", "template"})
HEADLINE_WINDOW = 200
"""How many characters after the headline count as its byline."""


def _shown_text(node: LexborNode) -> str:
    """A text node's words as the reader sees them ("" for markup, scripts and styles)."""
    if node.tag != "-text" or (node.parent is not None and node.parent.tag in _HIDDEN_TEXT):
        return ""
    return " ".join((node.text_content or "").split())


def _headline_date(tree: LexborHTMLParser, chosen_day: str) -> str | None:
    """The day printed just under the headline, when the page prints nowhere the day the
    metadata or a <time> attribute gave: what the reader is shown beats a timestamp the CMS
    keeps for itself.
    A day labelled as an update ("Updated", "Aktualisiert") does not count."""
    body, h1 = tree.body, _headline(tree)
    if body is None or h1 is None:
        return None
    pieces: list[str] = []
    length, start, end = 0, -1, -1
    walk = body.traverse(include_text=True)
    for node in walk:  # the text up to just past the headline's window; the rest if needed
        if node.mem_id == h1.mem_id:
            start = length
            end = start + len(node_text(h1)) + HEADLINE_WINDOW
        if text := _shown_text(node):
            pieces.append(text)
            length += len(text) + 1
            if start >= 0 and length > end + 40:
                break
    if start < 0:
        return None
    text = " ".join(pieces)
    lead = max(0, start - 30)
    window = [(o + lead, d) for o, d in days_in_text(text[lead : end + 40]) if o + lead <= end]
    if any(day == chosen_day for _, day in window):
        return None
    shown = next(
        (
            day
            for offset, day in window
            if offset >= start and not sel.UPDATE_LABEL.search(text[max(0, offset - 30) : offset])
        ),
        None,
    )
    if shown is None:
        return None
    pieces.extend(text for node in walk if (text := _shown_text(node)))
    text = " ".join(pieces)
    if any(day == chosen_day for _, day in days_in_text(text)) or chosen_day in slashed_days(text):
        return None
    return shown


def only_printed_day(tree: LexborHTMLParser) -> str | None:
    """The one day the page prints in its visible text, when it prints exactly one outside
    sidebars, footers, menus and comments (DATE_EXCLUDED_ANCESTORS)."""
    if tree.body is None:
        return None
    text = " ".join(t for node in tree.body.traverse(include_text=True) if (t := _shown_text(node)))
    days = {day for _, day in days_in_text(text)}
    if days:
        for node in tree.css(_DATE_EXCLUDED):
            days -= {day for _, day in days_in_text(node_text(node))}
    return days.pop() if len(days) == 1 else None


def printed_headline_day(tree: LexborHTMLParser) -> str | None:
    """The day printed just under the headline (update-labelled days excepted): the last
    resort when nothing else on the page dates it."""
    return _headline_date(tree, "")


def _first_date(
    candidates: list[tuple[LexborNode, str]], source: str
) -> tuple[str | None, str | None] | None:
    for _, value in candidates:
        if date := normalise_date(value):
            return date, source
    return None


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _is_utc(value: str) -> bool:
    return value.endswith(("+00:00", "Z"))


ZONE_SHIFT_HOURS = 6
"""How close to midnight a timestamp must be for a neighbouring printed day to be the same
moment seen from another time zone."""


def _zone_shifted(stamp: str, day: str) -> bool:
    """The printed day is the timestamp's day seen from another time zone: the day after a
    late-evening timestamp, or the day before an early-morning one (within ZONE_SHIFT_HOURS
    of midnight). The timestamp's own day stands."""
    if len(stamp) < 16 or stamp[10] != "T":
        return False
    try:
        hours = int(stamp[11:13]) + int(stamp[14:16]) / 60
    except ValueError:
        return False
    shift = (_day(day) - _day(stamp)).days
    return (shift == 1 and hours >= 24 - ZONE_SHIFT_HOURS) or (
        shift == -1 and hours < ZONE_SHIFT_HOURS
    )


def _prefer_local(chosen: str, others: list[str]) -> str:
    """A UTC timestamp restated by another source in the page's own offset: keep the local one,
    whose calendar day is the one the publisher printed."""
    if not _is_utc(chosen) or len(chosen) <= 10:
        return chosen
    instant = datetime.fromisoformat(chosen)
    for other in others:
        if len(other) <= 10 or _is_utc(other):
            continue
        try:
            moment = datetime.fromisoformat(other)
        except ValueError:
            continue
        if moment.tzinfo is not None and abs((moment - instant).total_seconds()) < 120:
            return other
    return chosen


def _page_language(tree: LexborHTMLParser, meta: dict[str, str]) -> str | None:
    html = tree.css_first("html")
    lang = (html.attributes.get("lang") if html is not None else None) or meta.get(
        "content-language"
    ) or meta.get("og:locale")
    return lang.replace("_", "-").split("-")[0].strip().lower() or None if lang else None


def _local_midnight(value: str, language: str | None) -> str:
    """22:00:00 or 23:00:00 UTC on the dot is a CMS storing local midnight (UTC+1/+2) in UTC:
    the publisher's day is the next one. Only where the page's language is one of the
    Central European time zone's: in English, Portuguese... it is an evening like any other."""
    if language is not None and language not in sel.CET_LANGUAGES:
        return value
    if _is_utc(value) and value[11:19] in ("22:00:00", "23:00:00"):
        return (_day(value) + timedelta(days=1)).isoformat()
    return value


def _settle_disagreement(
    tree: LexborHTMLParser,
    leading: list[tuple[str, str]],
    candidates: list[tuple[str, str]],
    url: str | None,
) -> None:
    """When the page's own sources (first meta tag, JSON-LD, visible date) name different days,
    let htmldate's whole-page search pick among them: the one it agrees with goes first,
    unless more of them agree on another day (not merely the same moment in another zone):
    then the first of those goes first.
    Run only on such pages (a few percent), since it parses the page again."""
    if len({value[:10] for value, _ in leading}) < 2:
        return
    guess = htmldate_guess(tree.html or "", url)
    if guess is None:
        return
    votes = Counter(value[:10] for value, _ in leading)
    top = max(votes.values())
    if votes[guess[:10]] < top and not any(
        votes[value[:10]] == top and _zone_shifted(value, guess[:10]) for value, _ in leading
    ):
        winner = next(c for c in leading if votes[c[0][:10]] == top)
        candidates.remove(winner)
        candidates.insert(0, winner)
        return
    for value, source in leading:
        if value[:10] == guess[:10]:
            candidates.remove((value, source))
            candidates.insert(0, (value, f"{source}+htmldate"))
            return


def choose_dates(
    tree: LexborHTMLParser, meta: dict[str, str], jsonld: JsonLd, url: str | None
) -> tuple[str | None, str | None, str | None]:
    """(published, date_source, modified).

    Order: meta tags (article:published_time and friends), JSON-LD datePublished, visible
    markup near the headline, generic meta dates (``date``, ``dc.date``: often the last
    change), JSON-LD dateCreated, the URL. Corrections: when the winner is a meta, JSON-LD or
    <time> value whose day the page never prints, the day printed just under the headline
    wins (unless it is that timestamp's day in another time zone); a UTC timestamp that
    another source gives in the page's own offset is replaced by that local one; when the URL
    carries a full date one day off the chosen timestamp (a time-zone shift: the timestamp
    lies within hours of that midnight), the URL's day is the publisher's own and wins; and
    on pages in a Central European language a UTC 22:00/23:00 on the dot is the next day's
    local midnight.
    """
    candidates: list[tuple[str, str]] = []
    generic: list[tuple[str, str]] = []
    for key in sel.PUBLISHED_META:
        if key in meta and (value := normalise_date(meta[key])):
            bucket = generic if key in sel.GENERIC_DATE_META else candidates
            bucket.append((value, f"meta:{key}"))
    if value := normalise_date(text_of(jsonld.article.get("datePublished"))):
        candidates.insert(1 if candidates else 0, (value, "json-ld"))
    if found := _visible_date(tree):
        candidates.append((found[0] or "", found[1] or "time"))
    _settle_disagreement(tree, candidates[: min(3, len(candidates))], candidates, url)
    candidates.extend(generic)
    if value := normalise_date(text_of(jsonld.article.get("dateCreated"))):
        candidates.append((value, "json-ld:dateCreated"))
    url_day = date_from_url(url)
    if url_day:
        candidates.append((url_day, "url"))
    published: str | None = None
    source: str | None = None
    if candidates:
        published, source = candidates[0]
        shown = (
            _headline_date(tree, published[:10])
            if source.startswith(("meta:", "json-ld", "time"))
            else None
        )
        if shown is not None and not _zone_shifted(published, shown):
            published, source = shown, "headline"
        elif url_day and published != url_day and _zone_shifted(published, url_day):
            published, source = url_day, "url"
        else:
            local = _prefer_local(published, [c for c, _ in candidates[1:]])
            if local != published:
                published = local
                source = next(s for c, s in candidates if c == local)
    language = _page_language(tree, meta)
    if published is not None and (midnight := _local_midnight(published, language)) != published:
        published = midnight
    modified = normalise_date(text_of(jsonld.article.get("dateModified")))
    if modified is None:
        modified = next(
            (m for k in sel.MODIFIED_META if k in meta if (m := normalise_date(meta[k]))), None
        )
    return published, source, modified
