"""The dates a page shows its reader: microdata and <time> in the article, a byline's
written-out date, the day printed just under the headline, the one day the page prints.

Readers of a tree, no decisions: the date cascade (``published.py``) asks them in its order.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.date_sources import DateSource
from scraper.extract.dates import days_in_text, find_date_in_text, normalise_date, slashed_days
from scraper.extract.text import MAIN_CONTAINERS, inside, node_text

Dated = tuple[str, DateSource]
"""A date and the source that gave it."""


def visible_date(tree: LexborHTMLParser) -> Dated | None:
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


def _byline_date(tree: LexborHTMLParser) -> Dated | None:
    """A date written out in a byline or meta line, or just after the headline.
    A date line above the headline (a header bar's today, the edition's day) yields to a
    different day printed just under the headline."""
    # (node, whether it must lie outside DATE_EXCLUDED_ANCESTORS): tested only for a node
    # whose text holds a date, the rare case
    nodes = [(n, True) for n in tree.css(_BYLINE)]
    h1 = _headline(tree)
    if h1 is not None:
        sibling, steps = h1.next, 0
        while sibling is not None and steps < tuning.BYLINE_SIBLINGS:
            if sibling.is_element_node:
                nodes.append((sibling, False))
                steps += 1
            sibling = sibling.next
    for node, placed in nodes:
        text = node_text(node)
        if not tuning.BYLINE_MIN_CHARS <= len(text) <= tuning.BYLINE_MAX_CHARS:
            continue
        if (value := find_date_in_text(text)) and not (
            placed and inside(node, sel.DATE_EXCLUDED_ANCESTORS)
        ):
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


def _shown_text(node: LexborNode) -> str:
    """A text node's words as the reader sees them ("" for markup, scripts and styles)."""
    if node.tag != "-text" or (node.parent is not None and node.parent.tag in _HIDDEN_TEXT):
        return ""
    return " ".join((node.text_content or "").split())


def day_under_headline(tree: LexborHTMLParser, chosen_day: str) -> str | None:
    """The day printed just under the headline, when the page prints nowhere ``chosen_day``
    (the day the metadata or a <time> attribute gave): what the reader is shown beats a
    timestamp the CMS keeps for itself. ``chosen_day`` "" asks for the printed day alone.
    A day labelled as an update ("Updated", "Aktualisiert") does not count."""
    body, h1 = tree.body, _headline(tree)
    if body is None or h1 is None:
        return None
    pieces: list[str] = []
    length, start, end = 0, -1, -1
    past = tuning.HEADLINE_WINDOW_MARGIN
    walk = body.traverse(include_text=True)
    for node in walk:  # the text up to just past the headline's window; the rest if needed
        if node.mem_id == h1.mem_id:
            start = length
            end = start + len(node_text(h1)) + tuning.HEADLINE_WINDOW
        if text := _shown_text(node):
            pieces.append(text)
            length += len(text) + 1
            if start >= 0 and length > end + past:
                break
    if start < 0:
        return None
    text = " ".join(pieces)
    lead = max(0, start - tuning.HEADLINE_LEAD_CHARS)
    window = [(o + lead, d) for o, d in days_in_text(text[lead : end + past]) if o + lead <= end]
    if any(day == chosen_day for _, day in window):
        return None
    label_room = tuning.UPDATE_LABEL_CHARS
    shown = next(
        (
            day
            for offset, day in window
            if offset >= start
            and not sel.UPDATE_LABEL.search(text[max(0, offset - label_room) : offset])
        ),
        None,
    )
    if shown is None or not chosen_day:
        return shown
    pieces.extend(text for node in walk if (text := _shown_text(node)))
    text = " ".join(pieces)
    if chosen_day[:4] not in text:  # every written-out day has its year in full
        return shown
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
    return day_under_headline(tree, "")


def _first_date(candidates: list[tuple[LexborNode, str]], source: DateSource) -> Dated | None:
    for _, value in candidates:
        if date := normalise_date(value):
            return date, source
    return None
