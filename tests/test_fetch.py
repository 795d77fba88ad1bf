"""The fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import time
from typing import BinaryIO

import pytest

from scraper.config import FetchSettings
from scraper.errors import (
    FetchError,
    FetchTimeout,
    HostSkipped,
    HttpStatusError,
    InvalidUrl,
    NetworkError,
    RedirectError,
    RedirectRefused,
    TooLarge,
    UnsupportedContent,
)
from scraper.fetch import (
    fetch_page,
    is_retryable,
    make_client,
    parse_retry_after,
    retry_delay,
    retry_next_run,
    server_in_trouble,
    with_retries,
)
from scraper.models import Page
from tests import pages
from tests.httpserver import FixtureServer, Reply, Request, html_reply

FAST = FetchSettings(timeout=1.0, retries=2, backoff=0.01, max_bytes=200_000)


def fetch(url: str, settings: FetchSettings = FAST, **kwargs: object) -> Page:
    async def run() -> Page:
        async with make_client(settings) as client:
            return await fetch_page(url, client=client, settings=settings, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(run())


def fetch_retrying(url: str, settings: FetchSettings = FAST) -> Page:
    async def run() -> Page:
        async with make_client(settings) as client:
            return await with_retries(
                lambda: fetch_page(url, client=client, settings=settings), settings=settings)

    return asyncio.run(run())


def test_redirects_are_followed_and_final_url_recorded(server: FixtureServer) -> None:
    server.route("/old", Reply(status=301, headers={"Location": "/mid"}))
    server.route("/mid", Reply(status=302, headers={"Location": "/new/"}))
    server.route("/new/", html_reply(pages.wordpress_jsonld("x")))
    page = fetch(server.url("/old"))
    assert page.url == server.url("/new/")
    assert page.requested_url == server.url("/old")
    assert pages.TITLE in page.html


def test_user_agent_is_sent(server: FixtureServer) -> None:
    server.route("/a", html_reply("<p>hello</p>"))
    fetch(server.url("/a"), FetchSettings(user_agent="test-agent/1.0"))
    assert server.requests[0].headers["user-agent"] == "test-agent/1.0"


def test_404_is_a_fetch_error_with_status(server: FixtureServer) -> None:
    with pytest.raises(FetchError) as info:
        fetch(server.url("/missing"))
    assert info.value.status == 404
    assert "HTTP 404" in str(info.value) and server.url("/missing") in str(info.value)


def test_slow_endpoint_times_out(server: FixtureServer) -> None:
    server.route(
        "/slow", Reply(body=b"<p>late</p>", delay=3, headers={"Content-Type": "text/html"})
    )
    with pytest.raises(FetchError, match="timed out"):
        fetch(server.url("/slow"), FetchSettings(timeout=0.3, retries=0))


def test_non_html_is_refused(server: FixtureServer) -> None:
    server.route("/doc.pdf", Reply(body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}))
    with pytest.raises(FetchError, match="not HTML: Content-Type application/pdf"):
        fetch(server.url("/doc.pdf"))


def test_binary_without_content_type_is_refused(server: FixtureServer) -> None:
    server.route("/blob", Reply(body=b"\x89PNG\r\n\x1a\n\x00\x00\x00"))
    with pytest.raises(FetchError, match="binary"):
        fetch(server.url("/blob"))


def test_huge_response_is_cut_off(server: FixtureServer) -> None:
    def endless(out: BinaryIO) -> None:
        chunk = b"<p>" + b"x" * 65536 + b"</p>"
        for _ in range(200):  # ~13 MB, far past the cap
            out.write(chunk)

    server.route("/huge", Reply(body=endless, headers={"Content-Type": "text/html"}))
    with pytest.raises(FetchError, match="too large"):
        fetch(server.url("/huge"))


def test_lying_content_length_over_cap_is_refused_early(server: FixtureServer) -> None:
    server.route(
        "/big",
        Reply(
            body=b"<p>x</p>", headers={"Content-Type": "text/html", "Content-Length": "999999999"}
        ),
    )
    with pytest.raises(FetchError, match="too large"):
        fetch(server.url("/big"))


def test_gzip_bomb_is_capped_on_decoded_bytes(server: FixtureServer) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>")
    assert len(bomb) < 50_000
    server.route(
        "/bomb", Reply(body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    )
    with pytest.raises(FetchError, match="too large"):
        fetch(server.url("/bomb"))


def test_gzip_response_is_decoded(server: FixtureServer) -> None:
    body = pages.wordpress_jsonld("x").encode()
    server.route(
        "/gz",
        Reply(
            body=gzip.compress(body),
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        ),
    )
    assert pages.TITLE in fetch(server.url("/gz")).html


def test_windows_1252_page_from_meta(server: FixtureServer) -> None:
    server.route(
        "/legacy", Reply(body=pages.legacy_charset("x"), headers={"Content-Type": "text/html"})
    )
    page = fetch(server.url("/legacy"))
    assert page.encoding == "cp1252"
    assert pages.LEGACY_TITLE in page.html


def test_header_charset_wins_and_wrong_label_falls_back(server: FixtureServer) -> None:
    text = "<p>Zürich café – “quoted”</p>"
    server.route(
        "/latin",
        Reply(
            body=text.encode("cp1252"), headers={"Content-Type": "text/html; charset=windows-1252"}
        ),
    )
    server.route(
        "/lie",
        Reply(body=text.encode("utf-8"), headers={"Content-Type": "text/html; charset=iso-8859-1"}),
    )
    assert "Zürich café – “quoted”" in fetch(server.url("/latin")).html
    assert "Zürich café – “quoted”" in fetch(server.url("/lie")).html


def test_conditional_get_returns_304_page(server: FixtureServer) -> None:
    def conditional(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'})
        return html_reply("<p>feed</p>", headers={"ETag": '"v1"'})

    server.route("/c", conditional)
    first = fetch(server.url("/c"))
    assert first.etag == '"v1"'
    second = fetch(server.url("/c"), etag=first.etag)
    assert second.status == 304 and second.html == ""


def test_retries_503_then_succeeds_honouring_retry_after(server: FixtureServer) -> None:
    calls: list[float] = []

    def flaky(request: Request) -> Reply:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Reply(status=503, headers={"Retry-After": "1"})
        return html_reply("<p>ok now</p>")

    server.route("/flaky", flaky)
    page = fetch_retrying(server.url("/flaky"))
    assert "ok now" in page.html
    assert len(calls) == 2
    assert calls[1] - calls[0] >= 0.9  # waited as Retry-After asked


def test_retries_give_up_after_configured_attempts(server: FixtureServer) -> None:
    server.route("/down", Reply(status=502))
    with pytest.raises(FetchError) as info:
        fetch_retrying(server.url("/down"))
    assert info.value.status == 502
    assert server.paths().count("/down") == 1 + FAST.retries


def test_404_is_not_retried(server: FixtureServer) -> None:
    with pytest.raises(FetchError):
        fetch_retrying(server.url("/gone"))
    assert server.paths().count("/gone") == 1


def test_refused_connection_and_bad_urls() -> None:
    with pytest.raises(FetchError, match="connection"):
        fetch("http://127.0.0.1:9/")
    for bad in ("ftp://example.com/x", "not a url", "file:///etc/passwd", "javascript:alert(1)"):
        with pytest.raises(FetchError):
            fetch(bad)


def test_redirect_to_other_scheme_and_loop_refused(server: FixtureServer) -> None:
    server.route("/to-file", Reply(status=302, headers={"Location": "file:///etc/passwd"}))
    server.route("/loop", Reply(status=302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError, match="refused"):
        fetch(server.url("/to-file"))
    with pytest.raises(FetchError, match="loop"):
        fetch(server.url("/loop"))


def test_retry_after_parses_seconds_and_dates() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60.0
    assert parse_retry_after("soon") is None


U = "https://news.example/a"


@pytest.mark.parametrize(
    ("error", "now", "next_run", "trouble"),
    [
        (FetchTimeout(U, "timed out (ReadTimeout)"), True, True, False),
        (NetworkError(U, "connection refused"), True, True, False),
        (NetworkError(U, "connection broken mid-response: reset"), True, True, False),
        (HttpStatusError(U, "HTTP 429 Too Many Requests", status=429), True, True, True),
        (HttpStatusError(U, "HTTP 503 Service Unavailable", status=503), True, True, True),
        (HttpStatusError(U, "HTTP 501 Not Implemented", status=501), False, False, True),
        (HttpStatusError(U, "HTTP 404 Not Found", status=404), False, False, False),
        (TooLarge(U, "too large: more than 10 bytes", status=200), False, False, False),
        (UnsupportedContent(U, "not HTML: Content-Type image/png", status=200), False, False,
         False),
        (RedirectRefused(U, "redirect to ftp://x/ refused", status=302), False, False, False),
        (RedirectError(U, "too many redirects (more than 10)"), False, True, False),
        (InvalidUrl(U, "invalid URL: no host"), False, True, False),
        (HostSkipped(U, "host skipped this run: robots.txt answered HTTP 500"), False, True,
         False),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, FetchError) else None,
)
def test_the_retry_policy_reads_types_and_statuses(error: FetchError, now: bool, next_run: bool,
                                                   trouble: bool) -> None:
    assert is_retryable(error) is now
    assert (retry_delay(error, 1, FAST) is not None) is now
    assert retry_next_run(error) is next_run
    assert server_in_trouble(error) is trouble


def test_retry_delay_honours_retry_after_and_gives_up() -> None:
    settings = FetchSettings(retries=2, backoff=1.0, max_retry_after=30.0)
    busy = HttpStatusError(U, "HTTP 503", status=503, retry_after=7.0)
    assert retry_delay(busy, 1, settings) == 7.0
    assert retry_delay(busy, 3, settings) is None  # past `retries`
    too_long = HttpStatusError(U, "HTTP 503", status=503, retry_after=31.0)
    assert retry_delay(too_long, 1, settings) is None
    timeout = FetchTimeout(U, "timed out (ConnectTimeout)")
    first, second = retry_delay(timeout, 1, settings), retry_delay(timeout, 2, settings)
    assert first is not None and 1.0 <= first <= 1.25
    assert second is not None and 2.0 <= second <= 2.5


def test_errors_keep_their_message() -> None:
    error = HttpStatusError(U, "HTTP 503 Service Unavailable", status=503, retry_after=2.0)
    assert str(error) == f"{U}: HTTP 503 Service Unavailable"
    assert (error.url, error.reason, error.status, error.retry_after) == (
        U, "HTTP 503 Service Unavailable", 503, 2.0)


def test_failures_come_as_their_kind(server: FixtureServer) -> None:
    server.route("/to-js", Reply(status=302, headers={"Location": "javascript:alert(1)"}))
    server.route("/doc.pdf", Reply(body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}))
    server.route("/loop", Reply(status=302, headers={"Location": "/loop"}))
    with pytest.raises(RedirectRefused, match=r"^.*/to-js: redirect to javascript:alert\(1\) "
                                              r"refused: unsupported scheme 'javascript'"):
        fetch(server.url("/to-js"))
    with pytest.raises(HttpStatusError) as status:
        fetch(server.url("/missing"))
    assert status.value.status == 404
    with pytest.raises(UnsupportedContent):
        fetch(server.url("/doc.pdf"))
    with pytest.raises(RedirectError) as loop:
        fetch(server.url("/loop"))
    assert not isinstance(loop.value, RedirectRefused) and loop.value.status == 302
    with pytest.raises(NetworkError):
        fetch("http://127.0.0.1:9/")
    with pytest.raises(InvalidUrl):
        fetch("ftp://example.com/x")
