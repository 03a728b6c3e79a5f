"""Quiet channels: a standup gets one channel post per occurrence, and a workspace can
switch agenda prompts, reminders and outcome prompts off."""

from storage.deliveries import DeliveryStore


def posts_of(team, number: int = 1) -> dict[str, int]:
    """Timed posts planned for meeting `number`, by kind (notices and announcements aside)."""
    team.quiet()
    meeting = team.meeting(number)
    kinds: dict[str, int] = {}
    for row in DeliveryStore(team.database).for_meeting("T1", meeting.id):
        if row.kind not in ("announce", "notice"):
            kinds[row.kind] = kinds.get(row.kind, 0) + 1
    return kinds


def two_days_pass(team) -> None:
    for _ in range(48):  # the alarm rings every hour, so nothing is missed for lateness
        team.time_passes(hours=1)


MEETING_POSTS = (":alarm_clock:", "What should we cover?", "What came out of it?")


def channel_posts(team) -> list:
    """The meetings' own timed posts in #sales: reminders, agenda and outcome prompts."""
    return [
        p for p in team.channel("#sales").posts if any(mark in p.text for mark in MEETING_POSTS)
    ]


def test_a_fifteen_minute_standup_gets_only_its_reminder(team, maya):
    maya.says('/salesmeet schedule "Standup" tomorrow 9am for 15m')
    assert posts_of(team) == {"reminder": 1}
    two_days_pass(team)
    (only,) = channel_posts(team)
    assert ":alarm_clock:" in only.text


def test_a_standup_that_asks_for_an_agenda_prompt_gets_one(team, maya):
    maya.says('/salesmeet schedule "Standup" tomorrow 9am for 15m agenda 2h')
    assert posts_of(team) == {"reminder": 1, "agenda": 1}


def test_a_longer_meeting_keeps_its_three_posts(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm for 45m')
    assert posts_of(team) == {"reminder": 1, "agenda": 1, "outcome": 1}


def test_the_workspace_switches_each_post_off_and_pending_ones_follow(team, maya, olivia):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm for 45m')
    olivia.says("/salesmeet config agenda-lead off")
    assert "off" in olivia.sees()
    assert posts_of(team) == {"reminder": 1, "outcome": 1}
    olivia.says("/salesmeet config outcome-prompt off")
    assert posts_of(team) == {"reminder": 1}
    olivia.says("/salesmeet config reminder-lead off")
    assert posts_of(team) == {}
    olivia.says("/salesmeet config")
    shown = olivia.sees()
    assert "`agenda-lead`: off" in shown and "`reminder-lead`: off" in shown
    assert "`outcome-prompt`: off" in shown
    two_days_pass(team)
    assert channel_posts(team) == []
    olivia.says("/salesmeet config reminder-lead 30m")
    maya.says('/salesmeet schedule "Review" in 3 days 3pm')
    assert posts_of(team, 2) == {"reminder": 1}


def test_outcome_prompt_takes_on_or_off_only(team, olivia):
    olivia.says("/salesmeet config outcome-prompt maybe")
    assert "Say `on` or `off`" in olivia.sees()


def test_a_meeting_switches_its_own_prompt_or_reminder_off(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm for 45m agenda off')
    assert "Scheduled meeting #1" in maya.sees()
    assert posts_of(team, 1) == {"reminder": 1, "outcome": 1}
    maya.says('/salesmeet schedule "Review" tomorrow 5pm for 45m reminder off')
    assert posts_of(team, 2) == {"agenda": 1, "outcome": 1}
    maya.says('/salesmeet schedule "Standup" tomorrow 9am for 15m reminder off')
    assert posts_of(team, 3) == {}
    maya.says('/salesmeet schedule "Oops" tomorrow 9am agenda 0m')
    assert "Scheduled" not in maya.sees()
