"""Reading typed times and durations: bot/when.py.

Every test uses a fixed `now`, never the wall clock. NOW is Sunday 22 November 2026,
06:00 UTC: 14:00 in Kuala Lumpur, 11:30 in Kolkata, 06:00 in London, 01:00 in New York.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from datetime import UTC, datetime, timedelta
from datetime import time as time_
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import when
from bot.i18n import translator
from bot.when import (
    DEFAULT_DURATION,
    MAX_DURATION,
    parse_duration,
    parse_when,
)
from entities.errors import UserError

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
KL, KOLKATA, LONDON, NEW_YORK = (
    "Asia/Kuala_Lumpur",
    "Asia/Kolkata",
    "Europe/London",
    "America/New_York",
)
ZONES = [KL, KOLKATA, LONDON, NEW_YORK]


def wall(tz: str, *fields: int, fold: int = 0) -> datetime:
    """The UTC instant of a wall-clock time in `tz`."""
    return datetime(*fields, tzinfo=ZoneInfo(tz), fold=fold).astimezone(UTC)


def shown(error: UserError) -> str:
    """The sentence the user reads (English catalogue)."""
    return translator("en").error(error)


def refused(text: str, now: datetime = NOW, tz: str = KL) -> UserError:
    with pytest.raises(UserError) as caught:
        parse_when(text, now, tz)
    return caught.value


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    when.warm_up()


# --- the phrases the product issue promises, in four zones ------------------------------

# Wall-clock time each phrase means in every zone: all four are on Sunday 22 Nov at NOW,
# and "3pm" is still ahead everywhere (the latest local time is 14:00 in Kuala Lumpur).
PHRASES = {
    "tomorrow 3pm": (2026, 11, 23, 15, 0),
    "fri 9:30": (2026, 11, 27, 9, 30),
    "next tuesday 10am": (2026, 11, 24, 10, 0),
    "Dec 3 14:00": (2026, 12, 3, 14, 0),
    "2026-12-03 14:00": (2026, 12, 3, 14, 0),
    "3pm": (2026, 11, 22, 15, 0),
    "noon tomorrow": (2026, 11, 23, 12, 0),
    "friday at 9:30am": (2026, 11, 27, 9, 30),
    "today 5pm": (2026, 11, 22, 17, 0),
    "Tomorrow 3PM": (2026, 11, 23, 15, 0),
    "  tomorrow   3 pm ": (2026, 11, 23, 15, 0),
    "3 December 14:00": (2026, 12, 3, 14, 0),
    "13/12 14:00": (2026, 12, 13, 14, 0),  # 13 cannot be a month: no ambiguity
    "tonight at 11pm": (2026, 11, 22, 23, 0),
}


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("text", "fields"), PHRASES.items(), ids=list(PHRASES))
def test_phrase_is_wall_time_in_the_users_zone(text, fields, tz):
    got = parse_when(text, NOW, tz)
    assert got == wall(tz, *fields)
    assert got.tzinfo is UTC


@pytest.mark.parametrize("tz", ZONES)
def test_in_two_hours_is_elapsed_time(tz):
    assert parse_when("in 2 hours", NOW, tz) == NOW + timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # Literal instants, so a mistake in `wall` cannot hide one in parse_when.
        ("tomorrow 3pm", KL, datetime(2026, 11, 23, 7, 0, tzinfo=UTC)),
        ("3pm", KOLKATA, datetime(2026, 11, 22, 9, 30, tzinfo=UTC)),
        ("fri 9:30", NEW_YORK, datetime(2026, 11, 27, 14, 30, tzinfo=UTC)),
        ("Dec 3 14:00", LONDON, datetime(2026, 12, 3, 14, 0, tzinfo=UTC)),
        ("2026-12-03 14:00", NEW_YORK, datetime(2026, 12, 3, 19, 0, tzinfo=UTC)),
        ("in 45 minutes", KOLKATA, datetime(2026, 11, 22, 6, 45, tzinfo=UTC)),
    ],
)
def test_literal_instants(text, tz, expected):
    assert parse_when(text, NOW, tz) == expected


def test_offsets_keep_whole_minutes():
    now = datetime(2026, 11, 22, 6, 23, 47, 123456, tzinfo=UTC)
    assert parse_when("in 2 hours", now, KL) == datetime(2026, 11, 22, 8, 23, tzinfo=UTC)


def test_a_year_without_a_year_means_the_nearest_one():
    late_december = datetime(2026, 12, 20, 4, 0, tzinfo=UTC)
    assert parse_when("Jan 5 10:00", late_december, KL) == wall(KL, 2027, 1, 5, 10, 0)


def test_full_width_digits_are_read():
    assert parse_when("ｔｏｍｏｒｒｏｗ ３ｐｍ", NOW, KL) == wall(KL, 2026, 11, 23, 15, 0)


# --- a bare time: today while it is ahead, else tomorrow --------------------------------


@pytest.mark.parametrize("text", ["3pm", "15:00", "at 3pm", "3 pm"])
def test_bare_time_still_ahead_is_today(text):
    two_pm = wall(KL, 2026, 11, 22, 14, 0)
    assert parse_when(text, two_pm, KL) == wall(KL, 2026, 11, 22, 15, 0)


@pytest.mark.parametrize("text", ["3pm", "15:00", "at 3pm", "3 pm"])
def test_bare_time_already_passed_is_tomorrow(text):
    four_pm = wall(KL, 2026, 11, 22, 16, 0)
    assert parse_when(text, four_pm, KL) == wall(KL, 2026, 11, 23, 15, 0)


def test_bare_time_equal_to_now_is_tomorrow():
    three_pm = wall(KL, 2026, 11, 22, 15, 0)
    assert parse_when("3pm", three_pm, KL) == wall(KL, 2026, 11, 23, 15, 0)
    a_second_later = three_pm + timedelta(seconds=1)
    assert parse_when("3pm", a_second_later, KL) == wall(KL, 2026, 11, 23, 15, 0)
    a_minute_before = three_pm - timedelta(minutes=1)
    assert parse_when("3pm", a_minute_before, KL) == three_pm


def test_bare_time_in_a_half_hour_zone():
    # 11:30 in Kolkata: 11am has passed, noon has not.
    assert parse_when("11am", NOW, KOLKATA) == wall(KOLKATA, 2026, 11, 23, 11, 0)
    assert parse_when("noon", NOW, KOLKATA) == wall(KOLKATA, 2026, 11, 22, 12, 0)


@pytest.mark.parametrize(
    ("local_now", "tomorrow"),
    [
        ((2027, 4, 30, 16, 0), (2027, 5, 1)),  # dateparser gave 1 April
        ((2026, 12, 31, 16, 0), (2027, 1, 1)),  # dateparser gave 1 December 2027
        ((2028, 2, 28, 16, 0), (2028, 2, 29)),
    ],
)
@pytest.mark.parametrize("tz", ZONES)
def test_bare_time_rolls_over_the_end_of_a_month(local_now, tomorrow, tz):
    now = wall(tz, *local_now)
    assert parse_when("3pm", now, tz) == wall(tz, *tomorrow, 15, 0)
    assert parse_when("midnight", now, tz) == wall(tz, *tomorrow, 0, 0)


def test_a_date_named_for_today_is_not_moved_to_tomorrow():
    four_pm = wall(KL, 2026, 11, 22, 16, 0)
    for text in ("Nov 22 15:00", "2026-11-22 15:00", "22nd at 3pm"):
        error = refused(text, four_pm)
        assert error.message == when.TIME_PASSED, text
        assert error.params["when"] == "2026-11-22 15:00"
    assert parse_when("Nov 22 17:00", four_pm, KL) == wall(KL, 2026, 11, 22, 17, 0)


def test_a_weekday_named_for_today_is_today_while_the_time_is_ahead():
    # Issue 12 changed this (dateparser read "sun 3pm" on a Sunday as next Sunday): at
    # 14:00 on Sunday "sun 3pm" is today; "sun 1pm" has passed today, so it is a week on.
    assert parse_when("sun 3pm", NOW, KL) == wall(KL, 2026, 11, 22, 15, 0)
    assert parse_when("sun 1pm", NOW, KL) == wall(KL, 2026, 11, 29, 13, 0)


def test_timestamps_are_not_dates():
    assert refused("1700000000").message == when.UNREADABLE_TIME


def test_today_does_not_roll_over():
    four_pm = wall(KL, 2026, 11, 22, 16, 0)
    error = refused("today 3pm", four_pm)
    assert error.message == when.TIME_PASSED
    assert error.params["when"] == "2026-11-22 15:00"


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["monday", "Dec 3", "tomorrow", "next week", "in 2 days", "tomorrow morning"]
)
def test_a_date_without_a_time_is_refused(text):
    error = refused(text)
    assert error.message == when.NEEDS_A_TIME
    assert error.field == "when"
    assert error.params == {"text": text}
    sentence = shown(error)
    assert f"“{text}”" in sentence
    assert "`monday 10am`" in sentence


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("yesterday 3pm", "2026-11-21 15:00"),
        ("2020-01-01 10:00", "2020-01-01 10:00"),
        ("Nov 1 10:00", "2026-11-01 10:00"),  # not rolled into 2027
        ("2026-11-01 10:00", "2026-11-01 10:00"),  # an explicit year is never rolled
        ("today 1pm", "2026-11-22 13:00"),
        ("now", "2026-11-22 14:00"),
        ("last fri 3pm", "2026-11-20 15:00"),
    ],
)
def test_a_time_in_the_past_is_refused(text, read):
    error = refused(text)
    assert error.message == when.TIME_PASSED
    assert error.field == "when"
    assert error.params == {"text": text, "when": read}
    sentence = shown(error)
    assert read in sentence
    assert "has already passed" in sentence


def test_past_time_is_shown_in_the_users_zone():
    error = refused("yesterday 3pm", tz=NEW_YORK)
    assert error.params["when"] == "2026-11-21 15:00"


def test_far_future_is_refused():
    error = refused("2062-11-23 10:00")
    assert error.message == when.TOO_FAR_AHEAD
    assert error.params == {"text": "2062-11-23 10:00", "when": "2062-11-23 10:00", "years": 2}
    assert "more than 2 years away" in shown(error)
    assert parse_when("2028-11-21 10:00", NOW, KL) == wall(KL, 2028, 11, 21, 10, 0)


@pytest.mark.parametrize("tz", ZONES)
def test_the_ends_of_the_calendar_are_refused_not_overflowed(tz):
    # 9999-12-31 23:59 in New York is past datetime.max in UTC.
    assert refused("9999-12-31 23:59", tz=tz).message == when.TOO_FAR_AHEAD
    assert refused("0001-01-01 00:00", tz=tz).message == when.TIME_PASSED
    assert refused("in 99999999 hours", tz=tz).message == when.UNREADABLE_TIME


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("banana", "banana"),
        ("", ""),
        ("   ", ""),
        ("32/13/2026 25:99", "32/13/2026 25:99"),
        ("\x00\x07", ""),
        ("🎉🎉", "🎉🎉"),
        ("next\tblue\nmoon", "next blue moon"),  # control characters become spaces
    ],
)
def test_unreadable_text_is_refused_with_examples(text, cleaned):
    error = refused(text)
    assert error.message == when.UNREADABLE_TIME
    assert error.field == "when"
    assert error.params == {"text": cleaned}
    sentence = shown(error)
    for example in ("`tomorrow 3pm`", "`fri 9:30`", "`Dec 3 14:00`", "`in 2 hours`"):
        assert example in sentence
    assert f"“{cleaned}”" in sentence


def test_unreadable_message_shows_the_users_text():
    error = refused("banana")
    assert error.message == when.UNREADABLE_TIME
    assert error.params == {"text": "banana"}
    assert shown(error) == (
        "I couldn't read “banana” as a time. Try `tomorrow 3pm`, `fri 9:30`, "
        "`Dec 3 14:00` or `in 2 hours`."
    )


def test_text_over_100_characters_is_refused():
    error = refused("tomorrow 3pm " + "x" * 100)
    assert error.message == when.TIME_TOO_LONG
    assert error.params == {"limit": 100}
    assert "100" in shown(error)
    # Exactly 100 characters is read (and here found unreadable), not refused for length.
    assert refused("x" * 100).message == when.UNREADABLE_TIME


@pytest.mark.parametrize("text", ["3/12 14:00", "12/3 14:00", "03-12-2026 14:00", "3.12.2026 9am"])
def test_day_month_order_that_could_go_either_way_is_refused(text):
    error = refused(text)
    assert error.message == when.AMBIGUOUS_DATE
    assert error.params == {"text": text}
    assert "`Dec 3 14:00`" in shown(error)


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("2026/12/03 14:00", (2026, 12, 3, 14, 0)),  # year first: no doubt
        ("12/12 10:00", (2026, 12, 12, 10, 0)),  # same either way
        ("fri 9.30", (2026, 11, 27, 9, 30)),  # a time, not a date
    ],
)
def test_numeric_dates_without_doubt_are_read(text, fields):
    assert parse_when(text, NOW, KL) == wall(KL, *fields)


# --- time zones named in the text -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3pm UTC", datetime(2026, 11, 22, 15, 0, tzinfo=UTC)),
        ("3pm GMT", datetime(2026, 11, 22, 15, 0, tzinfo=UTC)),
        ("3pm UTC+8", datetime(2026, 11, 22, 7, 0, tzinfo=UTC)),
        ("tomorrow 9am -05:00", datetime(2026, 11, 23, 14, 0, tzinfo=UTC)),
        ("2026-12-03T14:00:00Z", datetime(2026, 12, 3, 14, 0, tzinfo=UTC)),
    ],
)
def test_a_utc_offset_in_the_text_is_honoured(text, expected):
    assert parse_when(text, NOW, KL) == expected


@pytest.mark.parametrize("abbreviation", ["IST", "EST", "BST", "CST"])
def test_zone_abbreviations_are_refused(abbreviation):
    # dateparser reads IST as Israel (+2): an Indian user would be 3.5 hours out.
    error = refused(f"tomorrow 3pm {abbreviation}", tz=KOLKATA)
    assert error.message == when.UNKNOWN_ZONE
    assert error.params == {"zone": abbreviation, "tz": KOLKATA}
    assert KOLKATA in shown(error)


# --- the caller's mistakes are ValueError -----------------------------------------------


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "", "../../etc/passwd", "local"])
def test_unknown_zone_is_a_value_error(tz):
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_when("tomorrow 3pm", NOW, tz)


def test_naive_now_is_a_value_error():
    with pytest.raises(ValueError, match="aware"):
        parse_when("tomorrow 3pm", datetime(2026, 11, 22, 6, 0), KL)


def test_now_in_another_zone_is_accepted():
    now = NOW.astimezone(ZoneInfo(NEW_YORK))
    assert parse_when("tomorrow 3pm", now, KL) == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


# --- daylight saving --------------------------------------------------------------------
# New York: 2026-11-01 02:00 EDT falls back to 01:00 EST; 2027-03-14 02:00 EST springs
# forward to 03:00 EDT. London: 2026-10-25 02:00 BST -> 01:00 GMT; 2027-03-28 01:00 GMT
# -> 02:00 BST.


def test_new_york_fall_back_day():
    saturday_noon = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 12:00 EDT
    # 1:30am happens twice: the first (EDT) is meant.
    got = parse_when("tomorrow 1:30am", saturday_noon, NEW_YORK)
    assert got == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    # After the change, 3pm is EST (UTC-5).
    got = parse_when("tomorrow 3pm", saturday_noon, NEW_YORK)
    assert got == datetime(2026, 11, 1, 20, 0, tzinfo=UTC)
    # A day later by the clock on the wall is 25 hours later in elapsed time.
    got = parse_when("tomorrow 12pm", saturday_noon, NEW_YORK)
    assert got - saturday_noon == timedelta(hours=25)


def test_new_york_offset_across_fall_back_is_elapsed_time():
    half_past_midnight = datetime(2026, 11, 1, 4, 30, tzinfo=UTC)  # 00:30 EDT
    # Two real hours on: 01:30 EST. Wall-clock arithmetic would give 02:30 EST.
    got = parse_when("in 2 hours", half_past_midnight, NEW_YORK)
    assert got == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert got == wall(NEW_YORK, 2026, 11, 1, 1, 30, fold=1)


def test_new_york_repeated_hour_uses_the_second_when_the_first_has_passed():
    second_half_past_one = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    got = parse_when("1:45am", second_half_past_one, NEW_YORK)
    assert got == datetime(2026, 11, 1, 6, 45, tzinfo=UTC)  # 01:45 EST, 15 minutes on


def test_new_york_repeated_hour_uses_the_second_when_dateparser_thinks_it_passed():
    ten_to_two_edt = datetime(2026, 11, 1, 5, 50, tzinfo=UTC)  # 01:50 EDT
    # By the wall clock 1:45 has passed, but 1:45 EST is still 55 minutes away.
    got = parse_when("1:45am", ten_to_two_edt, NEW_YORK)
    assert got == datetime(2026, 11, 1, 6, 45, tzinfo=UTC)
    ten_to_two_est = datetime(2026, 11, 1, 6, 50, tzinfo=UTC)  # 01:50 EST: both have passed
    got = parse_when("1:45am", ten_to_two_est, NEW_YORK)
    assert got == datetime(2026, 11, 2, 6, 45, tzinfo=UTC)


def test_new_york_spring_forward_day():
    saturday_noon = datetime(2027, 3, 13, 17, 0, tzinfo=UTC)  # 12:00 EST
    # 2:30am does not exist that day: it moves forward to 3:30 EDT.
    got = parse_when("tomorrow 2:30am", saturday_noon, NEW_YORK)
    assert got == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)
    got = parse_when("tomorrow 3pm", saturday_noon, NEW_YORK)
    assert got == datetime(2027, 3, 14, 19, 0, tzinfo=UTC)  # EDT, UTC-4


def test_new_york_offset_across_spring_forward_is_elapsed_time():
    half_past_one = datetime(2027, 3, 14, 6, 30, tzinfo=UTC)  # 01:30 EST
    got = parse_when("in 1 hour", half_past_one, NEW_YORK)
    assert got == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)  # 03:30 EDT
    assert parse_when("3am", half_past_one, NEW_YORK) == datetime(2027, 3, 14, 7, 0, tzinfo=UTC)


def test_new_york_skipped_bare_time_moves_forward_today():
    ten_past_three_edt = datetime(2027, 3, 14, 7, 10, tzinfo=UTC)
    # 2:30 never happened today; moved forward it is 3:30 EDT, still ahead.
    got = parse_when("2:30am", ten_past_three_edt, NEW_YORK)
    assert got == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)


def test_london_fall_back_day():
    saturday_noon = datetime(2026, 10, 24, 11, 0, tzinfo=UTC)  # 12:00 BST
    got = parse_when("tomorrow 1:30am", saturday_noon, LONDON)
    assert got == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # first 1:30, BST
    got = parse_when("tomorrow 3pm", saturday_noon, LONDON)
    assert got == datetime(2026, 10, 25, 15, 0, tzinfo=UTC)  # GMT


def test_london_spring_forward_day():
    saturday_noon = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)  # 12:00 GMT
    got = parse_when("tomorrow 1:30am", saturday_noon, LONDON)
    assert got == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # moved on to 2:30 BST
    got = parse_when("tomorrow 3pm", saturday_noon, LONDON)
    assert got == datetime(2027, 3, 28, 14, 0, tzinfo=UTC)  # BST


def test_kolkata_has_no_daylight_saving():
    summer = datetime(2027, 7, 1, 6, 0, tzinfo=UTC)  # 11:30 IST
    assert parse_when("tomorrow 3pm", summer, KOLKATA) == datetime(2027, 7, 2, 9, 30, tzinfo=UTC)


# --- speed ------------------------------------------------------------------------------


def test_parsing_takes_a_few_milliseconds_after_warm_up():
    texts = [*PHRASES, "in 2 hours", "banana", "32/13/2026 25:99"]
    timings = []
    for text in texts * 3:
        start = time.perf_counter()
        with contextlib.suppress(UserError):
            parse_when(text, NOW, KL)
        timings.append(time.perf_counter() - start)
    # Typically 1-3 ms; the bound leaves room for a slow CI machine.
    assert statistics.median(timings) < 0.015
    assert max(timings) < 0.1


# --- durations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45),
        ("45 min", 45),
        ("45 mins", 45),
        ("45 minutes", 45),
        ("1 minute", 1),
        ("1h", 60),
        ("1 hour", 60),
        ("2 hours", 120),
        ("1 hr", 60),
        ("1h30", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1 hour 30 minutes", 90),
        ("1 hour and 30 minutes", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        ("1.5 hours", 90),
        ("90 minutes", 90),
        ("90", 90),
        ("1:30", 90),
        ("8h", 480),
        ("480", 480),
        ("1.33h", 80),  # whole minutes
        ("45M", 45),
        ("1H30", 90),
        ("90 MINUTES", 90),
        (" 2 Hours ", 120),
        ("４５ｍ", 45),
    ],
)
def test_duration_forms(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


def test_duration_constants():
    assert timedelta(minutes=30) == DEFAULT_DURATION
    assert timedelta(hours=8) == MAX_DURATION


@pytest.mark.parametrize("text", ["0", "0m", "0h", "-30m", "-1h", "0.001h", "0h0m"])
def test_zero_or_negative_duration_is_refused(text):
    with pytest.raises(UserError) as caught:
        parse_duration(text)
    assert caught.value.message == when.DURATION_NOT_POSITIVE
    assert caught.value.field == "duration"
    assert "`45m`" in shown(caught.value)


@pytest.mark.parametrize("text", ["8h01", "481", "9h", "8.5 hours", "99999999999999999999h"])
def test_duration_over_eight_hours_is_refused(text):
    with pytest.raises(UserError) as caught:
        parse_duration(text)
    assert caught.value.message == when.DURATION_TOO_LONG
    assert caught.value.params == {"text": text, "hours": 8}
    assert shown(caught.value).startswith("A meeting can last at most 8 hours")


@pytest.mark.parametrize(
    "text",
    ["", "banana", "h", "m", "1h90", "1.5h30", "1:75", "45s", "m45", "1 day", "1.5", "1e3"],
)
def test_unreadable_duration_is_refused_with_examples(text):
    with pytest.raises(UserError) as caught:
        parse_duration(text)
    error = caught.value
    assert error.message == when.UNREADABLE_DURATION
    assert error.field == "duration"
    assert error.params == {"text": text}
    sentence = shown(error)
    for example in ("`45m`", "`1h`", "`1h30`", "`90 minutes`"):
        assert example in sentence
    assert f"“{text}”" in sentence


# --- properties: any text gives a future instant or a UserError --------------------------

PROPERTY_NOWS = [
    NOW,
    datetime(2026, 11, 1, 5, 50, tzinfo=UTC),  # 01:50 EDT, New York's repeated hour
    datetime(2027, 3, 14, 6, 59, tzinfo=UTC),  # just before New York springs forward
    datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),  # a year's last second
    datetime(2028, 2, 28, 18, 0, tzinfo=UTC),  # the day before a leap day, in Asia
]
DATE_WORDS = [
    "tomorrow", "today", "yesterday", "next", "last", "this", "in", "at", "on", "ago",
    "from now", "noon", "midnight", "3pm", "9:30", "10am", "fri", "monday", "Dec", "Feb",
    "29", "3", "31", "2026", "2027", "14:00", "25:99", "hours", "2", "minutes", "week",
    "days", "-", "/", ":", ".", "+0530", "UTC", "IST", "am", "pm", "1st", "the", "and",
    "0", "99", "9999", "-1", "½", "٣", "３", "\x00", "\u200b", "🎉", "morning", "tonight",
    "2026-12-03", "T", "Z", "12/25", "3/12", "half", "past", "1.5", "h", "m",
]  # fmt: skip
phrases = st.lists(
    st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=4)), min_size=1, max_size=8
).map(" ".join)


def assert_future_or_refused(text: str, now: datetime, tz: str) -> None:
    try:
        got = parse_when(text, now, tz)
    except UserError as error:
        assert error.field == "when"
        shown(error)  # every refusal can be put in a sentence
        return
    assert got.tzinfo is UTC
    assert got > now
    assert got <= now + when.MAX_AHEAD


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=120),
    now=st.sampled_from(PROPERTY_NOWS),
    tz=st.sampled_from(ZONES),
)
def test_any_text_is_a_future_time_or_a_user_error(text, now, tz):
    assert_future_or_refused(text, now, tz)


@settings(max_examples=200, deadline=None)
@given(text=phrases, now=st.sampled_from(PROPERTY_NOWS), tz=st.sampled_from(ZONES))
def test_any_mix_of_date_words_is_a_future_time_or_a_user_error(text, now, tz):
    assert_future_or_refused(text, now, tz)


@settings(max_examples=200, deadline=None)
@given(
    now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
    tz=st.sampled_from(ZONES),
)
def test_relative_phrases_read_at_any_moment(now, tz):
    # Found dateparser's month-end bug: "3pm" late on 30 April read as 1 April.
    now = now.replace(tzinfo=UTC)
    local = now.astimezone(ZoneInfo(tz))
    for text in ["tomorrow 3pm", "fri 9:30", "in 2 hours", "3pm", "noon tomorrow", "midnight"]:
        got = parse_when(text, now, tz)
        assert now < got < now + timedelta(days=8), text  # a weekday today means next week
    three_pm = parse_when("3pm", now, tz).astimezone(ZoneInfo(tz))
    assert (three_pm.hour, three_pm.minute) in {(15, 0), (16, 0)}  # 16:00 only if 15:00 is skipped
    assert (three_pm.date() - local.date()).days == (0 if local.time() < time_(15) else 1)


DURATION_WORDS = ["45", "1", "1.5", "0", "-", "+", "h", "m", "min", "hours", ":", "30", "and"]
durations = st.lists(
    st.one_of(st.sampled_from(DURATION_WORDS), st.text(max_size=3)), min_size=1, max_size=5
).map(lambda parts: "".join(parts))


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=40), durations))
def test_any_text_is_a_sensible_duration_or_a_user_error(text):
    try:
        got = parse_duration(text)
    except UserError as error:
        assert error.field == "duration"
        shown(error)
        return
    assert timedelta(0) < got <= MAX_DURATION
    assert got % timedelta(minutes=1) == timedelta(0)
