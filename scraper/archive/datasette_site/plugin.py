"""A Datasette plugin, registered by `scraper serve`: what metadata alone cannot do.

- ``scraper_words(text)``: the FTS5 query for plain words (``queries.search.plain_query``),
  so the ``search`` canned query reads ``U.S.`` or ``don't`` as ``scraper search`` does; a
  query with nothing to find matches no row instead of failing.
- Headlines link to a reading page (``/-/scraper/<database>/article/<id>``): the article's
  fields and its whole body as paragraphs, one click from any search result or row.
- Previews in query results show their ``**matched**`` words highlighted.
- ``archive.css`` on every page: column descriptions stay in each column's menu instead of
  filling the first screen of the articles table; body previews get room to stay short.

Datasette's table search does not rank (datasette#268); ranking lives in the canned query.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlencode

import markupsafe
import pluggy
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Forbidden, NotFound, Response

from scraper.archive.datasette_site import resource_text
from scraper.archive.queries.search import plain_query
from scraper.errors import ArchiveError

CSS_PATH = "/-/scraper/archive.css"
ARTICLE_ROUTE = r"^/-/scraper/(?P<database>[^/]+)/article/(?P<id>\d+)$"
NO_MATCH = '""'
"""An FTS5 query that matches nothing (an empty phrase)."""
hookimpl = pluggy.HookimplMarker("datasette")
"""Datasette's own marker (``datasette.hookimpl``), typed."""
_MARKED = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_ARTICLE_FIELDS = ("id", "title", "published", "modified", "site", "section", "authors", "url",
                   "source_link", "body", "duplicate_of", "revision_count", "first_seen")


def database_path(name: str) -> str:
    """Datasette's path of a database (its name tilde-encoded)."""
    return "/" + str(tilde_encode(name))


def scraper_words(text: str | None) -> str:
    """Plain words as an FTS5 query; a query with nothing to find matches nothing."""
    try:
        return plain_query(text or "")
    except ArchiveError:
        return NO_MATCH


def article_url(datasette: Any, database: str, article_id: object) -> str:
    return str(datasette.urls.path(f"/-/scraper/{tilde_encode(database)}/article/{article_id}"))


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("scraper_words", 1, scraper_words, deterministic=True)


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [str(datasette.urls.path(CSS_PATH))]


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> markupsafe.Markup | None:
    """Headlines (and ``article_id`` cells) link to the reading page; previews highlight."""
    keys = set(row.keys()) if hasattr(row, "keys") else set()
    article_id = row["id"] if table == "articles" and "id" in keys else (
        row["article_id"] if table is None and "article_id" in keys else None)
    if value in (None, "") or article_id is None:
        return None
    if column in ("title", "article_id"):
        return markupsafe.Markup('<a href="{}">{}</a>').format(
            article_url(datasette, database, article_id), value)
    if column == "preview" and table is None and isinstance(value, str):
        escaped = str(markupsafe.escape(value))
        return markupsafe.Markup(_MARKED.sub(r"<mark>\1</mark>", escaped))
    return None


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [("^" + re.escape(CSS_PATH) + "$", stylesheet), (ARTICLE_ROUTE, article_page)]


async def stylesheet() -> Response:
    return Response(resource_text("archive.css"), content_type="text/css; charset=utf-8",
                    headers={"Cache-Control": "max-age=3600"})


async def article_page(datasette: Any, request: Any) -> Response:
    """One article to read: its fields, the whole body as paragraphs, links onwards."""
    database = tilde_decode(request.url_vars["database"])
    try:
        db = datasette.get_database(database)
    except KeyError as exc:
        raise NotFound(f"no database {database}") from exc
    visible = await datasette.permission_allowed(request.actor, "view-table",
                                                 (database, "articles"), default=True)
    if not visible:
        raise Forbidden("you may not view the articles")
    result = await db.execute(f"select {', '.join(_ARTICLE_FIELDS)} from articles where id = ?",
                              [int(request.url_vars["id"])])
    row = result.first()
    if row is None:
        raise NotFound("no such article")
    article = dict(zip(_ARTICLE_FIELDS, row, strict=True))
    story = article["duplicate_of"] or article["id"]
    others = (await db.execute("select count(*) from articles where duplicate_of = ?",
                               [story])).first()[0]  # the original's copies, or the copy's kin
    base = database_path(database)
    template = datasette.jinja_env.from_string(resource_text("article.html"))
    html = await datasette.render_template(template, {
        "database": database,
        "table": "articles",
        "color": hashlib.md5(database.encode(), usedforsecurity=False).hexdigest()[:6],
        "article": article,
        "paragraphs": [p for p in (article["body"] or "").split("\n\n") if p.strip()],
        "others": others,
        "links": {
            "row": datasette.urls.row(database, "articles", str(article["id"])),
            "revisions": datasette.urls.path(f"{base}/revisions?article_id={article['id']}"),
            "story": datasette.urls.path(f"{base}/articles?" + urlencode(
                {"_where": f"id = {story} or duplicate_of = {story}"})),
            "original": article_url(datasette, database, story),
            "search": datasette.urls.path(f"{base}/search"),
        },
    }, request=request)
    return Response.html(html)
