"""The weekly digest as a timed post: in the digest channel and each manager's DMs, once."""

from datetime import UTC, datetime, timedelta

from bot.feature import migrations
from features.digest.store import DigestStore
from salesmeet.features import FEATURES
from storage.db import Database
from storage.deliveries import DeliveryStore
from storage.migrations import CORE_MIGRATIONS
from tests.support.harness import START, start
from tests.support.messages import text_of

ADMIN = "UOLIVIA"
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the harness starts at 01:00 that day
WEEK = int(datetime(2026, 11, 23, tzinfo=UTC).timestamp())


def digests_in(slack, channel):
    return [p for p in slack.posts(channel) if "Weekly meeting digest" in text_of(p)]


def book_two_meetings(slack):
    slack.ask(
        'schedule "Forecast" 2026-11-25 10:00 for 2h with <@URAVI>, <@USAM> type strategy',
        user=ADMIN,
    )
    slack.ask(
        'schedule "Acme demo" 2026-11-26 14:00 for 1h with <@URAVI>, jane@acme.com', user=ADMIN
    )


def test_the_digest_goes_to_the_channel_and_every_manager_once(slack):
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    slack.ask("config managers add <@UMAYA>", user=ADMIN)
    book_two_meetings(slack)
    slack.clock.set(MONDAY_9 - timedelta(minutes=1))
    slack.deliver()
    assert digests_in(slack, "CSALES") == []
    slack.advance(timedelta(minutes=1))
    (post,) = digests_in(slack, "CSALES")
    shown = text_of(post)
    assert "week of Nov 23, 2026" in shown and "2 meetings" in shown
    assert "Sent late" not in shown
    # Olivia is a workspace admin (from users.list); Maya was made a manager.
    for manager in ("UOLIVIA", "UMAYA"):
        (dm,) = digests_in(slack, manager)
        assert "2 meetings" in text_of(dm) and "<#CSALES>" in text_of(dm)
    assert digests_in(slack, "URAVI") == [] and digests_in(slack, "USAM") == []
    # However often the alarm fires, nobody gets it twice.
    slack.advance(timedelta(hours=1))
    slack.services.planner.extend_horizon()
    slack.deliver()
    assert len(digests_in(slack, "CSALES")) == 1
    assert len(digests_in(slack, "UOLIVIA")) == 1 and len(digests_in(slack, "UMAYA")) == 1
    row = DeliveryStore(slack.database).find("T1", "digest", 0, WEEK)
    assert row.state == "sent" and row.channel_id == "CSALES"


def test_next_week_there_is_another_one(slack):
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    slack.ask('schedule "Forecast" 2026-11-25 10:00 every week', user=ADMIN)
    slack.clock.set(MONDAY_9)
    slack.deliver()
    slack.clock.set(MONDAY_9 + timedelta(days=7))
    slack.services.planner.extend_horizon()  # as the alarm does every hour
    slack.deliver()
    posts = digests_in(slack, "CSALES")
    assert ["week of Nov 23" in text_of(p) for p in posts] == [True, False]
    assert "week of Nov 30, 2026" in text_of(posts[1])


def test_without_a_digest_channel_it_goes_where_most_meetings_were(slack):
    slack.fake.add_channel("T1", "CDEALS", "deals")
    slack.ask('schedule "Forecast" 2026-11-25 10:00', user=ADMIN, channel="CDEALS")
    slack.ask('schedule "Review" 2026-11-26 10:00', user=ADMIN, channel="CDEALS")
    slack.ask('schedule "Demo" 2026-11-26 12:00', user=ADMIN, channel="CSALES")
    slack.clock.set(MONDAY_9)
    slack.deliver()  # planned when the meetings were booked, not only by the hourly pass
    assert len(digests_in(slack, "CDEALS")) == 1
    assert digests_in(slack, "CSALES") == []


def test_a_quiet_workspace_gets_no_digest(slack):
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    slack.clock.set(MONDAY_9)
    slack.deliver()
    assert digests_in(slack, "CSALES") == [] and digests_in(slack, ADMIN) == []
    assert DeliveryStore(slack.database).find("T1", "digest", 0, WEEK).state == "skipped"


def test_a_dm_slack_refuses_does_not_hold_up_or_repeat_the_others(slack):
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    slack.ask("config managers add <@UGONE>", user=ADMIN)  # no longer in Slack
    book_two_meetings(slack)
    slack.clock.set(MONDAY_9)
    slack.deliver()
    for _ in range(4):
        slack.advance(timedelta(minutes=16))
    assert len(digests_in(slack, "CSALES")) == 1 and len(digests_in(slack, ADMIN)) == 1
    number = DigestStore(slack.database).recipient_numbers("T1", ["UGONE"])["UGONE"]
    row = DeliveryStore(slack.database).find("T1", "digest-dm", -number, WEEK)
    assert row.state == "failed" and row.last_error == "channel_not_found" and row.attempts == 4


def test_a_removed_manager_gets_no_more_digests(slack):
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    slack.ask("config managers add <@UMAYA>", user=ADMIN)
    slack.ask("config managers remove <@UMAYA>", user=ADMIN)
    book_two_meetings(slack)
    slack.clock.set(MONDAY_9)
    slack.deliver()
    assert digests_in(slack, "UMAYA") == [] and len(digests_in(slack, ADMIN)) == 1


def test_admins_are_found_on_any_page_of_users_list(slack):
    for i in range(450):
        slack.fake.add_user("T1", f"UP{i:03d}", f"person{i}", tz="Europe/London")
    slack.fake.add_user("T1", "UZOWNER", "zoe", tz="Europe/London", is_owner=True)
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    book_two_meetings(slack)
    slack.clock.set(MONDAY_9)
    slack.deliver()
    assert len(digests_in(slack, "UZOWNER")) == 1 and len(digests_in(slack, ADMIN)) == 1
    assert len(slack.fake.calls_to("users.list")) >= 3


def test_a_digest_due_while_salesmeet_was_down_says_it_is_late(slack):
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    book_two_meetings(slack)
    slack.clock.set(MONDAY_9 + timedelta(minutes=90))
    slack.deliver()
    (post,) = digests_in(slack, "CSALES")
    assert "Sent late" in text_of(post)


def test_another_workspace_has_its_own_digest_and_managers(slack, globex):
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    book_two_meetings(slack)
    globex.ask('schedule "Globex plan" 2026-11-25 10:00 for 1h', user="UGREG", team="T2")
    acme = text_of(slack.ask("digest", user=ADMIN))
    globex_view = text_of(globex.ask("digest", user="UGREG", team="T2"))
    assert "2 meetings" in acme and "<@UGREG>" not in acme
    assert "1 meeting," in globex_view and "<@URAVI>" not in globex_view
    # Greg is T2's admin: never a recipient of T1's digest.
    managers = slack.services.managers
    assert "UGREG" not in managers.of("T1")
    assert "UOLIVIA" not in managers.of("T2")


def test_admins_read_before_an_upgrade_are_still_admins_after_it(tmp_path, fake):
    # The database as the release before left it: the digest kept the users.list admins.
    old = [m for m in CORE_MIGRATIONS if m.name != "v6_workspace_admins"] + [
        m for m in migrations(FEATURES) if m.name != "v7_digest_admins_to_core"
    ]
    database = Database(tmp_path / "t.db", old)
    with database.transaction() as db:
        db.execute(
            "INSERT INTO digest_recipients (team_id, user_id, slack_admin) VALUES ('T1', 'UZOE', 1)"
        )
        synced = int(START.timestamp())
        db.execute("INSERT INTO digest_admin_sync (team_id, synced_at) VALUES ('T1', ?)", [synced])
    database.close()
    upgraded = start(tmp_path, fake)
    try:
        answer = text_of(upgraded.ask("config managers remove <@UZOE>", user=ADMIN))
        assert "always managers" in answer
        assert fake.calls_to("users.list") == []  # read within the hour: not asked again
    finally:
        upgraded.server.close()
        upgraded.close()
