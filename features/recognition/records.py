"""What recognition records: shout-outs, wins, the team goal (no I/O; store.py keeps them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Shoutout:
    id: int
    giver_id: str
    recipient_id: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class Win:
    id: int
    user_id: str
    logged_by: str
    amount_cents: int
    currency: str
    note: str
    created_at: datetime


@dataclass(frozen=True)
class Goal:
    amount_cents: int
    currency: str
    period: str  # month | quarter
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class Place:
    """Where recognition last happened in a workspace, and who did it."""

    channel_id: str | None
    user_id: str


@dataclass(frozen=True)
class GiveResult:
    given: bool  # recorded now
    repeat: bool = False  # the same shout-out a moment ago: not recorded twice
    given_today: int = 0  # before this request
