"""`/salesmeet shoutout`: posted in the channel, no self or bot shout-outs, a daily limit."""

from datetime import UTC, datetime, timedelta

from tests.support.recognition import rows, shoutout_posts, text_of


def given(slack, team="T1"):
    return rows(
        slack,
        "SELECT giver_id, recipient_id, reason FROM shoutouts WHERE team_id = ? ORDER BY id",
        team,
    )


def test_a_shoutout_is_posted_in_the_channel_and_recorded(slack):
    answer = slack.ask("shoutout <@URAVI|ravi> for turning the Acme renewal around")
    assert answer["response_type"] == "ephemeral"
    shown = text_of(answer)
    assert "Your shout-out to <@URAVI> is posted in <#CSALES>" in shown
    assert "You can give 4 more shout-outs today." in shown
    (post,) = shoutout_posts(slack)
    assert "<@UMAYA> gave a shout-out to <@URAVI>: for turning the Acme renewal around" in post
    assert given(slack) == [("UMAYA", "URAVI", "for turning the Acme renewal around")]


def test_the_reason_is_escaped_but_mentions_in_it_still_work(slack):
    slack.ask("shoutout <@URAVI> <!channel> for helping <@USAM|sam> & the <b>team</b>")
    (post,) = shoutout_posts(slack)
    assert "&lt;!channel&gt;" in post and "<!channel>" not in post
    assert "helping <@USAM> &amp; the &lt;b&gt;team&lt;/b&gt;" in post


def test_several_people_at_once(slack):
    shown = text_of(slack.ask("shoutout <@URAVI>, <@USAM> and <@UOLIVIA> for the pilot"))
    assert "<@URAVI>, <@USAM>, <@UOLIVIA>" in shown and "2 more shout-outs" in shown
    assert [g[1] for g in given(slack)] == ["URAVI", "USAM", "UOLIVIA"]
    assert len(shoutout_posts(slack)) == 1


def test_no_shoutout_to_yourself(slack):
    shown = text_of(slack.ask("shoutout <@UMAYA> for being me", user="UMAYA"))
    assert "can't give yourself a shout-out" in shown and "/salesmeet shoutout @maya" in shown
    assert given(slack) == [] and shoutout_posts(slack) == []
    shown = text_of(slack.ask("shoutout <@URAVI> and <@UMAYA> for the demo", user="UMAYA"))
    assert "can't give yourself" in shown and given(slack) == []


def test_no_shoutout_to_the_bot(slack):
    shown = text_of(slack.ask("shoutout <@UBOT|salesmeet> for the reminders"))
    assert "not for me" in shown
    assert given(slack) == [] and shoutout_posts(slack) == []


def test_the_reason_is_required(slack):
    shown = text_of(slack.ask("shoutout <@URAVI>"))
    assert "Say why they deserve it" in shown and "/salesmeet shoutout @maya" in shown
    shown = text_of(slack.ask("shoutout"))
    assert "Say who the shout-out is for" in shown
    assert given(slack) == []


def test_a_repeated_request_is_recorded_once(slack):
    slack.ask("shoutout <@URAVI> great demo")
    shown = text_of(slack.ask("shoutout <@URAVI>   Great demo"))
    assert "didn't record it twice" in shown
    assert len(given(slack)) == 1 and len(shoutout_posts(slack)) == 1
    # The same words later on are a new shout-out.
    slack.clock.advance(timedelta(minutes=3))
    slack.ask("shoutout <@URAVI> great demo")
    assert len(given(slack)) == 2


def test_the_daily_limit_stops_spam_and_resets_at_midnight_in_the_workspace_zone(slack):
    slack.services.workspaces.set("T1", "tz", "Asia/Kuala_Lumpur")  # now: Monday 09:00 there
    answers = [text_of(slack.ask(f"shoutout <@URAVI> reason {n}")) for n in range(5)]
    assert "That was your last shout-out for today." in answers[-1]
    shown = text_of(slack.ask("shoutout <@URAVI> one more"))
    assert "You've given all 5 of today's shout-outs" in shown
    # The reset is a date token: every reader sees midnight in Kuala Lumpur in their own zone.
    midnight = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # Tuesday 00:00 in Kuala Lumpur
    assert f"<!date^{int(midnight.timestamp())}^" in shown
    assert len(given(slack)) == 5 and len(shoutout_posts(slack)) == 5
    # Others still can; the limit is per giver.
    slack.ask("shoutout <@URAVI> from Sam", user="USAM")
    assert len(given(slack)) == 6
    # 23:59 in Kuala Lumpur: still today. 00:00: a new day.
    slack.clock.advance(timedelta(hours=14, minutes=59))
    assert "You've given all 5" in text_of(slack.ask("shoutout <@URAVI> late"))
    slack.clock.advance(timedelta(minutes=1))
    assert "4 more shout-outs" in text_of(slack.ask("shoutout <@URAVI> new day"))


def test_the_limit_is_configurable_and_counts_each_person(slack):
    slack.services.workspaces.set("T1", "shoutout_daily_limit", "2")
    shown = text_of(slack.ask("shoutout <@URAVI>, <@USAM> and <@UOLIVIA> for the pilot"))
    assert "That would be 3 shout-outs, and you have 2 left today" in shown
    assert given(slack) == []
    assert "You can give 1 more shout-out today." in text_of(slack.ask("shoutout <@URAVI> a"))
    assert "last shout-out for today" in text_of(slack.ask("shoutout <@USAM> b"))
    assert "all 2 of today's shout-outs" in text_of(slack.ask("shoutout <@UOLIVIA> c"))


def test_a_channel_without_the_bot_keeps_the_record_and_says_how_to_invite(slack):
    shown = text_of(slack.ask("shoutout <@URAVI> great call", channel="CQUIET"))
    assert "is recorded" in shown and "/invite @SalesMeet" in shown and "<#CQUIET>" in shown
    assert given(slack) == [("UMAYA", "URAVI", "great call")]
    assert "<@URAVI>: 1 shout-out" in text_of(slack.ask("leaderboard"))


def test_slack_refusing_the_post_keeps_the_record(slack):
    slack.fake.fail("chat.postMessage", status=400, error="restricted_action")
    shown = text_of(slack.ask("shoutout <@URAVI> great call"))
    assert "is recorded" in shown and "Slack didn't accept my post" in shown
    assert len(given(slack)) == 1


def test_a_limit_of_zero_switches_shoutouts_off(slack):
    slack.services.workspaces.set("T1", "shoutout_daily_limit", "0")
    assert "switched off" in text_of(slack.ask("shoutout <@URAVI> great call"))
    assert given(slack) == []


def test_help_lists_the_recognition_commands(slack):
    from bot.mrkdwn import unescape

    # The help escapes `<reason>` and the like for mrkdwn; read it as Slack shows it.
    shown = unescape(text_of(slack.ask("help")))
    assert "`/salesmeet shoutout @person <reason>`" in shown
    assert "`/salesmeet win <amount> [<currency>] <note>`" in shown
    assert "`/salesmeet goal <amount> per month|quarter`" in shown
    assert "`/salesmeet leaderboard [week|month|quarter]`" in shown and "this week" in shown
