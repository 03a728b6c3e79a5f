"""The `/salesmeet` verbs of the followups feature, `export` and `rsvp`, and their commands."""

from __future__ import annotations

import re
from dataclasses import dataclass

from entities.errors import N_, UserError

CSV_EXAMPLE = "/salesmeet export csv last month"
WHICH = ("last", "this", "next")
UNITS = ("week", "month")
DEFAULT_WHICH, DEFAULT_UNIT = "this", "month"


@dataclass(frozen=True)
class ExportCalendar:
    """An .ics file of the user's upcoming meetings, sent to them by DM."""


@dataclass(frozen=True)
class ExportCsv:
    """A CSV of a period's occurrences, attendees, hours and cost (managers only)."""

    which: str = DEFAULT_WHICH  # last | this | next
    unit: str = DEFAULT_UNIT  # week | month


@dataclass(frozen=True)
class ShowRsvps:
    """Who is going to a meeting's next occurrence, and who hasn't answered."""

    number: int


_NUMBER = re.compile(r"^#?(\d{1,9})$")


def parse_export(text: str) -> ExportCalendar | ExportCsv:
    words = text.lower().split()
    if not words or words in (["ics"], ["calendar"], ["ical"]):
        return ExportCalendar()
    if words[0] != "csv":
        raise UserError(
            N_(
                "Use `/salesmeet export` for a calendar file of your meetings, or"
                " `{example}` for a spreadsheet of meeting costs."
            ),
            example=CSV_EXAMPLE,
        )
    period = words[1:]
    if not period:
        return ExportCsv()
    if len(period) == 1 and period[0] in UNITS:
        return ExportCsv(DEFAULT_WHICH, period[0])
    if len(period) == 2 and period[0] in WHICH and period[1] in UNITS:
        return ExportCsv(period[0], period[1])
    raise UserError(
        N_(
            "I can export last, this or next week or month, like `{example}`"
            " or `/salesmeet export csv this week`."
        ),
        example=CSV_EXAMPLE,
    )


def parse_rsvp(text: str) -> ShowRsvps:
    match = _NUMBER.match(text.strip())
    if not match:
        raise UserError(
            N_("Give the meeting's number, like `{example}`."), example="/salesmeet rsvp #12"
        )
    return ShowRsvps(int(match.group(1)))
