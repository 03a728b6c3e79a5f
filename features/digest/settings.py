"""The digest's workspace settings: where it goes and when, as `/salesmeet config` rows,
and their values read from the stored text (`WorkspaceSettings.raw`)."""

from __future__ import annotations

from datetime import time

from bot.i18n import Translator
from bot.mrkdwn import channel
from bot.settings import Setting, Stored, read_channel, read_day_and_time, schedule_text
from bot.workspace import WEEKDAYS, WorkspaceSettings, stored_clock, stored_weekday

CHANNEL, DAY, TIME = "digest_channel", "digest_day", "digest_time"
DEFAULT_DAY = 0  # Monday
DEFAULT_TIME = time(9, 0)
# A change of these, or of the workspace's zone, moves the pending digests.
SCHEDULE_KEYS = frozenset({CHANNEL, DAY, TIME, "tz"})


def digest_channel(s: WorkspaceSettings) -> str | None:
    """The configured channel; None: the channel with the most meetings that week."""
    return s.raw.get(CHANNEL) or None


def digest_schedule(s: WorkspaceSettings) -> tuple[int, time]:
    """The weekday (Monday 0) and time of day the digest goes out, in the workspace's zone."""
    return stored_weekday(s.raw, DAY, DEFAULT_DAY), stored_clock(s.raw, TIME, DEFAULT_TIME)


def _read_channel(text: str, s: WorkspaceSettings) -> Stored:
    return {CHANNEL: read_channel(text, "digest-channel")}


def _read_schedule(text: str, s: WorkspaceSettings) -> Stored:
    day, at = read_day_and_time(text, "digest-time", *digest_schedule(s))
    return {DAY: WEEKDAYS[day], TIME: at.strftime("%H:%M")}


def _show_channel(tr: Translator, s: WorkspaceSettings) -> str:
    where = digest_channel(s)
    value = (
        channel(where)
        if where
        else tr.gettext("not set, so the channel with the most meetings that week")
    )
    return tr.gettext("`digest-channel`: {value}", value=value)


def _show_schedule(tr: Translator, s: WorkspaceSettings) -> str:
    day, at = digest_schedule(s)
    return tr.gettext("`digest-time`: {value}", value=schedule_text(tr, day, at, s.tz))


# Listed after the zone (order 10) and before the meeting-hours limit (40).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "digest-channel",
        (),
        (CHANNEL,),
        "#sales",
        _read_channel,
        _show_channel,
        order=20,
        channel=True,
    ),
    Setting(
        "digest-time",
        ("digest-day",),
        (DAY, TIME),
        "mon 09:00",
        _read_schedule,
        _show_schedule,
        order=30,
        hint=True,
    ),
)
