"""Issue 12, "Times", across its matrix, end to end: `schedule`, `move`, `skip` and the
console's `:at`, typed by maya (Kuala Lumpur), ravi (Mumbai), olivia (London) and sam
(New York), on a Wednesday, a Friday and a Sunday, and on the days around the US and UK
daylight-saving changes.

Every expected instant is worked out by hand. From 2 November 2026 to 13 March 2027 the
four offsets are fixed (KL +8, Mumbai +5:30, London +0, New York -5), so the ordinary days
give wall-clock times and `utc()` subtracts those offsets; around the changes the expected
instants are written in UTC outright.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.session import Console
from entities.recurrence import occurrences
from tests.support.messages import token_times

# Hand-known offsets from UTC, 2 November 2026 to 13 March 2027 (no zone changes then).
OFFSET = {
    "maya": timedelta(hours=8),
    "ravi": timedelta(hours=5, minutes=30),
    "olivia": timedelta(0),
    "sam": timedelta(hours=-5),
}
CITY = {"maya": "Kuala Lumpur", "ravi": "Mumbai", "olivia": "London", "sam": "New York"}
PEOPLE = list(OFFSET)


def utc(person: str, *local: int) -> datetime:
    """A wall-clock time of `person`'s, between November 2026 and early March 2027, in UTC."""
    return datetime(*local, tzinfo=UTC) - OFFSET[person]


def at(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def schedules(team, person, number: int, when: str) -> str:
    """`person` schedules meeting `number` at `when`; what they are told."""
    person.says(f'/salesmeet schedule "Meeting {number}" {when}')
    shown = person.sees()
    assert f"Scheduled meeting #{number}" in shown, (when, shown)
    return shown


def told_start(shown: str) -> datetime:
    """The start the confirmation shows (its first date token)."""
    return token_times(shown)[0]


def refused(team, person, typed: str, *phrases: str) -> str:
    """`typed` is refused: said only to them, with what was wrong; nothing is stored."""
    person.says(typed)
    answer = person.answer()
    assert answer["response_type"] == "ephemeral", typed
    for phrase in phrases:
        assert phrase in answer.text, (typed, answer.text)
    assert "gives a day but not a time of day" not in answer.text, typed
    assert team.upcoming() == [], typed
    return answer.text


# Notes the confirmation shows: how a bare hour or `next <weekday>` was read.
def hour(taken: str) -> tuple[str, ...]:
    return ("hour", taken)


def coming(day: str, took: str, other: str) -> tuple[str, ...]:
    return ("next", day, took, other)


def check_notes(shown: str, note: tuple[str, ...] | None, typed: str) -> None:
    if note is not None and note[0] == "hour":
        assert f"without am or pm as {note[1]}, as in a working day" in shown, (typed, shown)
    else:
        assert "without am or pm" not in shown, (typed, shown)
    if note is not None and note[0] == "next":
        _kind, day, took, other = note
        assert f"I read “next {day}” as the coming one, {took}." in shown, (typed, shown)
        assert f"the week after, {other}, write `{day} next week`" in shown, (typed, shown)
    else:
        assert "as the coming one" not in shown, (typed, shown)


# --- one-off meetings on a Wednesday, a Friday and a Sunday, in every zone -----------------

# (typed, local (month, day, hour, minute) of the start, minutes or None for 30, note).
ON_WEDNESDAY = [  # Wednesday 25 November 2026, 08:00
    ("wed 4pm", (11, 25, 16, 0), None, None),
    ("this wednesday 4pm", (11, 25, 16, 0), None, None),
    ("on wednesday at 4pm", (11, 25, 16, 0), None, None),
    ("wed 7am", (12, 2, 7, 0), None, None),  # today's 07:00 has passed: a week today
    ("next wednesday 4pm", (12, 2, 16, 0), None, None),  # both readings agree
    ("next friday 4pm", (11, 27, 16, 0), None, coming("friday", "2026-11-27", "2026-12-04")),
    ("this friday 4pm", (11, 27, 16, 0), None, None),
    ("friday next week 4pm", (12, 4, 16, 0), None, None),
    ("tomorrow 3pm", (11, 26, 15, 0), None, None),
    ("tmrw 3pm", (11, 26, 15, 0), None, None),
    ("tuesday at 10", (12, 1, 10, 0), None, hour("10:00")),
    ("next week mon 9am", (11, 30, 9, 0), None, None),
    ("in 2 hours", (11, 25, 10, 0), None, None),
    ("noon", (11, 25, 12, 0), None, None),
    ("at 3", (11, 25, 15, 0), None, hour("15:00")),
    ("tomorrow 9", (11, 26, 9, 0), None, hour("09:00")),
    ("3pm-4pm", (11, 25, 15, 0), 60, None),
    ("3–4pm", (11, 25, 15, 0), 60, None),
    ("from 3pm to 4:30pm", (11, 25, 15, 0), 90, None),
]
ON_FRIDAY = [  # Friday 27 November 2026, 17:00
    ("fri 4pm", (12, 4, 16, 0), None, None),  # passed today: a week today
    ("fri 6pm", (11, 27, 18, 0), None, None),
    ("this friday 6pm", (11, 27, 18, 0), None, None),
    ("next friday 6pm", (12, 4, 18, 0), None, None),  # both readings agree
    ("next saturday 10am", (11, 28, 10, 0), None, coming("saturday", "2026-11-28", "2026-12-05")),
    ("next monday 9am", (11, 30, 9, 0), None, None),
    ("wed 4pm", (12, 2, 16, 0), None, None),
    ("tomorrow 3pm", (11, 28, 15, 0), None, None),
    ("tmrw 3pm", (11, 28, 15, 0), None, None),
    ("tuesday at 10", (12, 1, 10, 0), None, hour("10:00")),
    ("next week mon 9am", (11, 30, 9, 0), None, None),
    ("in 2 hours", (11, 27, 19, 0), None, None),
    ("noon", (11, 28, 12, 0), None, None),  # passed today: tomorrow
    ("at 3", (11, 28, 15, 0), None, hour("15:00")),
    ("at 6", (11, 27, 18, 0), None, hour("18:00")),  # 6 is in the afternoon, still ahead
    ("tomorrow 9", (11, 28, 9, 0), None, hour("09:00")),
    ("3pm-4pm", (11, 28, 15, 0), 60, None),
    ("fri 6–7pm", (11, 27, 18, 0), 60, None),
    ("from 3pm to 4:30pm", (11, 28, 15, 0), 90, None),
]
ON_SUNDAY = [  # Sunday 29 November 2026, 10:00
    ("sun 4pm", (11, 29, 16, 0), None, None),
    ("this sunday 4pm", (11, 29, 16, 0), None, None),
    ("sunday 9am", (12, 6, 9, 0), None, None),
    ("next sunday 4pm", (12, 6, 16, 0), None, None),
    # On a Sunday the coming week is next week: both readings agree, no note.
    ("next monday 9am", (11, 30, 9, 0), None, None),
    ("next friday 4pm", (12, 4, 16, 0), None, None),
    ("monday next week 9am", (11, 30, 9, 0), None, None),
    ("next week mon 9am", (11, 30, 9, 0), None, None),
    ("tomorrow 3pm", (11, 30, 15, 0), None, None),
    ("tmrw 3pm", (11, 30, 15, 0), None, None),
    ("tuesday at 10", (12, 1, 10, 0), None, hour("10:00")),
    ("in 2 hours", (11, 29, 12, 0), None, None),
    ("noon", (11, 29, 12, 0), None, None),
    ("at 11", (11, 29, 11, 0), None, hour("11:00")),
    ("at 7", (11, 30, 7, 0), None, hour("07:00")),  # 07:00 has passed: tomorrow
    ("from 3pm to 4:30pm", (11, 29, 15, 0), 90, None),
    ("wed 3–4pm", (12, 2, 15, 0), 60, None),
]
DAYS = {
    "wednesday": ((2026, 11, 25, 8, 0), ON_WEDNESDAY),
    "friday": ((2026, 11, 27, 17, 0), ON_FRIDAY),
    "sunday": ((2026, 11, 29, 10, 0), ON_SUNDAY),
}


@pytest.mark.parametrize("name", PEOPLE)
@pytest.mark.parametrize("day", list(DAYS))
def test_one_off_times_on_a_weekday_in_each_zone(team, name, day):
    now, phrases = DAYS[day]
    person = team.person(name)
    team.clock.set(utc(name, *now))
    for number, (typed, local, minutes, note) in enumerate(phrases, start=1):
        shown = schedules(team, person, number, typed)
        expected = utc(name, 2026, *local)
        meeting = team.meeting(number)
        assert meeting.starts_at == expected, (typed, meeting.starts_at)
        assert meeting.duration == timedelta(minutes=minutes or 30), typed
        assert meeting.rrule is None, typed
        assert told_start(shown) == expected, typed
        check_notes(shown, note, typed)


@pytest.mark.parametrize("name", PEOPLE)
def test_durations_said_in_words(team, name):
    person = team.person(name)
    team.clock.set(utc(name, 2026, 11, 25, 8, 0))  # Wednesday 08:00
    typed = [
        ("tomorrow 3pm for an hour", 15, 60, "for 1 hour"),
        ("tomorrow 4pm for half an hour", 16, 30, "for 30 minutes"),
        ("tomorrow 5pm for 1.5 hours", 17, 90, "for 1 hour, 30 minutes"),
        ("tomorrow 6pm for 1h30", 18, 90, "for 1 hour, 30 minutes"),
        ("tomorrow 7pm for 90 min", 19, 90, "for 1 hour, 30 minutes"),
    ]
    for number, (when, start_hour, minutes, words) in enumerate(typed, start=1):
        shown = schedules(team, person, number, when)
        assert words in shown, (when, shown)
        meeting = team.meeting(number)
        assert meeting.starts_at == utc(name, 2026, 11, 26, start_hour, 0), when
        assert meeting.duration == timedelta(minutes=minutes), when


REFUSALS = [
    ("tomorrow 25:00", "“25:00” is not a time of day", "`3pm`"),
    ("wed 25:00", "“25:00” is not a time of day", "`15:00`"),
    ("tuesday at 99", "“99” is not a time of day", "`3:30pm`"),
    ("fri 9:75", "“9:75” is not a time of day", "minutes from 00 to 59"),
    ("tomorrow 3:30", "“3:30” could be 03:30 or 15:30", "`3:30pm`", "`15:30`"),
    ("fri at 4:45", "“4:45” could be 04:45 or 16:45", "`4:45pm`", "`16:45`"),
    ("Dec 3 3pm - Dec 4 4pm", "a day on each side of the range", "`tomorrow 3pm-4:30pm`"),
    ("mon 3pm to tue 4pm", "a day on each side of the range", "`tomorrow 3pm for 1h30`"),
    ("4pm-3pm", "would end before it starts", "`3pm-4pm`"),
    ("tomorrow 3pm-4pm for 1h", "one length too many", "`3pm for 1h30`"),
    (
        "today 7am",
        "I read “today 7am” as 2026-11-25 07:00, which has already passed",
        "`in 2 hours`",
    ),
    ("every monday", "says how often but not at what time", "`every monday 9am`"),
    ("every weekday at 25:00", "“25:00” is not a time of day", "`3pm`"),
]


@pytest.mark.parametrize("name", PEOPLE)
def test_refusals_say_what_was_wrong_and_how_to_write_it_and_store_nothing(team, name):
    person = team.person(name)
    team.clock.set(utc(name, 2026, 11, 25, 8, 0))  # Wednesday 08:00
    for typed, *phrases in REFUSALS:
        refused(team, person, f'/salesmeet schedule "Forecast" {typed}', *phrases)
    assert team.meeting(1) is None
    assert team.channel("#sales").posts == []


@pytest.mark.parametrize("name", PEOPLE)
def test_a_refused_move_changes_nothing(team, name):
    person = team.person(name)
    team.clock.set(utc(name, 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, person, 1, "tomorrow 3pm")
    before = utc(name, 2026, 11, 26, 15, 0)
    for typed, phrase in [
        ("tomorrow 25:00", "“25:00” is not a time of day"),
        ("fri 3:30", "“3:30” could be 03:30 or 15:30"),
        ("today 7am", "which has already passed"),
        ("Dec 3 3pm - Dec 4 4pm", "a day on each side of the range"),
    ]:
        person.says(f"/salesmeet move #1 {typed}")
        shown = person.sees()
        assert phrase in shown, (typed, shown)
        meeting = team.meeting(1)
        assert meeting.moved == {} and meeting.starts_at == before, typed
        assert meeting.next_occurrence(team.clock.now()).start == before, typed


# (typed, local start, note): moves of a one-off meeting on a Wednesday at 08:00.
MOVES = [
    ("wed 4pm", (11, 25, 16, 0)),  # today, still ahead
    ("this friday 10am", (11, 27, 10, 0)),
    ("next friday 11am", (11, 27, 11, 0)),  # the coming one
    ("friday next week 9am", (12, 4, 9, 0)),
    ("tmrw at 3", (11, 26, 15, 0)),  # a bare hour: 15:00
    ("next week mon 9am", (11, 30, 9, 0)),
    ("noon", (11, 25, 12, 0)),
    ("in 2 hours", (11, 25, 10, 0)),
]


@pytest.mark.parametrize("name", PEOPLE)
def test_move_reads_times_as_schedule_does(team, name):
    person = team.person(name)
    team.clock.set(utc(name, 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, person, 1, "tomorrow 3pm")
    before = utc(name, 2026, 11, 26, 15, 0)
    for typed, local in MOVES:
        person.says(f"/salesmeet move #1 {typed}")
        shown = person.sees()
        expected = utc(name, 2026, *local)
        assert "moved #1" in shown, (typed, shown)
        assert token_times(shown)[:2] == [before, expected], typed  # from, to
        occurrence = team.meeting(1).next_occurrence(team.clock.now())
        assert occurrence.start == expected, typed
        assert occurrence.end - occurrence.start == timedelta(minutes=30), typed
        before = expected


@pytest.mark.parametrize("name", PEOPLE)
def test_skip_reads_weekdays_as_schedule_does(team, name):
    person = team.person(name)
    team.clock.set(utc(name, 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, person, 1, "every wednesday 9am")  # today's 09:00 is still ahead
    schedules(team, person, 2, "every friday 4pm")
    assert team.meeting(1).starts_at == utc(name, 2026, 11, 25, 9, 0)
    for number, typed, local in [
        (1, "wed", (11, 25, 9, 0)),  # today's, still ahead
        (1, "next wed", (12, 2, 9, 0)),
        (2, "next friday", (11, 27, 16, 0)),  # the coming one
        (2, "friday next week", (12, 4, 16, 0)),
    ]:
        person.says(f"/salesmeet skip #{number} {typed}")
        shown = person.sees()
        expected = utc(name, 2026, *local)
        assert "will not take place" in shown, (typed, shown)
        assert token_times(shown)[0] == expected, typed
        assert int(expected.timestamp()) in team.meeting(number).skipped, typed
    now = team.clock.now()
    assert team.meeting(1).next_occurrence(now).start == utc(name, 2026, 12, 9, 9, 0)
    assert team.meeting(2).next_occurrence(now).start == utc(name, 2026, 12, 11, 16, 0)
    person.says("/salesmeet skip #1 fri")
    assert "Meeting #1 has no occurrence on 2026-11-27" in person.sees()


# --- repeating meetings said naturally, in every zone ---------------------------------------

# (typed, rrule, local (y, m, d, h, min) of the first two meetings), per day.
SERIES = {
    "wednesday": [
        ("every monday 9am", "FREQ=WEEKLY;BYDAY=MO", (2026, 11, 30, 9), (2026, 12, 7, 9)),
        ("every monday at 9am", "FREQ=WEEKLY;BYDAY=MO", (2026, 11, 30, 9), (2026, 12, 7, 9)),
        ("every wednesday 7am", "FREQ=WEEKLY;BYDAY=WE", (2026, 12, 2, 7), (2026, 12, 9, 7)),
        (
            "every other friday 4pm",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
            (2026, 11, 27, 16),
            (2026, 12, 11, 16),
        ),
        (
            "every weekday 9am",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            (2026, 11, 25, 9),
            (2026, 11, 26, 9),
        ),
        (
            "every first tuesday 10am",
            "FREQ=MONTHLY;BYDAY=+1TU",
            (2026, 12, 1, 10),
            (2027, 1, 5, 10),
        ),
        (
            "every last friday of the month 4pm",
            "FREQ=MONTHLY;BYDAY=-1FR",
            (2026, 11, 27, 16),
            (2026, 12, 25, 16),
        ),
        (
            "weekly on mon and wed at 10",
            "FREQ=WEEKLY;BYDAY=MO,WE",
            (2026, 11, 25, 10),
            (2026, 11, 30, 10),
        ),
        (
            "every day at 9 until dec 20",
            "FREQ=DAILY;UNTIL=20261220T235959",
            (2026, 11, 25, 9),
            (2026, 11, 26, 9),
        ),
        ("mon 9am every week", "FREQ=WEEKLY", (2026, 11, 30, 9), (2026, 12, 7, 9)),
    ],
    "friday": [
        ("every monday 9am", "FREQ=WEEKLY;BYDAY=MO", (2026, 11, 30, 9), (2026, 12, 7, 9)),
        ("every friday 4pm", "FREQ=WEEKLY;BYDAY=FR", (2026, 12, 4, 16), (2026, 12, 11, 16)),
        (
            "every other friday 6pm",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
            (2026, 11, 27, 18),
            (2026, 12, 11, 18),
        ),
        (
            "every weekday 9am",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            (2026, 11, 30, 9),
            (2026, 12, 1, 9),
        ),
        (
            "every first tuesday 10am",
            "FREQ=MONTHLY;BYDAY=+1TU",
            (2026, 12, 1, 10),
            (2027, 1, 5, 10),
        ),
        (
            "every last friday of the month 4pm",  # today's has passed
            "FREQ=MONTHLY;BYDAY=-1FR",
            (2026, 12, 25, 16),
            (2027, 1, 29, 16),
        ),
        (
            "weekly on mon and wed at 10",
            "FREQ=WEEKLY;BYDAY=MO,WE",
            (2026, 11, 30, 10),
            (2026, 12, 2, 10),
        ),
        (
            "every day at 9 until dec 20",
            "FREQ=DAILY;UNTIL=20261220T235959",
            (2026, 11, 28, 9),
            (2026, 11, 29, 9),
        ),
        ("mon 9am every week", "FREQ=WEEKLY", (2026, 11, 30, 9), (2026, 12, 7, 9)),
    ],
    "sunday": [
        ("every sunday 4pm", "FREQ=WEEKLY;BYDAY=SU", (2026, 11, 29, 16), (2026, 12, 6, 16)),
        ("every monday at 9am", "FREQ=WEEKLY;BYDAY=MO", (2026, 11, 30, 9), (2026, 12, 7, 9)),
        (
            "every other friday 4pm",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
            (2026, 12, 4, 16),
            (2026, 12, 18, 16),
        ),
        (
            "every weekday 9am",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            (2026, 11, 30, 9),
            (2026, 12, 1, 9),
        ),
        (
            "every first tuesday 10am",
            "FREQ=MONTHLY;BYDAY=+1TU",
            (2026, 12, 1, 10),
            (2027, 1, 5, 10),
        ),
        (
            "every last friday of the month 4pm",
            "FREQ=MONTHLY;BYDAY=-1FR",
            (2026, 12, 25, 16),
            (2027, 1, 29, 16),
        ),
        (
            "weekly on mon and wed at 10",
            "FREQ=WEEKLY;BYDAY=MO,WE",
            (2026, 11, 30, 10),
            (2026, 12, 2, 10),
        ),
        (
            "every day at 9 until dec 20",
            "FREQ=DAILY;UNTIL=20261220T235959",
            (2026, 11, 30, 9),
            (2026, 12, 1, 9),
        ),
        ("mon 9am every week", "FREQ=WEEKLY", (2026, 11, 30, 9), (2026, 12, 7, 9)),
    ],
}


# The bare hours in those, and the time the confirmation says it took.
SERIES_NOTES = {
    "weekly on mon and wed at 10": hour("10:00"),
    "every day at 9 until dec 20": hour("09:00"),
}


@pytest.mark.parametrize("name", PEOPLE)
@pytest.mark.parametrize("day", list(SERIES))
def test_repeating_meetings_start_at_the_next_time_that_matches(team, name, day):
    person = team.person(name)
    now = utc(name, *DAYS[day][0])
    team.clock.set(now)
    for number, (typed, rule, first, second) in enumerate(SERIES[day], start=1):
        shown = schedules(team, person, number, typed)
        meeting = team.meeting(number)
        assert meeting.rrule == rule, typed
        assert meeting.starts_at == utc(name, *first, 0), typed
        assert told_start(shown) == utc(name, *first, 0), typed
        starts = [o.start for o in meeting.occurrences(now, now + timedelta(days=70))[:2]]
        assert starts == [utc(name, *first, 0), utc(name, *second, 0)], typed
        check_notes(shown, SERIES_NOTES.get(typed), typed)


@pytest.mark.parametrize("name", PEOPLE)
def test_every_day_until_a_date_ends_on_that_day(team, name):
    person = team.person(name)
    now = utc(name, 2026, 11, 25, 8, 0)  # Wednesday 08:00
    team.clock.set(now)
    shown = schedules(team, person, 1, "every day at 9 until dec 20")
    check_notes(shown, hour("09:00"), "every day at 9 until dec 20")
    starts = [o.start for o in team.meeting(1).occurrences(now, now + timedelta(days=60))]
    # 25 November to 20 December, both included: 26 meetings, each at 09:00.
    assert starts == [utc(name, 2026, 11, 25, 9, 0) + timedelta(days=n) for n in range(26)]


# --- across the daylight-saving changes: the Friday before, everyone ---------------------

# Friday 12:00 UTC is Friday for all four (KL 20:00, Mumbai 17:30, London 12:00 or 13:00,
# New York 07:00 or 08:00). The instants are UTC, worked out by hand:
# KL +8 and Mumbai +5:30 all year; London +1 until 25 Oct 2026 and from 28 Mar 2027;
# New York -4 until 1 Nov 2026 and from 14 Mar 2027, -5 between.
AROUND_CHANGES = {
    # US falls back on Sunday 1 November 2026 (London already changed on 25 October).
    "us-fall-back": (
        at(2026, 10, 30, 12, 0),
        {
            "tomorrow 9am": {
                "maya": at(2026, 10, 31, 1),
                "ravi": at(2026, 10, 31, 3, 30),
                "olivia": at(2026, 10, 31, 9),
                "sam": at(2026, 10, 31, 13),
            },
            "sun 9am": {
                "maya": at(2026, 11, 1, 1),
                "ravi": at(2026, 11, 1, 3, 30),
                "olivia": at(2026, 11, 1, 9),
                "sam": at(2026, 11, 1, 14),
            },
            "mon 9am": {
                "maya": at(2026, 11, 2, 1),
                "ravi": at(2026, 11, 2, 3, 30),
                "olivia": at(2026, 11, 2, 9),
                "sam": at(2026, 11, 2, 14),
            },
        },
    ),
    # UK falls back on Sunday 25 October 2026.
    "uk-fall-back": (
        at(2026, 10, 23, 12, 0),
        {
            "tomorrow 9am": {
                "maya": at(2026, 10, 24, 1),
                "ravi": at(2026, 10, 24, 3, 30),
                "olivia": at(2026, 10, 24, 8),
                "sam": at(2026, 10, 24, 13),
            },
            "sun 9am": {
                "maya": at(2026, 10, 25, 1),
                "ravi": at(2026, 10, 25, 3, 30),
                "olivia": at(2026, 10, 25, 9),
                "sam": at(2026, 10, 25, 13),
            },
            "mon 9am": {
                "maya": at(2026, 10, 26, 1),
                "ravi": at(2026, 10, 26, 3, 30),
                "olivia": at(2026, 10, 26, 9),
                "sam": at(2026, 10, 26, 13),
            },
        },
    ),
    # US springs forward on Sunday 14 March 2027.
    "us-spring-forward": (
        at(2027, 3, 12, 12, 0),
        {
            "tomorrow 9am": {
                "maya": at(2027, 3, 13, 1),
                "ravi": at(2027, 3, 13, 3, 30),
                "olivia": at(2027, 3, 13, 9),
                "sam": at(2027, 3, 13, 14),
            },
            "sun 9am": {
                "maya": at(2027, 3, 14, 1),
                "ravi": at(2027, 3, 14, 3, 30),
                "olivia": at(2027, 3, 14, 9),
                "sam": at(2027, 3, 14, 13),
            },
            "mon 9am": {
                "maya": at(2027, 3, 15, 1),
                "ravi": at(2027, 3, 15, 3, 30),
                "olivia": at(2027, 3, 15, 9),
                "sam": at(2027, 3, 15, 13),
            },
        },
    ),
    # UK springs forward on Sunday 28 March 2027 (New York already changed on 14 March).
    "uk-spring-forward": (
        at(2027, 3, 26, 12, 0),
        {
            "tomorrow 9am": {
                "maya": at(2027, 3, 27, 1),
                "ravi": at(2027, 3, 27, 3, 30),
                "olivia": at(2027, 3, 27, 9),
                "sam": at(2027, 3, 27, 13),
            },
            "sun 9am": {
                "maya": at(2027, 3, 28, 1),
                "ravi": at(2027, 3, 28, 3, 30),
                "olivia": at(2027, 3, 28, 8),
                "sam": at(2027, 3, 28, 13),
            },
            "mon 9am": {
                "maya": at(2027, 3, 29, 1),
                "ravi": at(2027, 3, 29, 3, 30),
                "olivia": at(2027, 3, 29, 8),
                "sam": at(2027, 3, 29, 13),
            },
        },
    ),
}


@pytest.mark.parametrize("name", PEOPLE)
@pytest.mark.parametrize("change", list(AROUND_CHANGES))
def test_the_friday_before_a_change_everyone_gets_the_right_instant(team, name, change):
    now, phrases = AROUND_CHANGES[change]
    person = team.person(name)
    team.clock.set(now)
    for number, (typed, expected) in enumerate(phrases.items(), start=1):
        shown = schedules(team, person, number, typed)
        assert team.meeting(number).starts_at == expected[name], typed
        assert told_start(shown) == expected[name], typed
    # An offset from now is elapsed time, whatever the clocks do: Sunday 12:00 UTC.
    shown = schedules(team, person, 4, "in 48 hours")
    assert team.meeting(4).starts_at == now + timedelta(hours=48)


# On and around the change days, New York (sam) and London (olivia), hour by hour:
# (person, now (UTC), typed, expected start (UTC), minutes or None, note).
ON_CHANGE_DAYS = [
    # New York falls back on Sunday 1 November 2026: 02:00 EDT becomes 01:00 EST.
    # Friday 30 October, 12:00 EDT.
    ("sam", at(2026, 10, 30, 16), "sun 1:30am", at(2026, 11, 1, 5, 30), None, None),
    ("sam", at(2026, 10, 30, 16), "sun 1am-3am", at(2026, 11, 1, 5), 180, None),
    ("sam", at(2026, 10, 30, 16), "sun 4pm-5pm", at(2026, 11, 1, 21), 60, None),
    (
        "sam",
        at(2026, 10, 30, 16),
        "next sunday 4pm",
        at(2026, 11, 1, 21),
        None,
        coming("sunday", "2026-11-01", "2026-11-08"),
    ),
    # Saturday 31 October, 23:00 EDT: three hours of elapsed time is 01:00 EST.
    ("sam", at(2026, 11, 1, 3), "in 3 hours", at(2026, 11, 1, 6), None, None),
    ("sam", at(2026, 11, 1, 3), "tomorrow 2:30am", at(2026, 11, 1, 7, 30), None, None),
    ("sam", at(2026, 11, 1, 3), "at 3", at(2026, 11, 1, 20), None, hour("15:00")),
    # Sunday 1 November, 01:45 EDT: the first 01:30 has gone, the second (EST) is ahead.
    ("sam", at(2026, 11, 1, 5, 45), "at 1:30am", at(2026, 11, 1, 6, 30), None, None),
    # Sunday 1 November, 10:00 EST.
    ("sam", at(2026, 11, 1, 15), "sun 9am", at(2026, 11, 8, 14), None, None),
    ("sam", at(2026, 11, 1, 15), "sun 4pm", at(2026, 11, 1, 21), None, None),
    ("sam", at(2026, 11, 1, 15), "next sunday 4pm", at(2026, 11, 8, 21), None, None),
    # Monday 2 November, 08:00 EST.
    ("sam", at(2026, 11, 2, 13), "mon 9am", at(2026, 11, 2, 14), None, None),
    ("sam", at(2026, 11, 2, 13), "next monday 9am", at(2026, 11, 9, 14), None, None),
    # New York springs forward on Sunday 14 March 2027: 02:00-03:00 does not exist.
    # Friday 12 March, 12:00 EST.
    ("sam", at(2027, 3, 12, 17), "sun 2:30am", at(2027, 3, 14, 7, 30), None, None),  # 03:30
    ("sam", at(2027, 3, 12, 17), "sun 1am-3am", at(2027, 3, 14, 6), 60, None),
    ("sam", at(2027, 3, 12, 17), "sat 9am", at(2027, 3, 13, 14), None, None),
    # Saturday 13 March, 23:00 EST: four hours later is 04:00 EDT.
    ("sam", at(2027, 3, 14, 4), "in 4 hours", at(2027, 3, 14, 8), None, None),
    ("sam", at(2027, 3, 14, 4), "tomorrow 9", at(2027, 3, 14, 13), None, hour("09:00")),
    # Sunday 14 March, 10:00 EDT.
    ("sam", at(2027, 3, 14, 14), "sun 9am", at(2027, 3, 21, 13), None, None),
    ("sam", at(2027, 3, 14, 14), "at 3", at(2027, 3, 14, 19), None, hour("15:00")),
    # London falls back on Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT.
    # Friday 23 October, 12:00 BST.
    ("olivia", at(2026, 10, 23, 11), "sun 1:30am", at(2026, 10, 25, 0, 30), None, None),
    ("olivia", at(2026, 10, 23, 11), "sat 9am", at(2026, 10, 24, 8), None, None),
    (
        "olivia",
        at(2026, 10, 23, 11),
        "next sunday 4pm",
        at(2026, 10, 25, 16),
        None,
        coming("sunday", "2026-10-25", "2026-11-01"),
    ),
    # Sunday 25 October, 00:45 BST.
    ("olivia", at(2026, 10, 24, 23, 45), "in 2 hours", at(2026, 10, 25, 1, 45), None, None),
    ("olivia", at(2026, 10, 24, 23, 45), "at 1:30am", at(2026, 10, 25, 0, 30), None, None),
    # Sunday 25 October, 10:00 GMT.
    ("olivia", at(2026, 10, 25, 10), "sun 9am", at(2026, 11, 1, 9), None, None),
    ("olivia", at(2026, 10, 25, 10), "sun 4pm", at(2026, 10, 25, 16), None, None),
    # London springs forward on Sunday 28 March 2027: 01:00-02:00 does not exist.
    # Friday 26 March, 12:00 GMT.
    ("olivia", at(2027, 3, 26, 12), "sun 1:30am", at(2027, 3, 28, 1, 30), None, None),  # 02:30
    ("olivia", at(2027, 3, 26, 12), "sun 1am-3am", at(2027, 3, 28, 1), 60, None),
    # Wholly in the skipped hour: moved forward whole (02:30-03:30 BST), not refused.
    ("olivia", at(2027, 3, 26, 12), "sun 1:30am-2:30am", at(2027, 3, 28, 1, 30), 60, None),
    # Saturday 27 March, 23:30 GMT.
    ("olivia", at(2027, 3, 27, 23, 30), "in 2 hours", at(2027, 3, 28, 1, 30), None, None),
    # Sunday 28 March, 10:00 BST.
    ("olivia", at(2027, 3, 28, 9), "sun 9am", at(2027, 4, 4, 8), None, None),
    ("olivia", at(2027, 3, 28, 9), "at 3", at(2027, 3, 28, 14), None, hour("15:00")),
]


@pytest.mark.parametrize(
    ("name", "now", "typed", "expected", "minutes", "note"),
    ON_CHANGE_DAYS,
    ids=[f"{c[0]}-{c[1]:%m%d-%H%M}-{c[2]}" for c in ON_CHANGE_DAYS],
)
def test_on_the_days_of_a_change(team, name, now, typed, expected, minutes, note):
    person = team.person(name)
    team.clock.set(now)
    shown = schedules(team, person, 1, typed)
    meeting = team.meeting(1)
    assert meeting.starts_at == expected
    assert meeting.duration == timedelta(minutes=minutes or 30)
    assert told_start(shown) == expected
    check_notes(shown, note, typed)


# A weekly series keeps its wall-clock time across a change: (now, person, typed, rule,
# the first meetings, UTC).
SERIES_ACROSS = [
    # US fall back, from Friday 30 October 2026 12:00 UTC.
    (
        at(2026, 10, 30, 12),
        "sam",
        "every friday 4pm",
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2026, 10, 30, 20), at(2026, 11, 6, 21), at(2026, 11, 13, 21)],
    ),
    (
        at(2026, 10, 30, 12),
        "sam",
        "fri 4pm every week",  # the older order
        "FREQ=WEEKLY",
        [at(2026, 10, 30, 20), at(2026, 11, 6, 21), at(2026, 11, 13, 21)],
    ),
    (
        at(2026, 10, 30, 12),
        "sam",
        "every sunday 1:30am",  # the repeated hour: its first pass, then 01:30 EST
        "FREQ=WEEKLY;BYDAY=SU",
        [at(2026, 11, 1, 5, 30), at(2026, 11, 8, 6, 30), at(2026, 11, 15, 6, 30)],
    ),
    (
        at(2026, 10, 30, 12),
        "sam",
        "every day at 9 until nov 3",  # 08:00 EDT: today's is ahead; the last day included
        "FREQ=DAILY;UNTIL=20261103T235959",
        [
            at(2026, 10, 30, 13),
            at(2026, 10, 31, 13),
            at(2026, 11, 1, 14),
            at(2026, 11, 2, 14),
            at(2026, 11, 3, 14),
        ],
    ),
    (
        at(2026, 10, 30, 12),
        "olivia",
        "every friday 4pm",
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2026, 10, 30, 16), at(2026, 11, 6, 16), at(2026, 11, 13, 16)],
    ),
    (
        at(2026, 10, 30, 12),
        "maya",
        "every friday 4pm",  # 20:00 in KL: today's has passed
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2026, 11, 6, 8), at(2026, 11, 13, 8), at(2026, 11, 20, 8)],
    ),
    (
        at(2026, 10, 30, 12),
        "ravi",
        "every friday 4pm",  # 17:30 in Mumbai: today's has passed
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2026, 11, 6, 10, 30), at(2026, 11, 13, 10, 30), at(2026, 11, 20, 10, 30)],
    ),
    # UK fall back, from Friday 23 October 2026 12:00 UTC.
    (
        at(2026, 10, 23, 12),
        "olivia",
        "every friday 4pm",
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2026, 10, 23, 15), at(2026, 10, 30, 16), at(2026, 11, 6, 16)],
    ),
    (
        at(2026, 10, 23, 12),
        "olivia",
        "every saturday 10am",
        "FREQ=WEEKLY;BYDAY=SA",
        [at(2026, 10, 24, 9), at(2026, 10, 31, 10), at(2026, 11, 7, 10)],
    ),
    (
        at(2026, 10, 23, 12),
        "sam",
        "every friday 4pm",
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2026, 10, 23, 20), at(2026, 10, 30, 20), at(2026, 11, 6, 21)],
    ),
    # US spring forward, from Friday 12 March 2027 12:00 UTC (07:00 EST).
    (
        at(2027, 3, 12, 12),
        "sam",
        "every friday 4pm",
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2027, 3, 12, 21), at(2027, 3, 19, 20), at(2027, 3, 26, 20)],
    ),
    (
        at(2027, 3, 12, 12),
        "sam",
        "every weekday 9am",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        [at(2027, 3, 12, 14), at(2027, 3, 15, 13), at(2027, 3, 16, 13)],
    ),
    (
        at(2027, 3, 12, 12),
        "olivia",
        "every friday 4pm",
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2027, 3, 12, 16), at(2027, 3, 19, 16), at(2027, 3, 26, 16), at(2027, 4, 2, 15)],
    ),
    # UK spring forward, from Friday 26 March 2027 12:00 UTC.
    (
        at(2027, 3, 26, 12),
        "olivia",
        "every friday 4pm",
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2027, 3, 26, 16), at(2027, 4, 2, 15), at(2027, 4, 9, 15)],
    ),
    (
        at(2027, 3, 26, 12),
        "olivia",
        "every last friday of the month 4pm",
        "FREQ=MONTHLY;BYDAY=-1FR",
        [at(2027, 3, 26, 16), at(2027, 4, 30, 15), at(2027, 5, 28, 15)],
    ),
    (
        at(2027, 3, 26, 12),
        "maya",
        "every friday 4pm",
        "FREQ=WEEKLY;BYDAY=FR",
        [at(2027, 4, 2, 8), at(2027, 4, 9, 8), at(2027, 4, 16, 8)],
    ),
    (
        at(2027, 3, 26, 12),
        "ravi",
        "every sunday 9am",
        "FREQ=WEEKLY;BYDAY=SU",
        [at(2027, 3, 28, 3, 30), at(2027, 4, 4, 3, 30), at(2027, 4, 11, 3, 30)],
    ),
]


@pytest.mark.parametrize(
    ("now", "name", "typed", "rule", "starts"),
    SERIES_ACROSS,
    ids=[f"{c[1]}-{c[0]:%Y%m%d}-{c[2]}" for c in SERIES_ACROSS],
)
def test_a_series_keeps_its_wall_time_across_a_change(team, now, name, typed, rule, starts):
    person = team.person(name)
    team.clock.set(now)
    shown = schedules(team, person, 1, typed)
    meeting = team.meeting(1)
    assert meeting.rrule == rule
    assert meeting.starts_at == starts[0]
    assert told_start(shown) == starts[0]
    found = meeting.occurrences(now, starts[-1] + timedelta(minutes=1))
    assert [o.start for o in found] == starts


def test_a_daily_series_ends_on_its_until_day_across_the_change(team, sam):
    team.clock.set(at(2026, 10, 30, 12))  # Friday 30 October, 08:00 EDT
    schedules(team, sam, 1, "every day at 9 until nov 3")
    found = team.meeting(1).occurrences(at(2026, 10, 30), at(2026, 11, 30))
    assert [o.start for o in found][-1] == at(2026, 11, 3, 14)  # 09:00 EST, then no more
    assert len(found) == 5


def test_skip_and_move_across_new_yorks_fall_back(team, sam):
    team.clock.set(at(2026, 10, 30, 16))  # Friday 30 October, 12:00 EDT
    schedules(team, sam, 1, "every sunday 9am")
    assert team.meeting(1).starts_at == at(2026, 11, 1, 14)  # 09:00 EST
    sam.says("/salesmeet skip #1 next sunday")  # the coming one, after the change
    shown = sam.sees()
    assert token_times(shown)[0] == at(2026, 11, 1, 14)
    sam.says("/salesmeet move #1 nov 8 to mon 9am")
    assert token_times(sam.sees())[:2] == [at(2026, 11, 8, 14), at(2026, 11, 2, 14)]
    now = team.clock.now()
    starts = [o.start for o in team.meeting(1).occurrences(now, at(2026, 11, 16))]
    assert starts == [at(2026, 11, 2, 14), at(2026, 11, 15, 14)]


def test_move_across_londons_spring_forward(team, olivia):
    team.clock.set(at(2027, 3, 26, 12))  # Friday 26 March, 12:00 GMT
    schedules(team, olivia, 1, "tomorrow 3pm")
    assert team.meeting(1).starts_at == at(2027, 3, 27, 15)  # GMT
    olivia.says("/salesmeet move #1 sun 3pm")
    assert token_times(olivia.sees())[:2] == [at(2027, 3, 27, 15), at(2027, 3, 28, 14)]  # BST
    assert team.meeting(1).next_occurrence(team.clock.now()).start == at(2027, 3, 28, 14)


# --- the console's :at reads times the same way ------------------------------------------


@pytest.mark.parametrize(
    ("name", "start", "typed", "shown"),
    [
        # Each on their own Wednesday 25 November 2026, 08:00.
        ("maya", at(2026, 11, 25, 0), "wed 4pm", "Wed 25 Nov 16:00 Kuala Lumpur time (8h later)"),
        ("ravi", at(2026, 11, 25, 2, 30), "wed 4pm", "Wed 25 Nov 16:00 Mumbai time (8h later)"),
        ("olivia", at(2026, 11, 25, 8), "at 3", "Wed 25 Nov 15:00 London time (7h later)"),
        (
            "sam",
            at(2026, 11, 25, 13),
            "next friday 9am",
            "Fri 27 Nov 09:00 New York time (2d1h later)",
        ),
        # Across New York's fall back: 46 hours of elapsed time, 45 on the wall.
        ("sam", at(2026, 10, 30, 16), "sun 9am", "Sun 1 Nov 09:00 New York time (1d22h later)"),
        # Across London's spring forward: 44 hours elapsed, 45 on the wall.
        ("olivia", at(2027, 3, 26, 12), "sun 9am", "Sun 28 Mar 09:00 London time (1d20h later)"),
    ],
)
def test_the_consoles_at_reads_times_as_schedule_does(tmp_path, name, start, typed, shown):
    console = Console(str(tmp_path / "console.db"), start=start, languages={})
    try:
        transcript = console.run([f":as {name}", f":at {typed}", ":at 25:00"])
    finally:
        console.close()
    assert f"It is now {shown}" in transcript
    assert "“25:00” is not a time of day" in transcript


# --- move with a range or `next <weekday>`, skip of today's weekday, a series from a gap --


def test_move_to_a_range_takes_its_length(team, maya):
    team.clock.set(utc("maya", 2026, 11, 25, 8, 0))  # Wednesday 08:00 in Kuala Lumpur
    schedules(team, maya, 1, "tomorrow 3pm")
    maya.says("/salesmeet move #1 fri 3pm-5pm")
    assert "moved #1" in maya.sees()
    occurrence = team.meeting(1).next_occurrence(team.clock.now())
    assert occurrence.start == utc("maya", 2026, 11, 27, 15, 0)
    assert occurrence.end == utc("maya", 2026, 11, 27, 17, 0)


def test_move_to_next_friday_says_which_friday_it_took(team, maya):
    team.clock.set(utc("maya", 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, maya, 1, "tomorrow 3pm")
    maya.says("/salesmeet move #1 next friday 4pm")
    shown = maya.sees()
    assert token_times(shown)[-1] == utc("maya", 2026, 11, 27, 16, 0)
    assert "2026-12-04, write `friday next week`" in shown


def test_skip_next_friday_says_which_friday_it_took(team, maya):
    team.clock.set(utc("maya", 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, maya, 1, "every friday 4pm")
    maya.says("/salesmeet skip #1 next friday")
    shown = maya.sees()
    assert token_times(shown)[0] == utc("maya", 2026, 11, 27, 16, 0)
    assert "2026-12-04, write `friday next week`" in shown


def test_skip_a_weekday_whose_meeting_today_has_begun_skips_next_weeks(team, maya):
    team.clock.set(utc("maya", 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, maya, 1, "every wednesday 9am")
    team.clock.set(utc("maya", 2026, 11, 25, 10, 0))  # today's began at 09:00
    maya.says("/salesmeet skip #1 wed")
    shown = maya.sees()
    assert "will not take place" in shown, shown
    assert token_times(shown)[0] == utc("maya", 2026, 12, 2, 9, 0)


@pytest.mark.parametrize(
    ("name", "now", "typed", "starts"),
    [
        # London, Friday 26 March 2027 12:00 GMT: Sundays at 01:30.
        (
            "olivia",
            at(2027, 3, 26, 12),
            "every sunday 1:30am",
            [at(2027, 3, 28, 1, 30), at(2027, 4, 4, 0, 30), at(2027, 4, 11, 0, 30)],
        ),
        (
            "olivia",
            at(2027, 3, 26, 12),
            "sun 1:30am every week",
            [at(2027, 3, 28, 1, 30), at(2027, 4, 4, 0, 30), at(2027, 4, 11, 0, 30)],
        ),
        # New York, Saturday 13 March 2027 23:00 EST: every day at 02:30.
        (
            "sam",
            at(2027, 3, 14, 4),
            "every day at 2:30am",
            [at(2027, 3, 14, 7, 30), at(2027, 3, 15, 6, 30), at(2027, 3, 16, 6, 30)],
        ),
    ],
)
def test_a_series_whose_first_meeting_falls_in_a_skipped_hour_keeps_its_time(
    team, name, now, typed, starts
):
    person = team.person(name)
    team.clock.set(now)
    schedules(team, person, 1, typed)
    found = team.meeting(1).occurrences(now, starts[-1] + timedelta(minutes=1))
    assert [o.start for o in found] == starts


def test_move_to_a_range_says_the_new_length(team, maya):
    team.clock.set(utc("maya", 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, maya, 1, "tomorrow 3pm")
    maya.says("/salesmeet move #1 fri 3pm-5pm")
    assert "Meeting #1 now lasts 2 hours." in maya.sees()
    assert team.meeting(1).duration == timedelta(hours=2)
    maya.says("/salesmeet move #1 fri 4pm")  # no range: the length stays
    assert "now lasts" not in maya.sees()
    occurrence = team.meeting(1).next_occurrence(team.clock.now())
    assert occurrence.end - occurrence.start == timedelta(hours=2)


def test_one_meeting_of_a_series_keeps_the_series_length(team, maya):
    team.clock.set(utc("maya", 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, maya, 1, "every friday 4pm")
    maya.says("/salesmeet move #1 fri to sat 3pm-5pm")
    shown = maya.sees()
    assert "one meeting of a series lasts as long as the series" in shown, shown
    assert "`/salesmeet move #1 fri to Nov 28 15:00`" in shown, shown
    assert "`/salesmeet edit #1 for 2h`" in shown, shown
    meeting = team.meeting(1)
    assert meeting.moved == {} and meeting.duration == timedelta(minutes=30)
    # A range as long as the series' meetings says nothing new: it is taken.
    maya.says("/salesmeet move #1 fri to sat 3pm-3:30pm")
    assert "moved #1" in maya.sees()
    occurrence = team.meeting(1).next_occurrence(team.clock.now())
    assert occurrence.start == utc("maya", 2026, 11, 28, 15, 0)
    assert occurrence.end == utc("maya", 2026, 11, 28, 15, 30)


def test_a_weekday_naming_today_is_todays_meeting_while_it_is_ahead(team, maya):
    team.clock.set(utc("maya", 2026, 11, 25, 8, 0))  # Wednesday 08:00
    schedules(team, maya, 1, "every wednesday 9am")
    maya.says("/salesmeet move #1 wed to wed 11am")  # today's, not yet begun
    assert token_times(maya.sees())[:2] == [
        utc("maya", 2026, 11, 25, 9, 0),
        utc("maya", 2026, 11, 25, 11, 0),
    ]
    team.clock.set(utc("maya", 2026, 11, 25, 10, 0))  # its old 09:00 has passed
    maya.says("/salesmeet skip #1 this wednesday")  # today's, moved to 11:00, is ahead
    assert token_times(maya.sees())[0] == utc("maya", 2026, 11, 25, 11, 0)
    team.clock.set(utc("maya", 2026, 11, 25, 12, 0))  # and now it has begun
    maya.says("/salesmeet move #1 wed to Dec 3 9am")  # next week's
    assert token_times(maya.sees())[:2] == [
        utc("maya", 2026, 12, 2, 9, 0),
        utc("maya", 2026, 12, 3, 9, 0),
    ]
    # A day named by its date still means that day.
    maya.says("/salesmeet skip #1 Nov 25")
    assert "already skipped" in maya.sees()


def test_a_series_kept_from_a_skipped_hour_is_found_by_its_days(team, olivia):
    team.clock.set(at(2027, 3, 26, 12))  # Friday 26 March 2027, 12:00 GMT
    schedules(team, olivia, 1, "every sunday 1:30am")
    meeting = team.meeting(1)
    assert meeting.rrule == "FREQ=WEEKLY;BYDAY=SU;BYHOUR=1;BYMINUTE=30"
    assert meeting.starts_at == at(2027, 3, 28, 1, 30)  # 02:30 BST
    olivia.says("/salesmeet skip #1 Apr 4")
    assert token_times(olivia.sees())[0] == at(2027, 4, 4, 0, 30)  # 01:30 BST
    assert meeting.has_key(int(at(2027, 4, 11, 0, 30).timestamp()))
    found = team.meeting(1).occurrences(at(2027, 3, 27), at(2027, 4, 12))
    assert [o.start for o in found] == [at(2027, 3, 28, 1, 30), at(2027, 4, 11, 0, 30)]


@pytest.mark.parametrize(
    ("typed", "starts"),
    [
        # Read the night before New York's spring-forward: the first reading of `2:30am`
        # (Sunday, in the gap) is not the series' time.
        ("every monday 2:30am", [at(2027, 3, 15, 6, 30), at(2027, 3, 22, 6, 30)]),
        ("every sunday 2:30am", [at(2027, 3, 14, 7, 30), at(2027, 3, 21, 6, 30)]),
        ("sun 2:30am every week 2 times", [at(2027, 3, 14, 7, 30), at(2027, 3, 21, 6, 30)]),
        # Not in a gap: the rule is as it always was.
        ("every sunday 3:30am", [at(2027, 3, 14, 7, 30), at(2027, 3, 21, 7, 30)]),
    ],
)
def test_a_series_keeps_the_time_typed_across_new_yorks_spring_forward(team, sam, typed, starts):
    team.clock.set(at(2027, 3, 14, 4))  # Saturday 13 March 2027, 23:00 EST
    schedules(team, sam, 1, typed)
    found = team.meeting(1).occurrences(team.clock.now(), starts[-1] + timedelta(days=6))
    assert [o.start for o in found] == starts
    # Only a first meeting moved on by the gap makes the rule keep its time of day.
    assert ("BYHOUR" in team.meeting(1).rrule) == ("sun" in typed and "2:30" in typed)


def test_a_stored_series_without_a_kept_time_expands_as_before():
    """Keys are original starts: a series stored before its rule could keep a time of day
    still expands from its first instant's wall clock."""
    first = at(2027, 3, 28, 1, 30)  # 01:30 London, moved on to 02:30 BST
    found = occurrences(
        first, timedelta(minutes=30), "Europe/London", "FREQ=WEEKLY", first, at(2027, 4, 5)
    )
    assert [o.start for o in found] == [first, at(2027, 4, 4, 1, 30)]  # 02:30 BST
