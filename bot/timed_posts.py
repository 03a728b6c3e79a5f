"""Timed posts: planning delivery rows from meetings, and sending the ones that are due.

The database is the truth (storage/deliveries.py); APScheduler only decides when to
look (bot/alarm.py). Each post is claimed before it is sent and settled after, so a
restart, a retried job or a second process never posts it twice.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.channel_posts import find_posted, post_key, tagged
from bot.clock import Clock
from bot.hooks import Hooks
from bot.i18n import Translator, translator
from bot.workspace import Workspaces, WorkspaceSettings
from entities.deliveries import (
    FAILED,
    MISSED,
    PENDING,
    SENT,
    SKIPPED,
    Composed,
    Composer,
    Delivery,
    Planned,
)
from entities.meetings import LEAD_OFF, Meeting, is_short
from storage.deliveries import DeliveryStore
from storage.meetings import MeetingStore

log = logging.getLogger(__name__)

AGENDA, REMINDER = "agenda", "reminder"
# Rows exist this far ahead; a periodic pass extends the horizon for series.
HORIZON = timedelta(days=14)
# Sent more than this after its due time, a post says it is late.
LATE_AFTER = timedelta(minutes=1)
# After slack_sdk's own quick retries fail, try again later on this schedule, then give up.
RETRY_BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
MAX_ATTEMPTS = len(RETRY_BACKOFF) + 1
# A claim this old belongs to a process that died mid-send.
STALE_CLAIM = timedelta(minutes=5)


# (composed, problem: "missed" | "failed", error) -> message for the owner
# (owner's translator, the post, missed or failed, Slack's error) -> the owner's DM
Notice = Callable[[Translator, Composed, str, str | None], dict]
# (team, user) -> the translator of what that person reads alone
Reader = Callable[[str, str], Translator]


# Stored as planned_until for a meeting whose every post exists: never plan it again.
FULLY_PLANNED = datetime(9999, 1, 1, tzinfo=UTC)


def planned_until(meeting: Meeting, until: datetime) -> datetime:
    """How far a meeting's rows now reach: `until`, or for good when its last occurrence
    ends before then (a one-off meeting, or a finite series; posts that features plan at
    an occurrence's end are included)."""
    last = meeting.last_start()
    done = last is not None and last + meeting.duration <= until
    return FULLY_PLANNED if done else until


class Planner:
    """Keeps delivery rows in step with meetings."""

    def __init__(
        self,
        meetings: MeetingStore,
        deliveries: DeliveryStore,
        workspaces: Workspaces,
        clock: Clock,
        features: Hooks | None = None,
    ) -> None:
        self.meetings = meetings
        self.deliveries = deliveries
        self.workspaces = workspaces
        self.clock = clock
        self.features = features

    def posts_for(
        self,
        meeting: Meeting,
        now: datetime,
        until: datetime,
        defaults: WorkspaceSettings | None = None,
    ) -> list[Planned]:
        """Agenda prompt and reminder of each occurrence that starts after `now`, due by
        `until`. One scheduled inside a lead time is due at once; a meeting that starts
        within the reminder lead gets its reminder only (it carries the agenda).

        Quiet channels: a workspace can switch either off (`config agenda-lead off`), a
        meeting can (`agenda off`, stored as LEAD_OFF), and a short meeting (a standup)
        gets its reminder only; a lead the meeting itself names is always honoured (it
        was asked for)."""
        if meeting.cancelled:
            return []
        defaults = defaults or self.workspaces.settings(meeting.team_id)
        agenda_lead = meeting.agenda_lead or defaults.agenda_lead
        reminder_lead = meeting.reminder_lead or defaults.reminder_lead
        want_reminder = meeting.reminder_lead != LEAD_OFF and (
            defaults.reminders or meeting.reminder_lead is not None
        )
        want_agenda = meeting.agenda_lead != LEAD_OFF and (
            meeting.agenda_lead is not None or (defaults.agenda_prompts and not is_short(meeting))
        )
        reach = until + max(agenda_lead, reminder_lead)
        planned: list[Planned] = []
        for occurrence in meeting.occurrences(now, reach):
            if occurrence.start <= now:
                continue
            leads = [(REMINDER, reminder_lead)] if want_reminder else []
            if want_agenda and (occurrence.start - now > reminder_lead or not want_reminder):
                leads.append((AGENDA, agenda_lead))
            for kind, lead in leads:
                due = max(occurrence.start - lead, now)
                if due <= until:
                    planned.append(Planned(meeting.team_id, kind, meeting.id, occurrence.key, due))
            if self.features:
                extra = self.features.meeting_posts(meeting, occurrence, now)
                planned += [p for p in extra if p.due_at <= until]
        return planned

    def meeting_changed(self, meeting: Meeting) -> None:
        """After a create, move, skip or cancel: pending posts follow the meeting; posts
        already sent stay sent; posts of skipped or cancelled occurrences are skipped."""
        now = self.clock.now()
        if meeting.cancelled:
            self.deliveries.skip_pending(meeting.team_id, meeting.id)
            return
        until = now + HORIZON
        posts = self.posts_for(meeting, now, until)
        self.deliveries.plan(posts, now, reschedule=True)
        keep = {(p.kind, p.occurrence) for p in posts}
        self.deliveries.retire_pending(
            meeting.team_id, meeting.id, keep, skipped=set(meeting.skipped), after=now
        )
        self.meetings.set_planned_until(
            meeting.team_id, [(meeting.id, planned_until(meeting, until))]
        )

    def extend_horizon(self, team_id: str | None = None) -> int:
        """Plan rows for every meeting (of one workspace, when given) whose rows do not
        reach far enough ahead yet.

        Writes go in one transaction per workspace, not one per meeting: after a long
        outage many meetings need this at once, and the alarm waits for it."""
        now = self.clock.now()
        until = now + HORIZON
        added = 0
        by_team: dict[str, list[Meeting]] = {}
        # Re-plan when less than half the horizon is left, so this runs rarely per meeting.
        for meeting in self.meetings.needing_plan(now, now + HORIZON / 2, team_id):
            by_team.setdefault(meeting.team_id, []).append(meeting)
        for team_id, meetings in by_team.items():
            defaults = self.workspaces.settings(team_id)
            posts = [p for m in meetings for p in self.posts_for(m, now, until, defaults)]
            added += self.deliveries.plan(posts, now)
            self.meetings.set_planned_until(
                team_id, [(m.id, planned_until(m, until)) for m in meetings]
            )
        if self.features:
            posts = self.features.team_posts(now, until)
            mine = [p for p in posts if team_id is None or p.team_id == team_id]
            added += self.deliveries.plan(mine, now)
        return added


def claimer_gone(claimed_by: str | None, holder: str) -> bool:
    """True when a claim was made by a process on this host that no longer runs."""
    try:
        host, pid, _ = (claimed_by or "").split(":")
        our_host, our_pid, _ = holder.split(":")
    except ValueError:
        return False
    if host != our_host or not pid.isdigit() or pid == our_pid:
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    return False


# Slack's answers meaning the token no longer works: retrying cannot help.
REFUSED_TOKEN = frozenset(
    {"invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed"}
)
# How often a post someone is waiting for is sent at once when the connection drops.
SEND_NOW_TRIES = 3


class Dispatcher:
    """Sends due posts: claim, post, settle. Failures are kept on the row, never lost."""

    def __init__(
        self,
        deliveries: DeliveryStore,
        workspaces: Workspaces,
        client_for: Callable[[str], WebClient],
        clock: Clock,
        holder: str,
        composers: dict[str, Composer],
        notice: Notice,
        senders: int = 4,
        team_id: str | None = None,
        reader: Reader = lambda team_id, user_id: translator(None),
    ) -> None:
        self.deliveries = deliveries
        self.install_id = deliveries.database.install_id()  # in every post's key
        self.workspaces = workspaces
        self.client_for = client_for
        self.clock = clock
        self.holder = holder
        self.composers = composers
        self.notice = notice
        self.reader = reader
        # Only this workspace's rows: its token cannot post anywhere else.
        self.team_id = team_id
        # The claim makes concurrent sends safe: no row can be sent by two threads.
        self._senders = ThreadPoolExecutor(senders, thread_name_prefix="salesmeet-post")

    def recover(self) -> int:
        """Rows a dead process claimed: whether Slack got them is unknown, so they go back
        to pending marked uncertain, and are checked against the channel before a resend.

        A claim is dead when its process on this host is gone (known at once, e.g. after
        a restart) or when it is older than STALE_CLAIM (another host's process)."""
        limit = self.clock.now() - STALE_CLAIM
        dead = [
            row
            for row in self.deliveries.sending(self.team_id)
            if claimer_gone(row.claimed_by, self.holder)
            or (row.claimed_at is not None and row.claimed_at < limit)
        ]
        for row in dead:
            self.deliveries.settle(row.id, PENDING, self.clock.now(), uncertain=True)
        return len(dead)

    def _key(self, row: Delivery) -> str:
        return post_key(self.install_id, row.team_id, row.kind, row.meeting_id, row.occurrence)

    def run_due(self, batch: int = 100) -> int:
        """Send everything due now, oldest first, a few posts in flight at once (a burst
        is bound by Slack's latency, not SQLite's). Returns how many rows were settled."""
        settled = 0
        for _ in range(1000):  # bounded: each pass settles or postpones what it read
            due = self.deliveries.due(self.clock.now(), batch, self.team_id)
            settled += sum(self._senders.map(self._deliver, due))
            if len(due) < batch:
                break
        return settled

    def send_one(
        self, team_id: str, kind: str, meeting_id: int, occurrence: int
    ) -> Delivery | None:
        """Send one row now, in this thread (a change's notice, for the person waiting on
        it); the row as it stands afterwards. A row another process holds is left to it."""
        row = self.deliveries.find(team_id, kind, meeting_id, occurrence)
        if row is None or row.state != PENDING or row.due_at > self.clock.now():
            return row
        # A dropped connection is tried again at once (looking in the channel first), as
        # often as slack_sdk retries one elsewhere; Slack's refusal waits for the alarm.
        for _ in range(SEND_NOW_TRIES):
            self._deliver(row)
            row = self.deliveries.find(team_id, kind, meeting_id, occurrence)
            if row is None or row.state != PENDING or not row.uncertain:
                break
        return row

    def _deliver(self, row: Delivery) -> int:
        now = self.clock.now()  # per row: lateness and timestamps are the post's own
        composer = self.composers.get(row.kind)
        late_limit = self.workspaces.settings(row.team_id).late_limit
        if now - row.due_at > late_limit:
            if self.deliveries.settle(row.id, MISSED, now, from_state=PENDING):
                composed = composer(row, now, True) if composer else None
                if composed:
                    self._tell_owner(row, composed, MISSED, None)
            return 1
        if not self.deliveries.claim(row.id, self.holder, now):
            return 0  # another process has it
        late = now - row.due_at > LATE_AFTER
        composed = composer(row, now, late) if composer else None
        if composed is None:
            self.deliveries.settle(row.id, SKIPPED, now)
            return 1
        client = self.client_for(row.team_id)
        if row.uncertain:
            since = row.claimed_at or row.due_at
            ts = find_posted(client, composed.channel_id, "post", self._key(row), since)
            if ts:
                self.deliveries.settle(row.id, SENT, now, message_ts=ts, late=late)
                return 1
        message = tagged(composed.message, "post", self._key(row))
        try:
            response = client.chat_postMessage(channel=composed.channel_id, **message)
        except SlackApiError as error:
            code = error.response.get("error") or str(error)
            if code in REFUSED_TOKEN:
                self._hold(row, code, now)
                return 1
            self._failed(row, composed, now, code, False)
            return 1
        except (SlackClientError, OSError) as error:
            # A timeout or dropped connection: Slack may have posted it.
            self._failed(row, composed, now, f"{type(error).__name__}: {error}", True)
            return 1
        self.deliveries.settle(
            row.id,
            SENT,
            now,
            message_ts=response.get("ts"),
            channel_id=response.get("channel") or composed.channel_id,
            late=late,
        )
        return 1

    def _hold(self, row: Delivery, error: str, now: datetime) -> None:
        """Slack refused the workspace's token (uninstalled, deactivated): its posts wait,
        untried, until it is installed again; said once in the log, not once a post."""
        self.deliveries.settle(row.id, PENDING, now)
        if self.deliveries.hold(row.team_id, error, now):
            log.warning("Slack refused the token of %s (%s): its posts wait", row.team_id, error)

    def _failed(
        self, row: Delivery, composed: Composed, now: datetime, error: str, uncertain: bool
    ) -> None:
        attempts = row.attempts + 1
        log.warning("delivery %s (%s) try %s failed: %s", row.id, row.kind, attempts, error)
        if attempts >= MAX_ATTEMPTS:
            self.deliveries.settle(row.id, FAILED, now, error=error, uncertain=uncertain)
            self._tell_owner(row, composed, FAILED, error)
            return
        retry_at = now + RETRY_BACKOFF[attempts - 1]
        self.deliveries.settle(
            row.id, PENDING, now, error=error, retry_at=retry_at, uncertain=uncertain
        )

    def _tell_owner(self, row: Delivery, composed: Composed, problem: str, error: str | None):
        try:
            tr = self.reader(row.team_id, composed.owner_id)
            message = self.notice(tr, composed, problem, error)
            self.client_for(row.team_id).chat_postMessage(channel=composed.owner_id, **message)
        except (SlackApiError, SlackClientError, OSError) as failure:
            log.warning(
                "could not tell %s about delivery %s: %r", composed.owner_id, row.id, failure
            )
