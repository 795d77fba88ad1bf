"""`scraper eval` and `scraper serve` from Python (``scraper.evaluate``, ``Archive.serve``),
and the archive readers (search, stats, duplicates, history, show) giving the command line
exactly what the API gives: one code path, checked from both ends as a user would."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import scraper
from scraper.cli import main
from scraper.cli.eval_cmd import make_eval_command
from tests.test_archive_cli import ARTICLES
from tests.test_eval_runner import BODY, fake_extract, page, write_gz, write_json

FAKE_EVAL = make_eval_command(extract=fake_extract)
TIMINGS = ("seconds", "pages_per_sec")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A zyte folder of three pages: a whole body, half of it, one the extractor refuses."""
    zyte = tmp_path / "corpus" / "zyte"
    for name, title, paragraphs in (("aaa", "Budget", BODY), ("bbb", "Half", BODY[:1]),
                                    ("ccc", "BOOM", BODY)):
        write_gz(zyte / "html" / f"{name}.html.gz", page(title, paragraphs))
    write_json(zyte / "ground-truth.json", {
        name: {"articleBody": "\n".join(BODY), "url": f"https://news.example/{name}"}
        for name in ("aaa", "bbb", "ccc")})
    return tmp_path / "corpus"


def without_timings(record: dict[str, Any]) -> dict[str, Any]:
    for systems in record["datasets"].values():
        for figures in systems.values():
            for name in TIMINGS:
                figures[name] = None
    return record


# -- evaluate ------------------------------------------------------------------------------


def test_evaluate_gives_the_figures_the_command_prints(corpus: Path) -> None:
    report = scraper.evaluate(corpus, extract=fake_extract, limit=3)
    zyte = report.get("zyte")
    assert zyte is not None and report.get("zyte", "trafilatura") is None
    assert (zyte.pages, zyte.errors, zyte.error_pages) == (3, 1, ("ccc: ExtractError: no article",))
    assert zyte.figure("error_rate") == pytest.approx(1 / 3)
    assert 0 < (zyte.figure("shingle_recall") or 0) < 1
    assert zyte.figure("word_f1") is None and "word_f1" not in zyte.figures
    assert report.missing == ("trafilatura-eval", "htmldate-eval", "wcxb-dev")
    assert report.ok and report.floor_misses == ()
    with pytest.raises(AttributeError):
        report.limit = 5  # type: ignore[misc]  # a frozen record

    printed = CliRunner().invoke(FAKE_EVAL, [str(corpus), "--json", "--limit", "3"])
    assert printed.exit_code == 0, printed.output
    assert without_timings(json.loads(printed.stdout)) == without_timings(report.to_dict())
    text = CliRunner().invoke(FAKE_EVAL, [str(corpus), "--limit", "3"]).stdout
    assert text.splitlines()[:4] == report.to_text().splitlines()[:4]
    assert "wcxb-dev: folder absent, skipped" in text


def test_floor_misses_are_what_the_command_reports(corpus: Path, tmp_path: Path) -> None:
    floors = {"zyte": {"shingle_f1": 0.99, "max_error_rate": 0.0},
              "wcxb-dev": {"word_f1": 0.5}}
    report = scraper.evaluate(corpus, extract=fake_extract, floors=floors)
    assert not report.ok
    assert [miss.split()[:2] for miss in report.floor_misses] == [
        ["zyte", "shingle_f1"], ["zyte", "error_rate"], ["wcxb-dev:", "dataset"]]
    assert scraper.evaluate(corpus, extract=fake_extract, floors=floors,
                            allow_missing=True).floor_misses == report.floor_misses[:2]
    assert scraper.evaluate(corpus, extract=fake_extract, floors=floors,
                            datasets=["zyte"]).floor_misses == report.floor_misses[:2]

    path = tmp_path / "floors.toml"
    path.write_text('[zyte]\nshingle_f1 = 0.99\nmax_error_rate = 0.0\n\n'
                    '[wcxb-dev]\nword_f1 = 0.5\n', encoding="utf-8")
    from_file = scraper.evaluate(corpus, extract=fake_extract, floors=path)
    assert from_file.floor_misses == report.floor_misses
    printed = CliRunner().invoke(FAKE_EVAL, [str(corpus), "--floors", str(path)])
    assert printed.exit_code == 1
    assert [line for line in printed.stderr.splitlines()
            if not line.startswith("running ")] == list(report.floor_misses)


def test_the_package_floors_and_no_floors(corpus: Path) -> None:
    missed = scraper.evaluate(corpus, extract=fake_extract, floors=True)
    assert any(miss.startswith("zyte error_rate") for miss in missed.floor_misses)
    assert any("trafilatura-eval: dataset folder absent" in m for m in missed.floor_misses)
    assert scraper.evaluate(corpus, extract=fake_extract, floors=False).ok


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"datasets": ["zyte", "cnn"]}, "unknown dataset(s) cnn"),
    ({"baseline": "goose"}, "unknown baseline 'goose'"),
    ({"floors": "no-such-floors.toml"}, "No such file"),
])
def test_bad_arguments_are_config_errors_before_any_page(corpus: Path, kwargs: dict[str, Any],
                                                         message: str) -> None:
    heard: list[str] = []
    with pytest.raises(scraper.ConfigError, match=message.replace("(", r"\(").replace(
            ")", r"\)")):
        scraper.evaluate(corpus, extract=fake_extract, progress=heard.append, **kwargs)
    assert heard == []


def test_a_floors_file_that_is_no_floors_file(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "floors.toml"
    path.write_text('[zyte]\nshingle_f1 = "high"\n', encoding="utf-8")
    with pytest.raises(scraper.ConfigError) as caught:
        scraper.evaluate(corpus, floors=path)
    assert str(caught.value) == f"{path}: zyte.shingle_f1 must be a number, not 'high'"
    printed = CliRunner().invoke(FAKE_EVAL, [str(corpus), "--floors", str(path)])
    assert printed.exit_code == 2
    assert printed.stderr.splitlines()[-1] == ("Error: Invalid value for --floors:"
                                               f" {caught.value}")


# -- serve ---------------------------------------------------------------------------------


needs_datasette = pytest.mark.skipif(
    not __import__("importlib").util.find_spec("datasette"), reason="needs the serve extra")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as answer:
        assert answer.status == 200
        return json.load(answer)


@pytest.fixture
def archive_file(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with scraper.Archive(path) as db:
        for number, article in enumerate(ARTICLES):
            db.save(article, site="news" if "news." in article.url else "other",
                    fetched_at=f"2023-08-0{number + 1}T10:00:00+00:00")
    return path


@needs_datasette
def test_serve_answers_over_http_until_stopped(archive_file: Path) -> None:
    port = free_port()
    with scraper.Archive(archive_file, create=False) as db:
        server = db.serve(host="127.0.0.1", port=port)
        try:
            assert server.running and server.port == port
            assert server.url == f"http://127.0.0.1:{port}/"
            words = urllib.parse.urlencode({"words": "sudan", "_shape": "array"})
            rows = get_json(f"{server.url}news/search.json?{words}")
            assert sorted(row["title"] for row in rows) == sorted(
                hit.title for hit in db.search("sudan"))
            count = get_json(f"{server.url}news.json?sql=select+count(*)+as+n+from+articles"
                             "&_shape=array")
            assert count == [{"n": len(ARTICLES)}]
        finally:
            server.stop()
        assert not server.running
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(server.url, timeout=5)


@needs_datasette
def test_serve_on_a_busy_port_and_a_free_one(archive_file: Path) -> None:
    with scraper.Archive(archive_file) as db, socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        with pytest.raises(scraper.ScraperError, match=f"cannot listen on 127.0.0.1:{port}"):
            db.serve(port=port)
        with db.serve(port=0) as server:
            assert server.port not in (0, port)
            assert get_json(f"{server.url}-/versions.json")["datasette"]["version"]


@needs_datasette
def test_serve_from_inside_an_event_loop_as_in_a_notebook(archive_file: Path) -> None:
    async def notebook_cell() -> list[str]:
        with scraper.Archive(archive_file) as db:
            with pytest.raises(scraper.ScraperError, match="inside a running event loop"):
                db.serve(port=0, background=False)
            with db.serve(port=0) as server:
                rows = get_json(f"{server.url}news/articles.json?_shape=array&_sort=id")
        return [row["url"] for row in rows]

    assert asyncio.run(notebook_cell()) == [article.url for article in ARTICLES]


# -- the readers: the command prints what the API returns ----------------------------------


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_search_show_history_duplicates_print_the_api_records(archive_file: Path) -> None:
    db_args = ("--db", str(archive_file))
    with scraper.Archive(archive_file, create=False) as db:
        hits = db.search("sudan", since="2023-06-01", limit=2)
        detail = db.get(1)
        versions = db.history("https://news.example/world/sudan")
        groups = db.duplicates(0.5)
    printed = json.loads(run("search", "sudan", "--since", "2023-06-01", "--limit", "2",
                             "--format", "json", *db_args).stdout)
    assert printed == [asdict(hit) for hit in hits] and len(hits) == 2
    assert json.loads(run("show", "1", "--format", "json", *db_args).stdout) == json.loads(
        json.dumps(detail.to_dict()))
    assert run("history", "1", *db_args).stdout.splitlines()[0].startswith(
        f"revision 1  {versions[0].fetched_at}  {versions[0].word_count} words")
    assert json.loads(run("duplicates", "--threshold", "0.5", "--format", "json",
                          *db_args).stdout or "[]") == [
        [asdict(member) for member in group.members] for group in groups]


def test_search_highlight_is_an_api_parameter(archive_file: Path) -> None:
    with scraper.Archive(archive_file, create=False) as db:
        marked = db.search("refugees", highlight=("<<", ">>"))
        plain = db.search("refugees")
    assert [hit.id for hit in marked] == [hit.id for hit in plain] == [2]
    assert "<<Refugees>>" in marked[0].snippet or "<<refugees>>" in marked[0].snippet.lower()
    assert "**" in plain[0].snippet and "<<" not in plain[0].snippet


def test_stats_last_runs_is_an_api_parameter(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[fetch]\nretries = 0\n\n[[sites]]\nname = "local"\n'
                      'feeds = ["http://127.0.0.1:9/feed/"]\n', encoding="utf-8")
    path = tmp_path / "archive.db"
    for _ in range(3):  # nothing listens on port 9: three failed runs
        assert scraper.crawl(config, db=path).status == "failed"
    with scraper.Archive(path, create=False) as db:
        assert len(db.stats().runs) == 3
        last = db.stats("day", last_runs=1)
    assert len(last.runs) == 1 and last.runs[0].id == 3
    printed = json.loads(run("stats", "--by", "day", "--runs", "1", "--format", "json",
                             "--db", str(path)).stdout)
    assert printed == json.loads(json.dumps(asdict(last)))
