"""Reading what people type after `every` (and `until`) into a series' rule.

Expanding a rule into occurrences is entities/recurrence.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import islice

from dateparser.date import DateDataParser

from bot.weekdays import DAY_NAMES
from bot.when import LANGUAGES, When, at_wall_time, in_english, read_when, time_span
from entities.errors import N_, UserError
from entities.recurrence import Recurrence, between, require_aware, rule_of, wall_clock, zone_of

FIELD = "every"
MAX_TEXT_LENGTH = 100
MAX_COUNT = 1000
# Once a day on average over a year; more is a chat, not a sales meeting.
MAX_PER_YEAR = 366

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
NEEDS_TIME_OF_DAY = N_(
    "“{text}” says how often but not at what time. Add a time of day, like "
    "`every monday 9am`, `every weekday at 10` or `weekly on mon and wed at 4pm`."
)
TOO_MANY = N_(
    "“every {text}” until {until} would give more than {limit} meetings. Pick an earlier "
    "end date, or give a number of times, like `every week 10 times`."
)

_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A spring-forward gap moves a time on by at most a day (Samoa skipped one in 2011).
_GAP_REACH = timedelta(days=2)
_WEEKDAYS = "MO,TU,WE,TH,FR"


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
# "first tuesday", "last friday of the month"; "second monday" only with "of the month",
# since to some it means every other Monday.
_NTH_DAY = re.compile(
    r"(?:the\s+)?(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last)\s+(?P<day>[a-z]+)"
    r"(?P<month>\s+(?:of|in)\s+(?:the|each|every)\s+month)?"
)
_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
# Words that start a repeating schedule without `every`: `weekly on mon and wed at 10`.
_LEADING_WORDS = {"weekly": "week", "daily": "day", "fortnightly": "fortnight", "monthly": "month"}
_COUNT = re.compile(r"(?P<rest>.*?)[\s,]*\b(?:for\s+)?(?P<count>\d+)\s*(?:times?|x)")
_DAY_SEPARATORS = re.compile(r"\s*(?:,|&|/|\+|\band\b|\s)\s*")

# Day and month as two numbers ("3/12", "03-12-2026"): which comes first is unclear.
_NUMERIC_DATE = re.compile(r"(?<![\d/.:-])(\d{1,2})([/.-])(\d{1,2})(\2\d{2,4})?(?![\d/.:-])")
_END_OF = re.compile(r"^(?:the\s+)?end\s+of\s+(?:the\s+)?")
# Timestamps ("1700000000") are nobody's end date, so only these parsers run.
_PARSERS = ["relative-time", "absolute-time"]


# --- reading what people type -------------------------------------------------------------


def parse_recurrence(
    rule_text: str,
    first_start: datetime,
    tz: str,
    until_text: str | None = None,
    now: datetime | None = None,
    wall_time: datetime | None = None,
) -> Recurrence:
    """Read what followed `every` (and `until`) into a rule for a series starting then.

    `wall_time` is the first meeting's naive local time as typed (`typed_wall_clock`).
    When a spring-forward gap moved `first_start` off it (London, 28 March 2027: 01:30
    is 02:30 BST), the rule keeps that time of day (BYHOUR, BYMINUTE), so the later
    meetings are at 01:30; otherwise the rule is as it always was, without them.

    Raises UserError (field "every") for anything that is not a workable sales-meeting
    schedule; ValueError for an unknown `tz` or naive datetimes (the caller's mistakes).
    """
    zone = zone_of(tz)
    first_local = wall_clock(require_aware(first_start, "first_start"), zone)
    keeps_time = False
    if wall_time is not None and wall_time.replace(microsecond=0) != first_local.replace(
        microsecond=0
    ):
        if at_wall_time(wall_time, first_start, tz) != first_start:
            raise ValueError(f"{wall_time} is not a wall-clock time of {first_start}")
        first_local, keeps_time = wall_time, True

    text = _clean(rule_text)
    if len(text) > MAX_TEXT_LENGTH:
        raise UserError(RULE_TOO_LONG, FIELD, limit=MAX_TEXT_LENGTH)
    text = in_english(text).removeprefix("every ").strip(" .")  # `setiap 2 minggu`
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
    if keeps_time:
        parts += [f"BYHOUR={first_local.hour}", f"BYMINUTE={first_local.minute}"]
    until = None
    if until_text is not None:
        base = wall_clock(require_aware(now, "now"), zone) if now is not None else first_local
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
    if (match := _NTH_DAY.fullmatch(text)) and match["day"] in DAY_NAMES:
        if match["nth"] != "last" and _NTH[match["nth"]] > 1 and not match["month"]:
            raise UserError(UNREADABLE_RULE, FIELD, text=text)
        position = "-1" if match["nth"] == "last" else f"+{_NTH[match['nth']]}"
        return ["FREQ=MONTHLY", f"BYDAY={position}{_CODES[DAY_NAMES[match['day']]]}"]
    if match := _OTHER_DAYS.fullmatch(text):  # "mon, wed", "other monday"
        parts = ["FREQ=WEEKLY"]
        if match["other"]:
            parts.append("INTERVAL=2")
        parts.append(f"BYDAY={_days(match['days'], text)}")
        return parts
    raise UserError(UNREADABLE_RULE, FIELD, text=text)


def read_series(
    text: str, now: datetime, tz: str, until_text: str | None = None
) -> tuple[When, Recurrence]:
    """A repeating schedule said naturally, the time of day in it, and its first meeting.

    `text` is what followed `every` (`monday 9am`, `other friday at 4pm`, `first tuesday
    10am`, `last friday of the month 4pm`, `weekday 9-9:15am`, `day at 9 10 times`), or a
    phrase starting `weekly`, `daily`, `fortnightly` or `monthly` (`weekly on mon and wed
    at 10`). The first meeting is the next time that matches, today included when the time
    is still ahead. Raises UserError (field "every" or "when").
    """
    cleaned = _clean(text)
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise UserError(RULE_TOO_LONG, FIELD, limit=MAX_TEXT_LENGTH)
    said = in_english(cleaned)  # `setiap Isnin 9 pagi`, `हर सोमवार सुबह 9 बजे`
    # Its own `every` word (`setiap`, `हर`) shows as typed.
    own_every = said.startswith("every ") and not cleaned.startswith("every ")
    first_word, _, after = said.partition(" ")
    shown = text.strip() if first_word in _LEADING_WORDS or own_every else f"every {text.strip()}"
    cleaned = said
    if first_word in _LEADING_WORDS:
        cleaned = f"{_LEADING_WORDS[first_word]} {after}".strip()
    cleaned = cleaned.removeprefix("every ").strip(" .")

    body, count = cleaned, ""
    if match := _COUNT.fullmatch(cleaned):
        body, count = match["rest"], f" {match['count']} times"
    span = time_span(body)
    rule_text = body[: span[0]].strip(" ,") if span else ""
    if span is None or not rule_text:
        raise UserError(NEEDS_TIME_OF_DAY, FIELD, text=shown)
    typed = body[span[0] : span[1]]
    read = read_when(typed, now, tz)

    # The time typed, not the wall clock of a first reading moved on by a gap.
    first_local = typed_wall_clock(typed, read.start, now, tz)
    for days in range(MAX_PER_YEAR + 31):
        local = first_local + timedelta(days=days)
        try:
            parts = _read_rule(rule_text, local)
            rule = rule_of(";".join(parts), local)
        except ValueError:
            break
        if next(iter(rule), None) == local.replace(microsecond=0):
            start = at_wall_time(local, now, tz)
            recurrence_ = parse_recurrence(
                rule_text + count, start, tz, until_text, now=now, wall_time=local
            )
            return replace(read, start=start), recurrence_
    raise UserError(NO_OCCURRENCE, FIELD, text=rule_text)


def typed_wall_clock(text: str, start: datetime, now: datetime, tz: str) -> datetime:
    """The naive local time that `text` named, read as `start` (by `read_when`).

    That is the wall-clock time of `start`, unless a spring-forward gap moved `start` off
    the time typed: in London on 28 March 2027, `sun 1:30am` is 02:30 BST, and this gives
    01:30 that day, the time a series should keep. The time of day is read from the time
    at the end of `text` as `read_when` reads it, in UTC (a zone without gaps), and taken
    only when that time, read in `tz` as `read_when` would, is `start`.
    """
    zone = zone_of(tz)
    local = wall_clock(require_aware(start, "start"), zone)
    try:
        shifted = wall_clock(start - _GAP_REACH, zone) + _GAP_REACH != local
    except OverflowError:
        return local
    text = text.lower()
    span = time_span(text)
    if not shifted or span is None:
        return local  # the offset did not change just before `start`: no gap moved it
    try:
        typed = read_when(text[span[0] : span[1]], now, "UTC").start.time()
        for days in (0, 1):  # a gap that crosses midnight moves the day on too
            candidate = datetime.combine(local.date() - timedelta(days=days), typed)
            if candidate != local and at_wall_time(candidate, now, tz) == start:
                return candidate
    except (UserError, OverflowError):
        pass
    return local


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
    # "fri." as bot/when.py reads it in `fri. 4pm`: `every fri. 4pm` was refused.
    numbers = {DAY_NAMES.get(name.removesuffix(".")) for name in names}
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
    said = in_english(cleaned)  # `lusa`, `३१ मार्च` (its digits as ASCII)
    for match in _NUMERIC_DATE.finditer(said):
        first, second = int(match[1]), int(match[3])
        if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
            raise UserError(AMBIGUOUS_UNTIL, FIELD, text=cleaned)
    rest = _END_OF.sub("", said)
    end_of = rest != said
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
    parser = DateDataParser(languages=list(LANGUAGES), use_given_order=True, settings=settings)
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
    rule = rule_of(rule_value, first_local)
    first = next(iter(rule), None)
    if first is None:
        raise UserError(NO_OCCURRENCE, FIELD, text=text)
    if first != first_local.replace(microsecond=0):
        raise UserError(FIRST_NOT_IN_RULE, FIELD, text=text, first=first_local.date().isoformat())
    year_later = first_local + timedelta(days=MAX_PER_YEAR)
    in_a_year = between(rule, first_local, year_later)
    if sum(1 for _ in islice(in_a_year, MAX_PER_YEAR + 1)) > MAX_PER_YEAR:
        raise UserError(TOO_OFTEN, FIELD, text=text)
    if until is not None and sum(1 for _ in islice(rule, MAX_COUNT + 1)) > MAX_COUNT:
        raise UserError(TOO_MANY, FIELD, text=text, until=until, limit=MAX_COUNT)


def _clean(text: str) -> str:
    """Lower-case text with compatibility forms folded and spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())
