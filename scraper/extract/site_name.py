"""The site's name, as a cascade: og:site_name, the JSON-LD publisher, the JSON-LD WebSite,
then a part of the <title> ("… – Daily Meridian", "Daily Meridian | …") when it names the
host (dailymeridian.com) or agrees with another name the page gives (application-name, the
twitter:site handle). A title part that does neither may be a section or half a headline:
no name then."""

from __future__ import annotations

from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.extract import selectors as sel
from scraper.extract import tuning
from scraper.extract.jsonld import JsonLd
from scraper.extract.text import clean, fold, node_text


def choose_site_name(
    tree: LexborHTMLParser, meta: dict[str, str], jsonld: JsonLd, url: str | None
) -> str | None:
    for declared in (meta.get("og:site_name"), jsonld.publisher, jsonld.site):
        if name := clean(declared):
            return name
    title_node = tree.css_first("head title") or tree.css_first("title")
    parts = [p for p in sel.TITLE_SEPARATORS.split(node_text(title_node)) if p.strip()]
    if len(parts) < 2:
        return None
    host = registrable_name(url)
    others = {
        _compact(meta.get("application-name")),
        _compact(meta.get("twitter:site", "").lstrip("@")),
    } - {""}
    for part in (parts[-1], parts[0]):
        compact = _compact(part)
        if compact and (compact in others or _names_host(compact, host)):
            return clean(part).strip("()[]{}<> ") or None
    return None


def registrable_name(url: str | None) -> str:
    """The name a host is registered under, without dots or hyphens ("dailymeridian" for
    www.dailymeridian.co.uk); "" without a host."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [label for label in host.split(".") if label not in sel.HOST_PREFIXES]
    if len(labels) > 1:
        labels.pop()  # the top-level domain
    if len(labels) > 1 and labels[-1] in sel.SECOND_LEVEL_DOMAINS:
        labels.pop()
    return labels[-1].replace("-", "") if labels else ""


def _compact(text: str | None) -> str:
    """``text`` folded, without spaces or a leading "the"."""
    words = fold(text).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return "".join(words)


def _names_host(compact: str, host: str) -> bool:
    """Whether a title part ("dailymeridian", "bbcnews") spells the host's name, or holds
    it, or is held by it, with little else."""
    if len(host) < tuning.SITE_NAME_MIN_CHARS or len(compact) < tuning.SITE_NAME_MIN_CHARS:
        return False
    if compact == host:
        return True
    shorter, longer = sorted((compact, host), key=len)
    return shorter in longer and len(shorter) >= tuning.HOST_NAME_SHARE * len(longer)
