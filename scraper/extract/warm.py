"""One-time state of the extractor's libraries, built before the first page instead of inside it.

The first page a fresh process extracts pays for what its libraries build lazily: dateparser
(htmldate's parser for written-out dates) compiles its split patterns for every locale the
first time a string matches none (~1.5 s of CPU), and justext builds its stoplists of every
language the first time trafilatura's fallback meets a page in no known language. A worker
pool replaced every ``recycle_after`` jobs paid that in every new worker: measured 22.4 ms of
CPU a page in the import's workers against 18.4 ms for the same pages in one warm loop.
:func:`warm_up` builds it once; the extraction pool's forkserver runs it before forking its
workers (``scraper.crawl.warm_workers``), so every worker starts with it built.
"""

from __future__ import annotations

import contextlib

WARM_UP_DATE = "14 qwertz 2021"
"""A written-out date in no language: dateparser tries, and so loads, every locale."""

WARM_UP_PAGE = (
    "<html lang='en'><head><title>Harbour wall repaired | Coast News</title></head><body>"
    "<div><div><p>Harbour wall repaired after the winter storms, said the council on the"
    " fourteenth of March two thousand and twenty-one, and the quay reopens this week.</p>"
    "<p>Work on the north pier goes on until the spring tides have passed.</p></div></div>"
    "</body></html>"
)
"""A page with no content container, so trafilatura's own reading (and its fallbacks) runs."""


def warm_up() -> None:
    """Build the libraries' lazy one-time state now (see the module docstring).

    >>> warm_up()  # idempotent: a second call finds everything built
    """
    from htmldate.extractors import external_date_parser
    from trafilatura.external import jt_stoplist_init

    from scraper.extract.article import extract_article

    external_date_parser(WARM_UP_DATE, "%Y-%m-%d")
    jt_stoplist_init()
    with contextlib.suppress(Exception):  # a warm-up never stops a run
        extract_article(WARM_UP_PAGE, "https://coast.example/2021/03/14/harbour-wall/")
