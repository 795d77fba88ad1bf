"""Stand-ins for a changed extractor, run by `reextract`'s worker processes (so they live in
a module of their own, importable there)."""

from __future__ import annotations

import os
import time
from dataclasses import replace

from scraper.archive.similarity import Sketch
from scraper.captures.jobs import extract_stored
from scraper.models import Article, Hints

SLOW = "REEXTRACT_TEST_DELAY"
"""Seconds each page takes, to give a test time to kill the run."""


def headline_rule(path: str, offset: int, length: int, url: str, hints: Hints | None,
                  cap: int, known_body: str | None) -> tuple[Article, Sketch | None]:
    """Today's extractor, with one deliberate change: headlines of /news/ pages in capitals."""
    article, sketch = extract_stored(path, offset, length, url, hints, cap, known_body)
    if delay := float(os.environ.get(SLOW, "0")):
        time.sleep(delay)
    if "/news/" in url:
        article = replace(article, title=(article.title or "").upper())
    return article, sketch
