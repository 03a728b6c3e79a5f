"""The weekly top-performer post as a timed post, and the board in motivation reminders.

The weekly post is a delivery row (kind "shoutouts", meeting 0, occurrence = the start
of the week it covers), so the delivery machinery sends it on time, once, and catches
up after downtime.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk.models.blocks import Block

from bot.feature import Core
from bot.i18n import Translator
from bot.timed_posts import HORIZON
from entities.deliveries import Composed, Delivery, Planned
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.recognition import blocks
from features.recognition.periods import WEEK, at_local, first_day_of, local_day, local_midnight
from features.recognition.service import Recognition
from features.recognition.settings import SCHEDULE_KEYS, shoutout_channel, shoutout_schedule

SHOUTOUTS = "shoutouts"  # the delivery kind of the weekly top-performer post


class WeeklyPost:
    def __init__(self, core: Core, recognition: Recognition) -> None:
        self.recognition = recognition
        self.workspaces = core.workspaces
        self.deliveries = core.planner.deliveries
        self.clock = core.clock
        self.alarm = core.alarm

    def planned(self, team_id: str, now: datetime, until: datetime) -> list[Planned]:
        """The weekly posts due in (now, until]: on the configured day and time in the
        workspace's zone. A post covers the Monday-to-Sunday week it falls in; one set
        for a Monday covers the week that just ended."""
        settings = self.workspaces.settings(team_id)
        place = self.recognition.place(team_id)
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
        """Feature hook: the weekly posts of every workspace with recognition data."""
        return [p for team in self.recognition.teams() for p in self.planned(team, now, until)]

    def plan_now(self, team_id: str) -> None:
        """The first recognition of a workspace must not wait for the hourly planning pass."""
        now = self.clock.now()
        self.deliveries.plan(self.planned(team_id, now, now + HORIZON), now)
        self.alarm.wake()

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
        place = self.recognition.place(row.team_id)
        channel_id = shoutout_channel(settings) or (place.channel_id if place else None)
        if not channel_id:
            return None
        # The middle of the covered week: robust to a zone changed since the row was planned.
        middle = datetime.fromtimestamp(row.occurrence, UTC) + timedelta(days=3, hours=12)
        this_week = self.recognition.week_board(row.team_id, middle)
        if this_week.empty:
            return None
        tr = self.workspaces.channel_tr(row.team_id)  # the workspace's language
        message = blocks.weekly_post(
            tr, this_week, self.recognition.progress(row.team_id, now), row.due_at if late else None
        )
        return Composed(
            channel_id=channel_id,
            message=message,
            owner_id=place.user_id if place else "",
            what=tr.gettext("the weekly top-performer post"),
        )

    def reminder_blocks(
        self, tr: Translator, meeting: Meeting, occurrence: Occurrence | None
    ) -> list[Block]:
        """Feature hook: a motivation meeting's reminder carries the top performers and
        the goal's progress."""
        if meeting.purpose != "motivation":
            return []
        current, last = self.recognition.recent(meeting.team_id)
        progress = self.recognition.progress(meeting.team_id)
        return blocks.summary_blocks(tr, "reminder", current, last, progress)
