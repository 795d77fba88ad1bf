"""Minimum figures a run must reach (``floors.toml``), checked for our system only.

The file has one table per dataset; each key is a figure name from
:data:`scraper.evaluation.results.FIGURES`. A plain key is a floor (the figure must be at
least that); a ``max_`` key is a ceiling (``max_leak_rate``, ``max_error_rate``). A
dataset that was not run, or a figure that could not be measured on the pages run, is not
checked; an unknown dataset or figure name is reported as a failure (a typo would
otherwise silently disable a floor).
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


def check_floors(results: EvalResults, floors: Floors) -> list[str]:
    """One line per figure below its floor (or above its ``max_`` ceiling); [] if all pass."""
    failures: list[str] = []
    for dataset, table in floors.items():
        if dataset not in DATASETS:
            failures.append(f"{dataset}: unknown dataset in floors")
            continue
        scores = results.get(dataset)
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
