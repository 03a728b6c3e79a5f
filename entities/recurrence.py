"""Series of meetings: the rule, its occurrences, and expanding it in the series' zone.

A series is its first meeting (an instant in UTC), a zone and an RFC 5545 RRULE. The
rule is expanded by dateutil in the zone's wall-clock time, so a 09:00 meeting stays at
09:00 across daylight-saving changes, and each expanded wall-clock time then becomes an
instant with zoneinfo. The rule starts from the first meeting's wall-clock time, or, when
a spring-forward gap moved the first meeting forward (01:30 -> 02:30), from the time of day
the rule keeps (BYHOUR/BYMINUTE, see `rule_start`). An occurrence is known by its
original start (UTC epoch seconds), which stays its identity when it is skipped or moved.
Reading what people type is bot/recurrence.py.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import MO, rrule, rrulestr

from entities.instants import epoch, from_epoch

# next_occurrences looks this far ahead, so a finished series ends the search.
SEARCH_HORIZON = timedelta(days=5 * 366)

_NO_MOVES: Mapping[int, datetime] = MappingProxyType({})
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Recurrence:
    """A repeating schedule as an RFC 5545 RRULE value, read in the series' own zone."""

    rrule: str

    def describe(self) -> str:
        """The rule for logs; users see descriptions built elsewhere."""
        return f"RRULE:{self.rrule}"


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series: `key` is its original start, in UTC epoch seconds."""

    key: int
    start: datetime
    end: datetime


def occurrences(
    first_start: datetime,
    duration: timedelta,
    tz: str,
    rrule: str | None,
    window_start: datetime,
    window_end: datetime,
    skipped: frozenset[int] = frozenset(),
    moved: Mapping[int, datetime] = _NO_MOVES,
    limit: int | None = None,
) -> list[Occurrence]:
    """The occurrences whose (possibly moved) start is in [window_start, window_end).

    Sorted by start. `rrule=None` is a one-off meeting. Skipped keys are left out; a
    moved one appears where its new start falls, wherever its original start was.
    """
    zone = zone_of(tz)
    first_start = require_aware(first_start, "first_start").astimezone(UTC)
    window_start = require_aware(window_start, "window_start").astimezone(UTC)
    window_end = require_aware(window_end, "window_end").astimezone(UTC)
    # Moves are only honoured for keys that really are occurrences of this series.
    wanted_moves = {key: require_aware(at, "moved").astimezone(UTC) for key, at in moved.items()}
    for key in skipped:
        wanted_moves.pop(key, None)  # skipping wins: the meeting is off

    found: list[Occurrence] = []

    def take(key: int, start: datetime) -> None:
        if window_start <= start < window_end:
            found.append(Occurrence(key, start, start + duration))

    last_moved = max(wanted_moves, default=None)
    upper = window_end
    if last_moved is not None:
        upper = max(upper, from_epoch(last_moved) + timedelta(seconds=1))
    for key, start in _expand(first_start, zone, rrule, window_start, upper, set(wanted_moves)):
        if key in skipped:
            continue
        if key in wanted_moves:
            take(key, wanted_moves.pop(key))
            continue
        take(key, start)
    # Keys left in wanted_moves were not found: stale moves of a changed rule.

    found.sort(key=lambda occurrence: (occurrence.start, occurrence.key))
    return found if limit is None else found[:limit]


def next_occurrences(
    first_start: datetime,
    duration: timedelta,
    tz: str,
    rrule: str | None,
    after: datetime,
    n: int,
    skipped: frozenset[int] = frozenset(),
    moved: Mapping[int, datetime] = _NO_MOVES,
) -> list[Occurrence]:
    """The next `n` occurrences that have not ended by `after` (one in progress counts)."""
    if n <= 0:
        return []
    after = require_aware(after, "after").astimezone(UTC)
    # Started after this instant, so not ended by `after`; windows grow to the horizon.
    start = after - duration
    span = timedelta(days=35)
    while True:
        end = after + min(span, SEARCH_HORIZON)
        found = [
            occurrence
            for occurrence in occurrences(
                first_start, duration, tz, rrule, start, end, skipped, moved
            )
            if occurrence.end > after
        ]
        if len(found) >= n or span >= SEARCH_HORIZON:
            return found[:n]
        span *= 4


def series_end(first_start: datetime, tz: str, rrule: str | None) -> datetime | None:
    """The original start of the last occurrence, or None for a series with no end.

    A one-off meeting (`rrule=None`) ends with itself. Skips and moves are not counted.
    """
    zone = zone_of(tz)
    first_start = require_aware(first_start, "first_start").astimezone(UTC)
    if rrule is None:
        return first_start
    if not {"COUNT", "UNTIL"} & _rule_parts(rrule).keys():
        return None
    first_local = rule_start(first_start, zone, rrule)
    rule = rule_of(_normalize(rrule, zone), first_local)
    last = deque(rule, maxlen=1)  # COUNT or UNTIL bounds this walk
    if not last:
        return None
    return _instant_of(last[0], first_start, first_local, zone)


def occurrence_on(
    first_start: datetime,
    duration: timedelta,
    tz: str,
    rrule: str | None,
    day: date,
    skipped: frozenset[int] = frozenset(),
    moved: Mapping[int, datetime] = _NO_MOVES,
) -> Occurrence | None:
    """The occurrence originally scheduled on the local `day`, with its move applied.

    None when the series has none that day, or it was skipped.
    """
    zone = zone_of(tz)
    first_start = require_aware(first_start, "first_start").astimezone(UTC)
    try:
        midnight = _instant(datetime.combine(day, time()), zone)
        lower, upper = midnight - _DAY, midnight + 2 * _DAY
    except OverflowError:
        return None  # the first or last days of the calendar
    for key, start in _expand(first_start, zone, rrule, lower, upper, set()):
        if start.astimezone(zone).date() != day:
            continue
        if key in skipped:
            return None
        new_start = moved.get(key)
        if new_start is not None:
            start = require_aware(new_start, "moved").astimezone(UTC)
        return Occurrence(key, start, start + duration)
    return None


def _expand(
    first_start: datetime,
    zone: ZoneInfo,
    rule_value: str | None,
    lower: datetime,
    upper: datetime,
    keys: set[int],
) -> Iterator[tuple[int, datetime]]:
    """(key, original start) for occurrences from a day before `lower` (or before the
    earliest of `keys`) to a day after `upper`; each key once, in order of start.
    """
    if rule_value is None:
        yield epoch(first_start), first_start
        return
    first_local = rule_start(first_start, zone, rule_value)
    rule = rule_of(_normalize(rule_value, zone), first_local)
    # A day of slack each side: local and UTC dates differ by up to 14 hours.
    low = wall_clock(lower, zone, shift=-_DAY)
    high = wall_clock(upper, zone, shift=_DAY)
    earliest_key = min(keys, default=None)
    if earliest_key is not None:
        low = min(low, wall_clock(from_epoch(earliest_key), zone, shift=-_DAY))
    seen: set[int] = set()
    for local in rule.xafter(low, inc=True):
        if local > high:
            break  # open-ended rules stop here
        try:
            start = _instant_of(local, first_start, first_local, zone)
        except OverflowError:
            break  # the end of the calendar
        key = epoch(start)
        if key in seen:
            continue  # two wall-clock times in one spring-forward gap
        seen.add(key)
        yield key, start


# --- rules and time -------------------------------------------------------------------------


@lru_cache(maxsize=512)
def rule_of(rule_value: str, dtstart: datetime) -> rrule:
    """dateutil's rule, expanded in naive local time from the naive local `dtstart`."""
    rule = rrulestr(rule_value, dtstart=dtstart)
    if not isinstance(rule, rrule):
        raise ValueError(f"not a single RRULE: {rule_value!r}")
    if "WKST" not in _rule_parts(rule_value):
        # RFC 5545's default; dateutil would take it from calendar.firstweekday().
        rule = rule.replace(wkst=MO)
    return rule


def rule_start(first_start: datetime, zone: ZoneInfo, rule_value: str) -> datetime:
    """The naive local time a series' rule is expanded from: its first meeting's.

    That is the wall-clock time of `first_start`, unless the rule keeps a time of day
    (BYHOUR and BYMINUTE) that the first meeting's wall clock does not show: a
    spring-forward gap moved the first meeting forward (London, 28 March 2027: 01:30 is
    02:30 BST), and the rule keeps 01:30 for the later ones. Then it is that time on the
    day whose instant (fold=0, as `_instant` reads it) is `first_start`. A rule without
    BYHOUR starts from the wall clock, as it always has.
    """
    local = wall_clock(first_start, zone)
    parts = _rule_parts(rule_value)
    if "BYHOUR" not in parts or "BYMINUTE" not in parts:
        return local
    try:
        kept = local.replace(hour=int(parts["BYHOUR"]), minute=int(parts["BYMINUTE"]))
    except ValueError:
        return local  # a list of hours or minutes: not one we write
    if kept == local:
        return local
    for days in (0, 1):  # a gap that crosses midnight moves the day on too
        try:
            candidate = kept - timedelta(days=days)
            if _instant(candidate, zone) == first_start:
                return candidate
        except OverflowError:
            break
    return local


def _rule_parts(rule_value: str) -> dict[str, str]:
    value = rule_value.strip().removeprefix("RRULE:")
    pairs = (pair.split("=", 1) for pair in value.split(";") if pair)
    return {name.strip().upper(): setting.strip() for name, setting in pairs}


def _normalize(rule_value: str, zone: ZoneInfo) -> str:
    """The rule with UNTIL as floating local time, to compare with the floating dtstart.

    Ours are stored that way; a UTC ("...Z") or date-only UNTIL from elsewhere is
    converted, a date-only one covering its whole day.
    """
    parts = _rule_parts(rule_value)
    until = parts.get("UNTIL")
    if until is None or ("T" in until and not until.endswith("Z")):
        return rule_value.strip().removeprefix("RRULE:")
    if until.endswith("Z"):
        instant = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        parts["UNTIL"] = f"{wall_clock(instant, zone):%Y%m%dT%H%M%S}"
    else:
        parts["UNTIL"] = f"{until}T235959"
    return ";".join(f"{name}={setting}" for name, setting in parts.items())


def _instant_of(
    local: datetime, first_start: datetime, first_local: datetime, zone: ZoneInfo
) -> datetime:
    """The UTC start for a wall-clock time of the rule.

    The first one is the first meeting itself, even in the second pass of a repeated
    fall-back hour; later ones use fold=0 (see `_instant`).
    """
    if local == first_local.replace(microsecond=0):
        return first_start
    return _instant(local, zone)


def _instant(local: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time as UTC. fold=0: a time skipped by spring-forward moves on
    (02:30 -> 03:30), and a repeated fall-back time is its first pass.
    """
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def wall_clock(instant: datetime, zone: ZoneInfo, shift: timedelta = timedelta(0)) -> datetime:
    """Naive wall-clock time of `instant` plus `shift`, clamped to the calendar's ends."""
    try:
        return instant.astimezone(zone).replace(tzinfo=None) + shift
    except OverflowError:
        return datetime.combine(date.max if instant.year > 1 else date.min, time())


def between(rule: rrule, low: datetime, high: datetime) -> Iterator[datetime]:
    for local in rule:
        if local >= high:
            return
        if local >= low:
            yield local


def zone_of(tz: str) -> ZoneInfo:
    """The IANA zone `tz`; an unknown name is the caller's bug, not the user's."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone: {tz!r}") from error


def require_aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value
