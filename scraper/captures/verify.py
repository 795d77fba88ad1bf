"""``scraper verify``: every capture in the index readable, every digest right.

For each ``captures`` row: the WARC file is there, a record of the indexed type and URL sits
at the offset, its ``WARC-Block-Digest`` and ``WARC-Payload-Digest`` match its bytes, and the
index's digest is the record's. WARC 1.1 digests the de-chunked payload; some writers digest
the chunked bytes as sent: both are accepted, and the line says which was found. One line
per problem (a missing file is one line for all its captures).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scraper.archive.captures import Capture, iter_captures
from scraper.captures.reader import WarcRecord, parse_record, read_member, resolve
from scraper.errors import CaptureError

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(slots=True)
class VerifyTally:
    """What ``verify`` found so far; ``scraper.VerifyReport`` is the frozen record the API and
    the CLI give of it."""

    captures: int = 0
    files: set[str] = field(default_factory=set)
    problems: int = 0
    notes: int = 0
    """Records whose payload digest follows the chunked-bytes convention (not a problem)."""


def digest_matches(expected: str, data: bytes) -> bool:
    """A ``sha1:``/``md5:``/``sha256:`` digest, base32 or hex, of ``data``."""
    algorithm, _, value = expected.partition(":")
    try:
        digest = hashlib.new(algorithm.lower().replace("-", ""), data).digest()
    except ValueError:
        return False
    value = value.strip()
    return value.upper() in (base64.b32encode(digest).decode(), digest.hex().upper())


def check_record(capture: Capture, record: WarcRecord) -> tuple[list[str], str | None]:
    """(problems, a note) for one capture's record."""
    problems: list[str] = []
    note = None
    if record.record_type != capture.record_type:
        problems.append(f"record is a {record.record_type}, the index says {capture.record_type}")
    if record.url != capture.url:
        problems.append(f"record is for {record.url}")
    block = record.warc("WARC-Block-Digest")
    if block and not digest_matches(block, record.block):
        problems.append("WARC-Block-Digest does not match the record")
    payload = record.warc("WARC-Payload-Digest")
    if payload and record.record_type != "revisit":
        if digest_matches(payload, record.payload):
            pass
        elif record.stored != record.payload and digest_matches(payload, record.stored):
            note = "payload digest over the chunked bytes (the writer's convention)"
        else:
            problems.append("WARC-Payload-Digest does not match the payload")
    if capture.payload_digest and payload and capture.payload_digest != payload \
            and capture.record_type != "revisit":
        problems.append("the index's payload digest is not the record's")
    return problems, note


def verify(db: Database, folder: Path, *, say: Callable[[str], None]) -> VerifyTally:
    """Check every capture; ``say`` gets each problem line."""
    report = VerifyTally()
    missing: dict[str, int] = {}
    for capture in iter_captures(db):
        report.captures += 1
        report.files.add(capture.warc_file)
        path = resolve(folder, capture.warc_file)
        if capture.warc_file in missing or not path.is_file():
            missing[capture.warc_file] = missing.get(capture.warc_file, 0) + 1
            continue
        for line in _check(path, capture, report):
            report.problems += 1
            say(line)
    for name, count in missing.items():
        report.problems += 1
        say(f"{name}: file missing ({count} capture{'s' if count != 1 else ''} point into it)")
    return report


def _check(path: Path, capture: Capture, report: VerifyTally) -> Iterator[str]:
    where = f"{capture.warc_file}: offset {capture.offset}: capture {capture.id} ({capture.url})"
    locations = [(capture.offset, capture.length, capture)]
    if capture.request_offset is not None and capture.request_length is not None:
        request = Capture(url=capture.url, fetched_at=capture.fetched_at, record_type="request",
                          warc_file=capture.warc_file, offset=capture.request_offset,
                          length=capture.request_length, origin=capture.origin)
        locations.append((capture.request_offset, capture.request_length, request))
    for offset, length, expected in locations:
        try:
            record = parse_record(read_member(path, offset, length))
        except CaptureError as exc:
            yield f"{where}: unreadable: {str(exc).removeprefix(f'{path}: ')}"
            return
        problems, note = check_record(expected, record)
        if note:
            report.notes += 1
        for problem in problems:
            yield f"{where}: {problem}"
