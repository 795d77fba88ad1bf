"""The archive's schema: every table, index, FTS table and trigger, created and migrated
forward here and nowhere else (sqlite-utils ``Migrations``). Add a new ``@MIGRATIONS()``
function to change the schema; never edit one that has shipped.

Tables
  articles       one row per article: the latest version of every record field
  article_urls   every URL seen for an article (normalised key -> article)
  revisions      every distinct body version of an article, oldest first
  articles_fts   FTS5 over title, headings, body; kept in sync by triggers
  runs           one row per crawl run (filled by the crawler)
  run_sites      per-run, per-site counts
  failures       each URL that failed in a run, with the reason
  http_cache     ETag / Last-Modified per listing URL, for conditional GET, and what the
                 listing named at its last full read (m004), which a 304 stands for
  article_minhash, article_lsh
                 near-duplicate sketches and their LSH band keys (m002)

  captures       every kept HTTP exchange: a CDX in SQL (WARC file, offset, length) (m006)
  warc_files     the WARC files written or imported, and how far (m006)
  merged_shards  the cluster shards merged into this archive, each once (m010)

Columns added later: duplicate links (m002), page_type (m005), revisions.extractor_version
and capture_id (m006), body_source (m007), articles.blocks and revisions.blocks (m008),
articles.paywalled (m009), revisions.blocks_from (m011).
Views (m003): article_latest, articles_by_day, revision_history, duplicate_pairs, run_summary.
m004: ``http_cache.listing``, ``failures.retry`` (the crawl's retry policy reads it).
Every table, column and view is documented in docs/schema.md.
"""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from scraper.archive.body_blocks import plain_blocks
from scraper.archive.similarity import index_article

MIGRATION_SET = "scraper"
"""The name our migrations are recorded under in ``_sqlite_migrations``."""
MIGRATIONS = Migrations(MIGRATION_SET)
SCHEMA_VERSION = 11
"""The number of the last migration shipped (``m0NN_...``); recorded in ``PRAGMA
user_version``."""


_M001_TABLES = """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            canonical_url TEXT,
            site TEXT,
            title TEXT,
            published TEXT,
            modified TEXT,
            section TEXT,
            headings TEXT NOT NULL DEFAULT '[]',
            body TEXT NOT NULL DEFAULT '',
            source_link TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            language TEXT,
            site_name TEXT,
            description TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            image TEXT,
            word_count INTEGER NOT NULL DEFAULT 0,
            content_hash TEXT NOT NULL,
            title_source TEXT,
            date_source TEXT,
            section_source TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            last_fetched TEXT,
            revision_count INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX idx_articles_published ON articles(published);
        CREATE INDEX idx_articles_site ON articles(site);
        CREATE INDEX idx_articles_section ON articles(section);
        CREATE INDEX idx_articles_content_hash ON articles(content_hash);
        CREATE INDEX idx_articles_source_link ON articles(source_link);

        CREATE TABLE article_urls (
            url_key TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            first_seen TEXT NOT NULL
        );
        CREATE INDEX idx_article_urls_article ON article_urls(article_id);

        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            revision INTEGER NOT NULL,
            fetched_at TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            title TEXT,
            published TEXT,
            modified TEXT,
            headings TEXT NOT NULL DEFAULT '[]',
            body TEXT NOT NULL DEFAULT '',
            word_count INTEGER NOT NULL DEFAULT 0,
            UNIQUE (article_id, revision)
        );

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            config_path TEXT,
            message TEXT
        );
        CREATE TABLE run_sites (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            site TEXT NOT NULL,
            discovered INTEGER NOT NULL DEFAULT 0,
            fetched INTEGER NOT NULL DEFAULT 0,
            new INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            skipped_robots INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, site)
        );
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            site TEXT,
            url TEXT NOT NULL,
            stage TEXT NOT NULL,
            status INTEGER,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX idx_failures_run ON failures(run_id);
        CREATE TABLE http_cache (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            fetched_at TEXT NOT NULL
        );
        """
"""The tables and indexes of m001, as shipped (never edit: add a migration)."""


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """The first schema: articles, their URLs and revisions, the crawl's bookkeeping, FTS."""
    db.executescript(_M001_TABLES)
    db.table("articles").enable_fts(
        ["title", "headings", "body"], create_triggers=True, tokenize="porter unicode61"
    )


@MIGRATIONS()
def m002_near_duplicates(db: Database) -> None:
    """Near-duplicate links on articles, MinHash signatures and LSH band keys; sketches every
    article already archived (oldest first, as if each were saved again)."""
    for statement in (
        "ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id)",
        "ALTER TABLE articles ADD COLUMN duplicate_similarity REAL",
        "ALTER TABLE articles ADD COLUMN duplicate_method TEXT",
        "ALTER TABLE articles ADD COLUMN source_link_key TEXT",
        "CREATE INDEX idx_articles_duplicate_of ON articles(duplicate_of)"
        " WHERE duplicate_of IS NOT NULL",
        "CREATE INDEX idx_articles_source_link_key ON articles(source_link_key)"
        " WHERE source_link_key IS NOT NULL",
        "CREATE TABLE article_minhash ("
        " article_id INTEGER PRIMARY KEY REFERENCES articles(id),"
        " signature BLOB NOT NULL)",
        "CREATE TABLE article_lsh ("
        " key INTEGER NOT NULL,"
        " article_id INTEGER NOT NULL REFERENCES articles(id),"
        " PRIMARY KEY (key, article_id)) WITHOUT ROWID",
    ):
        db.execute(statement)
    for (article_id,) in db.execute("SELECT id FROM articles ORDER BY id").fetchall():
        index_article(db, article_id)


@MIGRATIONS()
def m003_analyst_views(db: Database) -> None:
    """Views for the analysts' common joins, covering indexes for stats and search filters,
    and an FTS update trigger that fires only when indexed text changes (not on last_seen or
    link updates)."""
    for statement in (
        "DROP TRIGGER IF EXISTS articles_au",
        "CREATE TRIGGER articles_au AFTER UPDATE OF title, headings, body ON articles BEGIN"
        " INSERT INTO articles_fts (articles_fts, rowid, title, headings, body)"
        " VALUES ('delete', old.rowid, old.title, old.headings, old.body);"
        " INSERT INTO articles_fts (rowid, title, headings, body)"
        " VALUES (new.rowid, new.title, new.headings, new.body); END",
        "CREATE INDEX idx_articles_stats ON articles"
        "(published, site, section, first_seen, last_seen, word_count)",
        # search filters read this small index instead of the (5 KB a row) articles table
        "CREATE INDEX idx_articles_filter ON articles(id, published, site, section)",
        """CREATE VIEW article_latest AS
        SELECT a.id, a.site, a.section, substr(a.published, 1, 10) AS published_day,
               a.published, a.modified, a.title, a.url, a.canonical_url, a.source_link,
               a.authors, a.tags, a.language, a.description, a.word_count, a.revision_count,
               a.first_seen, a.last_seen, r.fetched_at AS last_changed,
               a.duplicate_of, a.duplicate_similarity, a.duplicate_method, a.body
        FROM articles a
        LEFT JOIN revisions r ON r.article_id = a.id AND r.revision = a.revision_count""",
        """CREATE VIEW articles_by_day AS
        SELECT substr(published, 1, 10) AS day, site, count(*) AS articles,
               sum(word_count) AS words
        FROM articles WHERE published IS NOT NULL
        GROUP BY day, site""",
        """CREATE VIEW revision_history AS
        SELECT r.article_id, r.revision, r.fetched_at, r.title,
               lag(r.title) OVER w AS previous_title, r.word_count,
               r.word_count - lag(r.word_count) OVER w AS words_added,
               r.published, r.modified, r.content_hash, r.body
        FROM revisions r
        WINDOW w AS (PARTITION BY r.article_id ORDER BY r.revision)""",
        """CREATE VIEW duplicate_pairs AS
        SELECT c.id AS copy_id, c.site AS copy_site, c.title AS copy_title, c.url AS copy_url,
               o.id AS original_id, o.site AS original_site, o.title AS original_title,
               o.url AS original_url, c.duplicate_similarity AS similarity,
               c.duplicate_method AS method
        FROM articles c JOIN articles o ON o.id = c.duplicate_of""",
        """CREATE VIEW run_summary AS
        SELECT r.id AS run_id, r.started, r.finished, r.status,
               (SELECT sum(s.fetched) FROM run_sites s WHERE s.run_id = r.id) AS fetched,
               (SELECT sum(s.new) FROM run_sites s WHERE s.run_id = r.id) AS new,
               (SELECT sum(s.updated) FROM run_sites s WHERE s.run_id = r.id) AS updated,
               (SELECT count(*) FROM failures f WHERE f.run_id = r.id) AS failures
        FROM runs r""",
    ):
        db.execute(statement)


@MIGRATIONS()
def m004_listing_memory(db: Database) -> None:
    """What each listing named at its last full read, kept beside its validators (a 304
    stands for it, so refreshes and retries go on while listings are unchanged); whether a
    failed URL is worth another run; failures looked up by URL."""
    for statement in (
        "ALTER TABLE http_cache ADD COLUMN listing BLOB",
        "ALTER TABLE failures ADD COLUMN retry INTEGER",
        "CREATE INDEX idx_failures_url ON failures(url)",
    ):
        db.execute(statement)


@MIGRATIONS()
def m005_page_type(db: Database) -> None:
    """The record's ``page_type`` (article, listing, other). Rows archived before it were
    all saved as articles."""
    db.execute("ALTER TABLE articles ADD COLUMN page_type TEXT NOT NULL DEFAULT 'article'")


@MIGRATIONS()
def m006_captures(db: Database) -> None:
    """The captures index (one row per WARC response/revisit/resource record kept or
    imported), the WARC files written or imported, and which extractor made each revision
    (NULL: before this migration)."""
    db.executescript(
        """
        ALTER TABLE revisions ADD COLUMN extractor_version TEXT;
        ALTER TABLE revisions ADD COLUMN capture_id INTEGER;
        CREATE TABLE captures (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            url_key TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            record_type TEXT NOT NULL,
            status INTEGER,
            content_type TEXT,
            payload_digest TEXT,
            record_id TEXT,
            refers_to INTEGER REFERENCES captures(id),
            warc_file TEXT NOT NULL,
            offset INTEGER NOT NULL,
            length INTEGER NOT NULL,
            request_offset INTEGER,
            request_length INTEGER,
            origin TEXT NOT NULL,
            article_id INTEGER REFERENCES articles(id),
            revision INTEGER,
            hint_title TEXT,
            hint_published TEXT,
            hint_source TEXT,
            extractor_version TEXT,
            UNIQUE (warc_file, offset)
        );
        CREATE INDEX idx_captures_url_key ON captures(url_key, id);
        CREATE INDEX idx_captures_article ON captures(article_id, id)
            WHERE article_id IS NOT NULL;
        CREATE TABLE warc_files (
            path TEXT PRIMARY KEY,
            origin TEXT NOT NULL,
            state TEXT NOT NULL,
            size INTEGER,
            sha1 TEXT,
            resume_offset INTEGER NOT NULL DEFAULT 0,
            updated TEXT NOT NULL
        );
        """
    )


@MIGRATIONS()
def m007_body_source(db: Database) -> None:
    """Which reading each article's body comes from (``Article.body_source``: ``lexbor``,
    ``trafilatura``, ``container``, ``paragraphs``); empty for articles archived before."""
    db.execute("ALTER TABLE articles ADD COLUMN body_source TEXT")


@MIGRATIONS()
def m008_body_blocks(db: Database) -> None:
    """The body's structure (``Article.blocks``) on every article and revision, as JSON
    (``scraper/archive/body_blocks.py``); rows archived before it are filled from their plain
    body: its paragraphs, the known sub-headings as headings."""
    for table in ("articles", "revisions"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN blocks TEXT")
        rows = db.execute(f"SELECT id, body, headings FROM {table}").fetchall()
        db.conn.executemany(
            f"UPDATE {table} SET blocks = ? WHERE id = ?",
            ((plain_blocks(body or "", _headings(headings)), row_id)
             for row_id, body, headings in rows),
        )


def _headings(stored: str | None) -> list[str]:
    try:
        value = json.loads(stored or "[]")
    except ValueError:
        return []
    return [h for h in value if isinstance(h, str)] if isinstance(value, list) else []


@MIGRATIONS()
def m009_walls(db: Database) -> None:
    """The record's ``paywalled`` flag (1: the site gave a teaser of a paywalled article;
    ``scraper/extract/walls.py``). Rows archived before it are 0."""
    db.execute("ALTER TABLE articles ADD COLUMN paywalled INTEGER NOT NULL DEFAULT 0")


@MIGRATIONS()
def m010_merged_shards(db: Database) -> None:
    """The cluster shards merged into this archive: a shard is merged once, so merging it
    again adds nothing (``scraper.archive.shards``)."""
    db.execute(
        """
        CREATE TABLE merged_shards (
            shard TEXT PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            archive TEXT NOT NULL,
            articles INTEGER NOT NULL,
            captures INTEGER NOT NULL,
            failures INTEGER NOT NULL,
            merged_at TEXT NOT NULL
        )
        """
    )


@MIGRATIONS()
def m011_blocks_from(db: Database) -> None:
    """Where each revision's stored blocks were last read from: ``page`` (a reading of the
    page: ``reextract``, ``reextract --blocks-only``), ``text`` (made from the plain body, the
    page being unreadable or not kept), NULL (as saved: the extractor's blocks, or m008's
    from the plain body). Only a column: ``scraper reextract --blocks-only`` reads the
    captures (``scraper/captures/blocks_refill.py``)."""
    db.execute("ALTER TABLE revisions ADD COLUMN blocks_from TEXT")


def migrate(db: Database) -> None:
    """Apply every pending migration (each in its own transaction)."""
    if not MIGRATIONS.pending(db):
        return  # up to date: opening for reading writes nothing
    MIGRATIONS.apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
