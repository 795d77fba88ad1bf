"""``scraper.evaluate``: ``scraper eval`` from Python, the benchmark figures as records.

The figures are computed by :mod:`scraper.evaluation` (the runner, the scorers, the floors
check), exactly as the command line has them; this module only gives them a typed, frozen
form (:class:`EvalReport`, a :class:`DatasetFigures` per dataset and system) and checks the
floors in the same call. ``scraper eval`` prints ``report.to_text()`` or ``report.to_dict()``
as JSON, and ``report.floor_misses`` on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scraper.errors import ConfigError
from scraper.evaluation.baseline import BASELINES, ExtractFn
from scraper.evaluation.corpus import DATASETS
from scraper.evaluation.floors import DEFAULT_FLOORS, Floors, check_floors, load_floors
from scraper.evaluation.results import FIGURES, DatasetScores, EvalResults
from scraper.evaluation.runner import evaluate as run_evaluation

_SCORED_PAGES = {"title_exact": "title_pages", "date_accuracy": "date_pages",
                 "headings_f1": "headings_pages", "section_hit_rate": "section_pages"}


@dataclass(frozen=True, slots=True)
class DatasetFigures:
    """One system's figures on one dataset: ``figures`` holds the measurable ones by name
    (in ``scraper eval``'s display order: body, title, date, headings, section,
    ``pages_per_sec``, ``error_rate``), ``scored_pages`` how many pages a title, date,
    headings or section figure was scored on.

    >>> import scraper
    >>> figures = scraper.DatasetFigures("zyte", "scraper", pages=2, errors=0, error_pages=(),
    ...                                  seconds=0.5, figures={"shingle_f1": 0.97})
    >>> figures.figure("shingle_f1"), figures.figure("word_f1")
    (0.97, None)
    """

    dataset: str
    system: str
    """``"scraper"`` (ours) or the baseline's name."""
    pages: int
    errors: int
    error_pages: tuple[str, ...]
    """``"<page id>: <reason>"`` for each page the extractor failed on."""
    seconds: float
    """Time spent inside the extract function, summed over pages."""
    figures: Mapping[str, float]
    scored_pages: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, scores: DatasetScores) -> DatasetFigures:
        """The record of the runner's scores.

        >>> import scraper
        >>> from scraper.evaluation.results import DatasetScores
        >>> scores = DatasetScores("wcxb-dev", "scraper", pages=4, seconds=2.0, title_exact=0.75,
        ...                        title_pages=4)
        >>> figures = scraper.DatasetFigures.of(scores)
        >>> dict(figures.figures), dict(figures.scored_pages)
        ({'title_exact': 0.75, 'pages_per_sec': 2.0, 'error_rate': 0.0}, {'title_exact': 4})
        """
        scored = {name: getattr(scores, count) for name, count in _SCORED_PAGES.items()
                  if scores.figure(name) is not None}
        return cls(scores.dataset, scores.system, scores.pages, scores.errors,
                   tuple(scores.error_pages), scores.seconds, scores.figures(), scored)

    def figure(self, name: str) -> float | None:
        """A figure by name (None where it cannot be measured on this dataset);
        ``KeyError`` for a name that is no figure.

        >>> import scraper
        >>> figures = scraper.DatasetFigures("zyte", "scraper", 1, 0, (), 0.1, {"shingle_f1": 1.0})
        >>> figures.figure("shingle_f1"), figures.figure("date_accuracy")
        (1.0, None)
        """
        if name not in FIGURES:
            raise KeyError(name)
        return self.figures.get(name)


@dataclass(frozen=True, slots=True)
class EvalReport:
    """What :func:`evaluate` measured: the figures of each dataset run (ours and the
    baseline's, if one was asked for), the datasets asked for but absent, and the floors
    missed (one line each, as ``scraper eval --floors`` prints them; empty when no floors
    were given or all were met: then ``ok``).

    >>> import scraper, tempfile
    >>> report = scraper.evaluate(tempfile.mkdtemp())   # an empty folder: nothing to run
    >>> report.datasets, report.missing, report.ok
    ((), ('zyte', 'trafilatura-eval', 'htmldate-eval', 'wcxb-dev'), True)
    """

    corpus_dir: str
    system: str
    baseline: str | None
    limit: int | None
    datasets: tuple[DatasetFigures, ...]
    missing: tuple[str, ...]
    """Datasets asked for whose folder is absent (skipped)."""
    floor_misses: tuple[str, ...] = ()
    _results: EvalResults | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """No floor missed (always true when no floors were given)."""
        return not self.floor_misses

    def get(self, dataset: str, system: str | None = None) -> DatasetFigures | None:
        """One system's figures on a dataset (ours by default), None if not run.

        >>> import scraper, tempfile
        >>> scraper.evaluate(tempfile.mkdtemp(), datasets=["zyte"]).get("zyte") is None
        True
        """
        wanted = system or self.system
        return next((figures for figures in self.datasets
                     if figures.dataset == dataset and figures.system == wanted), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record ``scraper eval --json`` prints (every field of every dataset,
        None where not measurable).

        >>> import scraper, tempfile
        >>> record = scraper.evaluate(tempfile.mkdtemp(), datasets=["zyte"], limit=5).to_dict()
        >>> record["limit"], record["missing"], record["datasets"]
        (5, ['zyte'], {})
        """
        return self._rendered().to_dict()

    def to_text(self, width: int = 100) -> str:
        """The tables ``scraper eval`` prints: one per dataset, a row per figure, a column
        per system (and the difference), then the absent datasets.

        >>> import scraper, tempfile
        >>> print(scraper.evaluate(tempfile.mkdtemp(), datasets=["zyte"]).to_text(), end="")
        zyte: folder absent, skipped
        """
        return self._rendered().to_text(width)

    def _rendered(self) -> EvalResults:
        if self._results is not None:
            return self._results
        raise ValueError("this EvalReport was built by hand; evaluate() makes renderable ones")


FloorsSpec = str | Path | Mapping[str, Mapping[str, float]] | bool


def _floors(floors: FloorsSpec) -> Floors:
    """The floors asked for: a TOML file, ``True`` for the package's, or a mapping."""
    if isinstance(floors, Mapping):
        return {dataset: {key: float(value) for key, value in table.items()}
                for dataset, table in floors.items()}
    path = DEFAULT_FLOORS if isinstance(floors, bool) else Path(floors)
    try:
        return load_floors(path)
    except (ValueError, OSError) as exc:  # load_floors' own lines start with the path
        raise ConfigError(str(exc).removeprefix(f"{path}: "), path=str(path)) from exc


def evaluate(corpus_dir: str | Path, *, datasets: Iterable[str] | None = None,
             limit: int | None = None, baseline: str | None = None,
             floors: FloorsSpec | None = None, allow_missing: bool = False,
             extract: ExtractFn | None = None,
             progress: Callable[[str], None] | None = None) -> EvalReport:
    """``scraper eval``: score the extractor on the benchmark corpora in ``corpus_dir``
    (zyte, trafilatura-eval, htmldate-eval, wcxb-dev; see ``shared/corpus/README.md``).
    ``datasets`` to run (default: every one present); ``limit`` the first N pages of
    each; ``baseline`` a reference extractor (``"trafilatura"``) run on the same pages.
    ``floors`` is a floors TOML file (``True``: the package's own), or a mapping
    ``{dataset: {figure: minimum}}`` (``max_`` figures are ceilings): the misses are in
    ``floor_misses``, and a floored dataset that is absent is one unless
    ``allow_missing``. ``extract`` scores another function ``(html, url) -> Article``;
    ``progress`` hears each dataset's name as it starts. A bad dataset, baseline or
    floors file is a ``ConfigError``, raised before any page is read.

    >>> import gzip, json, pathlib, tempfile, scraper
    >>> corpus = pathlib.Path(tempfile.mkdtemp())
    >>> (corpus / "zyte" / "html").mkdir(parents=True)
    >>> text = "The tide mill on the estuary grinds flour again, forty years on. " * 5
    >>> page = f"<html><body><article><h1>Tide mill</h1><p>{text}</p></article></body></html>"
    >>> _ = (corpus / "zyte" / "html" / "a1.html.gz").write_bytes(gzip.compress(page.encode()))
    >>> _ = (corpus / "zyte" / "ground-truth.json").write_text(json.dumps(
    ...     {"a1": {"articleBody": text, "url": "https://news.example/2024/05/02/mill/"}}))
    >>> report = scraper.evaluate(corpus, floors={"zyte": {"shingle_f1": 0.9},
    ...                                           "wcxb-dev": {"word_f1": 0.9}})
    >>> zyte = report.get("zyte")
    >>> zyte.pages, zyte.errors, round(zyte.figure("shingle_f1"), 3)
    (1, 0, 1.0)
    >>> report.ok, [miss.split(" under ")[0] for miss in report.floor_misses]
    (False, ['wcxb-dev: dataset folder absent'])
    >>> scraper.evaluate(corpus, datasets=["zyte"], floors=True).ok
    True
    >>> scraper.evaluate(corpus, datasets=["cnn"])
    Traceback (most recent call last):
    scraper.errors.ConfigError: config: unknown dataset(s) cnn; known: zyte, trafilatura-eval, ...
    """
    wanted = list(datasets) if datasets is not None else None
    unknown = [name for name in wanted or () if name not in DATASETS]
    if unknown:
        raise ConfigError(f"unknown dataset(s) {', '.join(unknown)};"
                          f" known: {', '.join(DATASETS)}")
    if baseline is not None and baseline not in BASELINES:
        raise ConfigError(f"unknown baseline {baseline!r}; known: {', '.join(BASELINES)}")
    loaded = None if floors is None or floors is False else _floors(floors)
    results = run_evaluation(corpus_dir, datasets=wanted or None, limit=limit, extract=extract,
                             baseline=baseline, progress=progress)
    misses = [] if loaded is None else check_floors(results, loaded, allow_missing=allow_missing)
    return EvalReport(results.corpus_dir, results.system, results.baseline, results.limit,
                      tuple(DatasetFigures.of(scores) for scores in results.scores),
                      tuple(results.missing), tuple(misses), results)
