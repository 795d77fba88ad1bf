"""Metadata as ordered cascades that fill only what is missing: JSON-LD, then meta tags
(OpenGraph, article:*, Dublin Core...), then microdata, then visible markup (breadcrumbs,
<time>, category links), then the URL. Each chosen value records the source that won.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import selectors as sel
from scraper.extract.dates import date_from_url, find_date_in_text, normalise_date
from scraper.extract.jsonld import JsonLd, names_of, parse_jsonld, text_of

_WS = re.compile(r"\s+")
_MAIN_CONTAINERS = "article, main, [role=main], .post, .entry, .hentry, .article, .story"


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    title_source: str | None = None
    published: str | None = None
    date_source: str | None = None
    modified: str | None = None
    section: str | None = None
    section_source: str | None = None
    canonical_url: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None


def clean(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def fold(text: str | None) -> str:
    """Comparison form: NFKC, straight quotes, no punctuation runs, casefolded."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(str.maketrans("‘’‚‛“”„‟", "''''\"\"\"\""))
    return clean(re.sub(r"[^\w'\"]+", " ", text)).casefold()


def meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    """First content of each <meta name|property|itemprop=...> (keys lower-cased)."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = clean(attrs.get("content"))
        if not content:
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(key_attr)
            if key:
                found.setdefault(key.strip().lower(), content)
    return found


def inside(node: LexborNode, containers: tuple[str, ...]) -> bool:
    return bool(node.css_matches(", ".join(f"{c} *" for c in containers)))


def _node_text(node: LexborNode | None) -> str:
    return clean(node.text(deep=True, separator=" ")) if node is not None else ""


def _site_names(meta: dict[str, str], jsonld: JsonLd, url: str | None) -> list[str]:
    names = [
        meta.get("og:site_name"),
        jsonld.publisher,
        meta.get("application-name"),
        meta.get("twitter:site", "").lstrip("@") or None,
    ]
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [p for p in host.split(".") if p not in ("www", "m", "amp", "com", "org", "net")]
    if labels:
        names.append(max(labels, key=len))
    return [n for n in names if n]


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Remove " | Site", " - Site", "Site: " from a <title>/og:title."""
    parts = [p for p in sel.TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    folded_names = {fold(n).replace(" ", "") for n in site_names if n}

    def is_site(part: str) -> bool:
        folded = fold(part).replace(" ", "")
        return bool(folded) and any(
            folded == name
            or (
                len(name) >= 3
                and (name in folded or folded in name)
                and len(folded) <= len(name) + 12
            )
            for name in folded_names
        )

    for candidate in (parts[-1], parts[0]):
        if is_site(candidate):
            pattern = re.escape(candidate.strip())
            stripped = re.sub(
                rf"^\s*{pattern}\s*[|\-–—:·•»«/]*\s*|\s*[|\-–—:·•»«/]*\s*{pattern}\s*$", "", title
            )
            if stripped.strip() and len(stripped) >= 0.3 * len(title):
                return clean(stripped)
    if " | " in title:  # a pipe almost always separates the site or section name
        head = clean(title.split(" | ")[0])
        if len(head.split()) >= 3:
            return head
    return title


def _h1_candidates(tree: LexborHTMLParser) -> list[LexborNode]:
    nodes = [n for n in tree.css("h1") if _node_text(n)]
    main = [
        n for n in nodes if n.css_matches(", ".join(f"{c} *" for c in _MAIN_CONTAINERS.split(", ")))
    ]
    return main + [n for n in nodes if n not in main]


def choose_title(
    tree: LexborHTMLParser, meta: dict[str, str], jsonld: JsonLd, site_names: list[str]
) -> tuple[str | None, str | None]:
    declared: list[tuple[str, str]] = []
    if headline := text_of(jsonld.article.get("headline")):
        declared.append((clean(headline), "json-ld"))
    for key, source in (("og:title", "og:title"), ("twitter:title", "twitter:title")):
        if meta.get(key):
            declared.append((strip_site_name(meta[key], site_names), source))
    title_node = tree.css_first("head title") or tree.css_first("title")
    if title_node is not None and (page_title := _node_text(title_node)):
        declared.append((strip_site_name(page_title, site_names), "title"))
    itemprop = tree.css_first("[itemprop=headline]")
    if itemprop is not None and itemprop.tag != "meta" and (text := _node_text(itemprop)):
        declared.insert(0, (text, "microdata"))
    h1s = _h1_candidates(tree)[:12]
    folded = [fold(text) for text, _ in declared]
    for node in h1s:
        text = _node_text(node)
        f = fold(text)
        if f and any(f == d or (len(f) > 15 and (f in d or d in f)) for d in folded if d):
            return text, "h1"
    if declared:
        return declared[0]
    if h1s:
        return _node_text(h1s[0]), "h1"
    return None, None


def _absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    resolved = urljoin(base, url) if base else url
    return resolved if resolved.startswith(("http://", "https://")) else None


def _visible_date(tree: LexborHTMLParser) -> tuple[str | None, str | None] | None:
    """<time datetime> / itemprop=datePublished in the article, not in sidebars or headers."""
    candidates: list[tuple[LexborNode, str]] = []
    for node in tree.css("[itemprop=datePublished]"):
        value = (
            node.attributes.get("content") or node.attributes.get("datetime") or _node_text(node)
        )
        if value:
            candidates.append((node, value))
    if candidates and (found := _first_date(candidates, "microdata")):
        return found
    for node in tree.css("time"):
        value = node.attributes.get("datetime") or _node_text(node)
        if value and not inside(node, sel.DATE_EXCLUDED_ANCESTORS):
            candidates.append((node, value))
    if not candidates:
        return _byline_date(tree)
    main = [
        (n, v)
        for n, v in candidates
        if n.css_matches(", ".join(f"{c} *" for c in _MAIN_CONTAINERS.split(", ")))
    ]
    return _first_date(main or candidates, "time") or _byline_date(tree)


_BYLINE = (
    "[class*=date], [class*=byline], [class*=meta], [class*=time], [class*=posted], "
    "[class*=publish], [id*=date], [class*=info]"
)


def _byline_date(tree: LexborHTMLParser) -> tuple[str | None, str | None] | None:
    """A date written out in a byline or meta line, or just after the headline."""
    nodes = [n for n in tree.css(_BYLINE) if not inside(n, sel.DATE_EXCLUDED_ANCESTORS)]
    h1 = tree.css_first("h1")
    if h1 is not None:
        sibling, steps = h1.next, 0
        while sibling is not None and steps < 4:
            if sibling.is_element_node:
                nodes.append(sibling)
                steps += 1
            sibling = sibling.next
    for node in nodes:
        text = _node_text(node)
        if 6 <= len(text) <= 200 and (value := find_date_in_text(text)):
            return value, "text"
    return None


def _first_date(
    candidates: list[tuple[LexborNode, str]], source: str
) -> tuple[str | None, str | None] | None:
    for _, value in candidates:
        if date := normalise_date(value):
            return date, source
    return None


def choose_dates(
    tree: LexborHTMLParser, meta: dict[str, str], jsonld: JsonLd, url: str | None
) -> tuple[str | None, str | None, str | None]:
    """(published, date_source, modified)."""
    published: tuple[str | None, str | None] = (None, None)
    if value := normalise_date(text_of(jsonld.article.get("datePublished"))):
        published = (value, "json-ld")
    if published[0] is None:
        for key in sel.PUBLISHED_META:
            if key in meta and (value := normalise_date(meta[key])):
                published = (value, f"meta:{key}")
                break
    if published[0] is None and (found := _visible_date(tree)):
        published = found
    if published[0] is None and (
        value := normalise_date(text_of(jsonld.article.get("dateCreated")))
    ):
        published = (value, "json-ld:dateCreated")
    if published[0] is None and (value := date_from_url(url)):
        published = (value, "url")
    modified = normalise_date(text_of(jsonld.article.get("dateModified")))
    if modified is None:
        modified = next(
            (m for k in sel.MODIFIED_META if k in meta if (m := normalise_date(meta[k]))), None
        )
    return published[0], published[1], modified


def _good_section(name: str | None, title: str | None, site_names: list[str]) -> str | None:
    name = clean(name)
    if not name or len(name) > 60:
        return None
    folded = fold(name)
    if folded in sel.HOME_WORDS or (title and folded == fold(title)):
        return None
    if any(folded == fold(s) for s in site_names):
        return None
    return name


def choose_section(
    tree: LexborHTMLParser,
    meta: dict[str, str],
    jsonld: JsonLd,
    url: str | None,
    title: str | None,
    site_names: list[str],
) -> tuple[str | None, str | None]:
    if found := _good_section(text_of(jsonld.article.get("articleSection")), title, site_names):
        return found, "json-ld"
    node = tree.css_first("[itemprop=articleSection]")
    if node is not None and (
        found := _good_section(node.attributes.get("content") or _node_text(node), title, site_names)
    ):
        return found, "microdata"
    for key in sel.SECTION_META:
        if found := _good_section(meta.get(key, "").split(",")[0], title, site_names):
            return found, f"meta:{key}"
    crumbs = [c for c in jsonld.breadcrumbs if _good_section(c, title, site_names)]
    if crumbs:
        return crumbs[-1], "json-ld:breadcrumb"
    for selector in sel.BREADCRUMB_SELECTORS:
        trail = tree.css_first(selector)
        if trail is None:
            continue
        names = [
            t for a in trail.css("a") if (t := _good_section(_node_text(a), title, site_names))
        ]
        if names:
            return names[-1], "breadcrumb"
    for selector in sel.CATEGORY_LINK_SELECTORS:
        for node in tree.css(selector):
            if not inside(node, sel.DATE_EXCLUDED_ANCESTORS) and (
                found := _good_section(_node_text(node), title, site_names)
            ):
                return found, "category-link"
    if url:
        segments = [s for s in urlsplit(url).path.split("/") if s]
        first = segments[0] if len(segments) >= 2 else ""
        if re.fullmatch(r"[a-z][a-z-]{1,30}", first) and (
            found := _good_section(first.replace("-", " ").title(), title, site_names)
        ):
            return found, "url"
    return None, None


def _authors(tree: LexborHTMLParser, meta: dict[str, str], jsonld: JsonLd) -> list[str]:
    names = names_of(jsonld.article.get("author"))
    if not names and meta.get("author"):
        names = [meta["author"]]
    if not names:
        names = [
            t
            for n in tree.css(
                "[itemprop=author] [itemprop=name], a[rel~=author], .byline .author, .author-name"
            )[:3]
            if (t := _node_text(n))
        ]
    seen: list[str] = []
    for name in names:
        name = clean(re.sub(r"^(?:by|von|par|por)\s+", "", name, flags=re.IGNORECASE))
        if name and not name.startswith("http") and len(name) < 80 and name not in seen:
            seen.append(name)
    return seen


def _tags(tree: LexborHTMLParser, jsonld: JsonLd) -> list[str]:
    tags = [clean(n.attributes.get("content")) for n in tree.css("meta[property='article:tag']")]
    keywords = jsonld.article.get("keywords")
    if isinstance(keywords, str):
        tags += [k.strip() for k in keywords.split(",")]
    elif isinstance(keywords, list):
        tags += [k.strip() for k in keywords if isinstance(k, str)]
    if not tags:
        tags = [_node_text(a) for a in tree.css("a[rel~=tag]")]
    unique: list[str] = []
    for tag in tags:
        if tag and tag not in unique and len(tag) < 80:
            unique.append(tag)
    return unique


def extract_metadata(tree: LexborHTMLParser, url: str | None) -> Metadata:
    meta = meta_tags(tree)
    jsonld = parse_jsonld(tree)
    site_names = _site_names(meta, jsonld, url)
    data = Metadata()
    data.title, data.title_source = choose_title(tree, meta, jsonld, site_names)
    data.published, data.date_source, data.modified = choose_dates(tree, meta, jsonld, url)
    data.section, data.section_source = choose_section(
        tree, meta, jsonld, url, data.title, site_names
    )
    canonical = tree.css_first("link[rel=canonical]")
    data.canonical_url = _absolute(
        canonical.attributes.get("href") if canonical is not None else meta.get("og:url"), url
    )
    data.authors = _authors(tree, meta, jsonld)
    html = tree.css_first("html")
    lang = html.attributes.get("lang") if html is not None else None
    lang = (
        lang
        or meta.get("content-language")
        or meta.get("og:locale")
        or text_of(jsonld.article.get("inLanguage"))
    )
    data.language = lang.replace("_", "-").split("-")[0].lower() if lang else None
    data.site_name = clean(meta.get("og:site_name") or jsonld.publisher) or None
    data.description = (
        meta.get("description")
        or meta.get("og:description")
        or text_of(jsonld.article.get("description"))
    )
    data.tags = _tags(tree, jsonld)
    image = (
        meta.get("og:image")
        or meta.get("twitter:image")
        or text_of(
            jsonld.article.get("image")
            if not isinstance(jsonld.article.get("image"), dict)
            else jsonld.article["image"].get("url")
        )
    )
    data.image = _absolute(image, url)
    return data
