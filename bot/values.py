"""What our buttons and forms carry back, read strictly.

A button value or a modal's private_metadata comes back from Slack as we wrote it, but
anyone who can sign a request can write anything there. These readers accept only the
shapes we write, with bounded numbers (SQLite refuses integers past 2**63, and a meeting
number or an occurrence key has no business near that), and return None otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

MAX_NUMBER = 999_999_999  # meeting numbers and row ids, per workspace
MAX_OCCURRENCE = 10**11  # an occurrence key is a start in epoch seconds (year 5138)
# fullmatch, ASCII digits only: `$` would allow a trailing newline, `\d` any script's digits.
_OCCURRENCE_REF = re.compile(r"([0-9]{1,9}):([0-9]{1,11})")
_ID = re.compile(r"[0-9]{1,9}")
_CHANNEL = re.compile(r"[CGD][A-Z0-9]{2,20}")
_USER = re.compile(r"[UW][A-Z0-9]{2,20}")


def read_occurrence_ref(value: object) -> tuple[int, int] | None:
    """(meeting number, occurrence key) from a `number:key` button value."""
    match = _OCCURRENCE_REF.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return None
    number, key = int(match.group(1)), int(match.group(2))
    if not (1 <= number <= MAX_NUMBER and 0 <= key <= MAX_OCCURRENCE):
        return None
    return number, key


def read_id(value: object) -> int | None:
    """A row id from a button value (an action item's Done button)."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_NUMBER else None


def read_user_id(value: object) -> str | None:
    """A Slack member id from a user picker (`U…`, or `W…` on Enterprise Grid)."""
    return value if isinstance(value, str) and _USER.fullmatch(value) else None


def read_channel_id(value: object) -> str | None:
    return value if isinstance(value, str) and _CHANNEL.fullmatch(value) else None


@dataclass(frozen=True)
class AgendaForm:
    """What the Add-agenda-item modal carries: which occurrence, and where to answer."""

    number: int
    occurrence: int
    channel_id: str | None = None

    def dump(self) -> str:
        return json.dumps(
            {"number": self.number, "occurrence": self.occurrence, "channel_id": self.channel_id}
        )


def read_agenda_form(metadata: object) -> AgendaForm | None:
    try:
        data = json.loads(metadata) if isinstance(metadata, str) else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    number, occurrence = data.get("number"), data.get("occurrence")
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (number, occurrence)):
        return None
    ref = read_occurrence_ref(f"{number}:{occurrence}")
    if ref is None:
        return None
    channel = data.get("channel_id")
    if channel is not None and read_channel_id(channel) is None:
        return None
    return AgendaForm(ref[0], ref[1], channel)
