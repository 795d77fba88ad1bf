"""One article: every field, the URLs it was seen under, its revisions, copies and diffs."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from scraper.archive.lookup import find_article
from scraper.archive.queries.export import EXPORT_COLUMNS, article_record

if TYPE_CHECKING:
    from scraper.extract.blocks import Block

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True, slots=True)
class ArticleUrl:
    url: str
    url_key: str
    first_seen: str


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored version of an article (``scraper history``, ``Archive.history``): when it
    was fetched, its fields, its plain ``body``, and its structured body (``blocks``, with
    ``to_markdown()`` and ``body_html`` as on an ``Article``).

    >>> import scraper, tempfile, pathlib
    >>> page = ("<html><body><article><h1>Tide mill reopens</h1><p>{}</p>"
    ...         "<h2>What next</h2><ul><li>Flour</li><li>Bread</li></ul></article>")
    >>> url = "https://news.example/2024/05/02/mill/"
    >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
    ...     _ = db.save(scraper.extract(page.format("The mill grinds flour. " * 20), url=url))
    ...     _ = db.save(scraper.extract(page.format("The mill grinds rye. " * 20), url=url))
    ...     first, second = db.history(url)
    >>> first.revision, second.revision, [type(b).__name__ for b in second.blocks]
    (1, 2, ['Paragraph', 'Heading', 'ListBlock'])
    >>> print(second.to_markdown().split("\\n\\n", 1)[1])
    ## What next
    <BLANKLINE>
    - Flour
    - Bread
    >>> second.body_html.split("\\n")[1:]
    ['<h2>What next</h2>', '<ul><li>Flour</li><li>Bread</li></ul>']
    """

    revision: int
    fetched_at: str
    content_hash: str
    title: str | None
    published: str | None
    modified: str | None
    word_count: int
    body: str
    headings: tuple[str, ...] = ()
    stored_blocks: str | None = field(default=None, repr=False)
    """The version's blocks as the archive stores them (JSON, docs/schema.md)."""

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The version's body as typed blocks (``scraper/extract/blocks.py``), as
        ``Article.blocks``; from its plain body and headings when none were stored."""
        from scraper.body_formats import blocks_from_json, blocks_from_text

        return blocks_from_json(self.stored_blocks) or blocks_from_text(self.body,
                                                                         self.headings)

    def to_markdown(self, *, links: bool = False) -> str:
        """The version's body as Markdown, as ``Article.to_markdown()`` (``links=True``:
        its inline links as ``[text](url)``).

        >>> import scraper
        >>> revision = scraper.Revision(1, "2024-05-02T10:00:00+00:00", "abc", "Mill", None,
        ...                             None, 3, "Calm seas.\\n\\nOutlook", headings=("Outlook",))
        >>> print(revision.to_markdown())
        Calm seas.
        <BLANKLINE>
        ## Outlook
        """
        from scraper.body_formats import to_markdown

        return to_markdown(self.blocks, links=links)

    def to_html(self, *, links: bool = False) -> str:
        """The version's body as sanitised HTML, as ``Article.to_html()`` (``links=True``:
        its inline links as ``<a href>``).

        >>> import scraper
        >>> scraper.Revision(1, "2024-05-02T10:00:00+00:00", "abc", "Mill", None, None, 3,
        ...                  "Calm seas.").to_html()
        '<p>Calm seas.</p>'
        """
        from scraper.body_formats import body_html

        return body_html(self.blocks, links=links)

    @property
    def body_html(self) -> str:
        """The version's body as sanitised HTML, as ``Article.body_html``."""
        return self.to_html()

    def diff(self, newer: Revision, *, context: int = 3) -> list[str]:
        """``scraper history --diff``: the unified diff (lines without newlines) from this
        version to ``newer``: the title, then the body a sentence a line.

        >>> import scraper
        >>> old = scraper.Revision(1, "2024-05-01", "a", "Mill", None, None, 4, "It grinds flour.")
        >>> new = scraper.Revision(2, "2024-05-02", "b", "Mill", None, None, 4, "It grinds rye.")
        >>> old.diff(new)[2:]
        ['@@ -1,2 +1,2 @@', ' # Mill', '-It grinds flour.', '+It grinds rye.']
        """
        return revision_diff(self, newer, context=context)


@dataclass(frozen=True, slots=True)
class Link:
    """Another article on the other end of a duplicate link."""

    id: int
    site: str | None
    title: str | None
    url: str
    similarity: float | None
    method: str | None


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """One article as ``scraper show`` gives it (``Archive.get``): every field
    (``record``), the URLs it was seen under, its revisions, the article it copies and its
    copies, the latest body's stored ``blocks``.

    >>> import scraper, tempfile, pathlib
    >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
    ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
    >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
    ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
    ...     detail = db.get(1)
    >>> detail.record["title"], [u.url for u in detail.urls], detail.original
    ('Tide mill reopens', ['https://news.example/2024/05/02/mill/'], None)
    """

    record: dict[str, Any]
    """Every column of the article's row (list fields decoded), keys as in EXPORT_COLUMNS."""
    urls: list[ArticleUrl]
    revisions: list[Revision]
    original: Link | None
    """The article this one copies, if any."""
    copies: list[Link] = field(default_factory=list)
    """Articles recorded as copies of this one."""
    blocks: str | None = None
    """The latest body's blocks as stored (JSON, ``scraper/archive/body_blocks.py``; read
    them with ``scraper.body_formats.blocks_from_json``); None in an archive without them."""

    def to_markdown(self, *, links: bool = False) -> str:
        """The latest body as Markdown (``scraper show --format markdown``), rendered from
        its stored blocks as ``Article.to_markdown()`` (``links=True``: with its inline
        links, ``--links``).

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The mill grinds flour. " * 20 + "</p><h2>What next</h2>"
        ...         "<ul><li>Flour</li><li>Bread</li></ul></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     detail = db.get(1)
        >>> detail.to_markdown().splitlines()[-4:]
        ['## What next', '', '- Flour', '- Bread']
        >>> detail.body_html.splitlines()[-1]
        '<ul><li>Flour</li><li>Bread</li></ul>'
        """
        from scraper.body_formats import to_markdown

        return to_markdown(self._blocks(), links=links)

    def to_html(self, *, links: bool = False) -> str:
        """The latest body as sanitised HTML (``scraper show --format html``), as
        ``Article.to_html()`` (``links=True``: with its inline links, ``--links``).

        >>> import scraper
        >>> scraper.ArticleDetail(record={"body": "Calm seas.", "headings": []}, urls=[],
        ...                       revisions=[], original=None).to_html()
        '<p>Calm seas.</p>'
        """
        from scraper.body_formats import body_html

        return body_html(self._blocks(), links=links)

    @property
    def body_html(self) -> str:
        """The latest body as sanitised HTML, as ``Article.body_html``."""
        return self.to_html()

    def _blocks(self) -> tuple[Block, ...]:
        from scraper.body_formats import blocks_from_json, blocks_from_text

        return blocks_from_json(self.blocks) or blocks_from_text(
            self.record["body"] or "", self.record["headings"] or ())

    def to_dict(self) -> dict[str, Any]:
        """What ``scraper show --format json`` prints: the record, with its URLs, revisions
        and the ids of its copies.

        >>> import scraper, tempfile, pathlib
        >>> html = ("<html><body><article><h1>Tide mill reopens</h1><p>"
        ...         + "The tide mill on the estuary grinds flour again. " * 12 + "</p></article>")
        >>> with scraper.Archive(pathlib.Path(tempfile.mkdtemp()) / "archive.db") as db:
        ...     _ = db.save(scraper.extract(html, url="https://news.example/2024/05/02/mill/"))
        ...     shown = db.get(1).to_dict()
        >>> shown["urls"], [r["revision"] for r in shown["revisions"]], shown["copies"]
        (['https://news.example/2024/05/02/mill/'], [1], [])
        """
        return {
            **self.record,
            "urls": [u.url for u in self.urls],
            "revisions": [
                {"revision": r.revision, "fetched_at": r.fetched_at,
                 "content_hash": r.content_hash, "title": r.title, "word_count": r.word_count}
                for r in self.revisions
            ],
            "copies": [c.id for c in self.copies],
        }


def revisions(db: Database, article_id: int) -> list[Revision]:
    """Every stored version of the article, oldest first."""
    rows = db.execute(
        "SELECT revision, fetched_at, content_hash, title, published, modified, word_count,"
        " body, headings, blocks FROM revisions WHERE article_id = ? ORDER BY revision",
        [article_id],
    ).fetchall()
    return [Revision(revision, fetched_at, content_hash, title, published, modified, words,
                     body, headings=_headings(headings), stored_blocks=blocks)
            for (revision, fetched_at, content_hash, title, published, modified, words, body,
                 headings, blocks) in rows]


def _headings(stored: str | None) -> tuple[str, ...]:
    """A revision's ``headings`` column (a JSON list) as a tuple."""
    value = json.loads(stored) if stored else []
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def article_detail(db: Database, url_or_id: str) -> ArticleDetail:
    article_id = find_article(db, url_or_id)
    columns = ", ".join(EXPORT_COLUMNS)
    row = db.execute(f"SELECT {columns} FROM articles WHERE id = ?", [article_id]).fetchone()
    urls = [
        ArticleUrl(*r) for r in db.execute(
            "SELECT url, url_key, first_seen FROM article_urls WHERE article_id = ?"
            " ORDER BY first_seen, url", [article_id],
        )
    ]
    original = db.execute(
        "SELECT o.id, o.site, o.title, o.url, c.duplicate_similarity, c.duplicate_method"
        " FROM articles c JOIN articles o ON o.id = c.duplicate_of WHERE c.id = ?", [article_id],
    ).fetchone()
    copies = [
        Link(*r) for r in db.execute(
            "SELECT id, site, title, url, duplicate_similarity, duplicate_method FROM articles"
            " WHERE duplicate_of = ? ORDER BY id", [article_id],
        )
    ]
    (blocks,) = db.execute("SELECT blocks FROM articles WHERE id = ?", [article_id]).fetchone()
    return ArticleDetail(
        record=article_record(row), urls=urls, revisions=revisions(db, article_id),
        original=Link(*original) if original else None, copies=copies, blocks=blocks,
    )


def _diff_lines(revision: Revision) -> list[str]:
    """Title, then the body one sentence a line (a one-word edit shows as one short line)."""
    lines = [f"# {revision.title or ''}"]
    for paragraph in revision.body.splitlines():
        lines += [s for s in _SENTENCE_END.split(paragraph.strip()) if s] or [""]
    return lines


def revision_diff(old: Revision, new: Revision, *, context: int = 3) -> list[str]:
    """Unified diff (lines without newlines) from one revision to the next: title, then body."""
    before = _diff_lines(old)
    after = _diff_lines(new)
    return list(difflib.unified_diff(
        before, after, n=context, lineterm="",
        fromfile=f"revision {old.revision} ({old.fetched_at})",
        tofile=f"revision {new.revision} ({new.fetched_at})",
    ))
