"""What the extraction workers (:class:`scraper.crawl.pool.Extractors`) run for ``reextract``
and ``import``: decode the page, extract, sketch the body. A ``reextract`` worker reads the
kept record itself, which keeps the single writer process free for saving; an ``import``
worker is given the payload and HTTP headers of a record the importer has parsed already (to
filter it), not the record to parse again."""

from __future__ import annotations

from pathlib import Path

from scraper.archive.known_bodies import body_archived
from scraper.archive.similarity import Sketch
from scraper.captures.reader import Headers, parse_record, payload_text, read_member
from scraper.errors import ExtractError, ScraperError
from scraper.extract import extract_article
from scraper.models import Article, Hints

QUEUED_PER_WORKER = 24
"""Jobs kept in flight per extraction worker by ``import`` and ``reextract``. Results are
saved in submission order, and page costs are heavy-tailed (5 ms to 500 ms on real pages):
while a slow page at the head is awaited no new job is handed out, so the others must hold
enough work meanwhile. With eight per worker (about 0.25 s of work on two cores) the cores
sat idle for a moment every few seconds of a 10,000-page import (busy 96.4 % of the run);
with 24 (about 0.7 s) 98.7 %. The cost is the records held: ~0.5 MB each for an import."""


def extract_payload(payload: bytes, http_headers: Headers, status: int | None, url: str,
                    hints: Hints | None, cap: int,
                    archive: str | None = None) -> tuple[Article, Sketch | None]:
    """A record's payload (de-chunked, maybe content-encoded) and HTTP headers, as the
    importer parsed them -> the article and its body's MinHash; no MinHash (None) when the
    archive at ``archive`` already holds the body (an import of pages archived before, or of
    copies under other URLs: the save is ``unchanged``)."""
    article = _page(payload, http_headers, status, url, hints, cap)
    if archive is not None and body_archived(archive, article.content_hash):
        return article, None
    return article, Sketch.of(article.body)


def extract_stored(path: str, offset: int, length: int, url: str, hints: Hints | None,
                   cap: int, known_body: str | None = None) -> tuple[Article, Sketch | None]:
    """The record at ``offset`` of the WARC file ``path`` -> article and MinHash; no MinHash
    (None) when the body's hash is ``known_body``, the one the archive holds: a re-reading
    that leaves the body as it was needs no new sketch (about 1 ms a page, on most of a
    ``reextract``'s pages)."""
    article = read_stored(path, offset, length, url, hints, cap)
    if known_body is not None and article.content_hash == known_body:
        return article, None
    return article, Sketch.of(article.body)


def read_stored(path: str, offset: int, length: int, url: str, hints: Hints | None,
                cap: int) -> Article:
    """The record at ``offset`` of the WARC file ``path`` -> the article alone."""
    try:
        record = parse_record(read_member(Path(path), offset, length))  # read and inflated
    except ScraperError as exc:  # a capture that cannot be read: a reason, picklable
        raise ExtractError(str(exc)) from None
    return _page(record.payload, record.http_headers, record.status, url, hints, cap)


def _page(payload: bytes, http_headers: Headers, status: int | None, url: str,
          hints: Hints | None, cap: int) -> Article:
    try:
        html, _codec = payload_text(payload, http_headers, cap, url)
        # the answer's status and headers too: a kept challenge page is known as one
        return extract_article(html, url, hints=hints, status=status, headers=http_headers)
    except ExtractError:
        raise
    except ScraperError as exc:  # a payload that cannot be decoded: a reason, picklable
        raise ExtractError(str(exc)) from None
    except Exception as exc:  # an extractor bug on one page must not end the run
        raise ExtractError(f"extractor failed: {type(exc).__name__}: {exc}") from None
