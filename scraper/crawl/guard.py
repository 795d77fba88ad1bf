"""The redirect guard: where a site's pages may redirect to.

A hop must stay on the site's hosts (:class:`~scraper.crawl.scope.UrlFilter`), and a public
host may not redirect to a private, loopback or link-local address, whether written as an IP
literal, ``localhost``, or a name that resolves to one (every address it resolves to is
checked). A seed on such an address is the user's choice, so redirects between private
addresses stay allowed.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from scraper.crawl.scope import UrlFilter, host_key
from scraper.fetch import RedirectCheck

Resolver = Callable[[str], Awaitable[list[str]]]
"""host -> the addresses it resolves to (the event loop's getaddrinfo by default)."""

REFUSED_PRIVATE = "a public host may not redirect to a private, loopback or link-local address"


async def _getaddrinfo(host: str) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


def redirect_guard(
    url_filter: UrlFilter, *, allow_private: bool = False, resolve: Resolver = _getaddrinfo
) -> RedirectCheck:
    """Refuse redirects to hosts the site does not allow, and from a public host to a
    private, loopback or link-local address."""

    async def check(source: str, target: str) -> str | None:
        if not url_filter.host_allowed(target):
            return f"{host_key(target)} is not one of the site's hosts"
        if allow_private or _is_private_host(source):
            return None
        if _is_private_host(target):
            return REFUSED_PRIVATE
        host = urlsplit(target).hostname or ""
        if _is_ip_literal(host):
            return None
        return await _resolves_private(host, resolve)  # a name: look where it points

    return check


def _is_private_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_unspecified or ip.is_multicast)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def _resolves_private(host: str, resolve: Resolver) -> str | None:
    """:data:`REFUSED_PRIVATE` if any address ``host`` resolves to is private, loopback or
    link-local."""
    try:
        addresses = await resolve(host)
    except OSError:
        return None  # the fetch itself will report the DNS failure
    for address in addresses:
        if _is_private_host(f"http://[{address}]/" if ":" in address else f"http://{address}/"):
            return REFUSED_PRIVATE
    return None
