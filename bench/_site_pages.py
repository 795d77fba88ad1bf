"""The crawl benchmark's local news site: generated article pages dressed in a real site's
chrome (mega-menu, inline config and styles, teaser rails, comments, footer link farm), or
real saved pages from a corpus folder, served on 127.0.0.1 with a sitemap listing them all.
Used by ``crawl_speed.py`` (the server runs in a process of its own)."""

from __future__ import annotations

import gzip
import html
import json
import random
import sys
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.encoding import decode_html  # noqa: E402
from tests.fixture_site import TOPICS, make_article, render_article  # noqa: E402

MENU = "".join(f'<li><a href="/section/{s}-{i}/">{s.title()} {i}</a></li>'
               for s in ("world", "politics", "business", "sport", "culture", "science")
               for i in range(30))
FOOTER = "".join(f'<a href="/info/page-{i}/">Information page {i}</a> ' for i in range(120))
CONFIG_BLOB = json.dumps({"ads": [{"slot": f"slot-{i}", "sizes": [[300, 250], [728, 90]],
                                   "targeting": {"kw": ["news", "harbour", str(i)]}}
                                  for i in range(160)], "tracking": {"id": "UA-000000-1"}})
STYLE = "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i:06x}}}" for i in range(900))


SENTENCES = tuple(s for topic in TOPICS for s in (topic.lead, *topic.details))


def distinct_paragraphs(index: int, base: list[str]) -> list[str]:
    """Article ``index``'s body: sentences of every topic in an order of its own, then its last
    two (numbered) paragraphs, so that bodies differ as real articles do. The fixture's own
    bodies repeat a topic every ten articles: 590 of 600 were archived as near-duplicates of
    one another, and each save compared ~30 similar bodies, which a real archive seldom does."""
    rng = random.Random(index)
    picked = rng.sample(SENTENCES, 12)
    return [" ".join(picked[k:k + 2]) for k in range(0, 12, 2)] + base[-2:]


def heavy_page(index: int, host: str) -> tuple[str, str]:
    """One generated article page (path, html) dressed in realistic site chrome."""
    article = make_article(index)
    article.paragraphs = distinct_paragraphs(index, article.paragraphs)
    url = f"{host}{article.path}"
    inner = render_article(article, url, [make_article(index + k) for k in (1, 2, 3)])
    teasers = "".join(
        f'<div class="teaser c{k}"><img src="/img/{index}-{k}.jpg" alt=""><h4><a href="'
        f'{make_article(index + k + 4).path}">{html.escape(make_article(index + k + 4).title)}'
        f"</a></h4><p>{html.escape(make_article(index + k + 4).paragraphs[0][:90])}...</p></div>"
        for k in range(12))
    comments = "".join(f'<li class="comment"><b>reader{k}</b><p>Comment number {k} on this '
                       f"story, posted by a reader.</p></li>" for k in range(15))
    head_extra = (f"<style>{STYLE}</style><script>window.__CONFIG__ = {CONFIG_BLOB};</script>"
                  '<script src="/static/app.js" defer></script>')
    page = inner.replace("<head>", f"<head>{head_extra}", 1)
    page = page.replace("<body>", f'<body><nav class="mega-menu"><ul>{MENU}</ul></nav>', 1)
    page = page.replace("</body>", f'<section class="rail"><h3>More from the Gazette</h3>'
                                   f'{teasers}</section><section id="comments"><h3>Comments'
                                   f'</h3><ol>{comments}</ol></section><div class="footer-'
                                   f'links">{FOOTER}</div></body>', 1)
    return article.path, page


def corpus_pages(corpus: Path, limit: int) -> list[str]:
    files = sorted(corpus.rglob("*.gz"))
    pages: list[str] = []
    for file in files:
        data = gzip.decompress(file.read_bytes())
        if b"<html" not in data[:5000].lower() and b"<!doctype" not in data[:500].lower():
            continue
        pages.append(decode_html(data)[0])
        if len(pages) >= limit:
            break
    return pages


def build_pages(count: int, corpus: Path | None, host: str) -> list[tuple[str, str]]:
    if corpus is None:
        return [heavy_page(i, host) for i in range(count)]
    return [(f"/story/{i:05d}/", text) for i, text in enumerate(corpus_pages(corpus, count))]


# --- the server process ------------------------------------------------------------------------


def serve(count: int, corpus: str | None, ready: Connection) -> None:
    from tests.httpserver import FixtureServer, Reply

    server = FixtureServer().start()
    host = server.url("")
    pages = build_pages(count, Path(corpus) if corpus else None, host)
    for path, text in pages:
        server.route(path, Reply(body=text.encode("utf-8"),
                                 headers={"Content-Type": "text/html; charset=utf-8"}))
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
               'schemas/sitemap/0.9">' + "".join(f"<url><loc>{host}{p}</loc></url>"
                                                 for p, _ in pages) + "</urlset>")
    server.route("/sitemap.xml", Reply(body=sitemap.encode(),
                                       headers={"Content-Type": "application/xml"}))
    ready.send((host, len(pages)))
    ready.recv()  # wait until told to stop
    server.stop()
