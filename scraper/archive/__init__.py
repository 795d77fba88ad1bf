"""Article -> rows: the only package that imports sqlite_utils; it owns the schema.

``schema``  tables, indexes, FTS, triggers and their migrations
``store``   opening the archive and saving articles without duplicates
"""

from scraper.archive.store import Archive, SaveResult, SaveStatus, open_database

__all__ = ["Archive", "SaveResult", "SaveStatus", "open_database"]
