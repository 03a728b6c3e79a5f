"""Issue 12, "Times", end to end: `/salesmeet schedule` (and `move`) with the times people
type, through the real app, in Kuala Lumpur (maya), Mumbai (ravi), New York (sam) and
London (olivia), on a Wednesday, a Friday, a Sunday and around a DST change."""

from datetime import UTC, datetime, timedelta


def expect_refusal(team, person, typed, *phrases):
    """`typed` is refused: the reason only for them, nothing stored, nothing posted."""
    person.says(typed)
    answer = person.answer()
    assert answer["response_type"] == "ephemeral"
    for phrase in phrases:
        assert phrase in answer.text, answer.text
    assert team.upcoming() == []
    return answer.text


# Wednesday 25 November 2026: 08:00 in Kuala Lumpur, 05:30 in Mumbai, 00:00 in London.
WEDNESDAY_8AM_KL = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)


def test_a_weekday_today_is_today_while_the_time_is_ahead(team, maya, ravi):
    team.clock.set(WEDNESDAY_8AM_KL)
    maya.says('/salesmeet schedule "Forecast" wed 4pm')
    assert "#1" in maya.sees()
    assert team.meeting(1).starts_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    ravi.says('/salesmeet schedule "Pipeline" this wednesday 4pm')
    assert team.meeting(2).starts_at == datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
    maya.says('/salesmeet schedule "Early" wed 7am')  # passed today: a week on
    assert team.meeting(3).starts_at == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)


def test_natural_phrases_on_a_wednesday(team, maya):
    team.clock.set(WEDNESDAY_8AM_KL)
    typed = {
        "tmrw 3pm": datetime(2026, 11, 26, 7, 0, tzinfo=UTC),
        "tuesday at 10": datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
        "next week mon 9am": datetime(2026, 11, 30, 1, 0, tzinfo=UTC),
        "noon": datetime(2026, 11, 25, 4, 0, tzinfo=UTC),
        "at 3": datetime(2026, 11, 25, 7, 0, tzinfo=UTC),
        "next friday 4pm": datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        "friday next week 4pm": datetime(2026, 12, 4, 8, 0, tzinfo=UTC),
    }
    for number, (when, starts) in enumerate(typed.items(), start=1):
        maya.says(f'/salesmeet schedule "Meeting {number}" {when}')
        assert f"#{number}" in maya.sees(), when
        assert team.meeting(number).starts_at == starts, when


def test_a_range_gives_the_length(team, sam):
    # Sam in New York: 20:00 on Tuesday 24 November.
    team.clock.set(datetime(2026, 11, 25, 1, 0, tzinfo=UTC))
    sam.says('/salesmeet schedule "Demo" tomorrow from 3pm to 4:30pm with @ravi')
    assert "#1" in sam.sees()
    meeting = team.meeting(1)
    assert meeting.starts_at == datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    assert meeting.duration == timedelta(minutes=90)
    sam.says('/salesmeet schedule "Sync" wed 3–4pm')
    assert team.meeting(2).duration == timedelta(hours=1)


def test_natural_durations(team, maya):
    maya.says('/salesmeet schedule "A" tomorrow 3pm for half an hour')
    maya.says('/salesmeet schedule "B" tomorrow 4pm for an hour')
    maya.says('/salesmeet schedule "C" tomorrow 5pm for 1.5 hours')
    assert [team.meeting(n).duration for n in (1, 2, 3)] == [
        timedelta(minutes=30),
        timedelta(hours=1),
        timedelta(minutes=90),
    ]


def test_a_leading_recurrence_holds_the_time(team, maya, ravi):
    team.clock.set(WEDNESDAY_8AM_KL)
    maya.says('/salesmeet schedule "Weekly forecast" every monday 9am for 45m with @ravi')
    assert "#1" in maya.sees()
    meeting = team.meeting(1)
    assert meeting.rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert meeting.starts_at == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert meeting.duration == timedelta(minutes=45)
    # Ravi in Mumbai, 05:30 on Wednesday: today's 10:00 is the first.
    ravi.says('/salesmeet schedule "Standup" weekly on mon and wed at 10')
    assert team.meeting(2).rrule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert team.meeting(2).starts_at == datetime(2026, 11, 25, 4, 30, tzinfo=UTC)
    maya.says('/salesmeet schedule "Daily" every day at 9 until dec 20')
    assert team.meeting(3).rrule == "FREQ=DAILY;UNTIL=20261220T235959"
    assert team.meeting(3).starts_at == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # today
    maya.says('/salesmeet schedule "Renewals" every last friday of the month 4pm')
    assert team.meeting(4).rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    assert team.meeting(4).starts_at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    maya.says('/salesmeet schedule "Old order" mon 9am every week')
    assert team.meeting(5).rrule == "FREQ=WEEKLY"
    assert team.meeting(5).starts_at == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def test_every_weekday_on_a_friday_evening_starts_on_monday(team, olivia):
    # Olivia in London: Friday 27 November, 18:00.
    team.clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=UTC))
    olivia.says('/salesmeet schedule "Standup" every weekday 9am')
    assert team.meeting(1).starts_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    olivia.says('/salesmeet schedule "Retro" every other friday 4pm')
    assert team.meeting(2).starts_at == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


def test_a_sunday_in_london(team, olivia):
    team.clock.set(datetime(2026, 11, 29, 10, 0, tzinfo=UTC))  # Sunday 10:00 GMT
    olivia.says('/salesmeet schedule "Prep" sun 4pm')
    assert team.meeting(1).starts_at == datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
    olivia.says('/salesmeet schedule "Kickoff" next monday 9am')
    assert team.meeting(2).starts_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_across_new_yorks_fall_back(team, sam):
    # Friday 30 October 2026, 12:00 EDT; clocks fall back on Sunday 1 November.
    team.clock.set(datetime(2026, 10, 30, 16, 0, tzinfo=UTC))
    sam.says('/salesmeet schedule "Pipeline" every monday 9am')
    assert team.meeting(1).starts_at == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # EST
    sam.says('/salesmeet schedule "Friday wrap" fri 4pm-5pm')
    assert team.meeting(2).starts_at == datetime(2026, 10, 30, 20, 0, tzinfo=UTC)  # EDT


def test_move_reads_weekdays_the_same_way(team, maya):
    team.clock.set(WEDNESDAY_8AM_KL)
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    maya.says("/salesmeet move #1 wed 5pm")
    assert "moved #1" in maya.sees().lower() or "#1" in maya.sees()
    meeting = team.meeting(1)
    assert meeting.next_occurrence(team.clock.now()).start == datetime(
        2026, 11, 25, 9, 0, tzinfo=UTC
    )


def test_unhappy_paths_say_what_was_wrong_and_how_to_write_it(team, maya):
    team.clock.set(WEDNESDAY_8AM_KL)
    expect_refusal(team, maya, '/salesmeet schedule "A" tomorrow 25:00', "not a time of day")
    expect_refusal(team, maya, '/salesmeet schedule "A" tomorrow 3:30', "am or pm", "15:30")
    expect_refusal(
        team, maya, '/salesmeet schedule "A" Dec 3 3pm - Dec 4 4pm', "same day", "3pm-4:30pm"
    )
    expect_refusal(
        team, maya, '/salesmeet schedule "A" tomorrow 3pm-4pm for 1h', "one length too many"
    )
    expect_refusal(team, maya, '/salesmeet schedule "A" today 7am', "already passed")
    expect_refusal(team, maya, '/salesmeet schedule "A" every monday', "what time")
    shown = expect_refusal(team, maya, '/salesmeet schedule "A" tuesday at 99', "not a time")
    assert "gives a day but not a time of day" not in shown
