"""A shard's progress, told to the driver as it goes: the crawl's events, one JSON line each,
appended to ``events.jsonl`` in the shard's folder (which every node sees), and read back by
the driver while it waits for the shards (no Ray here: a file on the shared work folder).

::

    EventLog(folder)    the shard's side: an ``on_event`` sink writing each event as a line
    EventTail(folder)   the driver's side: the events written since the last read

The driver passes them on to its own ``on_event``, so the progress display and the
``--log-format json`` events are a local run's: ``site-start``, ``listing``, ``planned``,
``article``, ``failure``, ... per site as the shards go. The run's own events (``run-start``,
``run-done``) and ``site-done`` (sent once the shard is merged, with the counts the central
archive saw) are the driver's. A shard run again after its worker died starts a new file: the
tail starts over with it (the counts in each event are a snapshot, so they stay right).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any

from scraper.archive.crawlstate import SiteCounts
from scraper.crawl import CrawlEvent

EVENTS_NAME = "events.jsonl"
DRIVER_EVENTS = frozenset({"run-start", "run-done", "site-done"})
"""Events of a shard's own run that the driver does not pass on: it sends its own."""


class EventLog:
    """Append each event of a shard's crawl to ``folder/events.jsonl``, a line at a time."""

    def __init__(self, folder: Path) -> None:
        self.file = (folder / EVENTS_NAME).open("a", encoding="utf-8", buffering=1)

    def __call__(self, event: CrawlEvent) -> None:
        if event.kind in DRIVER_EVENTS:
            return
        record: dict[str, Any] = {"kind": event.kind, "site": event.site, "url": event.url,
                                  "message": event.message}
        if event.counts is not None:
            record["counts"] = event.counts.as_dict()
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.file.close()


class EventTail:
    """The events a shard wrote to ``folder/events.jsonl`` since the last :meth:`read`."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / EVENTS_NAME
        self.offset = 0
        self.file_id: tuple[int, int] | None = None

    def read(self) -> list[CrawlEvent]:
        try:
            with self.path.open("rb") as file:
                stat = os.fstat(file.fileno())
                if (stat.st_dev, stat.st_ino) != self.file_id or stat.st_size < self.offset:
                    self.file_id, self.offset = (stat.st_dev, stat.st_ino), 0  # a new attempt
                file.seek(self.offset)
                data = file.read()
        except FileNotFoundError:
            return []
        complete = data[:data.rfind(b"\n") + 1]  # a line being written waits for next time
        self.offset += len(complete)
        return [_event(json.loads(line)) for line in complete.splitlines() if line.strip()]


def _event(record: dict[str, Any]) -> CrawlEvent:
    counts = record.get("counts")
    return CrawlEvent(kind=record["kind"], site=record.get("site"), url=record.get("url"),
                      message=record.get("message") or "",
                      counts=SiteCounts(**counts) if counts is not None else None)
