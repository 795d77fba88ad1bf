"""Listings: a site's feeds, sitemaps and section pages, read with conditional GET and parsed
(:mod:`scraper.crawl.parse`) into candidates within the site's scope.

::

    discover(run)         every feed, the sitemap tree (indexes: newest lastmod first, a
                          budget of MAX_SITEMAPS_PER_SITE, MAX_SITEMAP_DEPTH levels), every
                          section page and its rel=next pages (MAX_SECTION_PAGES)
    read(run, url, kind)  robots.txt, conditional GET, parse off the event loop -> Listing
    settle(run)           store or forget each listing's validators at the end of the run

A listing's ETag/Last-Modified is stored only once every candidate it named has been dealt
with (archived, known, refused by robots, or failed for good); otherwise it is forgotten, so a
run cut short by ``max_articles``, a network failure or ``kill -9`` leaves the next run a full
listing to pick up from, never a 304 that hides the rest.
"""

from __future__ import annotations

import asyncio

from scraper.archive.crawlstate import Validators
from scraper.crawl.hosts import Hosts
from scraper.crawl.ledger import Ledger
from scraper.crawl.parse import (
    Candidate,
    Listing,
    parse_feed,
    parse_section_page,
    parse_sitemap,
)
from scraper.crawl.siterun import ListingRead, SiteRun
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
        """The site's candidates: every listing read, filtered and deduplicated."""
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
        return run.url_filter.select(found)

    async def read(self, run: SiteRun, url: str, kind: ListingKind) -> Listing | None:
        """Fetch and parse one listing; None when unchanged (304), refused or failed."""
        verdict = await self.hosts.robots_verdict(url, run)
        if verdict != "allowed":
            reason = ("robots.txt disallows it" if verdict == "disallowed"
                      else f"host skipped this run: {self.hosts.host(url).skipped}")
            run.listing_errors.append(f"{url}: {reason}")
            run.fail(url, "discover", reason)
            return None
        try:
            fetched, listing = await self._fetch_and_parse(run, url, kind)
        except FetchError as error:
            run.listing_errors.append(f"{url}: {error.reason}")
            run.fail(url, "discover", error.reason, error.status)
            return None
        except DiscoverError as error:
            run.listing_errors.append(str(error))
            run.fail(url, "discover", str(error))
            return None
        run.listings_read += 1
        if listing is None:
            run.emit("listing", url, "unchanged (304)")
            return None
        run.listings.append(ListingRead(
            url=url, kind=kind,
            validators=Validators(etag=fetched.etag, last_modified=fetched.last_modified),
            cacheable=not listing.sitemaps,  # an index is re-read: its children may change
            keys={url_key(u) for c in listing.candidates if (u := run.url_filter.accept(c.url))},
        ))
        found = len(listing.candidates) or len(listing.sitemaps)
        what = "sitemaps" if listing.sitemaps else "links"
        run.emit("listing", fetched.url, f"{found} {what}")
        return listing

    async def _fetch_and_parse(self, run: SiteRun, url: str,
                               kind: ListingKind) -> tuple[Page | Document, Listing | None]:
        """The listing as fetched, and parsed off the event loop (a page may hold 100k
        links); None for a 304."""
        cached = self.ledger.validators(url)
        etag = cached.etag if cached else None
        last_modified = cached.last_modified if cached else None
        if kind == "page":
            page = await self.hosts.request(url, run, lambda client: fetch_page(
                url, client=client, settings=self.hosts.settings, etag=etag,
                last_modified=last_modified, redirect_check=run.redirect_check))
            if page.status == 304:
                return page, None
            return page, await asyncio.to_thread(parse_section_page, page.html, page.url)
        document = await self.hosts.request(url, run, lambda client: fetch_document(
            url, client=client, settings=self.hosts.settings, accept=LISTING_TYPES, etag=etag,
            last_modified=last_modified, redirect_check=run.redirect_check))
        if document.status == 304:
            return document, None
        parser = parse_feed if kind == "feed" else parse_sitemap
        return document, await asyncio.to_thread(parser, document.body, document.url)

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

    def settle(self, run: SiteRun) -> None:
        """Store the validators of each listing whose candidates are all settled; forget the
        others'."""
        for read in run.listings:
            if read.validators is None:
                continue
            if read.cacheable and not (read.keys & run.unsettled):
                self.ledger.store_validators(read.url, read.validators)
            else:
                self.ledger.forget_validators(read.url)
