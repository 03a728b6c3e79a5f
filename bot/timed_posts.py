"""Timed posts: planning delivery rows from meetings, and sending the ones that are due.

The database is the truth (storage/deliveries.py); APScheduler only decides when to
look (bot/alarm.py). Each post is claimed before it is sent and settled after, so a
restart, a retried job or a second process never posts it twice.
"""

from __future__ import annotations

import contextvars
import copy
import logging
import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.channel_posts import find_posted, is_user, post_key, tagged
from bot.clock import Clock
from bot.hooks import Hooks
from bot.i18n import Translator, translator
from bot.pacing import DISTRIBUTED_RATES, HISTORY, METHOD_RATES, OPEN, Pacer
from bot.processes import running
from bot.workspace import Workspaces, WorkspaceSettings
from entities.deliveries import (
    ANNOUNCE,
    FAILED,
    MISSED,
    NOTICE,
    PENDING,
    SENT,
    SKIPPED,
    Composed,
    Composer,
    Delivery,
    Planned,
)
from entities.meetings import LEAD_OFF, Meeting, is_short
from storage.deliveries import DeliveryStore, Held, Settled
from storage.meetings import MeetingStore

log = logging.getLogger(__name__)

AGENDA, REMINDER = "agenda", "reminder"
# Kinds whose composers post in their meeting's channel (bot/meeting_posts.py, notices.py,
# announcements.py): pacing knows where they go without composing them. Were one wrong,
# the post composed when it goes would say so, and be paced for its real channel.
IN_MEETING_CHANNEL = frozenset({AGENDA, REMINDER, NOTICE, ANNOUNCE})
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
        keep = {(p.kind, p.occurrence) for p in posts}
        # One transaction: the write lock is taken once, not three times, and a crash
        # leaves the rows as they were or as they should be.
        with self.deliveries.database.transaction(bookkeeping=True):
            self.deliveries.plan(posts, now, reschedule=True)
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
    return not running(int(pid))


# Slack's answers meaning the token no longer works: retrying cannot help.
REFUSED_TOKEN = frozenset(
    {"invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed"}
)
# How often a post someone is waiting for is sent at once when the connection drops.
SEND_NOW_TRIES = 3
# A post someone is waiting for waits out a Retry-After this long; longer, the alarm
# sends it.
SEND_NOW_PAUSE = timedelta(seconds=2)
# A post Slack may have made, whose check Slack could not answer, is checked again then.
UNKNOWN_RECHECK = timedelta(minutes=1)
# Pages of history one check may read where Slack allows 50+ calls a minute.
HISTORY_PAGES = 4


class Dispatcher:
    """Sends due posts: claim, post, settle. Failures are kept on the row, never lost.

    Posts are paced as Slack limits them (bot/pacing.py): per channel, one a second after
    a short burst, in the order they came due; different channels go in parallel. A post
    that has to wait goes back to its row until its slot (`not_before`), so the alarm, not
    a sleeping thread, sends it; the time it waits is not lateness."""

    def __init__(
        self,
        deliveries: DeliveryStore,
        workspaces: Workspaces,
        client_for: Callable[[str], WebClient],
        clock: Clock,
        holder: str,
        composers: dict[str, Composer],
        notice: Notice,
        senders: int = 16,
        team_id: str | None = None,
        reader: Reader = lambda team_id, user_id: translator(None),
        pacer: Pacer | None = None,
        distributed: bool | None = None,
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
        # Distributed over OAuth (every workspace, no team of its own) unless told: then
        # outside the Marketplace, conversations.history is one call a minute.
        if distributed is None:
            distributed = team_id is None
        self.distributed = distributed
        rates = DISTRIBUTED_RATES if distributed else METHOD_RATES
        self.pacer = pacer or Pacer(clock.monotonic, method_rates=rates)
        # Only this workspace's rows: its token cannot post anywhere else.
        self.team_id = team_id
        # The claim makes concurrent sends safe: no row can be sent by two threads; each
        # channel's posts go from one task, in order. Senders mostly wait on Slack, so
        # there are enough for many channels at once even when Slack answers slowly.
        self._senders = ThreadPoolExecutor(senders, thread_name_prefix="salesmeet-post")

    def recover(self) -> int:
        """Rows a dead process claimed: whether Slack got them is unknown, so they go back
        to pending marked uncertain, and are checked against the channel before a resend.

        A claim is dead when its process on this host is gone (known at once, e.g. after
        a restart) or when it is older than STALE_CLAIM (another host's process).

        Posts an earlier process held back by pacing keep their slots: new ones in the
        same channel come after them."""
        now = self.clock.now()
        limit = now - STALE_CLAIM
        dead = [
            row
            for row in self.deliveries.sending(self.team_id)
            if claimer_gone(row.claimed_by, self.holder)
            or (row.claimed_at is not None and row.claimed_at < limit)
        ]
        for row in dead:
            self.deliveries.settle(row.id, PENDING, now, uncertain=True)
        for team_id, channel_id, until in self.deliveries.held_back(self.team_id):
            key = Pacer.channel_key(team_id, channel_id)
            self.pacer.booked(key, (until - now).total_seconds())
        return len(dead)

    def _key(self, row: Delivery) -> str:
        return post_key(self.install_id, row.team_id, row.kind, row.meeting_id, row.occurrence)

    def _client(self, team_id: str) -> WebClient:
        """The workspace's client without slack_sdk's rate-limit retry: a 429 comes back
        here at once, so Retry-After holds that channel only instead of sleeping in a
        sender (which would hold up every channel queued behind it). A shallow copy per
        use, so it follows the client's own settings."""
        client = self.client_for(team_id)
        handlers = getattr(client, "retry_handlers", None) or []
        if not any(isinstance(h, RateLimitErrorRetryHandler) for h in handlers):
            return client
        bare = copy.copy(client)
        bare.retry_handlers = [h for h in handlers if not isinstance(h, RateLimitErrorRetryHandler)]
        return bare

    def run_due(self, batch: int = 100) -> int:
        """Send everything due now that pacing lets go now, oldest first; what must wait
        goes back to its row until its slot. Returns how many rows were settled."""
        settled = 0
        for _ in range(1000):  # bounded: each pass settles or holds back what it read
            now = self.clock.now()
            due = self.deliveries.due(now, batch, self.team_id)
            settled += self._pass(due, now)
            if len(due) < batch:
                break
        return settled

    def send_one(
        self, team_id: str, kind: str, meeting_id: int, occurrence: int
    ) -> Delivery | None:
        """Send one row now, in this thread (a change's notice, for the person waiting on
        it); the row as it stands afterwards. A row another process holds is left to it.

        A person is waiting: the post goes ahead of its channel's queue (it takes the next
        slot, so the queue moves up behind it). A dropped connection is tried again at once
        (looking in the channel first), as often as slack_sdk retries one elsewhere, and a
        short Retry-After is waited out; Slack's refusal, or a longer wait, is left to the
        alarm."""
        row = self.deliveries.find(team_id, kind, meeting_id, occurrence)
        if row is None or row.state != PENDING or row.due_at > self.clock.now():
            return row
        for _ in range(SEND_NOW_TRIES):
            if row.not_before is not None and row.not_before > self.clock.now():
                pause = row.not_before - self.clock.now()
                if pause > SEND_NOW_PAUSE:
                    break
                self._sleep(pause.total_seconds())
            self._pass([row], self.clock.now(), jump=True)
            row = self.deliveries.find(team_id, kind, meeting_id, occurrence)
            if row is None or row.state != PENDING:
                break
            if row.not_before is not None:
                if row.uncertain or row.not_before - self.clock.now() > SEND_NOW_PAUSE:
                    break
            elif not row.uncertain:
                break
        return row

    def _pass(self, rows: list[Delivery], now: datetime, jump: bool = False) -> int:
        """Claim, pace, compose and send `rows`; settle them in batches. With `jump`, they
        go now, ahead of their channels' queues (a person is waiting).

        A post is composed once, when it goes: pacing needs only its channel, known
        without composing for most posts (`_channels`); the rest are composed first."""
        if not rows:
            return 0
        # Every settings read of the pass, here and in each composer, reads the database
        # once per workspace; the next pass reads afresh.
        with self.workspaces.one_read_per_pass():
            live: list[Delivery] = []
            settled = 0
            for row in rows:
                if lateness(row, now) > self.workspaces.settings(row.team_id).late_limit:
                    settled += self._missed(row, now)
                else:
                    live.append(row)
            won = self.deliveries.claim_many(live, self.holder, now)
            claimed = [r for r in live if r.id in won]
            channels = self._channels(claimed)
            unknown = [r for r in claimed if r.id not in channels]
            compose = self._in_pass(lambda r: self._compose(r, now))
            composed = self._senders.map(compose, unknown)
            early = dict(zip([r.id for r in unknown], composed, strict=True))
            skipped = [Settled(i, SKIPPED) for i, post in early.items() if post is None]
            self.deliveries.settle_many(skipped, now)
            settled += len(skipped)
            # Each channel's posts in order, one lane per channel; lanes go in parallel.
            lanes: dict[tuple[str, str], list[tuple[Delivery, Composed | None]]] = {}
            for row in claimed:
                post = early.get(row.id)
                if row.id in early and post is None:
                    continue  # skipped
                channel = post.channel_id if post else channels[row.id]
                lanes.setdefault((row.team_id, channel), []).append((row, post))
            held: list[Held] = []
            ready: list[tuple[str, str, list[tuple[Delivery, Composed | None]]]] = []
            for (team_id, channel), lane in lanes.items():
                go, wait_for = self._slots(team_id, channel, lane, now, jump)
                held += wait_for
                if go:
                    ready.append((team_id, channel, go))
            self.deliveries.hold_back(held)
            send = self._in_pass(lambda lane: self._send_lane(*lane, now, jump))
            for outcome in self._senders.map(send, ready):
                settled += outcome
            return settled

    @staticmethod
    def _in_pass(fn: Callable) -> Callable:
        """`fn` for the sender threads, run in this thread's context: the pass's settings."""
        context = contextvars.copy_context()
        return lambda arg: context.copy().run(fn, arg)  # one copy per task: run() is not shared

    def _channels(self, rows: list[Delivery]) -> dict[int, str]:
        """Where each row's post goes, where that is known without composing it, by row
        id: for the kinds posted in their meeting's channel, that channel as it is now
        (one query); else the channel an earlier pass held the post back for."""
        ids = [r.id for r in rows if r.kind in IN_MEETING_CHANNEL]
        meetings = self.deliveries.meeting_channels(ids) if ids else {}
        known = {r.id: meetings.get(r.id) or r.channel_id for r in rows}
        return {i: channel for i, channel in known.items() if channel}

    def _slots(
        self,
        team_id: str,
        channel: str,
        lane: list[tuple[Delivery, Composed | None]],
        now: datetime,
        jump: bool = False,
    ) -> tuple[list[tuple[Delivery, Composed | None]], list[Held]]:
        """Which of a channel's posts go now, and until when the others are held back.
        A row held back earlier already has its slot (its not_before): it goes when due,
        unless Slack has since asked the channel to wait (Retry-After)."""
        key = Pacer.channel_key(team_id, channel)
        go: list[tuple[Delivery, Composed | None]] = []
        held: list[Held] = []
        for row, post in lane:
            if jump:  # a Retry-After it met was waited out by the caller
                self.pacer.reserve(key)  # its slot: the queue moves up behind it
                go.append((row, post))
                continue
            if not held and row.not_before is not None:
                # Its slot was reserved when it was held back: it goes then, unless Slack
                # has since asked the channel to wait. (Re-reserving would send it to the
                # back of the queue each time: starved.)
                mine = (row.not_before - now).total_seconds()
                seconds = max(self.pacer.held(key), mine)
                if seconds > 0:
                    seconds = self.pacer.reserve(key)
            else:  # a new slot; behind a held post in its channel: after it, in order
                seconds = self.pacer.reserve(key)
            if seconds <= 0:
                go.append((row, post))
            else:
                held.append(self._held(row, channel, now, seconds))
        return go, held

    @staticmethod
    def _held(row: Delivery, channel: str, now: datetime, seconds: float) -> Held:
        """`row` held back by pacing for `seconds`, for `channel`."""
        until = now + timedelta(seconds=seconds)
        return Held(
            row.id, until, math.ceil(seconds), channel, row.uncertain, claimed_at=row.claimed_at
        )

    def _sleep(self, seconds: float) -> None:
        threading.Event().wait(seconds)

    def _compose(self, row: Delivery, now: datetime) -> Composed | None:
        composer = self.composers.get(row.kind)
        return composer(row, now, lateness(row, now) > LATE_AFTER) if composer else None

    def _missed(self, row: Delivery, now: datetime) -> int:
        if self.deliveries.settle(row.id, MISSED, now, from_state=PENDING):
            composer = self.composers.get(row.kind)
            composed = composer(row, now, True) if composer else None
            if composed:
                self._tell_owner(row, composed, MISSED, None)
        return 1

    def _send_lane(
        self,
        team_id: str,
        channel: str,
        lane: list[tuple[Delivery, Composed | None]],
        now: datetime,
        jump: bool = False,
    ) -> int:
        """Compose and send one channel's posts, in order; settle them in one transaction.
        A 429 holds the channel for Retry-After, and its posts not yet sent go back to
        their rows."""
        key = Pacer.channel_key(team_id, channel)
        outcomes: list[Settled] = []
        held: list[Held] = []
        try:
            for index, (row, known) in enumerate(lane):
                post = known or self._compose(row, now)  # composed once, as it goes
                if post is None:
                    outcomes.append(Settled(row.id, SKIPPED))
                    continue
                if post.channel_id != channel:
                    # Its meeting moved to another channel since the lanes were made: it
                    # takes a slot there (the one reserved here goes unused).
                    seconds = self.pacer.reserve(Pacer.channel_key(team_id, post.channel_id))
                    if seconds > 0 and not jump:
                        held.append(self._held(row, post.channel_id, now, seconds))
                        continue
                result = self._send(row, post, now)
                if isinstance(result, Held):
                    held.append(result)
                    if result.paced_for and post.channel_id == channel:
                        # The channel itself is held: so are the rest.
                        for later, _ in lane[index + 1 :]:
                            seconds = self.pacer.reserve(key)
                            held.append(self._held(later, channel, now, seconds))
                        break
                elif result is not None:
                    outcomes.append(result)
        finally:  # a composer that fails leaves what this lane already sent settled
            self.deliveries.settle_many(outcomes, now)
            self.deliveries.hold_back(held)
        return len(outcomes)

    def _send(self, row: Delivery, composed: Composed, now: datetime) -> Settled | Held | None:
        """One claimed post: look for it first when an earlier try may have posted it,
        then post it. How it ended, for the lane to settle; None when settled here."""
        late = lateness(row, now) > LATE_AFTER
        client = self._client(row.team_id)
        if row.uncertain:
            looked = self._look(client, row, composed, now)
            if isinstance(looked, Held):
                return looked
            if looked is not None:
                ts, channel = looked
                return Settled(row.id, SENT, message_ts=ts, channel_id=channel, late=late)
        message = tagged(composed.message, "post", self._key(row))
        try:
            response = client.chat_postMessage(channel=composed.channel_id, **message)
        except SlackApiError as error:
            code = error.response.get("error") or str(error)
            if getattr(error.response, "status_code", None) == 429:
                # Not posted: this channel waits as Slack asks; the others go on.
                key = Pacer.channel_key(row.team_id, composed.channel_id)
                self.pacer.hold(key, retry_after(error.response))
                seconds = self.pacer.reserve(key)
                log.info("Slack asked %s to wait (delivery %s)", key, row.id)
                until = now + timedelta(seconds=seconds)
                return Held(row.id, until, max(math.ceil(seconds), 1), composed.channel_id)
            if code in REFUSED_TOKEN:
                self._hold(row, code, now)
                return None
            self._failed(row, composed, now, code, False)
            return None
        except (SlackClientError, OSError) as error:
            # A timeout or dropped connection: Slack may have posted it.
            self._failed(row, composed, now, f"{type(error).__name__}: {error}", True)
            return None
        return Settled(
            row.id,
            SENT,
            message_ts=response.get("ts"),
            channel_id=response.get("channel") or composed.channel_id,
            late=late,
        )

    def _look(
        self, client: WebClient, row: Delivery, composed: Composed, now: datetime
    ) -> tuple[str, str | None] | Held | None:
        """Is the post of an uncertain row already there? Its ts and conversation; None:
        not there, send it; Held: unknown (Slack rate-limited the check, or failed): the
        row stays uncertain and is checked again later, never sent twice meanwhile."""
        history = Pacer.method_key(row.team_id, HISTORY)
        keys = [history]
        if is_user(composed.channel_id):
            keys.append(Pacer.method_key(row.team_id, OPEN))
        seconds = max(self.pacer.wait(k) for k in keys)
        if seconds <= 0:
            for key in keys:
                self.pacer.reserve(key)
            # From its first unconfirmed try to its last one: either may have posted it.
            last = row.claimed_at or row.due_at
            since = min(row.unsure_since or last, last)
            pages = 1 if self.distributed else HISTORY_PAGES  # 1 a minute: one page
            looked = find_posted(
                client, composed.channel_id, "post", self._key(row), since, pages=pages, until=last
            )
            if looked.ts is not None:
                return looked.ts, looked.channel
            if not looked.unknown:
                return None
            seconds = looked.retry_after or UNKNOWN_RECHECK.total_seconds()
            if looked.retry_after:
                self.pacer.hold(history, looked.retry_after)
            log.info("delivery %s: could not check for it (%s)", row.id, looked.error)
        # Waiting for the check is not pacing of the post: it counts as lateness.
        until = now + timedelta(seconds=seconds)
        return Held(
            row.id,
            until,
            0,
            composed.channel_id,
            uncertain=True,
            error="unconfirmed",
            claimed_at=row.claimed_at,
        )

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


def lateness(row: Delivery, now: datetime) -> timedelta:
    """How late a post is: time since it was due, less the time pacing held it back."""
    return now - row.due_at - timedelta(seconds=row.paced_for)


def retry_after(response) -> float:
    """Slack's Retry-After (whole seconds), or a minute when it did not say."""
    value = (getattr(response, "headers", None) or {}).get("Retry-After")
    try:
        return max(float(value), 1.0)
    except (TypeError, ValueError):
        return 60.0
