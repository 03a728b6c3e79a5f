"""`/salesmeet leaderboard`: rankings, ties, periods in the workspace's zone."""

from datetime import UTC, datetime, timedelta

from tests.support.recognition import text_of

# Sunday 29 November 2026, 23:30 in New York = Monday 30 November, 12:30 in Kuala Lumpur.
SUNDAY_NIGHT_NY = datetime(2026, 11, 30, 4, 30, tzinfo=UTC)


def test_rankings_by_amount_and_by_shoutouts_with_ties_broken_consistently(slack):
    slack.ask("win 5k First", user="URAVI")
    slack.clock.advance(timedelta(minutes=5))
    slack.ask("win 10k Big one", user="USAM")  # Sam: 10k in one deal
    slack.clock.advance(timedelta(minutes=5))
    slack.ask("win 5k Second", user="URAVI")  # Ravi: 10k in two deals: ahead of Sam
    slack.clock.advance(timedelta(minutes=5))
    slack.ask("win 10k Also big", user="UOLIVIA")  # Olivia: 10k in one deal, after Sam
    slack.ask("win 3k Small", user="UMAYA")
    slack.ask("shoutout <@USAM> a", user="UMAYA")
    slack.ask("shoutout <@URAVI> b", user="UMAYA")
    slack.clock.advance(timedelta(minutes=1))
    slack.ask("shoutout <@USAM> c", user="UOLIVIA")
    slack.clock.advance(timedelta(minutes=1))
    slack.ask("shoutout <@URAVI> d", user="UOLIVIA")  # both 2: Sam got there first
    slack.ask("shoutout <@UMAYA> e", user="UOLIVIA")
    slack.ask("shoutout <@UOLIVIA> f", user="UMAYA")  # both 1 at the same time: by user id
    board = text_of(slack.ask("leaderboard"))
    assert "Leaderboard for this week* (Nov 23 – 29)" in board
    lines = [line for line in board.splitlines() if line[:1].isdigit()]
    assert lines == [
        "1. <@URAVI>: 10,000 USD from 2 deals",
        "2. <@USAM>: 10,000 USD from 1 deal",
        "3. <@UOLIVIA>: 10,000 USD from 1 deal",
        "4. <@UMAYA>: 3,000 USD from 1 deal",
        "1. <@USAM>: 2 shout-outs",
        "2. <@URAVI>: 2 shout-outs",
        "3. <@UMAYA>: 1 shout-out",
        "4. <@UOLIVIA>: 1 shout-out",
    ]
    assert "Equal amounts: more deals first" in board
    # Asked again, the same order: nothing depends on chance.
    assert text_of(slack.ask("leaderboard week")) == board


def test_week_month_quarter_and_last(slack):
    slack.ask("win 1k This week", user="URAVI")
    slack.clock.set(datetime(2026, 12, 2, 1, 0, tzinfo=UTC))  # Wednesday of the next week
    slack.ask("win 2k December", user="USAM")
    week = text_of(slack.ask("leaderboard"))
    assert "this week* (Nov 30 – Dec 6)" in week
    assert "<@USAM>" in week and "<@URAVI>" not in week
    last_week = text_of(slack.ask("leaderboard last week"))
    assert "<@URAVI>" in last_week and "<@USAM>" not in last_week
    month = text_of(slack.ask("leaderboard month"))
    assert "this month* (December 2026)" in month and "<@URAVI>" not in month
    assert "<@URAVI>" in text_of(slack.ask("leaderboard last month"))
    quarter = text_of(slack.ask("leaderboard quarter"))
    assert "this quarter* (Q4 2026)" in quarter and "<@URAVI>" in quarter and "<@USAM>" in quarter
    assert "Nothing on the leaderboard" in text_of(slack.ask("leaderboard last quarter"))


def test_an_empty_leaderboard_says_how_to_start(slack):
    shown = text_of(slack.ask("leaderboard"))
    assert "Nothing on the leaderboard for this period yet." in shown
    assert "/salesmeet win 12,500 Acme renewal" in shown


def test_a_bad_period_is_refused_with_an_example(slack):
    shown = text_of(slack.ask("leaderboard fortnight"))
    assert "`week`, `month` or `quarter`" in shown


def test_which_week_a_win_counts_in_follows_the_workspace_zone(slack):
    """Sam logs a win at 23:30 on Sunday in New York: already Monday in Kuala Lumpur."""
    slack.clock.set(SUNDAY_NIGHT_NY)
    slack.ask("win 7k Late Sunday deal", user="USAM")

    slack.services.workspaces.set("T1", "tz", "Asia/Kuala_Lumpur")
    this_week = text_of(slack.ask("leaderboard"))
    assert "(Nov 30 – Dec 6)" in this_week and "<@USAM>: 7,000 USD" in this_week
    assert "<@USAM>" not in text_of(slack.ask("leaderboard last week"))

    slack.services.workspaces.set("T1", "tz", "America/New_York")
    this_week = text_of(slack.ask("leaderboard"))
    assert "(Nov 23 – 29)" in this_week and "<@USAM>: 7,000 USD" in this_week
    # Monday in New York: the Sunday win is last week's.
    slack.clock.advance(timedelta(hours=1))
    assert "<@USAM>" not in text_of(slack.ask("leaderboard"))
    assert "<@USAM>: 7,000 USD" in text_of(slack.ask("leaderboard last week"))
