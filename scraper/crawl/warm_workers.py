"""Imported by the extraction pool's forkserver, and by nothing else: importing it builds the
extractor libraries' lazy one-time state (:func:`scraper.extract.warm.warm_up`) in the
forkserver, once, so every worker forked from it starts warm instead of paying ~1.5 s of CPU
on its first pages, again in every replacement pool (``PoolSettings.recycle_after``)."""

from __future__ import annotations

import contextlib

from scraper.extract.warm import warm_up

with contextlib.suppress(Exception):  # the forkserver must start whatever happens here
    warm_up()
