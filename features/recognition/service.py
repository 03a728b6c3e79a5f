"""The rules of recognition: shout-outs, wins, the team goal, rankings.

Listeners and timed posts call `Recognition` for everything that needs the database; it
never talks to Slack. It is built once, in `build(core)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.workspace import Workspaces, WorkspaceSettings
from entities.errors import N_, UserError
from features.recognition.amounts import resolve_currency
from features.recognition.grammar import (
    GOAL_EXAMPLE,
    SHOUTOUT_EXAMPLE,
    WIN_FOR_EXAMPLE,
    GiveShoutout,
    LogWin,
    SetGoal,
)
from features.recognition.leaderboard import Board, Progress, board, progress
from features.recognition.periods import DAY, WEEK, Period, period_containing, previous
from features.recognition.records import Goal, Place, Win
from features.recognition.settings import daily_limit
from features.recognition.store import RecognitionStore
from storage.db import Database

# The same request again within this window is a repeat (a double click, a retry).
REPEAT_WINDOW = timedelta(minutes=2)
SLACKBOT = "USLACKBOT"


def currency_of(settings: WorkspaceSettings) -> str:
    """The workspace's default currency as an ISO code (`usd` stored by hand still works)."""
    return (settings.currency or "USD").strip().upper()


@dataclass(frozen=True)
class Given:
    """A shout-out request's outcome."""

    recorded: bool
    left_today: int = 0  # after this one


class Recognition:
    def __init__(self, database: Database, clock: Clock, workspaces: Workspaces) -> None:
        self.store = RecognitionStore(database)
        self.clock = clock
        self.workspaces = workspaces

    # -- shout-outs -------------------------------------------------------------------
    def give(
        self,
        team_id: str,
        giver_id: str,
        command: GiveShoutout,
        channel_id: str,
        bot_user_id: str | None,
    ) -> Given:
        """Record a shout-out per recipient, or raise a UserError saying why not."""
        for recipient in command.recipients:
            if recipient == giver_id:
                raise UserError(
                    N_("You can't give yourself a shout-out. Thank a teammate, like `{example}`."),
                    example=SHOUTOUT_EXAMPLE,
                )
            if recipient in (bot_user_id, SLACKBOT):
                raise UserError(
                    N_(
                        "Thank you, but shout-outs are for the people on your team, not for me."
                        " Try `{example}`."
                    ),
                    example=SHOUTOUT_EXAMPLE,
                )
        settings = self.workspaces.settings(team_id)
        limit = max(daily_limit(settings), 0)
        if limit == 0:
            raise UserError(N_("Shout-outs are switched off in this workspace."))
        now = self.clock.now()
        day = period_containing(DAY, now, settings.tz)
        result = self.store.give(
            team_id,
            giver_id,
            command.recipients,
            command.reason,
            channel_id,
            command.request_key,
            now,
            (day.start, day.end),
            limit,
            now - REPEAT_WINDOW,
        )
        if result.repeat:
            return Given(False)
        if not result.given:
            left = max(limit - result.given_today, 0)
            if left == 0:
                raise UserError(
                    N_(
                        "You've given all {limit} of today's shout-outs. You can give more"
                        " from {when}."
                    ),
                    limit=limit,
                    when=day.end,
                )
            raise UserError(
                N_(
                    "That would be {wanted} shout-outs, and you have {left} left today"
                    " (the limit is {limit} a day). Thank fewer people at once."
                ),
                wanted=len(command.recipients),
                left=left,
                limit=limit,
            )
        return Given(True, limit - result.given_today - len(command.recipients))

    # -- wins -------------------------------------------------------------------------
    def log_win(
        self,
        team_id: str,
        user_id: str,
        command: LogWin,
        channel_id: str,
        is_manager: bool,
        bot_user_id: str | None,
    ) -> Win | None:
        """Record a win (for the sender, or a manager's `for @user`); None for a repeat."""
        owner = command.for_user or user_id
        if owner in (bot_user_id, SLACKBOT):
            raise UserError(
                N_("Wins belong to the people on your team, not to me. Try `{example}`."),
                example=WIN_FOR_EXAMPLE,
            )
        if owner != user_id and not is_manager:
            raise UserError(
                N_(
                    "Sorry, only managers can log a win for someone else. Log your own with"
                    " `{example}`, or ask a manager to log it for them."
                ),
                example="/salesmeet win 12,500 Acme renewal",
            )
        settings = self.workspaces.settings(team_id)
        currency = resolve_currency(command.currency, currency_of(settings))
        now = self.clock.now()
        return self.store.log_win(
            team_id,
            owner,
            user_id,
            command.amount_cents,
            currency,
            command.note,
            channel_id,
            command.request_key(owner, currency),
            now,
            now - REPEAT_WINDOW,
        )

    # -- the goal ---------------------------------------------------------------------
    def set_goal(self, team_id: str, user_id: str, command: SetGoal, is_manager: bool) -> Goal:
        if not is_manager:
            raise UserError(
                N_(
                    "Sorry, only managers can set the team goal. See the progress with"
                    " `/salesmeet goal`."
                )
            )
        settings = self.workspaces.settings(team_id)
        currency = resolve_currency(command.currency, currency_of(settings))
        if currency != currency_of(settings):
            raise UserError(
                N_(
                    "The team goal is in the workspace currency, {currency}, so that wins"
                    " count towards it without exchange rates. Write it like `{example}`."
                ),
                currency=currency_of(settings),
                example=GOAL_EXAMPLE,
            )
        return self.store.set_goal(
            team_id, command.amount_cents, currency, command.period, user_id, self.clock.now()
        )

    def clear_goal(self, team_id: str, is_manager: bool) -> bool:
        if not is_manager:
            raise UserError(N_("Sorry, only managers can clear the team goal."))
        return self.store.clear_goal(team_id)

    def progress(self, team_id: str, now: datetime | None = None) -> Progress | None:
        goal = self.store.goal(team_id)
        if goal is None:
            return None
        now = now or self.clock.now()
        tz = self.workspaces.settings(team_id).tz
        period = period_containing(goal.period, now, tz)
        return progress(goal, self.store.wins(team_id, period.start, period.end), now, tz)

    # -- rankings ---------------------------------------------------------------------
    def board(self, team_id: str, kind: str, last: bool = False) -> Board:
        settings = self.workspaces.settings(team_id)
        period = period_containing(kind, self.clock.now(), settings.tz)
        if last:
            period = previous(period, settings.tz)
        return self._board_of(team_id, period, currency_of(settings))

    def currency(self, team_id: str) -> str:
        """The workspace's currency: boards and the goal count wins in it."""
        return currency_of(self.workspaces.settings(team_id))

    def week_board(self, team_id: str, instant: datetime) -> Board:
        """The board of the Monday-to-Sunday week `instant` falls in."""
        settings = self.workspaces.settings(team_id)
        week = period_containing(WEEK, instant, settings.tz)
        return self._board_of(team_id, week, currency_of(settings))

    def _board_of(self, team_id: str, period: Period, currency: str) -> Board:
        wins = self.store.wins(team_id, period.start, period.end)
        shoutouts = self.store.shoutouts(team_id, period.start, period.end)
        return board(period, wins, shoutouts, currency)

    def recent(self, team_id: str) -> tuple[Board, bool]:
        """This week's board, or last week's when this week has nothing yet (a Monday
        morning meeting still has someone to recognise). The bool says "last week"."""
        settings = self.workspaces.settings(team_id)
        week = period_containing(WEEK, self.clock.now(), settings.tz)
        current = self._board_of(team_id, week, currency_of(settings))
        if not current.empty:
            return current, False
        return self._board_of(team_id, previous(week, settings.tz), currency_of(settings)), True

    # -- where recognition happens ----------------------------------------------------
    def touch(self, team_id: str, user_id: str, channel_id: str | None) -> None:
        """Remember the last recognition's person, and its channel when it is one the
        weekly post can go to (a public or private channel, not a DM)."""
        usable = channel_id if channel_id and channel_id[0] in "CG" else None
        self.store.touch(team_id, user_id, usable, self.clock.now())

    def place(self, team_id: str) -> Place | None:
        """Where recognition last happened, and who did it."""
        return self.store.place(team_id)

    def teams(self) -> list[str]:
        """Workspaces with any recognition data."""
        return self.store.teams()
