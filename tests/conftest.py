"""Fixtures: the Slack simulator on localhost and the real app in front of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.webapi import FakeSlack
from simulator.workspace import GLOBEX
from tests.support.harness import Harness, seed, seed_globex, start


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


@pytest.fixture
def globex(tmp_path, fake, slack) -> Iterator[Harness]:
    """A second install of SalesMeet, for workspace T2, sharing T1's database file: the
    same channel id and user id as T1, and Greg (New York) as its admin."""
    seed_globex(fake)
    harness = start(tmp_path, fake, token=GLOBEX.bot_token)
    try:
        yield harness
    finally:
        harness.server.close()  # type: ignore[attr-defined]
        harness.close()
