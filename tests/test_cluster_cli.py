"""`--cluster` without Ray, and a run without it: Ray stays out of the process unless a
cluster is asked for, and asking without the `cluster` extra says what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.fixture_site import NewsSite, site_config

CLI = ("import sys\n"
       "{block}"
       "from scraper.cli import main\n"
       "try:\n"
       "    main(sys.argv[1:])\n"
       "except SystemExit as exit:\n"
       "    code = exit.code\n"
       "print('RAY LOADED' if 'ray' in sys.modules else 'no ray', file=sys.stderr)\n"
       "sys.exit(code)\n")
BLOCK_RAY = "sys.modules['ray'] = None  # as if the cluster extra were not installed\n"


def scraper(*args: str, block_ray: bool = False, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = CLI.format(block=BLOCK_RAY if block_ray else "")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False)


def test_a_local_crawl_never_imports_ray(tmp_path: Path) -> None:
    with NewsSite(articles=3) as site:
        (tmp_path / "config.toml").write_text(site_config([("saltmere", site)]))
        done = scraper("crawl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "3 new" in done.stderr
    assert done.stderr.rstrip().endswith("no ray")


def test_cluster_without_the_extra_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    with NewsSite(articles=1) as site:
        (tmp_path / "config.toml").write_text(site_config([("saltmere", site)]))
        by_option = scraper("crawl", "--cluster", "auto", block_ray=True, cwd=tmp_path)
        (tmp_path / "config.toml").write_text(
            site_config([("saltmere", site)]) + '\n[cluster]\naddress = "auto"\n')
        by_config = scraper("crawl", block_ray=True, cwd=tmp_path)
        assert site.server.requests == [], "nothing was fetched"
    for done in (by_option, by_config):
        assert done.returncode == 2, done.stderr
        assert "pip install 'scraper[cluster]'" in done.stderr
    assert not (tmp_path / "archive.db").exists()


API = ("import sys\n"
       "{block}"
       "import scraper\n"
       "try:\n"
       "    scraper.crawl(cluster={cluster!r})\n"
       "except scraper.ScraperError as exc:\n"
       "    print(type(exc).__name__, exc)\n")


def test_scraper_crawl_with_a_cluster_and_without_the_extra_names_it(tmp_path: Path) -> None:
    with NewsSite(articles=1) as site:
        (tmp_path / "config.toml").write_text(site_config([("saltmere", site)]))
        done = subprocess.run(
            [sys.executable, "-c", API.format(block=BLOCK_RAY, cluster="local")],
            capture_output=True, text=True, cwd=tmp_path, timeout=120, check=True)
        assert site.server.requests == [], "nothing was fetched"
    assert done.stdout.splitlines() == [
        "MissingExtra running on a cluster needs ray, which is not installed: pip install"
        " 'scraper[cluster]'"]
