"""The fixture site's articles: made-up local news (topics, filler, names), one unique
body per index, and the four theme markups they are served in.

Every article text here is made up for these tests.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

THEMES = ("wordpress", "jsonld", "plain", "nodate")
BASE_DATE = datetime(2024, 3, 4, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Topic:
    title: str
    lead: str
    details: tuple[str, str, str]


TOPICS: tuple[Topic, ...] = (
    Topic("Saltmere ferry timetable changes for the winter",
          "The ferry between Saltmere and the Skerry Islands will run four crossings a day "
          "instead of six from the first week of November, the operator said on Monday.",
          ("The early crossing at ten past six is kept because island pupils rely on it to "
           "reach the secondary school on time.",
           "Freight bookings for the island shop will move to the midday sailing, which the "
           "operator says has spare deck space through the winter months.",
           "Island residents asked for a late return on Fridays and the operator agreed to "
           "trial one until the end of January.")),
    Topic("Quay Street library reopens after roof repairs",
          "The public library on Quay Street opened its doors again on Saturday after eight "
          "months of work on a roof that had leaked into the local history room.",
          ("Staff spent the closure drying and cataloguing parish records, some of which had "
           "not been handled since the library moved into the building.",
           "A new reading corner for children sits where the old photocopier room used to be, "
           "with windows that look out over the harbour wall.",
           "Opening hours are longer on Thursdays, when the library now stays open until "
           "eight in the evening for people who work during the day.")),
    Topic("Fishing cooperative reports a record mackerel season",
          "Boats landing at Saltmere brought in more mackerel this summer than in any year "
          "since the cooperative began keeping its ledgers, its members were told.",
          ("Skippers credited calm weather in July and a shoal that stayed close to the bay "
           "for most of August.",
           "The cooperative plans to spend part of the surplus on a second ice machine so "
           "that catches can be kept cold while they wait for the lorries.",
           "Younger crew members asked for a share of the money to go towards safety training "
           "and the board agreed to set aside a fixed sum each year.")),
    Topic("Council approves a cycle lane along the esplanade",
          "Saltmere town council voted to build a protected cycle lane along the full length "
          "of the esplanade, ending a debate that has run for three summers.",
          ("The lane will take the place of the parking bays on the sea side of the road, "
           "which will move to the old bus depot behind the bandstand.",
           "Traders on the esplanade were split: cafés welcomed the plan, while the two gift "
           "shops said their customers arrive by car.",
           "Work is expected to start after the autumn half term so that the busiest weeks "
           "of the holiday season are not disturbed.")),
    Topic("Students build a weather station on the old lighthouse",
          "Pupils from Saltmere Academy have fixed a weather station to the gallery of the "
          "disused lighthouse on Gull Point, with permission from the harbour trust.",
          ("The station records wind speed, rainfall and air pressure every five minutes and "
           "sends the readings to a page the class maintains.",
           "Their physics teacher said the project began as a lesson on sensors and grew once "
           "the students realised nobody measured the wind at the point itself.",
           "Local sailors have already started checking the readings before they take their "
           "dinghies out beyond the breakwater.")),
    Topic("Storm damage closes the coastal path near Gull Point",
          "A section of the coastal path north of Gull Point is closed after last week's "
          "storm washed away part of the cliff edge and a wooden footbridge.",
          ("Rangers have put up fencing and signs at both ends of the closed stretch and ask "
           "walkers to follow the inland diversion through Fernhollow farm.",
           "Engineers will survey the cliff before deciding whether the path can be rebuilt "
           "on its old line or must move further from the edge.",
           "The footbridge was installed by volunteers fifteen years ago and some of them "
           "have offered to help build its replacement.")),
    Topic("Harbour bakery wins a regional bread award",
          "A small bakery behind the fish market has won the regional prize for its seaweed "
          "sourdough, beating more than forty entries from across the county.",
          ("The baker collects the seaweed herself at low tide and dries it in the back room "
           "above the ovens.",
           "Judges praised the crust and said the loaf tasted of the sea without being salty.",
           "Since the announcement the bakery has sold out by ten each morning and plans to "
           "bake a second batch on weekends.")),
    Topic("Harbour dredging project delayed by a permit dispute",
          "Plans to dredge the inner harbour at Saltmere have stalled while the harbour trust "
          "and the environment agency argue over where the silt should be dumped.",
          ("The trust wants to spread the silt on farmland east of the town, while the agency "
           "has asked for tests to show it carries no old paint residues.",
           "Larger boats can only enter the inner harbour two hours either side of high tide "
           "until the channel is deepened.",
           "The harbour master said a decision before spring would still let the work finish "
           "ahead of next year's regatta.")),
    Topic("Volunteers count seabirds on the northern cliffs",
          "Thirty volunteers spent a weekend counting nesting seabirds along the northern "
          "cliffs, repeating a survey first carried out by the town's naturalist society.",
          ("Kittiwake numbers were lower than in the last count, while guillemots had spread "
           "onto ledges that were empty ten years ago.",
           "The counters worked in pairs with binoculars and tally sheets, starting at dawn "
           "when the birds are most settled.",
           "Their figures will be sent to the national seabird monitoring programme before "
           "the end of the season.")),
    Topic("Tram museum restores a carriage from the 1920s",
          "The Saltmere tram museum has finished restoring a passenger carriage that once ran "
          "on the line between the station and the pier.",
          ("Volunteers rebuilt the wooden seats from photographs and matched the paint to a "
           "fragment found under a later coat of varnish.",
           "The carriage will not carry passengers but visitors can sit inside it on open "
           "days and pull the conductor's bell.",
           "The museum hopes to restore a second carriage if a grant application succeeds.")),
)

FILLER = (
    "Figures released on {weekday} put the cost at {amount} pounds, of which the county is "
    "expected to cover about {share} per cent.",
    "\"We have waited a long time for this,\" said {person}, who has lived on {street} for "
    "{years} years. \"People here will notice the difference straight away.\"",
    "A public meeting is planned at the {venue} on {weekday} evening, where residents can ask "
    "questions and see the plans in detail.",
    "The gazette asked the council how many households would be affected; a spokesperson said "
    "roughly {households} homes were in the area concerned.",
)
PEOPLE = ("Marta Okafor", "Tom Penhallow", "Agnieszka Ross", "Dev Lalani", "Bridget Quayle",
          "Samir Haddad", "Elin Trewin", "Hugo Varga")
STREETS = ("Quay Street", "Rope Walk", "Chapel Terrace", "Ferry Lane", "Mill Row",
           "Lantern Hill", "Cooper's Yard")
VENUES = ("town hall", "lifeboat station", "Methodist hall", "sailing club", "old school")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def article_paragraphs(index: int, topic: Topic, *, edition: int = 0) -> list[str]:
    """A unique body for article ``index`` (numbers and names vary with the index)."""
    values = {
        "weekday": WEEKDAYS[index % len(WEEKDAYS)],
        "amount": f"{(index * 7919) % 900_000 + 40_000:,}",
        "share": 20 + index % 60,
        "person": PEOPLE[index % len(PEOPLE)],
        "street": STREETS[(index // 3) % len(STREETS)],
        "years": 3 + index % 50,
        "venue": VENUES[index % len(VENUES)],
        "households": 120 + (index * 37) % 4000,
    }
    paragraphs = [
        topic.lead,
        topic.details[0],
        FILLER[0].format(**values),
        topic.details[1],
        FILLER[1].format(**values),
        topic.details[2],
        FILLER[2].format(**values),
        FILLER[3].format(**values) + f" The reference number for the scheme is SG-{index:05d}.",
    ]
    if edition:
        paragraphs.insert(2, f"Update: after this story was first published the council "
                             f"confirmed a further change, recorded as correction {edition} "
                             f"to item SG-{index:05d}.")
    return paragraphs


@dataclass
class FixtureArticle:
    index: int
    slug: str
    title: str
    published: datetime
    theme: str
    paragraphs: list[str]
    in_feed: bool = True
    on_section: bool = True
    in_sitemap: bool = True
    removed: bool = False

    @property
    def path(self) -> str:
        if self.theme == "nodate":
            return f"/news/{self.slug}/"
        return f"/{self.published:%Y/%m}/{self.slug}/"


def make_article(index: int, *, theme: str | None = None, edition: int = 0) -> FixtureArticle:
    topic = TOPICS[index % len(TOPICS)]
    suffix = "" if index < len(TOPICS) else f" ({index // len(TOPICS) + 1})"
    title = topic.title + suffix
    slug = "-".join(title.lower().replace("(", "").replace(")", "").replace("'", "").split())
    return FixtureArticle(
        index=index, slug=slug, title=title,
        published=BASE_DATE + timedelta(hours=index * 5),
        theme=theme or THEMES[index % len(THEMES)],
        paragraphs=article_paragraphs(index, topic, edition=edition),
    )


# --- markup ----------------------------------------------------------------------------------

HEADER = (
    '<header class="masthead"><a class="logo" href="/">The Saltmere Gazette</a>'
    '<nav class="menu"><a href="/category/world/">World</a> <a href="/category/town/">Town</a>'
    ' <a href="/about/">About us</a> <a href="/tag/harbour/">#harbour</a></nav></header>'
)
FOOTER = ('<footer class="site-footer"><p>The Saltmere Gazette, 4 Rope Walk, Saltmere.</p>'
           '<a href="/contact/">Contact</a> <a href="/privacy/">Privacy</a></footer>')


def _paras(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def render_article(article: FixtureArticle, url: str, related: list[FixtureArticle]) -> str:
    title = html.escape(article.title)
    iso = article.published.isoformat()
    human = f"{article.published.day} {article.published:%B %Y}"
    popular = "".join(f'<li><a href="{r.path}">{html.escape(r.title)}</a></li>' for r in related)
    aside = f'<aside class="sidebar"><h3>Most Popular</h3><ul>{popular}</ul></aside>'
    head = f'<meta charset="utf-8"><title>{title} | The Saltmere Gazette</title>'
    if article.theme == "wordpress":
        head += (f'<link rel="canonical" href="{url}">'
                 f'<meta property="og:title" content="{title}">'
                 f'<meta property="article:published_time" content="{iso}">')
        main = (f'<main id="main"><article class="post type-post"><h1 class="entry-title">{title}'
                f'</h1><div class="entry-meta">By <a rel="author" href="/author/elin-trewin/">'
                f'Elin Trewin</a> · <time class="published" datetime="{iso}">{human}</time></div>'
                f'<div class="entry-content">{_paras(article.paragraphs)}</div>'
                f'<footer class="entry-footer"><a href="/tag/saltmere/" rel="tag">Saltmere</a>'
                f'</footer></article>{aside}</main>')
    elif article.theme == "jsonld":
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
                "datePublished": iso, "author": {"@type": "Person", "name": "Dev Lalani"},
                "mainEntityOfPage": url}
        head += f'<script type="application/ld+json">{json.dumps(data)}</script>'
        main = (f'<div class="page"><div class="story"><h1 class="story-headline">{title}</h1>'
                f'<p class="byline">Dev Lalani, harbour reporter</p>'
                f'<div class="story-body">{_paras(article.paragraphs)}</div></div>{aside}</div>')
    elif article.theme == "plain":
        main = (f'<div id="content"><h2>{title}</h2><p class="dateline">Published {human}</p>'
                f'{_paras(article.paragraphs)}</div>{aside}')
    else:  # nodate
        main = (f'<div class="wrapper"><section class="article-text"><h1>{title}</h1>'
                f'{_paras(article.paragraphs)}</section></div>{aside}')
    return (f'<!DOCTYPE html><html lang="en"><head>{head}</head><body>{HEADER}{main}{FOOTER}'
            f'</body></html>')
