"""Run extract functions over the benchmark corpora and score them.

Which figures each dataset gets (see ``shared/corpus/README.md`` for the methods):

=================  =====================================================================
zyte               body by Zyte shingles
trafilatura-eval   body by snippets (+ leak rate), title, date, section
htmldate-eval      date
wcxb-dev           body by word F1 and by snippets (+ leak rate), title, date, headings
=================  =====================================================================

A page that raises (anything, not only ``ScraperError``) is counted in ``errors`` (its id
and the reason are kept in ``error_pages``) and scored as an empty result: a total miss on
every figure.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

from scraper.evaluation.baseline import BASELINES, ExtractFn, System
from scraper.evaluation.corpus import (
    DATASETS,
    WCXB_DEV,
    CorpusPage,
    available_datasets,
    iter_pages,
)
from scraper.evaluation.floors import check_floors, load_floors
from scraper.evaluation.results import DatasetScores, EvalResults
from scraper.evaluation.scoring import (
    Mean,
    MeanPRF,
    Rate,
    ShingleScore,
    SnippetScore,
    date_match,
    headings_f1,
    section_hit,
    title_match,
    word_prf,
)
from scraper.models import Article

__all__ = ["OUR_SYSTEM", "check_floors", "evaluate", "load_floors"]

OUR_SYSTEM = "scraper"
_BODY_BY_WORDS = frozenset({WCXB_DEV})
"""Datasets whose reference body is scored by word F1; zyte's by shingles."""


class _Tally:
    """Accumulates one system's page results on one dataset."""

    def __init__(self, dataset: str, system: System) -> None:
        self.dataset = dataset
        self.system = system
        self.pages = 0
        self.error_pages: list[str] = []
        self.seconds = 0.0
        self.shingles = ShingleScore()
        self.words = MeanPRF()
        self.snippets = SnippetScore()
        self.title = Rate()
        self.date = Rate()
        self.headings = Mean()
        self.section = Rate()

    def add(self, page: CorpusPage, article: Article | None) -> None:
        """Score one page; ``article=None`` means the extractor failed on it."""
        gold, fields = page.gold, self.system.fields
        body = article.body if article is not None else ""
        self.pages += 1
        if "body" in fields:
            if gold.body is not None:
                if self.dataset in _BODY_BY_WORDS:
                    self.words.add(word_prf(body, gold.body))
                else:
                    self.shingles.add(body, gold.body)
            if gold.has_snippets:
                self.snippets.add(body, gold.with_snippets, gold.without_snippets)
        if "title" in fields and gold.title:
            self.title.add(article is not None and title_match(article.title, gold.title))
        if "date" in fields and gold.date_scored:
            self.date.add(article is not None and date_match(article.published, gold.date))
        if "headings" in fields and gold.headings is not None:
            self.headings.add(
                headings_f1(article.headings, gold.headings, gold.title)
                if article is not None
                else 0.0
            )
        if "section" in fields and gold.categories:
            self.section.add(article is not None and section_hit(article.section, gold.categories))

    def scores(self) -> DatasetScores:
        result = DatasetScores(
            dataset=self.dataset,
            system=self.system.name,
            pages=self.pages,
            errors=len(self.error_pages),
            error_pages=self.error_pages,
            seconds=self.seconds,
            title_exact=self.title.value,
            title_pages=self.title.total,
            date_accuracy=self.date.value,
            date_pages=self.date.total,
            headings_f1=self.headings.value,
            headings_pages=len(self.headings.values),
            section_hit_rate=self.section.value,
            section_pages=self.section.total,
        )
        shingles = self.shingles.result()
        if shingles is not None:
            result.shingle_precision = shingles.precision
            result.shingle_recall = shingles.recall
            result.shingle_f1 = shingles.f1
        words = self.words.result()
        if words is not None:
            result.word_precision, result.word_recall = words.precision, words.recall
            result.word_f1 = words.f1
        if self.snippets.scored:
            snippets = self.snippets.result()
            result.snippet_precision = snippets.precision
            result.snippet_recall = snippets.recall
            result.snippet_f1 = snippets.f1
            result.leak_rate = self.snippets.leak_rate
        return result


def _run_one(system: System, html: str | None, url: str | None) -> tuple[Article | str, float]:
    """(the article, or a one-line reason on failure; seconds spent in extract)."""
    if html is None:
        return "page unreadable", 0.0
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():  # library warnings (dateutil...) are noise here
            warnings.simplefilter("ignore")
            result: Article | str = system.extract(html, url)
    except Exception as exc:  # one bad page must never stop the evaluation
        result = f"{type(exc).__name__}: {exc}"[:200]
    return result, time.perf_counter() - start


def _default_extract() -> ExtractFn:
    from scraper.extract import extract_article

    return extract_article


def evaluate(
    corpus_dir: Path | str,
    *,
    datasets: Iterable[str] | None = None,
    limit: int | None = None,
    extract: ExtractFn | None = None,
    baseline: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvalResults:
    """Run ``extract`` (default ``scraper.extract.extract_article``) over the corpora.

    ``datasets``: names to run (default: every known dataset present); absent folders are
    skipped and listed in ``EvalResults.missing``. ``limit``: first N pages of each.
    ``baseline``: a name from ``BASELINES`` run on the same pages in the same run.
    ``progress``: called with each dataset name as it starts.

    Timing covers the extract call only; before it, each system extracts the first page
    once untimed, and the systems alternate who runs first on a page, so that neither
    pays the other's warm-up or cache misses.
    """
    corpus = Path(corpus_dir)
    wanted = list(dict.fromkeys(datasets)) if datasets else list(DATASETS)
    unknown = [name for name in wanted if name not in DATASETS]
    if unknown:
        raise ValueError(f"unknown dataset(s) {', '.join(unknown)}; known: {', '.join(DATASETS)}")
    if baseline is not None and baseline not in BASELINES:
        raise ValueError(f"unknown baseline {baseline!r}; known: {', '.join(BASELINES)}")
    systems = [System(OUR_SYSTEM, extract or _default_extract())]
    if baseline is not None:
        systems.append(BASELINES[baseline])
    present = set(available_datasets(corpus))
    results = EvalResults(
        corpus_dir=str(corpus), system=OUR_SYSTEM, baseline=baseline, limit=limit,
        missing=[name for name in wanted if name not in present],
    )
    warmed = False  # each system extracts the first page once, untimed (lazy imports)
    for name in wanted:
        if name not in present:
            continue
        if progress is not None:
            progress(name)
        tallies = [_Tally(name, system) for system in systems]
        for index, page in enumerate(iter_pages(corpus, name, limit=limit)):
            try:
                html: str | None = page.read_html()
            except Exception:  # an unreadable page is an error, not a crash
                html = None
            if not warmed and html is not None:
                for system in systems:
                    _run_one(system, html, page.url or None)
                warmed = True
            # Alternate who goes first: shared text caches favour the second runner.
            for tally in tallies if index % 2 == 0 else tallies[::-1]:
                outcome, seconds = _run_one(tally.system, html, page.url or None)
                tally.seconds += seconds
                if isinstance(outcome, str):
                    tally.error_pages.append(f"{page.page_id}: {outcome}")
                tally.add(page, None if isinstance(outcome, str) else outcome)
        results.scores.extend(tally.scores() for tally in tallies)
    return results
