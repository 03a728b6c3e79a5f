"""At scheduling time: a meeting that takes someone over the weekly limit, or has more than
8 attendees, is still booked, and the confirmation says so with the figures.

The digest's `booking_notes` hook is tested directly, and through the confirmation.
"""

from bot.i18n import translator
from storage.meetings import MeetingStore
from tests.support.messages import text_of

ADMIN = "UOLIVIA"


def warnings_for(slack, number: int) -> list[str]:
    """The weekly-limit and crowd warnings (clashes and working days: test_booking_warnings)."""
    meeting = MeetingStore(slack.database).get("T1", number)
    notes = slack.services.hooks.booking_notes(translator("en-US"), meeting)
    return [n for n in notes if "working day" not in n and "already has" not in n]


def test_an_attendee_taken_over_the_limit_is_named_with_the_figures(slack):
    slack.ask("config meeting-hours-limit 3", user=ADMIN)
    slack.ask('schedule "Forecast" 2026-11-25 10:00 for 2h with <@URAVI>', user=ADMIN)
    assert warnings_for(slack, 1) == []
    slack.ask('schedule "Deal desk" 2026-11-26 10:00 for 90m with <@URAVI>', user="USAM")
    (warning,) = warnings_for(slack, 2)
    assert "<@URAVI> (3.5 h)" in warning and "limit of 3 h" in warning
    assert "week of Nov 23, 2026" in warning
    assert "USAM" not in warning  # Sam has 1.5 h


def test_a_meeting_in_another_week_does_not_count(slack):
    slack.ask("config meeting-hours-limit 3", user=ADMIN)
    slack.ask('schedule "Forecast" 2026-11-25 10:00 for 2h with <@URAVI>', user=ADMIN)
    slack.ask('schedule "Deal desk" 2026-12-01 10:00 for 90m with <@URAVI>', user="USAM")
    assert warnings_for(slack, 2) == []


def test_more_than_eight_attendees(slack):
    people = slack.members(*(f"UC{i:02d}" for i in range(7)))
    slack.ask(f'schedule "Kick-off" 2026-11-25 10:00 with {people}, jane@acme.com', user=ADMIN)
    (warning,) = warnings_for(slack, 1)
    assert "9 attendees" in warning and "more than the 8" in warning
    slack.ask('schedule "Small" 2026-11-25 12:00 with <@URAVI>', user=ADMIN)
    assert warnings_for(slack, 2) == []


def test_many_people_over_are_one_sentence(slack):
    slack.ask("config meeting-hours-limit 1", user=ADMIN)
    people = slack.members(*(f"UC{i:02d}" for i in range(14)))
    slack.ask(f'schedule "Offsite" 2026-11-25 10:00 for 2h with {people}', user=ADMIN)
    over, crowd = warnings_for(slack, 1)
    assert "and 5 more over the limit of 1 h" in over  # 15 people, 10 named
    assert "15 attendees" in crowd


def test_the_confirmation_warns_and_the_meeting_is_still_booked(slack):
    slack.ask("config meeting-hours-limit 3", user=ADMIN)
    slack.ask('schedule "Forecast" 2026-11-25 10:00 for 2h with <@URAVI>', user=ADMIN)
    answer = text_of(
        slack.ask('schedule "Deal desk" 2026-11-26 10:00 for 90m with <@URAVI>', user="USAM")
    )
    assert "Scheduled meeting #2" in answer
    assert "<@URAVI> (3.5 h)" in answer and "limit of 3 h" in answer
    assert MeetingStore(slack.database).get("T1", 2) is not None


def test_the_confirmation_warns_about_a_crowd(slack):
    people = slack.members(*(f"UC{i:02d}" for i in range(9)))
    answer = text_of(slack.ask(f'schedule "Kick-off" 2026-11-25 10:00 with {people}'))
    assert "Scheduled meeting #1" in answer and "10 attendees" in answer


def test_a_repeated_request_is_not_warned_twice_as_a_new_meeting(slack):
    people = slack.members(*(f"UC{i:02d}" for i in range(9)))
    slack.ask(f'schedule "Kick-off" 2026-11-25 10:00 with {people}')
    again = text_of(slack.ask(f'schedule "Kick-off" 2026-11-25 10:00 with {people}'))
    assert "10 attendees" not in again
