"""Article -> rows: the only package that imports sqlite_utils; it owns the schema.

``schema``      tables, indexes, FTS, triggers and their migrations
``connection``  opening the archive file (create, or refuse what is not an archive); WAL
``lookup``      finding an article by any URL spelling, by body hash, by id
``store``       saving articles without duplicates
``similarity``  MinHash + LSH near-duplicate sketches, linked on save
``queries``     the analysts' reads: search, show, history, export, stats, duplicates
``crawlstate``  the crawler's bookkeeping: runs, failures, HTTP cache, the run lock
"""

import sys

# sqlite-utils imports pandas whenever it is installed (only to map pandas.Timestamp to TEXT,
# which no archive row holds): 0.3 s and ~90 MB in every scraper process and extraction
# worker. Hide pandas while sqlite-utils loads; ``Archive.to_pandas`` imports it when asked.
_hide_pandas = "pandas" not in sys.modules
if _hide_pandas:
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` fail
try:
    import sqlite_utils  # noqa: F401  (loaded here, without pandas)
finally:
    if _hide_pandas:
        del sys.modules["pandas"]

from scraper.archive.connection import check_archive_path, open_archive  # noqa: E402
from scraper.archive.store import Archive, SaveResult, SaveStatus  # noqa: E402

__all__ = ["Archive", "SaveResult", "SaveStatus", "check_archive_path", "open_archive"]
