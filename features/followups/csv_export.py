"""`/salesmeet export csv`: a period's occurrences with attendees, hours and estimated cost,
for managers. One row per occurrence, then a total row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import render
from bot.i18n import Translator
from bot.workspace import WorkspaceSettings
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups.store import GOING, NOT_GOING

# A cell starting with one of these is a formula to spreadsheets: a title like
# "=HYPERLINK(...)" must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def people_of(meeting: Meeting) -> list[str]:
    """Members whose time the meeting takes: the organiser and the member attendees."""
    found = [meeting.organiser_id]
    for attendee in meeting.attendees:
        if attendee.user_id and attendee.user_id not in found:
            found.append(attendee.user_id)
    return found


@dataclass(frozen=True)
class Totals:
    occurrences: int
    hours: float
    person_hours: float
    cost: float


def _iso(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).isoformat(timespec="minutes")


def _number(value: float) -> str:
    return f"{value:.2f}"


def cost_csv(
    tr: Translator,
    rows: list[tuple[Meeting, Occurrence]],
    settings: WorkspaceSettings,
    names: dict[str, str],
    answers: dict[tuple[int, int], dict[str, str]],
    now: datetime,
) -> tuple[str, Totals]:
    """The CSV text and its totals. `names` maps user ids to display names; `answers`
    maps (meeting id, occurrence key) to RSVPs."""
    zone = ZoneInfo(settings.tz)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            tr.gettext("Meeting"),
            tr.gettext("Title"),
            tr.gettext("Date"),
            tr.gettext("Start"),
            tr.gettext("End"),
            tr.gettext("Time zone"),
            tr.gettext("Status"),
            tr.gettext("Type"),
            tr.gettext("Format"),
            tr.gettext("Customer-facing"),
            tr.gettext("Organiser"),
            tr.gettext("Attendees"),
            tr.gettext("People"),
            tr.gettext("Guests"),
            tr.gettext("Going"),
            tr.gettext("Not going"),
            tr.gettext("Hours"),
            tr.gettext("Person-hours"),
            tr.gettext("Estimated cost"),
            tr.gettext("Currency"),
        ]
    )
    total_hours = total_person_hours = total_cost = 0.0
    for meeting, occurrence in rows:
        hours = (occurrence.end - occurrence.start).total_seconds() / 3600
        people = people_of(meeting)
        person_hours = hours * len(people)
        cost = person_hours * settings.hourly_cost
        total_hours += hours
        total_person_hours += person_hours
        total_cost += cost
        if occurrence.end <= now:
            status = tr.gettext("held")
        elif occurrence.start <= now:
            status = tr.gettext("in progress")
        else:
            status = tr.gettext("scheduled")
        attendees = [
            names.get(a.user_id, a.user_id)
            if a.user_id
            else tr.gettext("{name} (guest)", name=a.guest or "")
            for a in meeting.attendees
        ]
        rsvp = answers.get((meeting.id, occurrence.key), {})
        venue = meeting.venue
        writer.writerow(
            [
                meeting.ref,
                cell(meeting.title),
                occurrence.start.astimezone(zone).date().isoformat(),
                _iso(occurrence.start, zone),
                _iso(occurrence.end, zone),
                settings.tz,
                status,
                render.purpose_label(tr, meeting.purpose),
                tr.gettext(render.FORMAT_LABELS[venue.format]) if venue.format else "",
                tr.gettext("yes") if meeting.customer_facing else tr.gettext("no"),
                cell(names.get(meeting.organiser_id, meeting.organiser_id)),
                cell("; ".join(attendees)),
                len(people),
                sum(1 for a in meeting.attendees if a.guest),
                sum(1 for a in rsvp.values() if a == GOING),
                sum(1 for a in rsvp.values() if a == NOT_GOING),
                _number(hours),
                _number(person_hours),
                _number(cost),
                settings.currency,
            ]
        )
    writer.writerow(
        [
            tr.gettext("Total"),
            *([""] * 15),
            _number(total_hours),
            _number(total_person_hours),
            _number(total_cost),
            settings.currency,
        ]
    )
    return out.getvalue(), Totals(len(rows), total_hours, total_person_hours, total_cost)


def csv_filename(tr: Translator, start: datetime, end: datetime, tz: str) -> str:
    """`salesmeet-costs-2026-11-23-to-2026-11-29.csv`, in the reader's language."""
    zone = ZoneInfo(tz)
    last = (end.astimezone(zone) - timedelta(days=1)).date()
    first = start.astimezone(zone).date()
    name = tr.gettext("salesmeet-costs-{first}-to-{last}", first=first, last=last)
    return _file_safe(name) + ".csv"


def _file_safe(name: str) -> str:
    """A file name every system takes: no separators or reserved characters."""
    return "".join("-" if c in '/\\:*?"<>| ' else c for c in name)
