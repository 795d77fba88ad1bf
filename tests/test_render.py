"""The archive commands' one renderer (scraper.cli.render): rows in every format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import pytest

from scraper.cli.render import Column, TableLayout, View, output_one, output_rows


@dataclass(frozen=True)
class Row:
    id: int
    name: str | None
    tags: list[str]


ROWS = [Row(1, "Zoë", ["a", "b"]), Row(22, None, []), Row(3, 'comma, "quote"', ["é"])]
VIEW: View[Row] = View(
    record=asdict,
    columns=(Column("id", lambda r: r.id), Column("name", lambda r: r.name),
             Column("tags", lambda r: r.tags)),
    table=TableLayout((Column("id", lambda r: str(r.id), justify="right"),
                       Column("name", lambda r: r.name or "")), title="Rows"),
    text=lambda r: f"{r.id}: {r.name}",
    empty="no rows",
)


def test_jsonl_streams_one_record_per_row_as_it_comes() -> None:
    out = io.StringIO()

    def rows() -> Iterator[Row]:
        for number, row in enumerate(ROWS):
            assert out.getvalue().count("\n") == number  # the earlier rows are already out
            yield row

    assert output_rows(rows(), "jsonl", VIEW, out=out) == 3
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == [asdict(row) for row in ROWS]
    assert '"Zoë"' in lines[0]  # UTF-8, not \u escapes


def test_csv_has_a_header_and_lists_as_json_text() -> None:
    out = io.StringIO()
    assert output_rows(ROWS, "csv", VIEW, out=out) == 3
    records = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in records] == ["1", "22", "3"]
    assert records[1]["name"] == "" and records[2]["name"] == 'comma, "quote"'
    assert [json.loads(r["tags"]) for r in records] == [["a", "b"], [], ["é"]]


def test_json_is_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    output_rows(ROWS, "json", VIEW)
    assert json.loads(capsys.readouterr().out) == [asdict(row) for row in ROWS]
    output_one(ROWS[0], "json", VIEW)
    assert json.loads(capsys.readouterr().out) == asdict(ROWS[0])


def test_table_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    output_rows(ROWS, "table", VIEW)
    table = capsys.readouterr().out
    assert table.splitlines()[0].strip() == "Rows"
    assert "\x1b[" not in table  # no styling off a terminal
    one = next(line for line in table.splitlines() if "Zoë" in line)
    twenty_two = next(line for line in table.splitlines() if "22" in line)
    assert one.index("1") == twenty_two.index("22") + 1  # the id column is right-justified
    output_rows(iter(ROWS), "text", VIEW)
    assert capsys.readouterr().out == "1: Zoë\n22: None\n3: comma, \"quote\"\n"


@pytest.mark.parametrize("fmt", ["table", "text"])
def test_no_rows_is_the_note_on_stderr(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert output_rows(iter([]), fmt, VIEW) == 0  # type: ignore[arg-type]
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "no rows\n")


@pytest.mark.parametrize(("fmt", "expected"), [("json", "[]\n"), ("csv", "id,name,tags\n")])
def test_no_rows_in_data_formats_is_an_empty_document(
    capsys: pytest.CaptureFixture[str], fmt: str, expected: str
) -> None:
    output_rows([], fmt, VIEW)  # type: ignore[arg-type]
    assert capsys.readouterr() == (expected, "")
