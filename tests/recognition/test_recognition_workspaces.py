"""Two workspaces on one database: their shout-outs, wins, goals, limits and weekly posts
never mix, even with the same user and channel ids."""

from datetime import UTC, datetime, timedelta

from tests.support.recognition import text_of


def posted(slack, token: str) -> list[str]:
    return [
        text_of(c.params)
        for c in slack.fake.calls_to("chat.postMessage")
        if c.token == token and c.params.get("channel") == "CSALES" and not c.faulted
    ]


def test_leaderboards_goals_and_limits_are_per_workspace(slack, globex):
    slack.ask("win 30k Acme deal", user="UMAYA")
    globex.ask("win 7k Globex deal", user="UMAYA", team="T2")
    acme = text_of(slack.ask("leaderboard"))
    ours = text_of(globex.ask("leaderboard", team="T2"))
    assert "30,000 USD" in acme and "7,000" not in acme
    assert "7,000 USD" in ours and "30,000" not in ours

    slack.ask("goal 100k per month", user="UOLIVIA")
    assert "There's no team goal yet" in text_of(globex.ask("goal", team="T2"))
    # Greg is Globex's admin, not Acme's: his goal is Globex's alone.
    globex.ask("goal 50k per quarter", user="UGREG", team="T2")
    assert "of 100,000 USD" in text_of(slack.ask("goal"))
    assert "7,000 USD of 50,000 USD" in text_of(globex.ask("goal", team="T2"))
    # Olivia is not even in Globex; Acme's Maya is no manager there either.
    assert "only managers" in text_of(
        globex.ask("win 1k Side deal for <@UGREG>", user="UMAYA", team="T2")
    )

    for n in range(5):
        slack.ask(f"shoutout <@URAVI> thanks {n}", user="UMAYA")
    assert "all 5 of today's" in text_of(slack.ask("shoutout <@URAVI> more", user="UMAYA"))
    shown = text_of(globex.ask("shoutout <@UGREG> for the help", user="UMAYA", team="T2"))
    assert "You can give 4 more shout-outs today." in shown
    assert "<@UGREG>" not in text_of(slack.ask("leaderboard"))
    assert "<@URAVI>" not in text_of(globex.ask("leaderboard", team="T2"))


def test_each_workspace_gets_its_own_weekly_post_in_its_own_zone(slack, globex):
    slack.services.workspaces.set("T1", "tz", "Asia/Kuala_Lumpur")
    globex.services.workspaces.set("T2", "tz", "America/New_York")
    # Tuesday for both (at 01:00 UTC on Monday it is still Sunday in New York).
    for harness in (slack, globex):
        harness.clock.set(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    slack.ask("shoutout <@URAVI> Acme reason", user="UMAYA")
    globex.ask("shoutout <@UGREG> Globex reason", user="UMAYA", team="T2")
    # Each install sends its own workspace's rows, with its own token.

    def at(instant):
        for harness in (slack, globex):
            harness.clock.set(instant)
            harness.services.planner.extend_horizon()
            harness.deliver()

    at(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))  # Friday 16:00 in Kuala Lumpur
    (acme,) = posted(slack, "xoxb-t1-test")[-1:]
    assert "Top performers of the week" in acme and "Acme reason" in acme
    assert "Globex" not in acme
    assert not any("Top performers" in p for p in posted(slack, "xoxb-t2-test"))
    at(datetime(2026, 11, 27, 21, 0, tzinfo=UTC))  # Friday 16:00 in New York
    globex_posts = [p for p in posted(slack, "xoxb-t2-test") if "Top performers" in p]
    assert len(globex_posts) == 1 and "Globex reason" in globex_posts[0]
    assert "Acme" not in globex_posts[0]
    at(datetime(2026, 11, 27, 21, 0, tzinfo=UTC) + timedelta(hours=1))
    weekly = [p for p in posted(slack, "xoxb-t1-test") if "Top performers" in p]
    assert len(weekly) == 1
