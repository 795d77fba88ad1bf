"""A site's own fetch settings ([sites.fetch]) reach the wire: the fixture server sees the
site's user agent, headers and cookies on every request to its host (robots.txt, listings,
articles), `scraper fetch` of a URL there sends them too, and a proxy started here sees the
traffic. Another site keeps the [fetch] values."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from scraper.cli import main
from tests.fixture_site import NewsSite, site_config

OWN = (
    "\n[sites.fetch]\n"
    'user_agent = "walls-test-browser/2.0"\n'
    'headers = { "Accept-Language" = "en-GB", "X-Archive" = "saltmere" }\n'
    'cookies = { euconsent-v2 = "CPtest", session = "s1" }\n'
    "per_host_delay = 0.0\n"
)
DEFAULT_UA = "scraper-tests/1.0 (+https://example.invalid/tests)"


class Proxy:
    """A forwarding HTTP proxy on 127.0.0.1 that records the absolute URLs it is asked for."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                seen.append(self.path)
                target = urlsplit(self.path)
                upstream = http.client.HTTPConnection(target.hostname or "", target.port or 80,
                                                      timeout=10)
                path = target.path + (f"?{target.query}" if target.query else "")
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("proxy-connection", "connection")}
                upstream.request("GET", path, headers=headers)
                answer = upstream.getresponse()
                body = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length",
                                            "keep-alive"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                upstream.close()

            def log_message(self, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> Proxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    with Proxy() as running:
        yield running


def run(tmp_path: Path, config: str, *args: str) -> str:
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(main, [*args, "--config", str(tmp_path / "config.toml"),
                                       "--db", str(tmp_path / "archive.db")])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_sites_user_agent_headers_and_cookies_go_with_every_request(tmp_path: Path) -> None:
    with NewsSite(articles=3) as plain, NewsSite(articles=3, first_index=20) as own:
        run(tmp_path, site_config([("plain", plain), ("own", own)]) + OWN, "crawl")
    paths = {r.path for r in own.server.requests}
    assert {"/robots.txt", NewsSite.FEED, NewsSite.SECTION} <= paths
    assert {a.path for a in own.articles} <= paths
    for request in own.server.requests:
        assert request.headers["user-agent"] == "walls-test-browser/2.0", request.path
        assert request.headers["accept-language"] == "en-GB"
        assert request.headers["x-archive"] == "saltmere"
        cookies = dict(part.split("=", 1) for part in request.headers["cookie"].split("; "))
        assert cookies == {"euconsent-v2": "CPtest", "session": "s1"}
    for request in plain.server.requests:
        assert request.headers["user-agent"] == DEFAULT_UA
        assert "cookie" not in request.headers and "x-archive" not in request.headers


def test_scraper_fetch_uses_the_settings_of_the_urls_site(tmp_path: Path) -> None:
    with NewsSite(articles=1) as site:
        url = site.url(site.articles[0].path)
        run(tmp_path, site_config([("own", site)]) + OWN, "fetch", url, "--save")
        run(tmp_path, "", "fetch", url, "--ignore-robots")  # no config: the defaults
    first, *_rest, last = site.server.requests
    assert first.path == "/robots.txt"
    assert first.headers["user-agent"] == "walls-test-browser/2.0"
    fetched = [r for r in site.server.requests if r.path == site.articles[0].path]
    assert fetched[0].headers["cookie"] and fetched[0].headers["x-archive"] == "saltmere"
    assert last.headers["user-agent"].startswith("scraper/") and "cookie" not in last.headers


def test_a_sites_proxy_carries_its_traffic(tmp_path: Path, proxy: Proxy) -> None:
    via_proxy = OWN + f'proxy = "{proxy.url}"\n'
    with NewsSite(articles=2) as plain, NewsSite(articles=2, first_index=20) as own:
        run(tmp_path, site_config([("plain", plain), ("own", own)]) + via_proxy, "crawl")
        own_paths = {r.path for r in own.server.requests}
    assert {a.path for a in own.articles} <= own_paths
    proxied = {urlsplit(url).path for url in proxy.seen}
    assert proxied == own_paths  # every request to the site went through the proxy...
    assert all(urlsplit(url).port == own.server.port for url in proxy.seen)  # ...and no other
