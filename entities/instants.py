"""The one codec between instants and what is stored: whole UTC epoch seconds.

Occurrence keys, stored times and Slack date tokens all use it, so a key computed while
expanding a series equals the one read back from a row.
"""

from __future__ import annotations

from datetime import UTC, datetime


def epoch(instant: datetime) -> int:
    """Whole seconds since the epoch; `instant` must be timezone-aware."""
    return int(instant.replace(microsecond=0).timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def from_epoch_or_none(seconds: int | None) -> datetime | None:
    return None if seconds is None else from_epoch(seconds)
