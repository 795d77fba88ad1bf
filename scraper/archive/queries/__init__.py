"""Reading the archive: search, one article, its history, exports, stats, duplicate groups.

Every function takes an open ``Database`` (from ``open_archive``) and returns small typed
records; nothing here prints. ``open_archive`` refuses, with one clear ``ArchiveError``, a
path that does not exist (it never creates a file), a file that is not SQLite, and a SQLite
file that is not our archive; an archive made by an older version is migrated forward.

``filters``     --since/--until/--site/--section as SQL conditions; the archived sites
``search``      full-text search: plain words or FTS5, copies folded, with snippets
``article``     one article: its record, URLs, revisions, copies, revision diffs
``export``      the analysts' record of an article, streamed
``stats``       counts per day/site/section, the last runs and their failures
``duplicates``  groups of near-duplicate articles
"""

from scraper.archive.connection import open_archive
from scraper.archive.lookup import find_article
from scraper.archive.queries.article import (
    ArticleDetail,
    ArticleUrl,
    Link,
    Revision,
    article_detail,
    revision_diff,
    revisions,
)
from scraper.archive.queries.duplicates import DuplicateGroup, DuplicateMember, duplicate_groups
from scraper.archive.queries.export import EXPORT_COLUMNS, LIST_FIELDS, export_rows
from scraper.archive.queries.filters import Filters, archived_sites, parse_date
from scraper.archive.queries.search import HIGHLIGHT, SearchHit, fts5_query, plain_query, search
from scraper.archive.queries.stats import (
    GROUPINGS,
    FailureCount,
    GroupBy,
    GroupCount,
    RunInfo,
    Stats,
    stats,
)

__all__ = [
    "EXPORT_COLUMNS", "GROUPINGS", "HIGHLIGHT", "LIST_FIELDS", "ArticleDetail", "ArticleUrl",
    "DuplicateGroup", "DuplicateMember", "FailureCount", "Filters", "GroupBy", "GroupCount",
    "Link", "Revision", "RunInfo", "SearchHit", "Stats", "archived_sites", "article_detail",
    "duplicate_groups", "export_rows", "find_article", "fts5_query", "open_archive", "parse_date",
    "plain_query", "revision_diff", "revisions", "search", "stats",
]
