"""Pure scorers: one per benchmark method of ``shared/corpus/README.md``.

Page-level functions compare one prediction with one gold value; the small accumulator
classes sum or average them over a corpus the way each benchmark does.

Decisions the README leaves open, taken here:

* Zyte shingles: page precision is averaged over pages that have a prediction
  (TP+FP > 0) and page recall over pages that have a reference (TP+FN > 0), as the
  published Zyte script does; pages where TP, FP and FN are all 0 count for neither.
  So an empty prediction (a crash) costs recall and is not scored as precision 1.
* Snippets: a missing body (crash) is an empty body: every ``with`` is FN, every
  ``without`` TN. Empty corpus totals give P = R = F1 = 1 and leak rate 0.
* Word F1: when both texts have no tokens the page scores 1, when only one has none 0.
* Headings: gold and predicted headings are normalised like titles; the title is removed
  from both; when both sets are then empty the page scores F1 = 1 (nothing to find,
  nothing invented), when only one is empty 0.
* Section: a hit when our normalised section equals a normalised gold category or occurs
  inside one as whole words ("politik" in "politik & gesellschaft"); no section is a miss.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\w+")
SHINGLE_SIZE = 4

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1."""

    precision: float
    recall: float
    f1: float


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean; 0 when both are 0."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


# --- text normalisation -----------------------------------------------------------------


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace -> one space, stripped."""
    return " ".join(text.split())


def normalise_text(text: str) -> str:
    """NFKC, curly -> straight quotes, whitespace collapsed, casefolded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return collapse_whitespace(text).casefold()


def tokens(text: str) -> list[str]:
    """``\\w+`` tokens, case kept."""
    return TOKEN_RE.findall(text)


# --- body: Zyte shingles ----------------------------------------------------------------


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Overlapping ``size``-token tuples as a multiset; a shorter text is one shingle."""
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < size:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + size]) for i in range(len(toks) - size + 1))


@dataclass(frozen=True, slots=True)
class ShingleCounts:
    """One page's TP, FP, FN, normalised by their sum (all 0 when the sum is 0)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        denominator = self.tp + self.fp
        return self.tp / denominator if denominator else 1.0

    @property
    def recall(self) -> float:
        denominator = self.tp + self.fn
        return self.tp / denominator if denominator else 1.0


def shingle_counts(pred: str, true: str) -> ShingleCounts:
    """Compare one predicted body with the true body, Zyte's way."""
    pred_sh, true_sh = shingles(pred), shingles(true)
    tp = sum((pred_sh & true_sh).values())
    fp = sum((pred_sh - true_sh).values())
    fn = sum((true_sh - pred_sh).values())
    total = tp + fp + fn
    if not total:
        return ShingleCounts(0.0, 0.0, 0.0)
    return ShingleCounts(tp / total, fp / total, fn / total)


class ShingleScore:
    """Corpus P and R = means of page values; F1 = harmonic mean of the two means."""

    def __init__(self) -> None:
        self.pages: list[ShingleCounts] = []

    def add(self, pred: str, true: str) -> ShingleCounts:
        counts = shingle_counts(pred, true)
        self.pages.append(counts)
        return counts

    def result(self) -> PRF | None:
        """None when no page was scored."""
        with_pred = [c.precision for c in self.pages if c.tp + c.fp > 0]
        with_true = [c.recall for c in self.pages if c.tp + c.fn > 0]
        if not with_pred and not with_true:
            return None
        precision = sum(with_pred) / len(with_pred) if with_pred else 1.0
        recall = sum(with_true) / len(with_true) if with_true else 1.0
        return PRF(precision, recall, f1_score(precision, recall))


# --- body: snippets ---------------------------------------------------------------------


@dataclass(slots=True)
class SnippetScore:
    """``with`` snippets found -> TP (else FN); ``without`` found -> FP (else TN)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, body: str | None, with_: Iterable[str], without: Iterable[str]) -> None:
        """Score one page; ``body=None`` (a crash) is an empty body."""
        text = collapse_whitespace(body or "")
        for snippet in with_:
            if text and collapse_whitespace(snippet) in text:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without:
            if text and collapse_whitespace(snippet) in text:
                self.fp += 1
            else:
                self.tn += 1

    @property
    def scored(self) -> bool:
        return bool(self.tp + self.fp + self.fn + self.tn)

    def result(self) -> PRF:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        denominator = 2 * self.tp + self.fp + self.fn
        return PRF(precision, recall, 2 * self.tp / denominator if denominator else 1.0)

    @property
    def leak_rate(self) -> float:
        """Share of ``without`` snippets (site chrome) that ended up in the body."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0


# --- body: word F1 ----------------------------------------------------------------------


def word_prf(pred: str, ref: str) -> PRF:
    """Lower-cased ``\\w+`` multisets: P = overlap/pred, R = overlap/ref."""
    pred_bag = Counter(t.lower() for t in tokens(pred))
    ref_bag = Counter(t.lower() for t in tokens(ref))
    n_pred, n_ref = sum(pred_bag.values()), sum(ref_bag.values())
    if not n_pred and not n_ref:
        return PRF(1.0, 1.0, 1.0)
    if not n_pred or not n_ref:
        return PRF(0.0, 0.0, 0.0)
    overlap = sum((pred_bag & ref_bag).values())
    precision, recall = overlap / n_pred, overlap / n_ref
    return PRF(precision, recall, f1_score(precision, recall))


class MeanPRF:
    """P, R and F1 each averaged over pages."""

    def __init__(self) -> None:
        self.pages: list[PRF] = []

    def add(self, score: PRF) -> None:
        self.pages.append(score)

    def result(self) -> PRF | None:
        if not self.pages:
            return None
        n = len(self.pages)
        return PRF(
            sum(p.precision for p in self.pages) / n,
            sum(p.recall for p in self.pages) / n,
            sum(p.f1 for p in self.pages) / n,
        )


# --- title, date, headings, section -----------------------------------------------------


def title_match(pred: str | None, gold: str) -> bool:
    """Exact match after :func:`normalise_text`."""
    return pred is not None and normalise_text(pred) == normalise_text(gold)


def is_no_date(gold: object) -> bool:
    """A gold date that means "this page has no date": None, NaN or blank."""
    if gold is None:
        return True
    if isinstance(gold, float):
        return math.isnan(gold)
    return isinstance(gold, str) and not gold.strip()


def date_match(pred: str | None, gold: str | None) -> bool:
    """First 10 characters (YYYY-MM-DD) equal; gold None means the answer is no date."""
    ours = pred.strip() if pred else ""
    if gold is None:
        return not ours
    return bool(ours) and ours[:10] == gold.strip()[:10]


def _strip_markdown(text: str) -> str:
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    return _MD_EMPHASIS.sub("", text)


def markdown_headings(markdown: str) -> list[str]:
    """Text of the ATX (``#``) heading lines of a Markdown document, outside code fences.

    Follows CommonMark: 1-6 ``#`` then a space (``#2 of 21`` is not a heading); inline
    links, images, emphasis and code marks are reduced to their text.
    """
    found: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines():
        fence_match = _FENCE.match(line)
        if fence_match:
            mark = fence_match.group(1)
            if fence is None:
                fence = mark[0]
            elif mark[0] == fence:
                fence = None
            continue
        if fence is not None:
            continue
        match = _ATX_HEADING.match(line)
        if match:
            text = collapse_whitespace(_strip_markdown(match.group(2) or ""))
            if text:
                found.append(text)
    return found


def heading_set(headings: Iterable[str], title: str | None) -> set[str]:
    """Normalised, non-empty headings, minus the (normalised) title."""
    drop = normalise_text(title) if title else None
    normalised = {normalise_text(h) for h in headings}
    return {h for h in normalised if h and h != drop}


def headings_f1(pred: Iterable[str], gold: Iterable[str], title: str | None) -> float:
    """Set F1 of normalised headings, title removed; both empty -> 1."""
    pred_set, gold_set = heading_set(pred, title), heading_set(gold, title)
    if not pred_set and not gold_set:
        return 1.0
    overlap = len(pred_set & gold_set)
    if not overlap:
        return 0.0
    return f1_score(overlap / len(pred_set), overlap / len(gold_set))


def section_hit(section: str | None, categories: Sequence[str]) -> bool:
    """Our section equals a gold category, or occurs in one as whole words."""
    ours = normalise_text(section) if section else ""
    if not ours:
        return False
    whole_words = re.compile(rf"(?<!\w){re.escape(ours)}(?!\w)")
    for category in categories:
        gold = normalise_text(category)
        if gold == ours or whole_words.search(gold):
            return True
    return False


@dataclass(slots=True)
class Rate:
    """Hits over scored pages (title exact, date accuracy, section hit rate)."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += int(hit)

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


class Mean:
    """The mean of page values (headings F1)."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def value(self) -> float | None:
        return sum(self.values) / len(self.values) if self.values else None
