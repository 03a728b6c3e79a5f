"""Recurring sales meetings: the one place that reads, stores and expands them.

A series is its first meeting (an instant in UTC), a zone and an RFC 5545 RRULE. The
rule is expanded by dateutil in the zone's wall-clock time, so a 09:00 meeting stays at
09:00 across daylight-saving changes, and each expanded wall-clock time then becomes an
instant with zoneinfo. An occurrence is known by its original start (UTC epoch seconds),
which stays its identity when it is skipped or moved.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser.date import DateDataParser
from dateutil.rrule import MO, rrule, rrulestr

from bot.errors import N_, UserError
from bot.when import LANGUAGES

FIELD = "every"
MAX_TEXT_LENGTH = 100
MAX_COUNT = 1000
# Once a day on average over a year; more is a chat, not a sales meeting.
MAX_PER_YEAR = 366
# next_occurrences looks this far ahead, so a finished series ends the search.
SEARCH_HORIZON = timedelta(days=5 * 366)

UNREADABLE_RULE = N_(
    "I couldn't read “every {text}” as a repeating schedule. Try `every week`, "
    "`every weekday`, `every 2 weeks`, `every month` or `every mon, wed`."
)
RULE_TOO_LONG = N_(
    "A repeating schedule can be at most {limit} characters. Try something like "
    "`every week` or `every mon, wed`."
)
TOO_OFTEN = N_(
    "“every {text}” would give more than one occurrence a day, and a meeting can repeat "
    "at most once a day. Try `every day`, `every weekday` or `every week`."
)
NOT_IN_DAYS = N_(
    "“every {text}” needs a whole number of days, weeks or months, like `every 2 days`, "
    "`every week` or `every month`."
)
BAD_COUNT = N_(
    "A repeating meeting can happen from 1 to {limit} times, so “{count} times” won't "
    "work. Try something like `every week 10 times`."
)
BOTH_LIMITS = N_(
    "Give either an end date or a number of times, not both. Try `every week until Mar 31` "
    "or `every week 10 times`."
)
UNREADABLE_UNTIL = N_(
    "I couldn't read “{text}” as an end date. Try `until Mar 31`, `until YYYY-MM-DD` or "
    "`until end of march`."
)
UNTIL_NEEDS_DAY = N_(
    "“{text}” gives no day of the month, so I can't tell when the series should end. "
    "Try `until Mar 31` or `until end of march`."
)
AMBIGUOUS_UNTIL = N_(
    "I can't tell whether “{text}” puts the day or the month first. Write the month as a "
    "word, like `until Mar 31`, or put the year first, like `until YYYY-MM-DD`."
)
NEVER_HAPPENS = N_(
    "I read the end date as {until}, which is before the first meeting on {first}, so the "
    "series would never happen. Pick a later end date, like `until Mar 31`."
)
NO_OCCURRENCE = N_(
    "“every {text}” would never happen. Try `every week`, `every month` or `every mon, wed`."
)
FIRST_NOT_IN_RULE = N_(
    "The first meeting, on {first}, is not one of the days in “every {text}”. Start the "
    "series on one of those days, or pick days that include it, like `every mon, wed`."
)
TOO_MANY = N_(
    "“every {text}” until {until} would give more than {limit} meetings. Pick an earlier "
    "end date, or give a number of times, like `every week 10 times`."
)

_NO_MOVES: Mapping[int, datetime] = MappingProxyType({})
_DAY = timedelta(days=1)
_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAYS = "MO,TU,WE,TH,FR"

# Day names people type, by weekday number (Monday 0), plural forms included below.
_DAY_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _number
        _DAY_NAMES[_name + "s"] = _number  # "mondays"
del _number, _names, _name

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    # Ordinals: "every second week" is every other week.
    "other": 2,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
}
_NUMBER = rf"(?:\d{{1,3}}(?:st|nd|rd|th)?|{'|'.join(_NUMBER_WORDS)})"

# (FREQ, multiplier of the interval) for each unit.
_UNITS: dict[str, tuple[str, int]] = {
    "second": ("SECONDLY", 1),
    "sec": ("SECONDLY", 1),
    "minute": ("MINUTELY", 1),
    "min": ("MINUTELY", 1),
    "half hour": ("MINUTELY", 30),
    "hour": ("HOURLY", 1),
    "hr": ("HOURLY", 1),
    "day": ("DAILY", 1),
    "week": ("WEEKLY", 1),
    "fortnight": ("WEEKLY", 2),
    "month": ("MONTHLY", 1),
    "year": ("YEARLY", 1),
}
_WEEKDAY_UNITS = ("weekday", "workday", "work day", "working day", "business day")
_UNIT_PATTERN = "|".join(
    re.escape(unit) for unit in sorted([*_UNITS, *_WEEKDAY_UNITS], key=len, reverse=True)
)
_RULE = re.compile(
    rf"(?:(?P<number>{_NUMBER})\s+)?(?P<unit>{_UNIT_PATTERN})s?(?:\s+on\s+(?P<days>.+))?"
)
# Only "other" before day names: "every second monday" is a monthly Monday to some.
_OTHER_DAYS = re.compile(r"(?:(?P<other>other)\s+)?(?P<days>.+)")
_COUNT = re.compile(r"(?P<rest>.*?)[\s,]*\b(?:for\s+)?(?P<count>\d+)\s*(?:times?|x)")
_DAY_SEPARATORS = re.compile(r"\s*(?:,|&|/|\+|\band\b|\s)\s*")

# Day and month as two numbers ("3/12", "03-12-2026"): which comes first is unclear.
_NUMERIC_DATE = re.compile(r"(?<![\d/.:-])(\d{1,2})([/.-])(\d{1,2})(\2\d{2,4})?(?![\d/.:-])")
_END_OF = re.compile(r"^(?:the\s+)?end\s+of\s+(?:the\s+)?")
# Timestamps ("1700000000") are nobody's end date, so only these parsers run.
_PARSERS = ["relative-time", "absolute-time"]


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


# --- reading what people type -------------------------------------------------------------


def parse_recurrence(
    rule_text: str,
    first_start: datetime,
    tz: str,
    until_text: str | None = None,
    now: datetime | None = None,
) -> Recurrence:
    """Read what followed `every` (and `until`) into a rule for a series starting then.

    Raises UserError (field "every") for anything that is not a workable sales-meeting
    schedule; ValueError for an unknown `tz` or naive datetimes (the caller's mistakes).
    """
    zone = _zone(tz)
    first_local = _local(_aware(first_start, "first_start"), zone)

    text = _clean(rule_text)
    if len(text) > MAX_TEXT_LENGTH:
        raise UserError(RULE_TOO_LONG, FIELD, limit=MAX_TEXT_LENGTH)
    text = text.removeprefix("every ").strip(" .")
    if not text:
        raise UserError(UNREADABLE_RULE, FIELD, text=text)

    count = None
    if match := _COUNT.fullmatch(text):
        count = int(match["count"])
        if not 1 <= count <= MAX_COUNT:
            raise UserError(BAD_COUNT, FIELD, limit=MAX_COUNT, count=count)
        text = match["rest"]
    if count is not None and until_text is not None:
        raise UserError(BOTH_LIMITS, FIELD)

    parts = _read_rule(text, first_local)
    until = None
    if until_text is not None:
        base = _local(_aware(now, "now"), zone) if now is not None else first_local
        until_day = _read_until(until_text, base)
        if until_day < first_local.date():
            raise UserError(
                NEVER_HAPPENS,
                FIELD,
                until=until_day.isoformat(),
                first=first_local.date().isoformat(),
            )
        until = until_day.isoformat()
        # The whole local day, as floating time compared with floating dtstart.
        parts.append(f"UNTIL={until_day:%Y%m%d}T235959")
    elif count is not None:
        parts.append(f"COUNT={count}")

    rule_value = ";".join(parts)
    _check(rule_value, first_local, text, until)
    return Recurrence(rule_value)


def _read_rule(text: str, first_local: datetime) -> list[str]:
    """The RRULE parts (without COUNT/UNTIL) for `text`, such as "2 weeks" or "mon, wed"."""
    if match := _RULE.fullmatch(text):
        interval = _number(match["number"], text)
        unit = match["unit"]
        if unit in _WEEKDAY_UNITS:
            if match["number"] or match["days"]:
                raise UserError(UNREADABLE_RULE, FIELD, text=text)
            return ["FREQ=WEEKLY", f"BYDAY={_WEEKDAYS}"]
        freq, multiple = _UNITS[unit]
        parts = [f"FREQ={freq}"]
        if interval * multiple != 1:
            parts.append(f"INTERVAL={interval * multiple}")
        if match["days"]:
            if freq != "WEEKLY":
                raise UserError(UNREADABLE_RULE, FIELD, text=text)
            parts.append(f"BYDAY={_days(match['days'], text)}")
        elif freq == "MONTHLY":
            parts.append(f"BYDAY={_weekday_position(first_local)}")
        elif freq in ("HOURLY", "MINUTELY", "SECONDLY"):
            # Counting refuses the frequent ones; "every 36 hours" drifts around the clock.
            _check(";".join(parts), first_local, text, None)
            raise UserError(NOT_IN_DAYS, FIELD, text=text)
        return parts
    if match := _OTHER_DAYS.fullmatch(text):  # "mon, wed", "other monday"
        parts = ["FREQ=WEEKLY"]
        if match["other"]:
            parts.append("INTERVAL=2")
        parts.append(f"BYDAY={_days(match['days'], text)}")
        return parts
    raise UserError(UNREADABLE_RULE, FIELD, text=text)


def _number(word: str | None, text: str) -> int:
    """An interval typed as `2`, `2nd`, `two`, `second` or `other`; at least 1."""
    if word is None:
        return 1
    value = _NUMBER_WORDS.get(word)
    if value is None:
        value = int(word.rstrip("stndrh"))
    if value < 1:
        raise UserError(UNREADABLE_RULE, FIELD, text=text)
    return value


def _days(text: str, whole: str) -> str:
    """BYDAY for a list of day names ("mon, wed", "monday and wednesday"), Monday first."""
    names = [name for name in _DAY_SEPARATORS.split(text) if name]
    numbers = {_DAY_NAMES.get(name) for name in names}
    if not names or None in numbers:
        raise UserError(UNREADABLE_RULE, FIELD, text=whole)
    return ",".join(_CODES[number] for number in sorted(numbers) if number is not None)


def _weekday_position(local: datetime) -> str:
    """BYDAY for "the same weekday of the month": +1TU for a first Tuesday.

    A fifth weekday becomes the last (-1), since most months have no fifth one.
    """
    position = (local.day - 1) // 7 + 1
    sign = "-1" if position == 5 else f"+{position}"
    return f"{sign}{_CODES[local.weekday()]}"


def _read_until(text: str, base: datetime) -> date:
    """The local day an `until` names ("Mar 31", "2027-03-31", "end of march")."""
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > MAX_TEXT_LENGTH:
        raise UserError(UNREADABLE_UNTIL, FIELD, text=cleaned)
    for match in _NUMERIC_DATE.finditer(cleaned):
        first, second = int(match[1]), int(match[3])
        if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
            raise UserError(AMBIGUOUS_UNTIL, FIELD, text=cleaned)
    rest = _END_OF.sub("", cleaned)
    end_of = rest != cleaned
    if end_of and rest in ("month", "year"):
        rest = f"this {rest}"  # "end of the month"

    settings = {
        "RELATIVE_BASE": base,
        "TIMEZONE": "UTC",  # no zone arithmetic: the base is already local
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "last" if end_of else "first",
        "PARSERS": _PARSERS,
    }
    parser = DateDataParser(languages=list(LANGUAGES), settings=settings)
    try:
        data = parser.get_date_data(rest)
    except (ValueError, OverflowError) as error:  # numbers that fit no calendar
        raise UserError(UNREADABLE_UNTIL, FIELD, text=cleaned) from error
    if data.date_obj is None:
        raise UserError(UNREADABLE_UNTIL, FIELD, text=cleaned)
    day = data.date_obj.date()
    if end_of and data.parts == ("year",):
        return date(day.year, 12, 31)  # "end of 2027"
    if "month" not in data.parts or ("day" not in data.parts and not end_of):
        raise UserError(UNTIL_NEEDS_DAY, FIELD, text=cleaned)
    if "year" not in data.parts:
        # dateparser's "future" sends today's date to next year; today still counts.
        day = _on_or_after(day, base.date())
    return day


def _on_or_after(day: date, base: date) -> date:
    """The same month and day in the first year that is not before `base`."""
    for year in range(base.year, base.year + 9):  # 29 February waits up to 8 years
        try:
            candidate = day.replace(year=year)
        except ValueError:
            continue
        if candidate >= base:
            return candidate
    return day


def _check(rule_value: str, first_local: datetime, text: str, until: str | None) -> None:
    """Refuse a rule that never happens, skips its first meeting, or repeats too often."""
    rule = _rule(rule_value, first_local)
    first = next(iter(rule), None)
    if first is None:
        raise UserError(NO_OCCURRENCE, FIELD, text=text)
    if first != first_local.replace(microsecond=0):
        raise UserError(FIRST_NOT_IN_RULE, FIELD, text=text, first=first_local.date().isoformat())
    year_later = first_local + timedelta(days=MAX_PER_YEAR)
    in_a_year = _between(rule, first_local, year_later)
    if sum(1 for _ in islice(in_a_year, MAX_PER_YEAR + 1)) > MAX_PER_YEAR:
        raise UserError(TOO_OFTEN, FIELD, text=text)
    if until is not None and sum(1 for _ in islice(rule, MAX_COUNT + 1)) > MAX_COUNT:
        raise UserError(TOO_MANY, FIELD, text=text, until=until, limit=MAX_COUNT)


# --- expanding a series ---------------------------------------------------------------------


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
    zone = _zone(tz)
    first_start = _aware(first_start, "first_start").astimezone(UTC)
    window_start = _aware(window_start, "window_start").astimezone(UTC)
    window_end = _aware(window_end, "window_end").astimezone(UTC)
    # Moves are only honoured for keys that really are occurrences of this series.
    wanted_moves = {key: _aware(at, "moved").astimezone(UTC) for key, at in moved.items()}
    for key in skipped:
        wanted_moves.pop(key, None)  # skipping wins: the meeting is off

    found: list[Occurrence] = []

    def take(key: int, start: datetime) -> None:
        if window_start <= start < window_end:
            found.append(Occurrence(key, start, start + duration))

    last_moved = max(wanted_moves, default=None)
    upper = window_end
    if last_moved is not None:
        upper = max(upper, _from_epoch(last_moved) + timedelta(seconds=1))
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
    after = _aware(after, "after").astimezone(UTC)
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
    zone = _zone(tz)
    first_start = _aware(first_start, "first_start").astimezone(UTC)
    if rrule is None:
        return first_start
    if not {"COUNT", "UNTIL"} & _rule_parts(rrule).keys():
        return None
    rule = _rule(_normalize(rrule, zone), _local(first_start, zone))
    last = deque(rule, maxlen=1)  # COUNT or UNTIL bounds this walk
    if not last:
        return None
    return _instant_of(last[0], first_start, _local(first_start, zone), zone)


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
    zone = _zone(tz)
    first_start = _aware(first_start, "first_start").astimezone(UTC)
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
            start = _aware(new_start, "moved").astimezone(UTC)
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
        yield _epoch(first_start), first_start
        return
    first_local = _local(first_start, zone)
    rule = _rule(_normalize(rule_value, zone), first_local)
    # A day of slack each side: local and UTC dates differ by up to 14 hours.
    low = _local(lower, zone, shift=-_DAY)
    high = _local(upper, zone, shift=_DAY)
    earliest_key = min(keys, default=None)
    if earliest_key is not None:
        low = min(low, _local(_from_epoch(earliest_key), zone, shift=-_DAY))
    seen: set[int] = set()
    for local in rule.xafter(low, inc=True):
        if local > high:
            break  # open-ended rules stop here
        try:
            start = _instant_of(local, first_start, first_local, zone)
        except OverflowError:
            break  # the end of the calendar
        key = _epoch(start)
        if key in seen:
            continue  # two wall-clock times in one spring-forward gap
        seen.add(key)
        yield key, start


# --- rules and time -------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _rule(rule_value: str, dtstart: datetime) -> rrule:
    """dateutil's rule, expanded in naive local time from the naive local `dtstart`."""
    rule = rrulestr(rule_value, dtstart=dtstart)
    if not isinstance(rule, rrule):
        raise ValueError(f"not a single RRULE: {rule_value!r}")
    if "WKST" not in _rule_parts(rule_value):
        # RFC 5545's default; dateutil would take it from calendar.firstweekday().
        rule = rule.replace(wkst=MO)
    return rule


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
        parts["UNTIL"] = f"{_local(instant, zone):%Y%m%dT%H%M%S}"
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


def _local(instant: datetime, zone: ZoneInfo, shift: timedelta = timedelta(0)) -> datetime:
    """Naive wall-clock time of `instant` plus `shift`, clamped to the calendar's ends."""
    try:
        return instant.astimezone(zone).replace(tzinfo=None) + shift
    except OverflowError:
        return datetime.combine(date.max if instant.year > 1 else date.min, time())


def _epoch(instant: datetime) -> int:
    return int(instant.replace(microsecond=0).timestamp())


def _from_epoch(key: int) -> datetime:
    return datetime.fromtimestamp(key, UTC)


def _between(rule: rrule, low: datetime, high: datetime) -> Iterator[datetime]:
    for local in rule:
        if local >= high:
            return
        if local >= low:
            yield local


def _zone(tz: str) -> ZoneInfo:
    """The IANA zone `tz`; an unknown name is the caller's bug, not the user's."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone: {tz!r}") from error


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value


def _clean(text: str) -> str:
    """Lower-case text with compatibility forms folded and spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())
