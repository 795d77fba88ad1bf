"""`scraper eval`: score the extractor on the benchmark corpora; the work is
``scraper.evaluate`` (scraper/api/evaluating.py), the floors file read here as an option."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scraper.api.evaluating import evaluate
from scraper.evaluation.baseline import BASELINES, ExtractFn
from scraper.evaluation.corpus import DATASETS
from scraper.evaluation.floors import load_floors


def make_eval_command(*, extract: ExtractFn | None = None) -> click.Command:
    """The `scraper eval` command, scoring ``extract`` (default: the package's extractor)."""

    @click.command("eval")
    @click.argument(
        "corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path)
    )
    @click.option(
        "--dataset", "datasets", multiple=True, type=click.Choice(DATASETS),
        help="Dataset to run (repeatable; default: every one present).",
    )
    @click.option(
        "--limit", type=click.IntRange(min=1), default=None,
        help="Only the first N pages of each dataset.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
    @click.option(
        "--baseline", type=click.Choice(sorted(BASELINES)), default=None,
        help="Also run this reference extractor on the same pages.",
    )
    @click.option(
        "--floors", "floors_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None, help="TOML of minimum figures; exit status 1 if any is missed, or if a "
        "dataset with floors is absent.",
    )
    @click.option(
        "--allow-missing", is_flag=True,
        help="With --floors: skip the floors of absent datasets instead of failing.",
    )
    def eval_command(
        corpus_dir: Path,
        datasets: tuple[str, ...],
        limit: int | None,
        as_json: bool,
        baseline: str | None,
        floors_path: Path | None,
        allow_missing: bool,
    ) -> None:
        """Score the extractor on the benchmark corpora in CORPUS_DIR.

        Body, title, date, headings and section figures per dataset (zyte,
        trafilatura-eval, htmldate-eval, wcxb-dev), with pages/sec and errors.
        Absent dataset folders are skipped. With --floors, each figure below its
        floor is one line on stderr and the exit status is 1; so is a dataset that
        has floors but no folder (unless --allow-missing) or no pages.

        \b
        scraper eval ../shared/corpus --dataset zyte --limit 20
        scraper eval ../shared/corpus --baseline trafilatura --json > eval.json
        scraper eval ../shared/corpus --floors scraper/evaluation/floors.toml
        """
        floors = None
        if floors_path is not None:
            try:
                floors = load_floors(floors_path)
            except (ValueError, OSError) as exc:
                raise click.BadParameter(str(exc), param_hint="--floors") from exc
        report = evaluate(
            corpus_dir,
            datasets=datasets or None,
            limit=limit,
            extract=extract,
            baseline=baseline,
            floors=floors,
            allow_missing=allow_missing,
            progress=lambda name: click.echo(f"running {name}...", err=True),
        )
        if as_json:
            click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        else:
            click.echo(report.to_text(), nl=False)
        for line in report.floor_misses:
            click.echo(line, err=True)
        if not report.ok:
            click.get_current_context().exit(1)

    return eval_command


eval_command = make_eval_command()
