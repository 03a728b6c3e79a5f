"""`/salesmeet schedule` end to end: signed request in, what Slack and the user get out."""

from datetime import UTC, datetime, timedelta

from storage.meetings import MeetingStore
from tests.support.messages import DATE_TOKEN, text_of


def stored(slack, number, team="T1"):
    return MeetingStore(slack.database).get(team, number)


def test_schedule_confirms_announces_and_stores(slack):
    answer = slack.ask(
        'schedule "Q4 pipeline review" tomorrow 3pm for 45m with <@URAVI|ravi>, '
        "<mailto:jane@acme.com|jane@acme.com> type strategy via <https://zoom.us/j/123>"
    )
    shown = text_of(answer)
    assert answer["response_type"] == "ephemeral"
    assert "#1" in shown and "Q4 pipeline review" in shown
    assert "45 minutes" in shown and "<@URAVI>" in shown and "jane@acme.com (guest)" in shown
    # Maya is in Kuala Lumpur: tomorrow 3pm there is 07:00 UTC on 24 November.
    starts = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert DATE_TOKEN.search(shown).group(1) == str(int(starts.timestamp()))
    meeting = stored(slack, 1)
    assert meeting.starts_at == starts and meeting.duration == timedelta(minutes=45)
    assert meeting.purpose == "strategy" and meeting.venue.service == "Zoom"
    assert meeting.customer_facing and meeting.tz == "Asia/Kuala_Lumpur"
    (post,) = slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == "CSALES"
    announced = text_of(post.params)
    assert "<@UMAYA>" in announced and "Q4 pipeline review" in announced
    assert "<https://zoom.us/j/123|Zoom>" in announced and "Customer-facing" in announced


def test_when_is_read_in_each_users_own_zone(slack):
    slack.ask('schedule "KL" tomorrow 3pm', user="UMAYA")
    slack.ask('schedule "NY" tomorrow 3pm', user="USAM")
    slack.ask('schedule "Mumbai" tomorrow 3pm', user="URAVI")
    # At 01:00 UTC Monday it is Monday in KL and Mumbai, but still Sunday in New York.
    assert stored(slack, 1).starts_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert stored(slack, 2).starts_at == datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    assert stored(slack, 3).starts_at == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_a_bare_time_already_past_today_means_tomorrow(slack):
    slack.ask('schedule "Early" 8am')  # 09:00 in KL now
    slack.ask('schedule "Later" 11am')
    assert stored(slack, 1).starts_at == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    assert stored(slack, 2).starts_at == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def test_defaults_thirty_minutes_general_internal(slack):
    slack.ask('schedule "Standup" in 2 hours')
    meeting = stored(slack, 1)
    assert meeting.duration == timedelta(minutes=30)
    assert meeting.purpose == "general" and not meeting.customer_facing
    assert meeting.starts_at == slack.clock.now() + timedelta(hours=2)


def expect_refusal(slack, text, *phrases):
    answer = slack.ask(text)
    shown = text_of(answer)
    assert answer["response_type"] == "ephemeral"
    for phrase in phrases:
        assert phrase in shown, shown
    assert MeetingStore(slack.database).upcoming("T1", slack.clock.now()) == []
    assert slack.posts() == []
    return shown


def test_time_in_the_past_is_refused(slack):
    expect_refusal(slack, 'schedule "Late" yesterday 3pm', "passed")


def test_unreadable_time_gets_examples(slack):
    expect_refusal(slack, 'schedule "Lunch" when pigs fly', "tomorrow 3pm")


def test_too_long_a_meeting_is_refused(slack):
    expect_refusal(slack, 'schedule "Offsite" tomorrow 9am for 9h', "8 hours")


def test_bad_duration_purpose_and_link_are_refused(slack):
    expect_refusal(slack, 'schedule "A" tomorrow 9am for forever', "45m")
    expect_refusal(slack, 'schedule "A" tomorrow 9am type party', "shortfall")
    expect_refusal(slack, 'schedule "A" tomorrow 9am via <ftp://zoom.us/j/1>', "https://")


def test_title_limits(slack):
    expect_refusal(slack, 'schedule "' + "x" * 151 + '" tomorrow 9am', "150")
    expect_refusal(slack, "schedule Pipeline tomorrow 9am", "quotes", "/salesmeet schedule")


def test_user_text_is_escaped_so_nobody_is_pinged(slack):
    slack.ask('schedule "<!channel> party & <@UOLIVIA>" tomorrow 3pm')
    (post,) = slack.fake.wait_for("chat.postMessage")
    announced = text_of(post.params)
    assert "&lt;!channel&gt; party &amp; &lt;@UOLIVIA&gt;" in announced
    assert "<!channel>" not in announced and "<@UOLIVIA>" not in announced
    assert stored(slack, 1).title == "<!channel> party & <@UOLIVIA>"


def test_bot_not_in_channel_keeps_meeting_and_says_how_to_invite(slack):
    answer = slack.ask('schedule "Quiet one" tomorrow 3pm', channel="CQUIET")
    assert "/invite @SalesMeet" in text_of(answer)
    assert stored(slack, 1).channel_id == "CQUIET"


def test_repeating_the_same_request_within_two_minutes_makes_one_meeting(slack):
    first = slack.ask('schedule "Forecast" tomorrow 3pm')
    slack.clock.advance(timedelta(seconds=90))
    again = slack.ask('schedule "Forecast"  tomorrow 3pm')
    assert "#1" in text_of(first) and "already scheduled" in text_of(again)
    assert "#1" in text_of(again)
    assert len(slack.posts()) == 1 and stored(slack, 2) is None
    slack.clock.advance(timedelta(minutes=2))
    slack.ask('schedule "Forecast" tomorrow 3pm')
    assert stored(slack, 2) is not None


def test_a_429_from_slack_is_retried_and_posts_once(slack):
    slack.fake.fail("chat.postMessage", status=429, retry_after=1)
    answer = slack.ask('schedule "Forecast" tomorrow 3pm')
    assert "#1" in text_of(answer)
    assert len(slack.posts()) == 1
    assert len([c for c in slack.fake.calls_to("chat.postMessage") if c.faulted]) == 1


def test_slack_down_when_announcing_keeps_the_meeting(slack):
    slack.fake.fail("chat.postMessage", status=500, times=3)
    answer = slack.ask('schedule "Forecast" tomorrow 3pm')
    shown = text_of(answer)
    assert "#1" in shown and "saved all the same" in shown
    assert stored(slack, 1).title == "Forecast"


def test_users_info_unreachable_asks_to_try_again(slack):
    slack.fake.fail("users.info", status=500, times=3)
    answer = slack.ask('schedule "Forecast" tomorrow 3pm')
    assert "try again" in text_of(answer)
    assert stored(slack, 1) is None


def test_users_info_is_cached(slack):
    slack.ask('schedule "One" tomorrow 3pm')
    slack.ask('schedule "Two" tomorrow 4pm')
    assert len(slack.fake.calls_to("users.info")) == 1


def test_when_the_response_url_fails_the_answer_comes_as_an_ephemeral_message(slack):
    slack.fake.fail("response_url", status=500)
    reply = slack.command('schedule "Forecast" tomorrow 3pm')
    assert reply.status == 200
    (ephemeral,) = slack.fake.wait_for("chat.postEphemeral")
    assert ephemeral.params["user"] == "UMAYA" and ephemeral.params["channel"] == "CSALES"
    assert "Scheduled meeting #1" in text_of(ephemeral.params)
