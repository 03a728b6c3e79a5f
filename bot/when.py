"""Reading the times and durations people type: the one place that does it.

`parse_when` reads text such as `tomorrow 3pm` as wall-clock time in the user's own
zone and returns an instant in UTC; `parse_duration` reads `45m`, `1h30` and the like.
Anything a user could type gives a result or a `UserError`, never another exception.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser.date import DateData, DateDataParser
from dateparser.timezone_parser import pop_tz_offset_from_string

from entities.errors import N_, UserError

# Languages dateparser may read times in; add more as their catalogues arrive.
LANGUAGES: tuple[str, ...] = ("en",)

MAX_TEXT_LENGTH = 100
# Further ahead is a typo ("2062" for "2026"), and year 9999 would overflow later sums.
MAX_AHEAD = timedelta(days=2 * 365)
DEFAULT_DURATION = timedelta(minutes=30)
MAX_DURATION = timedelta(hours=8)

UNREADABLE_TIME = N_(
    "I couldn't read “{text}” as a time. Try `tomorrow 3pm`, `fri 9:30`, `Dec 3 14:00` "
    "or `in 2 hours`."
)
TIME_TOO_LONG = N_(
    "A time can be at most {limit} characters. Try something like `tomorrow 3pm` or `fri 9:30`."
)
NEEDS_A_TIME = N_(
    "“{text}” gives a day but not a time of day. Add one, like `monday 10am`, "
    "`Dec 3 14:00` or `tomorrow 3pm`."
)
TIME_PASSED = N_(
    "I read “{text}” as {when}, which has already passed. Pick a time in the future, "
    "like `tomorrow 3pm` or `in 2 hours`."
)
TOO_FAR_AHEAD = N_(
    "I read “{text}” as {when}, which is more than {years} years away. Check the year, "
    "or pick a nearer time."
)
AMBIGUOUS_DATE = N_(
    "I can't tell whether “{text}” puts the day or the month first. Write the month as a "
    "word, like `Dec 3 14:00`, or put the year first, like `YYYY-MM-DD 14:00`."
)
UNKNOWN_ZONE = N_(
    "I can't be sure which time zone “{zone}” means. Leave it out to use your own time "
    "zone ({tz}), or give an offset from UTC, like `3pm UTC+8`."
)
UNREADABLE_DURATION = N_(
    "I couldn't read “{text}” as a length of time. Try `45m`, `1h`, `1h30` or `90 minutes`."
)
DURATION_NOT_POSITIVE = N_(
    "A meeting has to last at least a minute. Try `45m`, `1h`, `1h30` or `90 minutes`."
)
DURATION_TOO_LONG = N_("A meeting can last at most {hours} hours, and “{text}” is longer.")

# The timestamp parsers read "1700000000" as seconds since 1970 and "no-spaces-time" reads
# it as 2000-01-07; nobody means either, so only these two run.
_PARSERS = ["relative-time", "absolute-time"]

# The reference time handed to dateparser carries this microsecond. Times read from a
# clock time ("3pm", "tomorrow 9:30") come back with microsecond 0; offsets from now
# ("in 2 hours") keep it, so we can redo them as elapsed time, right across DST changes.
_OFFSET_MARK = 1

# Zones named in the text that mean one offset whatever the date. Abbreviations do not:
# dateparser reads IST as Israel (+2), not India, and people say EST in July meaning EDT.
_FIXED_ZONE_NAMES = frozenset({"UTC", "GMT", "UT", "Z"})

# Day and month as two numbers ("3/12", "03-12-2026", "3.12.2026"): dateparser reads them
# month first, but people in Kuala Lumpur, London or Kolkata mean day first.
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.:-])(\d{1,2})([/.-])(\d{1,2})(\2\d{2,4})?(?![\d/.:-])(?!\s*[ap]\.?m\b)",
    re.IGNORECASE,
)


def _zone(tz: str) -> ZoneInfo:
    """The IANA zone `tz`; an unknown name is the caller's bug, not the user's."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone: {tz!r}") from error


def _clean(text: str) -> str:
    """Text with compatibility forms folded (full-width digits), controls as spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())


def _unreadable(text: str) -> UserError:
    return UserError(UNREADABLE_TIME, "when", text=text)


def _has_ambiguous_numeric_date(text: str) -> bool:
    for match in _NUMERIC_DATE.finditer(text):
        if match[2] == "." and not match[4]:
            continue  # "9.30" is a time of day
        first, second = int(match[1]), int(match[3])
        if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
            return True
    return False


def _text_zone(text: str, tz: str) -> tuple[str, tzinfo | None]:
    """The text without a zone it names, and that zone as a fixed offset."""
    rest, found = pop_tz_offset_from_string(text)
    if found is None:
        return text, None
    name = found.tzname(None)
    # Numeric offsets ("+0530", "UTC+8") come back named like "UTC\+05:30".
    if name.upper() not in _FIXED_ZONE_NAMES and not name.startswith("UTC\\"):
        raise UserError(UNKNOWN_ZONE, "when", zone=name, tz=tz)
    rest = rest.strip()
    if not rest or pop_tz_offset_from_string(rest)[1] is not None:
        raise _unreadable(text)  # only a zone, or two of them
    try:
        return rest, timezone(found.utcoffset(None) or timedelta(0))
    except ValueError as error:  # an offset of a day or more
        raise _unreadable(text) from error


def _to_utc(local: datetime, zone: tzinfo, now: datetime) -> datetime:
    """The instant a wall-clock time in `zone` names.

    A time skipped by a spring-forward change moves forward (2:30 -> 3:30): fold=0 uses
    the offset from before the change. A repeated fall-back time means its first
    occurrence, unless that has passed and the second has not.
    """
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    repeated = second > first  # a gap gives second < first
    if repeated and first <= now < second:
        return second
    return first


def _nearest_year(read: datetime, base: datetime) -> datetime:
    """A month and day given without a year: the occurrence nearest to now.

    dateparser's "future" preference sends a day that passed last week to next year;
    the nearest one lets "Nov 1" in late November be refused as past, while "Jan 5" in
    late December still means next January.
    """
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(read.replace(year=year))
        except ValueError:
            continue  # 29 February outside a leap year
    if not candidates:
        return read
    return min(candidates, key=lambda candidate: abs(candidate - base))


def _settings(base: datetime) -> dict[str, object]:
    return {
        "RELATIVE_BASE": base,
        # All zone arithmetic happens here, with zoneinfo. dateparser's own (pytz) offsets
        # are made a no-op: with TIMEZONE set to the user's zone it subtracts the offset
        # again when deciding whether a bare "3pm" has passed, and gets it wrong.
        "TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DATES_FROM": "future",
        "RETURN_TIME_AS_PERIOD": True,  # tells a date with a time from one without
        "PARSERS": _PARSERS,
    }


def parse_when(text: str, now: datetime, tz: str) -> datetime:
    """Read `text` as a time in the zone `tz`; the instant, in UTC, strictly after `now`.

    Raises UserError when the text is not a time, has no time of day, or has passed;
    ValueError for an unknown `tz` or a naive `now` (the caller's mistakes).
    """
    zone = _zone(tz)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)

    if len(text.strip()) > MAX_TEXT_LENGTH:
        raise UserError(TIME_TOO_LONG, "when", limit=MAX_TEXT_LENGTH)
    cleaned = _clean(text)
    if not cleaned:
        raise _unreadable(cleaned)
    if len(cleaned) > MAX_TEXT_LENGTH:  # NFKC can lengthen text ("㎖" -> "ml")
        raise UserError(TIME_TOO_LONG, "when", limit=MAX_TEXT_LENGTH)
    if _has_ambiguous_numeric_date(cleaned):
        raise UserError(AMBIGUOUS_DATE, "when", text=cleaned)

    rest, text_zone = _text_zone(cleaned, tz)
    read_zone = text_zone or zone

    # Whole minutes: "in 2 hours" at 14:23:47 means 16:23, and a bare "14:23" read at
    # 14:23:00 exactly counts as passed (the mark makes the base a hair later).
    base_utc = now.replace(second=0, microsecond=0)
    base = base_utc.astimezone(read_zone).replace(tzinfo=None, microsecond=_OFFSET_MARK)
    data = _parse(rest, base, cleaned)
    read = data.date_obj
    if read is None:
        raise _unreadable(cleaned)
    if "time" not in data.parts or data.period == "part_of_day":
        # dateparser would give midnight, or 9:00 for "tomorrow morning": we ask instead.
        raise UserError(NEEDS_A_TIME, "when", text=cleaned)
    if "day" not in data.parts:
        raise _unreadable(cleaned)  # "December at 3pm": which day?

    if read.microsecond == _OFFSET_MARK:
        at = _plus(base_utc, read - base, cleaned)
    else:
        if "month" in data.parts and "year" not in data.parts:
            read = _nearest_year(read, base)
        elif read.date() != base.date() and (today := _bare_time_today(rest, base, cleaned)):
            # Today if still ahead (fall-back repeats an hour; a skipped time moves on).
            ahead = _to_utc(today, read_zone, now) > now
            read = today if ahead else today + timedelta(days=1)
        try:
            at = _to_utc(read, read_zone, now)
        except OverflowError as error:  # within hours of year 1 or year 9999
            message = TOO_FAR_AHEAD if read > base else TIME_PASSED
            raise _read_as(message, cleaned, read) from error

    if at <= now:
        raise _read_as(TIME_PASSED, cleaned, at.astimezone(zone))
    if at > now + MAX_AHEAD:
        raise _read_as(TOO_FAR_AHEAD, cleaned, at.astimezone(zone))
    return at


def _parse(text: str, base: datetime, cleaned: str) -> DateData:
    parser = DateDataParser(languages=list(LANGUAGES), settings=_settings(base))
    try:
        return parser.get_date_data(text)
    except (ValueError, OverflowError) as error:
        # dateparser raises these for numbers it cannot fit into a date.
        raise _unreadable(cleaned) from error


def _plus(base_utc: datetime, offset: timedelta, cleaned: str) -> datetime:
    """An offset from now ("in 2 hours") as elapsed time, in whole minutes."""
    try:
        return (base_utc + offset).replace(second=0, microsecond=0)
    except OverflowError as error:
        raise _unreadable(cleaned) from error


def _bare_time_today(text: str, base: datetime, cleaned: str) -> datetime | None:
    """Today at the time of day `text` gives, if it gives nothing but that time.

    dateparser moves a bare time that has passed ("3pm" at 16:00) to the next day itself,
    then resets the month to the current one: "3pm" late on 30 April came back as
    1 April. Read from the start of today instead, a bare time stays today (nothing has
    passed yet), while "tomorrow 3pm" or "fri 9:30" still land on another day.
    """
    midnight = base.replace(hour=0, minute=0, second=0, microsecond=0)
    today = _parse(text, midnight, cleaned).date_obj
    if today is None or today.date() != base.date():
        return None
    return today


def _read_as(message: str, text: str, local: datetime) -> UserError:
    """An error that shows the user the wall-clock time we read."""
    shown = local.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    params: dict[str, object] = {"text": text, "when": shown}
    if message == TOO_FAR_AHEAD:
        params["years"] = MAX_AHEAD.days // 365
    return UserError(message, "when", **params)


# 45, 45m, 45 min, 45 minutes, 1h, 1 hour, 1.5h, 1h30, 1h30m, 1 hour 30 minutes, 1:30
_MINUTES = r"(?:m|mn|min|mins|minute|minutes)"
_HOURS = r"(?:h|hr|hrs|hour|hours)"
_DURATION = re.compile(
    rf"""
    (?P<sign>[+-])?\s*
    (?:
        (?P<hours>\d+(?:[.,]\d+)?)\s*{_HOURS}
            (?:\s*(?:and\s+)?(?P<and_minutes>\d+)\s*{_MINUTES}?)?
      | (?P<clock_hours>\d+):(?P<clock_minutes>\d\d)
      | (?P<minutes>\d+)\s*{_MINUTES}?
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_MAX_DURATION_TEXT = 30


def parse_duration(text: str) -> timedelta:
    """Read how long a meeting lasts: whole minutes, more than zero and at most 8 hours.

    A bare number is minutes. Raises UserError for anything else.
    """
    cleaned = _clean(text)
    match = _DURATION.fullmatch(cleaned) if len(cleaned) <= _MAX_DURATION_TEXT else None
    if match is None:
        raise UserError(UNREADABLE_DURATION, "duration", text=cleaned)

    if match["hours"] is not None:
        hours = Decimal(match["hours"].replace(",", "."))
        extra = Decimal(match["and_minutes"] or 0)
        if extra >= 60 or (extra and hours != hours.to_integral_value()):
            raise UserError(UNREADABLE_DURATION, "duration", text=cleaned)  # 1h90, 1.5h30
        minutes = hours * 60 + extra
    elif match["clock_hours"] is not None:
        extra = Decimal(match["clock_minutes"])
        if extra >= 60:
            raise UserError(UNREADABLE_DURATION, "duration", text=cleaned)
        minutes = Decimal(match["clock_hours"]) * 60 + extra
    else:
        minutes = Decimal(match["minutes"])

    # Calendars count whole minutes: 1.33h is 80 minutes.
    minutes = minutes.to_integral_value(rounding=ROUND_HALF_UP)
    if match["sign"] == "-":
        minutes = -minutes
    if minutes <= 0:
        raise UserError(DURATION_NOT_POSITIVE, "duration", text=cleaned)
    max_minutes = int(MAX_DURATION.total_seconds()) // 60
    if minutes > max_minutes:
        raise UserError(DURATION_TOO_LONG, "duration", text=cleaned, hours=max_minutes // 60)
    return timedelta(minutes=int(minutes))


def warm_up() -> None:
    """Load dateparser's language data now, so a user's first command is not the slow one."""
    base = datetime(2000, 1, 1, tzinfo=UTC)  # any fixed instant: only the loading matters
    for text in ("tomorrow 3pm", "fri 9:30", "Dec 3 14:00", "in 2 hours"):
        with suppress(UserError):  # whether each is in the future does not matter here
            parse_when(text, base, "UTC")


UNREADABLE_DAY = N_(
    "I couldn't read “{text}” as a day. Try `Dec 8`, `2026-12-08`, `tomorrow` or `next monday`."
)
UNREADABLE_LEAD = N_(
    "I couldn't read “{text}” as how long before the meeting. Try `30m`, `2h` or `1d`."
)
LEAD_TOO_LONG = N_("Posts can go out at most {days} days before a meeting.")
MAX_LEAD = timedelta(days=7)
_DAYS = re.compile(r"(?P<days>\d{1,2})\s*(?:d|day|days)", re.IGNORECASE)
_LEAD_HOURS = re.compile(rf"(?P<hours>\d{{1,3}})\s*{_HOURS}", re.IGNORECASE)


def parse_day(text: str, now: datetime, tz: str) -> date:
    """A calendar day (no time of day needed), read in `tz`: `Dec 8`, `next monday`."""
    zone = _zone(tz)
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > MAX_TEXT_LENGTH:
        raise UserError(UNREADABLE_DAY, "date", text=cleaned[:MAX_TEXT_LENGTH])
    if _has_ambiguous_numeric_date(cleaned):
        raise UserError(AMBIGUOUS_DATE, "date", text=cleaned)
    base = now.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    parser = DateDataParser(languages=list(LANGUAGES), settings=_settings(base))
    try:
        data = parser.get_date_data(cleaned)
    except (ValueError, OverflowError) as error:
        raise UserError(UNREADABLE_DAY, "date", text=cleaned) from error
    read = data.date_obj
    if read is None or "day" not in data.parts:
        raise UserError(UNREADABLE_DAY, "date", text=cleaned)
    if "month" in data.parts and "year" not in data.parts:
        read = _nearest_year(read, base)
    return read.date()


def parse_lead(text: str) -> timedelta:
    """How long before a meeting a post goes out: `30m`, `2h`, `1d`; at most 7 days."""
    cleaned = _clean(text)
    days = _DAYS.fullmatch(cleaned)
    hours = _LEAD_HOURS.fullmatch(cleaned)
    if days:
        lead = timedelta(days=int(days["days"]))
    elif hours:  # leads may be longer than a meeting may last: `agenda 36h`
        lead = timedelta(hours=int(hours["hours"]))
    else:
        try:
            lead = parse_duration(cleaned)
        except UserError as error:
            raise UserError(UNREADABLE_LEAD, "lead", text=cleaned) from error
    if lead <= timedelta(0):
        raise UserError(UNREADABLE_LEAD, "lead", text=cleaned)
    if lead > MAX_LEAD:
        raise UserError(LEAD_TOO_LONG, "lead", days=MAX_LEAD.days)
    return lead
