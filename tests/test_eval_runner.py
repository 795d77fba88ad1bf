"""The corpus readers, the runner, floors and `scraper eval` on a tiny fake corpus."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli.eval_cmd import eval_command, make_eval_command
from scraper.errors import ExtractError
from scraper.evaluation.corpus import DATASETS, available_datasets, iter_pages
from scraper.evaluation.floors import DEFAULT_FLOORS, check_floors, load_floors
from scraper.evaluation.results import EvalResults
from scraper.evaluation.runner import evaluate
from scraper.models import Article

REAL_CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


def page(
    title: str,
    paragraphs: list[str],
    *,
    headings: tuple[str, ...] = (),
    date: str | None = None,
    section: str | None = None,
    chrome: str = "Impressum",
    charset: str = "utf-8",
) -> bytes:
    meta = f'<meta charset="{charset}">'
    if date:
        meta += f'<meta name="date" content="{date}">'
    if section:
        meta += f'<meta name="section" content="{section}">'
    inner = "".join(f"<h2>{h}</h2>" for h in headings)
    inner += "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f"<html><head>{meta}<title>{title}</title></head><body><nav>{chrome}</nav>"
        f"<h1>{title}</h1><article>{inner}</article></body></html>"
    )
    return html.encode(charset)


def fake_extract(html: str, url: str | None = None) -> Article:
    """A toy extractor: <title>, <article> text, <h2>s, meta date and section."""
    if "BOOM" in html:
        raise ExtractError("no article")
    if "CRASH" in html:
        raise RuntimeError("unexpected")

    def meta(name: str) -> str | None:
        found = re.search(rf'<meta name="{name}" content="([^"]*)">', html)
        return found.group(1) if found else None

    title = re.search(r"<title>(.*?)</title>", html)
    article = re.search(r"<article>(.*?)</article>", html, re.S)
    paragraphs = re.findall(r"<p>(.*?)</p>", article.group(1)) if article else []
    return Article(
        url=url or "",
        title=title.group(1) if title else None,
        published=meta("date"),
        section=meta("section"),
        headings=re.findall(r"<h2>(.*?)</h2>", html),
        body="\n".join(paragraphs),
    )


def write_gz(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data))


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


BODY = ["The council approved the new budget on Monday evening.", "Taxes will rise by 2%."]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    # zyte: two good pages, one that raises ExtractError
    zyte = root / "zyte"
    write_gz(zyte / "html" / "aaa.html.gz", page("Budget", BODY))
    write_gz(zyte / "html" / "bbb.html.gz", page("Half", BODY[:1]))
    write_gz(zyte / "html" / "ccc.html.gz", page("BOOM", BODY))
    write_json(zyte / "ground-truth.json", {
        "aaa": {"articleBody": "\n".join(BODY), "url": "https://news.example/a"},
        "bbb": {"articleBody": "\n".join(BODY), "url": "https://news.example/b"},
        "ccc": {"articleBody": "\n".join(BODY), "url": "https://news.example/c"},
    })
    # trafilatura-eval: a cp1252 page, a page with no metadata in the gold
    traf = root / "trafilatura-eval"
    write_gz(traf / "pages" / "one.html.gz", page(
        "Grüße aus Köln", ["Die Stadt plant neue Radwege."], date="2019-08-02",
        section="Politik", charset="windows-1252",
    ))
    write_gz(traf / "pages" / "two.html.gz", page("Two", ["Plain text here."]))
    write_json(traf / "evaldata.json", {
        "https://de.example/koeln": {
            "file": "one.html", "with": ["plant neue Radwege"], "without": ["Impressum"],
            "title": "Grüße aus Köln", "date": "2019-08-02", "author": "X",
            "categories": ["Politik & Gesellschaft"], "tags": [],
        },
        "https://de.example/two": {
            "file": "two.html", "with": ["Plain text", "missing bit"], "without": ["Menu"],
        },
    })
    # htmldate-eval: two gold files, a NaN (no date) page, one that crashes
    hd = root / "htmldate-eval"
    write_gz(hd / "pages" / "d1.html.gz", page("D1", ["x"], date="2020-06-07"))
    write_gz(hd / "pages" / "d2.html.gz", page("D2", ["y"]))
    write_gz(hd / "pages" / "d3.html.gz", page("CRASH", ["z"]))
    write_json(hd / "eval_default.json", {
        "https://d.example/1": {"file": "d1.html", "date": "2020-06-07"},
        "https://d.example/3": {"file": "d3.html", "date": "2021-01-01"},
    })
    (hd / "eval_mediacloud_2020.json").write_text(
        '{"https://d.example/2": {"file": "d2.html", "date": NaN}}', encoding="utf-8"
    )
    # wcxb-dev: ground_truth as a dict and as a string repr
    wcxb = root / "wcxb-dev"
    write_gz(wcxb / "html" / "0001.html.gz", page(
        "Budget \u201cvote\u201d", BODY, headings=("Background",), date="2025-09-04"
    ))
    write_gz(wcxb / "html" / "0002.html.gz", page("Other", ["Short note."]))
    truth1 = {
        "title": 'Budget "vote"', "author": None, "publish_date": "2025-09-04",
        "main_content": "\n".join(BODY),
        "main_content_markdown": "# Budget \u201cvote\u201d\n\n## Background\n\n" + BODY[0],
        "with": [BODY[0]], "without": ["Impressum"],
    }
    truth2 = {
        "title": "Other", "publish_date": None, "main_content": "Short note.",
        "main_content_markdown": "Short note.", "with": ["Short note."], "without": ["Login"],
    }
    write_json(wcxb / "ground-truth" / "0001.json",
               {"url": "https://w.example/1", "file_id": "0001", "ground_truth": truth1})
    write_json(wcxb / "ground-truth" / "0002.json",
               {"url": "https://w.example/2", "file_id": "0002", "ground_truth": repr(truth2)})
    return root


# --- corpus readers ---------------------------------------------------------------------


def test_readers_yield_typed_records_with_gold(corpus: Path) -> None:
    assert available_datasets(corpus) == list(DATASETS)
    zyte = list(iter_pages(corpus, "zyte"))
    assert [p.page_id for p in zyte] == ["aaa", "bbb", "ccc"]
    assert zyte[0].url == "https://news.example/a"
    assert zyte[0].gold.body == "\n".join(BODY)

    traf = list(iter_pages(corpus, "trafilatura-eval"))
    assert traf[0].gold.title == "Grüße aus Köln"
    assert traf[0].gold.categories == ("Politik & Gesellschaft",)
    assert traf[1].gold.title is None and not traf[1].gold.date_scored

    htmldate = list(iter_pages(corpus, "htmldate-eval"))
    assert len(htmldate) == 3  # both gold files
    no_date = htmldate[-1]
    assert no_date.page_id == "mediacloud_2020/d2.html"
    assert no_date.gold.date_scored and no_date.gold.date is None

    wcxb = list(iter_pages(corpus, "wcxb-dev"))
    assert wcxb[0].gold.headings == ("Budget \u201cvote\u201d", "Background")
    assert wcxb[1].gold.title == "Other"  # from the string repr
    assert not wcxb[1].gold.date_scored


def test_pages_are_read_lazily_and_decoded_by_their_charset(corpus: Path) -> None:
    first = next(iter_pages(corpus, "trafilatura-eval"))
    assert "Grüße aus Köln" in first.read_html()


def test_limit_and_absent_folders(corpus: Path, tmp_path: Path) -> None:
    assert len(list(iter_pages(corpus, "zyte", limit=2))) == 2
    assert list(iter_pages(tmp_path / "nowhere", "zyte")) == []
    with pytest.raises(ValueError, match="unknown dataset"):
        iter_pages(corpus, "nope")


# --- runner -----------------------------------------------------------------------------


def test_evaluate_scores_every_dataset_and_counts_errors(corpus: Path) -> None:
    results = evaluate(corpus, extract=fake_extract)
    assert results.datasets == list(DATASETS)

    zyte = results.get("zyte")
    assert zyte is not None
    assert (zyte.pages, zyte.errors) == (3, 1)
    assert zyte.error_pages == ["ccc: ExtractError: no article"]
    assert zyte.shingle_precision == pytest.approx(1.0)  # the crash is not counted as P
    assert zyte.shingle_recall is not None and zyte.shingle_recall < 0.67
    assert zyte.snippet_f1 is None and zyte.title_exact is None

    traf = results.get("trafilatura-eval")
    assert traf is not None
    assert (traf.snippet_precision, traf.snippet_recall) == (1.0, pytest.approx(2 / 3))
    assert traf.leak_rate == 0.0
    assert (traf.title_exact, traf.title_pages) == (1.0, 1)
    assert (traf.date_accuracy, traf.section_hit_rate) == (1.0, 1.0)

    htmldate = results.get("htmldate-eval")
    assert htmldate is not None
    assert htmldate.error_pages == ["default/d3.html: RuntimeError: unexpected"]  # caught
    assert htmldate.date_accuracy == pytest.approx(2 / 3)  # d1 right, NaN right, crash wrong

    wcxb = results.get("wcxb-dev")
    assert wcxb is not None
    assert wcxb.word_f1 == pytest.approx(1.0)
    assert wcxb.title_exact == 1.0  # curly quotes normalised
    assert (wcxb.date_accuracy, wcxb.date_pages) == (1.0, 1)
    assert (wcxb.headings_f1, wcxb.headings_pages) == (1.0, 2)
    assert wcxb.pages_per_sec is not None and wcxb.pages_per_sec > 0


def test_evaluate_subsets_limits_and_reports_missing(corpus: Path) -> None:
    (corpus / "wcxb-dev" / "ground-truth" / "0001.json").unlink()
    shutil.rmtree(corpus / "zyte")
    results = evaluate(corpus, datasets=["zyte", "wcxb-dev"], limit=1, extract=fake_extract)
    assert results.missing == ["zyte"]
    assert results.datasets == ["wcxb-dev"]
    wcxb = results.get("wcxb-dev")
    assert wcxb is not None and wcxb.pages == 1
    assert "zyte: folder absent, skipped" in results.to_text()
    with pytest.raises(ValueError, match="unknown dataset"):
        evaluate(corpus, datasets=["nope"], extract=fake_extract)


def test_an_unreadable_page_is_an_error_not_a_crash(corpus: Path) -> None:
    (corpus / "zyte" / "html" / "aaa.html.gz").write_bytes(b"not gzip")
    zyte = evaluate(corpus, datasets=["zyte"], extract=fake_extract).get("zyte")
    assert zyte is not None and zyte.errors == 2
    assert "aaa: page unreadable" in zyte.error_pages


def test_absent_corpus_gives_empty_results(tmp_path: Path) -> None:
    results = evaluate(tmp_path / "absent", extract=fake_extract)
    assert results.scores == [] and results.missing == list(DATASETS)


def test_baseline_runs_on_the_same_pages(corpus: Path) -> None:
    results = evaluate(corpus, datasets=["wcxb-dev"], extract=fake_extract, baseline="trafilatura")
    ours, base = results.get("wcxb-dev"), results.get("wcxb-dev", "trafilatura")
    assert ours is not None and base is not None
    assert base.pages == ours.pages == 2
    assert base.headings_f1 is None  # trafilatura returns no headings: not scored
    assert base.word_f1 is not None
    text = results.to_text()
    assert "trafilatura" in text and "difference" in text
    json.dumps(results.to_dict())
    with pytest.raises(ValueError, match="unknown baseline"):
        evaluate(corpus, extract=fake_extract, baseline="nope")


# --- floors -----------------------------------------------------------------------------


def test_check_floors_lists_each_miss(corpus: Path) -> None:
    results = evaluate(corpus, datasets=["zyte", "htmldate-eval"], extract=fake_extract)
    floors = {
        "zyte": {"shingle_precision": 0.9, "shingle_f1": 0.99, "max_error_rate": 0.1},
        "htmldate-eval": {"date_accuracy": 0.5, "bogus": 1.0},
        "wcxb-dev": {"word_f1": 0.99},  # not run: not checked
        "nope": {"word_f1": 0.1},
    }
    failures = check_floors(results, floors)
    assert any(line.startswith("zyte shingle_f1 ") and "below floor 0.990" in line
               for line in failures)
    assert any(line.startswith("zyte error_rate 0.333 above ceiling") for line in failures)
    assert "htmldate-eval: unknown figure 'bogus' in floors" in failures
    assert "nope: unknown dataset in floors" in failures
    assert len(failures) == 4


def test_shipped_floors_file_names_only_known_figures(corpus: Path) -> None:
    floors = load_floors(DEFAULT_FLOORS)
    assert set(floors) == set(DATASETS)
    results = evaluate(corpus, extract=fake_extract)
    failures = check_floors(results, floors)
    # Real floors: the fake extractor misses them, but no name in the file is unknown.
    assert failures and not any("unknown" in line for line in failures)
    assert check_floors(EvalResults(corpus_dir="x", system="scraper"), floors) == []


def test_load_floors_rejects_non_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "floors.toml"
    bad.write_text('[zyte]\nshingle_f1 = "high"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="must be a number"):
        load_floors(bad)


# --- the command ------------------------------------------------------------------------


FAKE_EVAL = make_eval_command(extract=fake_extract)


def test_command_prints_table_and_json(corpus: Path) -> None:
    result = CliRunner().invoke(FAKE_EVAL, [str(corpus), "--dataset", "zyte"])
    assert result.exit_code == 0, result.output
    assert "shingle_f1" in result.stdout and "zyte: 3 pages" in result.stdout
    result = CliRunner().invoke(FAKE_EVAL, [str(corpus), "--json", "--limit", "1"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data["datasets"]) == set(DATASETS)
    assert data["datasets"]["zyte"]["scraper"]["pages"] == 1


def test_command_floors_exit_one_with_a_line_per_miss(corpus: Path, tmp_path: Path) -> None:
    floors = tmp_path / "floors.toml"
    floors.write_text("[zyte]\nshingle_f1 = 0.99\nshingle_precision = 0.5\n", encoding="utf-8")
    result = CliRunner().invoke(
        FAKE_EVAL, [str(corpus), "--dataset", "zyte", "--floors", str(floors)]
    )
    assert result.exit_code == 1
    failures = [line for line in result.stderr.splitlines() if "floor" in line]
    assert len(failures) == 1 and failures[0].startswith("zyte shingle_f1 ")
    assert "shingle_f1" in result.stdout  # the table is still printed
    lenient = tmp_path / "lenient.toml"
    lenient.write_text("[zyte]\nshingle_f1 = 0.1\nmax_error_rate = 0.5\n", encoding="utf-8")
    ok = CliRunner().invoke(FAKE_EVAL, [str(corpus), "--dataset", "zyte",
                                           "--floors", str(lenient)])
    assert ok.exit_code == 0, ok.stderr


def test_floors_fail_when_their_dataset_is_missing(tmp_path: Path) -> None:
    empty = tmp_path / "corpus"
    empty.mkdir()
    result = CliRunner().invoke(FAKE_EVAL, [str(empty), "--floors", str(DEFAULT_FLOORS)])
    assert result.exit_code == 1, result.output
    missing = [line for line in result.stderr.splitlines() if "floors cannot be checked" in line]
    assert [line.split(":")[0] for line in missing] == list(load_floors(DEFAULT_FLOORS))
    assert all("--allow-missing" in line for line in missing)
    allowed = CliRunner().invoke(FAKE_EVAL, [str(empty), "--floors", str(DEFAULT_FLOORS),
                                             "--allow-missing"])
    assert allowed.exit_code == 0, allowed.output
    assert "floors cannot be checked" not in allowed.stderr


def test_check_floors_names_each_missing_dataset(corpus: Path) -> None:
    floors = {"zyte": {"shingle_f1": 0.1}, "wcxb-dev": {"word_f1": 0.1}}
    shutil.rmtree(corpus / "wcxb-dev")
    results = evaluate(corpus, datasets=["zyte", "wcxb-dev"], extract=fake_extract)
    failures = check_floors(results, floors)
    assert len(failures) == 1 and failures[0].startswith("wcxb-dev: dataset folder absent")
    assert check_floors(results, floors, allow_missing=True) == []


def test_command_missing_corpus_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(eval_command, [str(tmp_path / "absent")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


# --- the real corpus --------------------------------------------------------------------


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="shared corpus absent")
def test_real_corpus_first_pages() -> None:
    pytest.importorskip("scraper.extract.article", reason="extractor not written yet")
    result = CliRunner().invoke(
        eval_command, [str(REAL_CORPUS), "--limit", "3", "--json", "--baseline", "trafilatura"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for name in available_datasets(REAL_CORPUS):
        ours = data["datasets"][name]["scraper"]
        assert ours["pages"] == 3
        assert ours["errors"] < 3
