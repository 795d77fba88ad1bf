"""The README as a new user follows it: set-up that makes `scraper` runnable, what the tests
need (Debian's chromium), what ../shared/corpus is, and examples that match the commands."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def using_it_lines() -> list[list[str]]:
    block = re.search(r"```sh\n(.*?)```", section("Using it"), re.DOTALL)
    assert block, "the 'Using it' section has no sh block"
    commands = []
    for line in block[1].splitlines():
        for part in line.split("#", 1)[0].split(";"):
            words = shlex.split(part)
            if words and words[0] == "scraper":
                commands.append(words)
    return commands


def test_set_up_puts_scraper_on_the_path_before_using_it() -> None:
    set_up = README[:README.index("## Using it")]
    assert ". .venv/bin/activate" in set_up
    assert "scraper" in using_it_lines()[0][0]


def test_the_tests_say_they_need_debians_chromium_and_how_ci_gets_it() -> None:
    set_up = README[:README.index("## Using it")]
    assert "apt-get install chromium" in set_up
    assert ".ci/run" in set_up and "installs" in set_up


def test_the_corpus_is_explained_or_linked() -> None:
    at = README.index("../shared/corpus")
    assert "docs/evaluation.md" in README[at - 400:at + 400]


def test_the_dev_extra_carries_no_browser_driver() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dev = " ".join(project["optional-dependencies"]["dev"])
    assert "playwright" not in dev


@pytest.mark.parametrize("words", using_it_lines(), ids=lambda w: " ".join(w[:2]))
def test_every_example_names_a_command_and_its_options(words: list[str]) -> None:
    command = words[1]
    if command.startswith("-") or command.isupper():
        return  # `scraper --help`, `scraper CMD --help`
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, f"no command {command!r}"
    for word in words[2:]:
        if word.startswith("--"):
            assert word.split("=")[0] in result.output, f"scraper {command}: no {word}"
