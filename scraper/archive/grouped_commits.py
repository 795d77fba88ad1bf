"""Many saves, one commit: the bulk writers (``import``, ``reextract``) commit every
``every`` saves or ``seconds``, whichever comes first, instead of after each one.

::

    with GroupedCommits(archive.db) as commits:
        for page in pages:
            archive.save(...)          # its own transaction becomes a savepoint in the group
            commits.done()             # counts it; commits the group when it is full or old

Each save stays whole (its savepoint is rolled back on an error, so the group holds only
finished saves), and every save writes its own resume point (a file's offset, a capture's
extractor version) in the same group: a ``kill -9`` loses at most the last group, which the
next run does again, never twice. What a commit costs with WAL and ``synchronous =
NORMAL`` — writing the dirty pages to the log, and for the full-text index a new segment to
merge later — is then paid once a group: 0.5 ms of the single writer's time a save before
(``bench/captures_speed.py``, profiled), on the cores the extraction workers need.
A group holds the write lock for at most ``seconds``: other writers wait that long
(``busy_timeout`` is 10 s); readers are never blocked (WAL).
"""

from __future__ import annotations

import time
from types import TracebackType

from sqlite_utils import Database

EVERY = 100
SECONDS = 1.0


class GroupedCommits:
    """A transaction open around many saves, committed in groups (see the module)."""

    def __init__(self, db: Database, *, every: int = EVERY, seconds: float = SECONDS) -> None:
        self.db = db
        self.every = every
        self.seconds = seconds
        self.pending = 0
        self.opened = 0.0

    def __enter__(self) -> GroupedCommits:
        self._begin()
        return self

    def _begin(self) -> None:
        if not self.db.conn.in_transaction:
            self.db.execute("BEGIN")
        self.pending, self.opened = 0, time.monotonic()

    def done(self) -> None:
        """One more save in the group; the group is committed when full or old."""
        self.pending += 1
        if self.pending >= self.every or time.monotonic() - self.opened >= self.seconds:
            self.commit()
            self._begin()

    def commit(self) -> None:
        if self.db.conn.in_transaction:
            try:
                self.db.execute("COMMIT")
            except BaseException:
                self.db.conn.rollback()
                raise

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        # the group holds finished saves only (a failed one rolled back its savepoint), so
        # they are kept whatever ends the run: Ctrl-C, a bad file, an extractor bug
        self.commit()
