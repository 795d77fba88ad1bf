"""The archive as `scraper serve` shows it in Datasette.

``metadata.json``  titles, descriptions, facets, hidden tables and the canned questions,
                   among them ``search``: plain words ranked by bm25, one hit per story
``plugin.py``      what metadata cannot do: the ``scraper_words()`` SQL function (plain
                   words quoted for FTS5, as ``scraper search`` does), links from headlines
                   to a reading page with the full text, highlighted previews, and the
                   stylesheet (``archive.css``) that keeps the first screen on the rows
``article.html``   the reading page

Only ``plugin.py`` imports Datasette (the optional ``serve`` extra).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any
from urllib.parse import quote

__all__ = ["datasette_metadata", "resource_text"]


def resource_text(name: str) -> str:
    """A file of this package (metadata.json, article.html, archive.css)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def datasette_metadata(database_name: str, *, database_path: str | None = None) -> dict[str, Any]:
    """Our Datasette metadata for a database called ``database_name``; its links lead to
    ``database_path`` (Datasette's URL of the database, ``/<name>`` by default)."""
    path = database_path or "/" + quote(database_name, safe="")
    text = resource_text("metadata.json").replace("{db}", json.dumps(path)[1:-1])
    metadata: dict[str, Any] = json.loads(text)
    metadata["databases"] = {database_name: metadata["databases"]["archive"]}
    return metadata
