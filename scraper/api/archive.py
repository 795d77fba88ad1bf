"""``Archive``: the archive file from Python, every command's reads and writes as methods.

A thin layer over :mod:`scraper.archive`: saving is ``archive.store.Archive.save`` (the
crawler's), reading is :mod:`scraper.archive.queries` (the CLI's ``search``, ``show``,
``history``, ``duplicates``, ``export``, ``stats``), so Python and the command line give the
same answers. Errors are ``ArchiveError`` (never a bare ``sqlite3`` error).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from scraper.api.capture_methods import ArchiveCaptures, config_of
from scraper.api.exports import ArchiveExports
from scraper.api.fetching import fetch_article
from scraper.api.serving import ArchiveServer
from scraper.archive import queries
from scraper.archive import store as _store
from scraper.archive.connection import check_archive_path
from scraper.archive.parquet import BATCH_SIZE, ParquetExport, write_parquet
from scraper.archive.queries import (
    ArticleDetail,
    DuplicateGroup,
    Filters,
    GroupBy,
    Revision,
    SearchHit,
    Stats,
)
from scraper.captures.recorder import open_recorder
from scraper.config import Config, site_fetch
from scraper.crawl.keep import save_page
from scraper.crawl.scope import site_for_url
from scraper.errors import ArchiveError, ExtractError, MissingExtra, ScraperError
from scraper.extract import extractor_version
from scraper.fetch.retry import OnRetry
from scraper.models import Article

if TYPE_CHECKING:
    import pandas

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Saved:
    """What :meth:`Archive.fetch` did: the article, how it was saved, under which site.

    >>> import scraper
    >>> saved = scraper.Saved(scraper.Article(url="https://news.example/a/"),
    ...                       scraper.SaveResult(1, "new", 1), site="news-example")
    >>> saved.result.status, saved.site
    ('new', 'news-example')
    """

    article: Article
    result: _store.SaveResult
    site: str | None = None
    """The configured site whose hosts include the URL's host, if any."""


class Archive(ArchiveCaptures, ArchiveExports):
    """The article archive in one SQLite file; made in a new or empty file (unless
    ``create`` is false: then a missing file is an ``ArchiveError``, as the CLI's readers
    have it), refused (with ``ArchiveError``) in a file holding another application's
    tables. Use it in a ``with`` block (or call :meth:`close`). The capture calls
    (``import_warc``, ``reextract``, ``verify``, ``captures``, ``page_html``) are in
    :mod:`scraper.api.capture_methods`, ``export`` and ``sites`` in :mod:`scraper.api.exports`.

    >>> import scraper, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "archive.db"
    >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
    ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
    >>> with scraper.Archive(path) as db:
    ...     db.save(scraper.extract(html, url="https://news.example/2024/05/02/tide-mill/"))
    ...     [hit.title for hit in db.search("flour")]
    SaveResult(article_id=1, status='new', revision=1)
    ['Tide mill reopens']
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        if not create:
            check_archive_path(path)
        self._store = _store.Archive(path)
        self.path = Path(path)
        """The archive file."""

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (a ``with`` block does it).

        >>> import scraper, tempfile, pathlib
        >>> db = scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db")
        >>> db.close()
        """
        self._store.close()

    def save(self, article: Article, *, site: str | None = None,
             requested_url: str | None = None, fetched_at: str | None = None) -> _store.SaveResult:
        """Archive ``article``, deduplicated as a crawl does it: the same article under any
        of its URLs, or the same body, is the same row; a changed body a new revision.
        ``site`` files it under a site name; ``requested_url`` is another URL it answers to.

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> art = scraper.extract(html, url="https://news.example/2024/05/02/tide-mill/")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     db.save(art, site="news-example")
        ...     db.save(art, site="news-example").status
        SaveResult(article_id=1, status='new', revision=1)
        'unchanged'
        """
        return self._store.save(article, site=site, requested_url=requested_url,
                                fetched_at=fetched_at, extractor_version=extractor_version())

    def save_many(self, articles: Iterable[Article], *,
                  site: str | None = None) -> list[_store.SaveResult]:
        """:meth:`save` of every article, in one transaction: all saved, or (on an error)
        none; much faster than one :meth:`save` each for a bulk load.

        >>> import scraper, tempfile, pathlib
        >>> page = "<html><body><article><h1>Mill, day {0}</h1><p>{1}</p></article>"
        >>> arts = [scraper.extract(page.format(n, f"Day {n} at the mill: flour. " * 30),
        ...                         url=f"https://news.example/2024/05/0{n}/mill/")
        ...         for n in (1, 2, 3)]
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     [result.status for result in db.save_many(arts, site="news-example")]
        ['new', 'new', 'new']
        """
        version = extractor_version()
        try:
            with self._store.db.atomic():
                return [self._store.save(article, site=site, extractor_version=version)
                        for article in articles]
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot save: {exc}", path=str(self.path)) from exc

    def fetch(self, url: str, *, config: Config | str | Path | None = None,
              any_page: bool = False,
              on_retry: OnRetry | None = None) -> Saved:
        """``scraper fetch URL --save``: fetch (``config.fetch`` settings, robots.txt obeyed
        unless ``respect_robots`` is false; ``config`` is a ``Config`` or the path of a
        config.toml, by default none: the defaults), extract, keep the page as a WARC capture
        (unless ``config.archive.capture`` is false) and save the article under the
        configured site whose hosts include the URL's host. From inside a running event
        loop (a notebook), ``await`` :meth:`afetch` instead.

        >>> import scraper, tempfile, pathlib
        >>> config = scraper.Config(fetch=scraper.FetchSettings(retries=0))
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     db.fetch("http://127.0.0.1:9/2024/05/02/tide-mill/", config=config)
        Traceback (most recent call last):
        scraper.errors.NetworkError: http://127.0.0.1:9/2024/05/02/tide-mill/: connection ...
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.afetch(url, config=config, any_page=any_page,
                                           on_retry=on_retry))
        raise ScraperError("Archive.fetch was called inside a running event loop:"
                           " use `await archive.afetch(url)` there")

    async def afetch(self, url: str, *, config: Config | str | Path | None = None,
                     any_page: bool = False, on_retry: OnRetry | None = None) -> Saved:
        """:meth:`fetch`, for code that already runs an event loop.

        >>> import asyncio, scraper, tempfile, pathlib
        >>> config = scraper.Config(fetch=scraper.FetchSettings(retries=0, respect_robots=False))
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     asyncio.run(db.afetch("http://127.0.0.1:9/a/", config=config))
        Traceback (most recent call last):
        scraper.errors.NetworkError: http://127.0.0.1:9/a/: connection ...
        """
        config = config_of(config)
        own = site_for_url(config.sites, url)  # its [sites.fetch] settings, render = true
        settings = site_fetch(config.fetch, own)
        recorder = open_recorder(self._store.db, self.path, config.archive, origin="fetch")
        try:
            page, article = await fetch_article(url, settings, any_page=any_page,
                                                recorder=recorder, on_retry=on_retry,
                                                render=own is not None and own.render)
        finally:
            if recorder is not None:
                recorder.close()
        if not article.body.strip():  # the crawler refuses these too
            raise ExtractError(f"{page.url}: no article text found on the page; not saved")
        site = site_for_url(config.sites, url) or site_for_url(config.sites, page.url)
        name = site.name if site else None
        result = save_page(self._store, page, article, site=name, requested_url=url)
        return Saved(article, result, name)

    def search(self, query: str, *, since: str | None = None, until: str | None = None,
               site: str | None = None, section: str | None = None, limit: int = 20,
               fts: bool = False, all_copies: bool = False,
               highlight: tuple[str, str] = queries.HIGHLIGHT) -> list[SearchHit]:
        """``scraper search``: full-text search over title, headings and body, best first.
        ``query`` is plain words (``-word`` leaves out, ``"a phrase"``, ``word*``), or FTS5
        syntax with ``fts``; ``since``/``until`` (``YYYY-MM-DD``) bound the publication date.
        The copies of one story are one hit unless ``all_copies``. Each hit's ``snippet``
        marks the matched words with ``highlight`` (``**`` before and after by default).

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"),
        ...                 site="news-example")
        ...     for hit in db.search("tide mill", since="2024-05-01", site="news-example"):
        ...         print(hit.title, hit.url, hit.published)
        ...     db.search("mill", since="2024-06-01")
        ...     db.search("flour", highlight=("[", "]"))[0].snippet.split()[6:8]
        Tide mill reopens https://news.example/2024/05/02/mill/ 2024-05-02
        []
        ['grinds', '[flour]']
        """
        filters = Filters(since=since, until=until, site=site, section=section)
        return self._read(lambda: queries.search(
            self._store.db, query, fts=fts, all_copies=all_copies, filters=filters, limit=limit,
            highlight=highlight))

    def get(self, url_or_id: str | int) -> ArticleDetail:
        """``scraper show``: one article by its id or any URL it was seen under: every
        field (``record``), its URLs, revisions, and copies; ``ArchiveError`` if none.

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> db = scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db")
        >>> _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        >>> detail = db.get("https://news.example/2024/05/02/mill/?utm_source=x")
        >>> detail.record["title"], detail.record["id"], len(detail.revisions)
        ('Tide mill reopens', 1, 1)
        >>> db.get(7)
        Traceback (most recent call last):
        scraper.errors.ArchiveError: no article with id 7
        >>> db.close()
        """
        return self._read(lambda: queries.article_detail(self._store.db, str(url_or_id)))

    def history(self, url_or_id: str | int) -> list[Revision]:
        """``scraper history``: every stored version of the article, oldest first.

        >>> import scraper, tempfile, pathlib
        >>> page = "<html><body><article><h1>Tide mill reopens</h1><p>{}</p></article>"
        >>> first = page.format("The tide mill on the estuary grinds flour again. " * 12)
        >>> second = page.format("The tide mill on the estuary grinds rye again. " * 12)
        >>> url = "https://news.example/2024/05/02/mill/"
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(first, url=url))
        ...     _ = db.save(scraper.extract(second, url=url))
        ...     [(rev.revision, rev.body.split()[7]) for rev in db.history(url)]
        [(1, 'flour'), (2, 'rye')]
        """
        def read() -> list[Revision]:
            article_id = queries.find_article(self._store.db, str(url_or_id))
            return queries.revisions(self._store.db, article_id)

        return self._read(read)

    def duplicates(self, threshold: float = 0.9) -> list[DuplicateGroup]:
        """``scraper duplicates``: groups of articles linked as copies of one story (a
        source link, or bodies at least ``threshold`` alike), largest first; each group's
        original first.

        >>> import scraper, tempfile, pathlib
        >>> text = " ".join(f"The mill ground {n} sacks of flour on day {n}." for n in range(30))
        >>> page = "<html><body><article><h1>Tide mill reopens</h1><p>{}</p></article>"
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(page.format(text), url="https://a.example/mill/"))
        ...     _ = db.save(scraper.extract(page.format(text + " (Agencies)"),
        ...                                 url="https://b.example/mill/"))
        ...     [[m.url for m in group.members] for group in db.duplicates(threshold=0.8)]
        [['https://a.example/mill/', 'https://b.example/mill/']]
        """
        return self._read(lambda: queries.duplicate_groups(self._store.db, threshold=threshold))

    def records(self, *, since: str | None = None, until: str | None = None,
                site: str | None = None, section: str | None = None) -> Iterator[dict[str, Any]]:
        """``scraper export --format jsonl``: every matching article as a dict (list fields
        as lists), streamed one at a time in id order.

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     [(r["id"], r["title"], r["headings"]) for r in db.records(since="2024-05-01")]
        [(1, 'Tide mill reopens', [])]
        """
        filters = Filters(since=since, until=until, site=site, section=section)
        rows = queries.export_rows(self._store.db, filters=filters)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except sqlite3.Error as exc:
                raise ArchiveError(f"cannot read articles: {exc}", path=str(self.path)) from exc
            yield row

    def stats(self, by: GroupBy = "site", *, last_runs: int = 5) -> Stats:
        """``scraper stats``: counts for the archive and per ``by`` (day, site, section),
        with the ``last_runs`` last crawl runs and their most frequent failures.

        >>> import scraper, tempfile, pathlib
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     db.stats(by="day", last_runs=2).articles
        0
        """
        return self._read(lambda: queries.stats(self._store.db, by=by, last_runs=last_runs))

    def to_pandas(self, sql: str, params: Sequence[Any] = ()) -> pandas.DataFrame:
        """The rows of ``sql`` (a query on the archive's tables and views, docs/schema.md) as
        a pandas DataFrame; needs the ``pandas`` extra (``MissingExtra`` otherwise).

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     frame = db.to_pandas("SELECT title, word_count FROM article_latest")
        >>> frame.to_dict("records")
        [{'title': 'Tide mill reopens', 'word_count': 108}]
        """
        try:
            import pandas
        except ImportError as exc:
            raise MissingExtra("Archive.to_pandas", "pandas", "pandas") from exc
        try:
            return pandas.read_sql_query(sql, self._store.db.conn, params=list(params))
        except (sqlite3.Error, pandas.errors.DatabaseError) as exc:
            raise ArchiveError(f"query failed: {exc}", path=str(self.path)) from exc

    def export_parquet(self, out_dir: str | Path, *, since: str | None = None,
                       until: str | None = None, site: str | None = None,
                       section: str | None = None, batch_size: int = BATCH_SIZE) -> ParquetExport:
        """``scraper export --format parquet``: the matching articles as one Parquet dataset
        in ``out_dir`` (new or empty), partitioned by publication day
        (``published_day=YYYY-MM-DD/``, Hive style), columns typed (timestamps,
        ``list<string>``), written ``batch_size`` rows at a time so memory stays flat. Needs
        the ``parquet`` extra (pyarrow; ``MissingExtra`` otherwise).

        >>> import scraper, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(folder / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     done = db.export_parquet(folder / "articles")
        >>> done.rows, [p.parent.name for p in done.files]
        (1, ['published_day=2024-05-02'])
        >>> import pyarrow.dataset
        >>> table = pyarrow.dataset.dataset(folder / "articles", partitioning="hive").to_table()
        >>> table.num_rows, str(table.schema.field("published").type)
        (1, 'timestamp[us, tz=UTC]')
        """
        filters = Filters(since=since, until=until, site=site, section=section)
        return self._read(lambda: write_parquet(self._store.db, out_dir, filters=filters,
                                                batch_size=batch_size))

    def serve(self, *, host: str = "127.0.0.1", port: int = 8001, log_level: str = "warning",
              background: bool = True) -> ArchiveServer:
        """``scraper serve``: browse and search the archive in Datasette (needs the
        ``serve`` extra; ``MissingExtra`` otherwise). By default in a background thread,
        returned once listening: open its ``url``, ``stop()`` it (or use a ``with``
        block). ``background=False`` serves here until Ctrl-C, as the command does.
        ``port=0`` takes a free port; ``host="0.0.0.0"`` exposes the archive to the
        network. ``log_level`` is uvicorn's (``"info"`` logs every request).

        >>> import scraper, tempfile, pathlib, urllib.request, json
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "news.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     with db.serve(port=0) as server:
        ...         with urllib.request.urlopen(server.url + "news/search.json?"
        ...                                     "words=flour&_shape=array") as answer:
        ...             [row["title"] for row in json.load(answer)]
        ['Tide mill reopens']
        """
        server = ArchiveServer(self.path, host=host, port=port, log_level=log_level)
        if not background:
            server.run()
            return server
        return server.start()

    def _read(self, read: Callable[[], T]) -> T:
        """``read()``, a sqlite3 error on the way an ``ArchiveError`` naming the file."""
        try:
            return read()
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot read: {exc}", path=str(self.path)) from exc
