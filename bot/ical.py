"""`/salesmeet export`: a user's upcoming meetings as an iCalendar (.ics) file.

A series is one VEVENT with its RRULE and DTSTART in the meeting's own zone (TZID, with
the VTIMEZONE included), so calendars expand it across daylight-saving changes exactly
as SalesMeet does; skipped occurrences are EXDATEs and moved ones are overrides with a
RECURRENCE-ID (the original start). Cancelled meetings are left out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from bot import render
from bot.i18n import Translator
from entities.meetings import Meeting

PRODID = "-//SalesMeet//SalesMeet meetings//EN"


def uid(team_id: str, meeting: Meeting) -> str:
    """Stable per meeting, so importing the file again updates events instead of adding."""
    return f"meeting-{meeting.number}-{team_id.lower()}@salesmeet"


def _local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone)


def rrule_for_calendar(rrule: str, zone: ZoneInfo) -> vRecur:
    """Our stored rule, with UNTIL in UTC as RFC 5545 wants when DTSTART has a TZID.

    SalesMeet stores UNTIL as the local end of the last day (YYYYMMDDT235959, floating);
    a UTC or date-only UNTIL from elsewhere is kept meaningful too."""
    parts = {}
    for pair in rrule.strip().removeprefix("RRULE:").split(";"):
        if "=" in pair:
            name, value = pair.split("=", 1)
            parts[name.strip().upper()] = value.strip()
    until = parts.get("UNTIL")
    if until and not until.endswith("Z"):
        if "T" not in until:
            until += "T235959"
        local = datetime.strptime(until, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
        parts["UNTIL"] = local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return vRecur.from_ical(";".join(f"{k}={v}" for k, v in parts.items()))


def _describe(tr: Translator, event: Event, meeting: Meeting) -> None:
    event.add("summary", meeting.title)
    lines = [
        tr.gettext(
            "Sales meeting {ref} ({purpose}), scheduled with SalesMeet.",
            ref=meeting.ref,
            purpose=render.purpose_label(tr, meeting.purpose),
        )
    ]
    if meeting.venue.link:
        lines.append(tr.gettext("Join: {link}", link=meeting.venue.link))
        event.add("location", meeting.venue.link)
        event.add("url", meeting.venue.link)
    elif meeting.venue.format:
        event.add("location", tr.gettext(render.FORMAT_LABELS[meeting.venue.format]))
    guests = [a.guest for a in meeting.attendees if a.guest]
    if guests:
        lines.append(tr.gettext("Guests: {guests}", guests=", ".join(guests)))
    event.add("description", "\n".join(lines))
    event.add("categories", [render.purpose_label(tr, meeting.purpose)])
    event.add("status", "CONFIRMED")


def _event(tr: Translator, team_id: str, meeting: Meeting, start: datetime, now: datetime) -> Event:
    zone = ZoneInfo(meeting.tz)
    event = Event()
    event.add("uid", uid(team_id, meeting))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", _local(start, zone))
    event.add("dtend", _local(start + meeting.duration, zone))
    _describe(tr, event, meeting)
    return event


def meeting_events(tr: Translator, team_id: str, meeting: Meeting, now: datetime) -> list[Event]:
    """The VEVENTs of one meeting: the series (or one-off) and an override per move."""
    if meeting.cancelled:
        return []
    zone = ZoneInfo(meeting.tz)
    first_key = int(meeting.starts_at.timestamp())
    if not meeting.is_series:
        occurrence = meeting.occurrence(first_key)
        start = occurrence.start if occurrence else meeting.starts_at
        return [_event(tr, team_id, meeting, start, now)]
    main = _event(tr, team_id, meeting, meeting.starts_at, now)
    main.add("rrule", rrule_for_calendar(meeting.rrule or "", zone))
    if meeting.skipped:
        keys = sorted(meeting.skipped)
        main.add("exdate", [_local(datetime.fromtimestamp(k, UTC), zone) for k in keys])
    events = [main]
    for key, moved_to in sorted(meeting.moved.items()):
        if key in meeting.skipped:
            continue
        override = _event(tr, team_id, meeting, moved_to, now)
        override.add("recurrence-id", _local(datetime.fromtimestamp(key, UTC), zone))
        events.append(override)
    return events


def calendar_file(tr: Translator, team_id: str, meetings: list[Meeting], now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", tr.gettext("SalesMeet meetings"))
    for meeting in meetings:
        for event in meeting_events(tr, team_id, meeting, now):
            cal.add_component(event)
    # A VTIMEZONE for every TZID used, so calendars without the IANA names still agree.
    cal.add_missing_timezones()
    return cal.to_ical()


def filename(tr: Translator, now: datetime) -> str:
    """`salesmeet-meetings-2026-12-06.ics`, in the reader's language."""
    name = tr.gettext("salesmeet-meetings-{day}", day=f"{now:%Y-%m-%d}")
    return "".join("-" if c in '/\\:*?"<>| ' else c for c in name) + ".ics"
