"""Fixtures: a fake Slack on localhost and the real app in front of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.webapi import FakeSlack
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


@pytest.fixture
def globex(tmp_path, fake, slack) -> Iterator[Harness]:
    """A second install of SalesMeet, for workspace T2, sharing T1's database file: the
    same channel id and user id as T1, and Greg (New York) as its admin."""
    fake.add_team("T2", "Globex", bot_token="xoxb-t2-test")
    fake.add_user("T2", "UMAYA", "maya-at-globex", tz="Europe/London")
    fake.add_user("T2", "UGREG", "greg", tz="America/New_York", is_admin=True)
    fake.add_channel("T2", "CSALES", "sales")
    harness = start(tmp_path, fake, token="xoxb-t2-test")
    try:
        yield harness
    finally:
        harness.server.close()  # type: ignore[attr-defined]
        harness.close()
