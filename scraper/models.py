"""The typed records that flow through the pipeline. Imports nothing of ours.

``Page`` is what the fetcher hands on; ``Article`` is what the extractor makes of it.
``Article.to_dict()`` is the public JSON record (the contract analysts rely on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the block types import this module; only their names are needed here
    from scraper.extract.blocks import Block

ListingKind = Literal["feed", "sitemap", "page"]
"""Where a candidate URL was found: a feed, a (news) sitemap or a section page."""
PageType = Literal["article", "listing", "other"]
"""What an extracted page is: an article, a listing of articles (home, section, tag, search
page), or neither (no article text)."""

BodySource = Literal["lexbor", "trafilatura", "container", "paragraphs"]
"""Which reading the body comes from: ``lexbor``, the fast reader on a clear content
container; ``trafilatura``, trafilatura's reading of the container (or of the page);
``container``, trafilatura's reading filled in with the container's own blocks, when it kept
only a sliver of it; ``paragraphs``, the page's paragraphs, when trafilatura kept nothing."""


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched (or read-from-disk) HTML page, already decoded to text."""

    url: str
    """The final URL, after redirects."""
    html: str
    requested_url: str = ""
    status: int = 200
    encoding: str = "utf-8"
    content_type: str = "text/html"
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    """ISO 8601 UTC timestamp of the fetch, None for a page read from a file."""
    capture: int | None = None
    """The kept capture of the answer (a ``captures`` row id), when the fetch was recorded."""
    headers: tuple[tuple[str, str], ...] = ()
    """The answer's headers as received (walls are recognised by some of them)."""


@dataclass(frozen=True, slots=True)
class Hints:
    """What a listing said about a page before it was fetched (feed entry, news sitemap).

    The extractor uses them only for fields the page itself does not give."""

    title: str | None = None
    published: str | None = None
    source: ListingKind = "feed"


@dataclass(frozen=True, slots=True)
class Article:
    """The article record extracted from one page (``scraper.extract``, ``scraper.fetch``);
``to_dict()`` is the JSON record, ``to_markdown()`` and ``body_html`` the structured body.

    >>> import scraper
    >>> art = scraper.Article(url="https://news.example/a/", title="Tide mill reopens",
    ...                       body="The mill grinds flour.", word_count=4)
    >>> art.title, art.to_dict()["url"], art.body_html
    ('Tide mill reopens', 'https://news.example/a/', '<p>The mill grinds flour.</p>')
    """

    url: str | None
    """The page's URL (else its canonical URL); None when neither is known."""
    canonical_url: str | None = None
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    headings: list[str] = field(default_factory=list)
    body: str = ""
    source_link: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    word_count: int = 0
    content_hash: str = ""
    title_source: str | None = None
    date_source: str | None = None
    section_source: str | None = None
    page_type: PageType = "article"
    paywalled: bool = False
    """The site gave a teaser of a paywalled article (``scraper/extract/walls.py``): what
    was archived is what the page showed, its subscribe/login prompt taken out."""
    wall: str = field(default="", compare=False, metadata={"record": False})
    """A blocking wall the page is ("challenge", "consent", "login"), else "": such a page
    is never archived as an article (not part of the record)."""
    wall_reason: str = field(default="", compare=False, metadata={"record": False})
    """What the wall is, for the failure's reason ("cloudflare challenge (HTTP 403)")."""
    page_evidence: str = field(default="", compare=False, metadata={"record": False})
    """Why ``page_type`` was decided ("48 links to other articles, 30 words of text"): for the
    "not an article" message; not part of the record."""
    body_source: BodySource | None = None
    """Which reading the body comes from (None: a record not made by the extractor)."""
    blocks: tuple[Block, ...] = field(default=(), compare=False, metadata={"record": False})
    """The body as typed blocks (``scraper/extract/blocks.py``: paragraphs, sub-headings with
    their level, lists, quotes, tables, preformatted text); ``body`` is their plain text.
    Empty for a record not made by the extractor: the renderers then read ``body`` and
    ``headings``. Not part of the JSON record."""

    def to_markdown(self, *, links: bool = False) -> str:
        """The body as Markdown (``scraper/body_formats.py``): ``#`` sub-headings, nested
        ``-``/``1.`` lists, ``>`` quotes, pipe tables, fenced code; with ``links``, the
        inline links as ``[text](url)`` (off by default: their text alone, as in ``body``).

        >>> print(Article(url=None, body="Calm seas.\\n\\nOutlook", headings=["Outlook"])
        ...       .to_markdown())
        Calm seas.
        <BLANKLINE>
        ## Outlook
        """
        from scraper.body_formats import to_markdown

        return to_markdown(self, links=links)

    def to_html(self, *, links: bool = False) -> str:
        """The body as sanitised HTML (:attr:`body_html`); with ``links``, the inline links
        as ``<a href="..." rel="nofollow noopener">`` (http, https and mailto targets only).

        >>> Article(url=None, body="Calm.").to_html(links=True)
        '<p>Calm.</p>'
        """
        from scraper.body_formats import body_html

        return body_html(self, links=links)

    @property
    def body_html(self) -> str:
        """The body as sanitised HTML: structural tags only (``p``, ``h2``-``h6``, lists,
        ``blockquote``, tables, ``pre``/``code``), every text escaped; the links as their
        text alone (:meth:`to_html` with ``links=True`` keeps them).

        >>> Article(url=None, body="Fish <b>&</b> chips").body_html
        '<p>Fish &lt;b&gt;&amp;&lt;/b&gt; chips</p>'
        """
        from scraper.body_formats import body_html

        return body_html(self)

    def to_dict(self) -> dict[str, Any]:
        """The JSON record, keys in the documented order (docs/output.md).

        >>> import scraper
        >>> record = scraper.Article(url="https://news.example/a/", headings=["Outlook"]).to_dict()
        >>> list(record)[:3], record["headings"]
        (['url', 'canonical_url', 'title'], ['Outlook'])
        """
        record = {name: getattr(self, name) for name in ARTICLE_FIELDS}
        for name, value in record.items():
            if isinstance(value, list):
                record[name] = list(value)
        return record


ARTICLE_FIELDS: tuple[str, ...] = tuple(
    name for name, spec in Article.__dataclass_fields__.items()
    if spec.metadata.get("record", True)
)
"""The record's fields, in order."""


def why_not_an_article(article: Article) -> str | None:
    """Why ``article`` is no article to keep, or None: the one check ``scraper fetch``,
    ``scraper extract`` and the crawler share. "not an article (listing page: 48 links to
    other articles, 30 words of text)" for a page the extractor did not take for an article
    (``page_type``, decided in ``scraper/extract/page_type.py``); "no article text found on
    the page" for any other page whose text could not be read; "blocked: cloudflare challenge
    (HTTP 403)" for a wall standing in for the article (``is_blocked``)."""
    if is_blocked(article):
        return f"blocked: {article.wall_reason}"
    if article.page_type == "listing" or (article.page_type == "other" and article.body.strip()):
        return f"not an article ({article.page_type} page: {article.page_evidence})"
    if not article.body.strip():
        return "no article text found on the page"
    return None


def is_blocked(article: Article) -> bool:
    """The page is a wall standing in for the article (a bot challenge, a consent wall, a
    login wall or a soft 404: ``scraper/extract/walls.py``): recorded as a ``blocked``
    failure, never archived."""
    return bool(article.wall)
