"""The date cascade's fallback (issue 17): htmldate's second parse of the page runs only
where the cheaper sources do not answer."""

from __future__ import annotations

from scraper.extract import extract_article

URL = "https://x.example/story/"
PROSE = "".join(
    f"<p>Paragraph {n} of a story about the harbour festival, long enough to be read as the "
    "article by every reader the extractor has, with no date written anywhere in it.</p>"
    for n in range(6)
)


class _Guesser:
    """A stand-in for htmldate's whole-page search that records each call."""

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.calls = 0

    def __call__(self, html: str, url: str | None) -> str | None:
        self.calls += 1
        return self.answer


def _page(under_headline: str, elsewhere: str = "") -> str:
    return (
        "<html><head><title>Harbour festival</title></head><body>"
        f"<div><h1>Harbour festival</h1></div><div><span>{under_headline}</span></div>"
        f"{PROSE}{elsewhere}</body></html>"
    )


def test_the_one_printed_day_under_the_headline_needs_no_htmldate() -> None:
    guess = _Guesser("2019-01-01")
    article = extract_article(_page("14 March 2024"), URL, date_guesser=guess)
    assert (article.published, article.date_source) == ("2024-03-14", "headline")
    assert guess.calls == 0


def test_htmldate_still_runs_when_the_page_prints_other_days() -> None:
    guess = _Guesser("2024-03-12")
    html = _page("14 March 2024", "<p>The first festival was held on 2 June 1998.</p>")
    article = extract_article(html, URL, date_guesser=guess)
    assert guess.calls >= 1
    assert article.date_source == "htmldate"
    assert article.published == "2024-03-12"
