"""`/salesmeet config`: managers see and change the workspace settings; others are refused."""

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.workspace import Workspaces
from features.digest.settings import digest_schedule
from storage.deliveries import DeliveryStore
from storage.settings import SettingsStore
from tests.support.messages import text_of

ADMIN = "UOLIVIA"  # a workspace admin in the fake Slack


def settings(slack, team="T1"):
    return Workspaces(SettingsStore(slack.database)).settings(team)


def raw(slack, team="T1"):
    return Workspaces(SettingsStore(slack.database)).raw(team)


def test_a_non_manager_is_refused_politely_and_nothing_changes(slack):
    for text in ("config", "config meeting-hours-limit 5", "config managers add <@UMAYA>"):
        answer = slack.ask(text, user="UMAYA")
        assert answer["response_type"] == "ephemeral"
        assert "only managers" in text_of(answer)
    assert raw(slack) == {}


def test_an_admin_sees_every_setting_with_its_default(slack):
    shown = text_of(slack.ask("config", user=ADMIN))
    for line in (
        "`timezone`: UTC",
        "`digest-channel`: not set",
        "`digest-time`: Monday at 09:00",
        "`meeting-hours-limit`: 15 h",
        "`working-hours`: 40 h",
        "`hourly-cost`: 100 USD",
        "`agenda-lead`: 1 day",
        "`reminder-lead`: 15 minutes",
        "`shoutout-channel`: not set",
        "`shoutout-time`: Friday at 16:00",
        "`shoutout-limit`: 5",
        "`managers`: the workspace's admins and owners",
    ):
        assert line in shown, line


@pytest.mark.parametrize(
    ("text", "stored", "said"),
    [
        ("timezone europe/london", {"tz": "Europe/London"}, "Europe/London"),
        ("digest-channel <#CSALES|sales>", {"digest_channel": "CSALES"}, "<#CSALES>"),
        ("digest-time fri 4pm", {"digest_day": "fri", "digest_time": "16:00"}, "Friday at 16:00"),
        ("meeting-hours-limit 12.5", {"weekly_hours_limit": "12.5"}, "12.5 h"),
        ("working-hours 37.5h", {"working_hours": "37.5"}, "37.5 h"),
        ("hourly-cost 85 eur", {"hourly_cost": "85", "currency": "EUR"}, "85 EUR"),
        ("hourly-cost €120", {"hourly_cost": "120", "currency": "EUR"}, "120 EUR"),
        ("agenda-lead 2h", {"agenda_lead_min": "120"}, "2 hours"),
        ("reminder-lead 30m", {"reminder_lead_min": "30"}, "30 minutes"),
        ("shoutout-channel <#CSALES|sales>", {"shoutout_channel": "CSALES"}, "<#CSALES>"),
        ("shoutout-time thu 17:30", {"shoutout_day": "thu", "shoutout_time": "17:30"}, "17:30"),
        ("shoutout-limit 3", {"shoutout_daily_limit": "3"}, "3 a day"),
    ],
)
def test_each_setting_is_saved_in_the_stored_format_and_confirmed(slack, text, stored, said):
    answer = text_of(slack.ask(f"config {text}", user=ADMIN))
    assert "Saved" in answer and said in answer
    assert {k: raw(slack)[k] for k in stored} == stored


def test_stored_values_mean_what_was_typed(slack):
    slack.ask("config timezone America/New_York", user=ADMIN)
    slack.ask("config digest-time wed 7:30am", user=ADMIN)
    slack.ask("config hourly-cost 80", user=ADMIN)  # keeps the currency
    slack.ask("config agenda-lead 1d", user=ADMIN)
    s = settings(slack)
    assert s.tz == "America/New_York" and digest_schedule(s) == (2, time(7, 30))
    assert s.hourly_cost == 80 and s.currency == "USD"
    assert s.agenda_lead == timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("config timezone Mars/Olympus", "`/salesmeet config timezone Europe/London`"),
        ("config digest-channel sales", "`/salesmeet config digest-channel #sales`"),
        ("config digest-time funday 9", "`/salesmeet config digest-time mon 09:00`"),
        ("config digest-time mon 25:00", "`/salesmeet config digest-time mon 09:00`"),
        ("config meeting-hours-limit lots", "`/salesmeet config meeting-hours-limit 15`"),
        ("config meeting-hours-limit 0", "more than 0 and at most 168"),
        ("config working-hours 200", "at most 168"),
        ("config hourly-cost 100 XYZ", "`/salesmeet config hourly-cost 100 USD`"),
        ("config hourly-cost free", "`/salesmeet config hourly-cost 100 USD`"),
        ("config agenda-lead soon", "`30m`"),
        ("config reminder-lead 9d", "at most 7 days"),
        ("config shoutout-limit 0", "`/salesmeet config shoutout-limit 5`"),
        ("config digest-time", "`/salesmeet config digest-time mon 09:00`"),
        ("config colour blue", "The settings are:"),
        ("config managers promote <@UMAYA>", "`/salesmeet config managers add @maya`"),
        ("config managers add maya", "`/salesmeet config managers add @maya`"),
    ],
)
def test_bad_values_get_a_clear_error_with_an_example_and_change_nothing(slack, text, phrase):
    answer = slack.ask(text, user=ADMIN)
    assert answer["response_type"] == "ephemeral"
    assert phrase in text_of(answer)
    assert raw(slack) == {}


def test_default_puts_a_setting_back(slack):
    slack.ask("config hourly-cost 150 GBP", user=ADMIN)
    # The answer shows the value now in force: the default.
    assert "100 USD" in text_of(slack.ask("config hourly-cost default", user=ADMIN))
    assert settings(slack).hourly_cost == 100 and settings(slack).currency == "USD"
    assert "hourly_cost" not in raw(slack)


def test_managers_can_be_added_and_removed_but_admins_stay_managers(slack):
    answer = text_of(slack.ask("config managers add <@UMAYA|maya> <@URAVI>", user=ADMIN))
    assert "<@UMAYA>" in answer and "<@URAVI>" in answer
    assert raw(slack)["managers"] == "UMAYA,URAVI"
    # Maya is a manager now: she may change settings.
    assert "Saved" in text_of(slack.ask("config working-hours 35", user="UMAYA"))
    slack.ask("config managers remove <@UMAYA>", user="URAVI")
    assert raw(slack)["managers"] == "URAVI"
    assert "only managers" in text_of(slack.ask("config", user="UMAYA"))
    assert "always managers" in text_of(slack.ask("config managers remove <@UOLIVIA>", user=ADMIN))
    assert "not one of the managers" in text_of(
        slack.ask("config managers remove <@USAM>", user=ADMIN)
    )


def test_a_channel_salesmeet_is_not_in_is_saved_with_a_hint(slack):
    answer = text_of(slack.ask("config digest-channel <#CQUIET|quiet>", user=ADMIN))
    assert "Saved" in answer and "/invite @SalesMeet" in answer
    assert raw(slack)["digest_channel"] == "CQUIET"


def test_changing_the_digest_time_moves_the_pending_digest(slack):
    slack.ask("config digest-channel <#CSALES|sales>", user=ADMIN)
    week = int(datetime(2026, 11, 23, tzinfo=UTC).timestamp())
    row = DeliveryStore(slack.database).find("T1", "digest", 0, week)
    assert row.due_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    answer = text_of(slack.ask("config digest-time tue 10:00", user=ADMIN))
    assert "The next digest goes out" in answer
    row = DeliveryStore(slack.database).find("T1", "digest", 0, week)
    assert row.due_at == datetime(2026, 11, 24, 10, 0, tzinfo=UTC) and row.state == "pending"
    # Monday 09:00 in Kuala Lumpur is 01:00 UTC: now. This week's has passed, so the
    # next one is planned, keyed by that week's start in Kuala Lumpur.
    slack.ask("config timezone Asia/Kuala_Lumpur", user=ADMIN)
    slack.ask("config digest-time mon 09:00", user=ADMIN)
    assert DeliveryStore(slack.database).find("T1", "digest", 0, week) is None
    kl_week = int(datetime(2026, 11, 29, 16, 0, tzinfo=UTC).timestamp())  # Mon 30 Nov 00:00 KL
    row = DeliveryStore(slack.database).find("T1", "digest", 0, kl_week)
    assert row.due_at == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def test_changing_the_reminder_lead_moves_pending_reminders(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')  # 07:00 UTC Tuesday
    slack.ask("config reminder-lead 1h", user=ADMIN)
    rows = DeliveryStore(slack.database).for_meeting("T1", 1)
    (reminder,) = [r for r in rows if r.kind == "reminder"]
    assert reminder.due_at == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


def test_changing_the_shoutout_time_moves_the_pending_weekly_shoutout_post(slack):
    slack.ask("shoutout <@URAVI> closed Acme", user="UMAYA")  # recognition plans from here
    slack.ask("config shoutout-channel <#CSALES|sales>", user=ADMIN)

    def pending_shoutouts():
        with slack.database.reading() as db:
            rows = db.execute(
                "SELECT due_at FROM deliveries WHERE team_id = 'T1' AND kind = 'shoutouts'"
                " AND state = 'pending' ORDER BY due_at"
            ).fetchall()
        return [datetime.fromtimestamp(r[0], UTC) for r in rows]

    assert pending_shoutouts() == [  # Fridays 16:00
        datetime(2026, 11, 27, 16, 0, tzinfo=UTC),
        datetime(2026, 12, 4, 16, 0, tzinfo=UTC),
    ]
    slack.ask("config shoutout-time thu 10:00", user=ADMIN)
    assert pending_shoutouts() == [
        datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
        datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
    ]
