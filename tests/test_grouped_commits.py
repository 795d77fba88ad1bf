"""Grouped commits on a real archive file: another connection sees the saves only when a
group is committed (full, or old); a save that fails inside a group loses only itself; a
run that ends on an exception keeps the saves it finished."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from scraper.archive import Archive
from scraper.archive.grouped_commits import GroupedCommits
from scraper.errors import ArchiveError
from scraper.models import Article


def article(number: int) -> Article:
    body = f"Story {number} tells of the harbour wall and the storm that broke it. " * 8
    return Article(url=f"https://coast.example/2024/05/story-{number}/", title=f"Story {number}",
                   body=body, word_count=len(body.split()))


def seen_by_another_connection(db: Path) -> int:
    with sqlite3.connect(db) as other:
        return int(other.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_saves_are_committed_a_group_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with Archive(db) as archive, GroupedCommits(archive.db, every=3, seconds=60) as commits:
        for number in range(5):
            archive.save(article(number))
            commits.done()
            assert seen_by_another_connection(db) == (3 if number >= 2 else 0)
    assert seen_by_another_connection(db) == 5


def test_an_old_group_is_committed_before_it_is_full(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with Archive(db) as archive, GroupedCommits(archive.db, every=100, seconds=0.2) as commits:
        archive.save(article(1))
        commits.done()
        assert seen_by_another_connection(db) == 0
        time.sleep(0.25)
        archive.save(article(2))
        commits.done()
        assert seen_by_another_connection(db) == 2


def test_a_failed_save_loses_only_itself_and_an_error_keeps_the_finished_saves(
        tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        archive.db.execute("CREATE TRIGGER no_sevens BEFORE INSERT ON articles"
                           " WHEN new.title = 'Story 7' BEGIN SELECT RAISE(ABORT, 'no'); END")
        with pytest.raises(KeyboardInterrupt), GroupedCommits(archive.db, every=100) as commits:
            for number in (5, 6, 7, 8):
                try:
                    archive.save(article(number))
                except ArchiveError:
                    continue
                commits.done()
            raise KeyboardInterrupt
    with sqlite3.connect(db) as con:
        titles = [title for (title,) in con.execute("SELECT title FROM articles ORDER BY id")]
        urls = con.execute("SELECT count(*) FROM article_urls").fetchone()[0]
    assert titles == ["Story 5", "Story 6", "Story 8"]
    assert urls == 3
