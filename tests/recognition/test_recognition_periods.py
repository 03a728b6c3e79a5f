"""Periods in the workspace's zone, rankings with their tie rules, and goal progress."""

from datetime import UTC, date, datetime, timedelta

from features.recognition.leaderboard import progress, rank_shoutouts, rank_wins
from features.recognition.periods import MONTH, QUARTER, WEEK, label, period_containing, previous
from features.recognition.records import Goal, Shoutout, Win

KL, NY, LONDON = "Asia/Kuala_Lumpur", "America/New_York", "Europe/London"
# Sunday 29 November 2026, 23:30 in New York: already Monday 12:30 in Kuala Lumpur.
SUNDAY_NIGHT_NY = datetime(2026, 11, 30, 4, 30, tzinfo=UTC)


def test_a_sunday_night_in_new_york_is_monday_in_kuala_lumpur():
    in_ny = period_containing(WEEK, SUNDAY_NIGHT_NY, NY)
    in_kl = period_containing(WEEK, SUNDAY_NIGHT_NY, KL)
    assert (in_ny.first_day, in_ny.last_day) == (date(2026, 11, 23), date(2026, 11, 29))
    assert (in_kl.first_day, in_kl.last_day) == (date(2026, 11, 30), date(2026, 12, 6))
    # Weeks start at local midnight on Monday.
    assert in_kl.start == datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
    assert in_ny.start == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    assert in_ny.contains(SUNDAY_NIGHT_NY) and not in_kl.contains(SUNDAY_NIGHT_NY - timedelta(1))


def test_months_and_quarters_follow_the_zone_too():
    # 30 Sep 2026 20:00 in New York is 1 October in Kuala Lumpur: a new month and quarter.
    instant = datetime(2026, 10, 1, 0, 0, tzinfo=UTC)
    assert period_containing(MONTH, instant, NY).first_day == date(2026, 9, 1)
    assert period_containing(MONTH, instant, KL).first_day == date(2026, 10, 1)
    assert period_containing(QUARTER, instant, NY).first_day == date(2026, 7, 1)
    q4 = period_containing(QUARTER, instant, KL)
    assert (q4.first_day, q4.last_day) == (date(2026, 10, 1), date(2026, 12, 31))
    assert previous(q4, KL).first_day == date(2026, 7, 1)
    assert previous(period_containing(MONTH, instant, KL), KL).first_day == date(2026, 9, 1)


def test_a_week_across_a_dst_change_is_seven_local_days():
    # London falls back on Sunday 25 October 2026: that week has 169 hours.
    week = period_containing(WEEK, datetime(2026, 10, 21, 12, tzinfo=UTC), LONDON)
    assert week.end - week.start == timedelta(hours=169)
    assert week.end == datetime(2026, 10, 26, 0, tzinfo=UTC)


def test_labels():
    instant = datetime(2026, 11, 25, tzinfo=UTC)
    assert label(period_containing(WEEK, instant, KL), "en") == "Nov 23 – 29"
    assert label(period_containing(MONTH, instant, KL), "en") == "November 2026"
    assert label(period_containing(QUARTER, instant, KL), "en") == "Q4 2026"


def at(hour: int) -> datetime:
    return datetime(2026, 11, 24, hour, tzinfo=UTC)


def win(i, user, cents, hour, currency="USD"):
    return Win(i, user, user, cents, currency, "deal", at(hour))


def test_wins_rank_by_amount_then_deals_then_who_got_there_first_then_id():
    wins = [
        win(1, "UB", 500_000, 1),
        win(2, "UA", 1_000_000, 2),  # A: 10k in one deal, reached at 02:00
        win(3, "UB", 500_000, 3),  # B: 10k in two deals
        win(4, "UC", 1_000_000, 2),  # C: 10k in one deal, also at 02:00
        win(5, "UD", 1_000_000, 1),  # D: 10k in one deal, first to get there
        win(6, "UE", 2_000_000, 5, "EUR"),  # not ranked: another currency
    ]
    ranked = rank_wins(wins, "USD")
    assert [s.user_id for s in ranked] == ["UB", "UD", "UA", "UC"]
    assert ranked[0].count == 2 and ranked[0].total == 1_000_000
    # The same records in any order give the same ranking.
    assert [s.user_id for s in rank_wins(list(reversed(wins)), "USD")] == ["UB", "UD", "UA", "UC"]


def test_shoutouts_rank_by_count_then_who_got_there_first_then_id():
    given = [
        Shoutout(1, "UX", "UA", "a", at(1)),
        Shoutout(2, "UX", "UB", "b", at(2)),
        Shoutout(3, "UY", "UB", "b2", at(3)),
        Shoutout(4, "UY", "UA", "a2", at(4)),
        Shoutout(5, "UY", "UC", "c", at(1)),
        Shoutout(6, "UZ", "UD", "d", at(1)),
    ]
    ranked = rank_shoutouts(given)
    assert [r.standing.user_id for r in ranked] == ["UB", "UA", "UC", "UD"]
    assert [s.reason for s in ranked[0].shoutouts] == ["b", "b2"]


def test_goal_progress_and_the_pace_needed():
    goal = Goal(10_000_000, "USD", MONTH, "UOLIVIA", at(0))  # 100k per month
    # 16 November 00:00 UTC: exactly half of November has gone (15 of 30 days).
    now = datetime(2026, 11, 16, tzinfo=UTC)
    wins = [
        Win(1, "UA", "UA", 3_000_000, "USD", "x", datetime(2026, 11, 3, tzinfo=UTC)),
        Win(2, "UA", "UA", 900_000, "EUR", "x", datetime(2026, 11, 4, tzinfo=UTC)),
        Win(3, "UA", "UA", 9_000_000, "USD", "x", datetime(2026, 10, 31, tzinfo=UTC)),
    ]
    p = progress(goal, wins, now, "UTC")
    assert p.won == 3_000_000 and p.percent == 30
    assert p.expected == 5_000_000 and p.behind == 2_000_000
    assert p.remaining == 7_000_000 and p.days_left == 15
    assert p.per_day == 466_700  # 7,000,000 / 15 rounded up to a whole dollar
    ahead = progress(goal, [*wins, win(9, "UB", 2_500_000, 1)], now, "UTC")
    assert ahead.behind == 0 and not ahead.reached
    done = progress(goal, [win(9, "UB", 12_000_000, 1)], datetime(2026, 11, 25, tzinfo=UTC), "UTC")
    assert done.reached and done.remaining == 0 and done.percent == 120
