"""The confirmation says how a time was read where another reading was possible."""

from datetime import UTC, datetime


def test_a_bare_hour_says_the_time_it_took(team, maya):
    # Monday 09:00 in Kuala Lumpur: "tomorrow 3" is read as 15:00.
    maya.says('/salesmeet schedule "Forecast" tomorrow 3')
    shown = maya.sees()
    assert "Scheduled meeting #1" in shown
    assert "without am or pm as 15:00" in shown
    assert team.meeting(1).starts_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def test_next_weekday_says_which_day_it_took_and_how_to_write_the_other(team, maya):
    team.clock.set(datetime(2026, 11, 25, 0, 0, tzinfo=UTC))  # Wednesday 08:00 in KL
    maya.says('/salesmeet schedule "Forecast" next friday 3pm')
    shown = maya.sees()
    assert "Scheduled meeting #1" in shown
    assert "friday next week" in shown.lower()
    assert team.meeting(1).starts_at == datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
