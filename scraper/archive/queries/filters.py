"""Row filters shared by search, export and the canned questions: dates, site, section.

Date filters compare ISO 8601 strings as the sites wrote them: ``since`` 2023-06-01 keeps
``published >= '2023-06-01'``; ``until`` 2023-06-30 keeps everything published that day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from scraper.errors import ArchiveError

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> str:
    """A --since/--until value: YYYY-MM-DD or an ISO 8601 timestamp; ArchiveError otherwise."""
    value = text.strip()
    try:
        if _DAY.match(value):
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError as exc:
        raise ArchiveError(
            f"not a date: {text!r} (use YYYY-MM-DD or an ISO 8601 timestamp)"
        ) from exc


@dataclass(frozen=True, slots=True)
class Filters:
    """Row filters shared by search, export and the canned questions."""

    since: str | None = None
    until: str | None = None
    site: str | None = None
    section: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, parse_date(value))

    def where(self, alias: str = "a") -> tuple[list[str], list[Any]]:
        """SQL conditions (to AND together) and their parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append(f"{alias}.published >= ?")
            params.append(self.since)
        if self.until:
            if _DAY.match(self.until):
                end = (date.fromisoformat(self.until) + timedelta(days=1)).isoformat()
                clauses.append(f"{alias}.published < ?")
                params.append(end)
            else:
                clauses.append(f"{alias}.published <= ?")
                params.append(self.until)
        if self.site is not None:
            clauses.append(f"{alias}.site = ?")
            params.append(self.site)
        if self.section is not None:
            clauses.append(f"{alias}.section = ?")
            params.append(self.section)
        return clauses, params


def archived_sites(db: Database) -> list[str]:
    """The site names articles are archived under, sorted (what ``--site`` can name)."""
    rows = db.execute(
        "SELECT DISTINCT site FROM articles WHERE site IS NOT NULL ORDER BY site").fetchall()
    return [str(row[0]) for row in rows]
