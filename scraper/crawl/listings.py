"""Listings: a site's feeds, sitemaps and section pages, read with conditional GET and parsed
(:mod:`scraper.crawl.parse`) into candidates within the site's scope.

::

    discover(run)         every feed, the sitemap tree (indexes: newest lastmod first, a
                          budget of MAX_SITEMAPS_PER_SITE, MAX_SITEMAP_DEPTH levels), every
                          section page and its rel=next pages (MAX_SECTION_PAGES)
    read(run, url, kind)  robots.txt, conditional GET, parse off the event loop -> Listing

Every listing is fetched with the validators of its last full read, and a listing read in full
is kept with its validators, in one ``http_cache`` row: a 304 means "the same links as last
time", and the listing kept stands for it. So a sitemap index that answers 304 still leads to
its children (each checked with its own validators), a section page to its next page, and
planning sees every link the site lists, whichever way each listing answered. A run killed at
any moment leaves validators and listing that belong together.

Parsing, unpacking and scoping 100,000 links is CPU work: it runs in a thread, never on the
event loop, where it would stall every other site's requests (connect timeouts under load).
"""

from __future__ import annotations

import asyncio

from scraper.archive.crawlstate import CachedListing, Validators
from scraper.crawl.hosts import Hosts
from scraper.crawl.ledger import Ledger
from scraper.crawl.parse import (
    Candidate,
    Listing,
    pack_listing,
    parse_feed,
    parse_section_page,
    parse_sitemap,
    unpack_listing,
)
from scraper.crawl.siterun import SiteRun
from scraper.errors import DiscoverError, FetchError
from scraper.fetch import XML_TYPES, Document, fetch_document, fetch_page
from scraper.models import ListingKind, Page
from scraper.urls import normalise_url, url_key

LISTING_TYPES: frozenset[str] = XML_TYPES | {
    "application/x-rss+xml", "application/feed+xml", "application/xhtml+xml", "text/rss+xml",
}
MAX_SITEMAPS_PER_SITE = 25
"""Child sitemaps read per site per run, newest ``lastmod`` first (indexes can list decades)."""
MAX_SITEMAP_DEPTH = 3
MAX_SECTION_PAGES = 5
"""Pages followed per section seed through rel=next pagination."""


class Listings:
    """Reads the listings of every site of a run, through the run's hosts."""

    def __init__(self, hosts: Hosts, ledger: Ledger) -> None:
        self.hosts = hosts
        self.ledger = ledger

    async def discover(self, run: SiteRun) -> list[Candidate]:
        """The site's candidates: every listing read (or as last read, for a 304), filtered
        and deduplicated."""
        site = run.site
        feeds = await asyncio.gather(*(self.read(run, u, "feed") for u in site.feeds))
        sitemaps = await self._read_sitemaps(run)
        pages = await asyncio.gather(*(self._read_section(run, u) for u in site.pages))
        found: list[Candidate] = []
        for listing in feeds:
            if listing is not None:
                found += listing.candidates
        for candidates in [*sitemaps, *pages]:
            found += candidates
        return await asyncio.to_thread(run.url_filter.select, found)

    async def read(self, run: SiteRun, url: str, kind: ListingKind) -> Listing | None:
        """One listing: as read now, or as last read when it answers 304; None when robots.txt
        refuses it or it cannot be read."""
        verdict = await self.hosts.robots_verdict(url, run)
        if verdict != "allowed":
            reason = ("robots.txt disallows it" if verdict == "disallowed"
                      else f"host skipped this run: {self.hosts.host(url).skipped}")
            run.listing_errors.append(f"{url}: {reason}")
            run.fail(url, "discover", reason)
            return None
        try:
            listing, unchanged = await self._fetch_and_parse(run, url, kind)
        except FetchError as error:
            run.listing_errors.append(f"{url}: {error.reason}")
            run.fail(url, "discover", error.reason, error.status)
            return None
        except DiscoverError as error:
            run.listing_errors.append(str(error))
            run.fail(url, "discover", str(error))
            return None
        run.listings_read += 1
        found = len(listing.candidates) or len(listing.sitemaps)
        what = f"{found} {'sitemaps' if listing.sitemaps else 'links'}"
        run.emit("listing", url, f"unchanged (304): {what} as last read" if unchanged else what)
        return listing

    async def _fetch_and_parse(self, run: SiteRun, url: str,
                               kind: ListingKind) -> tuple[Listing, bool]:
        """The listing, and whether it was unchanged (304). Parsed off the event loop, and
        kept with its validators when read in full."""
        cached = self.ledger.cached_listing(url)
        sent = cached.validators if cached else Validators()
        fetched = await self._fetch(run, url, kind, sent)
        if fetched.status == 304 and cached is not None:
            return await self._recall(url, cached), True
        body = fetched.html if isinstance(fetched, Page) else fetched.body
        listing, packed = await asyncio.to_thread(_parse, kind, body, fetched.url)
        self.ledger.remember_listing(
            url, Validators(etag=fetched.etag, last_modified=fetched.last_modified), packed)
        return listing, False

    async def _fetch(self, run: SiteRun, url: str, kind: ListingKind,
                     sent: Validators) -> Page | Document:
        settings = self.hosts.settings
        if kind == "page":
            return await self.hosts.request(url, run, lambda client: fetch_page(
                url, client=client, settings=settings, etag=sent.etag,
                last_modified=sent.last_modified, redirect_check=run.redirect_check))
        return await self.hosts.request(url, run, lambda client: fetch_document(
            url, client=client, settings=settings, accept=LISTING_TYPES, etag=sent.etag,
            last_modified=sent.last_modified, redirect_check=run.redirect_check))

    async def _recall(self, url: str, cached: CachedListing) -> Listing:
        """The listing a 304 stands for; an unreadable copy is dropped (the next run reads
        the listing in full)."""
        try:
            return await asyncio.to_thread(unpack_listing, cached.listing, url)
        except DiscoverError:
            self.ledger.forget_listing(url)
            raise

    async def _read_sitemaps(self, run: SiteRun) -> list[list[Candidate]]:
        seen: set[str] = set()
        level = [normalise_url(u) for u in run.site.sitemaps]
        results: list[list[Candidate]] = []
        budget = MAX_SITEMAPS_PER_SITE
        for _depth in range(MAX_SITEMAP_DEPTH):
            level = [u for u in dict.fromkeys(level) if url_key(u) not in seen][:budget]
            if not level:
                break
            budget -= len(level)
            seen.update(url_key(u) for u in level)
            listings = await asyncio.gather(*(self.read(run, u, "sitemap") for u in level))
            children = []
            for listing in listings:
                if listing is None:
                    continue
                results.append(listing.candidates)
                refs = sorted(listing.sitemaps, key=lambda r: r.lastmod or "", reverse=True)
                children += [normalise_url(r.url) for r in refs
                             if run.url_filter.host_allowed(normalise_url(r.url))]
            level = children
        return results

    async def _read_section(self, run: SiteRun, url: str) -> list[Candidate]:
        candidates: list[Candidate] = []
        seen: set[str] = set()
        next_url: str | None = normalise_url(url)
        for _page in range(MAX_SECTION_PAGES):
            if next_url is None or url_key(next_url) in seen:
                break
            seen.add(url_key(next_url))
            listing = await self.read(run, next_url, "page")
            if listing is None:
                break
            candidates += listing.candidates
            next_url = next((normalise_url(u) for u in listing.next_pages
                             if run.url_filter.host_allowed(normalise_url(u))), None)
        return candidates


def _parse(kind: ListingKind, body: str | bytes, url: str) -> tuple[Listing, bytes]:
    """A listing's body -> the listing, and the bytes the HTTP cache keeps of it (in a
    thread)."""
    if isinstance(body, str):
        listing = parse_section_page(body, url)
    else:
        listing = (parse_feed if kind == "feed" else parse_sitemap)(body, url)
    return listing, pack_listing(listing)
