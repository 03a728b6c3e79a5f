"""The weekly digest as timed posts: which rows to plan, and what each row posts.

Per workspace and week there is one channel row (kind "digest", meeting 0) and one row
per manager (kind "digest-dm", meeting = -their recipient number, see schema.py), all
keyed by the week's start and due at the digest time. Each DM is its own row: a manager
whose DM fails or is retried never makes the channel post or anyone else's DM go out
twice, and they share one computation of the figures.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from bot.feature import Core
from bot.i18n import Translator
from bot.settings import MANAGERS
from bot.timed_posts import HORIZON
from entities.deliveries import Composed, Composer, Delivery, Planned
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.digest import blocks
from features.digest.figures import WeekFigures, due_in_week, shift_weeks, week_start
from features.digest.service import Digests
from features.digest.settings import SCHEDULE_KEYS, digest_channel, digest_schedule

DIGEST, DIGEST_DM = "digest", "digest-dm"


class DigestPosts:
    def __init__(self, core: Core, digests: Digests) -> None:
        self.digests = digests
        self.store = digests.store
        self.workspaces = core.workspaces
        self.deliveries = core.planner.deliveries
        self.managers = core.managers
        self.directory = core.directory
        self.clock = core.clock
        self.served_team = core.dispatcher.team_id  # None: every workspace (tools)
        self._memo: dict[str, tuple[datetime, list[Planned]]] = {}
        self._lock = threading.Lock()

    # -- planning -----------------------------------------------------------------------

    def planned(self, team_id: str, now: datetime, until: datetime, sync: bool) -> list[Planned]:
        """The channel row and the managers' rows of each digest due in (now, until]."""
        settings = self.workspaces.settings(team_id)
        tz = settings.tz
        day, at = digest_schedule(settings)
        first = week_start(now, tz)
        weeks = []
        for ahead in range(0, int((until - now).days // 7) + 2):
            start = shift_weeks(first, ahead, tz)
            due = due_in_week(start, day, at, tz)
            if due > until:
                break
            if due > now:
                weeks.append((int(start.timestamp()), due))
        if not weeks:
            return []
        if sync:
            self.managers.sync(team_id)
        numbers = self.store.recipient_numbers(team_id, self.managers.of(team_id))
        posts = []
        for key, due in weeks:
            posts.append(Planned(team_id, DIGEST, 0, key, due))
            posts += [Planned(team_id, DIGEST_DM, -n, key, due) for n in sorted(numbers.values())]
        return posts

    def team_posts(self, now: datetime, until: datetime) -> list[Planned]:
        """Feature hook: the digests of the workspace this process serves (the planner's
        hourly pass), or of every workspace when that is not known (no Slack client)."""
        served = self.served_team
        teams = [served] if served else self.workspaces.teams()
        return [p for team in teams for p in self.planned(team, now, until, True)]

    def meeting_posts(self, meeting: Meeting, occurrence: Occurrence, now: datetime):
        """Feature hook, used so that a workspace that schedules meetings has its digest
        planned at once, not only at the next hourly pass. Only rows that do not exist
        yet are offered (the planner would otherwise reset a pending row's retries), and
        Slack is not asked anything here: this runs while a meeting is being booked."""
        with self._lock:
            memo = self._memo.get(meeting.team_id)
            if memo and memo[0] == now:
                return memo[1]
        missing = [
            p
            for p in self.planned(meeting.team_id, now, now + HORIZON, sync=False)
            if self.deliveries.find(p.team_id, p.kind, p.meeting_id, p.occurrence) is None
        ]
        with self._lock:
            self._memo[meeting.team_id] = (now, missing)
        return missing

    def replan(self, team_id: str) -> None:
        """After the schedule, channel or managers change: pending rows go, and are
        planned again by the next pass (the caller runs it). Sent rows stay sent, so a
        week's digest still goes out once."""
        self.deliveries.drop_pending(team_id, DIGEST)
        for number in self.store.all_recipient_numbers(team_id):
            self.deliveries.drop_pending(team_id, DIGEST_DM, -number)
        with self._lock:
            self._memo.pop(team_id, None)

    def next_due(self, team_id: str, now: datetime) -> datetime:
        """When the next digest goes out, as the settings are now."""
        settings = self.workspaces.settings(team_id)
        day, at = digest_schedule(settings)
        start = week_start(now, settings.tz)
        for ahead in range(3):
            due = due_in_week(shift_weeks(start, ahead, settings.tz), day, at, settings.tz)
            if due > now:
                return due
        return due

    def settings_changed(self, tr: Translator, team_id: str, keys: frozenset[str]) -> list[str]:
        """Feature hook: after its channel, its time or the zone change, the pending
        digests follow and the manager is told when the next one goes out; after the
        managers change, the pending DMs follow, with nothing to say."""
        if keys & SCHEDULE_KEYS:
            self.replan(team_id)
            return [blocks.next_digest_note(tr, self.next_due(team_id, self.clock.now()))]
        if MANAGERS in keys:
            self.replan(team_id)
        return []

    # -- composing ------------------------------------------------------------------------

    def compose_channel(self, row: Delivery, now: datetime, late: bool) -> Composed | None:
        """The channel post: the digest channel, or else the channel where most of the
        week's meetings were; nothing when there is neither."""
        figures = self.digests.figures(row.team_id, _utc(row.occurrence), reuse=True)
        target = digest_channel(figures.settings) or figures.busiest_channel
        if not target or _nothing_to_say(figures):
            return None
        tr = self.workspaces.channel_tr(row.team_id)  # the workspace's language
        managers = self.managers.of(row.team_id)
        return Composed(
            channel_id=target,
            message=blocks.digest_message(tr, figures, row.due_at if late else None),
            owner_id=managers[0] if managers else "",
            what=blocks.what_text(tr, figures),
        )

    def compose_dm(self, row: Delivery, now: datetime, late: bool) -> Composed | None:
        """One manager's DM; skipped if they are no longer a manager."""
        user_id = self.store.recipient(row.team_id, -row.meeting_id)
        if user_id is None or user_id not in self.managers.of(row.team_id):
            return None
        figures = self.digests.figures(row.team_id, _utc(row.occurrence), reuse=True)
        if _nothing_to_say(figures):
            return None
        tr = self.directory.reader(row.team_id, user_id)
        target = digest_channel(figures.settings) or figures.busiest_channel
        return Composed(
            channel_id=user_id,
            message=blocks.digest_message(tr, figures, row.due_at if late else None, target),
            owner_id=user_id,
            what=blocks.what_text(tr, figures),
        )

    def composers(self) -> dict[str, Composer]:
        return {DIGEST: self.compose_channel, DIGEST_DM: self.compose_dm}


def _nothing_to_say(figures: WeekFigures) -> bool:
    """No meetings this week or the week before: a quiet workspace gets no digest."""
    before = figures.previous.occurrences if figures.previous else 0
    return not figures.totals.occurrences and not before


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
