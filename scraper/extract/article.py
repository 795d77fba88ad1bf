"""Page -> Article: parse once with selectolax, metadata cascade, source link, chrome removal,
body via trafilatura. Pure: no I/O."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from scraper.errors import ExtractError
from scraper.extract.body import FastReader, content_words, extract_body
from scraper.extract.chrome import remove_chrome
from scraper.extract.dates import htmldate_guess
from scraper.extract.fast_path import read_fast
from scraper.extract.jsonld import parse_jsonld
from scraper.extract.metadata import extract_metadata, meta_tags
from scraper.extract.not_html import not_html_reason
from scraper.extract.page_names import read_page_names
from scraper.extract.page_type import classify, read_signals, text_words
from scraper.extract.published import DateGuesser, choose_publication, read_served_dates
from scraper.extract.reader import Reader, read_with_trafilatura
from scraper.extract.source_link import take_source_link
from scraper.extract.text import clean
from scraper.extract.walls import Headers, decide_wall, read_wall_signals, take_paywall_prompts
from scraper.models import Article, Hints

MAX_HTML_CHARS = 20_000_000
_LIBRARY_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, TypeError, LookupError, AttributeError, RecursionError, etree.LxmlError,
)
"""What the parsing libraries raise on input they cannot cope with (an ``http://[::1`` link
is a ValueError in urllib): translated into ``ExtractError`` with the cause kept."""


def content_hash(body: str) -> str:
    """Hash of the normalised body (NFKC, whitespace collapsed, casefolded)."""
    normal = clean(unicodedata.normalize("NFKC", body)).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def extract_article(
    html: str,
    url: str | None = None,
    *,
    hints: Hints | None = None,
    reader: Reader | None = None,
    fast_reader: FastReader | None = read_fast,
    date_guesser: DateGuesser | None = None,
    status: int | None = None,
    headers: Headers = (),
) -> Article:
    """Extract the article record from an HTML document.

    ``hints`` (from the feed or sitemap that listed the page) fill the date and title only
    where the page gives none. ``reader`` replaces trafilatura's reading of the content
    container (``scraper.extract.reader.read_with_trafilatura``), ``fast_reader`` the lexbor
    reading of a clear one (``scraper.extract.fast_path.read_fast``; None: trafilatura reads
    every page), ``date_guesser`` htmldate's whole-page date search
    (``scraper.extract.dates.htmldate_guess``). ``status`` and ``headers`` (the answer's,
    when known) help recognise a wall (``scraper.extract.walls``): a challenge, consent or
    login page comes back with ``wall`` set."""
    if not isinstance(html, str):
        raise ExtractError("expected decoded HTML text")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractError(f"page too large to extract ({len(html):,} characters)")
    if reason := not_html_reason(html):
        raise ExtractError(f"not HTML: {reason}")
    html = html.replace("\x00", "")
    if not html.strip():
        raise ExtractError("empty page")
    try:
        return _extract(
            html,
            url,
            hints,
            _Readers(reader or read_with_trafilatura, fast_reader),
            date_guesser or htmldate_guess,
            status,
            headers,
        )
    except ExtractError:
        raise
    except _LIBRARY_ERRORS as exc:  # a parser or extractor tripped on pathological input
        raise ExtractError(f"extractor failed on this page: {type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class _Readers:
    """The body's readers: trafilatura's stand-in, and the fast reader (or None)."""

    reader: Reader
    fast: FastReader | None


def _extract(
    html: str, url: str | None, hints: Hints | None, readers: _Readers, guess: DateGuesser,
    status: int | None, headers: Headers,
) -> Article:
    try:
        tree = LexborHTMLParser(html)
    except Exception as exc:  # selectolax raises plain errors on pathological input
        raise ExtractError(f"unparseable HTML: {exc}") from exc
    # the page as served: metadata, and what the date cascade reads before chrome removal
    tags, jsonld, names = meta_tags(tree), parse_jsonld(tree), read_page_names(tree)
    meta = extract_metadata(tree, url, tags, jsonld, names=names)
    served = read_served_dates(tree, tags, jsonld, html, url, guess=guess)
    signals = read_signals(tree, url or meta.canonical_url, tags, jsonld)
    walls = read_wall_signals(tree, url, status, headers, jsonld, names=names)
    # from here the tree is cleaned in place: paywall prompt, source link, chrome, body reader
    prompts = take_paywall_prompts(tree, names=names)
    base = url or meta.canonical_url
    source_link = take_source_link(tree, base, names=names)
    remove_chrome(tree, names=names)
    body = extract_body(
        tree, url, meta.title, reader=readers.reader, fast_reader=readers.fast, names=names
    )
    dates = choose_publication(served, tree, url, hints, guess=guess)
    page_type, evidence = classify(signals, body.text)
    wall = decide_wall(walls, text_words(body.text))
    answered = f" (HTTP {status})" if status is not None else ""
    title, title_source = meta.title, meta.title_source
    if not title and hints is not None and hints.title:
        title, title_source = hints.title, hints.source
    return Article(
        url=url or meta.canonical_url,
        canonical_url=meta.canonical_url,
        title=title,
        published=dates.published,
        modified=dates.modified,
        section=meta.section,
        headings=body.headings,
        body=body.text,
        source_link=source_link,
        authors=meta.authors,
        language=meta.language,
        site_name=meta.site_name,
        description=meta.description,
        tags=meta.tags,
        image=meta.image,
        word_count=content_words(body.text),
        content_hash=content_hash(body.text),
        title_source=title_source,
        date_source=dates.date_source,
        section_source=meta.section_source,
        page_type=page_type,
        paywalled=wall is None and (walls.paywall_jsonld or prompts > 0),
        wall=wall.kind if wall is not None else "",
        wall_reason=f"{wall.what}{answered}" if wall is not None else "",
        page_evidence=evidence,
        body_source=body.source,
        blocks=tuple(body.blocks),
    )
