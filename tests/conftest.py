"""Fixtures: the Slack simulator on localhost and the real app in front of it; and the
same as a conversation (tests/support/transcript.py): `team`, its people, `globex_team`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.webapi import FakeSlack
from simulator.workspace import ACME, GLOBEX
from tests.support.harness import Harness, seed, seed_globex, start
from tests.support.transcript import Person, Team


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


@pytest.fixture
def team(tmp_path, fake, slack) -> Iterator[Team]:
    """Acme's sales team (T1) talking to SalesMeet: maya, ravi, sam and olivia (admin)."""
    conversation = Team(slack, ACME, spawn=lambda: start(tmp_path, fake))
    try:
        yield conversation
    finally:
        conversation.close()


@pytest.fixture
def maya(team) -> Person:
    """Kuala Lumpur."""
    return team.person("maya")


@pytest.fixture
def ravi(team) -> Person:
    """Mumbai."""
    return team.person("ravi")


@pytest.fixture
def sam(team) -> Person:
    """New York."""
    return team.person("sam")


@pytest.fixture
def olivia(team) -> Person:
    """London; a workspace admin."""
    return team.person("olivia")


@pytest.fixture
def globex_team(tmp_path, fake, globex) -> Iterator[Team]:
    """Globex (T2) on the same database: maya-at-globex and greg, its admin."""
    token = GLOBEX.bot_token
    conversation = Team(globex, GLOBEX, spawn=lambda: start(tmp_path, fake, token=token))
    try:
        yield conversation
    finally:
        conversation.close()
