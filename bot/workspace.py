"""A workspace's settings with their defaults.

Stored as text key/value rows (storage/settings.py); this module gives them meaning.
`/salesmeet config` (handlers for the digest issue) reads and changes them through
`Workspaces`; every other module only reads `WorkspaceSettings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.settings import SettingsStore

DEFAULT_AGENDA_LEAD = timedelta(hours=24)
DEFAULT_REMINDER_LEAD = timedelta(minutes=15)
# A post more than this late is not sent at all: it is marked missed and the organiser told.
DEFAULT_LATE_LIMIT = timedelta(hours=2)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkspaceSettings:
    tz: str = "UTC"  # the workspace's zone: weeks, periods and weekly posts follow it
    agenda_lead: timedelta = DEFAULT_AGENDA_LEAD
    reminder_lead: timedelta = DEFAULT_REMINDER_LEAD
    late_limit: timedelta = DEFAULT_LATE_LIMIT
    # Weekly digest
    digest_channel: str | None = None
    digest_day: int = 0  # Monday (date.weekday())
    digest_time: time = time(9, 0)
    weekly_hours_limit: float = 15.0  # meeting hours per person per week
    working_hours: float = 40.0  # per person per week
    hourly_cost: float = 100.0  # loaded cost of one person-hour
    currency: str = "USD"
    # Recognition
    shoutout_channel: str | None = None
    shoutout_day: int = 4  # Friday
    shoutout_time: time = time(16, 0)
    shoutout_daily_limit: int = 5
    # People made managers by configuration (admins and owners always are).
    managers: frozenset[str] = field(default_factory=frozenset)


def _zone(value: str | None, default: str) -> str:
    try:
        ZoneInfo(value or "")
        return value or default
    except (ZoneInfoNotFoundError, ValueError):
        return default


def _minutes(values: dict[str, str], key: str, default: timedelta) -> timedelta:
    try:
        return timedelta(minutes=int(values[key]))
    except (KeyError, ValueError):
        return default


def _number(values: dict[str, str], key: str, default: float) -> float:
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return default


def _clock(values: dict[str, str], key: str, default: time) -> time:
    try:
        return time.fromisoformat(values[key])
    except (KeyError, ValueError):
        return default


def _weekday(values: dict[str, str], key: str, default: int) -> int:
    value = values.get(key, "")
    return WEEKDAYS.index(value) if value in WEEKDAYS else default


def parse_settings(values: dict[str, str]) -> WorkspaceSettings:
    """Settings from stored text values; anything missing or unreadable takes its default."""
    d = WorkspaceSettings()
    managers = frozenset(u for u in values.get("managers", "").split(",") if u)
    return WorkspaceSettings(
        tz=_zone(values.get("tz"), d.tz),
        agenda_lead=_minutes(values, "agenda_lead_min", d.agenda_lead),
        reminder_lead=_minutes(values, "reminder_lead_min", d.reminder_lead),
        late_limit=_minutes(values, "late_limit_min", d.late_limit),
        digest_channel=values.get("digest_channel") or None,
        digest_day=_weekday(values, "digest_day", d.digest_day),
        digest_time=_clock(values, "digest_time", d.digest_time),
        weekly_hours_limit=_number(values, "weekly_hours_limit", d.weekly_hours_limit),
        working_hours=_number(values, "working_hours", d.working_hours),
        hourly_cost=_number(values, "hourly_cost", d.hourly_cost),
        currency=values.get("currency") or d.currency,
        shoutout_channel=values.get("shoutout_channel") or None,
        shoutout_day=_weekday(values, "shoutout_day", d.shoutout_day),
        shoutout_time=_clock(values, "shoutout_time", d.shoutout_time),
        shoutout_daily_limit=int(_number(values, "shoutout_daily_limit", d.shoutout_daily_limit)),
        managers=managers,
    )


class Workspaces:
    def __init__(self, store: SettingsStore) -> None:
        self.store = store

    def settings(self, team_id: str) -> WorkspaceSettings:
        return parse_settings(self.store.all(team_id))

    def raw(self, team_id: str) -> dict[str, str]:
        return self.store.all(team_id)

    def set(self, team_id: str, key: str, value: str | None) -> None:
        """Store one setting as text (None removes it, back to the default)."""
        self.store.set(team_id, key, value)

    def set_minutes(self, team_id: str, key: str, value: timedelta) -> None:
        self.store.set(team_id, key, str(int(value.total_seconds() // 60)))

    def teams(self) -> list[str]:
        """Workspaces SalesMeet has data for (meetings or settings)."""
        return self.store.teams()
