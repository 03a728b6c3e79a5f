"""A move, skip or cancel tells the meeting's channel from a delivery row stored with the
change: Slack down or the bot not in the channel, the notice goes out later, once."""


def notices(team, words: str):
    return team.channel("#sales").posts_saying(words)


def notice_rows(team):
    with team.database.reading() as db:
        return db.execute(
            "SELECT occurrence, state, payload FROM deliveries WHERE kind = 'notice'"
            " ORDER BY occurrence"
        ).fetchall()


def test_a_move_is_told_once_and_its_row_is_settled(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    maya.says("/salesmeet move #1 tomorrow 5pm")
    assert "moved" in maya.sees()
    assert len(notices(team, "moved")) == 1
    rows = notice_rows(team)
    assert [(number, state) for number, state, _ in rows] == [(1, "sent")]
    assert '"what": "moved"' in rows[0][2]
    team.time_passes(hours=3)
    assert len(notices(team, "moved")) == 1  # the alarm does not send it again


def test_two_moves_make_two_notices(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    maya.says("/salesmeet move #1 tomorrow 5pm")
    maya.says("/salesmeet move #1 tomorrow 6pm")
    assert len(notices(team, "moved")) == 2
    assert [(n, s) for n, s, _ in notice_rows(team)] == [(1, "sent"), (2, "sent")]


def test_a_notice_slack_refused_is_sent_later_once(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm every week')
    team.slack.fail("chat.postMessage", status=500, times=3)  # beyond slack_sdk's retries
    maya.says("/salesmeet skip #1 tomorrow")
    answer = maya.sees()
    assert "skipped" in answer.lower()
    assert notices(team, "will not take place") == []
    assert [s for _, s, _ in notice_rows(team)] == ["pending"]  # kept, not lost
    team.time_passes(minutes=30)  # the alarm retries it
    assert len(notices(team, "will not take place")) == 1
    assert [s for _, s, _ in notice_rows(team)] == ["sent"]


def test_a_cancel_in_a_channel_the_bot_left_says_so_and_tries_again(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    team.slack.set_bot_member(team.team_id, "CSALES", False)
    maya.says("/salesmeet cancel #1")
    answer = maya.sees()
    assert "Cancelled meeting #1" in answer and "/invite" in answer
    assert notices(team, "was cancelled") == []
    team.slack.set_bot_member(team.team_id, "CSALES", True)  # someone invites it back
    team.time_passes(minutes=30)
    assert len(notices(team, "was cancelled")) == 1
    team.time_passes(hours=3)
    assert len(notices(team, "was cancelled")) == 1
