"""Parquet export: a 10,000-article archive round-trips through pyarrow, DuckDB and pandas
(rows, types, partitions); the CLI's ``export --format parquet`` and its errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import scraper
from scraper.cli import main
from tests.generated_articles import SITES, day_counts, generated

pa = pytest.importorskip("pyarrow")
ds = pytest.importorskip("pyarrow.dataset")
duckdb = pytest.importorskip("duckdb")
pd = pytest.importorskip("pandas")

COUNT = 10_000
NULL_DAY = "published_day=unknown"


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("parquet") / "archive.db"
    articles = list(generated(COUNT))
    with scraper.Archive(path) as db:
        for site in SITES:
            db.save_many((a for a, s in articles if s == site), site=site)
    yield path


@pytest.fixture(scope="module")
def exported(big_archive: Path) -> scraper.ParquetExport:
    with scraper.Archive(big_archive) as db:
        return db.export_parquet(big_archive.parent / "dataset", batch_size=1_000)


def _dataset(folder: Path) -> object:
    return ds.dataset(folder, format="parquet", partitioning="hive")


def test_every_article_in_its_day_partition(big_archive: Path,
                                            exported: scraper.ParquetExport) -> None:
    expected = day_counts(COUNT)
    assert exported.rows == COUNT
    names = [path.parent.name for path in exported.files]
    assert names == [f"published_day={day}" for day in sorted(d for d in expected if d)] + [
        NULL_DAY]
    folder = big_archive.parent / "dataset"
    for path in exported.files:
        day = path.parent.name.split("=", 1)[1]
        rows = pa.parquet.ParquetFile(path).metadata.num_rows
        assert rows == expected[None if day == "unknown" else day], day
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_pyarrow_reads_typed_columns(big_archive: Path, exported: scraper.ParquetExport) -> None:
    table = _dataset(big_archive.parent / "dataset").to_table()  # type: ignore[attr-defined]
    assert table.num_rows == COUNT
    schema = table.schema
    assert schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert schema.field("first_seen").type == pa.timestamp("us", tz="UTC")
    for name in ("authors", "tags", "headings"):
        assert schema.field(name).type == pa.list_(pa.string()), name
    assert schema.field("id").type == pa.int64()
    assert schema.field("paywalled").type == pa.bool_()
    assert schema.field("published_day").type == pa.string()
    rows = {row["url"]: row for row in table.to_pylist()}
    story = rows["https://valley-post.example/story-1/"]
    # +02:00 on the page, stored in UTC; the partition is the site's own day
    assert story["published"].isoformat() == "2024-01-01T23:15:00+00:00"
    assert str(story["published_day"]) == "2024-01-02"
    assert story["authors"] == ["Ann Lee", "Writer 1"] and story["tags"] == ["harbour"]
    undated = rows["https://harbour-times.example/story-0/"]
    assert undated["published"] is None and undated["published_day"] == "unknown"
    # batches of 1,000 rows: no row group is larger
    assert max(pa.parquet.ParquetFile(p).metadata.row_group(i).num_rows
               for p in exported.files
               for i in range(pa.parquet.ParquetFile(p).num_row_groups)) <= 1_000


def test_duckdb_and_pandas_read_it_back(big_archive: Path,
                                        exported: scraper.ParquetExport) -> None:
    glob = str(big_archive.parent / "dataset" / "**" / "*.parquet")
    con = duckdb.connect()
    total, days, undated = con.execute(
        "SELECT count(*), count(DISTINCT TRY_CAST(published_day AS DATE)),"
        " count(*) FILTER (published_day = 'unknown')"
        " FROM read_parquet(?, hive_partitioning = true)", [glob]).fetchone()
    expected = day_counts(COUNT)
    assert (total, days, undated) == (COUNT, len(expected) - 1, expected[None])
    kinds = dict(con.execute(
        "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM"
        " read_parquet(?, hive_partitioning = true))", [glob]).fetchall())
    assert kinds["published"] == "TIMESTAMP WITH TIME ZONE"
    assert kinds["authors"] == "VARCHAR[]" and kinds["word_count"] == "BIGINT"
    frame = pd.read_parquet(big_archive.parent / "dataset")
    assert len(frame) == COUNT and set(frame["site"]) == set(SITES)
    assert str(frame["published"].dtype) == "datetime64[us, UTC]"
    assert (frame["published_day"] == "unknown").sum() == expected[None]


def test_cli_export_parquet_with_filters(big_archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "since"
    result = CliRunner().invoke(main, ["export", "--db", str(big_archive), "--format",
                                       "parquet", "--since", "2024-04-01", "--site",
                                       "valley-post", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = _dataset(out).to_table()  # type: ignore[attr-defined]
    with scraper.Archive(big_archive) as db:
        wanted = sum(1 for _ in db.records(since="2024-04-01", site="valley-post"))
    assert table.num_rows == wanted > 0
    assert set(table.column("site").to_pylist()) == {"valley-post"}
    assert result.stderr.startswith(f"exported {wanted} articles to {out}")
    # a folder that is not empty is refused, and left as it was
    again = CliRunner().invoke(main, ["export", "--db", str(big_archive), "--format", "parquet",
                                      "--out", str(out)])
    assert again.exit_code == 1 and "not an empty folder" in again.stderr


def test_cli_export_parquet_needs_out(big_archive: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(big_archive), "--format",
                                       "parquet"])
    assert result.exit_code == 2 and "--out" in result.stderr


def test_without_pyarrow_one_line_names_the_extra(big_archive: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    result = CliRunner().invoke(main, ["export", "--db", str(big_archive), "--format",
                                       "parquet", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert result.stderr == ("Error: Parquet export needs pyarrow, which is not installed:"
                             " pip install 'scraper[parquet]'\n")
    assert not (tmp_path / "x").exists()
    with scraper.Archive(big_archive) as db, pytest.raises(scraper.MissingExtra):
        db.export_parquet(tmp_path / "y")
