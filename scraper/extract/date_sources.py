"""The closed set of ``date_source`` values: which source gave an article's publication date.

Every value the date cascade (``published.py``) can record is written out here;
``docs/schema.md`` (section ``date_source``) gives the meaning of each. A meta tag's value is
``meta:`` and its key (one per key of ``selectors.PUBLISHED_META``); ``+htmldate`` marks a
source chosen among disagreeing ones because htmldate's whole-page search agreed with it.
"""

from __future__ import annotations

from typing import Literal, get_args

DateSource = Literal[
    # the page's own markup, as served
    "meta:article:published_time",
    "meta:og:article:published_time",
    "meta:article:published",
    "meta:datepublished",
    "meta:pubdate",
    "meta:publishdate",
    "meta:publish-date",
    "meta:publish_date",
    "meta:published_time",
    "meta:parsely-pub-date",
    "meta:sailthru.date",
    "meta:dc.date.issued",
    "meta:dcterms.issued",
    "meta:dc.date",
    "meta:dcterms.date",
    "meta:dcterms.created",
    "meta:dc.date.created",
    "meta:date",
    "meta:article.published",
    "meta:og:published_time",
    "meta:cxenseparse:recs:publishtime",
    "meta:article_date_original",
    "meta:originalpublicationdate",
    "meta:publication_date",
    "meta:release_date",
    "meta:citation_publication_date",
    "meta:displaydate",
    "meta:date_published",
    "meta:bt:pubdate",
    "meta:story.published",
    "json-ld",
    "json-ld:dateCreated",
    "microdata",
    "time",
    "text",
    "headline",
    "url",
    # the same, settled by htmldate among disagreeing sources (generic meta keys never are)
    "meta:article:published_time+htmldate",
    "meta:og:article:published_time+htmldate",
    "meta:article:published+htmldate",
    "meta:datepublished+htmldate",
    "meta:pubdate+htmldate",
    "meta:publishdate+htmldate",
    "meta:publish-date+htmldate",
    "meta:publish_date+htmldate",
    "meta:published_time+htmldate",
    "meta:parsely-pub-date+htmldate",
    "meta:sailthru.date+htmldate",
    "meta:dc.date.issued+htmldate",
    "meta:dcterms.issued+htmldate",
    "meta:article.published+htmldate",
    "meta:og:published_time+htmldate",
    "meta:cxenseparse:recs:publishtime+htmldate",
    "meta:article_date_original+htmldate",
    "meta:originalpublicationdate+htmldate",
    "meta:publication_date+htmldate",
    "meta:release_date+htmldate",
    "meta:citation_publication_date+htmldate",
    "meta:displaydate+htmldate",
    "meta:date_published+htmldate",
    "meta:bt:pubdate+htmldate",
    "meta:story.published+htmldate",
    "json-ld+htmldate",
    "microdata+htmldate",
    "time+htmldate",
    "text+htmldate",
    "headline+htmldate",
    # the last resorts, when the markup gives no date
    "htmldate",
    "modified",
    # the listing that linked the page (models.Hints.source)
    "feed",
    "sitemap",
    "page",
]

DATE_SOURCES: frozenset[str] = frozenset(get_args(DateSource))

META_SOURCES: dict[str, DateSource] = {
    source.removeprefix("meta:"): source
    for source in get_args(DateSource)
    if source.startswith("meta:") and not source.endswith("+htmldate")
}
"""The source of each meta key: ``META_SOURCES["dc.date"] == "meta:dc.date"``."""

SETTLED_BY_HTMLDATE: dict[DateSource, DateSource] = {
    source.removesuffix("+htmldate"): source
    for source in get_args(DateSource)
    if source.endswith("+htmldate")
}
"""A source and its ``+htmldate`` form, for the sources that can lead a disagreement."""
