"""The body's blocks as the archive stores them (``articles.blocks``, ``revisions.blocks``):
JSON text, a list of ``{"kind": ..., ...}`` objects, one per block of ``Article.blocks``
(``scraper/extract/blocks.py``: its fields by name; a list's ``children`` only when it has
nested blocks or links; ``links`` only on a block that has some, each ``{"start", "end",
"url"}``, and a table cell's ``"row"``, ``"col"`` when not 0). Blocks stored before links
read back without them. A record without blocks (made before them, or not by the
extractor) is stored as its plain body's paragraphs, the known sub-headings as headings.

Written from the blocks' fields alone, so the archive needs none of the extractor's modules;
``scraper.body_formats.blocks_from_json`` reads it back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from scraper.models import Article

if TYPE_CHECKING:
    from scraper.extract.blocks import Block

__all__ = ["blocks_json", "plain_blocks", "stored_blocks"]


_OMITTED_WHEN_EMPTY = frozenset({"children", "links"})
_OMITTED_WHEN_ZERO = frozenset({"row", "col"})


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(kind))


def _compact(value: Any) -> Any:
    """A block (or link, or a tuple of them) as JSON-ready dicts and lists, its empty
    ``children``/``links`` and zero ``row``/``col`` left out. Read field by field: the
    generic ``dataclasses.asdict`` (a deep copy of every value) cost about 1 ms of the single
    writer's time for each new article (``bench/captures_speed.py``, profiled)."""
    if isinstance(value, tuple | list):
        return [_compact(item) for item in value]
    kind = type(value)
    if not is_dataclass(kind):
        return value
    row: dict[str, Any] = {}
    for name in _names(kind):
        item = getattr(value, name)
        if (name in _OMITTED_WHEN_EMPTY and not item) or (name in _OMITTED_WHEN_ZERO
                                                          and item == 0):
            continue
        row[name] = _compact(item)
    return row


def stored_blocks(article: Article) -> str:
    """``article``'s blocks as stored (from its body and headings when it has none)."""
    if not article.blocks:
        return plain_blocks(article.body, article.headings)
    return blocks_json(article.blocks)


def blocks_json(blocks: Sequence[Block]) -> str:
    """``blocks`` as stored."""
    return json.dumps([_compact(block) for block in blocks], ensure_ascii=False)


def plain_blocks(body: str, headings: Sequence[str]) -> str:
    """The stored blocks of a plain body: a paragraph per blank-line-separated part, the
    parts listed in ``headings`` as level-2 headings.

    >>> plain_blocks("Calm.\\n\\nOutlook", ["Outlook"])
    '[{"kind": "paragraph", "text": "Calm."}, {"kind": "heading", "text": "Outlook", "level": 2}]'
    """
    listed = set(headings)
    return json.dumps(
        [{"kind": "heading", "text": text, "level": 2} if text in listed
         else {"kind": "paragraph", "text": text}
         for part in body.split("\n\n") if (text := part.strip("\n"))],
        ensure_ascii=False,
    )
