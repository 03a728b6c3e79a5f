"""`edit #n every other week`: a weekly series meets less often from its next meeting on,
its past as it was; the digest's "try every other week?" button runs the same edit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.windows import WindowStore

WEDNESDAY_8AM_KL = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)


def starts(team, since: datetime, weeks: int) -> list[datetime]:
    held = WindowStore(team.database).meetings_in_window(
        team.team_id, since, since + timedelta(weeks=weeks)
    )
    return sorted(
        o.start for m in held for o in m.occurrences(since, since + timedelta(weeks=weeks))
    )


def test_a_weekly_series_meets_every_other_week_from_its_next_meeting(team, maya, ravi):
    team.clock.set(WEDNESDAY_8AM_KL)
    maya.says('/salesmeet schedule "Pipeline review" every monday 9am with @ravi')
    first = team.meeting(1).starts_at
    team.clock.set(first + timedelta(weeks=1, hours=2))  # two have been held
    maya.says("/salesmeet edit #1 every other week")
    assert "Saved #1" in maya.sees()
    (notice,) = team.channel("#sales").posts_saying("now every 2 weeks")
    assert "<@URAVI>" in notice.text  # the people it concerns are told
    week = timedelta(weeks=1)
    # The two held stay where they were; from the next one on, every other Monday.
    assert starts(team, first, 8) == [first, first + week, first + 2 * week, first + 4 * week,
                                      first + 6 * week]  # fmt: skip
    maya.says("/salesmeet edit #1 every week")  # and back
    assert "Saved #1" in maya.sees()
    assert starts(team, first + 2 * week, 3) == [
        first + 2 * week,
        first + 3 * week,
        first + 4 * week,
    ]


def test_what_spacing_out_refuses(team, maya, ravi):
    team.clock.set(WEDNESDAY_8AM_KL)
    maya.says('/salesmeet schedule "Demo prep" tomorrow 3pm')
    maya.says("/salesmeet edit #1 every other week")
    assert "Only a weekly series can meet every few weeks" in maya.sees()
    maya.says('/salesmeet schedule "Standup" every day at 9 for 15m')
    maya.says("/salesmeet edit #2 every other week")
    assert "Only a weekly series" in maya.sees()
    maya.says('/salesmeet schedule "Forecast" every monday 9am')
    maya.says("/salesmeet edit #3 every day")
    assert "cancel it (`/salesmeet cancel #3`)" in maya.sees()
    ravi.says("/salesmeet edit #3 every other week")  # not his meeting
    assert "Saved" not in ravi.sees()
    assert "INTERVAL" not in (team.meeting(3).rrule or "")
