"""One renderer for the archive commands' output, as sqlite-utils' ``output_rows`` serves every
one of its commands. A command says once how its rows look (a ``View``) and hands the rows
and the user's ``--format`` over; no command writes JSON, CSV or a table itself.

=========  ================================================================  ===============
format     output                                                            view field
=========  ================================================================  ===============
``table``  one rich table (styled only on a terminal)                        ``table``
``text``   each row's text, one block per row                                ``text``
``json``   one document: the list of records (``output_one``: the record)    ``record``
``jsonl``  one compact JSON record per line, streamed                        ``record``
``csv``    a header line, then one line per row, streamed; lists as JSON     ``columns``
=========  ================================================================  ===============

Without ``out``, output goes to stdout through click (ANSI styling stripped when stdout is
not a terminal); with ``out``, rows are written to that file as they come. In ``table`` and
``text``, no rows at all is the view's ``empty`` note on stderr instead.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TextIO, TypeVar

import click
from rich import box
from rich.console import Console, JustifyMethod, OverflowMethod
from rich.table import Table

R = TypeVar("R")
Format = Literal["table", "text", "json", "jsonl", "csv"]


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """One column of a table or a CSV file: its header and its cell for a row."""

    name: str
    cell: Callable[[R], Any]
    """A CSV value (a list becomes JSON text), or a table cell (text or a rich ``Text``)."""
    justify: JustifyMethod = "left"
    overflow: OverflowMethod = "ellipsis"
    """What a table does with a word wider than the column (rich's default: an ellipsis)."""


@dataclass(frozen=True, slots=True)
class TableLayout(Generic[R]):
    """Rows shown as one table: its columns, a title above it, whether it has a header."""

    columns: Sequence[Column[R]]
    title: str | None = None
    show_header: bool = True


@dataclass(frozen=True, slots=True)
class View(Generic[R]):
    """How one kind of row looks in each format; a format whose field is unset is not
    offered by the command."""

    record: Callable[[R], Any] | None = None
    """The row as JSON data (json, jsonl)."""
    columns: Sequence[Column[R]] = ()
    """CSV columns."""
    table: TableLayout[R] | None = None
    text: Callable[[R], str] | None = None
    """The row as text, without a final newline (may hold click styling)."""
    empty: str | None = None
    """Said on stderr by the table and text formats when there are no rows."""


class _Echo:
    """A file-like sink onto stdout through click."""

    def write(self, text: str) -> int:
        click.echo(text, nl=False)
        return len(text)


Sink = TextIO | _Echo


def output_rows(rows: Iterable[R], fmt: Format, view: View[R], *,
                out: TextIO | None = None) -> int:
    """Render ``rows`` in ``fmt`` to ``out`` (default: stdout); the number of rows."""
    if fmt in ("table", "text"):
        peeked = _peek(rows)
        if peeked is None:
            if view.empty is not None:
                click.echo(view.empty, err=True)
            return 0
        rows = peeked
    return _WRITERS[fmt](rows, view, out if out is not None else _Echo())


def _peek(rows: Iterable[R]) -> Iterator[R] | None:
    """The same rows, or None when there are none."""
    iterator = iter(rows)
    for first in iterator:
        return itertools.chain([first], iterator)
    return None


def _write_table(rows: Iterable[R], view: View[R], sink: Sink) -> int:
    listed = list(rows)
    sink.write(tables_text((_need(view.table, "table"), listed)) + "\n")
    return len(listed)


def _write_text(rows: Iterable[R], view: View[R], sink: Sink) -> int:
    text, count = _need(view.text, "text"), 0
    for row in rows:
        sink.write(text(row) + "\n")
        count += 1
    return count


def _write_json(rows: Iterable[R], view: View[R], sink: Sink) -> int:
    records = [_need(view.record, "json")(row) for row in rows]
    sink.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    return len(records)


def _write_jsonl(rows: Iterable[R], view: View[R], sink: Sink) -> int:
    record, count = _need(view.record, "jsonl"), 0
    for row in rows:
        sink.write(json.dumps(record(row), ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(rows: Iterable[R], view: View[R], sink: Sink) -> int:
    writer, count = csv.writer(sink, lineterminator="\n"), 0
    writer.writerow([column.name for column in view.columns])
    for row in rows:
        writer.writerow([_csv_value(column.cell(row)) for column in view.columns])
        count += 1
    return count


_WRITERS: dict[str, Callable[[Iterable[Any], View[Any], Sink], int]] = {
    "table": _write_table, "text": _write_text, "json": _write_json, "jsonl": _write_jsonl,
    "csv": _write_csv,
}


def output_one(item: R, fmt: Format, view: View[R], *, out: TextIO | None = None) -> None:
    """Render one record: in json the record itself (not a list of one), else as one row."""
    if fmt == "json":
        sink: Sink = out if out is not None else _Echo()
        data = _need(view.record, fmt)(item)
        sink.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        output_rows([item], fmt, view, out=out)


def tables_text(*tables: tuple[TableLayout[Any], Iterable[Any]]) -> str:
    """Tables of rows as text, one after the other, without the final newline: styled for a
    terminal when stdout is one, and as wide as it is (120 columns otherwise)."""
    buffer = io.StringIO()
    tty = sys.stdout.isatty()
    console = Console(
        file=buffer, width=shutil.get_terminal_size((120, 24)).columns,
        force_terminal=tty, color_system="standard" if tty else None, highlight=False,
    )
    for layout, rows in tables:
        console.print(_rich_table(layout, rows))
    return buffer.getvalue().removesuffix("\n")


def _rich_table(layout: TableLayout[Any], rows: Iterable[Any]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_header=layout.show_header, title=layout.title,
                  title_justify="left")
    for column in layout.columns:
        table.add_column(column.name, justify=column.justify, overflow=column.overflow)
    for row in rows:
        table.add_row(*(column.cell(row) for column in layout.columns))
    return table


def _csv_value(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


F = TypeVar("F")


def _need(field: F | None, fmt: str) -> F:
    if field is None:
        raise ValueError(f"this view has no {fmt} format")
    return field
