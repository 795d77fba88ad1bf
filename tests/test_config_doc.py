"""The shipped config.toml documents every setting in scraper/config.py: each key, in its
table, with its default and an example; a new setting without a line there fails here."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from scraper.config import ArchiveSettings, FetchSettings, SiteSettings, parse_config

SHIPPED = Path(__file__).resolve().parents[1] / "config.toml"
TABLES: dict[str, type[Any]] = {
    "archive": ArchiveSettings, "fetch": FetchSettings, "sites": SiteSettings,
}
_HEADER = re.compile(r"^#?\s*\[\[?([a-z_]+)\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^(#\s*)?([a-z_]+)\s*=\s*(.+?)\s+#\s+(.+)$")


@dataclasses.dataclass
class KeyLine:
    table: str
    key: str
    value: str
    comment: str
    commented_out: bool


def key_lines() -> list[KeyLine]:
    """Every `key = value  # comment` line, active or commented out, with its table."""
    lines: list[KeyLine] = []
    table = ""
    for line in SHIPPED.read_text(encoding="utf-8").splitlines():
        header = _HEADER.match(line.strip())
        if header:
            table = header[1]
            continue
        match = _KEY.match(line.strip())
        if match and table:
            lines.append(KeyLine(table, match[2], match[3], match[4], bool(match[1])))
    return lines


def literal(value: object) -> str:
    """A default as the file writes it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return "[]" if not value else repr(list(value))
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def fields(cls: type[Any]) -> list[dataclasses.Field[Any]]:
    return list(dataclasses.fields(cls))


CASES = [(table, f.name) for table, cls in TABLES.items() for f in fields(cls)]


@pytest.mark.parametrize(("table", "key"), CASES, ids=[f"{t}.{k}" for t, k in CASES])
def test_every_setting_has_a_documented_line(table: str, key: str) -> None:
    documented = [line for line in key_lines() if line.table == table and line.key == key]
    assert documented, f"config.toml documents no {table}.{key} (its default and an example)"
    field = next(f for f in fields(TABLES[table]) if f.name == key)
    required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    for line in documented:
        if required:
            assert "required" in line.comment, line
        elif line.commented_out or table == "sites":
            assert f"default {literal(field.default)}" in line.comment, line
        assert "e.g." in line.comment, f"{table}.{key}: the comment gives no example"


@pytest.mark.parametrize("table", ["archive", "fetch"])
def test_shipped_values_are_the_defaults(table: str) -> None:
    shipped = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))[table]
    settings = parse_config({table: shipped})
    assert getattr(settings, table) == TABLES[table](), "the file must show the defaults"
    assert set(shipped) == {f.name for f in fields(TABLES[table])}


def test_the_example_site_is_valid_and_sets_every_key() -> None:
    example = [line for line in key_lines() if line.table == "sites" and line.commented_out]
    text = "[[sites]]\n" + "\n".join(f"{line.key} = {line.value}" for line in example)
    config = parse_config(tomllib.loads(text))
    assert {line.key for line in example} == {f.name for f in fields(SiteSettings)}
    assert config.sites[0].refresh_after is not None


def test_the_shipped_file_is_a_valid_config() -> None:
    config = parse_config(tomllib.loads(SHIPPED.read_text(encoding="utf-8")), path=str(SHIPPED))
    assert config.sites
