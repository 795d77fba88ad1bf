from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.httpserver import FixtureServer


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as running:
        yield running
