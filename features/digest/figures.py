"""The week's figures, computed from its occurrences: pure functions, no Slack, no SQL.

A week runs from Monday 00:00 to the next Monday 00:00 in the workspace's zone, and an
occurrence belongs to the week its (possibly moved) start falls in. The people in a
meeting are its organiser and its Slack-member attendees; external guests are counted
as attendees of the meeting but cost us nothing, so they are not in attendee-hours.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.workspace import WorkspaceSettings
from entities.meetings import Meeting
from entities.recurrence import Occurrence, series_end
from storage.windows import HeldMeeting

WEEK = timedelta(days=7)
LONG_MEETING = timedelta(minutes=60)  # longer than this is flagged
MAX_ATTENDEES = 8  # more than this is flagged
RECURRING_SHARE = 0.5  # more than this share of someone's time in series is flagged
CUT_CANDIDATES = 3  # how many series "what to cut" names
DAYS_PER_MONTH = 365.25 / 12
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7


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


def _members_of(pairs: Iterable[tuple[Meeting, Occurrence]]) -> dict[int, tuple[str, ...]]:
    """`members` of each meeting of `pairs` by id, worked out once, not per occurrence."""
    found: dict[int, tuple[str, ...]] = {}
    for meeting, _ in pairs:
        if meeting.id not in found:
            found[meeting.id] = members(meeting)
    return found


def attendee_count(meeting: Meeting) -> int:
    """Everyone in the room: the Slack members and the external guests."""
    return len(members(meeting)) + sum(1 for a in meeting.attendees if a.guest)


def hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


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
    load: dict[str, float] = defaultdict(float)
    for meeting, occurrence in pairs:
        length = hours(occurrence.end - occurrence.start)
        for user_id in members(meeting):
            load[user_id] += length
    return dict(load)


# -- the figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    occurrences: int
    meeting_hours: float  # the meetings' own length, added up
    attendee_hours: float  # each Slack member's time in them, added up
    cost: float  # attendee-hours x hourly cost


@dataclass(frozen=True)
class PersonLoad:
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
    long_meetings: tuple[MeetingFigure, ...] = ()
    crowded_meetings: tuple[MeetingFigure, ...] = ()
    endless_series: tuple[Meeting, ...] = ()
    no_agenda: tuple[tuple[Meeting, Occurrence], ...] = ()
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
    meeting_hours = attendee_hours = 0.0
    people = _members_of(pairs)
    for meeting, occurrence in pairs:
        length = hours(occurrence.end - occurrence.start)
        meeting_hours += length
        attendee_hours += length * len(people[meeting.id])
    return Totals(len(pairs), meeting_hours, attendee_hours, attendee_hours * hourly_cost)


def occurrences_per_month(meeting: Meeting, seen_this_week: int) -> float:
    """How often a series meets in an average month, from its rule (skips ignored)."""
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
    """Everything the digest says about one week.

    `unprompted` holds the (meeting id, occurrence key) pairs whose agenda prompt went
    out with no agenda item yet; `agenda_counts` tells how many items series have had.
    """
    rate = settings.hourly_cost
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
    people_of = _members_of(pairs)
    for meeting, occurrence in pairs:
        length = hours(occurrence.end - occurrence.start)
        people = people_of[meeting.id]
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

    people = tuple(
        sorted(
            (PersonLoad(u, h, recurring[u], count[u]) for u, h in load.items()),
            key=lambda p: (-p.hours, p.user_id),
        )
    )
    meetings = sorted(seen.values(), key=lambda m: m.number)
    long_meetings = sorted(
        (
            MeetingFigure(m, int(m.duration.total_seconds() // 60), in_week[m.id])
            for m in meetings
            if m.duration > LONG_MEETING
        ),
        key=lambda f: (-f.value, f.meeting.number),
    )
    crowded = sorted(
        (
            MeetingFigure(m, attendee_count(m), in_week[m.id])
            for m in meetings
            if attendee_count(m) > MAX_ATTENDEES
        ),
        key=lambda f: (-f.value, f.meeting.number),
    )
    # A cancelled series has ended: nothing left to cut or to give an end.
    series = [m for m in meetings if m.is_series and not m.cancelled]
    endless = tuple(m for m in series if _endless(m))
    no_agenda = tuple((m, o) for m, o in pairs if (m.id, o.key) in unprompted)
    busiest = (
        min(per_channel, key=lambda c: (-per_channel[c], -channel_hours[c], c))
        if per_channel
        else None
    )
    return WeekFigures(
        team_id=team_id,
        week_start=start,
        week_end=end,
        settings=settings,
        totals=totals(pairs, rate),
        previous=previous,
        people=people,
        by_purpose=tuple(sorted(by_purpose.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_format=tuple(sorted(by_format.items(), key=lambda kv: (-kv[1], kv[0] or "~"))),
        internal_hours=internal,
        customer_hours=customer,
        long_meetings=tuple(long_meetings),
        crowded_meetings=tuple(crowded),
        endless_series=endless,
        no_agenda=no_agenda,
        to_cut=_costliest_series(series, in_week, rate, now, agenda_counts),
        busiest_channel=busiest,
        channels=tuple(sorted(per_channel)),
    )


def _endless(meeting: Meeting) -> bool:
    """A series with no end. Only a rule without COUNT or UNTIL can be one, and asking
    series_end about those is instant (it would walk every occurrence of the others)."""
    parts = {p.split("=", 1)[0].upper() for p in (meeting.rrule or "").split(";") if "=" in p}
    if parts & {"COUNT", "UNTIL"}:
        return False
    return series_end(meeting.starts_at, meeting.tz, meeting.rrule) is None


def _costliest_series(
    series: list[Meeting],
    in_week: Counter[int],
    rate: float,
    now: datetime,
    agenda_counts: Callable[[list[int]], dict[int, int]],
) -> tuple[SeriesCost, ...]:
    """The recurring series that cost most a month, with the agendas they really had."""
    ranked = []
    for meeting in series:
        people = len(members(meeting))
        per_occurrence = people * hours(meeting.duration) * rate
        per_month = per_occurrence * occurrences_per_month(meeting, in_week[meeting.id])
        ranked.append((per_month, per_occurrence, people, meeting))
    ranked.sort(key=lambda r: (-r[0], r[3].number))
    top = ranked[:CUT_CANDIDATES]
    items = agenda_counts([r[3].id for r in top]) if top else {}
    return tuple(
        SeriesCost(
            meeting=meeting,
            people=people,
            per_occurrence=per_occurrence,
            per_month=per_month,
            agenda_items=items.get(meeting.id, 0),
            held=len(meeting.occurrences(meeting.starts_at, now)) if now > meeting.starts_at else 0,
        )
        for per_month, per_occurrence, people, meeting in top
    )
