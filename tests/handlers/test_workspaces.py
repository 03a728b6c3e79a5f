"""Two workspaces on one database: same channel id, same meeting numbers, no crossing over."""

import pytest

from tests.handlers.test_schedule_command import text_of
from tests.support.harness import start


@pytest.fixture
def globex(tmp_path, fake, slack):
    """A second install of SalesMeet for workspace T2, sharing T1's database file."""
    fake.add_team("T2", "Globex", bot_token="xoxb-t2-test")
    fake.add_user("T2", "UMAYA", "maya-at-globex", tz="Europe/London")
    fake.add_user("T2", "UGREG", "greg", tz="America/New_York", is_admin=True)
    fake.add_channel("T2", "CSALES", "sales")
    harness = start(tmp_path, fake, token="xoxb-t2-test")
    yield harness
    harness.server.close()
    harness.close()


def test_workspaces_do_not_see_or_change_each_other(slack, globex):
    slack.ask('schedule "Acme forecast" tomorrow 3pm')
    globex.ask('schedule "Globex forecast" tomorrow 3pm', team="T2")
    assert "Globex" not in text_of(slack.ask("list"))
    assert "Acme" not in text_of(globex.ask("list", team="T2"))
    assert "Acme forecast" in text_of(slack.ask("show #1"))
    assert "Globex forecast" in text_of(globex.ask("show #1", team="T2"))
    # Globex's admin cannot cancel Acme's #1: their #1 is their own meeting.
    assert "Cancelled meeting #1" in text_of(globex.ask("cancel #1", user="UGREG", team="T2"))
    assert "Acme forecast" in text_of(slack.ask("list"))
    assert "no meeting #2" in text_of(globex.ask("show #2", team="T2"))
