"""The extractor's tuning numbers, each with the reason for its value.

Selectors and vocabulary live in ``selectors.py``; the numbers that say how much, how far
and how many live here, so that a change of threshold is a one-line change in one place.
"""

from __future__ import annotations

# --- The publication date (printed.py, published.py) ---

BYLINE_SIBLINGS = 4
"""Elements after the headline read as its byline: the date line sits right under it."""
BYLINE_MIN_CHARS = 6
"""A byline shorter than this cannot hold a written-out date."""
BYLINE_MAX_CHARS = 200
"""A "byline" longer than this is a paragraph, whose dates are the story's, not its own."""
HEADLINE_WINDOW = 200
"""How many characters after the headline count as its byline."""
HEADLINE_WINDOW_MARGIN = 40
"""Text read past that window, so that a date straddling its end is read whole."""
HEADLINE_LEAD_CHARS = 30
"""Text read before the headline too: a date line set just above it."""
UPDATE_LABEL_CHARS = 30
"""How far before a printed day an "Updated" label is looked for."""
SETTLED_SOURCES = 3
"""The leading sources (first meta tag, JSON-LD, visible date) htmldate settles between."""
ZONE_SHIFT_HOURS = 6
"""How close to midnight a timestamp must be for a neighbouring printed day to be the same
moment seen from another time zone."""
SAME_INSTANT_SECONDS = 120
"""Two timestamps this close are the same moment written in two offsets."""
