"""Search as analysts type it: plain words by default, raw FTS5 behind --fts, syndicated
copies folded into one hit; and the filters' usage errors (bad date, unknown site)."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from scraper.archive import Archive
from scraper.archive.queries import Filters, open_archive, plain_query, search
from scraper.cli import main
from scraper.errors import ArchiveError
from scraper.models import Article

WORDS = ["harbour", "ledger", "mackerel", "quay", "lorry", "council", "ferry", "season",
         "gazette", "crew", "ice", "boat", "shoal", "weather", "board", "meeting", "hall"]


def filler(seed: int, words: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def make_article(url: str, body: str, **fields: Any) -> Article:
    return Article(url=url, body=body, content_hash=hashlib.sha256(body.encode()).hexdigest(),
                   word_count=len(body.split()), **fields)


STORY = "Sudan talks resumed in Jeddah on Monday as mediators met both delegations. " + filler(7)
ARTICLES: list[tuple[str, Article]] = [
    ("wire", make_article("https://wire.example/sudan-talks", STORY,
                          title="Sudan talks resume", published="2023-06-12")),
    ("agg", make_article("https://agg.example/copy-1", "Republished. " + STORY,
                         title="Sudan talks resume", source_link="https://wire.example/sudan-talks",
                         published="2023-06-13")),
    ("agg", make_article("https://agg.example/copy-2", "Via the wire. " + STORY,
                         title="Talks on Sudan", source_link="https://wire.example/sudan-talks",
                         published="2023-06-14")),
    ("wire", make_article("https://wire.example/sudan-gold",
                          "Sudan gold exports fell, the U.S. embassy said. " + filler(8),
                          title="Gold exports fall", published="2023-06-20")),
    ("tech", make_article("https://tech.example/cpp",
                          "Why don't teams use C++ here? The a.b module ships first. " + filler(9),
                          title="C++ at the harbour office", published="2023-06-21")),
]


@pytest.fixture
def archive_file(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for site, article in ARTICLES:
            archive.save(article, site=site, fetched_at="2023-07-01T00:00:00+00:00")
    return path


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


def error_line(result: Result, status: int) -> str:
    assert result.exit_code == status, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def hits_for(runner: CliRunner, archive_file: Path, *args: str) -> list[dict[str, Any]]:
    result = run(runner, "search", *args, "--format", "json", "--db", str(archive_file))
    assert result.exit_code == 0, result.output
    hits: list[dict[str, Any]] = json.loads(result.stdout)
    return hits


# -- plain words -------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "title"), [
    ("U.S.", "Gold exports fall"),
    ("don't", "C++ at the harbour office"),
    ("c++", "C++ at the harbour office"),
    ("a.b", "C++ at the harbour office"),
    ("sudan -talks", "Gold exports fall"),
    ('"exports fell" -"talks"', "Gold exports fall"),
    ("expor* sudan", "Gold exports fall"),
])
def test_plain_queries_are_words(runner: CliRunner, archive_file: Path, query: str,
                                 title: str) -> None:
    assert [hit["title"] for hit in hits_for(runner, archive_file, query)] == [title]


def test_plain_query_quotes_every_word_for_fts5() -> None:
    assert plain_query("U.S. don't") == '"U.S." "don\'t"'
    assert plain_query('sudan -talks "peace deal"') == '"sudan" "peace deal" NOT "talks"'
    assert plain_query('say "hi') == '"say" "hi"'
    assert plain_query('elect* say""so') == '"elect"* "say" "so"'
    assert plain_query("AND OR NOT near(") == '"AND" "OR" "NOT" "near("'


@pytest.mark.parametrize("query", ["", "  ", "-talks", "+++ -sudan", '""'])
def test_a_query_with_nothing_to_find_is_one_clear_error(archive_file: Path, query: str) -> None:
    db = open_archive(archive_file)
    with pytest.raises(ArchiveError) as caught:
        search(db, query)
    db.close()
    assert "\n" not in str(caught.value)
    assert "nothing to search for" in str(caught.value) or "empty search query" in str(
        caught.value)


# -- raw FTS5 ----------------------------------------------------------------------------


def test_fts_flag_passes_fts5_syntax(runner: CliRunner, archive_file: Path) -> None:
    hits = hits_for(runner, archive_file, "title:gold OR title:harbour", "--fts")
    assert {hit["title"] for hit in hits} == {"Gold exports fall", "C++ at the harbour office"}
    assert hits_for(runner, archive_file, "jeddah NEAR/3 mediators", "--fts")[0]["title"] == (
        "Sudan talks resume")
    # the same words without --fts are words, not operators
    assert hits_for(runner, archive_file, "title:gold OR title:harbour") == []


@pytest.mark.parametrize(("query", "points_at"), [
    ("U.S.", 'syntax error at "." (character 2)'),
    ("sudan AND (", "unexpected end of the query"),
    ("sudan -talks", '"talks" is read as a column name'),
    ('"open quote', "unterminated quoted phrase"),
])
def test_bad_fts_query_is_one_line_pointing_at_the_problem(runner: CliRunner,
                                                           archive_file: Path, query: str,
                                                           points_at: str) -> None:
    result = run(runner, "search", query, "--fts", "--db", str(archive_file))
    line = error_line(result, 1)
    assert line.startswith(f"Error: bad FTS5 query {query!r}: ")
    assert points_at in line
    assert "without --fts" in line


# -- syndicated copies -------------------------------------------------------------------


def test_copies_are_one_hit_with_their_number(runner: CliRunner, archive_file: Path) -> None:
    hits = hits_for(runner, archive_file, "jeddah mediators")
    assert len(hits) == 1
    assert hits[0]["copies"] == 2
    assert hits[0]["url"] in {url for _, a in ARTICLES[:3] for url in [a.url]}
    every = hits_for(runner, archive_file, "jeddah mediators", "--all-copies")
    assert sorted(hit["url"] for hit in every) == sorted(a.url for _, a in ARTICLES[:3])
    assert all(hit["copies"] == 2 for hit in every)


def test_folding_fills_the_limit_with_distinct_stories(archive_file: Path) -> None:
    db = open_archive(archive_file)
    try:
        folded = search(db, "sudan", limit=2)
        every = search(db, "sudan", limit=2, all_copies=True)
    finally:
        db.close()
    assert {hit.title for hit in folded} >= {"Gold exports fall"}
    assert len({hit.url for hit in folded}) == 2
    assert len(every) == 2


def test_table_output_shows_the_copies(runner: CliRunner, archive_file: Path) -> None:
    result = run(runner, "search", "jeddah", "--db", str(archive_file))
    assert result.exit_code == 0
    assert "+2 copies" in result.stdout


# -- usage errors of the filters ---------------------------------------------------------


@pytest.mark.parametrize("command", ["search", "export"])
@pytest.mark.parametrize("value", ["2023-13-45", "June"])
def test_bad_date_is_a_usage_error(runner: CliRunner, archive_file: Path, command: str,
                                   value: str) -> None:
    args = [command, "sudan"] if command == "search" else [command]
    line = error_line(run(runner, *args, "--since", value, "--db", str(archive_file)), 2)
    assert line == (f"Error: --since: not a date: {value!r}"
                    " (use YYYY-MM-DD or an ISO 8601 timestamp)")


@pytest.mark.parametrize("command", ["search", "export"])
def test_unknown_site_says_which_sites_are_archived(runner: CliRunner, archive_file: Path,
                                                    command: str) -> None:
    args = [command, "sudan"] if command == "search" else [command]
    result = run(runner, *args, "--site", "nosuchsite", "--db", str(archive_file))
    assert error_line(result, 2) == (
        "Error: --site: no site 'nosuchsite' is archived (archived sites: agg, tech, wire)")
    assert result.stdout == ""


def test_a_known_site_still_filters(archive_file: Path) -> None:
    db = open_archive(archive_file)
    try:
        hits = search(db, "sudan", filters=Filters(site="wire"), all_copies=True)
    finally:
        db.close()
    assert {hit.site for hit in hits} == {"wire"}
