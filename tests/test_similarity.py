"""Near-duplicate detection on save: MinHash sketches, LSH band keys, links (never merges)."""

from __future__ import annotations

import hashlib
import itertools
import random
from pathlib import Path
from typing import Any

import pytest

from scraper.archive import Archive
from scraper.archive import similarity as sim
from scraper.models import Article

SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ve", "no", "si", "da", "pe", "gu", "zo", "ri", "ba"]
VOCABULARY = ["".join(p) for p in itertools.product(SYLLABLES, repeat=3)]


def prose(seed: int, words: int = 400) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def edit(text: str, changes: int, seed: int = 0) -> str:
    """Replace ``changes`` words at random places."""
    rng = random.Random(seed)
    words = text.split()
    for index in rng.sample(range(len(words)), changes):
        words[index] = "edited"
    return " ".join(words)


def make_article(url: str, body: str, **fields: Any) -> Article:
    return Article(url=url, body=body, content_hash=hashlib.sha256(body.encode()).hexdigest(),
                   word_count=len(body.split()), **fields)


Link = tuple[int | None, float | None, str | None]


def link_of(archive: Archive, article_id: int) -> Link:
    row = archive.db.execute(
        "SELECT duplicate_of, duplicate_similarity, duplicate_method FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    return (row[0], row[1], row[2])


def jaccard(a: str, b: str) -> float:
    left, right = sim.shingles(a), sim.shingles(b)
    return len(left & right) / len(left | right)


# -- the sketch --------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [0, 5, 20, 60, 150])
def test_signature_similarity_estimates_jaccard(changes: int) -> None:
    base = prose(1)
    other = edit(base, changes)
    first, second = sim.signature(base), sim.signature(other)
    assert first is not None and second is not None
    assert sim.similarity(first, second) == pytest.approx(jaccard(base, other), abs=0.12)


def test_unrelated_bodies_are_far_apart() -> None:
    first, second = sim.signature(prose(1)), sim.signature(prose(2))
    assert first is not None and second is not None
    assert sim.similarity(first, second) < 0.1


def test_signature_is_deterministic_and_case_insensitive() -> None:
    text = prose(3)
    first, second = sim.signature(text), sim.signature(text.upper())
    assert first is not None and second is not None
    assert (first == second).all()
    assert sim.band_keys(first) == sim.band_keys(second)
    assert len(set(sim.band_keys(first))) == sim.BANDS


def test_short_bodies_get_no_sketch() -> None:
    assert sim.signature("Too short to compare.") is None
    assert sim.signature("") is None


# -- detection on save -------------------------------------------------------------------


def test_lightly_edited_copy_is_linked_and_unrelated_is_not(tmp_path: Path) -> None:
    body = prose(10)
    with Archive(tmp_path / "a.db") as archive:
        original = archive.save(make_article("https://a.example/story", body, title="Story"))
        copy = archive.save(make_article(
            "https://aggregator.example/item/1", "From our partners. " + edit(body, 3),
            title="Story, republished"))
        unrelated = archive.save(make_article("https://a.example/other", prose(11)))
        assert copy.status == "new"  # a separate row: never merged
        duplicate_of, score, method = link_of(archive, copy.article_id)
        assert (duplicate_of, method) == (original.article_id, "minhash")
        assert score is not None and score >= 0.85
        assert link_of(archive, unrelated.article_id) == (None, None, None)
        assert link_of(archive, original.article_id) == (None, None, None)
        assert archive.count() == 3


def test_copy_links_to_the_most_similar_earlier_article(tmp_path: Path) -> None:
    body = prose(20)
    with Archive(tmp_path / "a.db") as archive:
        far_body, near_body = edit(body, 20, seed=1), edit(body, 3, seed=2)
        assert jaccard(body, far_body) > sim.LINK_SIMILARITY + 0.05
        archive.save(make_article("https://a.example/1", far_body))
        near = archive.save(make_article("https://a.example/2", near_body))
        copy = archive.save(make_article("https://a.example/3", body))
        duplicate_of, score, _ = link_of(archive, copy.article_id)
        assert duplicate_of == near.article_id
        assert score == pytest.approx(jaccard(body, near_body), abs=0.1)


def test_source_link_links_a_copy_to_an_original_we_have(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as archive:
        original = archive.save(make_article("https://www.origin.example/2023/06/story/", prose(30),
                                             title="Story"))
        copy = archive.save(make_article(
            "https://aggregator.example/read/99", prose(31, 80), title="Story (summary)",
            source_link="http://origin.example/2023/06/story?utm_source=feed"))
        duplicate_of, score, method = link_of(archive, copy.article_id)
        assert (duplicate_of, method) == (original.article_id, "source_link")
        assert score is not None and score < 0.2  # a summary: linked because it says so


def test_original_arriving_after_its_copy_adopts_it(tmp_path: Path) -> None:
    body = prose(40)
    with Archive(tmp_path / "a.db") as archive:
        copy = archive.save(make_article(
            "https://aggregator.example/read/1", "Via Origin. " + body,
            source_link="https://origin.example/story"))
        assert link_of(archive, copy.article_id) == (None, None, None)
        original = archive.save(make_article("https://origin.example/story", body))
        duplicate_of, score, method = link_of(archive, copy.article_id)
        assert (duplicate_of, method) == (original.article_id, "source_link")
        assert score is not None and score > 0.9
        # the original does not in turn become a copy of its copy (no cycles)
        assert link_of(archive, original.article_id) == (None, None, None)


def test_detection_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    body = prose(50)
    with Archive(path) as archive:
        original = archive.save(make_article("https://a.example/story", body))
    with Archive(path) as archive:
        copy = archive.save(make_article("https://b.example/story", edit(body, 2)))
        assert link_of(archive, copy.article_id)[0] == original.article_id


def test_a_copy_rewritten_into_another_story_loses_its_link(tmp_path: Path) -> None:
    body = prose(60)
    with Archive(tmp_path / "a.db") as archive:
        archive.save(make_article("https://a.example/story", body))
        copy = archive.save(make_article("https://b.example/story", edit(body, 2)))
        assert link_of(archive, copy.article_id)[0] is not None
        updated = archive.save(make_article("https://b.example/story", prose(61)))
        assert (updated.article_id, updated.status) == (copy.article_id, "updated")
        assert link_of(archive, copy.article_id) == (None, None, None)
        signatures = archive.db.execute("SELECT count(*) FROM article_minhash").fetchone()[0]
        band_rows = archive.db.execute("SELECT count(*) FROM article_lsh").fetchone()[0]
        assert (signatures, band_rows) == (2, 2 * sim.BANDS)


def test_detection_compares_candidates_only_not_every_article(tmp_path: Path) -> None:
    body = prose(70)
    copy_body = edit(body, 2)
    with Archive(tmp_path / "a.db") as archive:
        original = archive.save(make_article("https://a.example/story", body))
        for seed in range(150):
            archive.save(make_article(f"https://a.example/{seed}", prose(1000 + seed)))
        copy = archive.save(make_article("https://b.example/story", copy_body))
        sig = sim.signature(copy_body)
        assert sig is not None
        compared = [candidate for candidate, _ in sim.candidates(archive.db, copy.article_id, sig)]
    assert link_of_closed(tmp_path / "a.db", copy.article_id)[0] == original.article_id
    assert compared == [original.article_id]


def link_of_closed(path: Path, article_id: int) -> Link:
    with Archive(path) as archive:
        return link_of(archive, article_id)


def test_link_threshold_is_respected(tmp_path: Path) -> None:
    body = prose(80)
    loose_body = edit(body, 80)
    assert jaccard(body, loose_body) < sim.LINK_SIMILARITY - 0.1
    with Archive(tmp_path / "a.db") as archive:
        archive.save(make_article("https://a.example/story", body))
        loose = archive.save(make_article("https://b.example/story", loose_body))
        assert link_of(archive, loose.article_id) == (None, None, None)
