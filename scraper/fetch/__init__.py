"""URL -> Page. The only package that imports httpx.

A request is layered like httpx's ``send -> _send_handling_redirects -> _send_single_request``,
one concern per file::

    fetch_page / fetch_document   page.py       HTML -> Page (decoded) / bytes -> Document
      get()                       request.py    URL check, deadline, conditional GET -> Response
        follow_redirects()        redirects.py  one loop; each hop's target checked once
          exchange()              exchange.py   one GET: status, Content-Type, size cap -> Exchange
    with_retries(), retry_delay() retry.py      the one retry policy, for every caller
    make_client()                 client.py     one client per run (per host in a crawl),
                                                with an optional capture Recorder (recording.py)
    ContentDecoder                decoding.py   Content-Encoding undone, for fetch and import

Every failure is a :class:`~scraper.errors.FetchError` subclass (``scraper.errors`` draws the
tree) carrying the URL, a reason for people and the HTTP status if there was one.
"""

from scraper.fetch.client import HttpClient, make_client
from scraper.fetch.exchange import REDIRECT_STATUSES, Exchange, media_type
from scraper.fetch.page import HTML_TYPES, XML_TYPES, Document, fetch_document, fetch_page
from scraper.fetch.recording import RawExchange, Recorder
from scraper.fetch.redirects import RedirectCheck, check_url
from scraper.fetch.request import Response, get
from scraper.fetch.retry import (
    RETRY_STATUSES,
    is_retryable,
    parse_retry_after,
    retry_delay,
    retry_next_run,
    server_in_trouble,
    with_retries,
)

__all__ = [
    "HTML_TYPES",
    "REDIRECT_STATUSES",
    "RETRY_STATUSES",
    "XML_TYPES",
    "Document",
    "Exchange",
    "HttpClient",
    "RawExchange",
    "Recorder",
    "RedirectCheck",
    "Response",
    "check_url",
    "fetch_document",
    "fetch_page",
    "is_retryable",
    "make_client",
    "media_type",
    "parse_retry_after",
    "get",
    "retry_delay",
    "retry_next_run",
    "server_in_trouble",
    "with_retries",
]
