"""Stopping a cluster run: SIGTERM or Ctrl-C on the driver of ``crawl``, ``import`` or
``reextract --cluster``.

::

    with stop_signals() as stops:             the handlers only note the signal
        for job, result in each_shard(fn, jobs, max_retries=..., stops=stops):
            merge(result)                     raises Stopped at the next look after a signal
    (any way out of the loop cancels the shards still running: their workers are killed)

The driver raises :class:`~scraper.crawl.run.Stopped` at its next look at the shards (a
quarter second at most, or when the next shard is done, before it is merged), never from the
handler: raised inside Ray's own wait, whose C code runs the handlers, it would come out as
a ``SystemError`` and the run would end in a traceback. A merge under way when the signal
comes is finished first, so the archive holds whole shards only.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from scraper.cluster import engine
from scraper.crawl.run import Stopped

J = TypeVar("J")
R = TypeVar("R")


@contextlib.contextmanager
def stop_signals() -> Iterator[list[signal.Signals]]:
    """SIGTERM and Ctrl-C, while the shards run, are noted in the list given (the previous
    handlers come back after). Outside the main thread the handlers are left as they are."""
    received: list[signal.Signals] = []

    def stop(signum: int, _frame: object) -> None:
        received.append(signal.Signals(signum))

    previous = {}
    with contextlib.suppress(ValueError):  # not the main thread: leave the handlers be
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, stop)
    try:
        yield received
    except KeyboardInterrupt as exc:
        raise Stopped(signal.SIGINT) from exc
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def each_shard(fn: Callable[[J], R], jobs: list[J], *, max_retries: int,
               stops: list[signal.Signals], on_wait: Callable[[], None] | None = None,
               ) -> Iterator[tuple[J, R | engine.ShardFailed]]:
    """:func:`engine.run_each`, stoppable: ``Stopped`` as soon as ``stops`` holds a signal
    (while waiting, or before a finished shard is handed on); the shards still running are
    cancelled however the loop ends (a stop, an error, the caller leaving it)."""
    refs: list[Any] = []

    def look() -> None:
        if stops:
            raise Stopped(stops[0])
        if on_wait is not None:
            on_wait()

    try:
        for job, result in engine.run_each(fn, jobs, max_retries=max_retries,
                                           on_submit=refs.extend, on_wait=look):
            if stops:
                raise Stopped(stops[0])
            yield job, result
    except BaseException:
        engine.stop(refs)
        raise


def until_stopped(work: Callable[[list[signal.Signals]], None]) -> signal.Signals | None:
    """Run ``work(stops)`` under :func:`stop_signals`; the signal that stopped it, or None
    when it ran to the end."""
    try:
        with stop_signals() as stops:
            work(stops)
    except Stopped as stopped:
        return stopped.by
    return None
