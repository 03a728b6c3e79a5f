"""Filling a modal from the console: typed text in, Slack's `view.state.values` shapes out.

A value a field cannot take raises `FieldError`, whose message is a catalogue id that the
console translates for whoever typed it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.i18n import Translator
from bot.when import parse_day
from entities.errors import N_, UserError
from simulator.workspace import LOCAL

_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_FIELD = re.compile(r"(?:^|\s)([A-Za-z_][\w-]*)=")


class FieldError(ValueError):
    """A value the field cannot take; the message (an English catalogue id with `{name}`
    placeholders, filled from `params`) says what it can."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def text(self, tr: Translator) -> str:
        """The message in the reader's language."""
        return tr.gettext(self.message, **self.params)


def inputs(view: dict) -> list[dict]:
    return [b for b in view.get("blocks") or [] if b.get("type") == "input"]


def split_assignments(text: str) -> dict[str, str]:
    """`title=Q4 review date=2026-12-01` → {"title": "Q4 review", "date": "2026-12-01"}."""
    marks = list(_FIELD.finditer(text))
    if text.strip() and (not marks or text[: marks[0].start()].strip()):
        raise FieldError(
            N_("Write the fields as name=value, like: :modal title=Forecast time=15:00")
        )
    values: dict[str, str] = {}
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        values[mark.group(1).lower()] = text[mark.end() : end].strip().strip('"')
    return values


def find_block(view: dict, name: str) -> dict | None:
    """An input block by its id, its element's action id, or the start of its label."""
    name = name.lower().replace("-", "_")
    blocks = inputs(view)
    for block in blocks:
        if str(block.get("block_id", "")).lower() == name:
            return block
    for block in blocks:
        label = str((block.get("label") or {}).get("text", "")).lower().replace(" ", "_")
        if label.startswith(name):
            return block
    return None


def _option(element: dict, text: str) -> dict:
    options = list(element.get("options") or []) + [
        o for g in element.get("option_groups") or [] for o in g.get("options") or []
    ]
    wanted = text.strip().lower()
    for exact in (True, False):
        for o in options:
            names = (str(o.get("value", "")).lower(), str(o["text"].get("text", "")).lower())
            if any(n == wanted if exact else n.startswith(wanted) for n in names):
                return o
    choices = ", ".join(str(o.get("value")) for o in options)
    raise FieldError(N_("“{text}” is not one of: {choices}."), text=text, choices=choices)


def _member(text: str) -> str:
    who = LOCAL.member(text)
    if who is None:
        names = ", ".join(m.name for m in LOCAL.members)
        raise FieldError(
            N_("“{text}” is nobody here; people are: {names}."), text=text, names=names
        )
    return who.user_id


def _channel(text: str) -> str:
    where = LOCAL.channel(text)
    if where is None:
        raise FieldError(
            N_("“{text}” is not a channel here; try #{channel}."),
            text=text,
            channel=LOCAL.sales.name,
        )
    return where.channel_id


def _day(text: str, now: datetime, tz: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        pass
    try:
        return parse_day(text, now, tz).isoformat()
    except UserError as error:
        raise FieldError(error.message, **error.params) from error


def _not_a_time(text: str) -> FieldError:
    return FieldError(N_("“{text}” is not a time of day; try 15:00 or 3pm."), text=text)


def _clock(text: str) -> str:
    match = _TIME.match(text.strip())
    if not match:
        raise _not_a_time(text)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise _not_a_time(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise _not_a_time(text)
    return f"{hour:02d}:{minute:02d}"


def _many(text: str) -> list[str]:
    return [p.strip() for p in re.split(r",|\band\b", text) if p.strip()]


def state_from_text(element: dict, text: str, now: datetime, tz: str) -> dict:
    """The state Slack would report for `element` after someone entered `text`."""
    kind = element.get("type", "")
    text = text.strip()
    state: dict = {"type": kind}
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        state["value"] = text or None
    elif kind == "datepicker":
        state["selected_date"] = _day(text, now, tz) if text else None
    elif kind == "timepicker":
        state["selected_time"] = _clock(text) if text else None
    elif kind in ("static_select", "radio_buttons", "external_select"):
        state["selected_option"] = _option(element, text) if text else None
    elif kind in ("multi_static_select", "checkboxes"):
        state["selected_options"] = [_option(element, t) for t in _many(text)]
    elif kind == "users_select":
        state["selected_user"] = _member(text) if text else None
    elif kind == "multi_users_select":
        state["selected_users"] = [_member(t) for t in _many(text)]
    elif kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind.startswith("conv") else "selected_channel"
        state[key] = _channel(text) if text else None
    elif kind in ("multi_conversations_select", "multi_channels_select"):
        key = "selected_conversations" if "conv" in kind else "selected_channels"
        state[key] = [_channel(t) for t in _many(text)]
    else:
        state["value"] = text or None
    return state


def initial_state(element: dict, channel_id: str) -> dict:
    """What the field holds when the modal opens."""
    kind = element.get("type", "")
    state: dict = {"type": kind}
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        state["value"] = element.get("initial_value")
    elif kind == "datepicker":
        state["selected_date"] = element.get("initial_date")
    elif kind == "timepicker":
        state["selected_time"] = element.get("initial_time")
    elif kind in ("static_select", "radio_buttons", "external_select"):
        state["selected_option"] = element.get("initial_option")
    elif kind in ("multi_static_select", "checkboxes"):
        state["selected_options"] = element.get("initial_options") or []
    elif kind == "users_select":
        state["selected_user"] = element.get("initial_user")
    elif kind == "multi_users_select":
        state["selected_users"] = element.get("initial_users") or []
    elif kind == "conversations_select":
        default = channel_id if element.get("default_to_current_conversation") else None
        state["selected_conversation"] = element.get("initial_conversation") or default
    elif kind == "channels_select":
        state["selected_channel"] = element.get("initial_channel")
    elif kind.startswith("multi_"):
        key = "selected_conversations" if "conv" in kind else "selected_channels"
        state[key] = element.get("initial_conversations") or element.get("initial_channels") or []
    return state


def shown(state: dict) -> str:
    """A field's current value, as the console shows it."""
    for key, value in state.items():
        if key == "type" or value in (None, [], ""):
            continue
        items = value if isinstance(value, list) else [value]
        words = []
        for item in items:
            if isinstance(item, dict):
                words.append(str(item.get("value")))
            elif isinstance(item, str) and (who := LOCAL.member(item)) and item.startswith("U"):
                words.append("@" + who.name)
            elif isinstance(item, str) and (where := LOCAL.channel(item)) and item.startswith("C"):
                words.append("#" + where.name)
            else:
                words.append(str(item))
        return ", ".join(words)
    return ""


def is_empty(state: dict) -> bool:
    return not shown(state)
