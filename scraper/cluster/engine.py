"""The only module that imports Ray, and only when one of its functions is called.

::

    connect(address)         join the cluster ("auto", "HOST:6379", "ray://..."), or start a
                             Ray on this machine ("local"); a Ray already started in this
                             process (the tests') is used as it is
    check_address(address)   the address given, checked (blank, Ray missing), importing nothing
    cpus()                   the CPUs the cluster offers (shards = 0 means one per CPU)
    run_each(fn, jobs)       each job as a Ray task (1 CPU, bounded retries when its worker or
                             node dies), results yielded as they finish; a callback while
                             none does (progress)
    stop(refs)               the tasks stopped, their workers killed (a stop or an error)
    Ray's errors become ``ShardFailed`` (a ``ScraperError``) with the reason.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from scraper.errors import ClusterError, ConfigError, MissingExtra

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


LOOPBACK_ONLY = ("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
"""The one switch Ray 2.x has that keeps a Ray on 127.0.0.1: with it off, Ray takes the
loopback address as the node's, and its gRPC services (GCS, raylet, workers) listen on
127.0.0.1 only instead of every interface (``ss -ltnp``, docs/cluster.md). Read when Ray is
imported, so it is set before: ``--cluster local`` (a Ray on this machine only) sets it, the
tests and the bench too; a multi-machine cluster must not."""


def check_address(address: str | None) -> str | None:
    """The Ray address to run on (None: this machine, as given); ``ConfigError`` for a blank
    one, ``MissingExtra`` without Ray. Imports nothing of Ray."""
    if address is None:
        return None
    if not address.strip():
        raise ConfigError("cluster needs an address ('auto', 'local' or HOST:PORT)")
    if not available():
        raise MissingExtra("running on a cluster", "ray", "cluster")
    return address


def _ray(*, local: bool = False) -> Any:
    if not available():
        raise ClusterError(f"running on a cluster needs Ray: {INSTALL_HINT}")
    if local and "ray" not in sys.modules:
        os.environ.setdefault(*LOOPBACK_ONLY)
    import ray

    return ray


def connect(address: str) -> None:
    """Join the Ray cluster at ``address`` ("local": start one on this machine, listening on
    127.0.0.1 only)."""
    ray = _ray(local=address == "local")
    if ray.is_initialized():
        return
    try:
        if address == "local":
            ray.init(log_to_driver=False, **LOCAL_RAY)
        else:
            ray.init(address=address, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ClusterError(f"cannot join the Ray cluster at {address!r}: {exc}") from exc
    _joined.append(address)


_joined: list[str] = []
"""The address :func:`connect` joined in this process (empty: none, or a Ray the caller had
already started, which is theirs to end)."""


def cpus() -> int:
    return max(1, int(_ray().cluster_resources().get("CPU", 1)))


def run_each(fn: Callable[[J], R], jobs: list[J], *, max_retries: int,
             on_submit: Callable[[list[Any]], None] | None = None,
             on_wait: Callable[[], None] | None = None, every: float = 0.25,
             ) -> Iterator[tuple[J, R | ShardFailed]]:
    """Run ``fn(job)`` for every job as a Ray task; ``(job, result)`` as each finishes, the
    result a ``ShardFailed`` when the task failed for good. ``on_submit`` gets the task
    references (to cancel them); ``on_wait`` is called every ``every`` seconds while no task
    finishes (the driver relays the shards' progress)."""
    ray = _ray()
    task = ray.remote(fn).options(num_cpus=1, max_retries=max_retries, retry_exceptions=False)
    pending = {task.remote(job): job for job in jobs}
    if on_submit is not None:
        on_submit(list(pending))
    while pending:
        done, _rest = ray.wait(list(pending), num_returns=1,
                               timeout=None if on_wait is None else every)
        if not done and on_wait is not None:
            on_wait()
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


def stop(refs: list[Any]) -> None:
    """Stop these tasks (their workers are killed).

    When :func:`connect` joined Ray itself, it leaves Ray instead (``ray.shutdown()``): the job
    ends, and Ray kills every worker of a finished job on every node (a Ray started with
    ``local`` goes with it). Cancelling each task is what a Ray the caller started gets, as it
    must stay up: ``ray.cancel(force=True)`` of a task that finishes or fails at that moment
    can trip a check in Ray's task manager that aborts the driver ("Tried to complete task
    that was not pending", ray-project/ray#54527), so only the tasks not yet finished are
    cancelled."""
    ray = _ray()
    if _joined:
        _joined.clear()
        ray.shutdown()
        return
    with contextlib.suppress(ValueError, TypeError, ray.exceptions.RayError):
        _done, refs = ray.wait(refs, num_returns=len(refs), timeout=0)
    for ref in refs:
        with contextlib.suppress(ValueError, TypeError, ray.exceptions.RayError):
            ray.cancel(ref, force=True)
