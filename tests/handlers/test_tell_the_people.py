"""A move, skip or cancel tells the people it concerns: the channel notice mentions them,
the announcement is edited in place to show the truth, and an organiser whose meeting a
manager changed hears who did what."""

import json


def updates_of(team, ts: str) -> list[dict]:
    team.quiet()
    return [c.params for c in team.slack.calls_to("chat.update") if c.params.get("ts") == ts]


def announcement(team):
    (post,) = team.channel("#sales").posts_saying("scheduled meeting")
    return post


def test_a_move_mentions_the_attendees_and_edits_the_announcement(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with @ravi, @sam')
    posted = announcement(team)
    maya.says("/salesmeet move #1 tomorrow 5pm")
    (notice,) = team.channel("#sales").posts_saying("moved #1")
    shown = json.dumps(notice.raw)
    assert "<@URAVI>" in shown and "<@USAM>" in shown
    (edit,) = updates_of(team, posted.ts)
    meeting = team.meeting(1)
    assert str(int(meeting.next_occurrence(team.clock.now()).start.timestamp())) in json.dumps(edit)


def test_a_cancel_shows_on_the_announcement(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with @ravi')
    posted = announcement(team)
    maya.says("/salesmeet cancel #1")
    (edit,) = updates_of(team, posted.ts)
    assert "was cancelled by <@UMAYA>" in json.dumps(edit)


def test_a_manager_cancelling_someone_elses_meeting_tells_the_organiser(team, maya, olivia):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with @ravi')
    olivia.says("/salesmeet cancel #1")
    assert "Cancelled meeting #1" in olivia.sees()
    dms = [m for m in maya.dms if "was cancelled by <@UOLIVIA>" in m.text]
    assert len(dms) == 1


def test_the_organiser_changing_their_own_meeting_gets_no_dm_about_it(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm every week')
    maya.says("/salesmeet skip #1 tomorrow")
    assert [m for m in maya.dms if "skipped" in m.text] == []
