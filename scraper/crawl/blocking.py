"""A site that is being blocked: when its article fetches keep meeting walls (bot
challenges, consent or login walls), the crawl stops fetching it for the rest of the run
instead of hammering a host that said no, and says what to try.

Stopped when ``IN_A_ROW`` fetches in a row met a wall, or when more than half of its first
``FIRST_FETCHES`` did.
"""

from __future__ import annotations

from dataclasses import dataclass

IN_A_ROW = 10
"""Walls in a row that stop a site for the run."""
FIRST_FETCHES = 20
"""More than half of this many first fetches meeting a wall stop a site for the run."""
UNBLOCK_HINT = ("try the site's [sites.fetch] settings in config.toml: user_agent, headers, "
                "cookies (e.g. a consent cookie), per_host_delay, proxy; or render = true "
                "(docs/walls.md)")
"""What a user can change so the site answers again."""


@dataclass(slots=True)
class WallTally:
    """How a site's article fetches met walls this run."""

    fetches: int = 0
    walls: int = 0
    """Walls among the first ``FIRST_FETCHES`` fetches."""
    in_a_row: int = 0
    last_wall: str = ""
    stopped: str | None = None
    """Why the site is no longer fetched this run, once it is."""

    def count(self, wall: str | None) -> bool:
        """One fetch's outcome (``wall``: the wall's reason, None if none): True when this
        fetch makes the site stop."""
        if self.stopped is not None:
            return False
        self.fetches += 1
        if wall is None:
            self.in_a_row = 0
            return False
        self.in_a_row += 1
        self.last_wall = wall
        if self.fetches <= FIRST_FETCHES:
            self.walls += 1
        if self.in_a_row >= IN_A_ROW:
            self.stopped = f"{self.in_a_row} fetches in a row met a wall"
        elif self.walls * 2 > FIRST_FETCHES:
            self.stopped = f"{self.walls} of its first {FIRST_FETCHES} fetches met a wall"
        else:
            return False
        self.stopped = (f"blocked: {self.stopped} (last: {wall}); not fetched for the rest "
                        f"of this run; {UNBLOCK_HINT}")
        return True
