"""Issue 13, "Typing in Malay and Hindi": times, days, lengths and series read by
bot/when.py and bot/recurrence.py, and the clause words of bot/command.py.

Every `now` is fixed, and given as a wall-clock time in the zone read. Neither zone
changes its offset: Kuala Lumpur is UTC+8 and Kolkata UTC+5:30 all year, so each expected
instant is the local time worked out by hand minus that offset (`utc`); a few are also
written in UTC outright.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import when
from bot.command import Schedule, command_text, parse_command
from bot.recurrence import TOO_OFTEN, parse_recurrence, read_series
from bot.when import (
    AMPM_MISSING,
    DURATION_NOT_POSITIVE,
    DURATION_TOO_LONG,
    NEEDS_A_TIME,
    NOT_A_TIME_OF_DAY,
    NOTE_BARE_HOUR,
    NOTE_NEXT_WEEKDAY,
    TIME_PASSED,
    UNREADABLE_DURATION,
    in_english,
    parse_day,
    parse_duration,
    read_when,
)
from entities.errors import UserError

KL, KOLKATA = "Asia/Kuala_Lumpur", "Asia/Kolkata"
ZONES = [KL, KOLKATA]
OFFSET = {KL: timedelta(hours=8), KOLKATA: timedelta(hours=5, minutes=30)}

# Wednesday 25 November 2026 at 08:00, then at 23:30, then Thursday 26th at 00:30.
MORNING, LATE, EARLY = "morning", "late", "early"
NOWS = {
    MORNING: (2026, 11, 25, 8, 0),
    LATE: (2026, 11, 25, 23, 30),
    EARLY: (2026, 11, 26, 0, 30),
}
PASSED = None  # refused: the time has already passed


def utc(tz: str, *local: int) -> datetime:
    """The instant of a wall-clock time in `tz` (fixed offsets, worked out by hand)."""
    return datetime(*local, tzinfo=UTC) - OFFSET[tz]


def now_in(tz: str, moment: str) -> datetime:
    return utc(tz, *NOWS[moment])


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    when.warm_up()


def test_the_offsets_used_here_are_the_zones_own():
    for tz in ZONES:
        for moment in NOWS:
            local = datetime(*NOWS[moment], tzinfo=ZoneInfo(tz))
            assert now_in(tz, moment) == local.astimezone(UTC)


# --- the phrases, in both zones, in the morning and around midnight --------------

# Local (month, day, hour, minute) each phrase names, at MORNING, LATE and EARLY.
TOMORROW_3PM = {MORNING: (11, 26, 15, 0), LATE: (11, 26, 15, 0), EARLY: (11, 27, 15, 0)}
DAY_AFTER_10AM = {MORNING: (11, 27, 10, 0), LATE: (11, 27, 10, 0), EARLY: (11, 28, 10, 0)}
NEXT_MONDAY_9AM = {MORNING: (11, 30, 9, 0), LATE: (11, 30, 9, 0), EARLY: (11, 30, 9, 0)}
IN_2_HOURS = {MORNING: (11, 25, 10, 0), LATE: (11, 26, 1, 30), EARLY: (11, 26, 2, 30)}
PHRASES = {
    # Malay
    "esok 3 petang": TOMORROW_3PM,
    "lusa 10 pagi": DAY_AFTER_10AM,
    "Isnin depan 9 pagi": NEXT_MONDAY_9AM,
    "hari ini pukul 4 petang": {MORNING: (11, 25, 16, 0), LATE: PASSED, EARLY: (11, 26, 16, 0)},
    "tengah hari": {MORNING: (11, 25, 12, 0), LATE: (11, 26, 12, 0), EARLY: (11, 26, 12, 0)},
    "malam ini 8": {MORNING: (11, 25, 20, 0), LATE: PASSED, EARLY: (11, 26, 20, 0)},
    "dalam 2 jam": IN_2_HOURS,
    # Hindi
    "कल दोपहर 3 बजे": TOMORROW_3PM,
    "परसों सुबह 10 बजे": DAY_AFTER_10AM,
    "अगले सोमवार सुबह 9 बजे": NEXT_MONDAY_9AM,
    "आज शाम 5 बजे": {MORNING: (11, 25, 17, 0), LATE: PASSED, EARLY: (11, 26, 17, 0)},
    "2 घंटे में": IN_2_HOURS,
    # Hinglish, and Devanagari digits
    "kal 3 baje": TOMORROW_3PM,
    "somvar subah 9 baje": NEXT_MONDAY_9AM,
    "कल ३ बजे": TOMORROW_3PM,
}
CASES = [
    (text, tz, moment) for text in PHRASES for tz in ZONES for moment in (MORNING, LATE, EARLY)
]


@pytest.mark.parametrize(("text", "tz", "moment"), CASES)
def test_each_phrase_reads_to_its_instant(text, tz, moment):
    local = PHRASES[text][moment]
    now = now_in(tz, moment)
    if local is PASSED:
        with pytest.raises(UserError) as caught:
            read_when(text, now, tz)
        assert caught.value.message == TIME_PASSED
        assert caught.value.params["text"] == text  # the user's own words, not our English
        return
    read = read_when(text, now, tz)
    assert read.start == utc(tz, 2026, *local), (text, read.start)
    assert read.duration is None


def test_some_instants_written_out_in_utc():
    morning_kl, morning_kolkata = now_in(KL, MORNING), now_in(KOLKATA, MORNING)
    assert morning_kl == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
    assert morning_kolkata == datetime(2026, 11, 25, 2, 30, tzinfo=UTC)
    assert read_when("esok 3 petang", morning_kl, KL).start == datetime(
        2026, 11, 26, 7, 0, tzinfo=UTC
    )
    assert read_when("कल दोपहर 3 बजे", morning_kolkata, KOLKATA).start == datetime(
        2026, 11, 26, 9, 30, tzinfo=UTC
    )
    late_kl = now_in(KL, LATE)
    assert late_kl == datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    assert read_when("dalam 2 jam", late_kl, KL).start == datetime(2026, 11, 25, 17, 30, tzinfo=UTC)
    early_kolkata = now_in(KOLKATA, EARLY)
    assert early_kolkata == datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
    assert read_when("परसों सुबह 10 बजे", early_kolkata, KOLKATA).start == datetime(
        2026, 11, 28, 4, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("moment", list(NOWS))
@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(
    ("said", "english"),
    [
        ("Isnin depan 9 pagi", "next monday 9am"),
        ("अगले सोमवार सुबह 9 बजे", "next monday 9am"),
        ("Jumaat depan 4 petang", "next friday 4pm"),  # on a Wednesday: a note
        ("agle shukravar shaam 4 baje", "next friday 4pm"),
        ("esok 3 petang", "tomorrow 3pm"),
        ("kal 3 baje", "tomorrow 3"),  # a bare hour, with its note
        ("lusa 10 pagi", "day after tomorrow 10am"),
        ("Isnin minggu depan 9 pagi", "monday next week 9am"),
        ("esok 10-11 pagi", "tomorrow 10am-11am"),
        ("3-4 petang", "3pm-4pm"),
    ],
)
def test_a_phrase_reads_as_its_english_does(said, english, tz, moment):
    now = now_in(tz, moment)
    assert read_when(said, now, tz) == read_when(english, now, tz)


def test_next_weekday_keeps_its_note_and_a_bare_hour_its_note():
    now = now_in(KL, MORNING)  # a Wednesday
    (note,) = read_when("Jumaat depan 4 petang", now, KL).notes
    assert note.message == NOTE_NEXT_WEEKDAY
    assert note.params == {"day": "friday", "took": "2026-11-27", "other": "2026-12-04"}
    (note,) = read_when("kal 3 baje", now, KL).notes
    assert note.message == NOTE_BARE_HOUR
    assert note.params == {"hour": "3", "time": "15:00"}
    assert read_when("कल दोपहर 3 बजे", now, KL).notes == ()  # दोपहर says pm


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("9 malam", (11, 25, 21, 0)),  # malam: evening, pm
        ("रात 9 बजे", (11, 25, 21, 0)),
        ("raat 9 baje", (11, 25, 21, 0)),
        ("shaam 6 baje", (11, 25, 18, 0)),
        ("dopahar 12 baje", (11, 25, 12, 0)),  # noon, not midnight
        ("12 tengah hari", (11, 25, 12, 0)),
        ("esok 12 tengah malam", (11, 26, 0, 0)),  # as `tomorrow midnight` reads
        ("esok 3.30 petang", (11, 26, 15, 30)),
        ("esok 15:00 petang", (11, 26, 15, 0)),  # already on the 24-hour clock
        ("pukul 3 petang esok", (11, 26, 15, 0)),
        ("esok jam 9 pagi", (11, 26, 9, 0)),
        ("esok pagi pukul 9", (11, 26, 9, 0)),
        ("Esok 3 PETANG", (11, 26, 15, 0)),
        ("गुरुवार को दोपहर 2 बजे", (11, 26, 14, 0)),
        ("Khamis 2 petang", (11, 26, 14, 0)),
        ("ahad 11 pagi", (11, 29, 11, 0)),
        ("Rabu 4 petang", (11, 25, 16, 0)),  # today, still ahead
        ("hari Sabtu 10 pagi", (11, 28, 10, 0)),
        ("अगले हफ़्ते सोमवार सुबह 9 बजे", (11, 30, 9, 0)),
        ("दोपहर साढ़े 3 बजे", (11, 25, 15, 30)),
        ("सुबह सवा 9 बजे", (11, 25, 9, 15)),
        ("दोपहर पौने 1 बजे", (11, 25, 12, 45)),
        ("2 jam lagi", (11, 25, 10, 0)),
        ("30 minit lagi", (11, 25, 8, 30)),
        ("2 ghante mein", (11, 25, 10, 0)),
        ("5 Dis 3 petang", (12, 5, 15, 0)),  # dateparser's Malay months
        ("5 दिसंबर 15:00", (12, 5, 15, 0)),  # and Hindi ones
        ("५ दिसंबर १५:००", (12, 5, 15, 0)),
    ],
)
def test_more_ways_to_say_a_time(text, local):
    now = now_in(KL, MORNING)
    assert read_when(text, now, KL).start == utc(KL, 2026, *local), text


def test_a_range_said_with_a_part_of_the_day_gives_a_length():
    now = now_in(KOLKATA, MORNING)
    read = read_when("सुबह 10-11 बजे", now, KOLKATA)
    assert read.start == utc(KOLKATA, 2026, 11, 25, 10, 0)
    assert read.duration == timedelta(hours=1)
    read = read_when("esok 2-3.30 petang", now, KOLKATA)
    assert read.start == utc(KOLKATA, 2026, 11, 26, 14, 0)
    assert read.duration == timedelta(minutes=90)


# --- refusals stay what they were --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "params"),
    [
        ("esok pagi", NEEDS_A_TIME, {"text": "esok pagi"}),
        ("hari ini", NEEDS_A_TIME, {"text": "hari ini"}),
        ("कल", NEEDS_A_TIME, {"text": "कल"}),
        ("esok 25 petang", NOT_A_TIME_OF_DAY, {"time": "25"}),
        ("esok 15 pagi", NOT_A_TIME_OF_DAY, {"time": "15"}),  # as `15am` is refused
        (
            "kal 3:30 baje",
            AMPM_MISSING,
            {"time": "3:30", "morning": "03:30", "afternoon": "15:30"},
        ),
    ],
)
def test_refusals_are_the_english_ones_with_the_users_words(text, message, params):
    with pytest.raises(UserError) as caught:
        read_when(text, now_in(KL, MORNING), KL)
    assert caught.value.message == message
    assert caught.value.params == params
    assert caught.value.field == "when"


def test_a_passed_time_shows_the_reading():
    with pytest.raises(UserError) as caught:
        read_when("आज शाम 5 बजे", now_in(KOLKATA, LATE), KOLKATA)
    assert caught.value.message == TIME_PASSED
    assert caught.value.params == {"text": "आज शाम 5 बजे", "when": "2026-11-25 17:00"}


# --- English reads as it always has -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tomorrow 3pm",
        "at 3",
        "3 to 4pm",
        "tonight 8",
        "next monday 9am",
        "in 2 hours",
        "Dec 3 14:00",
        "every mon and wed at 10",
        "for 1h30",
        "monday and wednesday 9am 10 times",
        "2026-12-03T14:00Z",
        "between 11 and 1",
        "half an hour",
    ],
)
def test_english_is_left_as_it_came(text):
    assert in_english(text) == text


@pytest.mark.parametrize("text", [*PHRASES, "setiap 2 minggu", "1 घंटे के लिए", "हर हफ़्ते"])
def test_reading_twice_changes_nothing(text):
    # bot/recurrence.py rewrites a series, then hands its time to read_when, which does too.
    said = in_english(text)
    assert said != text
    assert in_english(said) == said


# --- lengths --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("selama 1 jam", 60),
        ("45 minit", 45),
        ("1 jam 30 minit", 90),
        ("setengah jam", 30),
        ("1 jam setengah", 90),
        ("1 घंटे के लिए", 60),
        ("45 मिनट", 45),
        ("४५ मिनट", 45),
        ("for 1 घंटे", 60),
        ("for 45 मिनट", 45),
        ("1 घंटा 30 मिनट", 90),
        ("आधे घंटे के लिए", 30),
        ("डेढ़ घंटे", 90),
        ("1 ghanta", 60),
        ("2 ghante ke liye", 120),
        ("45 minat", 45),
    ],
)
def test_lengths(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selama 9 jam", DURATION_TOO_LONG),
        ("0 minit", DURATION_NOT_POSITIVE),
        ("selama banyak", UNREADABLE_DURATION),
    ],
)
def test_refused_lengths_quote_what_was_typed(text, message):
    with pytest.raises(UserError) as caught:
        parse_duration(text)
    assert caught.value.message == message
    assert caught.value.params["text"] == text


def test_a_lead_in_malay_or_hindi():
    assert when.parse_lead("30 minit") == timedelta(minutes=30)
    assert when.parse_lead("2 घंटे") == timedelta(hours=2)
    assert when.parse_lead("1 hari") == timedelta(days=1)


# --- days (skip) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("esok", date(2026, 11, 26)),
        ("lusa", date(2026, 11, 27)),
        ("Isnin depan", date(2026, 11, 30)),
        ("सोमवार", date(2026, 11, 30)),
        ("kal", date(2026, 11, 26)),
        ("परसों", date(2026, 11, 27)),  # dateparser alone reads it as two days ago
        ("31 Dis", date(2026, 12, 31)),
        ("३१ दिसंबर", date(2026, 12, 31)),
    ],
)
@pytest.mark.parametrize("tz", ZONES)
def test_days(text, day, tz):
    assert parse_day(text, now_in(tz, MORNING), tz) == day


def test_days_just_after_midnight():
    assert parse_day("esok", now_in(KL, EARLY), KL) == date(2026, 11, 27)
    assert parse_day("kal", now_in(KOLKATA, LATE), KOLKATA) == date(2026, 11, 26)


# --- series ---------------------------------------------------------------------------------

WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
# (typed, rrule, local first meeting at MORNING, LATE and EARLY)
SERIES = [
    ("setiap Isnin 9 pagi", "FREQ=WEEKLY;BYDAY=MO", NEXT_MONDAY_9AM),
    (
        "setiap hari bekerja 9 pagi",
        WEEKDAYS,
        {MORNING: (11, 25, 9, 0), LATE: (11, 26, 9, 0), EARLY: (11, 26, 9, 0)},
    ),
    ("हर सोमवार सुबह 9 बजे", "FREQ=WEEKLY;BYDAY=MO", NEXT_MONDAY_9AM),
    ("har somvar subah 9 baje", "FREQ=WEEKLY;BYDAY=MO", NEXT_MONDAY_9AM),
    (
        "Isnin dan Rabu 10 pagi",  # after `setiap` was taken as the clause word
        "FREQ=WEEKLY;BYDAY=MO,WE",
        {MORNING: (11, 25, 10, 0), LATE: (11, 30, 10, 0), EARLY: (11, 30, 10, 0)},
    ),
    (
        "hari 9 pagi",
        "FREQ=DAILY",
        {MORNING: (11, 25, 9, 0), LATE: (11, 26, 9, 0), EARLY: (11, 26, 9, 0)},
    ),
    ("हर दूसरे सोमवार सुबह 9 बजे", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", NEXT_MONDAY_9AM),
]


@pytest.mark.parametrize("moment", list(NOWS))
@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("text", "rrule", "first"), SERIES)
def test_series_said_in_malay_and_hindi(text, rrule, first, tz, moment):
    read, recurrence = read_series(text, now_in(tz, moment), tz)
    assert recurrence.rrule == rrule
    assert read.start == utc(tz, 2026, *first[moment])


@pytest.mark.parametrize(
    ("text", "rrule"),
    [
        ("setiap 2 minggu", "FREQ=WEEKLY;INTERVAL=2"),
        ("2 minggu", "FREQ=WEEKLY;INTERVAL=2"),
        ("dua minggu", "FREQ=WEEKLY;INTERVAL=2"),
        ("minggu", "FREQ=WEEKLY"),
        ("हर हफ़्ते", "FREQ=WEEKLY"),
        ("\u0939\u095e\u094d\u0924\u0947", "FREQ=WEEKLY"),  # हफ़्ते, फ़ as one character
        ("हर हफ्ते", "FREQ=WEEKLY"),  # without the nukta
        ("har hafte", "FREQ=WEEKLY"),
        ("हर दिन", "FREQ=DAILY"),
        ("setiap hari", "FREQ=DAILY"),
        ("minggu 4 kali", "FREQ=WEEKLY;COUNT=4"),
        ("हफ़्ते 4 बार", "FREQ=WEEKLY;COUNT=4"),
    ],
)
@pytest.mark.parametrize("tz", ZONES)
def test_how_often(text, rrule, tz):
    first = utc(tz, 2026, 11, 26, 15, 0)  # Thursday 15:00
    assert parse_recurrence(text, first, tz).rrule == rrule


def test_an_end_date_in_malay_or_hindi():
    first = utc(KL, 2026, 11, 26, 15, 0)
    now = now_in(KL, MORNING)
    for until in ("31 Dis", "३१ दिसंबर"):
        rule = parse_recurrence("minggu", first, KL, until, now=now).rrule
        assert rule == "FREQ=WEEKLY;UNTIL=20261231T235959", until


def test_every_hour_is_still_too_often():
    with pytest.raises(UserError) as caught:
        parse_recurrence("setiap 2 jam", utc(KL, 2026, 11, 26, 15, 0), KL)
    assert caught.value.message == TOO_OFTEN
    assert caught.value.params == {"text": "2 hours"}  # as `every 2 hours` reads


# --- the command's clause words -------------------------------------------------------------


def test_malay_clause_words():
    command = parse_command(
        'schedule "Jualan" esok 3 petang selama 1 jam dengan @ravi '
        "melalui https://zoom.us/j/1 setiap 2 minggu"
    )
    assert command == Schedule(
        title="Jualan",
        when="esok 3 petang",
        duration="1 jam",
        attendees="@ravi",
        venue="https://zoom.us/j/1",
        every="2 minggu",
    )
    # Written back with the English words, it is the same command.
    assert parse_command(command_text(command)) == command
    assert command_text(command) == (
        'schedule "Jualan" esok 3 petang every 2 minggu for 1 jam with @ravi '
        "via https://zoom.us/j/1"
    )


def test_setiap_and_har_first_hold_the_time_as_every_does():
    assert parse_command('schedule "Jualan" setiap Isnin 9 pagi') == Schedule(
        title="Jualan", when="", every="Isnin 9 pagi"
    )
    assert parse_command('schedule "बिक्री" हर सोमवार सुबह 9 बजे') == Schedule(
        title="बिक्री", when="", every="सोमवार सुबह 9 बजे"
    )
    assert parse_command('schedule "X" kal 3 baje har hafte') == Schedule(
        title="X", when="kal 3 baje", every="hafte"
    )


def test_hindi_times_with_english_clause_words():
    assert parse_command('schedule "बिक्री बैठक" कल दोपहर 3 बजे for 1h') == Schedule(
        title="बिक्री बैठक", when="कल दोपहर 3 बजे", duration="1h"
    )


@pytest.mark.parametrize(
    ("rest", "when_", "duration", "minutes", "attendees"),
    [
        ("कल दोपहर 3 बजे 1 घंटे के लिए", "कल दोपहर 3 बजे", "1 घंटे", 60, None),
        ("कल 3 बजे 1 घंटे 30 मिनट के लिए", "कल 3 बजे", "1 घंटे 30 मिनट", 90, None),
        ("kal 3 baje 45 minat ke liye with @sam", "kal 3 baje", "45 minat", 45, "@sam"),
        ("कल 3 बजे डेढ़ घंटे के लिए", "कल 3 बजे", "डेढ़ घंटे", 90, None),
        ("कल 3 बजे with @sam 2 घंटे के लिए", "कल 3 बजे", "2 घंटे", 120, "@sam"),
    ],
)
def test_a_hindi_length_after_the_time_is_the_duration(rest, when_, duration, minutes, attendees):
    command = parse_command(f'schedule "X" {rest}')
    assert command == Schedule(title="X", when=when_, duration=duration, attendees=attendees)
    assert parse_duration(command.duration) == timedelta(minutes=minutes)


def test_a_hindi_length_and_for_is_one_length_too_many():
    with pytest.raises(UserError) as caught:
        parse_command('schedule "X" कल 3 बजे 1 घंटे के लिए for 1h')
    assert caught.value.message == "Say “{keyword}” only once."
    assert caught.value.field == "duration"


def test_edit_takes_a_hindi_length():
    command = parse_command("edit #3 1 घंटे के लिए")
    assert command.number == 3
    assert command.duration == "1 घंटे"
