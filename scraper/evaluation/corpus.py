"""Readers for the four benchmark datasets under the shared corpus folder.

Each yields :class:`CorpusPage` records: who the page is, where its gzipped HTML is, and
the gold fields that dataset provides. HTML is only read when asked for
(:meth:`CorpusPage.read_html`). A missing corpus or dataset folder yields nothing.

Gold fields kept, per dataset (anything else in the gold files is ignored):

=================  =====================================================================
zyte               reference body (``articleBody``)
trafilatura-eval   ``with``/``without`` snippets, title, date, categories (when non-empty)
htmldate-eval      date from both gold files; NaN means the page has no date
wcxb-dev           reference body (``main_content``), snippets, title, date, headings
                   (``#`` lines of ``main_content_markdown``)
=================  =====================================================================

A blank or null gold date is "not annotated" (not scored), except in htmldate-eval where
NaN is the documented "no date" answer.
"""

from __future__ import annotations

import ast
import gzip
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from scraper.encoding import decode_html
from scraper.evaluation.scoring import is_no_date, markdown_headings

ZYTE = "zyte"
TRAFILATURA_EVAL = "trafilatura-eval"
HTMLDATE_EVAL = "htmldate-eval"
WCXB_DEV = "wcxb-dev"
DATASETS: tuple[str, ...] = (ZYTE, TRAFILATURA_EVAL, HTMLDATE_EVAL, WCXB_DEV)
HTMLDATE_GOLD_FILES: tuple[str, ...] = ("eval_default.json", "eval_mediacloud_2020.json")


@dataclass(frozen=True, slots=True)
class Gold:
    """What a dataset says the right answer is. None / empty = not scored."""

    body: str | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()
    title: str | None = None
    date_scored: bool = False
    date: str | None = None
    """With ``date_scored``: the YYYY-MM-DD date, or None when the page has no date."""
    headings: tuple[str, ...] | None = None
    categories: tuple[str, ...] = ()

    @property
    def has_snippets(self) -> bool:
        return bool(self.with_snippets or self.without_snippets)


@dataclass(frozen=True, slots=True)
class CorpusPage:
    """One benchmark page: identity, gzipped HTML location, gold fields."""

    dataset: str
    page_id: str
    url: str
    path: Path
    gold: Gold

    def read_bytes(self) -> bytes:
        """The page's raw HTML bytes (gunzipped)."""
        return gzip.decompress(self.path.read_bytes())

    def read_html(self) -> str:
        """The page decoded as a fetch would (BOM, meta charset, UTF-8, detection)."""
        return decode_html(self.read_bytes())[0]


def available_datasets(corpus_dir: Path) -> list[str]:
    """The known datasets that have a folder under ``corpus_dir``."""
    return [name for name in DATASETS if (corpus_dir / name).is_dir()]


def iter_pages(corpus_dir: Path, dataset: str, *, limit: int | None = None) -> Iterator[CorpusPage]:
    """The pages of one dataset, in gold-file order; nothing if its folder is absent."""
    try:
        loader = _LOADERS[dataset]
    except KeyError:
        raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}") from None
    folder = corpus_dir / dataset
    if not folder.is_dir():
        return iter(())
    return islice(loader(folder), limit)


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return ()
    return tuple(v for v in value if isinstance(v, str) and v.strip())


def _annotated_date(value: object) -> tuple[bool, str | None]:
    """(scored, date) for datasets where a blank date means "not annotated"."""
    date = _text(value)
    return (date is not None, date)


def _zyte(folder: Path) -> Iterator[CorpusPage]:
    gold_file = folder / "ground-truth.json"
    if not gold_file.is_file():
        return
    data: Mapping[str, Any] = _read_json(gold_file)
    for sha, item in data.items():
        yield CorpusPage(
            dataset=ZYTE,
            page_id=sha,
            url=str(item.get("url") or ""),
            path=folder / "html" / f"{sha}.html.gz",
            gold=Gold(body=str(item.get("articleBody") or "")),
        )


def _trafilatura_eval(folder: Path) -> Iterator[CorpusPage]:
    gold_file = folder / "evaldata.json"
    if not gold_file.is_file():
        return
    data: Mapping[str, Any] = _read_json(gold_file)
    for url, item in data.items():
        scored, date = _annotated_date(item.get("date"))
        yield CorpusPage(
            dataset=TRAFILATURA_EVAL,
            page_id=str(item["file"]),
            url=url,
            path=folder / "pages" / f"{item['file']}.gz",
            gold=Gold(
                with_snippets=_strings(item.get("with")),
                without_snippets=_strings(item.get("without")),
                title=_text(item.get("title")),
                date_scored=scored,
                date=date,
                categories=_strings(item.get("categories")),
            ),
        )


def _htmldate_eval(folder: Path) -> Iterator[CorpusPage]:
    for name in HTMLDATE_GOLD_FILES:
        gold_file = folder / name
        if not gold_file.is_file():
            continue
        subset = name.removeprefix("eval_").removesuffix(".json")
        data: Mapping[str, Any] = _read_json(gold_file)
        for url, item in data.items():
            raw = item.get("date")
            yield CorpusPage(
                dataset=HTMLDATE_EVAL,
                page_id=f"{subset}/{item['file']}",
                url=url,
                path=folder / "pages" / f"{item['file']}.gz",
                gold=Gold(date_scored=True, date=None if is_no_date(raw) else str(raw)),
            )


def _ground_truth(value: object) -> Mapping[str, Any]:
    """WCXB ``ground_truth``: a dict, or (in some releases) the repr of one."""
    if isinstance(value, str):
        value = ast.literal_eval(value)
    return value if isinstance(value, Mapping) else {}


def _wcxb_dev(folder: Path) -> Iterator[CorpusPage]:
    for gold_file in sorted((folder / "ground-truth").glob("*.json")):
        record = _read_json(gold_file)
        truth = _ground_truth(record.get("ground_truth"))
        page_id = str(record.get("file_id") or gold_file.stem)
        markdown = truth.get("main_content_markdown")
        scored, date = _annotated_date(truth.get("publish_date"))
        body = truth.get("main_content")
        yield CorpusPage(
            dataset=WCXB_DEV,
            page_id=page_id,
            url=str(record.get("url") or ""),
            path=folder / "html" / f"{page_id}.html.gz",
            gold=Gold(
                body=body if isinstance(body, str) else None,
                with_snippets=_strings(truth.get("with")),
                without_snippets=_strings(truth.get("without")),
                title=_text(truth.get("title")),
                date_scored=scored,
                date=date,
                headings=(
                    tuple(markdown_headings(markdown)) if isinstance(markdown, str) else None
                ),
            ),
        )


_LOADERS: dict[str, Callable[[Path], Iterator[CorpusPage]]] = {
    ZYTE: _zyte,
    TRAFILATURA_EVAL: _trafilatura_eval,
    HTMLDATE_EVAL: _htmldate_eval,
    WCXB_DEV: _wcxb_dev,
}
