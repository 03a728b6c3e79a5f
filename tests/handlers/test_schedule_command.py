"""`/salesmeet schedule`, as the team types it: what they are told, what #sales shows, what
is stored, and what Slack was asked."""

from datetime import UTC, datetime, timedelta

from tests.support.messages import DATE_TOKEN


def test_schedule_confirms_announces_and_stores(team, maya):
    maya.says(
        '/salesmeet schedule "Q4 pipeline review" tomorrow 3pm for 45m with @ravi, '
        "jane@acme.com type strategy via https://zoom.us/j/123"
    )
    answer = maya.answer()
    shown = answer.text
    assert answer["response_type"] == "ephemeral"
    assert "#1" in shown and "Q4 pipeline review" in shown
    assert "45 minutes" in shown and "<@URAVI>" in shown and "jane@acme.com (guest)" in shown
    # Maya is in Kuala Lumpur: tomorrow 3pm there is 07:00 UTC on 24 November.
    starts = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert DATE_TOKEN.search(shown).group(1) == str(int(starts.timestamp()))
    meeting = team.meeting(1)
    assert meeting.starts_at == starts and meeting.duration == timedelta(minutes=45)
    assert meeting.purpose == "strategy" and meeting.venue.service == "Zoom"
    assert meeting.customer_facing and meeting.tz == "Asia/Kuala_Lumpur"
    (announcement,) = team.channel("#sales").posts
    announced = announcement.text
    assert "<@UMAYA>" in announced and "Q4 pipeline review" in announced
    assert "<https://zoom.us/j/123|Zoom>" in announced and "Customer-facing" in announced


def test_when_is_read_in_each_users_own_zone(team, maya, sam, ravi):
    maya.says('/salesmeet schedule "KL" tomorrow 3pm')
    sam.says('/salesmeet schedule "NY" tomorrow 3pm')
    ravi.says('/salesmeet schedule "Mumbai" tomorrow 3pm')
    # At 01:00 UTC Monday it is Monday in KL and Mumbai, but still Sunday in New York.
    assert team.meeting(1).starts_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert team.meeting(2).starts_at == datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    assert team.meeting(3).starts_at == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_a_bare_time_already_past_today_means_tomorrow(team, maya):
    maya.says('/salesmeet schedule "Early" 8am')  # 09:00 in KL now
    maya.says('/salesmeet schedule "Later" 11am')
    assert team.meeting(1).starts_at == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    assert team.meeting(2).starts_at == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def test_defaults_thirty_minutes_general_internal(team, maya):
    maya.says('/salesmeet schedule "Standup" in 2 hours')
    meeting = team.meeting(1)
    assert meeting.duration == timedelta(minutes=30)
    assert meeting.purpose == "general" and not meeting.customer_facing
    assert meeting.starts_at == team.clock.now() + timedelta(hours=2)


def expect_refusal(team, person, typed, *phrases):
    """`typed` is refused: the reason only for them, nothing stored, nothing posted."""
    person.says(typed)
    answer = person.answer()
    assert answer["response_type"] == "ephemeral"
    for phrase in phrases:
        assert phrase in answer.text, answer.text
    assert team.upcoming() == []
    assert team.channel("#sales").posts == []
    return answer.text


def test_time_in_the_past_is_refused(team, maya):
    expect_refusal(team, maya, '/salesmeet schedule "Late" yesterday 3pm', "passed")


def test_unreadable_time_gets_examples(team, maya):
    expect_refusal(team, maya, '/salesmeet schedule "Lunch" when pigs fly', "tomorrow 3pm")


def test_too_long_a_meeting_is_refused(team, maya):
    expect_refusal(team, maya, '/salesmeet schedule "Offsite" tomorrow 9am for 9h', "8 hours")


def test_bad_duration_purpose_and_link_are_refused(team, maya):
    expect_refusal(team, maya, '/salesmeet schedule "A" tomorrow 9am for forever', "45m")
    expect_refusal(team, maya, '/salesmeet schedule "A" tomorrow 9am type party', "shortfall")
    expect_refusal(
        team, maya, '/salesmeet schedule "A" tomorrow 9am via <ftp://zoom.us/j/1>', "https://"
    )


def test_title_limits(team, maya):
    expect_refusal(team, maya, '/salesmeet schedule "' + "x" * 151 + '" tomorrow 9am', "150")
    expect_refusal(
        team, maya, "/salesmeet schedule Pipeline tomorrow 9am", "quotes", "/salesmeet schedule"
    )


def test_user_text_is_escaped_so_nobody_is_pinged(team, maya):
    maya.says('/salesmeet schedule "<!channel> party & <@UOLIVIA>" tomorrow 3pm')
    (announcement,) = team.channel("#sales").posts
    announced = announcement.text
    assert "&lt;!channel&gt; party &amp; &lt;@UOLIVIA&gt;" in announced
    assert "<!channel>" not in announced and "<@UOLIVIA>" not in announced
    assert team.meeting(1).title == "<!channel> party & <@UOLIVIA>"


def test_bot_not_in_channel_keeps_meeting_and_says_how_to_invite(team, maya):
    maya.says('/salesmeet schedule "Quiet one" tomorrow 3pm', channel="#quiet")
    assert "/invite @SalesMeet" in maya.sees()
    assert team.meeting(1).channel_id == "CQUIET"


def test_repeating_the_same_request_within_two_minutes_makes_one_meeting(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    first = maya.sees()
    team.clock.advance(timedelta(seconds=90))
    maya.says('/salesmeet schedule "Forecast"  tomorrow 3pm')
    again = maya.sees()
    assert "#1" in first and "already scheduled" in again
    assert "#1" in again
    assert len(team.channel("#sales").posts) == 1 and team.meeting(2) is None
    team.clock.advance(timedelta(minutes=2))
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    assert team.meeting(2) is not None


def test_a_429_from_slack_is_retried_and_posts_once(team, maya):
    team.slack.fail("chat.postMessage", status=429, retry_after=1)
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    assert "#1" in maya.sees()
    assert len(team.channel("#sales").posts) == 1
    assert len([c for c in team.slack.calls_to("chat.postMessage") if c.faulted]) == 1


def test_slack_down_when_announcing_keeps_the_meeting(team, maya):
    team.slack.fail("chat.postMessage", status=500, times=3)
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    shown = maya.sees()
    assert "#1" in shown and "saved all the same" in shown
    assert team.meeting(1).title == "Forecast"


def test_users_info_unreachable_asks_to_try_again(team, maya):
    team.slack.fail("users.info", status=500, times=3)
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    assert "try again" in maya.sees()
    assert team.meeting(1) is None


def test_users_info_is_cached(team, maya):
    maya.says('/salesmeet schedule "One" tomorrow 3pm')
    maya.sees()
    maya.says('/salesmeet schedule "Two" tomorrow 4pm')
    maya.sees()
    assert len(team.slack.calls_to("users.info")) == 1


def test_when_the_response_url_fails_the_answer_comes_as_an_ephemeral_message(team, maya):
    team.slack.fail("response_url", status=500)
    assert maya.says('/salesmeet schedule "Forecast" tomorrow 3pm').status == 200
    (ephemeral,) = maya.ephemerals
    assert ephemeral.channel == "CSALES"
    assert "Scheduled meeting #1" in ephemeral.text
    assert "Scheduled meeting #1" in maya.sees()
