"""The only module that imports Ray, and only when one of its functions is called.

::

    connect(address)         join the cluster ("auto", "HOST:6379", "ray://..."), or start a
                             Ray on this machine ("local"); a Ray already started in this
                             process (the tests') is used as it is
    cpus()                   the CPUs the cluster offers (shards = 0 means one per CPU)
    run_each(fn, jobs)       each job as a Ray task (1 CPU, bounded retries when its worker or
                             node dies), results yielded as they finish
    Ray's errors become ``ShardFailed`` (a ``ScraperError``) with the reason.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from scraper.errors import ClusterError

J = TypeVar("J")
R = TypeVar("R")

INSTALL_HINT = "pip install 'scraper[cluster]'"

LOCAL_RAY: dict[str, Any] = {
    "include_dashboard": False,
    "_system_config": {"worker_niceness": 0},
}
"""How ``--cluster local`` starts its Ray (and the bench and tests theirs). Ray runs its
workers at nice 15 by default, below the driver: on a machine that also runs anything else
(the merging driver, other programs) the shards then get a sliver of the CPU and a cluster
crawl runs far slower than the local one. The shards are the work, so they run at the
driver's priority (``RAY_worker_niceness=0 ray start ...`` does the same on a node)."""


class ShardFailed(ClusterError):
    """A shard's task failed for good (after its retries)."""


def available() -> bool:
    """Whether Ray can be imported (the ``cluster`` extra is installed); imports nothing."""
    try:
        return importlib.util.find_spec("ray") is not None
    except ValueError:  # sys.modules["ray"] = None: imports of it are blocked
        return False


def _ray() -> Any:
    if not available():
        raise ClusterError(f"running on a cluster needs Ray: {INSTALL_HINT}")
    import ray

    return ray


def connect(address: str) -> None:
    """Join the Ray cluster at ``address`` ("local": start one on this machine)."""
    ray = _ray()
    if ray.is_initialized():
        return
    try:
        if address == "local":
            ray.init(log_to_driver=False, **LOCAL_RAY)
        else:
            ray.init(address=address, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ClusterError(f"cannot join the Ray cluster at {address!r}: {exc}") from exc


def cpus() -> int:
    return max(1, int(_ray().cluster_resources().get("CPU", 1)))


def run_each(fn: Callable[[J], R], jobs: list[J], *, max_retries: int,
             on_submit: Callable[[list[Any]], None] | None = None,
             ) -> Iterator[tuple[J, R | ShardFailed]]:
    """Run ``fn(job)`` for every job as a Ray task; ``(job, result)`` as each finishes, the
    result a ``ShardFailed`` when the task failed for good. ``on_submit`` gets the task
    references (to cancel them)."""
    ray = _ray()
    task = ray.remote(fn).options(num_cpus=1, max_retries=max_retries, retry_exceptions=False)
    pending = {task.remote(job): job for job in jobs}
    if on_submit is not None:
        on_submit(list(pending))
    while pending:
        done, _rest = ray.wait(list(pending), num_returns=1)
        for ref in done:
            job = pending.pop(ref)
            try:
                yield job, ray.get(ref)
            except ray.exceptions.RayError as exc:
                yield job, ShardFailed(_reason(exc))


def _reason(exc: BaseException) -> str:
    cause = getattr(exc, "cause", None)
    text = str(cause) if cause is not None else str(exc)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else type(exc).__name__)[:300]


def cancel(refs: list[Any]) -> None:
    """Stop these tasks (their workers are killed)."""
    ray = _ray()
    for ref in refs:
        with contextlib.suppress(ValueError, TypeError, ray.exceptions.RayError):
            ray.cancel(ref, force=True)
