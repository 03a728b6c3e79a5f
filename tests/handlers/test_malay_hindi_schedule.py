"""Issue 13, "Typing in Malay and Hindi", end to end: maya (Kuala Lumpur, UTC+8) schedules
with Malay times and clause words, ravi (Mumbai, UTC+5:30) with Hindi and Hinglish times
and the English clause words, through the real app.

Neither zone changes its offset, so every expected instant below is the local time worked
out by hand, written in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.messages import token_times

# Wednesday 25 November 2026: 08:00 in Kuala Lumpur, 05:30 in Mumbai.
WEDNESDAY_MORNING = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def at(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def books(team, person, number: int, typed: str):
    """`person` schedules meeting `number` with `typed` after `schedule`; the stored one."""
    person.says(f"/salesmeet schedule {typed}")
    shown = person.sees()
    meeting = team.meeting(number)
    assert meeting is not None, (typed, shown)
    assert f"#{number}" in shown, (typed, shown)
    assert token_times(shown)[0] == meeting.starts_at, (typed, shown)  # what they are told
    return meeting


def refused(team, person, typed: str, *phrases: str) -> str:
    """`typed` is refused, to them alone, saying `phrases`; nothing is stored."""
    before = team.upcoming()
    person.says(f"/salesmeet schedule {typed}")
    answer = person.answer()
    assert answer["response_type"] == "ephemeral", typed
    for phrase in phrases:
        assert phrase in answer.text, (typed, answer.text)
    assert team.upcoming() == before, typed
    return answer.text


# (typed after `schedule`, start, minutes, rrule)
MALAY = [
    ('"Jualan" esok 3 petang', at(2026, 11, 26, 7, 0), 30, None),
    ('"Jualan" lusa 10 pagi', at(2026, 11, 27, 2, 0), 30, None),
    ('"Jualan" Isnin depan 9 pagi', at(2026, 11, 30, 1, 0), 30, None),
    ('"Jualan" hari ini pukul 4 petang', at(2026, 11, 25, 8, 0), 30, None),
    ('"Jualan" tengah hari selama 45 minit', at(2026, 11, 25, 4, 0), 45, None),
    ('"Jualan" malam ini 8', at(2026, 11, 25, 12, 0), 30, None),
    ('"Jualan" dalam 2 jam selama 1 jam', at(2026, 11, 25, 2, 0), 60, None),
    ('"Jualan" setiap Isnin 9 pagi', at(2026, 11, 30, 1, 0), 30, "FREQ=WEEKLY;BYDAY=MO"),
    ('"Jualan" setiap hari bekerja 9 pagi', at(2026, 11, 25, 1, 0), 30, WEEKDAYS),
    (
        '"Jualan" esok 3 petang setiap 2 minggu',
        at(2026, 11, 26, 7, 0),
        30,
        "FREQ=WEEKLY;INTERVAL=2",
    ),
    ('"Jualan" Khamis 2-3.30 petang', at(2026, 11, 26, 6, 0), 90, None),
]


def test_maya_schedules_in_malay(team, maya):
    team.clock.set(WEDNESDAY_MORNING)
    for number, (typed, start, minutes, rrule) in enumerate(MALAY, start=1):
        meeting = books(team, maya, number, typed)
        assert meeting.starts_at == start, (typed, meeting.starts_at)
        assert meeting.duration == timedelta(minutes=minutes), typed
        assert meeting.rrule == rrule, typed
        assert meeting.title == "Jualan"


def test_malay_clause_words(team, maya):
    team.clock.set(WEDNESDAY_MORNING)
    meeting = books(
        team,
        maya,
        1,
        '"Jualan" esok 3 petang selama 1 jam dengan @ravi melalui https://zoom.us/j/1 '
        "setiap minggu 4 kali",
    )
    assert meeting.starts_at == at(2026, 11, 26, 7, 0)
    assert meeting.duration == timedelta(hours=1)
    assert [a.user_id for a in meeting.attendees] == ["URAVI"]
    assert meeting.venue.link == "https://zoom.us/j/1"
    assert meeting.rrule == "FREQ=WEEKLY;COUNT=4"


# Wednesday 05:30 in Mumbai.
HINDI = [
    ('"बिक्री बैठक" कल दोपहर 3 बजे for 1h', at(2026, 11, 26, 9, 30), 60, None),
    ('"बैठक 2" कल दोपहर 3 बजे 1 घंटे के लिए', at(2026, 11, 26, 9, 30), 60, None),
    ('"बैठक 3" परसों सुबह 10 बजे for 45 मिनट', at(2026, 11, 27, 4, 30), 45, None),
    ('"बैठक 4" अगले सोमवार सुबह 9 बजे', at(2026, 11, 30, 3, 30), 30, None),
    ('"बैठक 5" आज शाम 5 बजे for 1 घंटे', at(2026, 11, 25, 11, 30), 60, None),
    ('"बैठक 6" 2 घंटे में', at(2026, 11, 25, 2, 0), 30, None),
    ('"बैठक 7" हर सोमवार सुबह 9 बजे', at(2026, 11, 30, 3, 30), 30, "FREQ=WEEKLY;BYDAY=MO"),
    ('"बैठक 8" कल सुबह 10 बजे every हफ़्ते', at(2026, 11, 26, 4, 30), 30, "FREQ=WEEKLY"),
    ('"Sync 9" kal 3 baje', at(2026, 11, 26, 9, 30), 30, None),
    ('"Sync 10" somvar subah 9 baje', at(2026, 11, 30, 3, 30), 30, None),
    ('"Sync 11" kal 3 baje har hafte', at(2026, 11, 26, 9, 30), 30, "FREQ=WEEKLY"),
    ('"Sync 12" कल ४ बजे 45 मिनट के लिए', at(2026, 11, 26, 10, 30), 45, None),
]


def test_ravi_schedules_in_hindi_and_hinglish(team, ravi):
    team.clock.set(WEDNESDAY_MORNING)
    for number, (typed, start, minutes, rrule) in enumerate(HINDI, start=1):
        meeting = books(team, ravi, number, typed)
        assert meeting.starts_at == start, (typed, meeting.starts_at)
        assert meeting.duration == timedelta(minutes=minutes), typed
        assert meeting.rrule == rrule, typed
    assert team.meeting(1).title == "बिक्री बैठक"


def test_around_midnight(team, maya, ravi):
    team.clock.set(at(2026, 11, 25, 16, 30))  # Thursday 00:30 in KL, Wednesday 22:00 in Mumbai
    meeting = books(team, maya, 1, '"Jualan" esok 3 petang')
    assert meeting.starts_at == at(2026, 11, 27, 7, 0)  # Friday 15:00 in KL
    meeting = books(team, ravi, 2, '"बैठक" कल दोपहर 3 बजे')
    assert meeting.starts_at == at(2026, 11, 26, 9, 30)  # Thursday 15:00 in Mumbai
    meeting = books(team, maya, 3, '"Jualan" dalam 2 jam')
    assert meeting.starts_at == at(2026, 11, 25, 18, 30)
    team.clock.set(at(2026, 11, 25, 18, 0))  # Wednesday 23:30 in Mumbai
    meeting = books(team, ravi, 4, '"बैठक" kal dopahar 3 baje')
    assert meeting.starts_at == at(2026, 11, 26, 9, 30)
    shown = refused(team, ravi, '"बैठक" आज शाम 5 बजे')
    assert "2026-11-25 17:00" in shown  # the reading it refused, as a date


def test_refusals(team, maya, ravi):
    team.clock.set(WEDNESDAY_MORNING)
    shown = refused(team, maya, '"Jualan" esok pagi', "esok pagi")
    assert "“esok pagi” gives a day but not a time of day" in shown
    refused(team, ravi, '"बैठक" कल 3 बजे 1 घंटे के लिए for 1h', "“for” only once")
    refused(team, maya, '"Jualan" esok 3 petang selama 9 jam', "at most 8 hours")
    assert team.upcoming() == []


def test_move_and_skip_in_malay_and_hindi(team, maya, ravi):
    team.clock.set(WEDNESDAY_MORNING)
    books(team, maya, 1, '"Jualan" setiap Isnin 9 pagi')
    books(team, ravi, 2, '"बैठक" कल दोपहर 3 बजे')
    maya.says("/salesmeet skip #1 Isnin depan")
    maya.sees()
    assert int(at(2026, 11, 30, 1, 0).timestamp()) in team.meeting(1).skipped
    now = team.clock.now()
    assert team.meeting(1).next_occurrence(now).start == at(2026, 12, 7, 1, 0)
    ravi.says("/salesmeet move #2 परसों शाम 4 बजे")
    ravi.sees()
    assert team.meeting(2).next_occurrence(now).start == at(2026, 11, 27, 10, 30)
