"""Fixtures of the digest tests: a second workspace beside T1, on the same database."""

import itertools

import pytest

from tests.support.harness import start


@pytest.fixture
def globex(tmp_path, fake, slack):
    """SalesMeet installed in workspace T2 too, sharing T1's database file."""
    fake.add_team("T2", "Globex", bot_token="xoxb-t2-test")
    fake.add_user("T2", "UMAYA", "maya-at-globex", tz="Europe/London")
    fake.add_user("T2", "UGREG", "greg", tz="Europe/London", is_admin=True)
    fake.add_channel("T2", "CSALES", "sales")
    harness = start(tmp_path, fake, token="xoxb-t2-test")
    # Its own response_url tokens, so answers to the two installs never mix.
    harness._tokens = itertools.count(10_000)
    yield harness
    harness.server.close()
    harness.close()
