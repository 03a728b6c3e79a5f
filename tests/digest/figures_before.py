"""The digest's figures as they were worked out before they were summed from a week's
parts (issue 15): over every (meeting, occurrence) pair, in float hours, every meeting
made whole. Kept as the oracle the figures are checked against, as plain values.

Copied from features/digest/figures.py (`week_figures`, `totals`, `_costliest_series`)
and features/digest/service.py (the hours each meeting took of each person's week) as
they were; only the result is written out as plain values (`Plain`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from entities.meetings import Meeting
from entities.recurrence import Occurrence, series_end

LONG_MEETING = timedelta(minutes=60)
MAX_ATTENDEES = 8
CUT_CANDIDATES = 3
DAYS_PER_MONTH = 365.25 / 12
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7

Pairs = list[tuple[Meeting, Occurrence]]
Plain = dict[str, Any]


def members(meeting: Meeting) -> tuple[str, ...]:
    found = [meeting.organiser_id] if meeting.organiser_id else []
    for attendee in meeting.attendees:
        if attendee.user_id and attendee.user_id not in found:
            found.append(attendee.user_id)
    return tuple(found)


def attendee_count(meeting: Meeting) -> int:
    return len(members(meeting)) + sum(1 for a in meeting.attendees if a.guest)


def hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


def totals(pairs: Pairs, hourly_cost: float) -> tuple[int, float, float, float]:
    meeting_hours = attendee_hours = 0.0
    for meeting, occurrence in pairs:
        length = hours(occurrence.end - occurrence.start)
        meeting_hours += length
        attendee_hours += length * len(members(meeting))
    return (len(pairs), meeting_hours, attendee_hours, attendee_hours * hourly_cost)


def occurrences_per_month(meeting: Meeting, seen_this_week: int) -> float:
    parts = dict(p.split("=", 1) for p in (meeting.rrule or "").split(";") if "=" in p)
    try:
        interval = max(int(parts.get("INTERVAL", "1")), 1)
    except ValueError:
        interval = 1
    days = len([d for d in parts.get("BYDAY", "").split(",") if d])
    freq = parts.get("FREQ")
    if freq == "DAILY":
        return DAYS_PER_MONTH / interval * (days / 7 if days else 1)
    if freq == "WEEKLY":
        return WEEKS_PER_MONTH / interval * max(days, 1)
    if freq == "MONTHLY":
        return max(days, 1) / interval
    if freq == "YEARLY":
        return 1 / 12 / interval
    return seen_this_week * WEEKS_PER_MONTH


def figures_before(
    pairs: Pairs,
    earlier: Pairs,
    rate: float,
    now: datetime,
    unprompted: set[tuple[int, int]],
    agenda_counts: Callable[[list[int]], dict[int, int]],
) -> Plain:
    """The week's figures from its pairs (and the week before's), as plain values."""
    load: dict[str, float] = defaultdict(float)
    recurring: dict[str, float] = defaultdict(float)
    count: Counter[str] = Counter()
    by_purpose: Counter[str] = Counter()
    by_format: Counter[str | None] = Counter()
    per_channel: Counter[str] = Counter()
    channel_hours: dict[str, float] = defaultdict(float)
    internal = customer = 0.0
    seen: dict[int, Meeting] = {}
    in_week: Counter[int] = Counter()
    for meeting, occurrence in pairs:
        length = hours(occurrence.end - occurrence.start)
        people = members(meeting)
        for user_id in people:
            load[user_id] += length
            count[user_id] += 1
            if meeting.is_series:
                recurring[user_id] += length
        by_purpose[meeting.purpose] += 1
        by_format[meeting.venue.format] += 1
        if meeting.customer_facing:
            customer += length
        else:
            internal += length
        per_channel[meeting.channel_id] += 1
        channel_hours[meeting.channel_id] += length * len(people)
        seen[meeting.id] = meeting
        in_week[meeting.id] += 1
    people_loads = sorted(
        ((u, h, recurring[u], count[u]) for u, h in load.items()), key=lambda p: (-p[1], p[0])
    )
    meetings = sorted(seen.values(), key=lambda m: m.number)
    long_meetings = sorted(
        (
            (m.id, int(m.duration.total_seconds() // 60), in_week[m.id], m.number)
            for m in meetings
            if m.duration > LONG_MEETING
        ),
        key=lambda f: (-f[1], f[3]),
    )
    crowded = sorted(
        (
            (m.id, attendee_count(m), in_week[m.id], m.number)
            for m in meetings
            if attendee_count(m) > MAX_ATTENDEES
        ),
        key=lambda f: (-f[1], f[3]),
    )
    series = [m for m in meetings if m.is_series and not m.cancelled]
    ranked = []
    for meeting in series:
        people = len(members(meeting))
        per_occurrence = people * hours(meeting.duration) * rate
        per_month = per_occurrence * occurrences_per_month(meeting, in_week[meeting.id])
        ranked.append((per_month, per_occurrence, people, meeting))
    ranked.sort(key=lambda r: (-r[0], r[3].number))
    top = ranked[:CUT_CANDIDATES]
    items = agenda_counts([r[3].id for r in top]) if top else {}
    busiest = (
        min(per_channel, key=lambda c: (-per_channel[c], -channel_hours[c], c))
        if per_channel
        else None
    )
    return {
        "totals": totals(pairs, rate),
        "previous": totals(earlier, rate),
        "people": people_loads,
        "by_purpose": sorted(by_purpose.items(), key=lambda kv: (-kv[1], kv[0])),
        "by_format": sorted(by_format.items(), key=lambda kv: (-kv[1], kv[0] or "~")),
        "internal_hours": internal,
        "customer_hours": customer,
        "long_meetings": [f[:3] for f in long_meetings],
        "crowded_meetings": [f[:3] for f in crowded],
        "endless_series": [m.id for m in series if _endless(m)],
        "no_agenda": [
            (m.id, o.key, o.start, o.end) for m, o in pairs if (m.id, o.key) in unprompted
        ],
        "to_cut": [
            (
                meeting.id,
                people,
                per_occurrence,
                per_month,
                items.get(meeting.id, 0),
                len(meeting.occurrences(meeting.starts_at, now)) if now > meeting.starts_at else 0,
            )
            for per_month, per_occurrence, people, meeting in top
        ],
        "busiest_channel": busiest,
        "channels": sorted(per_channel),
    }


def _endless(meeting: Meeting) -> bool:
    parts = {p.split("=", 1)[0].upper() for p in (meeting.rrule or "").split(";") if "=" in p}
    if parts & {"COUNT", "UNTIL"}:
        return False
    return series_end(meeting.starts_at, meeting.tz, meeting.rrule) is None


def top_meetings_before(pairs: Pairs, user_id: str, n: int) -> list[tuple[int, float]]:
    """(meeting id, hours) of the meetings that took most of this person's week."""
    took: Counter[int] = Counter()
    numbers: dict[int, int] = {}
    for meeting, occurrence in pairs:
        if user_id in members(meeting):
            took[meeting.id] += hours(occurrence.end - occurrence.start)
            numbers[meeting.id] = meeting.number
    ranked = sorted(took.items(), key=lambda kv: (-kv[1], numbers[kv[0]]))
    return ranked[:n]
