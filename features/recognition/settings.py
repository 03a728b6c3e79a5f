"""Recognition's workspace settings: where and when the weekly top-performer post goes,
and how many shout-outs a person may give a day; as `/salesmeet config` rows, and their
values read from the stored text (`WorkspaceSettings.raw`)."""

from __future__ import annotations

from datetime import time

from bot.i18n import Translator
from bot.mrkdwn import channel
from bot.settings import (
    Setting,
    Stored,
    read_channel,
    read_count,
    read_day_and_time,
    schedule_text,
)
from bot.workspace import WEEKDAYS, WorkspaceSettings, stored_clock, stored_number, stored_weekday

CHANNEL, DAY, TIME, DAILY_LIMIT = (
    "shoutout_channel",
    "shoutout_day",
    "shoutout_time",
    "shoutout_daily_limit",
)
DEFAULT_DAY = 4  # Friday
DEFAULT_TIME = time(16, 0)
DEFAULT_DAILY_LIMIT = 5
MAX_SHOUTOUTS = 100
# A change of these, or of the workspace's zone, moves the pending weekly posts.
SCHEDULE_KEYS = frozenset({CHANNEL, DAY, TIME, "tz"})


def shoutout_channel(s: WorkspaceSettings) -> str | None:
    """The configured channel; None: where recognition last happened."""
    return s.raw.get(CHANNEL) or None


def shoutout_schedule(s: WorkspaceSettings) -> tuple[int, time]:
    """The weekday (Monday 0) and time of day of the weekly post, in the workspace's zone."""
    return stored_weekday(s.raw, DAY, DEFAULT_DAY), stored_clock(s.raw, TIME, DEFAULT_TIME)


def daily_limit(s: WorkspaceSettings) -> int:
    """Shout-outs one person may give a day; 0 switches them off."""
    return int(stored_number(s.raw, DAILY_LIMIT, DEFAULT_DAILY_LIMIT))


def _read_channel(text: str, s: WorkspaceSettings) -> Stored:
    return {CHANNEL: read_channel(text, "shoutout-channel")}


def _read_schedule(text: str, s: WorkspaceSettings) -> Stored:
    day, at = read_day_and_time(text, "shoutout-time", *shoutout_schedule(s))
    return {DAY: WEEKDAYS[day], TIME: at.strftime("%H:%M")}


def _read_limit(text: str, s: WorkspaceSettings) -> Stored:
    return {DAILY_LIMIT: str(read_count(text, "shoutout-limit", MAX_SHOUTOUTS))}


def _show_channel(tr: Translator, s: WorkspaceSettings) -> str:
    where = shoutout_channel(s)
    value = channel(where) if where else tr.gettext("not set")
    return tr.gettext("`shoutout-channel`: {value}", value=value)


def _show_schedule(tr: Translator, s: WorkspaceSettings) -> str:
    day, at = shoutout_schedule(s)
    return tr.gettext("`shoutout-time`: {value}", value=schedule_text(tr, day, at, s.tz))


def _show_limit(tr: Translator, s: WorkspaceSettings) -> str:
    return tr.gettext("`shoutout-limit`: {n} a day", n=daily_limit(s))


# Listed after the core's rows (the last is 90).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "shoutout-channel",
        ("shout-out-channel",),
        (CHANNEL,),
        "#wins",
        _read_channel,
        _show_channel,
        order=100,
        channel=True,
    ),
    Setting(
        "shoutout-time",
        ("shout-out-time", "shoutout-day"),
        (DAY, TIME),
        "fri 16:00",
        _read_schedule,
        _show_schedule,
        order=110,
    ),
    Setting(
        "shoutout-limit",
        ("shout-out-limit",),
        (DAILY_LIMIT,),
        "5",
        _read_limit,
        _show_limit,
        order=120,
    ),
)
