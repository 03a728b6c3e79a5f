"""Fixtures: a fake Slack on localhost and the real app in front of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fakeslack import FakeSlack
from tests.support.harness import Harness, seed, start


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        seed(slack)
        yield slack


@pytest.fixture
def slack(tmp_path, fake) -> Iterator[Harness]:
    harness = start(tmp_path, fake)
    try:
        yield harness
    finally:
        harness.server.close()  # type: ignore[attr-defined]
        harness.close()
