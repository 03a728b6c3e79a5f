"""Periods in the workspace's zone, and the occurrences that fall in them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.followups.store import PeriodStore
from storage.meetings import MeetingStore


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def period_bounds(now: datetime, tz: str, which: str, unit: str) -> tuple[datetime, datetime]:
    """[start, end) of last/this/next week (Monday to Monday) or month, midnight to
    midnight in `tz`: a week is 7 local days even across a daylight-saving change."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    shift = {"last": -1, "this": 0, "next": 1}[which]
    if unit == "week":
        first = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
        last = first + timedelta(weeks=1)
    else:
        month = today.year * 12 + today.month - 1 + shift
        first = date(month // 12, month % 12 + 1, 1)
        following = month + 1
        last = date(following // 12, following % 12 + 1, 1)
    return _midnight(first, zone), _midnight(last, zone)


def occurrences_between(
    periods: PeriodStore,
    meetings: MeetingStore,
    team_id: str,
    start: datetime,
    end: datetime,
    user_id: str | None = None,
) -> list[tuple[Meeting, Occurrence]]:
    """Occurrences starting in [start, end), soonest first. A cancelled meeting keeps the
    occurrences that started before it was cancelled: they took place."""
    found: list[tuple[Meeting, Occurrence]] = []
    for meeting_id, cancelled_at in periods.meetings_between(team_id, start, end, user_id):
        meeting = meetings.by_id(team_id, meeting_id)
        if meeting is None:
            continue
        for occurrence in meeting.occurrences(start, end):
            if cancelled_at is None or occurrence.start < cancelled_at:
                found.append((meeting, occurrence))
    found.sort(key=lambda pair: (pair[1].start, pair[0].number))
    return found


def hours(pairs: list[tuple[Meeting, Occurrence]]) -> float:
    return sum((o.end - o.start).total_seconds() for _, o in pairs) / 3600
