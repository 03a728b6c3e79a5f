"""The `config`/`digest` grammar and the week's figures, without Slack or a database."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.command import parse_command
from bot.feature import settings, verbs
from bot.i18n import translator
from bot.settings import (
    ChangeManagers,
    SetConfig,
    ShowConfig,
    config_rows,
    read_day_and_time,
    read_value,
    row_of,
)
from bot.workspace import WorkspaceSettings, parse_settings
from entities.errors import UserError
from entities.meetings import Attendee, Meeting, Venue
from features.digest.blocks import bar, digest_message
from features.digest.figures import (
    due_in_week,
    occurrences_in,
    occurrences_per_month,
    shift_weeks,
    week_figures,
    week_start,
)
from features.digest.grammar import ShowDigest
from features.digest.settings import digest_schedule
from features.recognition.settings import shoutout_schedule
from handlers import config
from salesmeet.features import FEATURES
from storage.windows import HeldMeeting


def parse(text: str):
    """The grammar with every feature's verbs and `config`, as the app reads commands."""
    return parse_command(text, {**verbs(FEATURES), **config.verbs(FEATURES)})


MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("config", ShowConfig()),
        ("config digest-time mon 09:00", SetConfig("digest-time", "mon 09:00")),
        ("CONFIG Digest Channel <#C1|x>", SetConfig("digest-channel", "<#C1|x>")),
        ("config hours_limit 12", SetConfig("meeting-hours-limit", "12")),
        ("config tz UTC", SetConfig("timezone", "UTC")),
        ("config managers add <@U1> <@U2|b>", ChangeManagers(True, ("U1", "U2"))),
        ("config managers remove <@U1>", ChangeManagers(False, ("U1",))),
        ("digest", ShowDigest("this")),
        ("digest last", ShowDigest("last")),
        ("digest Next week", ShowDigest("next")),
    ],
)
def test_the_grammar(text, command):
    assert parse(text) == command


def test_values_are_stored_as_parse_settings_reads_them():
    current = WorkspaceSettings()
    rows = config_rows(settings(FEATURES))
    stored = {}
    for key, value in (
        ("timezone", "asia/kolkata"),
        ("digest-time", "Thursday at 8:15 am"),
        ("hourly-cost", "USD 99.50"),
        ("agenda-lead", "36h"),
        ("shoutout-time", "17:00"),  # keeps Friday
    ):
        stored.update(read_value(row_of(rows, key), value, current))
    s = parse_settings({k: v for k, v in stored.items() if v is not None})
    assert s.tz == "Asia/Kolkata" and digest_schedule(s) == (3, time(8, 15))
    assert s.hourly_cost == 99.5 and s.currency == "USD"
    assert s.agenda_lead == timedelta(hours=36)
    assert shoutout_schedule(s) == (4, time(17, 0))


@pytest.mark.parametrize("text", ["mon tue 9:00", "9:00 10:00", "13pm", "noonish", ""])
def test_bad_day_and_time(text):
    with pytest.raises(UserError):
        read_day_and_time(text, "digest-time", 0, time(9))


def test_weeks_follow_the_workspace_zone_across_daylight_saving():
    # London changes to summer time on Sunday 28 March 2027.
    start = week_start(datetime(2027, 3, 24, 12, tzinfo=UTC), "Europe/London")
    assert start == datetime(2027, 3, 22, tzinfo=UTC)
    after = shift_weeks(start, 1, "Europe/London")
    assert after == datetime(2027, 3, 28, 23, tzinfo=UTC)  # Monday 00:00 BST
    assert due_in_week(after, 0, time(9), "Europe/London") == datetime(2027, 3, 29, 8, tzinfo=UTC)


def meeting(number, start, minutes, people=(), guests=(), rrule=None, **kw):
    return Meeting(
        id=number,
        team_id="T1",
        number=number,
        title=f"M{number}",
        starts_at=start,
        duration=timedelta(minutes=minutes),
        tz="UTC",
        channel_id=kw.pop("channel", "C1"),
        organiser_id="UORG",
        attendees=tuple(Attendee(user_id=u) for u in people)
        + tuple(Attendee(guest=g) for g in guests),
        rrule=rrule,
        venue=Venue(kw.pop("format", None)),
        **kw,
    )


def test_figures_of_a_week():
    held = [
        HeldMeeting(meeting(1, MONDAY + timedelta(hours=9), 60, ["UA"], rrule="FREQ=DAILY")),
        HeldMeeting(meeting(2, MONDAY + timedelta(days=2), 120, ["UA", "UB"], ["acme"])),
        # Cancelled on Tuesday: only Monday's happened.
        HeldMeeting(
            meeting(3, MONDAY + timedelta(hours=8), 30, rrule="FREQ=DAILY", status="cancelled"),
            cancelled_at=MONDAY + timedelta(days=1),
        ),
    ]
    end = MONDAY + timedelta(days=7)
    pairs = occurrences_in(held, MONDAY, end)
    assert len(pairs) == 7 + 1 + 1
    f = week_figures("T1", MONDAY, end, pairs, WorkspaceSettings(), now=end)
    loads = {p.user_id: p.hours for p in f.people}
    assert loads == {"UORG": 7 + 2 + 0.5, "UA": 7 + 2, "UB": 2}
    assert f.totals.attendee_hours == 14 + 6 + 0.5
    assert f.totals.cost == f.totals.attendee_hours * 100
    assert f.customer_hours == 2 and f.internal_hours == 7.5
    assert [p.user_id for p in f.mostly_recurring] == ["UORG", "UA"]
    assert [m.number for m in f.endless_series] == [1]  # #3 was ended by cancelling
    assert [c.meeting.number for c in f.to_cut] == [1]
    assert f.to_cut[0].held == 7


@pytest.mark.parametrize(
    ("rule", "per_month"),
    [
        ("FREQ=WEEKLY", 4.35),
        ("FREQ=WEEKLY;INTERVAL=2", 2.17),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 21.74),
        ("FREQ=DAILY", 30.44),
        ("FREQ=MONTHLY;BYDAY=+1TU", 1.0),
    ],
)
def test_occurrences_per_month(rule, per_month):
    m = meeting(1, MONDAY, 30, rrule=rule)
    assert round(occurrences_per_month(m, 1), 2) == per_month


def test_bars():
    assert bar(0, 15) == "░" * 10
    assert bar(0.1, 15) == "▇" + "░" * 9
    assert bar(7.5, 15) == "▇" * 5 + "░" * 5
    assert bar(40, 15) == "▇" * 10


def test_an_empty_week_renders():
    f = week_figures("T1", MONDAY, MONDAY + timedelta(days=7), [], WorkspaceSettings(), MONDAY)
    message = digest_message(translator(None), f)
    assert "No meetings in the week of Nov 23, 2026." in message["text"]


def test_a_feature_setting_may_not_take_a_name_already_in_use():
    taken = replace(row_of(config_rows(settings(FEATURES)), "digest-time"), aliases=("tz",))
    with pytest.raises(ValueError, match="tz"):
        config_rows([taken])
