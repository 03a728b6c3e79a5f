"""Timed posts as the domain sees them: a row that should exist, a row as stored, a post
ready to send. The rules for claiming and settling rows are storage/deliveries.py's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

# A post that follows a user's change to a meeting (moved, skipped, cancelled): written in
# the change's transaction, numbered per meeting, sent at once.
NOTICE = "notice"
# A new meeting's announcement: written with the meeting, occurrence 0, sent at once.
ANNOUNCE = "announce"

PENDING, SENDING, SENT, FAILED, MISSED, SKIPPED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "missed",
    "skipped",
)


@dataclass(frozen=True)
class Delivery:
    id: int
    team_id: str
    kind: str
    meeting_id: int
    occurrence: int
    due_at: datetime
    state: str
    attempts: int = 0
    last_error: str | None = None
    uncertain: bool = False
    message_ts: str | None = None
    channel_id: str | None = None
    late: bool = False
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    claimed_by: str | None = None
    payload: str | None = None  # what a notice says (JSON)
    # Held back by pacing (Slack's rate limits) until then; for how long in all, in
    # seconds: that time is not lateness.
    not_before: datetime | None = None
    paced_for: int = 0
    # When a try first left it uncertain: a post it made is no older than this.
    unsure_since: datetime | None = None


@dataclass(frozen=True)
class Planned:
    """A post that should exist: the planner's output."""

    team_id: str
    kind: str
    meeting_id: int
    occurrence: int
    due_at: datetime


@dataclass(frozen=True)
class Composed:
    """A post ready to send, and whom to tell if it cannot be."""

    channel_id: str
    message: dict
    owner_id: str  # told by DM when the post is missed or fails for good
    what: str  # names the post in that DM, e.g. "the reminder for #12 …"


# kind -> builds the post for a row, or None when there is nothing to post any more
Composer = Callable[[Delivery, datetime, bool], Composed | None]
