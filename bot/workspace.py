"""A workspace's settings with their defaults (more keys arrive with `/salesmeet config`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from storage.settings import SettingsStore

DEFAULT_AGENDA_LEAD = timedelta(hours=24)
DEFAULT_REMINDER_LEAD = timedelta(minutes=15)
# A post more than this late is not sent at all: it is marked missed and the organiser told.
DEFAULT_LATE_LIMIT = timedelta(hours=2)


@dataclass(frozen=True)
class WorkspaceSettings:
    agenda_lead: timedelta = DEFAULT_AGENDA_LEAD
    reminder_lead: timedelta = DEFAULT_REMINDER_LEAD
    late_limit: timedelta = DEFAULT_LATE_LIMIT


def _minutes(values: dict[str, str], key: str, default: timedelta) -> timedelta:
    try:
        return timedelta(minutes=int(values[key]))
    except (KeyError, ValueError):
        return default


class Workspaces:
    def __init__(self, store: SettingsStore) -> None:
        self.store = store

    def settings(self, team_id: str) -> WorkspaceSettings:
        values = self.store.all(team_id)
        return WorkspaceSettings(
            agenda_lead=_minutes(values, "agenda_lead_min", DEFAULT_AGENDA_LEAD),
            reminder_lead=_minutes(values, "reminder_lead_min", DEFAULT_REMINDER_LEAD),
            late_limit=_minutes(values, "late_limit_min", DEFAULT_LATE_LIMIT),
        )

    def set_minutes(self, team_id: str, key: str, value: timedelta) -> None:
        self.store.set(team_id, key, str(int(value.total_seconds() // 60)))
