"""Fetching from Python: one URL (``fetch``) or many at once (``afetch_many``).

``fetch`` is ``scraper fetch``: robots.txt obeyed as a crawl obeys it, retries as the crawl
retries (:func:`scraper.fetch.with_retries`), the page extracted and refused if it is no
article. ``afetch_many`` sends every URL through the crawl's own per-host politeness
(:class:`scraper.crawl.hosts.Hosts`: ``per_host_concurrency`` slots, ``per_host_delay`` between
starts, Crawl-delay, Retry-After pauses, robots.txt read once per host).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from scraper.config import FetchSettings
from scraper.crawl.hosts import Hosts
from scraper.crawl.keep import checked
from scraper.crawl.robots import check_robots, refusal
from scraper.errors import ScraperError
from scraper.extract import extract_article
from scraper.extract.walls import error_page_wall
from scraper.fetch import Recorder, fetch_page, make_client, with_retries
from scraper.fetch.render import Renderer
from scraper.fetch.retry import OnRetry
from scraper.models import Article, Page

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Fetched:
    """One URL of :func:`afetch_many`: its article, or the error that stopped it.

    >>> import scraper
    >>> done = scraper.Fetched("https://news.example/a/", error=scraper.FetchError(
    ...     "https://news.example/a/", "HTTP 404 Not Found", status=404))
    >>> done.ok, str(done.error)
    (False, 'https://news.example/a/: HTTP 404 Not Found')
    """

    url: str
    """The URL as asked for."""
    article: Article | None = None
    error: ScraperError | None = None
    """A ``FetchError`` (``RobotsRefused`` included) or an ``ExtractError``."""

    @property
    def ok(self) -> bool:
        """Whether the URL gave an article."""
        return self.article is not None


def fetch(url: str, settings: FetchSettings | None = None, *, any_page: bool = False) -> Article:
    """Fetch one page politely and extract its article (what ``scraper fetch URL`` prints).

    robots.txt is obeyed unless ``settings.respect_robots`` is false (``RobotsRefused``);
    retryable failures are retried as ``settings`` say; every failure is a ``FetchError``
    subclass, a page that is no article ``NotAnArticle`` (unless ``any_page``). Works in a
    notebook too (a running event loop is left alone: the fetch runs in a thread).

    >>> import scraper
    >>> settings = scraper.FetchSettings(retries=0, respect_robots=False)
    >>> scraper.fetch("http://127.0.0.1:9/2024/05/02/tide-mill/", settings)
    Traceback (most recent call last):
    scraper.errors.NetworkError: http://127.0.0.1:9/2024/05/02/tide-mill/: connection ...
    """
    return run_sync(fetch_article(url, settings or FetchSettings(), any_page=any_page))[1]


async def fetch_article(url: str, settings: FetchSettings, *, any_page: bool = False,
                        recorder: Recorder | None = None, on_retry: OnRetry | None = None,
                        render: bool = False) -> tuple[Page, Article]:
    """The page and its article: :func:`fetch` for a caller that needs the page too
    (``Archive.fetch`` saves the capture and the fetch time); ``recorder`` keeps the
    exchanges, ``on_retry`` hears of each retry; ``render`` loads the page in headless
    Chromium (a site's ``render = true``; needs the ``render`` extra). A wall standing in for
    the article (a bot challenge, a consent or login wall, a soft 404) is ``Blocked``,
    ``any_page`` or not.

    >>> import asyncio, scraper
    >>> from scraper.api import fetch_article
    >>> settings = scraper.FetchSettings(retries=0, respect_robots=False)
    >>> asyncio.run(fetch_article("http://127.0.0.1:9/a/", settings))
    Traceback (most recent call last):
    scraper.errors.NetworkError: http://127.0.0.1:9/a/: connection ...
    """
    async with make_client(settings, recorder=recorder) as client:
        if settings.respect_robots:
            await check_robots(url, client, settings)
        if render:
            renderer = Renderer()
            try:
                page = await with_retries(
                    lambda: renderer.render(url, settings=settings, walls=error_page_wall),
                    settings=settings, on_retry=on_retry)
            finally:
                await renderer.aclose()
        else:
            page = await with_retries(
                lambda: fetch_page(url, client=client, settings=settings, walls=error_page_wall),
                settings=settings, on_retry=on_retry,
            )
    return page, article_of(page, any_page=any_page)


def article_of(page: Page, *, any_page: bool = False) -> Article:
    """The article of a fetched page: ``Blocked`` for a wall standing in for it (never an
    article, ``any_page`` or not), ``NotAnArticle`` for a page that is no article (unless
    ``any_page``)."""
    article = extract_article(page.html, page.url, status=page.status, headers=page.headers)
    return checked(page, article, any_page=any_page)  # the crawler's check


async def afetch_many(urls: Iterable[str], settings: FetchSettings | None = None, *,
                      any_page: bool = False) -> list[Fetched]:
    """Fetch and extract many URLs at once, as politely as a crawl: at most
    ``per_host_concurrency`` requests to a host in flight, their starts ``per_host_delay``
    apart (robots.txt's Crawl-delay if larger), ``concurrency`` in all; robots.txt read once
    per host and obeyed. One result per URL, in order; a failure is that URL's ``error``,
    never raised.

    >>> import asyncio, scraper
    >>> settings = scraper.FetchSettings(retries=0, per_host_delay=0.5)
    >>> done = asyncio.run(scraper.afetch_many(["http://127.0.0.1:9/a/"], settings))
    >>> [(d.ok, type(d.error).__name__) for d in done]
    [(False, 'NetworkError')]
    """
    settings = settings or FetchSettings()
    hosts = Hosts(settings)

    async def one(url: str) -> Fetched:
        try:
            if settings.respect_robots:
                robots = await hosts.robots(url)
                refused = refusal(url, robots, settings.user_agent)
                if refused is not None:
                    raise refused
            page = await hosts.send(url, lambda client: fetch_page(
                url, client=client, settings=settings, walls=error_page_wall))
            article = article_of(page, any_page=any_page)
        except ScraperError as error:
            return Fetched(url, error=error)
        return Fetched(url, article=article)

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(url)) for url in urls]
    finally:
        await hosts.aclose()
    return [task.result() for task in tasks]


def run_sync(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to its end from synchronous code, in a thread when this thread already
    runs an event loop (a notebook), else here.

    >>> from scraper.api import run_sync
    >>> async def answer() -> int:
    ...     return 42
    >>> run_sync(answer())
    42
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main).result()


def without_robots(settings: FetchSettings) -> FetchSettings:
    """``settings`` with robots.txt not consulted (``--ignore-robots``: only where you have
    the right to).

    >>> import scraper
    >>> from scraper.api import without_robots
    >>> without_robots(scraper.FetchSettings()).respect_robots
    False
    """
    return replace(settings, respect_robots=False)
