"""The digest's workspace settings: where it goes and when, as `/salesmeet config` rows,
and their values read from the stored text (`WorkspaceSettings.raw`)."""

from __future__ import annotations

from datetime import time

from bot.i18n import Translator
from bot.mrkdwn import channel
from bot.settings import Setting, Stored, read_channel, read_day_and_time, schedule_text
from bot.workspace import WEEKDAYS, WorkspaceSettings, stored_clock, stored_weekday
from entities.errors import N_, UserError

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


WORKING_DAY = "working_day"  # stored as "08:00-18:00", Monday to Friday in each one's zone
DEFAULT_WORKING_DAY = (time(8, 0), time(18, 0))


def working_day(s: WorkspaceSettings) -> tuple[time, time]:
    """The hours of a working day, in each person's own zone (Monday to Friday)."""
    try:
        start, end = (time.fromisoformat(t) for t in s.raw[WORKING_DAY].split("-"))
    except (KeyError, ValueError):
        return DEFAULT_WORKING_DAY
    return (start, end) if start < end else DEFAULT_WORKING_DAY


def _read_working_day(text: str, s: WorkspaceSettings) -> Stored:
    try:
        start, end = (time.fromisoformat(t.strip()) for t in text.replace("–", "-").split("-"))
    except ValueError:
        start = end = None
    if start is None or end is None or not start < end:
        raise UserError(
            N_("Give the start and end of a working day, like `{example}`."),
            example="config working-day 08:00-18:00",
        )
    return {WORKING_DAY: f"{start:%H:%M}-{end:%H:%M}"}


def _show_working_day(tr: Translator, s: WorkspaceSettings) -> str:
    start, end = working_day(s)
    return tr.gettext(
        "`working-day`: {start}–{end}, Monday to Friday, in each person's own zone"
        " (a meeting outside it is flagged when booked)",
        start=f"{start:%H:%M}",
        end=f"{end:%H:%M}",
    )


VISIBILITY = "digest_visibility"
# Who may see one person's meeting hours: only that person (the team's figures for the
# rest, managers too), the person and the managers (the default), or everyone.
TEAM, MANAGERS_ONLY, EVERYONE = "team", "managers", "everyone"
VISIBILITIES = (TEAM, MANAGERS_ONLY, EVERYONE)


def visibility(s: WorkspaceSettings) -> str:
    value = s.raw.get(VISIBILITY)
    return value if value in VISIBILITIES else MANAGERS_ONLY


def may_see_everyone(s: WorkspaceSettings, manager: bool) -> bool:
    """Whether a reader may see everyone's hours, not only their own."""
    seen = visibility(s)
    return seen == EVERYONE or (seen == MANAGERS_ONLY and manager)


def _read_visibility(text: str, s: WorkspaceSettings) -> Stored:
    value = text.strip().lower()
    if value not in VISIBILITIES:
        raise UserError(
            N_("Say who may see each person's meeting hours: `{example}`."),
            example="config digest-visibility team|managers|everyone",
        )
    return {VISIBILITY: value}


def _show_visibility(tr: Translator, s: WorkspaceSettings) -> str:
    value = visibility(s)
    if value == TEAM:
        meaning = tr.gettext("each person sees only their own hours, managers too")
    elif value == EVERYONE:
        meaning = tr.gettext("everyone sees everyone's hours, in the channel too")
    else:
        meaning = tr.gettext("each person sees their own hours, managers see everyone's")
    return tr.gettext(
        "`digest-visibility`: {value} ({meaning})", value=f"`{value}`", meaning=meaning
    )


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
    Setting(
        "working-day",
        ("working-hours-of-day",),
        (WORKING_DAY,),
        "08:00-18:00",
        _read_working_day,
        _show_working_day,
        order=65,
    ),
    Setting(
        "digest-visibility",
        ("visibility",),
        (VISIBILITY,),
        "managers",
        _read_visibility,
        _show_visibility,
        order=35,
    ),
)
