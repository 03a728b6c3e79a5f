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
from bot.when import MAX_DURATION
from entities.errors import N_, UserError
from entities.meetings import (
    DEFAULT_PURPOSE,
    FORMATS,
    MAX_TITLE,
    PURPOSES,
    Attendee,
    Invitees,
    Meeting,
    Venue,
    parse_venue,
    read_invitees,
)

CALLBACK_ID = "schedule_meeting"
EDIT_CALLBACK_ID = "edit_meeting"  # the same form, filled in with a meeting (`edit #3`)
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
    attendees: tuple[Attendee, ...]  # picked from the workspace's members
    guests: Invitees  # typed: guests by email, and names to match to members
    channel_id: str | None
    number: int | None = None  # the meeting an edit form is for


def _minutes_label(tr: Translator, minutes: int) -> str:
    if minutes < 60:
        return tr.gettext("{minutes} min", minutes=minutes)
    if minutes % 60:
        return tr.gettext("{hours} h {minutes} min", hours=minutes // 60, minutes=minutes % 60)
    return tr.gettext("{hours} h", hours=minutes // 60)


def _guest_text(attendee: Attendee) -> str:
    """A guest as the form shows them, in a way it reads back: `Jane Doe <jane@acme.com>`."""
    if attendee.email and attendee.guest and attendee.guest != attendee.email:
        return f"{attendee.guest} <{attendee.email}>"
    return attendee.email or attendee.guest or ""


def schedule_view(
    tr: Translator,
    tz: str | None,
    now: datetime,
    channel_id: str | None,
    purpose: str = DEFAULT_PURPOSE,
    meeting: Meeting | None = None,
) -> dict:
    """The modal, with today's date in the user's own zone when we know it; with a
    `meeting`, the edit form, filled in with it. A series' date and time are not in the
    edit form: one occurrence moves with `/salesmeet move`."""
    zone = ZoneInfo(tz) if tz else None
    local_today = now.astimezone(zone).date().isoformat() if zone else None
    minutes = DEFAULT_MINUTES
    if meeting is not None:
        purpose = meeting.purpose
        minutes = int(meeting.duration.total_seconds() // 60)
    purposes = [Option(value=p, text=tr.gettext(PURPOSE_LABELS[p])) for p in PURPOSES]
    formats = [Option(value=f, text=tr.gettext(FORMAT_LABELS[f])) for f in FORMATS]
    choices = DURATIONS if minutes in DURATIONS else tuple(sorted((*DURATIONS, minutes)))
    durations = [Option(value=str(m), text=_minutes_label(tr, m)) for m in choices]
    title = PlainTextInputElement(action_id="value", max_length=MAX_TITLE)
    date = DatePickerElement(action_id="value", initial_date=local_today)
    time = TimePickerElement(action_id="value")
    format_ = StaticSelectElement(action_id="value", options=formats)
    link = PlainTextInputElement(action_id="value", max_length=500)
    people = UserMultiSelectElement(action_id="value")
    guests = PlainTextInputElement(action_id="value", max_length=1000)
    if meeting is not None:
        title.initial_value = meeting.title
        start = meeting.next_occurrence(now)
        start_at = (start.start if start else meeting.starts_at).astimezone(zone)
        date.initial_date = start_at.date().isoformat()
        time.initial_time = start_at.strftime("%H:%M")
        if meeting.venue.format in FORMATS:
            format_.initial_option = formats[FORMATS.index(meeting.venue.format)]
        link.initial_value = meeting.venue.link or None
        members = [a.user_id for a in meeting.attendees if a.user_id]
        people.initial_users = members or None
        typed = ", ".join(_guest_text(a) for a in meeting.attendees if not a.user_id)
        guests.initial_value = typed or None
        channel_id = meeting.channel_id
    when: list[InputBlock] = []
    if meeting is None or not meeting.is_series:
        when = [
            InputBlock(block_id="date", label=tr.gettext("Date"), element=date),
            InputBlock(
                block_id="time",
                label=tr.gettext("Time"),
                hint=tr.gettext("In your own time zone."),
                element=time,
            ),
        ]
    blocks = [
        InputBlock(block_id="title", label=tr.gettext("Title"), element=title),
        *when,
        InputBlock(
            block_id="duration",
            label=tr.gettext("Duration"),
            element=StaticSelectElement(
                action_id="value",
                options=durations,
                initial_option=durations[choices.index(minutes)],
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
        InputBlock(block_id="format", label=tr.gettext("Format"), optional=True, element=format_),
        InputBlock(
            block_id="link",
            label=tr.gettext("Meeting link"),
            optional=True,
            hint=tr.gettext("A Zoom, Google Meet, Teams or Webex link makes it a video call."),
            element=link,
        ),
        InputBlock(
            block_id="attendees", label=tr.gettext("Attendees"), optional=True, element=people
        ),
        InputBlock(
            block_id="guests",
            label=tr.gettext("Guests or names"),
            optional=True,
            hint=tr.gettext(
                "Outside guests by email (Jane Doe <jane@acme.com>), or teammates by name,"
                " separated by commas."
            ),
            element=guests,
        ),
    ]
    if meeting is None:  # an edit keeps the meeting's channel: its posts are there
        blocks.append(
            InputBlock(
                block_id="channel",
                label=tr.gettext("Announce in"),
                element=ConversationSelectElement(
                    action_id="value",
                    default_to_current_conversation=True,
                    initial_conversation=channel_id,
                ),
            )
        )
    if meeting is None:
        view = View(
            type="modal",
            callback_id=CALLBACK_ID,
            title=tr.gettext("Schedule a meeting"),
            submit=tr.gettext("Schedule"),
            close=tr.gettext("Cancel"),
            private_metadata=json.dumps({"channel_id": channel_id}),
            blocks=blocks,
        )
    else:
        view = View(
            type="modal",
            callback_id=EDIT_CALLBACK_ID,
            title=tr.gettext("Edit #{number}", number=meeting.number),
            submit=tr.gettext("Save"),
            close=tr.gettext("Cancel"),
            private_metadata=json.dumps({"number": meeting.number, "channel_id": channel_id}),
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
    # The edit form may offer the meeting's own length beside the usual ones.
    if not 0 < minutes <= MAX_DURATION.total_seconds() // 60:
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
        guests = read_invitees(guests_text) if guests_text.strip() else Invitees()
    except UserError as error:
        raise UserError(error.message, "guests", **error.params) from error
    # Both come back as we wrote them, unless someone crafted the request: read strictly.
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
        if not isinstance(metadata, dict):
            metadata = {}
    except ValueError:
        metadata = {}
    channel_id = read_channel_id(_value(values, "channel").get("selected_conversation"))
    if not channel_id:
        channel_id = read_channel_id(metadata.get("channel_id"))
    number = metadata.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or not 0 < number < 10**9:
        number = None
    return ModalInput(
        title=title,
        day=day,
        at=at,
        duration=timedelta(minutes=minutes),
        purpose=purpose,
        venue=venue,
        attendees=users,
        guests=guests,
        channel_id=channel_id,
        number=number,
    )
