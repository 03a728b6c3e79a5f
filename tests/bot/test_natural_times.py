"""Issue 12, "Times": the phrases people type, read in four zones on chosen days.

Weekday phrases include today while the time is still ahead; `next <weekday>` is the
first one after today (a note names the other reading); bare hours read as a working
day; ranges give a start and a length. Every test uses a fixed `now`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import when
from bot.i18n import translator
from bot.when import parse_day, parse_duration, parse_when, read_when
from entities.errors import UserError

KL, MUMBAI, LONDON, NEW_YORK = (
    "Asia/Kuala_Lumpur",
    "Asia/Kolkata",
    "Europe/London",
    "America/New_York",
)
ZONES = [KL, MUMBAI, LONDON, NEW_YORK]


def local(tz: str, *fields: int) -> datetime:
    return datetime(*fields, tzinfo=ZoneInfo(tz))


def wall(tz: str, *fields: int) -> datetime:
    return local(tz, *fields).astimezone(UTC)


def refused(text: str, now: datetime, tz: str) -> UserError:
    with pytest.raises(UserError) as caught:
        parse_when(text, now, tz)
    translator().error(caught.value)  # every placeholder is filled
    return caught.value


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    when.warm_up()


# Wednesday 25 November 2026 at 08:00, in each zone.
WEDNESDAY = (2026, 11, 25, 8, 0)

WEDNESDAY_PHRASES = {
    "wed 4pm": (2026, 11, 25, 16, 0),
    "this wednesday 4pm": (2026, 11, 25, 16, 0),
    "on wednesday at 4pm": (2026, 11, 25, 16, 0),
    "wed 7am": (2026, 12, 2, 7, 0),  # today's has passed: a week today
    "next wednesday 4pm": (2026, 12, 2, 16, 0),
    "next friday 4pm": (2026, 11, 27, 16, 0),
    "this friday 4pm": (2026, 11, 27, 16, 0),
    "friday next week 4pm": (2026, 12, 4, 16, 0),
    "next week friday 4pm": (2026, 12, 4, 16, 0),
    "tomorrow 3pm": (2026, 11, 26, 15, 0),
    "tmrw 3pm": (2026, 11, 26, 15, 0),
    "3pm tomorrow": (2026, 11, 26, 15, 0),
    "tuesday at 10": (2026, 12, 1, 10, 0),
    "next week mon 9am": (2026, 11, 30, 9, 0),
    "noon": (2026, 11, 25, 12, 0),
    "at 3": (2026, 11, 25, 15, 0),
    "tomorrow 9": (2026, 11, 26, 9, 0),
    "at 12": (2026, 11, 25, 12, 0),
    "fri at 4": (2026, 11, 27, 16, 0),
    "Dec 3 at 3": (2026, 12, 3, 15, 0),
    "tonight at 8": (2026, 11, 25, 20, 0),
    "at 15": (2026, 11, 25, 15, 0),
    "fri 9:30": (2026, 11, 27, 9, 30),
    "Dec 3 14:00": (2026, 12, 3, 14, 0),
}


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("text", "fields"), WEDNESDAY_PHRASES.items(), ids=list(WEDNESDAY_PHRASES))
def test_phrases_on_a_wednesday_morning(text, fields, tz):
    assert parse_when(text, wall(tz, *WEDNESDAY), tz) == wall(tz, *fields)


@pytest.mark.parametrize("tz", ZONES)
def test_in_two_hours(tz):
    now = wall(tz, *WEDNESDAY)
    assert parse_when("in 2 hours", now, tz) == now + timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("3pm-4pm", 60),
        ("3–4pm", 60),
        ("3-4pm", 60),
        ("from 3pm to 4:30pm", 90),
        ("between 11 and 1", 120),  # 11am to 1pm
        ("11-1pm", 120),
        ("3pm - 4:15", 75),
        ("tomorrow 9-9:15am", 15),
        ("wed 14:00-15:30", 90),
    ],
)
@pytest.mark.parametrize("tz", ZONES)
def test_ranges_give_a_start_and_a_length(text, minutes, tz):
    read = read_when(text, wall(tz, *WEDNESDAY), tz)
    assert read.duration == timedelta(minutes=minutes)
    start = read.start.astimezone(ZoneInfo(tz))
    assert start.date() in (date(2026, 11, 25), date(2026, 11, 26))


def test_a_single_time_has_no_length():
    assert read_when("3pm", wall(KL, *WEDNESDAY), KL).duration is None


# --- on a Friday and a Sunday ------------------------------------------------------------

FRIDAY = (2026, 11, 27, 17, 0)  # 17:00, Friday 27 November
SUNDAY = (2026, 11, 29, 10, 0)  # 10:00, Sunday 29 November


@pytest.mark.parametrize("tz", ZONES)
def test_phrases_on_a_friday_evening(tz):
    now = wall(tz, *FRIDAY)
    assert parse_when("fri 4pm", now, tz) == wall(tz, 2026, 12, 4, 16, 0)  # passed today
    assert parse_when("fri 6pm", now, tz) == wall(tz, 2026, 11, 27, 18, 0)
    assert parse_when("next friday 6pm", now, tz) == wall(tz, 2026, 12, 4, 18, 0)
    assert parse_when("monday 9am", now, tz) == wall(tz, 2026, 11, 30, 9, 0)
    assert parse_when("next monday 9am", now, tz) == wall(tz, 2026, 11, 30, 9, 0)
    assert parse_when("at 3", now, tz) == wall(tz, 2026, 11, 28, 15, 0)  # tomorrow


@pytest.mark.parametrize("tz", ZONES)
def test_phrases_on_a_sunday_morning(tz):
    now = wall(tz, *SUNDAY)
    assert parse_when("sun 4pm", now, tz) == wall(tz, 2026, 11, 29, 16, 0)
    assert parse_when("sunday 9am", now, tz) == wall(tz, 2026, 12, 6, 9, 0)
    # On a Sunday, next week starts tomorrow: both readings of "next monday" agree.
    assert parse_when("next monday 9am", now, tz) == wall(tz, 2026, 11, 30, 9, 0)
    assert parse_when("monday next week 9am", now, tz) == wall(tz, 2026, 11, 30, 9, 0)
    assert read_when("next monday 9am", now, tz).notes == ()


# --- notes for the confirmation -------------------------------------------------------------


def test_next_weekday_notes_the_other_reading_when_it_differs():
    now = wall(KL, *WEDNESDAY)
    (note,) = read_when("next friday 4pm", now, KL).notes
    assert note.message == when.NOTE_NEXT_WEEKDAY
    assert note.params == {"day": "friday", "took": "2026-11-27", "other": "2026-12-04"}
    shown = translator().gettext(note.message, **note.params)
    assert "2026-11-27" in shown and "2026-12-04" in shown and "`friday next week`" in shown
    # "next monday" on a Wednesday is the Monday of next week either way: no note.
    assert read_when("next monday 9am", now, KL).notes == ()
    assert read_when("next wednesday 9am", now, KL).notes == ()


def test_a_bare_hour_notes_the_time_taken():
    now = wall(KL, *WEDNESDAY)
    (note,) = read_when("tomorrow 9", now, KL).notes
    assert note.message == when.NOTE_BARE_HOUR
    assert note.params == {"hour": "9", "time": "09:00"}
    (note,) = read_when("at 3", now, KL).notes
    assert note.params == {"hour": "3", "time": "15:00"}
    assert read_when("3pm", now, KL).notes == ()
    assert read_when("at 15", now, KL).notes == ()


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
def test_refusals_say_what_was_wrong_and_how_to_write_it(tz):
    now = wall(tz, *WEDNESDAY)
    for text in ("25:00", "tomorrow 25:00", "fri 9:75", "13pm", "Dec 3 24:00"):
        error = refused(text, now, tz)
        assert error.message == when.NOT_A_TIME_OF_DAY, text
        assert "`3pm`" in translator().error(error)
    error = refused("tomorrow 3:30", now, tz)
    assert error.message == when.AMPM_MISSING
    assert error.params == {"time": "3:30", "morning": "03:30", "afternoon": "15:30"}
    for text in ("Dec 3 3pm - Dec 4 4pm", "mon 3pm to tue 4pm", "tomorrow 3pm – friday 4pm"):
        assert refused(text, now, tz).message == when.RANGE_TWO_DAYS, text
    assert refused("4pm-3pm", now, tz).message == when.RANGE_BACKWARDS
    assert refused("9am-6pm", now, tz).message == when.DURATION_TOO_LONG
    error = refused("today 7am", now, tz)
    assert error.message == when.TIME_PASSED
    assert error.params["when"] == "2026-11-25 07:00"


@pytest.mark.parametrize(
    "text", ["tuesday at 10", "tomorrow 25:00", "at 3", "fri at 99", "Dec 3 at 3:75", "wed 3:30"]
)
def test_no_refusal_says_no_time_was_given_when_one_was(text):
    now = wall(KL, *WEDNESDAY)
    try:
        parse_when(text, now, KL)
    except UserError as error:
        assert error.message != when.NEEDS_A_TIME, text


# --- parse_day reads weekdays the same way ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("wed", date(2026, 11, 25)),
        ("this wednesday", date(2026, 11, 25)),
        ("next wednesday", date(2026, 12, 2)),
        ("fri", date(2026, 11, 27)),
        ("friday next week", date(2026, 12, 4)),
        ("tmrw", date(2026, 11, 26)),
        ("Dec 8", date(2026, 12, 8)),
    ],
)
def test_parse_day_reads_weekdays_as_parse_when_does(text, day):
    assert parse_day(text, wall(KL, *WEDNESDAY), KL) == day


# --- daylight saving ---------------------------------------------------------------------


def test_weekday_across_new_york_fall_back():
    # Friday 30 October 2026, 12:00 EDT; clocks fall back on Sunday 1 November.
    now = wall(NEW_YORK, 2026, 10, 30, 12, 0)
    assert parse_when("mon 9am", now, NEW_YORK) == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    read = read_when("sun 1:30am-2:30am", now, NEW_YORK)
    assert read.start == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first 1:30 (EDT)
    assert read.duration == timedelta(hours=2)  # the clock went back an hour in between


def test_weekday_across_london_spring_forward():
    # Friday 26 March 2027, 12:00 GMT; clocks go forward on Sunday 28 March at 01:00.
    now = wall(LONDON, 2027, 3, 26, 12, 0)
    assert parse_when("sun 3pm", now, LONDON) == datetime(2027, 3, 28, 14, 0, tzinfo=UTC)
    assert parse_when("sun 1:30am", now, LONDON) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


# --- durations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("an hour", 60),
        ("1 hour", 60),
        ("half an hour", 30),
        ("half hour", 30),
        ("an hour and a half", 90),
        ("1.5 hours", 90),
        ("1h30", 90),
        ("90 min", 90),
        ("a quarter of an hour", 15),
    ],
)
def test_durations_said_naturally(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


# --- property: a weekday and a time is within a week, never in the past ------------------

WEEKDAY_PHRASES = st.builds(
    "{}{} {}".format,
    st.sampled_from(["", "this ", "on ", "next "]),
    st.sampled_from(["mon", "tuesday", "wed", "thurs", "friday", "sat", "sunday"]),
    st.sampled_from(["9am", "4pm", "at 3", "12:30", "noon", "midnight", "1:30am", "23:59"]),
)


@settings(max_examples=300, deadline=None)
@given(
    phrase=WEEKDAY_PHRASES,
    instant=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1)),
    tz=st.sampled_from([*ZONES, "Australia/Lord_Howe", "America/Santiago", "Asia/Kathmandu"]),
)
def test_a_weekday_and_time_is_within_seven_days_and_never_past(phrase, instant, tz):
    now = instant.replace(tzinfo=UTC)
    got = parse_when(phrase, now, tz)
    assert got > now
    # Seven days on the calendar: across a fall-back change that is an hour more.
    today = now.astimezone(ZoneInfo(tz)).date()
    landed = got.astimezone(ZoneInfo(tz))
    assert (landed.date() - today).days <= 7
    if not phrase.startswith("next "):
        # The next time that weekday comes: at most a week of elapsed time, an hour more
        # across a fall-back change. `next wed` on a Wednesday is a week on, any time.
        assert got - now <= timedelta(days=7, hours=1)
