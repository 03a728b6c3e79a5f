"""The weekly top-performer post: on time in the workspace's zone, never twice, caught up
after downtime; and the top performers in motivation reminders and App Home."""

from datetime import UTC, datetime, timedelta

from features.recognition import SHOUTOUTS
from storage.deliveries import DeliveryStore
from tests.support.recognition import text_of

KL = "Asia/Kuala_Lumpur"
# The week of Monday 23 November in Kuala Lumpur starts at 16:00 UTC on Sunday 22nd.
WEEK_1 = int(datetime(2026, 11, 22, 16, 0, tzinfo=UTC).timestamp())
FRIDAY_4PM_KL = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def weekly_posts(slack, channel="CSALES"):
    return [p for p in slack.posts(channel) if "Top performers of the week" in text_of(p)]


def row(slack, occurrence=WEEK_1, team="T1"):
    return DeliveryStore(slack.database).find(team, SHOUTOUTS, 0, occurrence)


def at(slack, instant):
    """The clock moves on; the hourly planning pass runs; the alarm fires, and again for
    the next few seconds (posts due at once in one channel go one a second)."""
    slack.clock.set(instant)
    slack.services.planner.extend_horizon()
    sent = slack.deliver()
    for _ in range(10):
        sent += slack.advance(timedelta(seconds=1))
    return sent


def busy_week(slack):
    slack.services.workspaces.set("T1", "tz", KL)
    slack.ask("goal 500k per month", user="UOLIVIA")
    slack.ask("win 30k Acme renewal", user="URAVI")
    slack.ask("win 20k Globex", user="USAM")
    slack.ask("win 10k Initech", user="UOLIVIA")
    slack.ask("win 5k Hooli", user="UMAYA")
    slack.ask("shoutout <@URAVI> for the <b>great</b> demo", user="UMAYA")
    slack.ask("shoutout <@URAVI> saved the Acme renewal", user="UOLIVIA")
    slack.ask("shoutout <@USAM> calm on a hard call", user="URAVI")


def test_the_weekly_post_goes_out_on_friday_at_4pm_in_the_workspace_zone(slack):
    busy_week(slack)
    assert row(slack).due_at == FRIDAY_4PM_KL and row(slack).state == "pending"
    at(slack, FRIDAY_4PM_KL - timedelta(minutes=1))
    assert weekly_posts(slack) == []
    at(slack, FRIDAY_4PM_KL)
    (post,) = weekly_posts(slack)
    shown = text_of(post)
    assert "(Nov 23 – 29)" in shown
    assert "1. <@URAVI>: 30,000 USD from 1 deal" in shown
    assert "2. <@USAM>: 20,000 USD" in shown and "3. <@UOLIVIA>: 10,000 USD" in shown
    assert "<@UMAYA>: 5,000" not in shown  # the top 3 only
    assert "*Most recognised*" in shown and "<@URAVI>, with 2 shout-outs:" in shown
    assert "“saved the Acme renewal” from <@UOLIVIA>" in shown
    assert "“for the &lt;b&gt;great&lt;/b&gt; demo” from <@UMAYA>" in shown
    assert "<@USAM>, with 1 shout-out:" in shown
    # 65,000 of 500,000. November in KL began at 16:00 UTC on 31 October, so by Friday
    # 16:00 there 640 of its 720 hours have gone: an even pace would be at 444,444.
    assert "*Team goal for November 2026:* 65,000 USD of 500,000 USD (13%)" in shown
    assert "The team is 379,444 USD behind the pace" in shown
    assert "435,000 USD in the 4 days left, about 108,750 USD a day" in shown
    (button,) = post["blocks"][-1]["elements"]
    assert button["action_id"] == "open_schedule_modal" and button["value"] == "shortfall"
    assert button["text"]["text"] == "Schedule a shortfall meeting"
    assert "Sent late" not in shown
    assert row(slack).state == "sent"
    # However often the alarm fires and the planner runs, it is never posted twice.
    at(slack, FRIDAY_4PM_KL + timedelta(hours=1))
    at(slack, FRIDAY_4PM_KL + timedelta(days=1))
    assert len(weekly_posts(slack)) == 1


def test_the_shortfall_button_opens_the_modal_with_the_purpose_prefilled(slack):
    busy_week(slack)
    at(slack, FRIDAY_4PM_KL)
    reply = slack.click("open_schedule_modal", user="UOLIVIA", value="shortfall")
    assert reply.status == 200
    (call,) = slack.fake.wait_for("views.open")
    purpose = next(b for b in call.params["view"]["blocks"] if b.get("block_id") == "purpose")
    assert purpose["element"]["initial_option"]["value"] == "shortfall"


def test_on_pace_there_is_no_shortfall_button(slack):
    slack.ask("goal 10k per month", user="UOLIVIA")
    slack.ask("win 20k Acme", user="URAVI")
    at(slack, datetime(2026, 11, 27, 16, 0, tzinfo=UTC))  # Friday 16:00 UTC (default zone)
    (post,) = weekly_posts(slack)
    assert "The team has reached its goal." in text_of(post)
    assert all(b["type"] != "actions" for b in post["blocks"])


def test_a_week_without_wins_or_shoutouts_posts_nothing(slack):
    busy_week(slack)
    at(slack, FRIDAY_4PM_KL)
    next_friday = FRIDAY_4PM_KL + timedelta(days=7)
    at(slack, next_friday)
    assert len(weekly_posts(slack)) == 1
    assert row(slack, WEEK_1 + 7 * 86400).state == "skipped"
    # A goal alone is not news: still nothing.
    slack.ask("goal 100k per month", user="UOLIVIA")
    at(slack, next_friday + timedelta(days=7))
    assert len(weekly_posts(slack)) == 1


def test_later_weeks_are_planned_by_the_hourly_pass(slack):
    slack.services.workspaces.set("T1", "tz", KL)
    slack.ask("shoutout <@URAVI> week 1")
    at(slack, FRIDAY_4PM_KL)
    for week in range(1, 4):
        slack.clock.set(FRIDAY_4PM_KL + timedelta(days=7 * week - 2))
        slack.ask(f"shoutout <@URAVI> week {week + 1}")
        at(slack, FRIDAY_4PM_KL + timedelta(days=7 * week))
    posts = weekly_posts(slack)
    assert len(posts) == 4
    assert [("week " + str(n)) in text_of(p) for n, p in enumerate(posts, start=1)] == [True] * 4


def test_a_post_due_while_down_is_sent_late_when_back(slack):
    busy_week(slack)
    # Down from Friday 15:00 to 17:30 in Kuala Lumpur; the late limit is 2 hours.
    at(slack, FRIDAY_4PM_KL + timedelta(hours=1, minutes=30))
    (post,) = weekly_posts(slack)
    assert "Sent late" in text_of(post)
    assert row(slack).state == "sent" and row(slack).late


def test_a_post_far_too_late_is_missed_and_the_last_person_is_told(slack):
    busy_week(slack)  # Sam gave the last shout-out
    at(slack, FRIDAY_4PM_KL + timedelta(hours=3))
    assert weekly_posts(slack) == []
    assert row(slack).state == "missed"
    (dm,) = slack.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "URAVI")
    assert "weekly top-performer post" in text_of(dm.params) and "offline" in text_of(dm.params)


def test_the_configured_channel_wins_over_the_last_one(slack):
    slack.fake.add_channel("T1", "CWINS", "wins")
    slack.services.workspaces.set("T1", "shoutout_channel", "CWINS")
    slack.ask("shoutout <@URAVI> great demo")
    at(slack, datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    assert len(weekly_posts(slack, "CWINS")) == 1 and weekly_posts(slack, "CSALES") == []


def test_without_a_channel_nothing_is_planned(slack):
    # Wins logged in a DM with the bot: no channel the weekly post could go to.
    slack.ask("win 5k Acme", channel="DUMAYA")
    slack.services.planner.extend_horizon()
    with slack.database.reading() as db:
        planned = db.execute("SELECT COUNT(*) FROM deliveries WHERE kind = ?", [SHOUTOUTS])
        assert planned.fetchone()[0] == 0
    # A configured channel is enough (the next hourly pass plans the post).
    slack.services.workspaces.set("T1", "shoutout_channel", "CSALES")
    slack.services.planner.extend_horizon()
    at(slack, datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    assert len(weekly_posts(slack)) == 1


def test_a_monday_post_covers_the_week_that_just_ended(slack):
    slack.services.workspaces.set("T1", "shoutout_day", "mon")
    slack.services.workspaces.set("T1", "shoutout_time", "09:00")
    slack.ask("win 8k Acme", user="URAVI")
    at(slack, datetime(2026, 11, 30, 8, 59, tzinfo=UTC))
    assert weekly_posts(slack) == []
    at(slack, datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    (post,) = weekly_posts(slack)
    assert "(Nov 23 – 29)" in text_of(post) and "<@URAVI>: 8,000 USD" in text_of(post)


def test_a_motivation_reminder_carries_the_top_performers_and_the_goal(slack):
    slack.ask("goal 100k per month", user="UOLIVIA")
    slack.ask("win 30k Acme", user="URAVI")
    slack.ask("shoutout <@USAM> for the pilot")
    slack.ask('schedule "Team huddle" tomorrow 3pm type motivation')
    slack.ask('schedule "Ops sync" tomorrow 4pm')
    # Tomorrow 15:00 in Kuala Lumpur is 07:00 UTC; reminders 15 minutes before.
    at(slack, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    reminders = [text_of(p) for p in slack.posts("CSALES") if ":alarm_clock:" in text_of(p)]
    huddle = next(r for r in reminders if "Team huddle" in r)
    ops = next(r for r in reminders if "Ops sync" in r)
    assert "*Top performers this week*" in huddle and "1. <@URAVI>: 30,000 USD" in huddle
    assert "1. <@USAM>: 1 shout-out" in huddle
    assert "*Team goal for November 2026:* 30,000 USD of 100,000 USD" in huddle
    assert "Top performers" not in ops and "Team goal" not in ops


def test_a_monday_motivation_meeting_recognises_last_week(slack):
    slack.services.workspaces.set("T1", "tz", KL)
    slack.ask("win 30k Acme", user="URAVI")
    slack.ask('schedule "Monday huddle" Nov 30 9am type motivation')  # 01:00 UTC
    # 08:45 on Monday in Kuala Lumpur: nothing this week yet, so last week's performers.
    at(slack, datetime(2026, 11, 30, 0, 45, tzinfo=UTC))
    (reminder,) = [text_of(p) for p in slack.posts("CSALES") if ":alarm_clock:" in text_of(p)]
    assert "*Top performers last week* (Nov 23 – 29)" in reminder
    assert "1. <@URAVI>: 30,000 USD" in reminder


def test_app_home_shows_the_team_leaderboard_only_when_there_is_data(slack):
    slack.event({"type": "app_home_opened", "user": "URAVI", "tab": "home"})
    (empty,) = slack.fake.wait_for("views.publish")
    assert "Team leaderboard" not in str(empty.params["view"]["blocks"])
    slack.ask("win 30k Acme", user="URAVI")
    slack.ask("goal 100k per month", user="UOLIVIA")
    slack.event({"type": "app_home_opened", "user": "URAVI", "tab": "home"})
    calls = slack.fake.wait_for("views.publish", count=2)
    shown = str(calls[1].params["view"]["blocks"])
    assert "*Team leaderboard this week*" in shown and "1. <@URAVI>: 30,000 USD" in shown
    assert "Team goal for November 2026" in shown
