"""Every example in the public API's docstrings runs as written (doctest), and every public
name (everything in ``scraper.__all__``: functions, records, errors) and its methods has one.

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
from scraper.api import (
    archive,
    capture_methods,
    crawling,
    evaluating,
    exports,
    fetching,
    pages,
    reports,
    serving,
)
from scraper.archive import body_blocks

MODULES = [pages, fetching, archive, capture_methods, exports, reports, crawling, evaluating,
           serving, body_formats, models, body_blocks]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
EXPORTED = [getattr(scraper, name) for name in scraper.__all__ if name != "__version__"]


def _examples() -> list[doctest.DocTest]:
    """The examples of the modules above, and of every exported name defined elsewhere
    (records of scraper.archive, scraper.crawl, scraper.config; the errors)."""
    finder = doctest.DocTestFinder()
    found = {test.name: test for module in MODULES
             for test in finder.find(module, module.__name__)}
    for value in EXPORTED:
        name = f"{value.__module__}.{value.__qualname__}"
        found.update((test.name, test) for test in finder.find(value, name))
    return sorted((test for test in found.values() if test.examples), key=lambda t: t.name)


EXAMPLES = _examples()


@pytest.mark.parametrize("test", EXAMPLES, ids=[test.name for test in EXAMPLES])
def test_docstring_example_runs(test: doctest.DocTest, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    output: list[str] = []
    result = runner.run(test, out=output.append)
    assert result.failed == 0, "".join(output)


def _qualified(value: object) -> str:
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"


def _public_callables() -> list[str]:
    """Every exported name, and the public methods of the exported classes (those defined
    in this package, mixins included), by module-qualified name."""
    found: list[str] = []
    for value in EXPORTED:
        found.append(_qualified(value))
        if not inspect.isclass(value):
            continue
        for owner in value.__mro__:
            if not owner.__module__.startswith("scraper"):
                continue
            found += [f"{_qualified(owner)}.{attr}" for attr, member in vars(owner).items()
                      if not attr.startswith("_") and callable(member)]
    return found


def test_every_public_name_and_method_has_an_example() -> None:
    with_examples = {test.name for test in EXAMPLES}
    missing = [name for name in _public_callables() if name not in with_examples]
    assert missing == []
    assert "scraper.api.capture_methods.ArchiveCaptures.import_warc" in with_examples


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
