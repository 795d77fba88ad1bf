"""The analyst commands through click's CliRunner, on real archive files."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import random
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from scraper.archive import Archive
from scraper.cli import main
from scraper.models import Article

SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ve", "no", "si", "da", "pe", "gu", "zo", "ri", "ba"]
VOCABULARY = ["".join(p) for p in itertools.product(SYLLABLES, repeat=3)]
COMMANDS = ["search", "show", "history", "export", "stats", "duplicates", "serve"]
READING_ARGS: dict[str, list[str]] = {
    "search": ["search", "sudan"], "show": ["show", "1"], "history": ["history", "1"],
    "export": ["export"], "stats": ["stats"], "duplicates": ["duplicates"],
    "serve": ["serve", "--port", "0"],
}


def prose(seed: int, words: int = 200) -> str:
    rng = random.Random(seed)
    sentences = [" ".join(rng.choice(VOCABULARY) for _ in range(10)).capitalize() + "."
                 for _ in range(words // 10)]
    return " ".join(sentences)


def make_article(url: str, body: str, **fields: Any) -> Article:
    return Article(url=url, body=body, content_hash=hashlib.sha256(body.encode()).hexdigest(),
                   word_count=len(body.split()), **fields)


ARTICLES = [
    make_article("https://news.example/world/sudan", "Sudan talks resumed. " + prose(1),
                 title="Sudan talks resume", section="World", published="2023-06-12T09:00:00Z",
                 authors=["A. Writer", "B. Writer"], tags=["sudan", "diplomacy"],
                 headings=["Background"]),
    make_article("https://news.example/world/chad", prose(2) + " Sudan refugees reached Chad.",
                 title="Refugees reach Chad", section="World", published="2023-05-20"),
    make_article("https://other.example/biz/gold", "Sudan gold, with a comma, and \"quotes\". "
                 + prose(3), title="Gold, exports", section="Business", published="2023-07-01"),
]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no stray ./config.toml
    return CliRunner()


@pytest.fixture
def archive_file(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for number, article in enumerate(ARTICLES):
            site = "news" if "news." in article.url else "other"
            archive.save(article, site=site, fetched_at=f"2023-08-0{number + 1}T10:00:00+00:00")
    return path


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# -- every command: help, missing file, not an archive -----------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_runnable_example(runner: CliRunner, command: str) -> None:
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    assert f"\n  scraper {command}" in result.output
    assert "--db" in result.output and "--config" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_archive_is_one_line_and_no_file_is_created(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    missing = tmp_path / "missing.db"
    line = one_error_line(run(runner, *READING_ARGS[command], "--db", str(missing)))
    assert line == f"Error: {missing}: no archive here (give --db, or crawl first)"
    assert not missing.exists()
    assert not (tmp_path / "archive.db").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_non_archive_file_is_one_line_and_left_untouched(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n")
    line = one_error_line(run(runner, *READING_ARGS[command], "--db", str(path)))
    assert line.endswith("not a scraper archive (not an SQLite database)")
    assert path.read_text() == "shopping list\n"


def test_foreign_sqlite_database_is_refused_without_changes(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    Database(path).table("people").insert({"name": "Ada"})
    line = one_error_line(run(runner, "stats", "--db", str(path)))
    assert line.endswith("not a scraper archive (no articles table)")
    assert Database(path).table_names() == ["people"]


def test_archive_path_comes_from_the_config(runner: CliRunner, tmp_path: Path,
                                            archive_file: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(f'[archive]\npath = "{archive_file}"\n')
    result = run(runner, "stats", "--config", str(config), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["articles"] == 3


def test_bad_config_is_exit_2_one_line(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[archive]\nnonsense = 1\n")
    result = run(runner, "stats", "--config", str(config))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


# -- search ------------------------------------------------------------------------------


def test_search_json_with_filters(runner: CliRunner, archive_file: Path) -> None:
    result = run(runner, "search", "sudan", "--section", "World", "--since", "2023-06-01",
                 "--format", "json", "--db", str(archive_file))
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [hit["title"] for hit in hits] == ["Sudan talks resume"]
    assert hits[0]["snippet"].startswith("**Sudan**")
    assert hits[0]["site"] == "news"


def test_search_table_and_csv(runner: CliRunner, archive_file: Path) -> None:
    table = run(runner, "search", "sudan", "--db", str(archive_file), "--limit", "1")
    assert table.exit_code == 0
    assert "Sudan talks resume" in table.stdout  # a title match ranks first
    assert "https://news.example/world/sudan" in table.stdout
    assert "Refugees reach Chad" not in table.stdout and "Gold" not in table.stdout
    rows = list(csv.DictReader(io.StringIO(
        run(runner, "search", "gold", "--format", "csv", "--db", str(archive_file)).stdout)))
    assert [(r["id"], r["title"], r["site"]) for r in rows] == [("3", "Gold, exports", "other")]
    assert "**gold**" in rows[0]["snippet"]


def test_search_without_matches_says_so(runner: CliRunner, archive_file: Path) -> None:
    result = run(runner, "search", "zebra", "--db", str(archive_file))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no matches\n"


@pytest.mark.parametrize("query", ["sudan AND (", '"open quote', "nosuchcolumn:sudan"])
def test_bad_fts_query_is_exit_1_one_line(runner: CliRunner, archive_file: Path,
                                          query: str) -> None:
    line = one_error_line(run(runner, "search", query, "--fts", "--db", str(archive_file)))
    assert line.startswith(f"Error: bad FTS5 query {query!r}")


@pytest.mark.parametrize("command", ["search", "export"])
@pytest.mark.parametrize("value", ["June", "2023-02-30", "01/06/2023"])
def test_odd_date_is_exit_2_one_line(runner: CliRunner, archive_file: Path, command: str,
                                     value: str) -> None:
    args = [command, "sudan"] if command == "search" else [command]
    result = run(runner, *args, "--since", value, "--db", str(archive_file))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    line = result.stderr.strip()
    assert line == (f"Error: --since: not a date: {value!r}"
                    " (use YYYY-MM-DD or an ISO 8601 timestamp)")


# -- show, history -----------------------------------------------------------------------


def test_show_text_and_json_by_id_or_url(runner: CliRunner, archive_file: Path) -> None:
    text = run(runner, "show", "https://www.news.example/world/sudan/", "--db", str(archive_file))
    assert text.exit_code == 0
    assert text.stdout.startswith("Sudan talks resume\n==================\nId: 1\n")
    assert "Authors: A. Writer, B. Writer" in text.stdout
    first_seen = "2023-08-01T10:00:00+00:00"
    assert f"  https://news.example/world/sudan  (first seen {first_seen})" in text.stdout
    assert text.stdout.rstrip().endswith(ARTICLES[0].body)
    record = json.loads(run(runner, "show", "1", "--format", "json", "--db",
                            str(archive_file)).stdout)
    assert record["tags"] == ["sudan", "diplomacy"]
    assert record["urls"] == ["https://news.example/world/sudan"]
    assert [r["revision"] for r in record["revisions"]] == [1]


def test_show_unknown_article_is_one_line(runner: CliRunner, archive_file: Path) -> None:
    assert one_error_line(run(runner, "show", "42", "--db", str(archive_file))) == (
        "Error: no article with id 42")


def test_history_diff_after_a_changed_revision(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    tail = prose(9)
    with Archive(path) as archive:
        archive.save(make_article("https://x.example/a", "Talks began on Monday. " + tail,
                                  title="Talks"), fetched_at="2023-06-01T10:00:00+00:00")
        archive.save(make_article("https://x.example/a", "Talks began on Tuesday. " + tail,
                                  title="Talks"), fetched_at="2023-06-02T10:00:00+00:00")
    plain = run(runner, "history", "https://x.example/a", "--db", str(path))
    assert plain.exit_code == 0
    lines = plain.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("revision 1  2023-06-01T10:00:00+00:00  ")
    assert lines[1].startswith("revision 2  2023-06-02T10:00:00+00:00  ")
    diff = run(runner, "history", "1", "--diff", "--db", str(path)).stdout.splitlines()
    assert diff[:2] == lines
    assert "--- revision 1 (2023-06-01T10:00:00+00:00)" in diff
    assert "+++ revision 2 (2023-06-02T10:00:00+00:00)" in diff
    assert "-Talks began on Monday." in diff
    assert "+Talks began on Tuesday." in diff
    assert not any(line.startswith(("-#", "+#")) for line in diff)  # the title did not change


def test_history_without_changes_has_no_diff(runner: CliRunner, archive_file: Path) -> None:
    result = run(runner, "history", "2", "--diff", "--db", str(archive_file))
    assert result.exit_code == 0
    assert "---" not in result.stdout and len(result.stdout.splitlines()) == 1


# -- export ------------------------------------------------------------------------------


def test_export_jsonl_round_trip(runner: CliRunner, archive_file: Path) -> None:
    result = run(runner, "export", "--db", str(archive_file))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(ARTICLES)
    for record, article in zip(records, ARTICLES, strict=True):
        for name, value in article.to_dict().items():
            assert record[name] == value, name


def test_export_csv_round_trip_to_file_with_filters(runner: CliRunner, archive_file: Path,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run(runner, "export", "--format", "csv", "--site", "other", "--out", str(out),
                 "--db", str(archive_file))
    assert result.exit_code == 0
    assert result.stderr == f"exported 1 articles to {out}\n"
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    article = ARTICLES[2]
    assert rows[0]["title"] == article.title
    assert rows[0]["body"] == article.body
    assert json.loads(rows[0]["authors"]) == article.authors
    assert int(rows[0]["word_count"]) == article.word_count


def test_export_until_is_inclusive(runner: CliRunner, archive_file: Path) -> None:
    result = run(runner, "export", "--until", "2023-06-12", "--db", str(archive_file))
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == ["Sudan talks resume", "Refugees reach Chad"]


def test_export_to_a_missing_folder_is_one_line(runner: CliRunner, archive_file: Path,
                                                tmp_path: Path) -> None:
    line = one_error_line(run(runner, "export", "--out", str(tmp_path / "no" / "x.jsonl"),
                              "--db", str(archive_file)))
    assert "cannot write" in line


# -- stats, duplicates -------------------------------------------------------------------


@pytest.mark.parametrize(("by", "expected"), [
    ("site", [["news", 2], ["other", 1]]),
    ("day", [["2023-07-01", 1], ["2023-06-12", 1], ["2023-05-20", 1]]),
    ("section", [["World", 2], ["Business", 1]]),
])
def test_stats_by(runner: CliRunner, archive_file: Path, by: str,
                  expected: list[list[object]]) -> None:
    data = json.loads(run(runner, "stats", "--by", by, "--format", "json", "--db",
                          str(archive_file)).stdout)
    assert [[g["key"], g["articles"]] for g in data["groups"]] == expected
    assert data["articles"] == 3
    text = run(runner, "stats", "--by", by, "--db", str(archive_file)).stdout
    assert f"By {by}" in text
    assert all(str(key) in text for key, _ in expected)


def test_duplicates_lists_groups(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    body = prose(20, 400)
    sentences = body.split(". ")
    sentences[20] = "This sentence was rewritten by the aggregator"
    with Archive(path) as archive:
        archive.save(make_article("https://a.example/story", body, title="Original"))
        archive.save(make_article("https://b.example/copy", ". ".join(sentences), title="Copy"))
        archive.save(make_article("https://c.example/x", prose(21, 400), title="Unrelated"))
    text = run(runner, "duplicates", "--threshold", "0.85", "--db", str(path)).stdout
    assert text.splitlines()[0] == "group 1 (2 articles)"
    assert "[1] : Original" in text and "[2] : Copy  <- copy of 1 (minhash" in text
    assert "Unrelated" not in text
    groups = json.loads(run(runner, "duplicates", "--threshold", "0.85", "--format", "json",
                            "--db", str(path)).stdout)
    assert [[m["id"] for m in g] for g in groups] == [[1, 2]]
    assert 0.85 <= groups[0][1]["similarity"] < 0.99
    shown_copy = run(runner, "show", "2", "--db", str(path)).stdout
    assert "Copy of: [1] Original (minhash; similarity 0.9" in shown_copy
    assert "Copied by: [2] Copy (minhash; similarity 0.9" in run(runner, "show", "1", "--db",
                                                                 str(path)).stdout
    none = run(runner, "duplicates", "--threshold", "0.99", "--db", str(path))
    assert none.exit_code == 0 and none.stderr == "no copies at similarity >= 0.99\n"


def test_serve_on_a_busy_port_is_one_line(runner: CliRunner, archive_file: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        line = one_error_line(run(runner, "serve", "--port", str(port), "--db",
                                  str(archive_file)))
    assert line.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")
