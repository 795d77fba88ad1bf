"""Article -> rows: the only package that imports sqlite_utils; it owns the schema.

``schema``  tables, indexes, FTS, triggers and their migrations
``store``       opening the archive and saving articles without duplicates
``similarity``  MinHash + LSH near-duplicate sketches, linked on save
``queries``     the analysts' reads: search, show, history, export, stats, duplicates
``crawlstate``  the crawler's bookkeeping: runs, failures, HTTP cache, the run lock
"""

from scraper.archive.store import Archive, SaveResult, SaveStatus, open_database

__all__ = ["Archive", "SaveResult", "SaveStatus", "open_database"]
