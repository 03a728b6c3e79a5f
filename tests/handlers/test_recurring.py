"""Recurring meetings through the command: rules, next occurrences, skip, move, DST."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.deliveries import DeliveryStore
from storage.meetings import MeetingStore
from tests.support.messages import DATE_TOKEN, text_of


def token_times(text: str) -> list[datetime]:
    return [datetime.fromtimestamp(int(e), UTC) for e in DATE_TOKEN.findall(text)]


def test_weekly_series_shows_its_next_three_occurrences(slack):
    answer = text_of(slack.ask('schedule "Weekly forecast" mon 10am every week 5 times'))
    assert "#1" in answer and "every week, 5 times" in answer
    shown = text_of(slack.ask("show #1"))
    assert "Next occurrences" in shown
    # Mondays at 10:00 in Kuala Lumpur (02:00 UTC): 30 Nov, 7 Dec, 14 Dec.
    nexts = token_times(shown.split("Next occurrences")[1])
    assert nexts == [datetime(2026, 11, d, 2, 0, tzinfo=UTC) for d in (30,)] + [
        datetime(2026, 12, d, 2, 0, tzinfo=UTC) for d in (7, 14)
    ]
    assert "Weekly forecast" in text_of(slack.ask("list"))


def test_every_weekday_and_until(slack):
    slack.ask('schedule "Standup" tomorrow 9am every weekday until Dec 4')
    meeting = MeetingStore(slack.database).get("T1", 1)
    starts = [
        o.start
        for o in meeting.occurrences(slack.clock.now(), slack.clock.now() + timedelta(days=30))
    ]
    # Tue 24 Nov to Fri 4 Dec, weekdays only: 24-27, 30, 1-4 = 9 meetings.
    assert len(starts) == 9
    kl = ZoneInfo("Asia/Kuala_Lumpur")
    assert all(s.astimezone(kl).weekday() < 5 and s.astimezone(kl).hour == 9 for s in starts)


def test_bad_rules_are_refused_with_a_clear_message(slack):
    cases = {
        'schedule "A" tomorrow 9am every blue moon': "every",
        'schedule "A" tomorrow 9am every hour': "more than one",
        'schedule "A" tomorrow 9am every week until 2026-11-01': "never",
        'schedule "A" tomorrow 9am until Dec 31': "goes with",
    }
    for text, phrase in cases.items():
        answer = text_of(slack.ask(text))
        assert phrase in answer.lower() or phrase in answer, (text, answer)
    assert MeetingStore(slack.database).get("T1", 1) is None


def test_skip_one_occurrence(slack):
    slack.ask('schedule "Weekly forecast" mon 10am every week')
    answer = text_of(slack.ask("skip #1 Dec 7"))
    assert "will not take place" in answer
    assert "will not take place" in text_of(slack.posts()[-1])
    nexts = token_times(text_of(slack.ask("show #1")).split("Next occurrences")[1])
    assert datetime(2026, 12, 7, 2, 0, tzinfo=UTC) not in nexts
    assert datetime(2026, 12, 14, 2, 0, tzinfo=UTC) in nexts
    # Its posts never go out; the week before it still posts.
    slack.clock.set(datetime(2026, 11, 30, 1, 50, tzinfo=UTC))
    slack.deliver()
    slack.services.planner.extend_horizon()  # as the alarm does every hour
    slack.clock.set(datetime(2026, 12, 7, 1, 50, tzinfo=UTC))
    slack.services.planner.extend_horizon()
    slack.deliver()
    reminders = [p for p in slack.posts() if ":alarm_clock:" in text_of(p)]
    assert [token_times(text_of(p))[0] for p in reminders] == [
        datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    ]
    rows = DeliveryStore(slack.database).for_meeting("T1", 1)
    skipped_key = int(datetime(2026, 12, 7, 2, 0, tzinfo=UTC).timestamp())
    assert {r.state for r in rows if r.occurrence == skipped_key} <= {"skipped"}
    assert "no occurrence on 2026-12-08" in text_of(slack.ask("skip #1 Dec 8"))
    slack.ask('schedule "One-off" Dec 10 3pm')
    assert "happens once" in text_of(slack.ask("skip #2 Dec 10"))


def test_move_one_occurrence_of_a_series(slack):
    slack.ask('schedule "Weekly forecast" mon 10am every week')
    assert "say which occurrence" in text_of(slack.ask("move #1 tue 11am"))
    answer = text_of(slack.ask("move #1 Dec 7 to Dec 8 11am"))
    assert "moved #1" in answer
    meeting = MeetingStore(slack.database).get("T1", 1)
    window = meeting.occurrences(
        datetime(2026, 12, 6, tzinfo=UTC), datetime(2026, 12, 16, tzinfo=UTC)
    )
    assert [o.start for o in window] == [
        datetime(2026, 12, 8, 3, 0, tzinfo=UTC),
        datetime(2026, 12, 14, 2, 0, tzinfo=UTC),
    ]


def test_cancel_ends_the_series(slack):
    slack.ask('schedule "Weekly forecast" mon 10am every week')
    assert "Cancelled meeting #1" in text_of(slack.ask("cancel #1"))
    assert "no more occurrences" in text_of(slack.posts()[-1])
    slack.clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    slack.deliver()
    assert not [p for p in slack.posts() if ":alarm_clock:" in text_of(p)]


def test_new_york_series_keeps_9am_across_spring_forward(slack):
    # Sam in New York: Mondays 9:00 from 8 March 2027; clocks go forward on 14 March.
    slack.clock.set(datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    slack.ask('schedule "Pipeline" 2027-03-08 09:00 every week', user="USAM")
    nexts = token_times(text_of(slack.ask("show #1", user="USAM")).split("Next occurrences")[1])
    assert nexts == [
        datetime(2027, 3, 8, 14, 0, tzinfo=UTC),  # EST, UTC-5
        datetime(2027, 3, 15, 13, 0, tzinfo=UTC),  # EDT, UTC-4
        datetime(2027, 3, 22, 13, 0, tzinfo=UTC),
    ]
    # The reminder for the first Monday after the change goes out at 08:45 EDT.
    slack.clock.set(datetime(2027, 3, 15, 12, 44, tzinfo=UTC))
    slack.services.planner.extend_horizon()
    slack.deliver()
    before = len([p for p in slack.posts() if ":alarm_clock:" in text_of(p)])
    slack.advance(timedelta(minutes=1))
    after = [p for p in slack.posts() if ":alarm_clock:" in text_of(p)]
    assert len(after) == before + 1
    assert token_times(text_of(after[-1]))[0] == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)


def test_london_series_keeps_9am_across_fall_back(slack):
    slack.clock.set(datetime(2027, 10, 18, 12, 0, tzinfo=UTC))
    slack.ask('schedule "Europe pipeline" 2027-10-25 09:00 every week', user="UOLIVIA")
    meeting = MeetingStore(slack.database).get("T1", 1)
    starts = [
        o.start
        for o in meeting.occurrences(slack.clock.now(), slack.clock.now() + timedelta(days=15))
    ]
    # 31 October 2027: BST ends.
    assert starts == [
        datetime(2027, 10, 25, 8, 0, tzinfo=UTC),
        datetime(2027, 11, 1, 9, 0, tzinfo=UTC),
    ]
