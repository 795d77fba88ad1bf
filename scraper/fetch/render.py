"""Pages that need JavaScript (a site's ``render = true``): the article page loaded in
headless Chromium through Playwright (the optional ``render`` extra), its rendered DOM
handed on as a :class:`~scraper.models.Page` to the same extractor.

* No browser is downloaded: the system's Chromium is launched (``chromium`` on the PATH,
  Debian's ``/usr/bin/chromium``), else Playwright's own if one was installed.
* Each page gets a fresh browser context with the site's fetch settings (user agent, extra
  headers, cookies, proxy) and is capped at ``settings.deadline`` seconds in all.
* Requests to hosts the page may not use (third parties: ads, trackers, other sites'
  scripts) are aborted; ``allow_host`` says which (by default the page's own host).
* An answer of 4xx/5xx is an ``HttpStatusError`` with the rendered HTML, so a challenge is
  still ``Blocked`` (``walls``), as for a plain fetch.

One browser serves a whole run (:class:`Renderer`, started on first use); no capture is
kept of a rendered page.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scraper.config import RENDER_INSTALL, FetchSettings
from scraper.errors import FetchError, FetchTimeout, HttpStatusError
from scraper.fetch.page import WallCheck, wall_error
from scraper.models import Page

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
"""Executables looked for on the PATH, in order."""
SETTLE_SECONDS = 2.0
"""After the load event, how long the page may go on fetching (scripts inserting the
article) before its DOM is read; within the page's cap."""
_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def system_browser() -> str | None:
    """The Chromium to launch: the first of ``BROWSERS`` on the PATH, or None (Playwright's
    own, if installed)."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


class Renderer:
    """One headless Chromium for a run; ``render`` loads a page in it."""

    def __init__(self, *, executable: str | None = None) -> None:
        self.executable = executable or system_browser()
        self._lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None

    async def _started(self, url: str) -> Any:
        async with self._lock:
            if self._browser is None:
                try:
                    from playwright.async_api import async_playwright
                except ImportError as exc:
                    raise FetchError(url, f"render = true needs Playwright: {RENDER_INSTALL}"
                                     ) from exc
                self._playwright = await async_playwright().start()
                args = [*_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
                try:
                    self._browser = await self._playwright.chromium.launch(
                        executable_path=self.executable, headless=True, args=args)
                except Exception as exc:  # Playwright's Error: no browser, a bad binary
                    await self._playwright.stop()
                    self._playwright = None
                    which = self.executable or "Playwright's own"
                    raise FetchError(url, f"cannot start Chromium ({which}): {exc}") from exc
            return self._browser

    async def render(self, url: str, *, settings: FetchSettings,
                     allow_host: Callable[[str], bool] | None = None,
                     walls: WallCheck | None = None) -> Page:
        """Load ``url`` and return its rendered DOM as a Page, within ``settings.deadline``
        seconds."""
        browser = await self._started(url)
        own = (urlsplit(url).hostname or "").lower()
        allowed = allow_host or (lambda candidate: urlsplit(candidate).hostname == own)
        context = await browser.new_context(
            user_agent=settings.user_agent, extra_http_headers=dict(settings.headers),
            proxy={"server": settings.proxy} if settings.proxy else None,
            java_script_enabled=True)
        try:
            if settings.cookies:
                await context.add_cookies([{"name": n, "value": v, "url": url}
                                           for n, v in settings.cookies])
            return await asyncio.wait_for(
                self._load(context, url, allowed, walls), settings.deadline)
        except TimeoutError as exc:
            raise FetchTimeout(url, f"rendering took over {settings.deadline:g}s") from exc
        finally:
            await context.close()

    async def _load(self, context: Any, url: str, allowed: Callable[[str], bool],
                    walls: WallCheck | None) -> Page:
        from playwright.async_api import Error as PlaywrightError

        async def route(handle: Any) -> None:
            if allowed(handle.request.url):
                await handle.continue_()
            else:  # a third party: not fetched
                await handle.abort("blockedbyclient")

        page = await context.new_page()
        await page.route("**/*", route)
        try:
            answer = await page.goto(url, wait_until="load")
            # still busy after that (polling, a live ticker): the DOM is read as it is
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("networkidle", timeout=SETTLE_SECONDS * 1000)
            html = await page.content()
        except PlaywrightError as exc:
            raise FetchError(url, f"rendering failed: {exc}".splitlines()[0]) from exc
        status = answer.status if answer is not None else 200
        headers = tuple((await answer.all_headers()).items()) if answer is not None else ()
        final = page.url or url
        if status >= 400:
            error = HttpStatusError(final, f"HTTP {status}", status=status,
                                    body=html.encode(), headers=headers)
            raise wall_error(error, walls)
        return Page(url=final, html=html, requested_url=url, status=status,
                    fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    headers=headers)

    async def aclose(self) -> None:
        if self._browser is not None:
            await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None
