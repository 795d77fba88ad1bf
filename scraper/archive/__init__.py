"""Article -> rows: the only package that imports sqlite_utils; it owns the schema.

``schema``      tables, indexes, FTS, triggers and their migrations
``connection``  opening the archive file (create, or refuse what is not an archive); WAL
``lookup``      finding an article by any URL spelling, by body hash, by id
``store``       saving articles without duplicates
``similarity``  MinHash + LSH near-duplicate sketches, linked on save
``queries``     the analysts' reads: search, show, history, export, stats, duplicates
``crawlstate``  the crawler's bookkeeping: runs, failures, HTTP cache, the run lock
"""

from scraper.archive.connection import check_archive_path, open_archive
from scraper.archive.store import Archive, SaveResult, SaveStatus

__all__ = ["Archive", "SaveResult", "SaveStatus", "check_archive_path", "open_archive"]
