"""The benchmark scorers on tiny hand-made cases."""

from __future__ import annotations

import pytest

from scraper.evaluation.scoring import (
    PRF,
    MeanPRF,
    Rate,
    ShingleScore,
    SnippetScore,
    date_match,
    headings_f1,
    is_no_date,
    markdown_headings,
    normalise_text,
    section_hit,
    shingle_counts,
    shingles,
    title_match,
    word_prf,
)

# --- Zyte shingles ----------------------------------------------------------------------


def test_shingles_are_overlapping_four_token_multisets_with_case_kept() -> None:
    got = shingles("a b c d a b c d")
    assert got[("a", "b", "c", "d")] == 2
    assert sum(got.values()) == 5
    assert shingles("A b c d") != shingles("a b c d")


def test_text_under_four_tokens_is_one_shorter_shingle() -> None:
    assert shingles("Hello, world!") == {("Hello", "world"): 1}
    assert shingles("") == {}
    assert shingles("... --") == {}


def test_shingle_counts_are_normalised_by_their_sum() -> None:
    counts = shingle_counts(pred="one two three four five", true="one two three four six")
    # pred: (1234),(2345); true: (1234),(2346) -> TP 1, FP 1, FN 1
    assert counts.tp == pytest.approx(1 / 3)
    assert counts.fp == pytest.approx(1 / 3)
    assert counts.fn == pytest.approx(1 / 3)
    assert counts.precision == pytest.approx(0.5)
    assert counts.recall == pytest.approx(0.5)


def test_short_texts_compare_as_single_shingles() -> None:
    assert shingle_counts("Breaking news", "Breaking news").precision == 1.0
    counts = shingle_counts("Breaking news", "Breaking")
    assert (counts.tp, counts.fp, counts.fn) == (0.0, 0.5, 0.5)


def test_corpus_precision_and_recall_are_means_and_f1_their_harmonic_mean() -> None:
    score = ShingleScore()
    score.add("a b c d e", "a b c d e")  # P 1, R 1
    score.add("a b c d x", "a b c d e")  # P .5, R .5
    result = score.result()
    assert result is not None
    assert result.precision == pytest.approx(0.75)
    assert result.recall == pytest.approx(0.75)
    assert result.f1 == pytest.approx(0.75)


def test_empty_prediction_costs_recall_but_not_precision() -> None:
    score = ShingleScore()
    score.add("a b c d e", "a b c d e")
    score.add("", "a b c d e")  # a crash: nothing predicted
    result = score.result()
    assert result is not None
    assert result.precision == pytest.approx(1.0)
    assert result.recall == pytest.approx(0.5)
    assert result.f1 == pytest.approx(2 / 3)


def test_pages_where_all_counts_are_zero_are_skipped() -> None:
    score = ShingleScore()
    score.add("", "")
    assert score.result() is None
    score.add("a b c d", "a b c d")
    assert score.result() == PRF(1.0, 1.0, 1.0)


def test_empty_gold_scores_precision_zero() -> None:
    score = ShingleScore()
    score.add("a b c d", "")
    result = score.result()
    assert result is not None
    assert result.precision == 0.0
    assert result.f1 == 0.0


# --- snippets ---------------------------------------------------------------------------


def test_snippets_count_tp_fn_fp_tn_with_whitespace_collapsed() -> None:
    score = SnippetScore()
    body = "The minister said\n  on Monday that taxes rise.\nImpressum"
    score.add(body, ["minister said on Monday", "not there"], ["Impressum", "Related posts"])
    assert (score.tp, score.fn, score.fp, score.tn) == (1, 1, 1, 1)
    result = score.result()
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(0.5)
    assert result.f1 == pytest.approx(0.5)
    assert score.leak_rate == pytest.approx(0.5)


def test_snippet_totals_sum_over_pages() -> None:
    score = SnippetScore()
    score.add("alpha beta", ["alpha"], ["menu"])
    score.add("gamma menu", ["gamma", "delta"], ["menu"])
    assert (score.tp, score.fn, score.fp, score.tn) == (2, 1, 1, 1)
    assert score.result().f1 == pytest.approx(4 / 6)


def test_a_crash_is_a_total_miss_and_leaks_nothing() -> None:
    score = SnippetScore()
    score.add(None, ["a", "b"], ["c"])
    assert (score.tp, score.fn, score.fp, score.tn) == (0, 2, 0, 1)
    assert score.result().recall == 0.0
    assert score.leak_rate == 0.0


def test_snippets_are_case_sensitive() -> None:
    score = SnippetScore()
    score.add("impressum", [], ["Impressum"])
    assert score.fp == 0 and score.tn == 1


# --- word F1 ----------------------------------------------------------------------------


def test_word_f1_uses_lowercased_token_multisets() -> None:
    result = word_prf("The the CAT", "the cat sat")
    # pred {the:2, cat:1}, ref {the:1, cat:1, sat:1}: overlap 2
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 / 3)


def test_word_f1_empty_cases() -> None:
    assert word_prf("", "") == PRF(1.0, 1.0, 1.0)
    assert word_prf("", "some text") == PRF(0.0, 0.0, 0.0)
    assert word_prf("some text", "") == PRF(0.0, 0.0, 0.0)


def test_word_f1_is_averaged_over_pages() -> None:
    mean = MeanPRF()
    assert mean.result() is None
    mean.add(word_prf("a b", "a b"))
    mean.add(word_prf("", "a b"))
    result = mean.result()
    assert result is not None
    assert result.f1 == pytest.approx(0.5)


# --- title ------------------------------------------------------------------------------


def test_title_match_normalises_quotes_width_space_and_case() -> None:
    assert title_match("\u201cIt\u2019s  here\u201d \u2013 Ｎews", '"it\'s here" \u2013 news')
    assert title_match("  Budget\u00a0vote \n", "budget vote")
    assert not title_match("Budget vote - Site", "Budget vote")
    assert not title_match(None, "Budget vote")


def test_normalise_text_applies_nfkc() -> None:
    assert normalise_text("\ufb01nal") == "final"  # the fi ligature


# --- date -------------------------------------------------------------------------------


def test_date_match_compares_the_first_ten_characters() -> None:
    assert date_match("2020-06-07T10:00:00+02:00", "2020-06-07")
    assert not date_match("2020-06-08", "2020-06-07")
    assert not date_match(None, "2020-06-07")


def test_nan_gold_date_means_no_date_is_right() -> None:
    assert is_no_date(float("nan"))
    assert is_no_date(None)
    assert is_no_date("  ")
    assert not is_no_date("2020-01-01")
    assert date_match(None, None)
    assert date_match("", None)
    assert not date_match("2020-06-07", None)


# --- headings ---------------------------------------------------------------------------


def test_markdown_headings_are_atx_lines_outside_code() -> None:
    markdown = "\n".join(
        [
            "# The Title",
            "Intro paragraph with a # sign.",
            "## First **bold** part ##",
            "#2 of 21 is not a heading",
            "### See [the report](https://example.com/r)",
            "```",
            "# a shell comment",
            "```",
            "####### seven hashes is text",
        ]
    )
    assert markdown_headings(markdown) == ["The Title", "First bold part", "See the report"]


def test_headings_f1_drops_the_title_and_normalises() -> None:
    gold = markdown_headings("# The Title\n## Background\n## What\u2019s next")
    assert headings_f1(["The title", "BACKGROUND", "What's next"], gold, "The Title") == 1.0
    # one of two right, one invented: P 1/2, R 1/2
    assert headings_f1(["Background", "Share this"], gold, "The Title") == pytest.approx(0.5)


def test_headings_f1_empty_cases() -> None:
    assert headings_f1([], [], "Title") == 1.0
    assert headings_f1(["Title"], ["Title"], "Title") == 1.0  # only the title: both empty
    assert headings_f1([], ["Background"], None) == 0.0
    assert headings_f1(["Newsletter"], [], None) == 0.0


# --- section ----------------------------------------------------------------------------


def test_section_hit_equal_or_whole_words_inside_a_category() -> None:
    assert section_hit("Politik", ["Politik"])
    assert section_hit("politik", ["Soziales", "Politik & Gesellschaft"])
    assert not section_hit("Pol", ["Politik"])
    assert not section_hit("News", ["Politik"])
    assert not section_hit(None, ["Politik"])
    assert not section_hit("  ", ["Politik"])


def test_rate_is_none_until_something_is_scored() -> None:
    rate = Rate()
    assert rate.value is None
    rate.add(True)
    rate.add(False)
    assert rate.value == 0.5
