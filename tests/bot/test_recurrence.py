"""Recurring meetings: bot/recurrence.py.

Every test uses fixed datetimes, never the wall clock. NOW is Sunday 22 November 2026,
06:00 UTC. Daylight saving: New York falls back on 2026-11-01 and springs forward on
2027-03-14; London on 2026-10-25 and 2027-03-28; Kuala Lumpur has none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import recurrence
from bot.i18n import translator
from bot.recurrence import parse_recurrence
from entities.errors import UserError
from entities.recurrence import (
    Occurrence,
    Recurrence,
    next_occurrences,
    occurrence_on,
    occurrences,
    series_end,
)

NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
KL, LONDON, NEW_YORK = "Asia/Kuala_Lumpur", "Europe/London", "America/New_York"
HOUR = timedelta(hours=1)
FAR = timedelta(days=3 * 366)


def wall(tz: str, *fields: int, fold: int = 0) -> datetime:
    """The UTC instant of a wall-clock time in `tz`."""
    return datetime(*fields, tzinfo=ZoneInfo(tz), fold=fold).astimezone(UTC)  # type: ignore[misc]


def local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def starts(found: list[Occurrence], tz: str) -> list[str]:
    """Local starts, as `YYYY-MM-DD HH:MM`, for compact expectations."""
    return [f"{local(o.start, tz):%Y-%m-%d %H:%M}" for o in found]


def expand(first: datetime, rule: str | None, tz: str = NEW_YORK, **kwargs) -> list[Occurrence]:
    """Occurrences of a series from its first meeting for three years."""
    return occurrences(first, HOUR, tz, rule, first, first + FAR, **kwargs)


def refusal(rule: str, first: datetime, tz: str = NEW_YORK, until: str | None = None) -> str:
    with pytest.raises(UserError) as caught:
        parse_recurrence(rule, first, tz, until, now=NOW)
    assert caught.value.field == "every"
    translator().error(caught.value)  # every placeholder is filled
    return caught.value.message


# Tuesday 1 December 2026, 09:00 in New York: the first Tuesday of the month.
TUESDAY = wall(NEW_YORK, 2026, 12, 1, 9, 0)


# --- reading rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("week", "FREQ=WEEKLY"),
        ("Week", "FREQ=WEEKLY"),
        ("weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("other week", "FREQ=WEEKLY;INTERVAL=2"),
        ("second week", "FREQ=WEEKLY;INTERVAL=2"),
        ("two weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("fortnight", "FREQ=WEEKLY;INTERVAL=2"),
        ("month", "FREQ=MONTHLY;BYDAY=+1TU"),
        ("3 months", "FREQ=MONTHLY;INTERVAL=3;BYDAY=+1TU"),
        ("day", "FREQ=DAILY"),
        ("other day", "FREQ=DAILY;INTERVAL=2"),
        ("10 days", "FREQ=DAILY;INTERVAL=10"),
        ("year", "FREQ=YEARLY"),
        ("tue, thu", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("thursday and tuesday", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("Tuesdays & Fridays", "FREQ=WEEKLY;BYDAY=TU,FR"),
        ("mon wed fri tue", "FREQ=WEEKLY;BYDAY=MO,TU,WE,FR"),
        ("tue, tue", "FREQ=WEEKLY;BYDAY=TU"),
        ("other tuesday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("2 weeks on tue, fri", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR"),
        ("every week", "FREQ=WEEKLY"),
        ("week 10 times", "FREQ=WEEKLY;COUNT=10"),
        ("week, 10 times", "FREQ=WEEKLY;COUNT=10"),
        ("tue and thu 1 time", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=1"),
        ("month 1000 times", "FREQ=MONTHLY;BYDAY=+1TU;COUNT=1000"),
    ],
)
def test_rule_forms(text, rule):
    assert parse_recurrence(text, TUESDAY, NEW_YORK, now=NOW) == Recurrence(rule)


def test_describe_is_the_rule_for_logs():
    assert Recurrence("FREQ=WEEKLY").describe() == "RRULE:FREQ=WEEKLY"


@pytest.mark.parametrize(
    ("first", "position"),
    [
        (wall(NEW_YORK, 2026, 12, 1, 9, 0), "+1TU"),  # first Tuesday
        (wall(NEW_YORK, 2026, 12, 8, 9, 0), "+2TU"),
        (wall(NEW_YORK, 2026, 12, 25, 9, 0), "+4FR"),  # the 4th, and also the last
        (wall(NEW_YORK, 2027, 1, 29, 9, 0), "-1FR"),  # a 5th Friday means the last
        (wall(NEW_YORK, 2026, 12, 31, 9, 0), "-1TH"),
    ],
)
def test_monthly_keeps_the_weekday_position(first, position):
    rule = parse_recurrence("month", first, NEW_YORK).rrule
    assert rule == f"FREQ=MONTHLY;BYDAY={position}"


def test_monthly_on_a_fifth_friday_falls_on_each_last_friday():
    first = wall(NEW_YORK, 2027, 1, 29, 9, 0)
    rule = parse_recurrence("month 4 times", first, NEW_YORK).rrule
    assert starts(expand(first, rule), NEW_YORK) == [
        "2027-01-29 09:00",
        "2027-02-26 09:00",
        "2027-03-26 09:00",
        "2027-04-30 09:00",
    ]


def test_first_tuesday_monthly_expands():
    rule = parse_recurrence("month 3 times", TUESDAY, NEW_YORK).rrule
    assert starts(expand(TUESDAY, rule), NEW_YORK) == [
        "2026-12-01 09:00",
        "2027-01-05 09:00",
        "2027-02-02 09:00",
    ]


def test_weekdays_and_day_lists_expand():
    rule = parse_recurrence("weekday", TUESDAY, NEW_YORK).rrule
    found = occurrences(TUESDAY, HOUR, NEW_YORK, rule, TUESDAY, TUESDAY + timedelta(days=7))
    assert starts(found, NEW_YORK) == [f"2026-12-0{d} 09:00" for d in (1, 2, 3, 4, 7)]

    rule = parse_recurrence("2 weeks on tue, fri", TUESDAY, NEW_YORK).rrule
    found = occurrences(TUESDAY, HOUR, NEW_YORK, rule, TUESDAY, TUESDAY + timedelta(days=21))
    assert starts(found, NEW_YORK) == [
        "2026-12-01 09:00",
        "2026-12-04 09:00",
        "2026-12-15 09:00",
        "2026-12-18 09:00",
    ]


# --- until and count ----------------------------------------------------------------------


@pytest.mark.parametrize("until", ["Mar 31", "2027-03-31", "31 March 2027", "end of march"])
def test_until_reads_a_date_in_the_future(until):
    recurrence_ = parse_recurrence("week", TUESDAY, NEW_YORK, until, now=NOW)
    assert recurrence_.rrule == "FREQ=WEEKLY;UNTIL=20270331T235959"


@pytest.mark.parametrize(
    ("until", "day"),
    [
        ("end of the month", "20261231"),  # read on 1 December, in New York
        ("end of next month", "20270131"),
        ("end of 2027", "20271231"),
        ("Dec 8", "20261208"),
        ("friday", "20261204"),
        ("31.3.2027", "20270331"),
        ("Mar 31 5pm", "20270331"),  # the day counts, not the hour
    ],
)
def test_until_forms(until, day):
    now = wall(NEW_YORK, 2026, 12, 1, 8, 0)  # Tuesday 1 December, before the meeting
    recurrence_ = parse_recurrence("week", TUESDAY, NEW_YORK, until, now=now)
    assert recurrence_.rrule == f"FREQ=WEEKLY;UNTIL={day}T235959"


def test_until_includes_the_whole_last_day():
    # 23:30 on the last day still counts: the bound is the end of that local day.
    first = wall(NEW_YORK, 2027, 3, 24, 23, 30)
    rule = parse_recurrence("week", first, NEW_YORK, "Mar 31", now=NOW).rrule
    assert starts(expand(first, rule), NEW_YORK) == ["2027-03-24 23:30", "2027-03-31 23:30"]
    assert series_end(first, NEW_YORK, rule) == wall(NEW_YORK, 2027, 3, 31, 23, 30)


def test_until_the_day_of_the_first_meeting_is_a_single_meeting():
    first = wall(KL, 2026, 11, 22, 16, 0)  # later today in Kuala Lumpur
    rule = parse_recurrence("day", first, KL, "Nov 22", now=NOW).rrule
    assert rule == "FREQ=DAILY;UNTIL=20261122T235959"  # today, not next year
    assert starts(expand(first, rule, KL), KL) == ["2026-11-22 16:00"]


def test_n_times():
    rule = parse_recurrence("2 weeks 3 times", TUESDAY, NEW_YORK).rrule
    assert rule == "FREQ=WEEKLY;INTERVAL=2;COUNT=3"
    assert starts(expand(TUESDAY, rule), NEW_YORK) == [
        "2026-12-01 09:00",
        "2026-12-15 09:00",
        "2026-12-29 09:00",
    ]
    assert series_end(TUESDAY, NEW_YORK, rule) == wall(NEW_YORK, 2026, 12, 29, 9, 0)


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["blue moon", "", "second monday", "0 weeks"])
def test_unreadable_rules_are_refused(text):
    assert refusal(text, TUESDAY) == recurrence.UNREADABLE_RULE


def test_first_and_last_weekday_of_the_month():
    # Issue 12: "first monday" used to be refused; it is now a monthly rule, and a first
    # meeting that is not a first Monday is refused as outside the rule.
    assert refusal("first monday", TUESDAY) == recurrence.FIRST_NOT_IN_RULE
    assert parse_recurrence("first tuesday", TUESDAY, NEW_YORK).rrule == ("FREQ=MONTHLY;BYDAY=+1TU")
    last = wall(NEW_YORK, 2026, 12, 25, 9, 0)
    for text in ("last friday", "last friday of the month", "last fri of each month"):
        assert parse_recurrence(text, last, NEW_YORK).rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    second = wall(NEW_YORK, 2026, 12, 8, 9, 0)
    rule = parse_recurrence("second tuesday of the month", second, NEW_YORK).rrule
    assert rule == "FREQ=MONTHLY;BYDAY=+2TU"


@pytest.mark.parametrize("text", ["hour", "2 hours", "30 minutes", "half hour", "second"])
def test_more_than_once_a_day_is_refused(text):
    message = refusal(text, TUESDAY)
    assert message == recurrence.TOO_OFTEN
    assert "more than one occurrence a day" in message


def test_hours_that_are_not_whole_days_are_refused():
    assert refusal("36 hours", TUESDAY) == recurrence.NOT_IN_DAYS


@pytest.mark.parametrize("text", ["week 0 times", "week 1001 times", "day 99999999999999 times"])
def test_counts_outside_1_to_1000_are_refused(text):
    assert refusal(text, TUESDAY) == recurrence.BAD_COUNT


def test_until_and_count_together_are_refused():
    assert refusal("week 10 times", TUESDAY, until="Mar 31") == recurrence.BOTH_LIMITS


def test_an_until_before_the_first_meeting_would_never_happen():
    message = refusal("week", TUESDAY, until="2026-11-30")
    assert message == recurrence.NEVER_HAPPENS
    assert "would never happen" in message


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("blah", recurrence.UNREADABLE_UNTIL),
        ("1700000000", recurrence.UNREADABLE_UNTIL),
        ("march", recurrence.UNTIL_NEEDS_DAY),
        ("3/4", recurrence.AMBIGUOUS_UNTIL),
    ],
)
def test_unreadable_until_dates_are_refused(until, message):
    assert refusal("week", TUESDAY, until=until) == message


def test_an_until_giving_more_than_1000_meetings_is_refused():
    assert refusal("day", TUESDAY, until="2030-12-31") == recurrence.TOO_MANY


def test_a_first_meeting_outside_the_rule_is_refused():
    # Tuesday's meeting would silently vanish from "every mon, wed".
    assert refusal("mon, wed", TUESDAY) == recurrence.FIRST_NOT_IN_RULE
    saturday = wall(NEW_YORK, 2026, 12, 5, 9, 0)
    assert refusal("weekday", saturday) == recurrence.FIRST_NOT_IN_RULE


def test_overlong_rules_are_refused():
    assert refusal("week " * 30, TUESDAY) == recurrence.RULE_TOO_LONG


def test_the_general_checks_count_what_rrule_gives():
    first = local(TUESDAY, NEW_YORK)
    with pytest.raises(UserError) as caught:  # over before it begins
        recurrence._check("FREQ=WEEKLY;UNTIL=20261130T235959", first, "x", None)
    assert caught.value.message == recurrence.NO_OCCURRENCE
    with pytest.raises(UserError) as caught:  # twice a day
        recurrence._check("FREQ=DAILY;BYHOUR=9,21", first, "x", None)
    assert caught.value.message == recurrence.TOO_OFTEN
    recurrence._check("FREQ=DAILY", first, "x", None)  # once a day is fine


def test_caller_mistakes_are_value_errors():
    with pytest.raises(ValueError, match="time zone"):
        parse_recurrence("week", TUESDAY, "Mars/Olympus")
    with pytest.raises(ValueError, match="aware"):
        parse_recurrence("week", TUESDAY.replace(tzinfo=None), NEW_YORK)


# --- skipped and moved --------------------------------------------------------------------

WEEKLY = "FREQ=WEEKLY"
DEC_8 = wall(NEW_YORK, 2026, 12, 8, 9, 0)
DEC_15 = wall(NEW_YORK, 2026, 12, 15, 9, 0)
DEC_22 = wall(NEW_YORK, 2026, 12, 22, 9, 0)


def key(instant: datetime) -> int:
    return int(instant.timestamp())


def window(**kwargs) -> list[Occurrence]:
    """The weekly series from TUESDAY, seen from 8 to 22 December (exclusive)."""
    return occurrences(TUESDAY, HOUR, NEW_YORK, WEEKLY, DEC_8, DEC_22, **kwargs)


def test_a_window_holds_starts_in_it_with_keys_and_ends():
    assert window() == [
        Occurrence(key(DEC_8), DEC_8, DEC_8 + HOUR),
        Occurrence(key(DEC_15), DEC_15, DEC_15 + HOUR),
    ]


def test_skipped_occurrences_are_left_out():
    assert [o.key for o in window(skipped=frozenset({key(DEC_8)}))] == [key(DEC_15)]


def test_a_moved_occurrence_keeps_its_key_and_takes_its_new_start():
    moved_to = DEC_8 + timedelta(days=9)  # Thursday 17th, after the 15th
    found = window(moved={key(DEC_8): moved_to})
    assert [(o.key, o.start) for o in found] == [(key(DEC_15), DEC_15), (key(DEC_8), moved_to)]
    assert found[1].end == moved_to + HOUR


def test_occurrences_move_into_and_out_of_the_window():
    into = DEC_8 + HOUR  # the 22nd (outside) moved into the window
    out = DEC_22 + HOUR  # the 15th moved out of it
    found = window(moved={key(DEC_22): into, key(DEC_15): out})
    assert [(o.key, o.start) for o in found] == [(key(DEC_8), DEC_8), (key(DEC_22), into)]
    # From long ago or far ahead, too.
    earliest = key(TUESDAY)
    far = key(wall(NEW_YORK, 2028, 12, 5, 9, 0))
    found = window(moved={earliest: DEC_15 + HOUR, far: DEC_8 + HOUR})
    assert [o.key for o in found] == [key(DEC_8), far, key(DEC_15), earliest]


def test_a_skip_beats_a_move_and_stale_moves_are_ignored():
    found = window(skipped=frozenset({key(DEC_22)}), moved={key(DEC_22): DEC_8 + HOUR})
    assert [o.key for o in found] == [key(DEC_8), key(DEC_15)]
    not_an_occurrence = key(DEC_22 + HOUR)
    assert window(moved={not_an_occurrence: DEC_8 + HOUR}) == window()


def test_a_one_off_meeting_is_one_occurrence():
    found = occurrences(TUESDAY, HOUR, NEW_YORK, None, TUESDAY, DEC_8)
    assert found == [Occurrence(key(TUESDAY), TUESDAY, TUESDAY + HOUR)]
    assert occurrences(TUESDAY, HOUR, NEW_YORK, None, DEC_8, DEC_22) == []
    moved = occurrences(TUESDAY, HOUR, NEW_YORK, None, DEC_8, DEC_22, moved={key(TUESDAY): DEC_8})
    assert [(o.key, o.start) for o in moved] == [(key(TUESDAY), DEC_8)]
    skipped = frozenset({key(TUESDAY)})
    assert occurrences(TUESDAY, HOUR, NEW_YORK, None, TUESDAY, DEC_8, skipped=skipped) == []


def test_limit_keeps_the_earliest():
    found = occurrences(TUESDAY, HOUR, NEW_YORK, WEEKLY, TUESDAY, DEC_22, limit=2)
    assert [o.start for o in found] == [TUESDAY, DEC_8]


# --- daylight saving ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "first", "hours"),
    [
        # Weekly across a change: the same wall-clock time, a different UTC hour.
        (NEW_YORK, (2026, 10, 25), [13, 14, 14]),  # fall back on 1 November
        (NEW_YORK, (2027, 3, 7), [14, 13, 13]),  # spring forward on 14 March
        (LONDON, (2026, 10, 18), [8, 9, 9]),  # 25 October
        (LONDON, (2027, 3, 21), [9, 8, 8]),  # 28 March
        (KL, (2026, 10, 25), [1, 1, 1]),  # no DST: nothing changes
        (KL, (2027, 3, 7), [1, 1, 1]),
    ],
)
def test_weekly_9am_stays_9am_across_dst(tz, first, hours):
    start = wall(tz, *first, 9, 0)
    rule = parse_recurrence("week 3 times", start, tz).rrule
    found = expand(start, rule, tz)
    assert [local(o.start, tz).hour for o in found] == [9, 9, 9]
    assert [o.start.hour for o in found] == hours
    assert [o.key for o in found] == [int(o.start.timestamp()) for o in found]


def test_a_time_skipped_by_spring_forward_moves_forward():
    first = wall(NEW_YORK, 2027, 3, 7, 2, 30)
    found = expand(first, "FREQ=WEEKLY;COUNT=3")
    assert starts(found, NEW_YORK) == ["2027-03-07 02:30", "2027-03-14 03:30", "2027-03-21 02:30"]
    assert found[1].start == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)


def test_a_time_repeated_by_fall_back_happens_once():
    first = wall(NEW_YORK, 2026, 10, 25, 1, 30)
    found = expand(first, "FREQ=WEEKLY;COUNT=3")
    assert starts(found, NEW_YORK) == ["2026-10-25 01:30", "2026-11-01 01:30", "2026-11-08 01:30"]
    assert found[1].start == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first 01:30 (EDT)
    daily = expand(wall(NEW_YORK, 2026, 10, 31, 1, 30), "FREQ=DAILY;COUNT=3")
    assert starts(daily, NEW_YORK) == ["2026-10-31 01:30", "2026-11-01 01:30", "2026-11-02 01:30"]


def test_a_first_meeting_in_the_second_pass_of_a_repeated_hour_keeps_its_instant():
    first = wall(NEW_YORK, 2026, 11, 1, 1, 30, fold=1)  # 06:30 UTC, EST
    found = expand(first, "FREQ=WEEKLY;COUNT=2")
    assert [o.start for o in found] == [first, wall(NEW_YORK, 2026, 11, 8, 1, 30)]
    assert found[0].key == int(first.timestamp())


def test_until_is_compared_in_local_time():
    # 20:00 in New York is already the next day in UTC; the last day still counts.
    first = wall(NEW_YORK, 2027, 3, 24, 20, 0)
    rule = parse_recurrence("week", first, NEW_YORK, "2027-03-31", now=NOW).rrule
    assert starts(expand(first, rule), NEW_YORK) == ["2027-03-24 20:00", "2027-03-31 20:00"]


# --- next occurrences, the end of a series, one day -----------------------------------------


def test_next_occurrences_includes_one_in_progress():
    during = DEC_8 + timedelta(minutes=30)
    found = next_occurrences(TUESDAY, HOUR, NEW_YORK, WEEKLY, during, 3)
    assert [o.start for o in found] == [DEC_8, DEC_15, DEC_22]
    found = next_occurrences(TUESDAY, HOUR, NEW_YORK, WEEKLY, DEC_8 + HOUR, 1)
    assert [o.start for o in found] == [DEC_15]  # the 8th has just ended


def test_next_occurrences_skips_skipped_and_follows_moves():
    found = next_occurrences(
        TUESDAY,
        HOUR,
        NEW_YORK,
        WEEKLY,
        DEC_8 - HOUR,
        3,
        skipped=frozenset({key(DEC_8)}),
        moved={key(DEC_15): DEC_22 + HOUR},
    )
    assert [(o.key, o.start) for o in found] == [
        (key(DEC_22), DEC_22),
        (key(DEC_15), DEC_22 + HOUR),
        (key(wall(NEW_YORK, 2026, 12, 29, 9, 0)), wall(NEW_YORK, 2026, 12, 29, 9, 0)),
    ]


def test_next_occurrences_of_sparse_finished_and_one_off_series():
    yearly = next_occurrences(TUESDAY, HOUR, NEW_YORK, "FREQ=YEARLY", TUESDAY, 3)
    assert starts(yearly, NEW_YORK) == ["2026-12-01 09:00", "2027-12-01 09:00", "2028-12-01 09:00"]
    finished = next_occurrences(TUESDAY, HOUR, NEW_YORK, "FREQ=WEEKLY;COUNT=2", DEC_8, 3)
    assert [o.start for o in finished] == [DEC_8]
    assert next_occurrences(TUESDAY, HOUR, NEW_YORK, "FREQ=WEEKLY;COUNT=2", DEC_22, 3) == []
    assert next_occurrences(TUESDAY, HOUR, NEW_YORK, None, NOW, 3)[0].start == TUESDAY
    assert next_occurrences(TUESDAY, HOUR, NEW_YORK, WEEKLY, NOW, 0) == []


def test_series_end():
    assert series_end(TUESDAY, NEW_YORK, WEEKLY) is None
    assert series_end(TUESDAY, NEW_YORK, "FREQ=MONTHLY;BYDAY=+1TU;COUNT=2") == wall(
        NEW_YORK, 2027, 1, 5, 9, 0
    )
    assert series_end(TUESDAY, NEW_YORK, "FREQ=WEEKLY;UNTIL=20261215T235959") == DEC_15
    assert series_end(TUESDAY, NEW_YORK, None) == TUESDAY
    # UNTIL written elsewhere in UTC, or as a bare date, means the same.
    assert series_end(TUESDAY, NEW_YORK, "FREQ=WEEKLY;UNTIL=20261215T140000Z") == DEC_15
    assert series_end(TUESDAY, NEW_YORK, "FREQ=WEEKLY;UNTIL=20261215") == DEC_15


def test_occurrence_on_a_day():
    on = occurrence_on(TUESDAY, HOUR, NEW_YORK, WEEKLY, date(2026, 12, 8))
    assert on == Occurrence(key(DEC_8), DEC_8, DEC_8 + HOUR)
    assert occurrence_on(TUESDAY, HOUR, NEW_YORK, WEEKLY, date(2026, 12, 9)) is None
    assert occurrence_on(TUESDAY, HOUR, NEW_YORK, WEEKLY, date(2026, 11, 24)) is None
    skipped = frozenset({key(DEC_8)})
    assert occurrence_on(TUESDAY, HOUR, NEW_YORK, WEEKLY, date(2026, 12, 8), skipped) is None
    moved = occurrence_on(
        TUESDAY, HOUR, NEW_YORK, WEEKLY, date(2026, 12, 8), moved={key(DEC_8): DEC_22 + HOUR}
    )
    assert moved == Occurrence(key(DEC_8), DEC_22 + HOUR, DEC_22 + 2 * HOUR)
    # The original local date counts, even when UTC is already on the next day.
    late = wall(NEW_YORK, 2026, 12, 1, 22, 0)
    on = occurrence_on(late, HOUR, NEW_YORK, WEEKLY, date(2026, 12, 8))
    assert on is not None
    assert on.start == wall(NEW_YORK, 2026, 12, 8, 22, 0)
    assert occurrence_on(TUESDAY, HOUR, NEW_YORK, None, date(2026, 12, 1)) is not None


def test_long_windows_stay_quick():
    # A year of a weekly series, and a daily one viewed years after it began.
    weekly = occurrences(TUESDAY, HOUR, NEW_YORK, WEEKLY, TUESDAY, TUESDAY + timedelta(days=364))
    assert len(weekly) == 52
    later = TUESDAY + timedelta(days=5 * 365)
    daily = occurrences(TUESDAY, HOUR, NEW_YORK, "FREQ=DAILY", later, later + timedelta(days=7))
    assert len(daily) == 7


# --- property -----------------------------------------------------------------------------

ZONES = [NEW_YORK, LONDON, KL]


@st.composite
def series(draw):
    tz = draw(st.sampled_from(ZONES))
    day = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)))
    hour = draw(st.integers(0, 23))
    minute = draw(st.sampled_from([0, 15, 30, 45]))
    first = wall(tz, day.year, day.month, day.day, hour, minute)
    first_local = local(first, tz)
    interval = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["weekly", "days", "monthly"]))
    if kind == "weekly":
        parts = ["FREQ=WEEKLY"]
    elif kind == "days":
        others = draw(st.sets(st.integers(0, 6), max_size=3))
        days = sorted({first_local.weekday(), *others})
        parts = ["FREQ=WEEKLY", "BYDAY=" + ",".join(recurrence._CODES[d] for d in days)]
    else:
        parts = ["FREQ=MONTHLY", "BYDAY=" + recurrence._weekday_position(first_local)]
    if interval > 1:
        parts.insert(1, f"INTERVAL={interval}")
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.integers(1, 60))}")
    window_start = first + timedelta(hours=draw(st.integers(-24 * 40, 24 * 800)))
    window_end = window_start + timedelta(hours=draw(st.integers(0, 24 * 400)))
    return tz, first, ";".join(parts), window_start, window_end


def exists(naive: datetime, tz: str) -> bool:
    """Whether a wall-clock time happens at all (it does not in a spring-forward gap)."""
    zone = ZoneInfo(tz)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == (
        naive
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series())
def test_occurrences_are_sorted_unique_in_the_window_and_at_the_same_wall_time(case):
    tz, first, rule, window_start, window_end = case
    found = occurrences(first, HOUR, tz, rule, window_start, window_end)
    assert [o.start for o in found] == sorted(o.start for o in found)
    assert len({o.key for o in found}) == len(found)
    first_local = local(first, tz)
    for o in found:
        assert window_start <= o.start < window_end
        assert o.key == int(o.start.timestamp())
        assert o.end - o.start == HOUR
        on = local(o.start, tz)
        meant = datetime.combine(on.date(), first_local.time())
        if exists(meant, tz):
            assert on == meant
        else:  # a spring-forward day: the wall time moved on by the gap
            assert on == meant + HOUR
    # A window sees exactly what a wider window sees within it.
    wider = occurrences(first, HOUR, tz, rule, first - HOUR, window_end + timedelta(days=40))
    assert found == [o for o in wider if window_start <= o.start < window_end]


# --- a leading recurrence phrase that holds the time (issue 12) ---------------------------

# Wednesday 25 November 2026, 08:00 in Kuala Lumpur.
WEDNESDAY = wall(KL, 2026, 11, 25, 8, 0)


@pytest.mark.parametrize(
    ("text", "rule", "first"),
    [
        ("monday 9am", "FREQ=WEEKLY;BYDAY=MO", (2026, 11, 30, 9, 0)),
        ("monday at 9am", "FREQ=WEEKLY;BYDAY=MO", (2026, 11, 30, 9, 0)),
        ("wednesday 9am", "FREQ=WEEKLY;BYDAY=WE", (2026, 11, 25, 9, 0)),  # today, ahead
        ("wednesday 7am", "FREQ=WEEKLY;BYDAY=WE", (2026, 12, 2, 7, 0)),  # today's passed
        ("other friday 4pm", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", (2026, 11, 27, 16, 0)),
        ("weekday 9am", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", (2026, 11, 25, 9, 0)),
        ("first tuesday 10am", "FREQ=MONTHLY;BYDAY=+1TU", (2026, 12, 1, 10, 0)),
        ("last friday of the month 4pm", "FREQ=MONTHLY;BYDAY=-1FR", (2026, 11, 27, 16, 0)),
        ("weekly on mon and wed at 10", "FREQ=WEEKLY;BYDAY=MO,WE", (2026, 11, 25, 10, 0)),
        ("daily at 9", "FREQ=DAILY", (2026, 11, 25, 9, 0)),
        ("week 9am 10 times", "FREQ=WEEKLY;COUNT=10", (2026, 11, 25, 9, 0)),
    ],
)
def test_natural_series_start_at_the_next_time_that_matches(text, rule, first):
    read, recurrence_ = recurrence.read_series(text, WEDNESDAY, KL)
    assert recurrence_.rrule == rule
    assert read.start == wall(KL, *first)


def test_natural_series_on_a_saturday_start_on_monday():
    saturday = wall(NEW_YORK, 2026, 11, 28, 12, 0)
    read, _rule = recurrence.read_series("weekday 9am", saturday, NEW_YORK)
    assert read.start == wall(NEW_YORK, 2026, 11, 30, 9, 0)


def test_natural_series_with_until():
    read, recurrence_ = recurrence.read_series("day at 9", WEDNESDAY, KL, "dec 20")
    assert recurrence_.rrule == "FREQ=DAILY;UNTIL=20261220T235959"
    assert read.notes and read.notes[0].params == {"hour": "9", "time": "09:00"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("monday", recurrence.NEEDS_TIME_OF_DAY),
        ("weekly on mon", recurrence.NEEDS_TIME_OF_DAY),
        ("blue moon 9am", recurrence.UNREADABLE_RULE),
        ("second monday 9am", recurrence.UNREADABLE_RULE),
        ("hour 9am", recurrence.TOO_OFTEN),
    ],
)
def test_natural_series_refusals(text, message):
    with pytest.raises(UserError) as caught:
        recurrence.read_series(text, WEDNESDAY, KL)
    assert caught.value.message == message
    sentence = translator().error(caught.value)
    assert "every monday 9am" in sentence or "every week" in sentence
