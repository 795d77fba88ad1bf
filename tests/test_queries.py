"""Reading the archive (scraper.archive.queries) on real SQLite files."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from scraper.archive import Archive
from scraper.archive.queries import (
    FailureCount,
    Filters,
    SearchHit,
    article_detail,
    duplicate_groups,
    export_rows,
    find_article,
    fts5_query,
    open_archive,
    parse_date,
    revision_diff,
    revisions,
    search,
    stats,
)
from scraper.errors import ArchiveError
from scraper.models import Article

SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ve", "no", "si", "da", "pe", "gu", "zo", "ri", "ba"]
VOCABULARY = ["".join(p) for p in itertools.product(SYLLABLES, repeat=3)]


def prose(seed: int, words: int = 200) -> str:
    rng = random.Random(seed)
    sentences = []
    for _ in range(words // 10):
        sentences.append(" ".join(rng.choice(VOCABULARY) for _ in range(10)).capitalize() + ".")
    return " ".join(sentences)


def make_article(url: str, body: str, **fields: Any) -> Article:
    return Article(url=url, body=body, content_hash=hashlib.sha256(body.encode()).hexdigest(),
                   word_count=len(body.split()), **fields)


@pytest.fixture
def archive_file(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.save(make_article(
            "https://news.example/world/sudan-ceasefire",
            "Ceasefire talks over Sudan resumed in Jeddah. " + prose(1),
            title="Sudan ceasefire talks resume", section="World",
            published="2023-06-12T09:00:00+00:00", authors=["A. Writer"],
        ), site="news", fetched_at="2023-06-12T10:00:00+00:00")
        archive.save(make_article(
            "https://news.example/world/sudan-refugees",
            prose(2) + " Refugees from Sudan crossed into Chad.",
            title="Refugees cross the border", section="World", published="2023-05-20",
        ), site="news", fetched_at="2023-05-21T10:00:00+00:00")
        archive.save(make_article(
            "https://news.example/business/sudan-gold",
            "Gold exports from Sudan fell. " + prose(3),
            title="Gold exports fall", section="Business", published="2023-07-01",
        ), site="news", fetched_at="2023-07-01T10:00:00+00:00")
        archive.save(make_article(
            "https://other.example/africa/sudan",
            "Sudan ceasefire monitored by observers. " + prose(4),
            title="Observers in Sudan", section="World", published="2023-08-03",
        ), site="other", fetched_at="2023-08-03T10:00:00+00:00")
        archive.save(make_article(
            "https://other.example/sport/final",
            prose(5), title="Cup final tonight", section="Sport", published="2023-08-04",
        ), site="other", fetched_at="2023-08-04T10:00:00+00:00")
    return path


@pytest.fixture
def db(archive_file: Path) -> Iterator[Database]:
    database = open_archive(archive_file)
    yield database
    database.close()


def titles(hits: list[SearchHit]) -> list[str | None]:
    return [hit.title for hit in hits]


# -- search ------------------------------------------------------------------------------


def test_search_ranks_title_matches_first_and_highlights(db: Database) -> None:
    hits = search(db, "ceasefire")
    assert titles(hits) == ["Sudan ceasefire talks resume", "Observers in Sudan"]
    assert "**Ceasefire**" in hits[0].snippet
    assert hits[0].score > hits[1].score > 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), {"Sudan ceasefire talks resume", "Refugees cross the border",
                     "Gold exports fall", "Observers in Sudan"}),
        (Filters(section="World"), {"Sudan ceasefire talks resume", "Refugees cross the border",
                                    "Observers in Sudan"}),
        (Filters(section="World", since="2023-06-01"),
         {"Sudan ceasefire talks resume", "Observers in Sudan"}),
        (Filters(site="other"), {"Observers in Sudan"}),
        (Filters(until="2023-06-12"),
         {"Sudan ceasefire talks resume", "Refugees cross the border"}),
        (Filters(since="2023-06-13", until="2023-07-31"), {"Gold exports fall"}),
        (Filters(site="nobody"), set()),
    ],
    ids=["none", "section", "section-since", "site", "until-inclusive", "window", "no-site"],
)
def test_search_filters(db: Database, filters: Filters, expected: set[str]) -> None:
    assert set(titles(search(db, "sudan", filters=filters))) == expected


def test_search_limit(db: Database) -> None:
    assert len(search(db, "sudan", limit=2)) == 2


def test_search_fts_syntax_phrase_column_and_near(db: Database) -> None:
    assert titles(search(db, '"gold exports"', fts=True)) == ["Gold exports fall"]
    assert titles(search(db, "title:observers", fts=True)) == ["Observers in Sudan"]
    assert titles(search(db, "ceasefire NEAR/5 jeddah", fts=True)) == [
        "Sudan ceasefire talks resume"]
    assert search(db, "ceasefire NEAR/4 jeddah", fts=True) == []


def test_fts4_near_is_rewritten() -> None:
    assert fts5_query("ceasefire NEAR talks") == "NEAR(ceasefire talks, 10)"
    assert fts5_query('"peace deal" NEAR/5 sudan') == 'NEAR("peace deal" sudan, 5)'
    assert fts5_query("near miss") == "near miss"


@pytest.mark.parametrize("query", ["ceasefire AND (", '"unterminated', "nosuchcolumn:sudan",
                                   "AND", " "])
def test_bad_fts_query_is_one_clear_archive_error(db: Database, query: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        search(db, query, fts=True)
    message = str(caught.value)
    assert "\n" not in message
    assert "search query" in message or "FTS5 query" in message


# -- opening -----------------------------------------------------------------------------


def test_missing_archive_is_an_error_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nothing.db"
    with pytest.raises(ArchiveError, match="no archive here"):
        open_archive(path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", [b"", b"hello, not a database\n", b"SQLite format 2\x00..."],
                         ids=["empty", "text", "other-magic"])
def test_non_sqlite_file_is_rejected_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(ArchiveError, match="not a scraper archive"):
        open_archive(path)
    assert path.read_bytes() == content


def test_other_sqlite_database_is_rejected_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = Database(path)
    other.table("people").insert({"name": "Ada"})
    other.close()
    with pytest.raises(ArchiveError, match="no articles table"):
        open_archive(path)
    assert Database(path).table_names() == ["people"]


def test_directory_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="directory"):
        open_archive(tmp_path)


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-06-01", "2023-06-01"), ("2023-06-01T10:00:00Z", "2023-06-01T10:00:00+00:00"),
    (" 2023-06-01 ", "2023-06-01"),
])
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["June", "2023-13-01", "2023-06-31", "yesterday", ""])
def test_parse_date_rejects_odd_dates(text: str) -> None:
    with pytest.raises(ArchiveError, match="not a date"):
        parse_date(text)
    with pytest.raises(ArchiveError, match="not a date"):
        Filters(since=text)


# -- one article, history ----------------------------------------------------------------


def test_article_detail_by_id_and_by_any_url_spelling(db: Database) -> None:
    by_id = article_detail(db, "1")
    by_url = article_detail(db, "http://www.news.example/world/sudan-ceasefire/?utm_source=x")
    assert by_url.record == by_id.record
    assert by_id.record["title"] == "Sudan ceasefire talks resume"
    assert by_id.record["authors"] == ["A. Writer"]
    assert [u.url for u in by_id.urls] == ["https://news.example/world/sudan-ceasefire"]
    assert [r.revision for r in by_id.revisions] == [1]
    assert by_id.to_dict()["urls"] == ["https://news.example/world/sudan-ceasefire"]


@pytest.mark.parametrize("ref", ["999", "https://news.example/never/seen"])
def test_unknown_article_is_an_error(db: Database, ref: str) -> None:
    with pytest.raises(ArchiveError, match="no a"):
        find_article(db, ref)


def test_revisions_and_unified_diff(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    first = "The talks began on Monday. Both sides attended. " + prose(7)
    second = "The talks began on Tuesday. Both sides attended. " + prose(7)
    with Archive(path) as archive:
        archive.save(make_article("https://x.example/a", first, title="Talks"),
                     fetched_at="2023-06-01T10:00:00+00:00")
        archive.save(make_article("https://x.example/a", second, title="Talks begin"),
                     fetched_at="2023-06-02T10:00:00+00:00")
    db = open_archive(path)
    versions = revisions(db, find_article(db, "https://x.example/a"))
    db.close()
    assert [(v.revision, v.fetched_at) for v in versions] == [
        (1, "2023-06-01T10:00:00+00:00"), (2, "2023-06-02T10:00:00+00:00")]
    diff = revision_diff(versions[0], versions[1])
    assert diff[0] == "--- revision 1 (2023-06-01T10:00:00+00:00)"
    assert diff[1] == "+++ revision 2 (2023-06-02T10:00:00+00:00)"
    changed = [line for line in diff[2:] if line[:1] in "+-"]
    assert changed == ["-# Talks", "-The talks began on Monday.",
                       "+# Talks begin", "+The talks began on Tuesday."]


# -- export ------------------------------------------------------------------------------


def test_export_rows_is_a_stream_with_filters(db: Database) -> None:
    rows = export_rows(db, filters=Filters(section="World", since="2023-06-01"))
    assert isinstance(rows, types.GeneratorType)
    records = list(rows)
    assert [r["title"] for r in records] == ["Sudan ceasefire talks resume", "Observers in Sudan"]
    assert records[0]["authors"] == ["A. Writer"]
    assert records[0]["site"] == "news"
    assert len(list(export_rows(db))) == 5


# -- stats -------------------------------------------------------------------------------


def _add_runs(db: Database) -> None:
    db.table("runs").insert_all([
        {"id": 1, "started": "2023-08-01T00:00:00+00:00", "status": "finished"},
        {"id": 2, "started": "2023-08-02T00:00:00+00:00", "status": "finished"},
    ])
    db.table("run_sites").insert_all([
        {"run_id": 1, "site": "news", "fetched": 5, "new": 3, "updated": 0, "failed": 1},
        {"run_id": 2, "site": "news", "fetched": 4, "new": 1, "updated": 0, "failed": 2},
        {"run_id": 2, "site": "other", "fetched": 2, "new": 2, "updated": 1, "failed": 0},
    ])
    failures: list[dict[str, Any]] = [
        {"run_id": 1, "site": "news", "url": "https://news.example/x", "stage": "fetch",
         "status": 404, "reason": "HTTP 404", "at": "2023-08-01T00:01:00+00:00"},
        {"run_id": 2, "site": "news", "url": "https://news.example/y", "stage": "fetch",
         "status": 404, "reason": "HTTP 404", "at": "2023-08-02T00:01:00+00:00"},
        {"run_id": 2, "site": "news", "url": "https://news.example/z", "stage": "extract",
         "status": None, "reason": "no article body", "at": "2023-08-02T00:02:00+00:00"},
    ]
    db.table("failures").insert_all(failures)


def test_stats_by_site_day_section_and_runs(db: Database) -> None:
    _add_runs(db)
    by_site = stats(db, by="site")
    assert (by_site.articles, by_site.sites, by_site.revisions, by_site.urls) == (5, 2, 5, 5)
    assert [(g.key, g.articles) for g in by_site.groups] == [("news", 3), ("other", 2)]
    assert by_site.groups[0].first_seen == "2023-05-21T10:00:00+00:00"
    assert by_site.groups[0].last_seen == "2023-07-01T10:00:00+00:00"
    assert by_site.earliest_published == "2023-05-20"
    assert [(r.id, r.fetched, r.new, r.updated, r.failed) for r in by_site.runs] == [
        (2, 6, 3, 1, 2), (1, 5, 3, 0, 1)]
    assert [(f.stage, f.reason, f.count) for f in by_site.failures] == [
        ("fetch", "HTTP 404", 2), ("extract", "no article body", 1)]
    by_day = stats(db, by="day")
    assert [(g.key, g.articles) for g in by_day.groups] == [
        ("2023-08-04", 1), ("2023-08-03", 1), ("2023-07-01", 1), ("2023-06-12", 1),
        ("2023-05-20", 1)]
    by_section = stats(db, by="section")
    assert [(g.key, g.articles) for g in by_section.groups] == [
        ("World", 3), ("Business", 1), ("Sport", 1)]
    assert stats(db, last_runs=1).failures == [
        FailureCount("extract", None, "no article body", 1),
        FailureCount("fetch", 404, "HTTP 404", 1),
    ]


def test_stats_rejects_unknown_grouping(db: Database) -> None:
    with pytest.raises(ArchiveError, match="cannot group by"):
        stats(db, by="month")  # type: ignore[arg-type]


# -- duplicates --------------------------------------------------------------------------


def test_duplicate_groups_respect_threshold(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    body = prose(11, 400)
    with Archive(path) as archive:
        original = archive.save(make_article("https://a.example/story", body, title="Story"))
        copy = archive.save(make_article("https://b.example/copy", "Republished. " + body,
                                         title="Story (copy)"))
        archive.save(make_article("https://c.example/other", prose(12, 400), title="Other"))
        declared = archive.save(make_article("https://d.example/summary", prose(13, 100),
                                             title="Summary",
                                             source_link="https://a.example/story/"))
    db = open_archive(path)
    groups = duplicate_groups(db, threshold=0.9)
    assert len(groups) == 1
    members = groups[0].members
    assert members[0].id == original.article_id and members[0].duplicate_of is None
    assert {m.id for m in members[1:]} == {copy.article_id, declared.article_id}
    # a sketch link below the threshold drops out; a declared source link never does
    db.execute("UPDATE articles SET duplicate_similarity = 0.75 WHERE id = ?", [copy.article_id])
    assert [[m.id for m in g.members] for g in duplicate_groups(db, threshold=0.9)] == [
        [original.article_id, declared.article_id]]
    assert len(duplicate_groups(db, threshold=0.7)[0].members) == 3
    with pytest.raises(ArchiveError, match="threshold"):
        duplicate_groups(db, threshold=1.5)
    db.close()


# -- the documented interface ------------------------------------------------------------

SCHEMA_DOC = Path(__file__).parent.parent / "docs" / "schema.md"


def test_every_sql_example_in_the_schema_doc_runs(db: Database) -> None:
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    statements = [
        statement for block in re.findall(r"```sql\n(.*?)```", text, re.S)
        for statement in block.split(";") if statement.strip()
    ]
    assert len(statements) >= 7
    for statement in statements:
        db.execute(statement).fetchall()
    sudan = db.execute(statements[0]).fetchall()
    assert {row[3] for row in sudan} == {"Sudan ceasefire talks resume", "Observers in Sudan"}


def test_schema_doc_names_every_table_view_and_column(db: Database) -> None:
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    names = db.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
        " AND name NOT LIKE 'articles_fts_%' AND name NOT LIKE 'sqlite_%'"
        " AND name != '_sqlite_migrations'"
    ).fetchall()
    assert len(names) >= 15
    for name, kind in names:
        assert f"`{name}`" in text, name
        columns = db.table(name).columns if kind == "table" else db.view(name).columns
        for column in columns:
            assert f"`{column.name}`" in text, f"{name}.{column.name}"
