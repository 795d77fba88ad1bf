"""Generated article records for bulk tests and benches: many, fast, deterministic.

Every ``UNDATED_EVERY``-th article has no publication date; the others are spread over
``days`` days from ``FIRST_DAY``, written with a time and a +02:00 offset (the site's own day
is the partition day). Bodies are short (below the near-duplicate sketch's minimum), so a
bulk save spends its time on the rows, not on sketches.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

from scraper import Article

FIRST_DAY = date(2024, 1, 1)
UNDATED_EVERY = 37
SITES = ("harbour-times", "valley-post", "coast-ledger")
VOCABULARY = tuple(f"{a}{b}{c}{d}" for a in ("ba", "ko", "mi", "su", "te", "ra", "lo", "ve")
                   for b in "nrsldmtgkp" for c in ("a", "e", "i", "o", "u", "ai", "ou", "ee")
                   for d in ("", "n", "s", "th", "l"))
"""Made-up words; every body draws its own at random (seeded by its number), so no two bodies
are near-duplicates (no sketch comparisons pile up while building)."""


def published(number: int, days: int) -> str | None:
    if number % UNDATED_EVERY == 0:
        return None
    day = FIRST_DAY + timedelta(days=number % days)
    return f"{day.isoformat()}T{number % 24:02d}:15:00+02:00"


def generated(count: int, *, days: int = 120,
              body_words: int = 10) -> Iterator[tuple[Article, str]]:
    """``count`` distinct articles with the site each is saved under; ``body_words`` words
    of body past the first line (800 is a ~5 KB news story)."""
    for number in range(count):
        site = SITES[number % len(SITES)]
        when = published(number, days)
        words = random.Random(number).choices(VOCABULARY, k=body_words)
        body = f"Report {number} from the {site} desk: " + " ".join(words)
        yield Article(
            url=f"https://{site}.example/story-{number}/", title=f"Story number {number}",
            published=when, section=("World", "Sport", None)[number % 3],
            headings=[f"Part {number % 4}"], body=body, word_count=len(body.split()),
            content_hash=f"{number:016x}", authors=["Ann Lee", f"Writer {number % 5}"],
            tags=["harbour"] if number % 2 else [], language="en",
        ), site


def day_counts(count: int, *, days: int = 120) -> Counter[str | None]:
    """How many generated articles fall on each partition day (None: undated)."""
    return Counter(None if (p := published(n, days)) is None else p[:10] for n in range(count))
