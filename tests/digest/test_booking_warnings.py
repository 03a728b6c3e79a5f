"""Warnings when booking: a clash with someone's other meeting, and a time outside
someone's working day in their own zone. The meeting is booked all the same."""

from datetime import UTC, datetime


def test_a_clash_with_an_attendees_other_meeting_is_named(team, maya, ravi):
    ravi.says('/salesmeet schedule "Pipeline" tomorrow 3pm for 1h')  # 15:00 Mumbai time
    maya.says('/salesmeet schedule "Forecast" tomorrow 5:30pm for 30m with @ravi')
    shown = maya.sees()
    assert "Scheduled meeting #2" in shown
    assert "<@URAVI> already has #1 *Pipeline* then" in shown
    assert team.meeting(2) is not None


def test_back_to_back_meetings_do_not_clash(team, maya, ravi):
    maya.says('/salesmeet schedule "Pipeline" tomorrow 3pm for 1h with @ravi')
    maya.says('/salesmeet schedule "Forecast" tomorrow 4pm for 30m with @ravi')
    assert "already has" not in maya.sees()


def test_outside_someones_working_day_says_both_clocks(team, maya, sam):
    # 09:00 in Kuala Lumpur is 20:00 the day before in New York.
    maya.says('/salesmeet schedule "Forecast" wed 9am with @sam')
    shown = maya.sees()
    assert "09:00 in Kuala Lumpur is 20:00 on Tue for <@USAM> in New York" in shown
    assert team.meeting(1).starts_at == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def test_the_working_day_is_a_workspace_setting(team, maya, sam, olivia):
    olivia.says("/salesmeet config working-day 07:00-21:00")
    assert "07:00–21:00" in olivia.sees()
    maya.says('/salesmeet schedule "Forecast" wed 9am with @sam')
    assert "outside their working day" not in maya.sees()
    olivia.says("/salesmeet config working-day late")
    assert "like `config working-day 08:00-18:00`" in olivia.sees()
