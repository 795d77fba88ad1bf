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
  http_cache     ETag / Last-Modified per fetched URL, for conditional GET
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("scraper")
SCHEMA_VERSION = 1
"""Number of migrations shipped; recorded in ``PRAGMA user_version``."""


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
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
    )
    db.table("articles").enable_fts(
        ["title", "headings", "body"], create_triggers=True, tokenize="porter unicode61"
    )


def migrate(db: Database) -> None:
    """Apply every pending migration (each in its own transaction)."""
    MIGRATIONS.apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
