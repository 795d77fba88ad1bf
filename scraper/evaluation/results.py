"""The figures of one evaluation run, as a table (rich) or as JSON-ready data."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

FIGURES: tuple[str, ...] = (
    "shingle_precision", "shingle_recall", "shingle_f1",
    "snippet_precision", "snippet_recall", "snippet_f1", "leak_rate",
    "word_precision", "word_recall", "word_f1",
    "title_exact", "date_accuracy", "headings_f1", "section_hit_rate",
    "pages_per_sec", "error_rate",
)
"""Every figure a dataset can have, in display order."""

LOWER_IS_BETTER: frozenset[str] = frozenset({"leak_rate", "error_rate"})

_SCORED_COUNTS: dict[str, str] = {
    "title_exact": "title_pages",
    "date_accuracy": "date_pages",
    "headings_f1": "headings_pages",
    "section_hit_rate": "section_pages",
}


@dataclass(slots=True)
class DatasetScores:
    """One system's figures on one dataset. None = not measurable there."""

    dataset: str
    system: str
    pages: int = 0
    errors: int = 0
    error_pages: list[str] = field(default_factory=list)
    """``"<page id>: <reason>"`` for each page the extractor failed on."""
    seconds: float = 0.0
    """Time spent inside the extract function, summed over pages."""
    shingle_precision: float | None = None
    shingle_recall: float | None = None
    shingle_f1: float | None = None
    snippet_precision: float | None = None
    snippet_recall: float | None = None
    snippet_f1: float | None = None
    leak_rate: float | None = None
    word_precision: float | None = None
    word_recall: float | None = None
    word_f1: float | None = None
    title_exact: float | None = None
    title_pages: int = 0
    date_accuracy: float | None = None
    date_pages: int = 0
    headings_f1: float | None = None
    headings_pages: int = 0
    section_hit_rate: float | None = None
    section_pages: int = 0

    @property
    def pages_per_sec(self) -> float | None:
        return self.pages / self.seconds if self.pages and self.seconds > 0 else None

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.pages if self.pages else None

    def figure(self, name: str) -> float | None:
        """A figure by name (see :data:`FIGURES`)."""
        if name not in FIGURES:
            raise KeyError(name)
        value: float | None = getattr(self, name)
        return value

    def figures(self) -> dict[str, float]:
        """The measurable figures, in display order."""
        found = {name: self.figure(name) for name in FIGURES}
        return {name: value for name, value in found.items() if value is not None}

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["pages_per_sec"] = self.pages_per_sec
        record["error_rate"] = self.error_rate
        return record


@dataclass(slots=True)
class EvalResults:
    """All figures of a run: our system, and the baseline if one was asked for."""

    corpus_dir: str
    system: str
    baseline: str | None = None
    limit: int | None = None
    scores: list[DatasetScores] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Datasets asked for whose folder is absent (skipped)."""

    @property
    def datasets(self) -> list[str]:
        return list(dict.fromkeys(s.dataset for s in self.scores))

    def get(self, dataset: str, system: str | None = None) -> DatasetScores | None:
        """One system's scores on a dataset (our system by default)."""
        wanted = system or self.system
        return next(
            (s for s in self.scores if s.dataset == dataset and s.system == wanted), None
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus_dir": self.corpus_dir,
            "system": self.system,
            "baseline": self.baseline,
            "limit": self.limit,
            "missing": list(self.missing),
            "datasets": {
                name: {s.system: s.to_dict() for s in self.scores if s.dataset == name}
                for name in self.datasets
            },
        }

    def tables(self) -> list[Table]:
        """One table per dataset: a row per figure, a column per system (+ difference)."""
        return [self._table(name) for name in self.datasets]

    def to_text(self, width: int = 100) -> str:
        """The tables as plain text (no colour codes)."""
        buffer = io.StringIO()
        console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
        for table in self.tables():
            console.print(table)
        for name in self.missing:
            console.print(f"{name}: folder absent, skipped")
        return buffer.getvalue()

    def _table(self, dataset: str) -> Table:
        ours = self.get(dataset)
        base = self.get(dataset, self.baseline) if self.baseline else None
        systems = [s for s in (ours, base) if s is not None]
        title = f"{dataset}: {systems[0].pages} pages" if systems else dataset
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("figure")
        for scores in systems:
            table.add_column(scores.system, justify="right")
        if ours is not None and base is not None:
            table.add_column("difference", justify="right")
        for name in FIGURES:
            values = [s.figure(name) for s in systems]
            if all(v is None for v in values):
                continue
            label = _label(name, systems[0])
            row = [label, *(_format(name, v) for v in values)]
            if len(values) == 2:
                row.append(_difference(name, values[0], values[1]))
            table.add_row(*row)
        table.add_row("errors", *(str(s.errors) for s in systems))
        return table


def _label(name: str, scores: DatasetScores) -> str:
    count_field = _SCORED_COUNTS.get(name)
    if count_field is None:
        return name
    return f"{name} (n={getattr(scores, count_field)})"


def _format(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if name == "pages_per_sec" else f"{value:.3f}"


def _difference(name: str, ours: float | None, base: float | None) -> str:
    if ours is None or base is None:
        return ""
    if name == "pages_per_sec":
        return f"x{ours / base:.2f}" if base else ""
    return f"{ours - base:+.3f}"
