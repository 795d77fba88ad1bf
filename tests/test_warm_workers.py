"""The extraction workers start warm: the libraries' lazy one-time state (dateparser's locales,
justext's stoplists) is built once in the forkserver, not on a worker's first pages."""

from __future__ import annotations

import asyncio

from scraper.crawl.pool import Extractors, PoolSettings
from scraper.extract.warm import WARM_UP_PAGE, warm_up


def _stoplist_built() -> bool:
    import trafilatura.external

    return trafilatura.external.JT_STOPLIST is not None


async def _in_fresh_workers(recycle_after: int) -> list[bool]:
    extractors = Extractors(PoolSettings(workers=2, recycle_after=recycle_after))
    try:
        return [await extractors.run(_stoplist_built) for _ in range(4)]
    finally:
        extractors.close()


def test_every_worker_of_every_pool_starts_with_the_warm_state() -> None:
    # recycle_after=1: every job in a pool of workers that did nothing before it
    assert asyncio.run(_in_fresh_workers(recycle_after=1)) == [True] * 4


def test_warm_up_is_idempotent_and_never_raises() -> None:
    warm_up()
    warm_up()
    import trafilatura.external

    assert trafilatura.external.JT_STOPLIST
    assert "<div>" in WARM_UP_PAGE and "<article" not in WARM_UP_PAGE
