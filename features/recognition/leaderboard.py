"""Rankings and goal progress: pure functions over the records of one period.

Ties are broken the same way everywhere (leaderboard, weekly post, reminders, App Home):

- by amount won: the larger total, then more deals, then whoever reached their total
  first (the earlier last win), then the Slack user id;
- by shout-outs received: more shout-outs, then whoever reached that count first, then
  the Slack user id.

Only wins in the ranking currency count (no exchange rates offline); the others are
listed apart, per person and currency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from features.recognition.periods import Period, days_left, period_containing
from features.recognition.records import Goal, Shoutout, Win


@dataclass(frozen=True)
class Standing:
    user_id: str
    total: int  # cents won, or shout-outs received
    count: int  # deals, or shout-outs received
    reached_at: datetime  # when the total was reached (the latest record)


@dataclass(frozen=True)
class Recognised:
    standing: Standing
    shoutouts: tuple[Shoutout, ...]  # oldest first


@dataclass(frozen=True)
class Board:
    """One period's standings."""

    period: Period
    currency: str
    by_amount: list[Standing]
    by_shoutouts: list[Recognised]
    other_currencies: list[tuple[str, str, int]]  # (user, currency, cents), sorted

    @property
    def empty(self) -> bool:
        return not (self.by_amount or self.by_shoutouts or self.other_currencies)


def rank_wins(wins: Iterable[Win], currency: str) -> list[Standing]:
    totals: dict[str, list] = {}
    for win in sorted(wins, key=lambda w: (w.created_at, w.id)):
        if win.currency != currency:
            continue
        entry = totals.setdefault(win.user_id, [0, 0, win.created_at])
        entry[0] += win.amount_cents
        entry[1] += 1
        entry[2] = win.created_at
    standings = [Standing(u, t, c, at) for u, (t, c, at) in totals.items()]
    return sorted(standings, key=lambda s: (-s.total, -s.count, s.reached_at, s.user_id))


def rank_shoutouts(shoutouts: Iterable[Shoutout]) -> list[Recognised]:
    received: dict[str, list[Shoutout]] = {}
    for shoutout in sorted(shoutouts, key=lambda s: (s.created_at, s.id)):
        received.setdefault(shoutout.recipient_id, []).append(shoutout)
    ranked = [
        Recognised(Standing(user, len(given), len(given), given[-1].created_at), tuple(given))
        for user, given in received.items()
    ]
    return sorted(
        ranked, key=lambda r: (-r.standing.count, r.standing.reached_at, r.standing.user_id)
    )


def other_currencies(wins: Iterable[Win], currency: str) -> list[tuple[str, str, int]]:
    sums: dict[tuple[str, str], int] = {}
    for win in wins:
        if win.currency != currency:
            key = (win.user_id, win.currency)
            sums[key] = sums.get(key, 0) + win.amount_cents
    return sorted((user, cur, cents) for (user, cur), cents in sums.items())


def board(period: Period, wins: list[Win], shoutouts: list[Shoutout], currency: str) -> Board:
    return Board(
        period,
        currency,
        rank_wins(wins, currency),
        rank_shoutouts(shoutouts),
        other_currencies(wins, currency),
    )


@dataclass(frozen=True)
class Progress:
    """Where the team stands against its goal, and the pace it needs."""

    goal: Goal
    period: Period
    won: int  # cents in the goal's currency, this period so far
    expected: int  # where an even pace would have the team by now
    days_left: int  # today included

    @property
    def remaining(self) -> int:
        return max(self.goal.amount_cents - self.won, 0)

    @property
    def behind(self) -> int:
        """How far below the even pace the team is (0 when on or ahead of it)."""
        return max(self.expected - self.won, 0)

    @property
    def reached(self) -> bool:
        return self.won >= self.goal.amount_cents

    @property
    def percent(self) -> int:
        return self.won * 100 // self.goal.amount_cents

    @property
    def per_day(self) -> int:
        """Cents a day needed from today to the period's last day, rounded up to a whole
        unit (people plan in dollars, not cents)."""
        return -(-self.remaining // (self.days_left * 100)) * 100


def progress(goal: Goal, wins: Iterable[Win], now: datetime, tz: str) -> Progress:
    """Progress in the goal's period containing `now`; `wins` may span more than it."""
    period = period_containing(goal.period, now, tz)
    won = sum(
        w.amount_cents
        for w in wins
        if w.currency == goal.currency and period.contains(w.created_at)
    )
    elapsed = (now - period.start) / (period.end - period.start)
    # Whole units, so "behind by" reads 2,000 USD rather than 1,999.87 USD.
    expected = int(goal.amount_cents * min(max(elapsed, 0.0), 1.0)) // 100 * 100
    return Progress(goal, period, won, expected, days_left(period, now, tz))
