"""The WARC files one writer (a crawl run, a ``fetch --save``) appends to:
``<captures>/YYYY/MM/<run>-<n>.warc.gz``, a new one past ``warc_max_bytes``.

Order and crash safety:

- A record (its gzip members) goes to the file in one ``write`` and is in the kernel when
  :meth:`WarcFiles.append` returns: a ``kill -9`` cannot lose it, so the index row committed
  after it always finds it. ``fsync`` is done when a file is closed (rotation, end of run),
  not per record: per-record fsync would cost a disk flush per page, and the archive itself
  runs with ``synchronous = NORMAL`` (safe against a killed process, not a power cut) too.
- A file is held with an exclusive ``flock`` while it is written and marked ``writing`` in
  ``warc_files``; a file still ``writing`` whose lock is free belongs to a killed writer.
  :func:`close_off` walks it from its last indexed record, keeps whole members, truncates
  a torn last member away, and marks it ``closed``: never appended to again.
- A write that fails (disk full, a file size limit) is undone (the file truncated back to its
  last whole record) and raised as one ``CaptureError``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scraper.archive.captures import files_in_state, indexed_end, set_file_state
from scraper.errors import CaptureError

if TYPE_CHECKING:
    from sqlite_utils import Database

_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
READ_BLOCK = 1 << 16


class WarcFiles:
    """Appends records to this writer's files, rotating them by size."""

    def __init__(self, db: Database, folder: Path, *, run: str, origin: str,
                 max_bytes: int, header: Callable[[str], bytes] | None = None) -> None:
        self.db = db
        self.header = header
        """The first record of each new file (``warcinfo``), given the file's name."""
        self.folder = folder
        self.run = run
        self.origin = origin
        self.max_bytes = max_bytes
        self.number = 0
        self.fd: int | None = None
        self.name = ""
        self.size = 0

    def append(self, data: bytes) -> tuple[str, int]:
        """Write ``data`` at the end of the current file: (its name, the offset)."""
        if self.fd is None or self.size >= self.max_bytes:
            self._rotate()
        assert self.fd is not None
        offset = self.size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, offset)
            self.size = offset
            if exc.errno in _FULL:
                raise CaptureError(f"disk full: cannot write capture ({exc.strerror})",
                                   path=str(self.folder / self.name)) from exc
            raise CaptureError(f"cannot write capture: {exc.strerror}",
                               path=str(self.folder / self.name)) from exc
        self.size += len(data)
        return self.name, offset

    def _rotate(self) -> None:
        self.close()
        now = datetime.now(UTC)
        folder = self.folder / f"{now:%Y}" / f"{now:%m}"
        while True:
            self.number += 1
            name = f"{now:%Y}/{now:%m}/{self.run}-{self.number}.warc.gz"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            except OSError as exc:
                raise CaptureError(f"cannot create a WARC file: {exc.strerror}",
                                   path=str(self.folder / name)) from exc
            break
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.fd, self.name, self.size = fd, name, 0
        with self.db.atomic():
            set_file_state(self.db, name, origin=self.origin, state="writing")
        if self.header is not None:
            self.append(self.header(Path(name).name))

    def close(self) -> None:
        """fsync, unlock and close the current file; it is ``closed`` in ``warc_files``."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(Exception), self.db.atomic():
            set_file_state(self.db, self.name, origin=self.origin, state="closed",
                           size=self.size)


def whole_members(path: Path, start: int) -> tuple[int, int]:
    """(where the last whole gzip member from ``start`` on ends, how many there are)."""
    end, count = start, 0
    with path.open("rb") as handle:
        handle.seek(start)
        engine = zlib.decompressobj(zlib.MAX_WBITS | 16)
        position = start
        while block := handle.read(READ_BLOCK):
            data = block
            try:
                while data:
                    engine.decompress(data)
                    if not engine.eof:
                        position += len(data)
                        break
                    position += len(data) - len(engine.unused_data)
                    end, count = position, count + 1
                    data = engine.unused_data
                    engine = zlib.decompressobj(zlib.MAX_WBITS | 16)
            except zlib.error:
                break
    return end, count


def close_off(db: Database, folder: Path) -> list[str]:
    """Close the files killed writers left ``writing`` (see the module docstring): the
    messages of what was done, one a file."""
    done: list[str] = []
    for entry in files_in_state(db, "writing"):
        path = folder / entry.path
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            with db.atomic():
                set_file_state(db, entry.path, origin=entry.origin, state="closed", size=0)
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its writer is alive
            size = os.fstat(fd).st_size
            start = indexed_end(db, entry.path)
            end, unindexed = whole_members(path, start)
            if start == 0 and unindexed:
                unindexed -= 1  # the warcinfo record it starts with
            if unindexed:
                done.append(f"{entry.path}: {unindexed} record(s) after the last indexed one"
                            " kept, not indexed (written before a kill, never committed)")
            if end < size:
                os.ftruncate(fd, end)
                done.append(f"{entry.path}: torn last record cut off at byte {end}")
            os.fsync(fd)
            with db.atomic():
                set_file_state(db, entry.path, origin=entry.origin, state="closed", size=end)
        finally:
            os.close(fd)
    return done
