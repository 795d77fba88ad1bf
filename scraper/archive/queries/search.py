"""Full-text search over title, headings and body (FTS5), ranked by bm25, with snippets.

A query is plain words by default (:func:`plain_query` quotes each for FTS5, so ``U.S.``,
``don't``, ``c++`` are words, not syntax); ``fts=True`` passes FTS5 syntax through, and a
mistake in it is one line saying where (:func:`fts_error`). Syndicated copies (articles
linked by ``duplicate_of``, see ``similarity.py``) are one hit, the best-ranked of the
story's matching articles, carrying the number of the story's other copies.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from scraper.archive.queries.filters import Filters
from scraper.errors import ArchiveError

HIGHLIGHT = ("**", "**")
"""Default snippet markers around matched terms."""
SNIPPET_WORDS = 16
RANK_WEIGHTS = (10.0, 4.0, 1.0)
"""bm25 weights of the FTS columns: title, headings, body."""
FTS_COLUMNS = ("title", "headings", "body")
MAX_CHAIN = 100
"""Longest ``duplicate_of`` chain followed to a story's original (a guard, never reached)."""
_NEAR = re.compile(r'("[^"]*"|[\w*]+)\s+NEAR(?:/(\d+))?\s+("[^"]*"|[\w*]+)')
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
"""A plain query's terms: an optional ``-`` (exclude), then a "quoted phrase" or a word."""
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result (``Archive.search``, ``scraper search``): the article's id, site,
    section, date, title, URL and the best-matching fragment of its body.

    >>> import scraper, tempfile, pathlib
    >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
    ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
    >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
    ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
    ...     hit = db.search("flour")[0]
    >>> hit.id, hit.title, hit.published
    (1, 'Tide mill reopens', '2024-05-02')
    """

    id: int
    site: str | None
    section: str | None
    published: str | None
    title: str | None
    url: str
    snippet: str
    """Best-matching fragment of the body, matched terms wrapped in the highlight markers."""
    score: float
    """bm25 relevance, larger is better."""
    copies: int = 0
    """Other archived articles of the same story (syndicated copies, or its original)."""
    duplicate_of: int | None = None
    """The article this one copies, if it is a copy."""


def fts5_query(query: str) -> str:
    """The query for FTS5: FTS4's ``a NEAR b`` / ``a NEAR/5 b`` become ``NEAR(a b, 5)``."""
    return _NEAR.sub(lambda m: f"NEAR({m[1]} {m[3]}, {m[2] or 10})", query)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def plain_query(query: str) -> str:
    """Plain words as an FTS5 query: every word and "quoted phrase" must appear (each quoted,
    so punctuation is never syntax), ``-word`` or ``-"phrase"`` must not, ``word*`` is a
    prefix. A term with no letter or digit in it is ignored."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for minus, phrase, word in _TERM.findall(query):
        text = phrase if phrase or not word else word
        prefix = ""
        if word and word.endswith("*") and _WORD.search(word):
            text, prefix = word.rstrip("*"), "*"
        if not _WORD.search(text):
            continue
        (unwanted if minus else wanted).append(_quoted(text) + prefix)
    if not wanted:
        raise ArchiveError(
            f"nothing to search for in {query!r}: give at least one word to find"
            " (a word with a leading '-' is one to leave out)")
    return " ".join(wanted + [f"NOT {term}" for term in unwanted])


def fts_error(query: str, exc: sqlite3.OperationalError) -> ArchiveError:
    """One line saying what in a raw FTS5 query SQLite could not read, and where."""
    message = str(exc)
    near = re.fullmatch(r'fts5: syntax error near "(.*)"', message, re.DOTALL)
    column = re.fullmatch(r"no such column: (.*)", message)
    if near and near[1]:
        position = query.find(near[1]) + 1
        problem = f'syntax error at "{near[1]}"' + (
            f" (character {position})" if position else "")
    elif near:
        problem = "unexpected end of the query (an operator or '(' is missing its other half)"
    elif column:
        problem = (f'"{column[1]}" is read as a column name (a word before ":" or after "-"'
                   f" names a column; the columns are {', '.join(FTS_COLUMNS)})")
    elif message == "unterminated string":
        problem = "unterminated quoted phrase (a '\"' is missing)"
    else:
        problem = message
    return ArchiveError(f"bad FTS5 query {query!r}: {problem}; without --fts the query is plain"
                        " words")


def search(
    db: Database,
    query: str,
    *,
    fts: bool = False,
    all_copies: bool = False,
    filters: Filters | None = None,
    limit: int = 20,
    highlight: tuple[str, str] = HIGHLIGHT,
) -> list[SearchHit]:
    """Full-text search ranked by bm25, best first; matches in the title weigh most, then
    headings, then the body. ``query`` is plain words (:func:`plain_query`), or with ``fts``
    FTS5 syntax (plus FTS4's ``a NEAR b``). The copies of one story are one hit unless
    ``all_copies``."""
    if not query.strip():
        raise ArchiveError("empty search query")
    match = fts5_query(query) if fts else plain_query(query)
    try:
        chosen = _best_hits(db, match, filters or Filters(), limit, all_copies=all_copies)
        return [_hit(db, match, rowid, score, highlight) for rowid, score in chosen]
    except sqlite3.OperationalError as exc:
        if fts:
            raise fts_error(query, exc) from exc
        raise ArchiveError(f"search failed for {query!r}: {exc}") from exc


def _ranked(db: Database, match: str, filters: Filters, batch: int) -> Iterator[tuple[int, float]]:
    """(rowid, bm25) of every match, best first, read in growing batches."""
    clauses, params = filters.where()
    weights = ", ".join(str(w) for w in RANK_WEIGHTS)
    where = " AND ".join(["articles_fts MATCH ?", *clauses])
    # filters read the narrow covering index, not the wide rows (10x faster on a cold cache)
    join = " JOIN articles a INDEXED BY idx_articles_filter ON a.id = articles_fts.rowid"
    sql = (
        f"SELECT articles_fts.rowid, bm25(articles_fts, {weights}) AS score FROM articles_fts"
        f"{join if clauses else ''} WHERE {where} ORDER BY score LIMIT ? OFFSET ?"
    )
    offset = 0
    while True:
        rows = db.execute(sql, [match, *params, batch, offset]).fetchall()
        yield from ((int(rowid), float(score)) for rowid, score in rows)
        if len(rows) < batch:
            return
        offset += batch
        batch *= 2


def _best_hits(db: Database, match: str, filters: Filters, limit: int, *,
               all_copies: bool) -> list[tuple[int, float]]:
    """The first ``limit`` matches, or with copies folded, the best match of each of the
    first ``limit`` stories."""
    chosen: list[tuple[int, float]] = []
    stories: set[int] = set()
    for rowid, score in _ranked(db, match, filters, limit if all_copies else limit * 3 + 10):
        if not all_copies:
            story = story_of(db, rowid)
            if story in stories:
                continue
            stories.add(story)
        chosen.append((rowid, score))
        if len(chosen) == limit:
            break
    return chosen


def story_of(db: Database, article_id: int) -> int:
    """The original a copy was linked to, following ``duplicate_of`` (itself if none)."""
    seen = [article_id]
    while len(seen) < MAX_CHAIN:
        row = db.execute("SELECT duplicate_of FROM articles WHERE id = ?", [seen[-1]]).fetchone()
        if row is None or row[0] is None or row[0] in seen:
            break
        seen.append(int(row[0]))
    return seen[-1]


def story_size(db: Database, original: int) -> int:
    """Articles in the story whose original is ``original`` (the original included)."""
    row = db.execute(
        "WITH RECURSIVE story(id, depth) AS (SELECT ?, 0 UNION SELECT a.id, story.depth + 1"
        " FROM articles a JOIN story ON a.duplicate_of = story.id WHERE story.depth < ?)"
        " SELECT count(DISTINCT id) FROM story",
        [original, MAX_CHAIN],
    ).fetchone()
    return int(row[0])


def _hit(db: Database, match: str, rowid: int, score: float,
         highlight: tuple[str, str]) -> SearchHit:
    id_, site, section, published, title, url, snippet, duplicate_of = db.execute(
        "SELECT a.id, a.site, a.section, a.published, a.title, a.url,"
        f" snippet(articles_fts, 2, ?, ?, ' … ', {SNIPPET_WORDS}), a.duplicate_of"
        " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        " WHERE articles_fts MATCH ? AND articles_fts.rowid = ?",
        [*highlight, match, rowid],
    ).fetchone()
    return SearchHit(id_, site, section, published, title, url, snippet, score=-score,
                     copies=story_size(db, story_of(db, rowid)) - 1, duplicate_of=duplicate_of)
