"""The rules of recognition, and the weekly top-performer post as a timed post.

Handlers call `Recognition` for everything that needs the database; it never talks to
Slack. The weekly post is a delivery row (kind "shoutouts", meeting 0, occurrence =
the start of the week it covers), so the delivery machinery sends it on time, once,
and catches up after downtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slack_sdk.models.blocks import Block

from bot.clock import Clock
from bot.i18n import Translator, translator
from bot.mrkdwn import date_token
from bot.workspace import Workspaces, WorkspaceSettings
from entities.deliveries import Composed, Delivery, Planned
from entities.errors import N_, UserError
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.recognition import posts
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
from features.recognition.periods import (
    DAY,
    WEEK,
    Period,
    at_local,
    first_day_of,
    local_day,
    local_midnight,
    period_containing,
    previous,
)
from features.recognition.settings import (
    SCHEDULE_KEYS,
    daily_limit,
    shoutout_channel,
    shoutout_schedule,
)
from features.recognition.store import Goal, RecognitionStore, Win
from storage.db import Database
from storage.deliveries import DeliveryStore

SHOUTOUTS = "shoutouts"  # the delivery kind of the weekly top-performer post
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
        self.deliveries = DeliveryStore(database)
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
                    when=date_token(day.end),
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

    # -- the weekly post --------------------------------------------------------------
    def weekly_posts(self, team_id: str, now: datetime, until: datetime) -> list[Planned]:
        """The weekly posts due in (now, until]: on the configured day and time in the
        workspace's zone. A post covers the Monday-to-Sunday week it falls in; one set
        for a Monday covers the week that just ended."""
        settings = self.workspaces.settings(team_id)
        place = self.store.place(team_id)
        if not (shoutout_channel(settings) or (place and place.channel_id)):
            return []  # nowhere to post: plan nothing
        tz = settings.tz
        day, at = shoutout_schedule(settings)
        week = first_day_of(WEEK, local_day(now, tz)) - timedelta(days=7)
        planned: list[Planned] = []
        for _ in range(60):  # bounded: the horizon is weeks, not years
            due = at_local(week + timedelta(days=day), at, tz)
            if due > until:
                break
            if due > now:
                covered = week - timedelta(days=7) if day == 0 else week
                start = int(local_midnight(covered, tz).timestamp())
                planned.append(Planned(team_id, SHOUTOUTS, 0, start, due))
            week += timedelta(days=7)
        return planned

    def team_posts(self, now: datetime, until: datetime) -> list[Planned]:
        """Weekly posts of every workspace with recognition data."""
        return [p for team in self.store.teams() for p in self.weekly_posts(team, now, until)]

    def settings_changed(self, tr: Translator, team_id: str, keys: frozenset[str]) -> list[str]:
        """Feature hook: after its channel, its time or the zone change, the pending weekly
        posts go; the core's planning pass that follows adds them at their new time."""
        if keys & SCHEDULE_KEYS:
            self.deliveries.drop_pending(team_id, SHOUTOUTS)
        return []

    def compose(self, row: Delivery, now: datetime, late: bool) -> Composed | None:
        """The weekly post for a row; None (settled as skipped) when the week had no wins
        and no shout-outs, or there is no channel to post in."""
        settings = self.workspaces.settings(row.team_id)
        place = self.store.place(row.team_id)
        channel_id = shoutout_channel(settings) or (place.channel_id if place else None)
        if not channel_id:
            return None
        # The middle of the covered week: robust to a zone changed since the row was planned.
        middle = datetime.fromtimestamp(row.occurrence, UTC) + timedelta(days=3, hours=12)
        week = period_containing(WEEK, middle, settings.tz)
        this_week = self._board_of(row.team_id, week, currency_of(settings))
        if this_week.empty:
            return None
        tr = translator(None)  # channel posts use the workspace's language
        message = posts.weekly_post(
            tr, this_week, self.progress(row.team_id, now), row.due_at if late else None
        )
        return Composed(
            channel_id=channel_id,
            message=message,
            owner_id=place.user_id if place else "",
            what=tr.gettext("the weekly top-performer post"),
        )

    # -- blocks for shared views ------------------------------------------------------
    def reminder_blocks(
        self, tr: Translator, meeting: Meeting, occurrence: Occurrence | None
    ) -> list[Block]:
        """A motivation meeting's reminder carries the top performers and goal progress."""
        if meeting.purpose != "motivation":
            return []
        current, last = self.recent(meeting.team_id)
        return posts.summary_blocks(tr, "reminder", current, last, self.progress(meeting.team_id))

    def home_blocks(self, tr: Translator, team_id: str, user_id: str) -> list[Block]:
        current, last = self.recent(team_id)
        return posts.summary_blocks(tr, "home", current, last, self.progress(team_id))
