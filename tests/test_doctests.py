"""Every example in the public API's docstrings runs as written (doctest), and every public
name and method has one.

The examples make their files with ``tempfile.mkdtemp()`` (so a reader can paste them);
here that folder is the test's ``tmp_path``. None touches the internet: pages are strings,
and the fetch examples ask 127.0.0.1's discard port, which refuses.
"""

from __future__ import annotations

import doctest
import inspect
import tempfile
from pathlib import Path

import pytest

import scraper
import scraper.api
from scraper import body_formats, models
from scraper.api import archive, crawling, fetching, pages
from scraper.archive import body_blocks

MODULES = [pages, fetching, archive, crawling, body_formats, models, body_blocks]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
EXAMPLES = [
    test for module in MODULES
    for test in doctest.DocTestFinder().find(module, module.__name__)
    if test.examples
]


@pytest.mark.parametrize("test", EXAMPLES, ids=[test.name for test in EXAMPLES])
def test_docstring_example_runs(test: doctest.DocTest, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    output: list[str] = []
    result = runner.run(test, out=output.append)
    assert result.failed == 0, "".join(output)


def _public_callables() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in scraper.api.__all__:
        value = getattr(scraper.api, name)
        found.append((name, value))
        if inspect.isclass(value):
            found += [
                (f"{name}.{attr}", member) for attr, member in vars(value).items()
                if not attr.startswith("_") and callable(member)
            ]
    return found


def test_every_public_api_name_has_an_example() -> None:
    with_examples = {test.name.removeprefix("scraper.api.").split(".", 1)[-1]
                     for test in EXAMPLES}
    missing = [name for name, _ in _public_callables() if name not in with_examples]
    assert missing == []


def test_the_package_exports_the_api() -> None:
    for name in scraper.__all__:
        assert getattr(scraper, name) is not None, name
    assert scraper.extract is scraper.api.extract
    assert set(scraper.api.__all__) - set(scraper.__all__) <= {
        "check_article", "fetch_article", "run_sync", "without_robots"}
    with pytest.raises(AttributeError):
        _ = scraper.no_such_name  # type: ignore[attr-defined]


def test_the_api_guide_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    guide = Path(__file__).resolve().parents[1] / "docs" / "api.md"
    test = doctest.DocTestParser().get_doctest(guide.read_text(encoding="utf-8"), {},
                                               "docs/api.md", str(guide), 0)
    assert len(test.examples) > 20
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    output: list[str] = []
    result = doctest.DocTestRunner(optionflags=FLAGS).run(test, out=output.append)
    assert result.failed == 0, "".join(output)
