"""The week's figures, computed from its occurrences: pure functions, no Slack, no SQL.

A week runs from Monday 00:00 to the next Monday 00:00 in the workspace's zone, and an
occurrence belongs to the week its (possibly moved) start falls in. The people in a
meeting are its organiser and its Slack-member attendees; external guests are counted
as attendees of the meeting but cost us nothing, so they are not in attendee-hours.

The figures are worked out per meeting (`InWeek`: the meeting as read, its occurrences
in the week), from either reading of a week: (meeting, occurrence) pairs (`week_figures`,
the reference), or a week's parts as storage/windows.py reads them, plain one-offs with
their seats and the rest expanded (`parts_figures`, what the digest uses). Lengths are
added up in whole minutes and made hours once, so both readings give the same floats. A
`Meeting` is made only for the few the figures name, when they are read (`Named`).
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple, Protocol, TypeVar
from zoneinfo import ZoneInfo

from bot.workspace import WorkspaceSettings
from entities.instants import epoch, from_epoch
from entities.meetings import Meeting
from entities.recurrence import Occurrence, series_end
from storage.windows import Expansion, HeldMeeting, WeekParts, WindowMeeting

WEEK = timedelta(days=7)
LONG_MEETING = timedelta(minutes=60)  # longer than this is flagged
MAX_ATTENDEES = 8  # more than this is flagged
RECURRING_SHARE = 0.5  # more than this share of someone's time in series is flagged
CUT_CANDIDATES = 3  # how many series "what to cut" names
DAYS_PER_MONTH = 365.25 / 12
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7
_LONG_MINUTES = LONG_MEETING // timedelta(minutes=1)


# -- weeks ---------------------------------------------------------------------------------


def week_start(instant: datetime, tz: str) -> datetime:
    """Monday 00:00 (in `tz`) of the week `instant` falls in, as a UTC instant."""
    zone = ZoneInfo(tz)
    local = instant.astimezone(zone).date()
    monday = local - timedelta(days=local.weekday())
    return datetime.combine(monday, time(), tzinfo=zone).astimezone(UTC)


def shift_weeks(start: datetime, weeks: int, tz: str) -> datetime:
    """The start of the week `weeks` after (or before) the one starting at `start`.
    Counted on the calendar, so a week with a daylight-saving change still starts at 00:00."""
    zone = ZoneInfo(tz)
    monday = start.astimezone(zone).date() + timedelta(days=7 * weeks)
    return datetime.combine(monday, time(), tzinfo=zone).astimezone(UTC)


def due_in_week(start: datetime, day: int, at: time, tz: str) -> datetime:
    """When a weekly post set for `day` (Monday 0) at `at` is due in the week at `start`.
    A wall-clock time skipped by a spring-forward change moves on (fold=0)."""
    zone = ZoneInfo(tz)
    local_day = start.astimezone(zone).date() + timedelta(days=day)
    return datetime.combine(local_day, at, tzinfo=zone).astimezone(UTC)


# -- who is in a meeting -----------------------------------------------------------------


def members(meeting: Meeting) -> tuple[str, ...]:
    """The Slack members in a meeting: its organiser, then attendees, each once."""
    found = [meeting.organiser_id] if meeting.organiser_id else []
    for attendee in meeting.attendees:  # a handful: a list beats a dict here
        if attendee.user_id and attendee.user_id not in found:
            found.append(attendee.user_id)
    return tuple(found)


def attendee_count(meeting: Meeting) -> int:
    """Everyone in the room: the Slack members and the external guests."""
    return len(members(meeting)) + _guests(meeting)


def _guests(meeting: Meeting) -> int:
    return sum(1 for a in meeting.attendees if a.guest)


def hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds()) // 60  # every stored length is whole minutes


# -- occurrences of a window ---------------------------------------------------------------


def occurrences_in(
    held: Iterable[HeldMeeting], start: datetime, end: datetime
) -> list[tuple[Meeting, Occurrence]]:
    """(meeting, occurrence) for every occurrence starting in [start, end): series
    expanded, skipped ones left out, and a cancelled meeting's only where they started
    before it was cancelled (cancelling ends a series; what was held was held)."""
    found = [(item.meeting, o) for item in held for o in item.occurrences(start, end)]
    found.sort(key=lambda pair: (pair[1].start, pair[0].number))
    return found


def person_hours(pairs: Iterable[tuple[Meeting, Occurrence]]) -> dict[str, float]:
    """Hours in meetings per Slack member."""
    load: dict[str, int] = {}
    for meeting, occurrence in pairs:
        length = _minutes(occurrence.end - occurrence.start)
        for user_id in members(meeting):
            load[user_id] = load.get(user_id, 0) + length
    return {user_id: minutes / 60 for user_id, minutes in load.items()}


# -- a meeting's part of a week ------------------------------------------------------------


class MeetingPart(Protocol):
    """A meeting as the figures read it: storage's PlainOneOff and WindowMeeting, or
    `Part` made from a Meeting."""

    id: int
    number: int
    minutes: int  # its length
    purpose: str
    format: str | None
    channel_id: str
    members: Collection[str]  # its Slack members, each once
    guests: int
    series: bool
    cancelled: bool
    rrule: str | None
    starts_at: int  # its first meeting, epoch seconds
    tz: str


# A meeting's part of a week: the meeting, the starts of its occurrences in the week
# (soonest first), and their keys, None when they are the starts (nothing moved); epoch
# seconds. Tuples of starts may be shared between meetings.
InWeek = tuple[MeetingPart, Sequence[int], Sequence[int] | None]


class Part(NamedTuple):
    """A `MeetingPart` made from a Meeting."""

    id: int
    number: int
    minutes: int
    purpose: str
    format: str | None
    channel_id: str
    members: tuple[str, ...]
    guests: int
    series: bool
    cancelled: bool
    rrule: str | None
    starts_at: int
    tz: str


def _weeks_of_pairs(pairs: Iterable[tuple[Meeting, Occurrence]]) -> list[InWeek]:
    """The meetings of (meeting, occurrence) pairs, each with its occurrences."""
    found: dict[int, tuple[Part, list[int], list[int]]] = {}
    for meeting, occurrence in pairs:
        week = found.get(meeting.id)
        if week is None:
            part = Part(
                meeting.id,
                meeting.number,
                _minutes(meeting.duration),
                meeting.purpose,
                meeting.venue.format,
                meeting.channel_id,
                members(meeting),
                _guests(meeting),
                meeting.is_series,
                meeting.cancelled,
                meeting.rrule,
                epoch(meeting.starts_at),
                meeting.tz,
            )
            week = found[meeting.id] = (part, [], [])
        week[1].append(epoch(occurrence.start))
        week[2].append(occurrence.key)
    return list(found.values())


def weeks_of_parts(
    parts: WeekParts, starts: Sequence[datetime], end: datetime
) -> list[list[InWeek]]:
    """The meetings' parts of each week starting at `starts` (in order, the last one
    ending at `end`), from what storage read of [starts[0], end): one expansion for all."""
    bounds = [epoch(start) for start in starts]
    found: list[list[InWeek]] = [[] for _ in starts]
    for plain in parts.plain:
        found[bisect_right(bounds, plain.starts_at) - 1].append((plain, (plain.starts_at,), None))
    expansion = Expansion(starts[0], end)
    for item in parts.others:
        held, keys = expansion.held(item)
        cuts = [0, *(bisect_left(held, bound) for bound in bounds[1:]), len(held)]
        for index, (low, high) in enumerate(itertools.pairwise(cuts)):
            if low < high:
                week_keys = None if keys is None else keys[low:high]
                found[index].append((item, held[low:high], week_keys))
    return found


def week_and_before(
    parts: WeekParts, before: datetime, start: datetime, end: datetime, hourly_cost: float
) -> tuple[list[InWeek], Totals]:
    """The meetings' parts of the week [start, end) and the totals of the week before,
    [before, start), from what storage read of [before, end) with its plain one-offs
    listed from `start` (the week before's come summed). One expansion for both weeks."""
    this: list[InWeek] = [(plain, (plain.starts_at,), None) for plain in parts.plain]
    count, minutes, attendee_minutes = parts.summed
    middle = epoch(start)
    expansion = Expansion(before, end)
    # Starts shared by a shape are cut once for all its series. Each entry holds its
    # starts, so no other tuple can take their id while the dict lives.
    split: dict[int, tuple[tuple[int, ...], int, tuple[int, ...]]] = {}
    for item in parts.others:
        held, keys = expansion.held(item)
        if not held:
            continue
        if held[0] >= middle:
            earlier = 0
        elif keys is None:
            cut = split.get(id(held))
            if cut is None or cut[0] is not held:
                at = bisect_left(held, middle)
                cut = split[id(held)] = (held, at, held[at:])
            _, earlier, held = cut
        else:
            earlier = bisect_left(held, middle)
            held, keys = held[earlier:], keys[earlier:]
        if earlier:
            count += earlier
            minutes += earlier * item.minutes
            attendee_minutes += earlier * item.minutes * len(item.members)
        if held:
            this.append((item, held, keys))
    attendee_hours = attendee_minutes / 60
    return this, Totals(count, minutes / 60, attendee_hours, attendee_hours * hourly_cost)


def people_minutes(weeks: Iterable[InWeek]) -> dict[str, list[int]]:
    """Per Slack member: [minutes in meetings, minutes of them in series, occurrences]."""
    found: dict[str, list[int]] = {}
    get = found.get  # one dict of lists: a third fewer lookups than three dicts
    for part, held, _ in weeks:
        n = len(held)
        minutes = n * part.minutes
        if part.series:
            for user_id in part.members:
                entry = get(user_id)
                if entry is None:
                    found[user_id] = [minutes, minutes, n]
                else:
                    entry[0] += minutes
                    entry[1] += minutes
                    entry[2] += n
        else:
            for user_id in part.members:
                entry = get(user_id)
                if entry is None:
                    found[user_id] = [minutes, 0, n]
                else:
                    entry[0] += minutes
                    entry[2] += n
    return found


# -- meetings named, made when read -------------------------------------------------------

K = TypeVar("K")
T = TypeVar("T")


class Named(Sequence[T]):
    """What a figure names (meetings, with a figure each), made when first read, a
    slice at a time: a week can flag a thousand series and a digest names five.

    `make(keys)` makes the items of those keys, in order; None for a meeting that is no
    longer there (its workspace's data purged), which is then left out."""

    __slots__ = ("_keys", "_made", "_make")

    def __init__(self, keys: Iterable[K], make: Callable[[list[K]], list[T | None]]) -> None:
        self._keys = tuple(keys)
        self._make = make
        self._made: dict[int, T | None] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def _fill(self, positions: Iterable[int]) -> None:
        wanted = [p for p in positions if p not in self._made]
        if wanted:
            made = self._make([self._keys[p] for p in wanted])
            self._made.update(zip(wanted, made, strict=True))

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            positions = range(len(self._keys))[index]
            self._fill(positions)
            return tuple(item for p in positions if (item := self._made[p]) is not None)
        position = range(len(self._keys))[index]
        self._fill([position])
        return self._made[position]

    def __iter__(self) -> Iterator[T]:
        return iter(self[:])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Named({len(self)} items)"


# -- the figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    occurrences: int
    meeting_hours: float  # the meetings' own length, added up
    attendee_hours: float  # each Slack member's time in them, added up
    cost: float  # attendee-hours x hourly cost


class PersonLoad(NamedTuple):  # a tuple: a digest makes one for each of 2,000 people
    user_id: str
    hours: float
    recurring_hours: float
    occurrences: int

    @property
    def recurring_share(self) -> float:
        return self.recurring_hours / self.hours if self.hours else 0.0


@dataclass(frozen=True)
class MeetingFigure:
    """A meeting flagged this week, with the figure it was flagged for."""

    meeting: Meeting
    value: int  # minutes, or attendees
    occurrences: int


@dataclass(frozen=True)
class SeriesCost:
    meeting: Meeting
    people: int
    per_occurrence: float
    per_month: float
    agenda_items: int
    held: int  # occurrences so far


@dataclass(frozen=True)
class WeekFigures:
    team_id: str
    week_start: datetime
    week_end: datetime
    settings: WorkspaceSettings
    totals: Totals
    previous: Totals | None
    people: tuple[PersonLoad, ...]  # most hours first
    by_purpose: tuple[tuple[str, int], ...]  # occurrences, most first
    by_format: tuple[tuple[str | None, int], ...]
    internal_hours: float
    customer_hours: float
    # The meetings flagged, each list in its order; made when read (`Named`).
    long_meetings: Sequence[MeetingFigure] = ()
    crowded_meetings: Sequence[MeetingFigure] = ()
    endless_series: Sequence[Meeting] = ()
    no_agenda: Sequence[tuple[Meeting, Occurrence]] = ()
    to_cut: tuple[SeriesCost, ...] = ()
    busiest_channel: str | None = None
    channels: tuple[str, ...] = ()

    @property
    def over_limit(self) -> tuple[PersonLoad, ...]:
        return tuple(p for p in self.people if p.hours > self.settings.weekly_hours_limit)

    @property
    def mostly_recurring(self) -> tuple[PersonLoad, ...]:
        return tuple(p for p in self.people if p.recurring_share > RECURRING_SHARE)

    @property
    def flagged(self) -> bool:
        return bool(
            self.over_limit
            or self.long_meetings
            or self.crowded_meetings
            or self.mostly_recurring
            or self.endless_series
            or self.no_agenda
        )


def totals(pairs: list[tuple[Meeting, Occurrence]], hourly_cost: float) -> Totals:
    return week_totals_of(_weeks_of_pairs(pairs), hourly_cost)


def week_totals_of(weeks: Iterable[InWeek], hourly_cost: float) -> Totals:
    """Occurrences, meeting hours, attendee-hours and cost of the meetings' parts."""
    count = minutes = attendee_minutes = 0
    for part, held, _ in weeks:
        n = len(held)
        count += n
        minutes += n * part.minutes
        attendee_minutes += n * part.minutes * len(part.members)
    attendee_hours = attendee_minutes / 60
    return Totals(count, minutes / 60, attendee_hours, attendee_hours * hourly_cost)


def occurrences_per_month(meeting: Meeting, seen_this_week: int) -> float:
    """How often a series meets in an average month, from its rule (skips ignored)."""
    return _per_month(meeting.rrule, seen_this_week)


def _per_month(rrule: str | None, seen_this_week: int) -> float:
    per_month = _rule_per_month(rrule or "")
    return seen_this_week * WEEKS_PER_MONTH if per_month is None else per_month


@lru_cache(maxsize=4096)
def _rule_per_month(rrule: str) -> float | None:
    """Occurrences a month from the rule alone; None when it does not say."""
    parts = dict(p.split("=", 1) for p in rrule.split(";") if "=" in p)
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
    return None


def week_figures(
    team_id: str,
    start: datetime,
    end: datetime,
    pairs: list[tuple[Meeting, Occurrence]],
    settings: WorkspaceSettings,
    now: datetime,
    previous: Totals | None = None,
    unprompted: set[tuple[int, int]] = frozenset(),  # type: ignore[assignment]
    agenda_counts: Callable[[list[int]], dict[int, int]] = lambda ids: {},
) -> WeekFigures:
    """Everything the digest says about one week, from its (meeting, occurrence) pairs.

    `unprompted` holds the (meeting id, occurrence key) pairs whose agenda prompt went
    out with no agenda item yet; `agenda_counts` tells how many items series have had.
    """
    meetings = {meeting.id: meeting for meeting, _ in pairs}

    def meetings_of(ids: list[int]) -> list[Meeting | None]:
        return [meetings[i] for i in ids]

    return parts_figures(
        team_id,
        start,
        end,
        _weeks_of_pairs(pairs),
        settings,
        now,
        meetings_of,
        previous,
        lambda low, high: {pair for pair in unprompted if low <= pair[1] <= high},
        agenda_counts,
    )


def parts_figures(
    team_id: str,
    start: datetime,
    end: datetime,
    weeks: Sequence[InWeek],
    settings: WorkspaceSettings,
    now: datetime,
    meetings_of: Callable[[list[int]], list[Meeting | None]],
    previous: Totals | None = None,
    unprompted: Callable[[int, int], set[tuple[int, int]]] = lambda low, high: set(),
    agenda_counts: Callable[[list[int]], dict[int, int]] = lambda ids: {},
    kept: list[tuple] | None = None,
) -> WeekFigures:
    """Everything the digest says about one week, from its meetings' parts.

    `meetings_of(ids)` makes the meetings the figures name (None for one no longer
    there), when they are read; `unprompted(low, high)` tells the (meeting id, key) pairs
    with a key in [low, high] whose agenda prompt went out with no agenda item yet.
    `kept`, when given, gets a row for each meeting: (-minutes in the week, number,
    first start, id, members, live series, occurrences), what the report keeps.
    """
    rate = settings.hourly_cost
    load: dict[str, list[int]] = {}  # person -> [minutes, of them in series, occurrences]
    get = load.get
    # Plain dicts, not Counters: a Counter's += calls __missing__ in Python.
    by_purpose: dict[str, int] = {}
    by_format: dict[str | None, int] = {}
    per_channel: dict[str, int] = {}
    channel_minutes: dict[str, int] = {}
    internal = customer = 0
    long_meetings = []  # (minutes, number, first start, id, occurrences)
    crowded = []  # (attendees, number, first start, id, occurrences)
    endless_found = []  # (number, first start, id) of the live series with no end
    ranked = []  # (-cost a month, number, first start, id, cost each time, people)
    rules: dict[str | None, tuple[bool | None, float | None]] = {}  # rule -> (no end, a month)
    low = high = None  # the lowest and highest occurrence key
    # One pass over the week's meetings: the people in them (as `people_minutes`), the
    # counts, the flags' candidates; `kept` gets each meeting's row for the report.
    for part, held, keys in weeks:
        n = len(held)
        minutes = n * part.minutes
        members_ = part.members
        if part.series:
            for user_id in members_:
                entry = get(user_id)
                if entry is None:
                    load[user_id] = [minutes, minutes, n]
                else:
                    entry[0] += minutes
                    entry[1] += minutes
                    entry[2] += n
        else:
            for user_id in members_:
                entry = get(user_id)
                if entry is None:
                    load[user_id] = [minutes, 0, n]
                else:
                    entry[0] += minutes
                    entry[2] += n
        by_purpose[part.purpose] = by_purpose.get(part.purpose, 0) + n
        by_format[part.format] = by_format.get(part.format, 0) + n
        if part.guests:
            customer += minutes
        else:
            internal += minutes
        channel = part.channel_id
        per_channel[channel] = per_channel.get(channel, 0) + n
        people = len(members_)
        channel_minutes[channel] = channel_minutes.get(channel, 0) + minutes * people
        if part.minutes > _LONG_MINUTES:
            long_meetings.append((part.minutes, part.number, held[0], part.id, n))
        if people + part.guests > MAX_ATTENDEES:
            crowded.append((people + part.guests, part.number, held[0], part.id, n))
        # A cancelled series has ended: nothing left to cut or to give an end. The live
        # ones: those with no end, and what each costs a month (the rule read once for
        # all the series that share it).
        live = part.series and not part.cancelled
        if live:
            rule = part.rrule
            read = rules.get(rule)
            if read is None:
                bounded, series_end_reads_a_bound = _bounds(rule or "")
                no_end = False if bounded else (None if series_end_reads_a_bound else True)
                read = rules[rule] = (no_end, _rule_per_month(rule or ""))
            no_end, times = read
            if no_end or (no_end is None and _endless_rule(part.starts_at, part.tz, rule)):
                endless_found.append((part.number, held[0], part.id))
            per_occurrence = people * (part.minutes / 60) * rate
            per_month = per_occurrence * (n * WEEKS_PER_MONTH if times is None else times)
            # The costliest; a tie in number order, then the one met first in the week.
            ranked.append((-per_month, part.number, held[0], part.id, per_occurrence, people))
        if kept is not None:
            kept.append((-minutes, part.number, held[0], part.id, members_, live, n))
        if keys is None:  # the keys are the starts, soonest first
            first, last = held[0], held[-1]
        else:
            first, last = min(keys), max(keys)
        if low is None or first < low:
            low = first
        if high is None or last > high:
            high = last

    occurrences = sum(per_channel.values())
    attendee_hours = sum(channel_minutes.values()) / 60
    # Most hours first, then by id: two stable sorts, no key tuple per person.
    new = tuple.__new__  # in C; PersonLoad's generated __new__ is Python code
    loads = [new(PersonLoad, (u, m / 60, r / 60, n)) for u, (m, r, n) in load.items()]
    loads.sort(key=attrgetter("user_id"))
    loads.sort(key=attrgetter("hours"), reverse=True)

    def figures_of(found: list[tuple[int, int, int, int, int]]) -> list[MeetingFigure | None]:
        made = meetings_of([meeting_id for _, _, _, meeting_id, _ in found])
        return [
            None if m is None else MeetingFigure(m, value, n)
            for m, (value, _, _, _, n) in zip(made, found, strict=True)
        ]

    # Meetings in number order; two rows of one edited series share a number, the one
    # met first in the week first.
    long_meetings.sort(key=lambda f: (-f[0], f[1], f[2], f[3]))
    crowded.sort(key=lambda f: (-f[0], f[1], f[2], f[3]))
    endless_found.sort()  # the meetings' number order
    endless = [meeting_id for _, _, meeting_id in endless_found]
    # The prompts sent with no agenda, of the week's occurrences only.
    asked = unprompted(low, high) if low is not None and high is not None else set()
    no_agenda = (
        sorted(
            (at, part.number, part.id, key)
            for part, held, keys in weeks
            for at, key in zip(held, held if keys is None else keys, strict=True)
            if (part.id, key) in asked
        )
        if asked
        else []
    )

    def occurrences_of(found: list[tuple[int, int, int, int]]) -> list:
        made = meetings_of([meeting_id for _, _, meeting_id, _ in found])
        return [
            None if m is None else (m, Occurrence(key, from_epoch(at), from_epoch(at) + m.duration))
            for m, (at, _, _, key) in zip(made, found, strict=True)
        ]

    busiest = (
        min(per_channel, key=lambda c: (-per_channel[c], -channel_minutes[c], c))
        if per_channel
        else None
    )
    return WeekFigures(
        team_id=team_id,
        week_start=start,
        week_end=end,
        settings=settings,
        totals=Totals(
            occurrences, (internal + customer) / 60, attendee_hours, attendee_hours * rate
        ),
        previous=previous,
        people=tuple(loads),
        by_purpose=tuple(sorted(by_purpose.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_format=tuple(sorted(by_format.items(), key=lambda kv: (-kv[1], kv[0] or "~"))),
        internal_hours=internal / 60,
        customer_hours=customer / 60,
        long_meetings=Named(long_meetings, figures_of),
        crowded_meetings=Named(crowded, figures_of),
        endless_series=Named(endless, meetings_of),
        no_agenda=Named(no_agenda, occurrences_of),
        to_cut=_costliest_series(ranked, now, agenda_counts, meetings_of),
        busiest_channel=busiest,
        channels=tuple(sorted(per_channel)),
    )


def _endless_rule(starts_at: int, tz: str, rrule: str | None) -> bool:
    """A series with no end. Only a rule without COUNT or UNTIL can be one, and asking
    series_end about those is instant (it would walk every occurrence of the others)."""
    bounded, series_end_reads_a_bound = _bounds(rrule or "")
    if bounded:
        return False
    if not series_end_reads_a_bound:
        return True  # series_end: no COUNT or UNTIL, no end
    return series_end(from_epoch(starts_at), tz, rrule) is None


@lru_cache(maxsize=4096)
def _bounds(rrule: str) -> tuple[bool, bool]:
    """Whether the rule has COUNT or UNTIL as read here, and as series_end reads it
    (names stripped: entities.recurrence._rule_parts)."""
    ours = {p.split("=", 1)[0].upper() for p in rrule.split(";") if "=" in p}
    value = rrule.strip().removeprefix("RRULE:")
    theirs = {p.split("=", 1)[0].strip().upper() for p in value.split(";") if p}
    return bool(ours & {"COUNT", "UNTIL"}), bool(theirs & {"COUNT", "UNTIL"})


def _held_until(meeting: Meeting, now: datetime) -> int:
    """How many of its occurrences started before `now`: `meeting.occurrences` from its
    first, worked out as the window's expansion does (no dateutil walk of a year)."""
    if now <= meeting.starts_at:
        return 0
    starts, _ = Expansion(meeting.starts_at, now).held(WindowMeeting.of(meeting))
    return len(starts)


def _costliest_series(
    ranked: list[tuple[float, int, int, int, float, int]],
    now: datetime,
    agenda_counts: Callable[[list[int]], dict[int, int]],
    meetings_of: Callable[[list[int]], list[Meeting | None]],
) -> tuple[SeriesCost, ...]:
    """The recurring series that cost most a month, with the agendas they really had.
    `ranked` is (-cost a month, number, first start, id, cost each time, people) of
    each live series of the week."""
    top = heapq.nsmallest(CUT_CANDIDATES, ranked)
    items = agenda_counts([r[3] for r in top]) if top else {}
    made = meetings_of([r[3] for r in top]) if top else []
    return tuple(
        SeriesCost(
            meeting=meeting,
            people=people,
            per_occurrence=per_occurrence,
            per_month=-per_month,
            agenda_items=items.get(meeting.id, 0),
            held=_held_until(meeting, now),
        )
        for (per_month, _, _, _, per_occurrence, people), meeting in zip(top, made, strict=True)
        if meeting is not None
    )
