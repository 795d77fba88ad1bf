"""The extractor's tuning numbers, each with the reason for its value.

Selectors and vocabulary live in ``selectors.py``; the numbers that say how much, how far
and how many live here, so that a change of threshold is a one-line change in one place.
(Numbers that only bound how much text is folded for speed, with the same results, stay
beside their code: ``placement.FOLD_MARGIN``.) Figures quoted were measured on
``../shared/corpus``.
"""

from __future__ import annotations

# --- Chrome removal (chrome.py) ---

PROSE_CHARS = 400
"""A nav, form or hidden block with this much <p> text outside links holds the article."""
SEE_ALSO_MAX_CHARS = 250
"""A "Read also:" block longer than this is a paragraph that happens to start so."""
CHROME_TITLE_EXTRA_CHARS = 10
"""A widget title may run this far past the longest CHROME_HEADINGS entry; longer is a
heading of the story."""
CHROME_PHRASE_MIN_WORDS = 2
"""Words of a widget phrase before "from"/"auf" and a site name ("More news from X")."""
SITE_NAME_MAX_WORDS = 4
"""Words of the site or section name after that word."""
CHROME_TITLE_LEVELS = 3
"""Ancestors of a widget title climbed to find the widget it heads."""
CHROME_TITLE_GROWTH = 3
"""The climb stops at the first ancestor with this many times the title's text: the widget."""
CHROME_WIDGET_LINK_SHARE = 0.4
"""The widget goes whole when more than this share of its text is links (a link list);
else only its title goes."""

SIGNUP_ACTION_MAX_CHARS = 40
"""A button or link label longer than this is a sentence, not "Subscribe now"."""
SIGNUP_BOX_MAX_CHARS = 600
"""A sign-up box holds at most this much text (heading, pitch, field labels, fine print)."""
SIGNUP_LABEL_CHARS = 60
"""A wrapper that adds at most this much text to a box (a heading, a label) is part of it
whatever its words; one that adds more must add a pitch in sign-up vocabulary."""
SIGNUP_SIBLINGS = 2
"""Blocks looked at on each side of a box for a pitch set outside it..."""
SIGNUP_SIBLING_MAX_CHARS = 200
"""...each a short block in sign-up vocabulary (a longer one is a paragraph of the story)."""

# --- The content container (container.py) ---

MAIN_CONTENT_SHARE = 0.85
"""The container trafilatura reads must hold this share of the page's long-paragraph text."""
MAIN_CONTENT_MIN_PARAGRAPH = 100
"""Paragraphs shorter than this do not count towards that share: teaser excerpts, captions
and one-line blurbs would otherwise keep a short story's container from being chosen."""
MAIN_CONTENT_MIN_PROSE = 500
"""Below this much long-paragraph text there is too little to tell a container: the whole
page is read."""
UNNAMED_CONTAINER_MIN_PROSE = 1500
"""An unnamed block ("div, section") may be the container only on pages with this much
long-paragraph text: below it, a long author bio or teaser could pass for the story.
(wcxb-dev leak 2.33% -> 2.19%, word F1 .9548 -> .9551, headings .8584 -> .8594.)"""
UNNAMED_CONTAINER_LINK_SHARE = 0.5
"""The unnamed block widens to its parent until this share of what the parent adds is
link text (the menus and link lists around the story); without widening, lists and tables
beside the story were lost (word F1 .9545)."""

# --- The reader (reader.py) ---

PRECISION_FIRST = True
"""trafilatura's precision mode first: slower, but fewer leaks (zyte F1 .971 vs .965, wcxb
leak 2.6% vs 3.4%)."""
PRECISION_KEEP_SHARE = 0.5
"""When precision mode keeps less than this share of the paragraph text it has likely
dropped the article: the balanced mode is tried."""
MISNAMED_WRAPPER_SHARE = 0.5
"""A wrapper named like chrome ("page-footer", "meta_field") holding this share of the
article is why trafilatura lost it: it is read again with the wrapper unnamed."""
MISNAMED_RETRY_GAIN = 1.5
"""That second reading is taken when it keeps this many times as much."""
CONTAINER_FALLBACK_SHARE = 0.4
"""A reading that keeps less than this share of the paragraph text has lost the article's
blocks: the wrappers are unnamed, and the container's own blocks are taken."""
CONTAINER_FALLBACK_LINK_SHARE = 0.5
"""Container blocks and recovered lists above this link share are link lists, not text."""
TITLE_ROOM_CHARS = 20
"""A kept block this much longer than the title is not the title repeated."""

# --- Placing dropped text among the kept blocks (placement.py, headings.py, lead.py) ---

MATCH_KEY_CHARS = 50
"""The first characters of a text that find it in the body or the page."""
MATCH_KEY_MIN_CHARS = 16
"""A shorter folded key matches by chance."""
LINE_KEY_MIN_CHARS = 20
"""A kept line shorter than this does not locate the body in the page's text."""

# --- Heading recovery (headings.py) ---

HEADING_MAX_CHARS = 200
"""A "heading" longer than this is a paragraph set in a heading tag."""
FOLLOWING_CHARS = 60
"""Characters of the text after a dropped heading that place it in the body."""
SKIPPABLE_HEADING_CHARS = 60
"""A sub-heading right after it, also dropped, is looked past when no longer than this."""
MAX_SKIPPED_HEADINGS = 2
"""At most this many such sub-headings are looked past."""
HEADING_WRAPPER_LEVELS = 6
"""Wrappers holding nothing but the heading (page builders nest several) looked past."""
LATER_KEPT_SIBLINGS = 40
"""Siblings after a heading searched for a block the body kept, when its first were dropped."""
LATER_KEPT_MIN_KEY = 40
"""Such a sibling needs this many folded characters to be placed without doubt."""

# --- Gap recovery (gaps.py) ---

GAP_CONTEXT_CHARS = 40
"""Characters of page text before and after a dropped list that must meet in the body."""
GAP_CONTEXT_MIN_CHARS = 20
"""Less context than this on either side places a list by chance."""
GAP_MIN_CHARS = 20
"""A list or table with less text than this is not worth placing."""
GAP_HEADINGS_BEFORE = 2
"""Headings over a dropped list that may have been dropped with it."""
GAP_MAX_FOLLOWERS = 6
"""Lists, tables and headings after it that may belong to the same gap."""

# --- Lead recovery (lead.py) ---

LEAD_MIN_CHARS = 40
"""A lead is at least this long (shorter is a kicker or a label)..."""
LEAD_MAX_CHARS = 1200
"""...and at most this long (longer is the article)."""
LEAD_MAX_LINK_SHARE = 0.3
"""A lead with more link text than this is a teaser list."""
LEAD_MAX_GAP = 800
"""A lead ends at most this many characters of page text before the body's first block."""
LEAD_BODY_BLOCKS = 3
"""The body's first blocks looked for in the page's text to find where the body starts."""
LEAD_IN_BODY_CHARS = 60
"""A lead whose start is in the body already was kept."""

# --- Filters (filters.py) ---

REPEAT_MIN_LINES = 10
"""A run of lines all seen before, with this many long lines, is a second copy of the
article (a responsive variant per screen size)..."""
REPEAT_MIN_CHARS = 100
"""...counting lines of this many characters (a pull quote or photo credit repeats alone)."""
CREDIT_LINE_MAX_CHARS = 300
"""An image credit or copyright line is at most this long."""
FURNITURE_MAX_CHARS = 120
"""A comment count or labelled date line is at most this long."""
CALL_TO_ACTION_MAX_CHARS = 200
"""A newsletter or subscribe-to-read line is at most this long."""
DISCLOSURE_MAX_CHARS = 400
"""An ad label or affiliate disclosure is at most this long."""
NOTICE_MAX_CHARS = max(
    CREDIT_LINE_MAX_CHARS, FURNITURE_MAX_CHARS, CALL_TO_ACTION_MAX_CHARS, DISCLOSURE_MAX_CHARS
)
"""No notice rule reads a longer block."""
PROMO_TAIL_BLOCKS = 2
"""Calls to action in looser wording are dropped only among the body's last blocks..."""
PROMO_TAIL_MAX_CHARS = 300
"""...and only when this short."""

# --- Headline, section, authors, tags (title.py, section.py, metadata.py) ---

SITE_NAME_MIN_CHARS = 3
"""A site name shorter than this is not matched inside a title part (it would match by chance)."""
SITE_NAME_EXTRA_CHARS = 12
"""A title part this much longer than the site name it holds is more than the name."""
TITLE_KEEP_SHARE = 0.3
"""Stripping a site name must leave this share of the title, else the "name" was the title."""
HOST_NAME_SHARE = 0.4
"""A <title> part names the site when it holds the host's name ("bbcnews" for bbc.co.uk) or
is held by it ("meridian" for dailymeridian.com), the shorter at least this share of the
longer; "localnews" for a host "news" is near the limit, a headline never is."""
PIPE_HEAD_MIN_WORDS = 3
"""The part before " | " is the headline when it has this many words."""
H1_CANDIDATES = 12
"""The page's first h1s compared with the declared titles (more are a listing's)."""
H1_PARTIAL_MIN_CHARS = 15
"""An h1 this long that is part of a declared title (or holds one) is the headline."""
HEADLINE_MIN_WORDS = 2
"""A one-word h1 is the site's name or a logo, not a headline..."""
HEADLINE_MAX_CHARS = 300
"""...and a longer one is a paragraph set as a heading."""
SECTION_MAX_CHARS = 60
"""A section label longer than this is a sentence, not a section."""
SECTION_MAX_WORDS = 6
"""A trail's last crumb with more words than this is the page's headline, not a section."""
SELF_CRUMB_WORDS = 2
"""A trail's last crumb that links the page itself is the page under another name ("Ferry
timetable: what changes"), unless it is as short as a section name: some trails link their
category to the page by mistake (trafilatura-eval: a garden site's "Zimmerpflanzen")."""
PLAIN_TRAIL_CRUMBS = 3
"""A trail without links ("Home > World > Headline") ends with the current page when it has
this many crumbs; a shorter one ("Home > World") names the section last."""
AUTHOR_NODES = 3
"""Byline elements read for authors when the metadata names none."""
NAME_MAX_CHARS = 80
"""An author name or tag this long is a sentence, not a name."""

# --- The page's kind (page_type.py, not_html.py) ---

SNIFF_CHARS = 2048
"""Characters read at the start of the input to tell a web page from binary bytes..."""
BINARY_SHARE = 0.1
"""...which have more than this share of control or replacement characters there."""

LISTING_MIN_TEASERS = 5
"""A listing URL or a listing declaration is believed with this many teasers (headings
linking to other pages of the site) on the page..."""
ARTICLE_MIN_WORDS = 120
"""...or when the body kept is shorter than this."""
LISTING_MANY_TEASERS = 10
"""Without a URL or a declaration, this many teasers and a thin body make a listing."""
OTHER_MAX_WORDS = 25
"""A page without article metadata whose body is shorter than this, with at most one
sentence-long block, is no article (a form, an error page, a "checking your browser"
interstitial; trafilatura-eval holds a 36-word blog post, the shortest real article seen)..."""
SENTENCE_MIN_WORDS = 5
"""...a block of this many words being a sentence, a shorter one a heading or a label."""
CJK_CHARS_PER_WORD = 2
"""Characters of Chinese or Japanese text counted as one word in those thresholds (a 6-"word"
Chinese article of 900 characters is no short page)."""

# --- The source link (source_link.py) ---

SOURCE_BLOCK_MAX_CHARS = 200
"""A "Source: <link>" block is short; a longer block is a paragraph that cites a link."""
SOURCE_LEAD_MAX_CHARS = 160
"""Text before a link read for a "Source:" label."""
SOURCE_LEAD_LEVELS = 3
"""Inline wrappers around the link climbed to find that text..."""
SOURCE_LEAD_PIECES = 6
"""...reading this many pieces of text before it at each level."""
SOURCE_BLOCK_REST_CHARS = 40
"""A source link's block goes with it when it holds less other text than this."""
SOURCE_MAX_CREDIT_LINES = 3
"""An aggregated post ends with a few credit lines ("Source: X", "The post ... appeared first
on Y", "Source link"); a page with more is a link roundup, whose "via X" lines are its
entries (trafilatura-eval: a link blog lost two of them when every line was removed)."""

# --- The publication date (printed.py, published.py) ---

BYLINE_SIBLINGS = 4
"""Elements after the headline read as its byline: the date line sits right under it."""
BYLINE_MIN_CHARS = 6
"""A byline shorter than this cannot hold a written-out date."""
BYLINE_MAX_CHARS = 200
"""A "byline" longer than this is a paragraph, whose dates are the story's, not its own."""
HEADLINE_WINDOW = 200
"""How many characters after the headline count as its byline."""
HEADLINE_WINDOW_MARGIN = 40
"""Text read past that window, so that a date straddling its end is read whole."""
HEADLINE_LEAD_CHARS = 30
"""Text read before the headline too: a date line set just above it."""
UPDATE_LABEL_CHARS = 30
"""How far before a printed day an "Updated" label is looked for."""
SETTLED_SOURCES = 3
"""The leading sources (first meta tag, JSON-LD, visible date) htmldate settles between."""
ZONE_SHIFT_HOURS = 6
"""How close to midnight a timestamp must be for a neighbouring printed day to be the same
moment seen from another time zone."""
SAME_INSTANT_SECONDS = 120
"""Two timestamps this close are the same moment written in two offsets."""

# --- The fast path: the lexbor reader on a clear container (fast_path.py, lexbor_reader.py) ---

FAST_MIN_CHARS = 500
"""A reading shorter than this is too little to trust: trafilatura reads the container."""
FAST_KEEP_SHARE = 0.8
"""The reading must keep this share of the container's paragraph text: when the boxes it
skipped held more, the container is not clear. (0.9 until wave 4: 0.8 with captions up to
CAPTION_MAX_CHARS 400 put 3-5% more pages of each dataset on the fast path, every eval
figure within 0.002 of 0.9's; 0.8 with 250-character captions read long photo captions as
prose: docs/evaluation.md, "Wave 4".)"""
FAST_MAX_LINK_SHARE = 0.15
"""A reading with this share of link text or more is a listing, not a clear article."""
LINK_BLOCK_SHARE = 0.8
"""A short block (under LINK_TEST_CHARS) with more link text than this, or whose links are
mostly short ones, is a link list or a pointer..."""
LINK_TEST_CHARS = 100
"""...short meaning under this many characters (LINK_TEST_LAST_CHARS for the reading's last
block; a paragraph: LINK_TEST_P_CHARS, LINK_TEST_LAST_P_CHARS)..."""
LINK_TEST_LAST_CHARS = 300
LINK_TEST_P_CHARS = 30
LINK_TEST_LAST_P_CHARS = 60
LINK_FARM_SHARE = 0.9
"""...and a longer block with more than LINK_FARM_MIN_LINKS links making up this share of its
text is a link farm, unless its links are long (catalog cards: LINK_FARM_CARD_CHARS a link).
(trafilatura's link-density test, so the fast path keeps what its precision mode keeps.)"""
LINK_FARM_MIN_LINKS = 4
LINK_FARM_CARD_CHARS = 100
SINGLE_LINK_MIN_CHARS = 10
"""A block that is one link of more than this many characters (and SINGLE_LINK_SHARE of its
text) is a teaser title or a pointer."""
SINGLE_LINK_SHARE = 0.9
FAST_MISNAMED_SHARE = 0.5
"""A box named like chrome holding this share of the container's paragraph text is the
article in a misnamed wrapper: it is read."""
SHORT_LINK_CHARS = 10
"""A link with less text than this is a short one ("Next", a tag): a block whose links are
mostly short ones is a row of tags or pointers."""
LINK_BOX_CHARS = 100
"""A ``<div>`` or ``<section>`` with less text than this and a link in it is a pointer box
("More on this", a tag line), not the article..."""
LINK_BOX_LAST_CHARS = 200
"""...and this when it is its parent's last element (trafilatura's precision-mode limits)."""
BARE_TEXT_MAX_PROSE = 250
"""Text set directly in a ``<div>`` (not in a paragraph, heading, list, quote or table) is
read only when the container has less paragraph text than this: beside paragraphs it is a
caption, a notice or a date line (trafilatura reads such text only then, too)."""
ENTRY_LIMIT = 2
"""A container holding this many entries (``<article>``, ``.hentry``) besides itself, each
with ENTRY_PROSE_SHARE of its paragraph text or ENTRY_MIN_PROSE characters of it, is a
listing (a blog page, a stream of stories): trafilatura reads it. Teaser cards hold less."""
ENTRY_PROSE_SHARE = 0.15
ENTRY_MIN_PROSE = 400
TEASER_MAX_CHARS = 300
"""A box whose heading is one link, with less text than this under it, is a teaser card of
another page (its summary), not a section of the article."""
LABEL_MAX_CHARS = 60
"""A line this short left alone in a box whose link list was dropped is the list's title."""
CAPTION_MAX_CHARS = 400
"""A box holding a picture and less text than this is a figure: the text is its caption
(news agencies' captions run to 300 characters: "In this photo taken on..., file")."""
