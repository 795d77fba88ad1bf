"""Cluster shards in and out of the central archive: the snapshot a shard starts from, and
the merge of a finished shard archive, by the driver, the archive's single writer.

::

    snapshot(db, dest)                 a consistent copy of the archive (SQLite backup API):
                                       every shard starts from it, so URL keys, validators,
                                       failures and refreshes stay incremental
    shard_base(path)                   where a shard's own rows start (the copy's last ids)
    merge_shard(archive, manifest)     the shard's captures, articles, failures, listings and
                                       counts into the archive, in one transaction, recorded
                                       in ``merged_shards``: merging it twice adds nothing

Articles go through :meth:`scraper.archive.Archive.save`, the one save path: dedup by URL
keys and body hash, revisions, near-duplicate links across shards, the full-text index. A
shard's captures keep pointing at the shard's WARC files (absolute paths under the work
folder, as an imported file left where it was).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from scraper.archive.captures import COLUMNS as CAPTURE_COLUMNS
from scraper.archive.captures import Capture, add_capture, set_file_state
from scraper.archive.connection import open_archive
from scraper.archive.crawlstate import COUNT_FIELDS, SiteCounts
from scraper.archive.lookup import article_for_url
from scraper.archive.reextraction import apply_reextraction
from scraper.archive.similarity import stored_sketch
from scraper.archive.store import Archive, SaveStatus
from scraper.errors import ArchiveError
from scraper.models import ARTICLE_FIELDS, Article, Hints


@dataclass(frozen=True, slots=True)
class ShardBase:
    """The last row ids of the copy a shard started from: its own rows come after."""

    captures: int = 0
    failures: int = 0
    warc_files: int = 0
    """The last ``warc_files`` rowid: later rows are the shard's own files."""
    started: str = ""
    """When the shard started (UTC): an imported file's row it updated is newer."""


@dataclass(slots=True)
class ShardManifest:
    """What a finished shard hands the driver (kept as ``shard.json`` beside its archive)."""

    shard: str
    """Unique over every run (``run7-shard2``): the ``merged_shards`` key."""
    archive: str
    captures_dir: str
    base: ShardBase
    saved: list[str] = field(default_factory=list)
    """The URLs saved, in the order they were (``article`` events)."""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    """The shard run's counts per site (``run_sites``)."""
    errors: dict[str, str] = field(default_factory=dict)
    """Why a site failed entirely, per site."""
    warnings: list[str] = field(default_factory=list)
    status: str = "completed"
    message: str | None = None
    elapsed: float = 0.0
    """Seconds the shard took in its worker (copy, crawl, manifest)."""

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> ShardManifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["base"] = ShardBase(**data["base"])
        return cls(**data)


@dataclass(slots=True)
class MergeCounts:
    """What one merge added: per site, and the rows."""

    sites: dict[str, SiteCounts] = field(default_factory=dict)
    articles: int = 0
    captures: int = 0
    failures: int = 0
    warc_files: int = 0
    """The last ``warc_files`` rowid: later rows are the shard's own files."""
    started: str = ""
    """When the shard started (UTC): an imported file's row it updated is newer."""


def snapshot(db: Database, dest: str | Path) -> None:
    """A consistent copy of the archive at ``dest`` (replaced if there)."""
    Path(dest).unlink(missing_ok=True)
    target = sqlite3.connect(dest)
    try:
        db.conn.backup(target)
    finally:
        target.close()


def shard_base(path: str | Path) -> ShardBase:
    """The last ids of the archive at ``path`` (a fresh copy of the central one)."""
    db = open_archive(path)
    try:
        def last(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0])

        return ShardBase(captures=last("SELECT coalesce(max(id), 0) FROM captures"),
                         failures=last("SELECT coalesce(max(id), 0) FROM failures"),
                         warc_files=last("SELECT coalesce(max(rowid), 0) FROM warc_files"),
                         started=datetime.now(UTC).isoformat(timespec="seconds"))
    finally:
        db.close()


def saved_urls(path: str | Path, base: ShardBase) -> list[str]:
    """The URLs of the shard's own captures read into an article, in the order they were
    (what an import or re-extraction shard saved)."""
    db = open_archive(path)
    try:
        return [url for (url,) in db.execute(
            "SELECT url FROM captures WHERE id > ? AND article_id IS NOT NULL ORDER BY id",
            [base.captures])]
    finally:
        db.close()


def is_merged(db: Database, shard: str) -> bool:
    return db.execute("SELECT 1 FROM merged_shards WHERE shard = ?", [shard]).fetchone() is not None


def merge_shard(archive: Archive, manifest: ShardManifest, *, run_id: int | None) -> MergeCounts:
    """Merge a finished shard into ``archive`` in one transaction; a shard already merged
    adds nothing (empty counts). ``run_id``: the central run its failures and counts join."""
    counts = MergeCounts()
    if is_merged(archive.db, manifest.shard):
        return counts
    shard_db = open_archive(manifest.archive)
    try:
        with archive.db.atomic():
            captures = _merge_captures(archive.db, shard_db, manifest, counts)
            _merge_articles(archive, shard_db, manifest, captures, counts)
            counts.failures = _merge_failures(archive.db, shard_db, manifest.base, run_id)
            _merge_listings(archive.db, shard_db)
            if run_id is not None:
                _merge_site_counts(archive.db, run_id, manifest, counts)
            archive.db.execute(
                "INSERT INTO merged_shards (shard, run_id, archive, articles, captures,"
                " failures, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [manifest.shard, run_id, manifest.archive, counts.articles, counts.captures,
                 counts.failures, datetime.now(UTC).isoformat(timespec="seconds")])
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot merge shard {manifest.shard}: {exc}",
                           path=archive.path) from exc
    finally:
        shard_db.close()
    return counts


def merge_reextraction(archive: Archive, manifest: ShardManifest, *, version: str) -> int:
    """Merge a re-extraction shard: each capture the shard read with ``version`` (its id is
    the central one: the shard started from a copy) is applied to the central archive as a
    local ``reextract`` would (:func:`apply_reextraction`: a new revision only where a field
    changed, the capture marked read). Once per shard; how many articles changed."""
    if is_merged(archive.db, manifest.shard):
        return 0
    shard_db = open_archive(manifest.archive)
    changed = 0
    try:
        with archive.db.atomic():
            rows = shard_db.execute(
                f"SELECT {', '.join(CAPTURE_COLUMNS)} FROM captures WHERE id <= ?"
                " AND extractor_version = ? AND article_id IS NOT NULL ORDER BY article_id",
                [manifest.base.captures, version]).fetchall()
            for row in rows:
                capture = Capture(*row)
                assert capture.id is not None and capture.article_id is not None
                if archive.db.execute("SELECT 1 FROM captures WHERE id = ? AND"
                                      " extractor_version IS ?", [capture.id, version]
                                      ).fetchone():
                    continue  # read by this version already (a local run in between)
                article, _site, _fetched = _shard_article(shard_db, capture.article_id)
                if apply_reextraction(
                        archive.db, capture.article_id, article, capture_id=capture.id,
                        hints=capture.hints, version=version, fetched_at=capture.fetched_at,
                        sketch=stored_sketch(shard_db, capture.article_id)):
                    changed += 1
                    _copy_blocks(archive.db, shard_db, capture.article_id, capture.article_id)
            archive.db.execute(
                "INSERT INTO merged_shards (shard, run_id, archive, articles, captures,"
                " failures, merged_at) VALUES (?, NULL, ?, ?, 0, 0, ?)",
                [manifest.shard, manifest.archive, changed,
                 datetime.now(UTC).isoformat(timespec="seconds")])
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot merge shard {manifest.shard}: {exc}",
                           path=archive.path) from exc
    finally:
        shard_db.close()
    return changed


def _merge_captures(db: Database, shard_db: Database, manifest: ShardManifest,
                    counts: MergeCounts) -> dict[int, int]:
    """The shard's own captures (after its base) and WARC files; shard id -> central id."""
    folder = Path(manifest.captures_dir).resolve()
    # the shard's own files (relative to its captures folder), and the imported files
    # (absolute) it read; the copied central rows (relative, older) are the central's own
    for path, origin, state, size, sha1, resume in shard_db.execute(
            "SELECT path, origin, state, size, sha1, resume_offset FROM warc_files"
            " WHERE rowid > ? OR (substr(path, 1, 1) = '/' AND updated >= ?)",
            [manifest.base.warc_files, manifest.base.started]):
        set_file_state(db, str(folder / path), origin=origin, state=state, size=size,
                       sha1=sha1, resume_offset=resume)
    mapped: dict[int, int] = {}
    rows = shard_db.execute(f"SELECT {', '.join(CAPTURE_COLUMNS)} FROM captures WHERE id > ?"
                            " ORDER BY id", [manifest.base.captures]).fetchall()
    for row in rows:
        capture = Capture(*row)
        refers = capture.refers_to
        if refers is not None and refers > manifest.base.captures:
            refers = mapped.get(refers)
        assert capture.id is not None
        mapped[capture.id] = add_capture(db, Capture(
            **{**_fields(capture), "id": None, "article_id": None, "revision": None,
               "warc_file": str(folder / capture.warc_file), "refers_to": refers}))
    counts.captures = len(mapped)
    return mapped


def _fields(capture: Capture) -> dict[str, Any]:
    return {name: getattr(capture, name) for name in CAPTURE_COLUMNS}


def _merge_articles(archive: Archive, shard_db: Database, manifest: ShardManifest,
                    captures: dict[int, int], counts: MergeCounts) -> None:
    """Each article the shard saved, in the shard's order, through ``Archive.save``."""
    done: set[int] = set()
    for url in manifest.saved:
        shard_id = article_for_url(shard_db, url)
        if shard_id is None or shard_id in done:
            continue
        done.add(shard_id)
        article, site, fetched = _shard_article(shard_db, shard_id)
        capture_row = shard_db.execute(
            "SELECT c.id, c.hint_title, c.hint_published, c.hint_source, c.extractor_version"
            " FROM captures c WHERE c.article_id = ? AND c.id > ? ORDER BY c.id DESC LIMIT 1",
            [shard_id, manifest.base.captures]).fetchone()
        capture = hints = version = None
        if capture_row is not None:
            capture, version = captures.get(capture_row[0]), capture_row[4]
            if capture_row[1] is not None or capture_row[2] is not None:
                hints = Hints(title=capture_row[1], published=capture_row[2],
                              source=capture_row[3] or "feed")
        result = archive.save(article, site=site, fetched_at=fetched, capture=capture,
                              hints=hints, extractor_version=version,
                              sketch=stored_sketch(shard_db, shard_id))
        if result.status != "unchanged":
            _copy_blocks(archive.db, shard_db, shard_id, result.article_id)
        # the shard's other captures read into this article (a page seen twice)
        others = [captures[c] for (c,) in shard_db.execute(
            "SELECT id FROM captures WHERE article_id = ? AND id > ?",
            [shard_id, manifest.base.captures]) if captures.get(c) not in (None, capture)]
        archive.db.conn.executemany(
            "UPDATE captures SET article_id = ?, revision = ? WHERE id = ?",
            [(result.article_id, result.revision, c) for c in others])
        archive.db.table("article_urls").insert_all(
            ({"url_key": key, "url": u, "article_id": result.article_id, "first_seen": first}
             for key, u, first in shard_db.execute(
                 "SELECT url_key, url, first_seen FROM article_urls WHERE article_id = ?",
                 [shard_id])), ignore=True)
        _count(counts, site, result.status)


def _copy_blocks(db: Database, shard_db: Database, shard_id: int, article_id: int) -> None:
    """The shard's stored body structure (``articles.blocks``) on the merged article and its
    newest revision: the record saved from the shard's row has only its plain body."""
    row = shard_db.execute("SELECT blocks FROM articles WHERE id = ?", [shard_id]).fetchone()
    if row is None or row[0] is None:
        return
    db.execute("UPDATE articles SET blocks = ? WHERE id = ?", [row[0], article_id])
    db.execute("UPDATE revisions SET blocks = ? WHERE article_id = ? AND revision ="
               " (SELECT revision_count FROM articles WHERE id = ?)",
               [row[0], article_id, article_id])


def _count(counts: MergeCounts, site: str | None, status: SaveStatus) -> None:
    counts.sites.setdefault(site or "", SiteCounts()).count(status)
    counts.articles += status != "unchanged"


def _shard_article(shard_db: Database, article_id: int) -> tuple[Article, str | None, str]:
    """The shard's articles row as the ``Article`` that was saved, its site, when fetched."""
    columns = list(ARTICLE_FIELDS)
    row = shard_db.execute(
        f"SELECT {', '.join(columns)}, site, coalesce(last_fetched, last_seen) FROM articles"
        " WHERE id = ?", [article_id]).fetchone()
    values = dict(zip(columns, row[:len(columns)], strict=True))
    for name in ("headings", "authors", "tags"):
        values[name] = json.loads(values[name] or "[]")
    return Article(**values), row[-2], row[-1]


def _merge_failures(db: Database, shard_db: Database, base: ShardBase,
                    run_id: int | None) -> int:
    rows = shard_db.execute(
        "SELECT site, url, stage, status, reason, at, retry FROM failures WHERE id > ?"
        " ORDER BY id", [base.failures]).fetchall()
    db.conn.executemany(
        "INSERT INTO failures (run_id, site, url, stage, status, reason, at, retry)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [[run_id, *row] for row in rows])
    return len(rows)


def _merge_listings(db: Database, shard_db: Database) -> None:
    """The listings' validators the shard read later than the archive knows."""
    rows = shard_db.execute(
        "SELECT url, etag, last_modified, fetched_at, listing FROM http_cache").fetchall()
    db.conn.executemany(
        "INSERT INTO http_cache (url, etag, last_modified, fetched_at, listing)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
        " last_modified = excluded.last_modified, fetched_at = excluded.fetched_at,"
        " listing = excluded.listing WHERE excluded.fetched_at > http_cache.fetched_at",
        rows)


def _merge_site_counts(db: Database, run_id: int, manifest: ShardManifest,
                       counts: MergeCounts) -> None:
    """The central run's ``run_sites``: what the shard read and fetched, and what the merge
    made of it (new, updated, unchanged as the central archive saw them)."""
    for site, shard_counts in manifest.counts.items():
        merged = counts.sites.get(site, SiteCounts())
        values = {**shard_counts, "new": merged.new, "updated": merged.updated,
                  "unchanged": merged.unchanged}
        names = [n for n in COUNT_FIELDS if n in values]
        db.execute(
            f"INSERT INTO run_sites (run_id, site, {', '.join(names)}) VALUES (?, ?,"
            f" {', '.join('?' * len(names))}) ON CONFLICT (run_id, site) DO UPDATE SET "
            + ", ".join(f"{n} = excluded.{n}" for n in names),
            [run_id, site, *(values[n] for n in names)])
