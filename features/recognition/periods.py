"""Days, weeks (Monday to Sunday), calendar months and quarters in the workspace's zone.

A win logged at 23:30 on Sunday in New York is already Monday in Kuala Lumpur: which
week it counts in follows the *workspace's* zone (WorkspaceSettings.tz), never the
zone of whoever logged it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval

DAY, WEEK, MONTH, QUARTER = "day", "week", "month", "quarter"


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, and the local calendar days it spans."""

    kind: str
    start: datetime
    end: datetime
    first_day: date
    last_day: date

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def local_midnight(day: date, tz: str) -> datetime:
    """The instant a local calendar day begins, in UTC."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def local_day(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def first_day_of(kind: str, day: date) -> date:
    if kind == DAY:
        return day
    if kind == WEEK:
        return day - timedelta(days=day.weekday())
    if kind == MONTH:
        return day.replace(day=1)
    if kind == QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    raise ValueError(f"unknown period {kind!r}")


def _following(kind: str, first: date) -> date:
    if kind == DAY:
        return first + timedelta(days=1)
    if kind == WEEK:
        return first + timedelta(days=7)
    return _add_months(first, 1 if kind == MONTH else 3)


def period_from(kind: str, first: date, tz: str) -> Period:
    nxt = _following(kind, first)
    return Period(
        kind, local_midnight(first, tz), local_midnight(nxt, tz), first, nxt - timedelta(days=1)
    )


def period_containing(kind: str, instant: datetime, tz: str) -> Period:
    """The day, week, month or quarter (in zone `tz`) that `instant` falls in."""
    return period_from(kind, first_day_of(kind, local_day(instant, tz)), tz)


def previous(period: Period, tz: str) -> Period:
    return period_containing(period.kind, period.start - timedelta(seconds=1), tz)


def label(period: Period, locale: str) -> str:
    """`Nov 23 – 29`, `November 2026`, `Q4 2026`: dates as the workspace counts them."""
    # CLDR puts thin spaces around the dash; plain ones read the same and search better.
    return _label(period, locale).replace("\u2009", " ").replace("\u202f", " ")


def _label(period: Period, locale: str) -> str:
    try:
        if period.kind == WEEK:
            return format_interval(period.first_day, period.last_day, "MMMd", locale=locale)
        if period.kind == MONTH:
            return format_date(period.first_day, "MMMM y", locale=locale)
        if period.kind == QUARTER:
            return format_date(period.first_day, "QQQ y", locale=locale)
        return format_date(period.first_day, "medium", locale=locale)
    except (ValueError, LookupError):
        return _label(period, "en") if locale != "en" else period.first_day.isoformat()


def days_left(period: Period, now: datetime, tz: str) -> int:
    """Calendar days from today to the period's last day, both counted."""
    return max((period.last_day - local_day(now, tz)).days + 1, 1)


def at_local(day: date, clock_time: time, tz: str) -> datetime:
    """A wall-clock time on a local day, in UTC (a time skipped by DST moves forward)."""
    return datetime.combine(day, clock_time, tzinfo=ZoneInfo(tz)).astimezone(UTC)
