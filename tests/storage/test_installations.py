"""Installs over OAuth: tokens sealed at rest, found per workspace or org, deleted on
uninstall; the OAuth state is good once and for ten minutes."""

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.clock import ManualClock
from salesmeet.compose import open_database
from storage.installations import InstallationRows, StateRows
from storage.seal import Seal, SealError

KEY = "a-long-random-secret-for-the-tests-only"
TOKEN = "xoxb-111-222-SECRETTOKENVALUE"


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))


@pytest.fixture
def database(tmp_path):
    db = open_database(str(tmp_path / "installs.db"))
    yield db
    db.close()


def install(team_id="T9", token=TOKEN, enterprise_id=None, org=False, refresh=None):
    return Installation(
        app_id="A1",
        enterprise_id=enterprise_id,
        team_id=None if org else team_id,
        team_name="Globex",
        bot_token=token,
        bot_id="B9",
        bot_user_id="UBOT9",
        bot_scopes="commands,chat:write",
        bot_refresh_token=refresh,
        user_id="UINSTALLER",
        is_enterprise_install=org,
    )


def test_a_token_is_found_and_never_stored_in_the_clear(database, clock, tmp_path):
    rows = InstallationRows(database, Seal(KEY), clock)
    rows.save(install(refresh="xoxe-1-REFRESHSECRET"))
    bot = rows.find_bot(enterprise_id=None, team_id="T9")
    assert bot is not None and bot.bot_token == TOKEN and bot.bot_user_id == "UBOT9"
    assert rows.find_bot(enterprise_id=None, team_id="T1") is None
    database.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("installs"))
    assert b"SECRETTOKENVALUE" not in raw and b"REFRESHSECRET" not in raw


def test_a_reinstall_replaces_the_token_and_uninstall_deletes_it(database, clock):
    rows = InstallationRows(database, Seal(KEY), clock)
    rows.save(install())
    rows.save(install(token="xoxb-new"))
    assert rows.find_bot(enterprise_id=None, team_id="T9").bot_token == "xoxb-new"
    assert rows.teams() == ["T9"]
    rows.delete_all(enterprise_id=None, team_id="T9")
    assert rows.find_bot(enterprise_id=None, team_id="T9") is None and rows.teams() == []


def test_an_org_install_serves_each_of_its_workspaces(database, clock):
    rows = InstallationRows(database, Seal(KEY), clock)
    rows.save(install(enterprise_id="E1", org=True))
    bot = rows.find_bot(enterprise_id="E1", team_id="T5", is_enterprise_install=False)
    assert bot is not None and bot.bot_token == TOKEN
    assert rows.find_bot(enterprise_id="E2", team_id="T5") is None


def test_the_old_key_opens_while_rotating_and_a_wrong_key_never_does(database, clock):
    InstallationRows(database, Seal("old-key-old-key-old-key"), clock).save(install())
    rotating = InstallationRows(database, Seal(KEY, "old-key-old-key-old-key"), clock)
    assert rotating.find_bot(enterprise_id=None, team_id="T9").bot_token == TOKEN
    assert rotating.reseal_all() == 1
    assert (
        InstallationRows(database, Seal(KEY), clock)
        .find_bot(enterprise_id=None, team_id="T9")
        .bot_token
        == TOKEN
    )
    with pytest.raises(SealError):
        InstallationRows(database, Seal("some-other-key"), clock).find_bot(
            enterprise_id=None, team_id="T9"
        )


def test_a_state_is_good_once_and_for_ten_minutes(database, clock):
    states = StateRows(database, clock)
    first, second = states.issue(), states.issue()
    assert first != second
    assert states.consume(first) is True
    assert states.consume(first) is False  # reused
    assert states.consume("never-issued") is False
    clock.advance(timedelta(minutes=11))
    assert states.consume(second) is False  # expired
