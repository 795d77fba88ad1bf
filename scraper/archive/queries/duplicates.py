"""Groups of near-duplicate articles: the links recorded on save, grouped (union-find)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from scraper.errors import ArchiveError


@dataclass(frozen=True, slots=True)
class DuplicateMember:
    id: int
    site: str | None
    title: str | None
    url: str
    published: str | None
    duplicate_of: int | None
    similarity: float | None
    method: str | None


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Articles linked as copies of one story (``Archive.duplicates``), the original first.

    >>> import scraper
    >>> scraper.DuplicateGroup(members=[]).members
    []
    """

    members: list[DuplicateMember]
    """The group's original (not itself a copy in the group) first, then copies by id."""


def duplicate_groups(db: Database, *, threshold: float = 0.9) -> list[DuplicateGroup]:
    """Groups of articles linked as copies: source-link links always, sketch links whose
    similarity is at least ``threshold``. Largest groups first."""
    if not 0.0 <= threshold <= 1.0:
        raise ArchiveError(f"threshold must be between 0 and 1, not {threshold}")
    edges = db.execute(
        "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"
        " AND (duplicate_method = 'source_link' OR duplicate_similarity >= ?)",
        [threshold],
    ).fetchall()
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for copy, original in edges:
        parent[root(copy)] = root(original)
    in_group: dict[int, list[int]] = {}
    for node in list(parent):
        in_group.setdefault(root(node), []).append(node)
    copies = {copy for copy, _ in edges}
    groups = []
    for ids in in_group.values():
        members = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            members += [
                DuplicateMember(*row) for row in db.execute(
                    "SELECT id, site, title, url, published, duplicate_of, duplicate_similarity,"
                    f" duplicate_method FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            ]
        members.sort(key=lambda m: (m.id in copies, m.id))
        groups.append(DuplicateGroup(members))
    groups.sort(key=lambda g: (-len(g.members), g.members[0].id))
    return groups
