"""Reading the times and durations people type: the one place that does it.

`parse_when` reads text such as `tomorrow 3pm` as wall-clock time in the user's own
zone and returns an instant in UTC; `parse_duration` reads `45m`, `1h30` and the like.
Malay and Hindi (Devanagari or Latin) are read too, whoever types them: `esok 3 petang`,
`कल दोपहर 3 बजे`, `kal 3 baje`, `selama 1 jam` (see `in_english`).
Anything a user could type gives a result or a `UserError`, never another exception.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser.date import DateData, DateDataParser
from dateparser.timezone_parser import pop_tz_offset_from_string

from bot.weekdays import DAY_NAMES
from entities.errors import N_, UserError

# Languages dateparser may read times in (month names: `5 Mac`, `5 मार्च`), tried in this
# order so English reads as it always has; add more as their catalogues arrive.
LANGUAGES: tuple[str, ...] = ("en", "ms", "hi")

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
NOT_A_TIME_OF_DAY = N_(
    "“{time}” is not a time of day: hours go from 0 to 23 (or 1 to 12 with am or pm) and "
    "minutes from 00 to 59. Try `15:00`, `3pm` or `3:30pm`."
)
AMPM_MISSING = N_(
    "“{time}” could be {morning} or {afternoon}. Add am or pm, like `{time}pm`, or use the "
    "24-hour clock, like `{afternoon}`."
)
RANGE_TWO_DAYS = N_(
    "“{text}” gives a day on each side of the range, and a meeting starts and ends on the "
    "same day. Give the day once, then the times, like `tomorrow 3pm-4:30pm`, or give a "
    "length, like `tomorrow 3pm for 1h30`."
)
RANGE_BACKWARDS = N_(
    "In “{text}” the meeting would end before it starts. Give the start first, like "
    "`3pm-4pm`, and add am or pm where it helps, like `11am-1pm`."
)
RANGE_AND_DURATION = N_(
    "“{text}” already says how long the meeting lasts, so “for {duration}” is one length too "
    "many. Give a range, like `3pm-4:30pm`, or a start and a length, like `3pm for 1h30`."
)
NOTE_NEXT_WEEKDAY = N_(
    "I read “next {day}” as the coming one, {took}. For the one in the week after, {other}, "
    "write `{day} next week`."
)
NOTE_BARE_HOUR = N_(
    "I read “{hour}” without am or pm as {time}, as in a working day. Write `{hour}am` or "
    "`{hour}pm` to choose."
)


@dataclass(frozen=True)
class Note:
    """Something the confirmation should tell the user about how their text was read.

    Show it with `tr.gettext(note.message, **note.params)`.
    """

    message: str
    params: dict[str, object]


@dataclass(frozen=True)
class When:
    """What a typed time says: its start (UTC), its length if it gave a range, and notes."""

    start: datetime
    duration: timedelta | None = None
    notes: tuple[Note, ...] = ()


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


def _text_zone(text: str, tz: str, shown: str) -> tuple[str, tzinfo | None]:
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
        raise _unreadable(shown)  # only a zone, or two of them
    try:
        return rest, timezone(found.utcoffset(None) or timedelta(0))
    except ValueError as error:  # an offset of a day or more
        raise _unreadable(shown) from error


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

    The start of a range (`3pm-4pm`) is the time; `read_when` also gives its length and
    the notes a confirmation should show. Raises UserError when the text is not a time,
    has no time of day, or has passed; ValueError for an unknown `tz` or a naive `now`
    (the caller's mistakes).
    """
    return read_when(text, now, tz).start


def read_when(text: str, now: datetime, tz: str) -> When:
    """Read `text` as `parse_when` does: its start, its length if it is a range, and notes.

    How days are read (the same in `schedule`, `move`, `skip`, `edit` and the console):

    - A weekday (`wed 4pm`, `this wednesday 4pm`, `on wed at 4`) is the next time that
      weekday comes, today included when the time is still ahead: on Wednesday at 08:00,
      `wed 4pm` is today at 16:00 and `wed 7am` is a week today.
    - `next <weekday>` is the first one after today, never today: on Wednesday,
      `next friday` is in two days and `next wednesday` in seven, so a weekday phrase
      never lands more than a week ahead. When the other reading, that weekday in the
      next calendar week (weeks start on Monday), is a different day, a note says which
      day was taken and that `friday next week` (or `next week friday`) writes the other.
    - A bare hour without am or pm (`at 3`, `tomorrow 9`) is read as in a working day:
      1-6 in the afternoon, 7-11 in the morning, 12 noon, 13-23 and 0 on the 24-hour
      clock (after `tonight`, 1-11 are in the evening); a note shows the time taken.
      `3:30` (hours 1-6 with minutes) could be either, so it asks for am or pm.
    - A range (`3pm-4pm`, `3–4pm`, `from 3pm to 4:30pm`, `between 11 and 1`) is a start
      and a length, on one day.
    - Malay and Hindi read as their English (`in_english`): `esok 3 petang` is
      `tomorrow 3pm`, `Isnin depan 9 pagi` `next monday 9am`, `kal 3 baje` `tomorrow 3`.
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
    said = in_english(cleaned)
    if _has_ambiguous_numeric_date(said):  # `3-4 petang` is a range, not a date
        raise UserError(AMBIGUOUS_DATE, "when", text=cleaned)

    rest, text_zone = _text_zone(said, tz, cleaned)
    read_zone = text_zone or zone

    # Whole minutes: "in 2 hours" at 14:23:47 means 16:23, and a bare "14:23" read at
    # 14:23:00 exactly counts as passed (the mark makes the base a hair later).
    base_utc = now.replace(second=0, microsecond=0)
    base = base_utc.astimezone(read_zone).replace(tzinfo=None, microsecond=_OFFSET_MARK)
    try:
        read = _read_own(rest, cleaned, now, base, read_zone)
    except OverflowError as error:  # days around year 1 or year 9999
        raise _unreadable(cleaned) from error
    if read is None:
        read = When(_read_with_dateparser(rest, cleaned, now, base, base_utc, read_zone))

    at = read.start
    if at <= now:
        raise _read_as(TIME_PASSED, cleaned, at.astimezone(zone))
    if at > now + MAX_AHEAD:
        raise _read_as(TOO_FAR_AHEAD, cleaned, at.astimezone(zone))
    return read


def _read_with_dateparser(
    rest: str, cleaned: str, now: datetime, base: datetime, base_utc: datetime, zone: tzinfo
) -> datetime:
    """What dateparser makes of what the small grammar left: `Dec 3 14:00`, `in 2 hours`."""
    data = _parse(rest, base, cleaned)
    read = data.date_obj
    if read is None:
        raise _unreadable(cleaned)
    if "time" not in data.parts or data.period == "part_of_day":
        # dateparser would give midnight, or 9:00 for "tomorrow morning": we ask instead.
        if _TIME_LIKE.search(in_english(cleaned).lower()):
            raise _unreadable(cleaned)  # a time was given: never say it was not
        raise UserError(NEEDS_A_TIME, "when", text=cleaned)
    if "day" not in data.parts:
        raise _unreadable(cleaned)  # "December at 3pm": which day?

    if read.microsecond == _OFFSET_MARK:
        return _plus(base_utc, read - base, cleaned)
    if "month" in data.parts and "year" not in data.parts:
        read = _nearest_year(read, base)
    elif read.date() != base.date() and (today := _bare_time_today(rest, base, cleaned)):
        # Today if still ahead (fall-back repeats an hour; a skipped time moves on).
        ahead = _to_utc(today, zone, now) > now
        read = today if ahead else today + timedelta(days=1)
    try:
        return _to_utc(read, zone, now)
    except OverflowError as error:  # within hours of year 1 or year 9999
        message = TOO_FAR_AHEAD if read > base else TIME_PASSED
        raise _read_as(message, cleaned, read) from error


# --- the small grammar: weekdays, bare hours and ranges --------------------------------
# dateparser reads `wed 4pm` on a Wednesday as next week, and cannot read `tmrw 3pm`,
# `tuesday at 10`, `next week mon 9am` or `3pm-4pm`. Such phrases are read here; the rest
# (`Dec 3 14:00`, `in 2 hours`, `2026-12-03T14:00Z`) still goes to dateparser.

_TOMORROW = r"(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmrow|tmr|tmw)"
_DAY_WORD = "|".join(sorted(DAY_NAMES, key=len, reverse=True))
_WEEKDAY = rf"(?:{_DAY_WORD})\.?"
_DAY_PHRASE = re.compile(
    rf"""
    (?P<today>today|tonight)
  | (?:the\s+)?day\s+after\s+(?P<overmorrow>{_TOMORROW})
  | (?P<tomorrow>{_TOMORROW})
  | next\s+week(?:\s+on)?\s+(?P<next_week>{_WEEKDAY})
  | (?:on\s+)?(?P<week_day>{_WEEKDAY})\s+(?:of\s+)?(?P<which_week>next|this)\s+week
  | next\s+(?P<next>{_WEEKDAY})
  | (?:on\s+)?(?:this\s+(?:coming\s+)?|coming\s+)?(?P<day>{_WEEKDAY})
    """,
    re.VERBOSE,
)
# A time of day as typed: 3, 3pm, 3 p.m., 15:00, 9.30, 3:30pm, noon, midnight.
_CLOCK = r"""
    (?:(?P<{n}_word>noon|midday|midnight)
    | (?P<{n}_hour>\d{{1,3}})(?:[:.](?P<{n}_minute>\d{{2}}))?
      (?:\s*(?P<{n}_half>[ap])\.?(?:m\.?)?(?![a-z]))?(?:\s*o['’]?clock)?)
"""
_TIME_RANGE = rf"""
    (?:(?:at|@)\s*)?(?:(?:from|between)\s+)?{_CLOCK.format(n="start")}
    (?:\s*(?:-|–|—|to|till|and)\s*{_CLOCK.format(n="end")})?
"""
_TIME_AT_END = re.compile(rf"(?:(?<=[\s,])|^){_TIME_RANGE}$", re.VERBOSE)
_TIME_AT_START = re.compile(rf"^{_TIME_RANGE}(?=[\s,])", re.VERBOSE)
# Something that looks like a time of day, so a refusal never says none was given.
_TIME_LIKE = re.compile(r"\d[:.]\d\d|\d\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b|\bat\s+\d")
_RANGE_SPLIT = re.compile(r"\s+(?:-|to|till)\s+|\s*[–—]\s*")


@dataclass(frozen=True)
class _Clock:
    """A time of day as typed, before am/pm is settled."""

    typed: str
    hour: int
    minute: int
    half: str | None  # "a" or "p" when typed
    bare: bool  # an hour alone: `3`, `at 10`
    valid: bool

    @property
    def ambiguous(self) -> bool:
        """`3:30`: as likely 03:30 as 15:30 (`03:30` and `15:30` are not)."""
        return (
            not self.bare
            and self.half is None
            and 1 <= self.hour <= 6
            and (not self.typed.startswith("0"))
        )

    @property
    def settled(self) -> bool:
        """Needs nothing from the grammar: `3pm`, `14:00`, `9:30`, `noon`."""
        return self.valid and not self.bare and not self.ambiguous

    def with_half(self, half: str) -> int:
        return self.hour % 12 + (12 if half == "p" else 0)


def _clock(match: re.Match[str], n: str) -> _Clock | None:
    word = match[f"{n}_word"]
    if word:
        return _Clock(word, 0 if word == "midnight" else 12, 0, None, bare=False, valid=True)
    if match[f"{n}_hour"] is None:
        return None
    hour_text, minute_text, half = match[f"{n}_hour"], match[f"{n}_minute"], match[f"{n}_half"]
    typed = hour_text + (f":{minute_text}" if minute_text else "")
    hour, minute = int(hour_text), int(minute_text or 0)
    valid = minute <= 59 and hour <= 23 and (half is None or 1 <= hour <= 12)
    return _Clock(typed, hour, minute, half, bare=minute_text is None and half is None, valid=valid)


def _hours(start: _Clock, end: _Clock | None, evening: bool) -> tuple[time, time | None, bool]:
    """The start (and end) times of day, and whether a bare hour was read as a working day.

    Raises NOT_A_TIME_OF_DAY, AMPM_MISSING or RANGE_BACKWARDS.
    """
    for clock in (start, end):
        if clock is not None and not clock.valid:
            raise UserError(NOT_A_TIME_OF_DAY, "when", time=clock.typed)
    guessed = False
    if start.half:
        hour = start.with_half(start.half)
    elif end is not None and end.half and (start.bare or start.ambiguous) and start.hour <= 12:
        # "3-4pm", "11-1pm": the start takes the end's half when that puts it first.
        hour = start.with_half(end.half)
        if (hour, start.minute) >= (end.with_half(end.half), end.minute):
            hour = start.with_half("a" if end.half == "p" else "p")
    elif start.ambiguous:
        afternoon = f"{start.hour + 12}:{start.minute:02d}"
        raise UserError(
            AMPM_MISSING,
            "when",
            time=start.typed,
            morning=f"{start.hour:02d}:{start.minute:02d}",
            afternoon=afternoon,
        )
    elif start.bare and 1 <= start.hour <= 11:
        guessed = True
        hour = start.hour + 12 if evening or start.hour <= 6 else start.hour
    else:
        hour = start.hour
    begin = time(hour, start.minute)
    if end is None:
        return begin, None, guessed
    if end.half:
        candidates = [end.with_half(end.half)]
    elif end.hour <= 12 and not end.typed.startswith("0") and end.hour not in (0, 12):
        candidates = [end.hour, end.hour + 12]
    else:
        candidates = [end.hour]
    for candidate in candidates:
        finish = time(candidate, end.minute)
        if finish > begin:
            return begin, finish, guessed
    raise UserError(RANGE_BACKWARDS, "when", text=f"{start.typed}-{end.typed}")


def _days_ahead(weekday: int, today: date) -> int:
    return (weekday - today.weekday()) % 7


def _own_day(found: re.Match[str], today: date, ahead: bool) -> tuple[date, Note | None]:
    """The day a day phrase names; `ahead`: the time is still ahead today.

    Also the note for `next <weekday>` when its other reading is a different day.
    """
    if found["today"]:
        return today, None
    if found["tomorrow"]:
        return today + timedelta(days=1), None
    if found["overmorrow"]:
        return today + timedelta(days=2), None
    next_monday = today + timedelta(days=7 - today.weekday())
    if found["next_week"]:
        return next_monday + timedelta(days=DAY_NAMES[found["next_week"].rstrip(".")]), None
    if found["week_day"]:
        weekday = DAY_NAMES[found["week_day"].rstrip(".")]
        monday = next_monday if found["which_week"] == "next" else next_monday - timedelta(7)
        return monday + timedelta(days=weekday), None
    if found["next"]:
        typed = found["next"].rstrip(".")
        weekday = DAY_NAMES[typed]
        took = today + timedelta(days=_days_ahead(weekday, today) or 7)
        other = next_monday + timedelta(days=weekday)
        note = None
        if other != took:
            note = Note(
                NOTE_NEXT_WEEKDAY,
                {"day": typed, "took": took.isoformat(), "other": other.isoformat()},
            )
        return took, note
    days = _days_ahead(DAY_NAMES[found["day"].rstrip(".")], today)
    if days == 0 and not ahead:
        days = 7  # today's has passed: a week today
    return today + timedelta(days=days), None


def _split_time(text: str) -> tuple[re.Match[str], str, bool] | None:
    """The time (or range) in `text`, the day words around it, and whether they came first."""
    if found := _TIME_AT_END.search(text):
        return found, text[: found.start()].strip(" ,"), True
    if found := _TIME_AT_START.search(text):
        days = text[found.end() :].strip(" ,")
        return found, days.removeprefix("on ").strip(), False
    return None


def _dated(text: str, base: datetime, cleaned: str) -> DateData | None:
    with suppress(UserError):
        data = _parse(text, base, cleaned)
        if data.date_obj is not None and "day" in data.parts:
            return data
    return None


def _check_one_day(text: str, base: datetime, cleaned: str) -> None:
    """Refuse a range with a day on each side: `Dec 3 3pm - Dec 4 4pm`, `mon 3pm to tue 4pm`."""
    sides = _RANGE_SPLIT.split(text, maxsplit=1)
    if len(sides) != 2 or not sides[0].strip() or not sides[1].strip():
        return
    right = sides[1].strip()
    if _TIME_RANGE_ONLY.fullmatch(right):
        return  # "3pm to 4pm": one day
    right_has_day = _DAY_PHRASE.match(right) or _dated(right, base, cleaned)
    left = sides[0].strip()
    left_split = _split_time(left)
    if right_has_day and left_split is not None and left_split[1]:
        raise UserError(RANGE_TWO_DAYS, "when", text=cleaned)


_TIME_RANGE_ONLY = re.compile(_TIME_RANGE, re.VERBOSE)


def _read_own(rest: str, cleaned: str, now: datetime, base: datetime, zone: tzinfo) -> When | None:
    """`rest` read by the small grammar, or None to leave it to dateparser."""
    text = rest.lower().rstrip(".")
    _check_one_day(text, base, cleaned)
    split = _split_time(text)
    if split is None:
        return None
    found, days, days_first = split
    start, end = _clock(found, "start"), _clock(found, "end")
    if start is None:
        return None
    own = _DAY_PHRASE.fullmatch(days) if days else None
    today = base.date()
    other_day: date | None = None
    if days and own is None:
        if not days_first or (end is None and start.settled):
            return None  # `Dec 3 14:00`, `22nd at 3pm`: dateparser reads these well
        data = _dated(days, base.replace(hour=0, minute=0, second=0, microsecond=0), cleaned)
        if data is None or ("time" in data.parts and data.period != "day"):
            return None
        read = data.date_obj
        if "month" in data.parts and "year" not in data.parts:
            read = _nearest_year(read, base)
        other_day = read.date()

    evening = own is not None and own["today"] == "tonight"
    begin, finish, guessed = _hours(start, end, evening)
    notes: list[Note] = []
    if guessed:
        notes.append(Note(NOTE_BARE_HOUR, {"hour": start.typed, "time": f"{begin:%H:%M}"}))

    ahead = _to_utc(datetime.combine(today, begin), zone, now) > now
    if other_day is not None:
        day = other_day
    elif own is None:
        day = today if ahead else today + timedelta(days=1)  # a bare time: the next one
    else:
        day, note = _own_day(own, today, ahead)
        if note is not None:
            notes.append(note)
    at = _to_utc(datetime.combine(day, begin), zone, now)
    duration = None
    if finish is not None:
        duration = _to_utc(datetime.combine(day, finish), zone, now) - at
        if duration > MAX_DURATION:
            typed = found.group(0).strip()
            raise UserError(
                DURATION_TOO_LONG, "duration", text=typed, hours=MAX_DURATION // timedelta(hours=1)
            )
        if duration <= timedelta(0):
            # The start fell in a spring-forward gap and moved forward onto or past the
            # end (London, 28 March 2027: `sun 1:30am-2:30am`). Refusing it as "ends
            # before it starts" was untrue; move the whole meeting forward instead, as a
            # skipped single time moves, keeping the length typed (_hours: finish > begin).
            duration = datetime.combine(day, finish) - datetime.combine(day, begin)
    return When(at, duration, tuple(notes))


# --- Malay and Hindi: their words rewritten into the English the grammar reads ---------
# dateparser reads `esok 15:00`, `dalam 2 jam` or `5 मार्च 15:00`, but not `3 petang`,
# `दोपहर 3 बजे`, `lusa` or Hinglish, and it takes परसों for the day before yesterday. So
# the words are rewritten first (`esok 3 petang` -> `tomorrow 3pm`) and the result is read
# as English is. Every language is read always: none of these words is English, so English
# text passes through unchanged.

# Whole words: Devanagari vowel signs are not \w, so `\b` would split words at them.
_L = r"(?<![\w\u0900-\u097f])"
_R = r"(?![\w\u0900-\u097f])"


def _words(*spellings: str) -> str:
    """A regex alternation of `spellings` as `_clean` leaves them (NFKC splits नुक़्ता)."""
    forms = {unicodedata.normalize("NFKC", spelling) for spelling in spellings}
    escaped = (re.escape(form).replace(r"\ ", r"\s+") for form in forms)
    return "(?:" + "|".join(sorted(escaped, key=len, reverse=True)) + ")"


# Parts of the day, and the half of the clock each puts an hour in ("night": see _half).
_PERIODS = {
    "a": _words("pagi", "सुबह", "subah", "subha", "subeh"),
    "p": _words(
        "tengah hari", "tengahari", "petang", "दोपहर", "dopahar", "dopehar", "dupahar",
        "शाम", "shaam", "sham",
    ),
    "night": _words("malam", "रात", "raat", "rat"),
}  # fmt: skip
_PERIOD = "|".join(_PERIODS.values())
_SAID_HOUR = r"\d{1,2}(?:[:.]\d\d)?"
# Hindi quarter hours: साढ़े 3 is 3:30, सवा 3 is 3:15, पौने 3 is 2:45.
_QUARTERS = {
    30: _words("साढ़े", "sadhe", "saadhe", "sade"),
    15: _words("सवा", "sava", "sawa"),
    -15: _words("पौने", "paune", "pone"),
}
# `3 petang`, `pukul 9.30 pagi`, `दोपहर 3 बजे`, `malam ini 8`, `subah 10-11 baje`.
_SAID_CLOCK = re.compile(
    rf"""{_L}
    (?:(?P<before>{_PERIOD})(?P<this>\s+ini)?\s+(?:(?:ko|को)\s+)?)?
    (?:(?P<at>pukul|jam|at)\s+)?
    (?:(?P<quarter>{"|".join(_QUARTERS.values())})\s+)?
    (?P<start>{_SAID_HOUR})
    (?:\s*(?:-|–|—|{_words("to", "hingga", "sampai", "se", "से")})\s*(?P<end>{_SAID_HOUR}))?
    (?P<baje>\s*{_words("baje", "bje", "बजे")})?
    (?:\s+(?P<after>{_PERIOD}))?
    {_R}""",
    re.IGNORECASE | re.VERBOSE,
)

_WEEKDAY_WORDS = {
    "monday": ("isnin", "सोमवार", "somvar", "somwar", "somvaar", "somwaar"),
    "tuesday": ("selasa", "मंगलवार", "mangalvar", "mangalwar", "mangalvaar", "mangalwaar"),
    "wednesday": ("rabu", "बुधवार", "budhvar", "budhwar", "budhvaar", "budhwaar", "budvar"),
    "thursday": (
        "khamis", "गुरुवार", "बृहस्पतिवार", "guruvar", "guruwar", "guruvaar", "guruwaar",
        "brihaspativar", "veervar", "virvar",
    ),
    "friday": ("jumaat", "jumat", "शुक्रवार", "shukravar", "shukrawar", "shukravaar", "sukravar"),
    "saturday": ("sabtu", "शनिवार", "shanivar", "shaniwar", "shanivaar", "shaniwaar", "sanivar"),
    "sunday": ("ahad", "रविवार", "इतवार", "ravivar", "raviwar", "ravivaar", "itvar", "itwar"),
}  # fmt: skip
_UNIT_WORDS = {
    "hours": ("jam", "घंटे", "घंटा", "घंटों", "ghante", "ghanta", "ghanton"),
    "minutes": ("minit", "मिनट", "मिनिट", "minat", "mint"),
    "days": ("hari", "दिन", "din"),
    "weeks": (
        "minggu", "हफ़्ते", "हफ्ते", "हफ़्ता", "हफ्ता", "हफ़्तों", "हफ्तों", "सप्ताह", "hafte",
        "hafta", "hafton", "saptah",
    ),
    "months": ("bulan", "महीने", "महीना", "महीनों", "mahine", "mahina", "mahino"),
}  # fmt: skip
_UNIT = {english: _words(*said) for english, said in _UNIT_WORDS.items()}
_ANY_UNIT = "|".join(_UNIT.values())
_NUMBER_WORDS = {
    "1": ("satu", "एक", "ek"),
    "2": ("dua", "दो", "do"),
    "3": ("tiga", "तीन", "teen"),
    "4": ("empat", "चार", "char", "chaar"),
}
_WEEKDAY_EN = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_NEXT = _words("अगले", "अगला", "अगली", "agle", "agla", "agli", "agley")
_THIS = _words("इस")


def _phrase(said: str, english: str) -> tuple[re.Pattern[str], str]:
    return re.compile(rf"{_L}{said}{_R}", re.IGNORECASE), english


# In order: a later rule may read what an earlier one wrote (`isnin depan` -> `monday
# depan` -> `next monday`). They write only English, which none reads as Malay or Hindi,
# so rewriting twice changes nothing (bot/recurrence.py passes its text on to read_when).
_SAID_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Lengths said in words.
    _phrase(_words("setengah jam", "आधा घंटा", "आधे घंटे", "aadha ghanta", "aadhe ghante",
                   "adha ghanta", "adhe ghante"), "30 minutes"),
    _phrase(_words("sejam setengah", "satu jam setengah", "satu setengah jam", "डेढ़ घंटा",
                   "डेढ़ घंटे", "dedh ghanta", "dedh ghante"), "90 minutes"),
    _phrase(_words("ढाई घंटे", "ढाई घंटा", "dhai ghante", "dhai ghanta"), "150 minutes"),
    _phrase(_words("sejam"), "1 hours"),
    _phrase(r"(\d+)\s+(?:jam\s+setengah|setengah\s+jam)", r"\1.5 hours"),
    _phrase(
        rf"(?:12(?:[:.]00)?\s+)?{_words('tengah malam', 'आधी रात', 'aadhi raat', 'adhi raat')}",
        "midnight",
    ),
    _phrase(_words("tengah hari", "tengahari"), "noon"),
    _phrase(_words("hari bekerja", "hari kerja", "hari berkerja", "कार्यदिवस"), "weekday"),
    _phrase(_words("malam ini", "आज रात", "aaj raat"), "tonight"),
    _phrase(_words("hari ini", "आज", "aaj"), "today"),
    _phrase(_words("esok", "besok", "कल", "kal"), "tomorrow"),
    _phrase(_words("lusa", "परसों", "परसो", "parson", "parso", "parsoon"), "day after tomorrow"),
    *(
        _phrase(rf"{_words(*said)}(?=\s+(?:{_ANY_UNIT}){_R})", number)
        for number, said in _NUMBER_WORDS.items()
    ),
    *(_phrase(rf"(\d+(?:[.,]\d+)?)\s*{said}", rf"\1 {english}") for english, said in _UNIT.items()),
    # `dalam 2 jam`, `2 jam lagi`, `2 घंटे में`: in 2 hours.
    _phrase(r"dalam\s+(\d+(?:[.,]\d+)?\s+(?:hours|minutes|days|weeks|months))", r"in \1"),
    _phrase(
        rf"(\d+(?:[.,]\d+)?\s+(?:hours|minutes|days|weeks|months))\s+"
        rf"{_words('lagi', 'में', 'mein', 'me', 'main', 'baad', 'बाद')}",
        r"in \1",
    ),
    *(
        _phrase(rf"(?:hari\s+)?{_words(*said)}", english)
        for english, said in _WEEKDAY_WORDS.items()
    ),
    _phrase(rf"({_WEEKDAY_EN})\s+{_words('depan', 'hadapan')}", r"next \1"),
    _phrase(rf"({_WEEKDAY_EN})\s+ini", r"this \1"),
    _phrase(rf"{_UNIT['weeks']}\s+{_words('depan', 'hadapan')}", "next week"),
    _phrase(rf"{_UNIT['weeks']}\s+ini", "this week"),
    _phrase(rf"{_NEXT}\s+{_UNIT['weeks']}", "next week"),
    _phrase(rf"{_NEXT}\s+({_WEEKDAY_EN})", r"next \1"),
    _phrase(rf"{_THIS}\s+{_UNIT['weeks']}", "this week"),
    _phrase(rf"{_THIS}\s+({_WEEKDAY_EN})", r"this \1"),
    # `pukul 9`, `jam 9`: at 9 (after a number, `jam` is hours).
    _phrase(rf"{_words('pukul', 'jam')}(?=\s*\d)", "at"),
    # Units on their own, as `every` reads them: `setiap minggu`, `हर दिन`.
    *(_phrase(said, english[:-1]) for english, said in _UNIT.items() if english != "minutes"),
    _phrase(_words("रोज़", "रोज", "roz", "roj"), "day"),
    _phrase(_words("दूसरे", "दूसरी", "doosre", "dusre", "doosri", "dusri"), "other"),
    _phrase(_PERIODS["a"], "morning"),
    _phrase(_words("petang", "दोपहर", "dopahar", "dopehar", "dupahar"), "afternoon"),
    _phrase(_words("शाम", "shaam"), "evening"),
    _phrase(_words("malam", "रात", "raat"), "night"),
    _phrase(_words("setiap", "tiap", "हर", "har"), "every"),
    _phrase(_words("selama"), "for"),
    _phrase(_words("dan", "और", "aur"), "and"),
    _phrase(rf"(\d+)\s*{_words('kali', 'बार', 'baar')}", r"\1 times"),
    _phrase(_words("pada"), "on"),
    _phrase(_words("को", "ko"), ""),
    # `1 घंटे के लिए`: Hindi puts `for` after the length.
    (
        re.compile(rf"^(.*\S)\s+{_words('के लिए', 'ke liye', 'ke liya', 'ke lie')}$", re.I),
        r"for \1",
    ),
)  # fmt: skip


def _half(clock: str, period: str) -> str:
    """`clock` with the am or pm its part of the day gives: 3 petang -> 3pm.

    Night runs from the evening into the small hours: 8 malam is 20:00, 2 raat 02:00 and
    12 malam midnight (12am, as typed in English). An hour past 12 is already on the
    24-hour clock; in the morning it is refused, as `15am` is.
    """
    hour = int(re.split(r"[:.]", clock)[0])
    if period == "night":
        period = "a" if hour == 12 or 1 <= hour <= 4 else "p"
    if (hour > 12 and period == "p") or hour == 0:
        return clock
    return f"{clock}{period}m"


def _said_clock(found: re.Match[str]) -> str:
    periods = {
        kind
        for said in (found["before"], found["after"])
        if said
        for kind, pattern in _PERIODS.items()
        if re.fullmatch(pattern, said, re.IGNORECASE)
    }
    if len(periods) > 1 or not (periods or found["baje"] or found["quarter"]):
        return found[0]  # `9 pagi malam`: left unread; `at 3`: English already
    start, end = found["start"], found["end"]
    if found["quarter"]:
        if not start.isdigit():
            return found[0]  # `साढ़े 3:30`
        minutes = int(start) * 60 + next(
            shift
            for shift, pattern in _QUARTERS.items()
            if re.fullmatch(pattern, found["quarter"], re.IGNORECASE)
        )
        start = f"{minutes // 60 % 24 or 12}:{minutes % 60:02d}"  # पौने 1 is 12:45
    if periods:
        (period,) = periods
        if end is None:
            start = _half(start, period)
        else:
            end = _half(end, period)  # `3-4pm`: the start takes the end's half
    clock = start if end is None else f"{start}-{end}"
    return ("today " if found["this"] else "") + ("at " if found["at"] else "") + clock


def _digits(text: str) -> str:
    """Digits of any script (देवनागरी ३) as ASCII: dateparser and `int` then agree."""
    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
    )


def in_english(text: str) -> str:
    """Cleaned `text` with its Malay and Hindi words (Devanagari or Latin) in English.

    `esok 3 petang` -> `tomorrow 3pm`, `अगले सोमवार सुबह 9 बजे` -> `next monday 9am`,
    `setiap 2 minggu` -> `every 2 weeks`, `1 घंटे के लिए` -> `for 1 hours`. English is
    returned as it came.
    """
    said = _SAID_CLOCK.sub(_said_clock, _digits(text))
    for pattern, english in _SAID_WORDS:
        said = pattern.sub(english, said)
    return " ".join(said.split())


def _parse(text: str, base: datetime, cleaned: str) -> DateData:
    parser = DateDataParser(
        languages=list(LANGUAGES), use_given_order=True, settings=_settings(base)
    )
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
# Lengths said in words: "for half an hour", "for an hour and a half".
_DURATION_PHRASES = {
    "half an hour": "30m",
    "half hour": "30m",
    "a half hour": "30m",
    "half-hour": "30m",
    "a quarter of an hour": "15m",
    "quarter of an hour": "15m",
    "a quarter hour": "15m",
    "quarter hour": "15m",
    "an hour and a half": "90m",
    "one and a half hours": "90m",
    "1 and a half hours": "90m",
    "hour and a half": "90m",
    "two hours": "2h",
    "three hours": "3h",
}
_A_NUMBER = re.compile(rf"^(?:an?|one)\s+(?={_HOURS}\b|{_MINUTES}\b)")


def parse_duration(text: str) -> timedelta:
    """Read how long a meeting lasts: whole minutes, more than zero and at most 8 hours.

    A bare number is minutes. Raises UserError for anything else.
    """
    cleaned = _clean(text)
    said = in_english(cleaned) if len(cleaned) <= _MAX_DURATION_TEXT else cleaned
    said = said.lower().removeprefix("for ").strip()
    said = _A_NUMBER.sub("1 ", _DURATION_PHRASES.get(said, said))
    match = _DURATION.fullmatch(said) if len(cleaned) <= _MAX_DURATION_TEXT else None
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
    for text in (
        "tomorrow 3pm",
        "fri 9:30",
        "Dec 3 14:00",
        "in 2 hours",
        "5 Mac 3 petang",
        "5 मार्च 15:00",
    ):
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
    """A calendar day (no time of day needed), read in `tz`: `Dec 8`, `next monday`.

    Weekdays read as in `read_when`: `wed` on a Wednesday is today, `next wed` a week on.
    """
    zone = _zone(tz)
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > MAX_TEXT_LENGTH:
        raise UserError(UNREADABLE_DAY, "date", text=cleaned[:MAX_TEXT_LENGTH])
    said = in_english(cleaned)
    if _has_ambiguous_numeric_date(said):
        raise UserError(AMBIGUOUS_DATE, "date", text=cleaned)
    base = now.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    if own := _DAY_PHRASE.fullmatch(said.lower().rstrip(".")):
        # Read as `parse_when` reads it, with the whole of today still ahead.
        try:
            return _own_day(own, base.date(), ahead=True)[0]
        except OverflowError as error:
            raise UserError(UNREADABLE_DAY, "date", text=cleaned) from error
    parser = DateDataParser(
        languages=list(LANGUAGES), use_given_order=True, settings=_settings(base)
    )
    try:
        data = parser.get_date_data(said)
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
    said = in_english(cleaned) if len(cleaned) <= MAX_TEXT_LENGTH else cleaned
    days = _DAYS.fullmatch(said)
    hours = _LEAD_HOURS.fullmatch(said)
    if days:
        lead = timedelta(days=int(days["days"]))
    elif hours:  # leads may be longer than a meeting may last: `agenda 36h`
        lead = timedelta(hours=int(hours["hours"]))
    else:
        try:
            lead = parse_duration(said)
        except UserError as error:
            raise UserError(UNREADABLE_LEAD, "lead", text=cleaned) from error
    if lead <= timedelta(0):
        raise UserError(UNREADABLE_LEAD, "lead", text=cleaned)
    if lead > MAX_LEAD:
        raise UserError(LEAD_TOO_LONG, "lead", days=MAX_LEAD.days)
    return lead


def time_span(text: str) -> tuple[int, int] | None:
    """Where the time of day (or range) at the end of `text` is, `at` included: in
    `monday at 9am`, the span of `at 9am`. None when `text` does not end with one."""
    found = _TIME_AT_END.search(text.lower())
    if found is None or (found["start_word"] is None and found["start_hour"] is None):
        return None
    return found.span()


def at_wall_time(local: datetime, now: datetime, tz: str) -> datetime:
    """The instant (UTC) of the naive wall-clock time `local` in `tz`, as `parse_when` reads
    one: a time skipped by a spring-forward change moves on; a repeated one is the first."""
    return _to_utc(local, _zone(tz), now.astimezone(UTC))
