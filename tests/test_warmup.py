"""The extractor warm-up the crawl's forkserver runs before forking extraction workers."""

from __future__ import annotations

import pytest

from scraper.extract import extract_article, warmup


def test_the_sample_article_goes_through_the_whole_extractor() -> None:
    article = extract_article(warmup.SAMPLE_PAGES[0], warmup.WARM_UP_URL)
    assert article.published == "2021-03-14"
    assert article.headings == ["What comes next"]
    assert "harbour committee" in article.body
    assert "Most popular" not in article.body and "Copyright" not in article.body


def test_a_failure_during_the_warm_up_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def broken(html: str, url: str) -> None:
        calls.append(url)
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(warmup, "extract_article", broken)
    warmup.warm_up()  # a forkserver that raised here would never fork a worker
    assert calls == [warmup.WARM_UP_URL] * len(warmup.SAMPLE_PAGES)
