"""An import's workers skip the MinHash of a body the archive already holds
(``scraper.archive.known_bodies``), and no article is left without its sketch for it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scraper.archive import Archive
from scraper.archive.known_bodies import body_archived
from scraper.archive.similarity import Sketch
from scraper.captures.jobs import extract_payload
from scraper.captures.reader import WarcRecord, parse_record
from scraper.extract import extract_article
from scraper.models import Article
from tests.archive_queries import query
from tests.test_captures_import import run
from tests.warc_fixtures import HOST, WarcBuilder, article_page


def test_a_body_is_known_once_its_save_is_committed(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    url = f"{HOST}/2024/05/known/"
    article = extract_article(article_page(1, url), url)
    other = extract_article(article_page(2, url), url)
    with Archive(db) as archive:
        assert not body_archived(str(db), article.content_hash)
        with archive.db.atomic():  # saved, not yet committed: another reader cannot see it
            archive.save(article)
            assert not body_archived(str(db), article.content_hash)
        assert body_archived(str(db), article.content_hash)
        assert not body_archived(str(db), other.content_hash)
        assert not body_archived(str(db), "")
    assert not body_archived(str(tmp_path / "nowhere.db"), article.content_hash)


def test_the_import_job_sketches_only_a_body_the_archive_lacks(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    warc = WarcBuilder()
    urls = [f"{HOST}/2024/05/job-{i}/" for i in range(2)]
    for index, url in enumerate(urls):
        warc.response(url, article_page(index, url).encode(), request=False)
    records = [parse_record(record) for record in warc.records]
    with Archive(db) as archive:
        archive.save(extract_article(article_page(0, urls[0]), urls[0]))

    def job(record: WarcRecord) -> tuple[Article, Sketch | None]:
        return extract_payload(record.payload, record.http_headers, record.status, record.url,
                               None, 10**7, str(db))

    known, no_sketch = job(records[0])
    assert no_sketch is None
    assert known.content_hash == extract_article(article_page(0, urls[0]), urls[0]).content_hash
    new, sketch = job(records[1])
    expected = Sketch.of(new.body).signature
    assert sketch is not None and sketch.signature is not None and expected is not None
    assert np.array_equal(sketch.signature, expected)


def test_reimports_and_copies_keep_every_article_sketched(tmp_path: Path) -> None:
    """A second file: a copy of an archived page under a new URL (unchanged, no sketch made),
    a changed page (sketched in the worker), and a page whose URL is one article while its
    body is another's (known, so not sketched by the worker: the save makes it)."""
    first, second = WarcBuilder(), WarcBuilder()
    urls = [f"{HOST}/2024/05/story-{i}/" for i in range(3)]
    for index, url in enumerate(urls):
        first.response(url, article_page(index + 30, url).encode())
    copy = f"{HOST}/2024/05/copy-of-0/"
    second.response(copy, article_page(30, copy).encode())
    second.response(urls[1], article_page(40, urls[1]).encode())
    second.response(urls[2], article_page(30, urls[2]).encode())
    (tmp_path / "one.warc.gz").write_bytes(first.file("gzip-record"))
    (tmp_path / "two.warc.gz").write_bytes(second.file("gzip-record"))
    assert run(tmp_path, "import", str(tmp_path / "one.warc.gz")).exit_code == 0
    result = run(tmp_path, "import", str(tmp_path / "two.warc.gz"))
    assert result.exit_code == 0, result.output
    assert "0 new, 2 updated, 1 unchanged" in result.stderr
    db = tmp_path / "archive.db"
    bodies = dict(query(db, "SELECT id, body FROM articles"))
    assert len(bodies) == 3
    stored = dict(query(db, "SELECT article_id, signature FROM article_minhash"))
    assert stored.keys() == bodies.keys()
    for article_id, body in bodies.items():
        expected = Sketch.of(body).signature
        assert expected is not None
        assert np.frombuffer(stored[article_id], dtype=np.uint32).tolist() == expected.tolist()
    # the third URL now holds the first's body: linked by the sketch the save made
    assert query(db, "SELECT duplicate_of, duplicate_similarity, duplicate_method FROM articles"
                     " WHERE url = ?", (urls[2],)) == [(1, 1.0, "minhash")]
