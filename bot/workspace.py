"""A workspace's settings with their defaults.

Stored as text key/value rows (storage/settings.py); this module gives the core's their
meaning. A feature's own settings are read by the feature, from `WorkspaceSettings.raw`,
with the readers of stored text below. `/salesmeet config` (handlers/config.py) changes
them through `Workspaces`; every other module only reads `WorkspaceSettings`.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import DEFAULT_LANGUAGE, Translator, translator
from bot.i18n import workspace as workspace_language
from bot.weekdays import WEEKDAYS
from storage.settings import SettingsStore

# How a post that is switched off is stored.
OFF = "off"

DEFAULT_AGENDA_LEAD = timedelta(hours=24)
DEFAULT_REMINDER_LEAD = timedelta(minutes=15)
# A post more than this late is not sent at all: it is marked missed and the organiser told.
DEFAULT_LATE_LIMIT = timedelta(hours=2)

# How a weekday is stored (Monday first, as date.weekday() counts).


@dataclass(frozen=True)
class WorkspaceSettings:
    tz: str = "UTC"  # the workspace's zone: weeks, periods and weekly posts follow it
    agenda_lead: timedelta = DEFAULT_AGENDA_LEAD
    reminder_lead: timedelta = DEFAULT_REMINDER_LEAD
    # `config agenda-lead off` / `config reminder-lead off`: the channel gets none.
    agenda_prompts: bool = True
    reminders: bool = True
    late_limit: timedelta = DEFAULT_LATE_LIMIT
    weekly_hours_limit: float = 15.0  # meeting hours per person per week
    working_hours: float = 40.0  # per person per week
    hourly_cost: float = 100.0  # loaded cost of one person-hour
    currency: str = "USD"
    language: str = DEFAULT_LANGUAGE  # channel posts; people read alone in their own
    # People made managers by configuration (admins and owners always are).
    managers: frozenset[str] = field(default_factory=frozenset)
    # Every stored value as text, the features' settings too: each feature reads its own.
    raw: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)


def _zone(value: str | None, default: str) -> str:
    try:
        ZoneInfo(value or "")
        return value or default
    except (ZoneInfoNotFoundError, ValueError):
        return default


def stored_minutes(values: Mapping[str, str], key: str, default: timedelta) -> timedelta:
    try:
        return timedelta(minutes=int(values[key]))
    except (KeyError, ValueError):
        return default


def stored_number(values: Mapping[str, str], key: str, default: float) -> float:
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return default


def stored_clock(values: Mapping[str, str], key: str, default: time) -> time:
    try:
        return time.fromisoformat(values[key])
    except (KeyError, ValueError):
        return default


def stored_weekday(values: Mapping[str, str], key: str, default: int) -> int:
    value = values.get(key, "")
    return WEEKDAYS.index(value) if value in WEEKDAYS else default


def parse_settings(values: Mapping[str, str]) -> WorkspaceSettings:
    """Settings from stored text values; anything missing or unreadable takes its default."""
    d = WorkspaceSettings()
    managers = frozenset(u for u in values.get("managers", "").split(",") if u)
    return WorkspaceSettings(
        tz=_zone(values.get("tz"), d.tz),
        agenda_lead=stored_minutes(values, "agenda_lead_min", d.agenda_lead),
        reminder_lead=stored_minutes(values, "reminder_lead_min", d.reminder_lead),
        agenda_prompts=values.get("agenda_lead_min") != OFF,
        reminders=values.get("reminder_lead_min") != OFF,
        late_limit=stored_minutes(values, "late_limit_min", d.late_limit),
        weekly_hours_limit=stored_number(values, "weekly_hours_limit", d.weekly_hours_limit),
        working_hours=stored_number(values, "working_hours", d.working_hours),
        hourly_cost=stored_number(values, "hourly_cost", d.hourly_cost),
        currency=values.get("currency") or d.currency,
        language=workspace_language(values.get("language")),
        managers=managers,
        raw=MappingProxyType(dict(values)),
    )


class _Pass:
    """The settings read during one dispatcher pass, by workspace."""

    def __init__(self, owner: Workspaces) -> None:
        self.owner = owner
        self.lock = threading.Lock()
        self.read: dict[str, WorkspaceSettings] = {}


# The pass this code runs in. A context variable, not a thread-local or an attribute: the
# pass's sender threads are handed its context (bot/timed_posts.py), and no other thread
# (a `config` being saved meanwhile) ever sees its copy.
_PASS: contextvars.ContextVar[_Pass | None] = contextvars.ContextVar(
    "salesmeet_settings_pass", default=None
)


class Workspaces:
    def __init__(self, store: SettingsStore) -> None:
        self.store = store

    def settings(self, team_id: str) -> WorkspaceSettings:
        """The workspace's settings: read from the database, or inside `one_read_per_pass`
        read there once per workspace and then shared."""
        cache = _PASS.get()
        if cache is None or cache.owner is not self:
            return parse_settings(self.store.all(team_id))
        with cache.lock:  # two senders asking at once still make one read
            found = cache.read.get(team_id)
            if found is None:
                found = cache.read[team_id] = parse_settings(self.store.all(team_id))
            return found

    @contextmanager
    def one_read_per_pass(self) -> Iterator[None]:
        """Within this block (and the threads handed its context), each workspace's settings
        are read once: a dispatcher pass composes many posts, each of which asks. Nothing is
        kept after the block, so the next pass sees a `config` changed meanwhile. Nested,
        the outer block's reads are kept."""
        current = _PASS.get()
        if current is not None and current.owner is self:
            yield
            return
        token = _PASS.set(_Pass(self))
        try:
            yield
        finally:
            _PASS.reset(token)

    def channel_tr(self, team_id: str) -> Translator:
        """The translator of the workspace's channel posts: its language; dates as Slack
        tokens, which each reader's client shows in their own zone."""
        return translator(self.settings(team_id).language)

    def raw(self, team_id: str) -> dict[str, str]:
        return self.store.all(team_id)

    def set(self, team_id: str, key: str, value: str | None) -> None:
        """Store one setting as text (None removes it, back to the default)."""
        self.store.set(team_id, key, value)
        cache = _PASS.get()
        if cache is not None and cache.owner is self:  # changed inside a pass: read afresh
            with cache.lock:
                cache.read.pop(team_id, None)

    def teams(self) -> list[str]:
        """Workspaces SalesMeet has data for (meetings or settings)."""
        return self.store.teams()
