"""`scraper export --format warc` read back by warcio, and `scraper verify` catching damage."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tests.archive_queries import cli, query
from tests.fixture_site import NewsSite, site_config


def crawl_twice(tmp_path: Path) -> Path:
    """Two runs, the second refetching every article (so its captures are revisits)."""
    with NewsSite(articles=5) as site:
        (tmp_path / "config.toml").write_text(
            site_config([("gazette", site)], refresh_after="0s"), encoding="utf-8")
        for _run in range(2):
            assert cli(tmp_path, "crawl").exit_code == 0
    return tmp_path / "archive.db"


def test_export_warc_round_trip(tmp_path: Path) -> None:
    db = crawl_twice(tmp_path)
    out = tmp_path / "picked.warc.gz"
    result = cli(tmp_path, "export", "--format", "warc", "--site", "gazette", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"exported 10 captures to {out}"
    kinds: list[str] = []
    pages: dict[str, set[bytes]] = {}
    with out.open("rb") as handle:
        for record in ArchiveIterator(handle, check_digests=True):
            body = record.content_stream().read()
            assert record.digest_checker.passed is not False, record.rec_headers
            kinds.append(record.rec_type)
            if record.rec_type == "response":
                pages.setdefault(record.rec_headers.get_header("WARC-Target-URI"),
                                 set()).add(body)
    assert kinds[0] == "warcinfo" and "revisit" not in kinds  # revisits resolved
    assert kinds.count("response") == 10 and kinds.count("request") == 10
    archived = {row[0] for row in query(db, "SELECT url FROM articles")}
    assert set(pages) == archived
    assert all(len(bodies) == 1 for bodies in pages.values())  # the same page, twice
    # the exported file is a WARC file like any other: importing it gives the same articles
    imported = cli(tmp_path, "import", str(out), db="copy.db")
    assert imported.exit_code == 0, imported.output
    assert "5 new, 0 updated, 5 unchanged" in imported.stderr
    assert query(tmp_path / "copy.db", "SELECT url, content_hash FROM articles ORDER BY url") \
        == query(db, "SELECT url, content_hash FROM articles ORDER BY url")
    nothing = cli(tmp_path, "export", "--format", "warc", "--site", "elsewhere", "--out",
                  str(tmp_path / "none.warc.gz"))
    assert nothing.exit_code == 0 and "exported 0 captures" in nothing.stderr


def test_verify_finds_a_flipped_byte_and_a_deleted_file(tmp_path: Path) -> None:
    db = crawl_twice(tmp_path)
    assert cli(tmp_path, "verify").exit_code == 0
    first, second = (tmp_path / "captures" / row[0] for row in query(
        db, "SELECT path FROM warc_files ORDER BY path"))
    (url, offset, length) = query(
        db, "SELECT url, offset, length FROM captures WHERE warc_file = ? AND article_id IS NOT"
            " NULL ORDER BY id LIMIT 1", (str(first.relative_to(tmp_path / "captures")),))[0]
    data = bytearray(first.read_bytes())
    data[offset + length // 2] ^= 0x01
    first.write_bytes(bytes(data))
    second.unlink()
    result = cli(tmp_path, "verify")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    flipped = [line for line in lines if f"offset {offset}:" in line]
    assert len(flipped) == 1 and url in flipped[0], lines
    assert any(line.startswith(str(second.relative_to(tmp_path / "captures")))
               and "file missing" in line for line in lines), lines
    assert len(lines) == 2
    assert result.stderr.strip().endswith(" 2 problems")
