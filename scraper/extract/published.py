"""Where the publication date is chosen: one cascade, first source that gives a date wins.

1. The page's markup as served (:func:`read_served_dates`, before chrome removal): meta
   tags, JSON-LD datePublished, the visible date near the headline, generic meta dates,
   JSON-LD dateCreated, the URL; with the corrections of :func:`_correct`.
2. The day printed just under the headline, when it is the one day the cleaned page
   prints (no second parse of the page); else htmldate on the cleaned page, then on the
   whole page (``dates.fallback_date``: a second, lxml parse).
3. The day printed just under the headline (read from the page as served).
4. The page's last change (its modified date).
5. The one day the cleaned page prints.
6. The listing's hint (the feed or sitemap entry that linked the page).

Steps 1 and 3 read the page before chrome removal, so :func:`read_served_dates` runs first
and hands on values (:class:`ServedDates`); :func:`choose_publication` runs the cascade on
those values and the cleaned tree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.date_sources import META_SOURCES, SETTLED_BY_HTMLDATE, DateSource
from scraper.extract.dates import date_from_url, fallback_date, htmldate_guess, normalise_date
from scraper.extract.jsonld import JsonLd, text_of
from scraper.extract.metadata import page_language
from scraper.extract.printed import (
    Dated,
    day_under_headline,
    only_printed_day,
    printed_headline_day,
    visible_date,
)
from scraper.models import Hints

DateGuesser = Callable[[str, str | None], str | None]
"""``(html, url) -> ISO date or None``: a whole-page date search (default: htmldate's)."""


@dataclass(frozen=True, slots=True)
class ServedDates:
    """What the page as served says about its dates, read before chrome removal."""

    published: str | None
    source: DateSource | None
    modified: str | None
    headline_day: str | None
    """The day printed under the headline; read only when the markup gives no date."""
    html: str
    """The page as fetched, for htmldate's whole-page search."""


@dataclass(frozen=True, slots=True)
class Publication:
    """The cascade's answer: the dates and the source of the publication date."""

    published: str | None = None
    modified: str | None = None
    date_source: DateSource | None = None


def read_served_dates(
    served: LexborHTMLParser,
    tags: dict[str, str],
    jsonld: JsonLd,
    html: str,
    url: str | None,
    *,
    guess: DateGuesser = htmldate_guess,
) -> ServedDates:
    """Step 1 of the cascade and what step 3 needs, read from the page as served (``tags``:
    its meta tags, ``html``: its text as fetched)."""
    found = _markup_date(served, tags, jsonld, url, guess=guess)
    published, source = found if found is not None else (None, None)
    modified = normalise_date(text_of(jsonld.article.get("dateModified")))
    if modified is None:
        modified = next(
            (m for k in sel.MODIFIED_META if k in tags if (m := normalise_date(tags[k]))), None
        )
    headline_day = printed_headline_day(served) if published is None else None
    return ServedDates(published, source, modified, headline_day, html)


def choose_publication(
    served: ServedDates,
    cleaned: LexborHTMLParser,
    url: str | None,
    hints: Hints | None = None,
    *,
    guess: DateGuesser = htmldate_guess,
) -> Publication:
    """The publication date by the module's cascade. ``cleaned``: the page after source-link
    and chrome removal, as the body reader left it (it unnames misnamed article wrappers)."""
    modified = served.modified
    if served.published is not None:
        return Publication(served.published, modified, served.source)
    if served.headline_day and only_printed_day(cleaned) == served.headline_day:
        # the one day the page prints, under the headline: no second parse of the page
        return Publication(served.headline_day, modified, "headline")
    if found := fallback_date(cleaned.html or "", served.html, url, guess=guess):
        return Publication(found, modified, "htmldate")
    if served.headline_day:
        return Publication(served.headline_day, modified, "headline")
    if modified:  # the page's last change: closer than no date at all
        return Publication(modified, modified, "modified")
    if only_day := only_printed_day(cleaned):  # read without the page's chrome
        return Publication(only_day, modified, "text")
    if hints is not None and hints.published:
        return Publication(hints.published, modified, hints.source)
    return Publication(None, modified, None)


def _markup_date(
    served: LexborHTMLParser,
    tags: dict[str, str],
    jsonld: JsonLd,
    url: str | None,
    *,
    guess: DateGuesser = htmldate_guess,
) -> Dated | None:
    """Step 1: the page's markup. Order: meta tags (article:published_time and friends),
    JSON-LD datePublished, visible markup near the headline, generic meta dates (``date``,
    ``dc.date``: often the last change), JSON-LD dateCreated, the URL; the first three settled
    by htmldate when they disagree; then the corrections of :func:`_correct`."""
    candidates: list[Dated] = []
    generic: list[Dated] = []
    for key in sel.PUBLISHED_META:
        if key in tags and (value := normalise_date(tags[key])):
            bucket = generic if key in sel.GENERIC_DATE_META else candidates
            bucket.append((value, META_SOURCES[key]))
    if value := normalise_date(text_of(jsonld.article.get("datePublished"))):
        candidates.insert(1 if candidates else 0, (value, "json-ld"))
    if found := visible_date(served):
        candidates.append(found)
    leading = candidates[: tuning.SETTLED_SOURCES]
    candidates = _settle_disagreement(served, leading, candidates, url, guess)
    candidates.extend(generic)
    if value := normalise_date(text_of(jsonld.article.get("dateCreated"))):
        candidates.append((value, "json-ld:dateCreated"))
    url_day = date_from_url(url)
    if url_day:
        candidates.append((url_day, "url"))
    if not candidates:
        return None
    published, source = _correct(served, candidates, url_day)
    language = page_language(served, tags)
    language = (language.strip() or None) if language else None  # the markup's own, spaced or not
    return _local_midnight(published, language), source


def _correct(
    served: LexborHTMLParser, candidates: list[Dated], url_day: str | None
) -> Dated:
    """The first candidate, unless: it is a meta, JSON-LD or <time> value whose day the page
    never prints, and a day is printed just under the headline (not that timestamp's day in
    another time zone): that day; the URL carries a full date one day off the timestamp
    (a time-zone shift: the timestamp lies within hours of that midnight): the URL's day, the
    publisher's own; another source gives the same instant in the page's own offset where the
    first gives UTC: that local one."""
    published, source = candidates[0]
    shown = (
        day_under_headline(served, published[:10])
        if source.startswith(("meta:", "json-ld", "time"))
        else None
    )
    if shown is not None and not _zone_shifted(published, shown):
        return shown, "headline"
    if url_day and published != url_day and _zone_shifted(published, url_day):
        return url_day, "url"
    local = _prefer_local(published, [c for c, _ in candidates[1:]])
    if local != published:
        return local, next(s for c, s in candidates if c == local)
    return published, source


def _settle_disagreement(
    served: LexborHTMLParser,
    leading: list[Dated],
    candidates: list[Dated],
    url: str | None,
    guess: DateGuesser,
) -> list[Dated]:
    """``candidates`` reordered when the page's own sources (``leading``: first meta tag,
    JSON-LD, visible date) name different days: htmldate's whole-page search picks among
    them, the one it agrees with goes first, unless more of them agree on another day (not
    merely the same moment in another zone): then the first of those goes first.
    Run only on such pages (a few percent), since it parses the page again."""
    if len({value[:10] for value, _ in leading}) < 2:
        return candidates
    found = guess(served.html or "", url)
    if found is None:
        return candidates
    votes = Counter(value[:10] for value, _ in leading)
    top = max(votes.values())
    if votes[found[:10]] < top and not any(
        votes[value[:10]] == top and _zone_shifted(value, found[:10]) for value, _ in leading
    ):
        winner = next(c for c in leading if votes[c[0][:10]] == top)
        return [winner, *_without(candidates, winner)]
    for value, source in leading:
        if value[:10] == found[:10]:
            return [(value, SETTLED_BY_HTMLDATE[source]), *_without(candidates, (value, source))]
    return candidates


def _without(candidates: list[Dated], candidate: Dated) -> list[Dated]:
    """``candidates`` less the first that equals ``candidate``."""
    rest = list(candidates)
    rest.remove(candidate)
    return rest


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _is_utc(value: str) -> bool:
    return value.endswith(("+00:00", "Z"))


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
    return (shift == 1 and hours >= 24 - tuning.ZONE_SHIFT_HOURS) or (
        shift == -1 and hours < tuning.ZONE_SHIFT_HOURS
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
        if moment.tzinfo is not None and (
            abs((moment - instant).total_seconds()) < tuning.SAME_INSTANT_SECONDS
        ):
            return other
    return chosen


def _local_midnight(value: str, language: str | None) -> str:
    """22:00:00 or 23:00:00 UTC on the dot is a CMS storing local midnight (UTC+1/+2) in UTC:
    the publisher's day is the next one. Only where the page's language is one of the
    Central European time zone's: in English, Portuguese... it is an evening like any other."""
    if language is not None and language not in sel.CET_LANGUAGES:
        return value
    if _is_utc(value) and value[11:19] in ("22:00:00", "23:00:00"):
        return (_day(value) + timedelta(days=1)).isoformat()
    return value
