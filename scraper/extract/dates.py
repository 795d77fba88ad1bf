"""Date strings -> ISO 8601, kept as precise as the page is: a full timestamp with its offset
when the page gives one, else ``YYYY-MM-DD``. Dates in the future or before 1995 are rejected.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from dateutil import parser as dateutil_parser
from htmldate import find_date

from scraper.extract.selectors import MONTH_NAMES

EARLIEST = date(1995, 1, 1)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_]|$)"
)
_COMPACT = re.compile(r"^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")


def _plausible(day: date, *, today: date | None = None) -> bool:
    today = today or datetime.now(UTC).date()
    return EARLIEST <= day <= today + timedelta(days=1)


_MONTH_NAME = re.compile(
    r"\b(?:jan|feb|m[aä]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz])[a-zé]*\b", re.IGNORECASE
)


_DOTTED = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}(?![\d.])")
"""01.11.2023: day first wherever dots separate the numbers."""


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    dayfirst = bool(_DOTTED.search(text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
        for fuzzy in (False, True):
            try:
                return dateutil_parser.parse(
                    text, fuzzy=fuzzy, dayfirst=dayfirst, default=datetime(1, 1, 1)
                )
            except (ValueError, OverflowError, TypeError):
                continue
    return None


def normalise_date(value: str | None, *, today: date | None = None) -> str | None:
    """Parse a date/timestamp string; None if it is not a plausible publication date."""
    if not value:
        return None
    text = " ".join(str(value).split())[:100]
    if not text or not _YEAR.search(text) and not _COMPACT.match(text):
        return None
    if compact := _COMPACT.match(text):
        text = f"{compact.group(1)}-{compact.group(2)}-{compact.group(3)}"
    numbers = len(re.findall(r"\d+", text))
    if numbers < 3 and not (numbers == 2 and _MONTH_NAME.search(text)):
        return None  # a year, or a month and a year, is not a day
    parsed = _parse(text)
    if parsed is None:
        return None
    if parsed.year < 1000:
        return None
    if not _plausible(parsed.date(), today=today):
        return None
    if _ISO_DATE.match(text) or not _HAS_TIME.search(text):
        return parsed.date().isoformat()
    if parsed.tzinfo is not None:
        return parsed.isoformat()
    if parsed.hour == parsed.minute == parsed.second == 0:
        return parsed.date().isoformat()
    return parsed.isoformat()


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ANY_MONTH = (
    "(?:"
    + "|".join(sorted((re.escape(m) for m in MONTH_NAMES), key=len, reverse=True))
    + r")\.?"
)
_DAY_FIRST = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+|de\s+)?({_ANY_MONTH}),?\s+(?:de\s+)?"
    r"((?:19|20)\d{2})\b",
    re.I,
)
_TEXT_DATES = (
    re.compile(rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b", re.I),
    _DAY_FIRST,
    re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b"),
    re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}\b"),
    _SLASHED := re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])"),
)


def _text_match_date(found: str, today: date | None) -> str | None:
    if slashed := _SLASHED.fullmatch(found):
        # 15/07/2014 or 07/15/2014: read only when one of the numbers cannot be a month
        first, second, number_year = (int(n) for n in slashed.groups())
        if (first > 12) == (second > 12):
            return None
        found = f"{number_year}-{min(first, second):02d}-{max(first, second):02d}"
        if not _real_day(found):
            return None
    elif re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", found):
        day, month, year = found.split(".")
        found = f"{year}-{int(month):02d}-{int(day):02d}"
    elif (match := _DAY_FIRST.fullmatch(found)) and (
        number := MONTH_NAMES.get(match.group(2).rstrip(".").lower())
    ):
        found = f"{match.group(3)}-{number:02d}-{int(match.group(1)):02d}"
        if not _real_day(found):
            return None
    return normalise_date(found, today=today)


def slashed_days(text: str) -> set[str]:
    """Every day the slashed dates in a text can be read as: 03/04/2021 is 3 April or 4 March.
    Enough to tell that a page prints a day known from elsewhere."""
    found: set[str] = set()
    for match in _SLASHED.finditer(text):
        first, second, year = (int(n) for n in match.groups())
        for day, month in ((first, second), (second, first)):
            if _real_day(iso := f"{year}-{month:02d}-{day:02d}"):
                found.add(iso)
    return found


def _real_day(iso: str) -> bool:
    try:
        date.fromisoformat(iso)
    except ValueError:
        return False
    return True


def find_date_in_text(text: str, *, today: date | None = None) -> str | None:
    """The first plausible date written out in a short text ("Posted on March 5, 2024")."""
    for pattern in _TEXT_DATES:
        for match in pattern.finditer(text):
            if value := _text_match_date(match.group(0), today):
                return value
    return None


def days_in_text(text: str, *, today: date | None = None) -> list[tuple[int, str]]:
    """Every plausible day written out in a text, as (offset, YYYY-MM-DD), in text order.
    Slashed numbers are read only when one of them cannot be a month (15/07/2014): in
    03/04/2021, month-first or day-first is a guess."""
    found: list[tuple[int, str]] = []
    for pattern in _TEXT_DATES:
        for match in pattern.finditer(text):
            if value := _text_match_date(match.group(0), today):
                found.append((match.start(), value[:10]))
    return sorted(found)


def htmldate_guess(html: str, url: str | None, *, original: bool = True) -> str | None:
    """htmldate's search of the whole page (markup patterns, then text), as a last resort."""
    try:
        found = find_date(html, url=url, original_date=original, extensive_search=True,
                          max_date=datetime.now(UTC).strftime("%Y-%m-%d"))
    except (ValueError, TypeError, OverflowError):
        return None
    return normalise_date(found) if found else None


def _year_only(value: str) -> bool:
    """1 January with no time: what htmldate returns when all it found was a year (a copyright
    line, an archive heading), not a day anyone printed."""
    return len(value) == 10 and value.endswith("-01-01")


def _month_only(value: str) -> bool:
    """The 1st with no time: all a /2024/03/ link in a menu or sidebar tells htmldate."""
    return len(value) == 10 and value.endswith("-01")


def fallback_date(
    cleaned_html: str,
    full_html: str,
    url: str | None,
    *,
    guess: Callable[[str, str | None], str | None] = htmldate_guess,
) -> str | None:
    """The last resort: ``guess`` (htmldate) on the page without its chrome, else on the
    whole page (the date may sit in a header that chrome removal took). A year-only guess is
    no date; from the whole page, whose menus and sidebars link to other months' archives,
    nor is a month-only one."""
    cleaned = guess(cleaned_html, url)
    if cleaned is not None and not _year_only(cleaned):
        return cleaned
    whole = guess(full_html, url)
    return None if whole is None or _month_only(whole) else whole


def date_from_url(url: str | None, *, today: date | None = None) -> str | None:
    """A /2023/09/17/ style date in the URL path."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return day.isoformat() if _plausible(day, today=today) else None
