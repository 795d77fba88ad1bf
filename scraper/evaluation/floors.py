"""Minimum figures a run must reach (``floors.toml``), checked for our system only.

The file has one table per dataset; each key is a figure name from
:data:`scraper.evaluation.results.FIGURES`. A plain key is a floor (the figure must be at
least that); a ``max_`` key is a ceiling (``max_leak_rate``, ``max_error_rate``).
A gate that checks nothing must not pass: a floor's dataset that was asked for but whose
folder is absent fails (unless ``allow_missing``), and so does one whose folder held no
page. A dataset left out on purpose (``--dataset`` naming others) and a figure that could not
be measured on the pages run are not checked; an unknown dataset or figure name is reported
as a failure (a typo would otherwise silently disable a floor).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from scraper.evaluation.corpus import DATASETS
from scraper.evaluation.results import FIGURES, EvalResults

DEFAULT_FLOORS = Path(__file__).with_name("floors.toml")

Floors = dict[str, dict[str, float]]


def load_floors(path: Path | str = DEFAULT_FLOORS) -> Floors:
    """Read a floors file; raises ``ValueError`` on a value that is not a number."""
    with Path(path).open("rb") as handle:
        data = tomllib.load(handle)
    floors: Floors = {}
    for dataset, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"{path}: [{dataset}] must be a table of figure = number")
        for key, value in table.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{path}: {dataset}.{key} must be a number, not {value!r}")
            floors.setdefault(dataset, {})[key] = float(value)
    return floors


def check_floors(results: EvalResults, floors: Floors, *,
                 allow_missing: bool = False) -> list[str]:
    """One line per figure below its floor (or above its ``max_`` ceiling), and per floored
    dataset that could not be scored (absent folder, unless ``allow_missing``; no pages);
    [] if all pass."""
    failures: list[str] = []
    for dataset, table in floors.items():
        if dataset not in DATASETS:
            failures.append(f"{dataset}: unknown dataset in floors")
            continue
        scores = results.get(dataset)
        if dataset in results.missing and not allow_missing:
            failures.append(f"{dataset}: dataset folder absent under {results.corpus_dir};"
                            " its floors cannot be checked (--allow-missing to skip them)")
        elif scores is not None and scores.pages == 0:
            failures.append(f"{dataset}: no pages scored; its floors cannot be checked")
        for key, limit in table.items():
            ceiling = key.startswith("max_")
            name = key.removeprefix("max_") if ceiling else key
            if name not in FIGURES:
                failures.append(f"{dataset}: unknown figure {key!r} in floors")
                continue
            value = scores.figure(name) if scores is not None else None
            if value is None:
                continue
            if ceiling and value > limit:
                failures.append(f"{dataset} {name} {value:.3f} above ceiling {limit:.3f}")
            elif not ceiling and value < limit:
                failures.append(f"{dataset} {name} {value:.3f} below floor {limit:.3f}")
    return failures
