"""The scheduling modal: its Block Kit view, and reading a submission back into a draft."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import Translator
from bot.render import FORMAT_LABELS, PURPOSE_LABELS
from bot.values import read_channel_id, read_user_id
from entities.errors import N_, UserError
from entities.meetings import (
    DEFAULT_PURPOSE,
    FORMATS,
    MAX_TITLE,
    PURPOSES,
    Attendee,
    Venue,
    parse_attendees,
    parse_venue,
)

CALLBACK_ID = "schedule_meeting"
DURATIONS = (15, 30, 45, 60, 90, 120, 180, 240, 480)  # minutes
DEFAULT_MINUTES = 30


@dataclass(frozen=True)
class ModalInput:
    """What the modal's fields held, before the booking rules run."""

    title: str
    day: str | None
    at: str | None
    duration: timedelta
    purpose: str
    venue: Venue
    attendees: tuple[Attendee, ...]
    channel_id: str | None


def _minutes_label(tr: Translator, minutes: int) -> str:
    if minutes < 60:
        return tr.gettext("{minutes} min", minutes=minutes)
    if minutes % 60:
        return tr.gettext("{hours} h {minutes} min", hours=minutes // 60, minutes=minutes % 60)
    return tr.gettext("{hours} h", hours=minutes // 60)


def schedule_view(
    tr: Translator,
    tz: str | None,
    now: datetime,
    channel_id: str | None,
    purpose: str = DEFAULT_PURPOSE,
) -> dict:
    """The modal, with today's date in the user's own zone when we know it."""
    local_today = now.astimezone(ZoneInfo(tz)).date().isoformat() if tz else None
    purposes = [Option(value=p, text=tr.gettext(PURPOSE_LABELS[p])) for p in PURPOSES]
    formats = [Option(value=f, text=tr.gettext(FORMAT_LABELS[f])) for f in FORMATS]
    durations = [Option(value=str(m), text=_minutes_label(tr, m)) for m in DURATIONS]
    blocks = [
        InputBlock(
            block_id="title",
            label=tr.gettext("Title"),
            element=PlainTextInputElement(action_id="value", max_length=MAX_TITLE),
        ),
        InputBlock(
            block_id="date",
            label=tr.gettext("Date"),
            element=DatePickerElement(action_id="value", initial_date=local_today),
        ),
        InputBlock(
            block_id="time",
            label=tr.gettext("Time"),
            hint=tr.gettext("In your own time zone."),
            element=TimePickerElement(action_id="value"),
        ),
        InputBlock(
            block_id="duration",
            label=tr.gettext("Duration"),
            element=StaticSelectElement(
                action_id="value",
                options=durations,
                initial_option=durations[DURATIONS.index(DEFAULT_MINUTES)],
            ),
        ),
        InputBlock(
            block_id="purpose",
            label=tr.gettext("Purpose"),
            element=StaticSelectElement(
                action_id="value",
                options=purposes,
                initial_option=purposes[PURPOSES.index(purpose)],
            ),
        ),
        InputBlock(
            block_id="format",
            label=tr.gettext("Format"),
            optional=True,
            element=StaticSelectElement(action_id="value", options=formats),
        ),
        InputBlock(
            block_id="link",
            label=tr.gettext("Meeting link"),
            optional=True,
            hint=tr.gettext("A Zoom, Google Meet, Teams or Webex link makes it a video call."),
            element=PlainTextInputElement(action_id="value", max_length=500),
        ),
        InputBlock(
            block_id="attendees",
            label=tr.gettext("Attendees"),
            optional=True,
            element=UserMultiSelectElement(action_id="value"),
        ),
        InputBlock(
            block_id="guests",
            label=tr.gettext("External guests"),
            optional=True,
            hint=tr.gettext("Customers by name or email, separated by commas."),
            element=PlainTextInputElement(action_id="value", max_length=1000),
        ),
        InputBlock(
            block_id="channel",
            label=tr.gettext("Announce in"),
            element=ConversationSelectElement(
                action_id="value",
                default_to_current_conversation=True,
                initial_conversation=channel_id,
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=tr.gettext("Schedule a meeting"),
        submit=tr.gettext("Schedule"),
        close=tr.gettext("Cancel"),
        private_metadata=json.dumps({"channel_id": channel_id}),
        blocks=blocks,
    )
    return view.to_dict()


def _value(values: dict, block_id: str) -> dict:
    return (values.get(block_id) or {}).get("value") or {}


def read_submission(view: dict) -> ModalInput:
    """Turn `view.state.values` into a ModalInput; UserError names the field at fault."""
    values = (view.get("state") or {}).get("values") or {}
    title = _value(values, "title").get("value") or ""
    day = _value(values, "date").get("selected_date")
    at = _value(values, "time").get("selected_time")
    duration_opt = _value(values, "duration").get("selected_option") or {}
    try:
        minutes = int(duration_opt.get("value") or DEFAULT_MINUTES)
    except ValueError as error:
        raise UserError(N_("Pick a duration."), "duration") from error
    if minutes not in DURATIONS:
        raise UserError(N_("Pick a duration."), "duration")
    purpose = (_value(values, "purpose").get("selected_option") or {}).get("value") or "general"
    if purpose not in PURPOSES:
        raise UserError(N_("Pick a purpose."), "purpose")
    format_ = (_value(values, "format").get("selected_option") or {}).get("value")
    if format_ is not None and format_ not in FORMATS:
        raise UserError(N_("Pick a format."), "format")
    link = (_value(values, "link").get("value") or "").strip()
    try:
        venue = parse_venue(link) if link else Venue(format_)
    except UserError as error:
        raise UserError(error.message, "link", **error.params) from error
    users = tuple(
        Attendee(user_id=u)
        for u in _value(values, "attendees").get("selected_users") or []
        if read_user_id(u)
    )
    guests_text = _value(values, "guests").get("value") or ""
    try:
        guests = parse_attendees(guests_text) if guests_text.strip() else ()
    except UserError as error:
        raise UserError(error.message, "guests", **error.params) from error
    # Both come back as we wrote them, unless someone crafted the request: read strictly.
    channel_id = read_channel_id(_value(values, "channel").get("selected_conversation"))
    if not channel_id:
        metadata = view.get("private_metadata") or "{}"
        try:
            channel_id = read_channel_id(json.loads(metadata).get("channel_id"))
        except (ValueError, AttributeError, TypeError):
            channel_id = None
    return ModalInput(
        title=title,
        day=day,
        at=at,
        duration=timedelta(minutes=minutes),
        purpose=purpose,
        venue=venue,
        attendees=users + tuple(a for a in guests if a.guest),
        channel_id=channel_id,
    )
