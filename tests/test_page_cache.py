"""An import and a re-extraction hold SQLite's page cache small while they run (their memory
stays flat however many pages they read), and give the archive its own back after."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.archive import Archive
from scraper.archive.connection import BULK_CACHE_KIB, CACHE_KIB, page_cache
from scraper.captures.filters import ImportFilters
from scraper.captures.imports import import_warcs
from scraper.captures.reextract import reextract
from scraper.captures.warcfiles import WarcFiles
from scraper.crawl.pool import PoolSettings
from tests.warc_fixtures import HOST, WarcBuilder, article_page


def cache_kib(archive: Archive) -> int:
    return -int(archive.db.execute("PRAGMA cache_size").fetchone()[0])


def test_the_cache_is_set_back_even_when_the_job_fails(tmp_path: Path) -> None:
    with Archive(tmp_path / "archive.db") as archive:
        assert cache_kib(archive) == CACHE_KIB
        with pytest.raises(RuntimeError), page_cache(archive.db, 1_024):
            assert cache_kib(archive) == 1_024
            raise RuntimeError("the job failed")
        assert cache_kib(archive) == CACHE_KIB


def test_import_and_reextract_run_with_the_bulk_cache(tmp_path: Path) -> None:
    warc = WarcBuilder()
    for index in range(3):
        url = f"{HOST}/2024/06/cache-{index}/"
        warc.response(url, article_page(index + 50, url).encode())
    source = tmp_path / "pages.warc.gz"
    source.write_bytes(warc.file("gzip-record"))
    seen: list[int] = []
    with Archive(tmp_path / "archive.db") as archive:
        copies = WarcFiles(archive.db, tmp_path / "captures", run="test", origin="import",
                           max_bytes=10**9)
        report = import_warcs(archive, [source], filters=ImportFilters(), copies=copies,
                              pool=PoolSettings(workers=1),
                              progress=lambda *_args: seen.append(cache_kib(archive)))
        assert report.new == 3
        assert seen and set(seen) == {BULK_CACHE_KIB}
        assert cache_kib(archive) == CACHE_KIB
        seen.clear()
        again = reextract(archive, tmp_path / "captures", version="next", pool=PoolSettings(
            workers=1), progress=lambda *_args: seen.append(cache_kib(archive)))
        assert again.total == 3
        assert seen and set(seen) == {BULK_CACHE_KIB}
        assert cache_kib(archive) == CACHE_KIB
