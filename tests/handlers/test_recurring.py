"""Recurring meetings through the command: rules, next occurrences, skip, move, DST."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.deliveries import DeliveryStore
from tests.support.messages import token_times


def next_occurrences(person, number: int = 1) -> list[datetime]:
    """The next occurrences `show` lists for the person, as instants."""
    person.says(f"/salesmeet show #{number}")
    return token_times(person.sees().split("Next occurrences")[1])


def reminders(team):
    return team.channel("#sales").posts_saying(":alarm_clock:")


def test_weekly_series_shows_its_next_three_occurrences(maya):
    maya.says('/salesmeet schedule "Weekly forecast" next mon 10am every week 5 times')
    answer = maya.sees()
    assert "#1" in answer and "every week, 5 times" in answer
    maya.says("/salesmeet show #1")
    assert "Next occurrences" in maya.sees()
    # Mondays at 10:00 in Kuala Lumpur (02:00 UTC): 30 Nov, 7 Dec, 14 Dec.
    assert next_occurrences(maya) == [datetime(2026, 11, d, 2, 0, tzinfo=UTC) for d in (30,)] + [
        datetime(2026, 12, d, 2, 0, tzinfo=UTC) for d in (7, 14)
    ]
    maya.says("/salesmeet list")
    assert "Weekly forecast" in maya.sees()


def test_every_weekday_and_until(team, maya):
    maya.says('/salesmeet schedule "Standup" tomorrow 9am every weekday until Dec 4')
    now = team.clock.now()
    starts = [o.start for o in team.meeting(1).occurrences(now, now + timedelta(days=30))]
    # Tue 24 Nov to Fri 4 Dec, weekdays only: 24-27, 30, 1-4 = 9 meetings.
    assert len(starts) == 9
    kl = ZoneInfo("Asia/Kuala_Lumpur")
    assert all(s.astimezone(kl).weekday() < 5 and s.astimezone(kl).hour == 9 for s in starts)


def test_bad_rules_are_refused_with_a_clear_message(team, maya):
    cases = {
        '/salesmeet schedule "A" tomorrow 9am every blue moon': "every",
        '/salesmeet schedule "A" tomorrow 9am every hour': "more than one",
        '/salesmeet schedule "A" tomorrow 9am every week until 2026-11-01': "never",
        '/salesmeet schedule "A" tomorrow 9am until Dec 31': "goes with",
    }
    for typed, phrase in cases.items():
        maya.says(typed)
        answer = maya.sees()
        assert phrase in answer.lower() or phrase in answer, (typed, answer)
    assert team.meeting(1) is None


def test_skip_one_occurrence(team, maya):
    maya.says('/salesmeet schedule "Weekly forecast" mon 10am every week')
    maya.says("/salesmeet skip #1 Dec 7")
    assert "will not take place" in maya.sees()
    assert "will not take place" in team.channel("#sales").posts[-1].text
    nexts = next_occurrences(maya)
    assert datetime(2026, 12, 7, 2, 0, tzinfo=UTC) not in nexts
    assert datetime(2026, 12, 14, 2, 0, tzinfo=UTC) in nexts
    # Its posts never go out; the week before it still posts.
    team.clock.set(datetime(2026, 11, 30, 1, 50, tzinfo=UTC))
    team.alarm_rings()
    team.plan_ahead()
    team.clock.set(datetime(2026, 12, 7, 1, 50, tzinfo=UTC))
    team.plan_ahead()
    team.alarm_rings()
    assert [token_times(p.text)[0] for p in reminders(team)] == [
        datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    ]
    rows = DeliveryStore(team.database).for_meeting("T1", 1)
    skipped_key = int(datetime(2026, 12, 7, 2, 0, tzinfo=UTC).timestamp())
    assert {r.state for r in rows if r.occurrence == skipped_key} <= {"skipped"}
    maya.says("/salesmeet skip #1 Dec 8")
    assert "no occurrence on 2026-12-08" in maya.sees()
    maya.says('/salesmeet schedule "One-off" Dec 10 3pm')
    maya.says("/salesmeet skip #2 Dec 10")
    assert "happens once" in maya.sees()


def test_move_one_occurrence_of_a_series(team, maya):
    maya.says('/salesmeet schedule "Weekly forecast" mon 10am every week')
    maya.says("/salesmeet move #1 tue 11am")
    assert "say which occurrence" in maya.sees()
    maya.says("/salesmeet move #1 Dec 7 to Dec 8 11am")
    assert "moved #1" in maya.sees()
    window = team.meeting(1).occurrences(
        datetime(2026, 12, 6, tzinfo=UTC), datetime(2026, 12, 16, tzinfo=UTC)
    )
    assert [o.start for o in window] == [
        datetime(2026, 12, 8, 3, 0, tzinfo=UTC),
        datetime(2026, 12, 14, 2, 0, tzinfo=UTC),
    ]


def test_cancel_ends_the_series(team, maya):
    maya.says('/salesmeet schedule "Weekly forecast" mon 10am every week')
    maya.says("/salesmeet cancel #1")
    assert "Cancelled meeting #1" in maya.sees()
    assert "no more occurrences" in team.channel("#sales").posts[-1].text
    team.clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    team.alarm_rings()
    assert reminders(team) == []


def test_new_york_series_keeps_9am_across_spring_forward(team, sam):
    # Sam in New York: Mondays 9:00 from 8 March 2027; clocks go forward on 14 March.
    team.clock.set(datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    sam.says('/salesmeet schedule "Pipeline" 2027-03-08 09:00 every week')
    assert next_occurrences(sam) == [
        datetime(2027, 3, 8, 14, 0, tzinfo=UTC),  # EST, UTC-5
        datetime(2027, 3, 15, 13, 0, tzinfo=UTC),  # EDT, UTC-4
        datetime(2027, 3, 22, 13, 0, tzinfo=UTC),
    ]
    # The reminder for the first Monday after the change goes out at 08:45 EDT.
    team.clock.set(datetime(2027, 3, 15, 12, 44, tzinfo=UTC))
    team.plan_ahead()
    team.alarm_rings()
    before = len(reminders(team))
    team.time_passes(minutes=1)
    after = reminders(team)
    assert len(after) == before + 1
    assert token_times(after[-1].text)[0] == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)


def test_london_series_keeps_9am_across_fall_back(team, olivia):
    team.clock.set(datetime(2027, 10, 18, 12, 0, tzinfo=UTC))
    olivia.says('/salesmeet schedule "Europe pipeline" 2027-10-25 09:00 every week')
    now = team.clock.now()
    starts = [o.start for o in team.meeting(1).occurrences(now, now + timedelta(days=15))]
    # 31 October 2027: BST ends.
    assert starts == [
        datetime(2027, 10, 25, 8, 0, tzinfo=UTC),
        datetime(2027, 11, 1, 9, 0, tzinfo=UTC),
    ]
