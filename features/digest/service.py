"""The digest's rules: a workspace's weeks and their figures, and what a new meeting does
to its week (load warnings). No Slack here; the words are in blocks.py."""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.hooks import WorthCounts
from bot.when import MAX_DURATION
from bot.workspace import Workspaces, WorkspaceSettings
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.digest.figures import (
    MAX_ATTENDEES,
    WeekFigures,
    attendee_count,
    members,
    parts_figures,
    shift_weeks,
    week_and_before,
    week_start,
)
from features.digest.history import HistoryStore, WeekTotal, week_totals
from features.digest.settings import working_day
from features.digest.store import DigestStore
from features.digest.worth import ANSWERS_WEEKS, MIN_ANSWERS, SeriesWorth, rank
from storage import windows
from storage.db import Database
from storage.people import PeopleStore

_pause = threading.Lock()
_pausing = 0  # weeks being worked out now, in any thread
_restore = False  # whether the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a week is worked out. The work is tens of
    thousands of tuples with no cycles among them, freed within milliseconds; a
    collection meanwhile only walks them and promotes them to the old generation, so
    that a full collection of the whole process (tens of milliseconds) follows every
    few digests. Paused, they are freed before any collection sees them. Computations
    in several threads share one pause, which ends with the last of them."""
    global _pausing, _restore
    with _pause:
        if _pausing == 0:
            _restore = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _pause:
            _pausing -= 1
            if _pausing == 0 and _restore:
                gc.enable()


# A scheduled digest and the managers' DMs of the same week share one computation.
FIGURES_FRESH_FOR = timedelta(minutes=10)
WEEKS_SHOWN = 8  # the weeks in the picture, this one included


@dataclass(frozen=True)
class Load:
    """What a meeting just booked does to the week of its first occurrence."""

    over: tuple[tuple[str, float], ...]  # (person, hours) over the limit, most hours first
    limit: float  # meeting hours a week
    week_start: datetime | None  # None: no occurrence ahead
    tz: str
    attendees: int  # everyone in the room, guests too
    crowded: bool  # more than MAX_ATTENDEES
    # (person, their other meeting) overlapping the first occurrence
    clashes: tuple[tuple[str, Meeting], ...] = ()
    # (person, their zone) for whom the first occurrence is outside their working day
    off_hours: tuple[tuple[str, str], ...] = ()
    first_start: datetime | None = None
    organiser_tz: str = "UTC"


MeetingsOf = Callable[[list[int]], list[Meeting | None]]


# One meeting of the week, as kept for each person's top meetings and the ranking by
# worth: (-minutes in the week, number, first start, id, members, live series,
# occurrences). Plain tuples of strings and numbers: the cycle collector stops tracking
# them, where it would go through a week's parts for as long as it is kept.
Kept = tuple[int, int, int, int, tuple[str, ...], bool, int]


@dataclass(frozen=True)
class _Week:
    figures: WeekFigures
    meetings: tuple[Kept, ...]  # the week's, one each
    meetings_of: MeetingsOf  # makes the week's meetings, by id


def _top_meetings(
    meetings: tuple[Kept, ...], meetings_of: MeetingsOf
) -> Callable[[str, int], list[tuple[Meeting, float]]]:
    # Most hours first; a tie in number order, then the one met first in the week.
    ordered = sorted(meetings)

    def top(user_id: str, n: int) -> list[tuple[Meeting, float]]:
        ranked = list(itertools.islice((m for m in ordered if user_id in m[4]), n))
        made = meetings_of([m[3] for m in ranked])
        return [
            (meeting, -kept[0] / 60)
            for meeting, kept in zip(made, ranked, strict=True)
            if meeting is not None
        ]

    return top


@dataclass(frozen=True)
class Report:
    """The digest of a week with its picture: the figures, the weeks leading to it and
    the series ranked by what they cost against how many found them worth the time."""

    figures: WeekFigures
    weeks: tuple[WeekTotal, ...]  # the last WEEKS_SHOWN, oldest first, this one last
    series: tuple[SeriesWorth, ...] = ()
    # (person, n) -> the n meetings that took most of their week, with their hours:
    # worked out when their DM asks, not for everyone at once.
    tops: Callable[[str, int], list[tuple[Meeting, float]]] | None = None

    def top_meetings(self, user_id: str, n: int) -> list[tuple[Meeting, float]]:
        """The meetings that took most of this person's week, with their hours."""
        return self.tops(user_id, n) if self.tops is not None else []


class Digests:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        workspaces: Workspaces,
        zone_of: Callable[[str, str], str | None] | None = None,
        worth_counts: WorthCounts | None = None,
    ) -> None:
        self.store = DigestStore(database)
        self.window = windows.WindowStore(database)  # the meetings of a week
        people = PeopleStore(database)

        def cached_zone(team_id: str, user_id: str) -> str | None:
            person = people.get(team_id, user_id)
            return person.tz if person else None

        # (team, user) -> their zone, for the working-day check; None when unknown
        self.zone_of = zone_of or cached_zone
        self.clock = clock
        self.workspaces = workspaces
        self.history = HistoryStore(database)
        # (team, start, end) -> meeting id -> (worth it, not): the features' answers
        self.worth_counts = worth_counts
        self._cache: dict[tuple, tuple[datetime, Any]] = {}
        self._computing: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    # -- weeks and figures ---------------------------------------------------------------

    def week(self, team_id: str, which: str = "this") -> datetime:
        """The start of last, this or next week in the workspace's zone."""
        tz = self.workspaces.settings(team_id).tz
        start = week_start(self.clock.now(), tz)
        return shift_weeks(start, {"last": -1, "this": 0, "next": 1}[which], tz)

    def figures(self, team_id: str, start: datetime, reuse: bool = False) -> WeekFigures:
        """The figures of the week starting at `start`; with `reuse`, a computation from
        the last few minutes serves (the channel post and the managers' DMs)."""
        return self._week(team_id, start, reuse).figures

    def report(self, team_id: str, start: datetime, reuse: bool = False) -> Report:
        """The figures, the weeks before them and the series ranked by worth: what the
        digest with its picture shows. With `reuse`, as for `figures` (the channel post,
        and every DM of the week, one per person, share one computation)."""
        key = ("report", team_id, int(start.timestamp()))
        return self._cached(key, reuse, lambda now: self._report(team_id, start, reuse, now))

    def _week(self, team_id: str, start: datetime, reuse: bool) -> _Week:
        key = ("week", team_id, int(start.timestamp()))
        return self._cached(key, reuse, lambda now: self._compute(team_id, start, now))

    def _cached(self, key: tuple, reuse: bool, compute: Callable[[datetime], Any]) -> Any:
        now = self.clock.now()
        if not reuse:
            with collector_paused():
                value = compute(now)
            return self._remember(key, now, value)
        # The channel post and the DMs are sent side by side: one computes, the rest wait.
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                cached = self._cache.get(key)
            if cached and timedelta(0) <= now - cached[0] < FIGURES_FRESH_FOR:
                return cached[1]
            with collector_paused():
                value = compute(now)
            return self._remember(key, now, value)

    def _remember(self, key: tuple, now: datetime, value: Any) -> Any:
        with self._lock:
            fresh = {k: v for k, v in self._cache.items() if now - v[0] < FIGURES_FRESH_FOR}
            self._cache = {**fresh, key: (now, value)}
            self._computing = {k: v for k, v in self._computing.items() if k in self._cache}
        return value

    def _compute(self, team_id: str, start: datetime, now: datetime) -> _Week:
        settings = self.workspaces.settings(team_id)
        end = shift_weeks(start, 1, settings.tz)
        before = shift_weeks(start, -1, settings.tz)
        # One read and one expansion for both weeks. The week before's plain one-offs
        # come summed from SQL; this week's with their seats; no Meeting is made but for
        # those the figures name.
        parts = self.window.week_parts(team_id, before, end, listed_from=start)
        this, previous = week_and_before(parts, before, start, end, settings.hourly_cost)
        meetings_of = self._meetings_of(team_id)
        kept: list[Kept] = []
        figures = parts_figures(
            team_id,
            start,
            end,
            this,
            settings,
            now,
            meetings_of,
            previous=previous,
            unprompted=lambda low, high: self.store.prompted_without_agenda_between(
                team_id, low, high
            ),
            agenda_counts=lambda ids: self.store.agenda_counts(team_id, ids),
            kept=kept,
        )
        return _Week(figures, tuple(kept), meetings_of)

    def _meetings_of(self, team_id: str) -> MeetingsOf:
        """Reads meetings by id: the figures name a few of a week's thousands, and make
        them when they are read (a digest names five a flag)."""
        cached: dict[int, Meeting] = {}

        def meetings_of(ids: list[int]) -> list[Meeting | None]:
            missing = list(dict.fromkeys(i for i in ids if i not in cached))
            if missing:
                cached.update((m.id, m) for m in self.window.meetings(team_id, missing))
            return [cached.get(i) for i in ids]

        return meetings_of

    def _report(self, team_id: str, start: datetime, reuse: bool, now: datetime) -> Report:
        week = self._week(team_id, start, reuse)
        figures, settings = week.figures, week.figures.settings
        tz = settings.tz
        earlier = [shift_weeks(start, -n, tz) for n in range(WEEKS_SHOWN - 1, 0, -1)]
        this = WeekTotal(
            start,
            figures.totals.attendee_hours,
            figures.totals.cost,
            {p.user_id: p.hours for p in figures.people},
        )
        kept = self.history.kept_weeks(team_id, [int(w.timestamp()) for w in earlier])
        missing = [w for w in earlier if int(w.timestamp()) not in kept]
        if missing:
            end = shift_weeks(missing[-1], 1, tz)
            computed = week_totals(self.window, team_id, missing, end, settings.hourly_cost)
            # Only weeks that are over are kept: their figures no longer change.
            self.history.keep_weeks(
                team_id, [w for w in computed if shift_weeks(w.start, 1, tz) <= now]
            )
            kept.update({int(w.start.timestamp()): w for w in computed})
        weeks = (*(kept[int(w.timestamp())] for w in earlier), this)
        series: tuple[SeriesWorth, ...] = ()
        # The live series met this week, the first met first (as the ranking had them).
        live = sorted((m[2], m[1], m[3], m[6]) for m in week.meetings if m[5])
        if self.worth_counts and live:
            since = shift_weeks(start, 1 - ANSWERS_WEEKS, tz)
            counts = self.worth_counts(team_id, since, figures.week_end)
            # Only series with answers enough are ranked (the first met first, as the
            # ranking had them): only they are read.
            answered = [i for _, _, i, _ in live if sum(counts.get(i, (0, 0))) >= MIN_ANSWERS]
            made = [m for m in week.meetings_of(answered) if m is not None]
            in_week = {i: n for _, _, i, n in live}
            series = rank(made, in_week, settings.hourly_cost, counts)
        return Report(figures, weeks, series, _top_meetings(week.meetings, week.meetings_of))

    # -- at scheduling time ---------------------------------------------------------------

    def load(self, meeting: Meeting) -> Load:
        """The people a new meeting takes over the weekly limit, in the week of its first
        occurrence, and whether it is a crowd."""
        settings = self.workspaces.settings(meeting.team_id)
        first = meeting.next_occurrence(self.clock.now())
        over: list[tuple[str, float]] = []
        start = None
        if first is not None:
            start = week_start(first.start, settings.tz)
            end = shift_weeks(start, 1, settings.tz)
            people = members(meeting)
            minutes = self.window.member_minutes(
                meeting.team_id, start, end, people, leave_out=meeting.id
            )
            for occurrence in meeting.occurrences(start, end):
                length = (occurrence.end - occurrence.start).total_seconds() / 60
                for user_id in people:
                    minutes[user_id] = minutes.get(user_id, 0.0) + length
            load = {user_id: m / 60 for user_id, m in minutes.items()}
            limit = settings.weekly_hours_limit
            over = [(u, load[u]) for u in members(meeting) if load.get(u, 0.0) > limit]
            over.sort(key=lambda pair: (-pair[1], pair[0]))
        crowd = attendee_count(meeting)
        return Load(
            over=tuple(over),
            limit=settings.weekly_hours_limit,
            week_start=start,
            tz=settings.tz,
            attendees=crowd,
            crowded=crowd > MAX_ATTENDEES,
            clashes=self._clashes(meeting, first) if first else (),
            off_hours=self._off_hours(meeting, first, settings) if first else (),
            first_start=first.start if first else None,
            organiser_tz=meeting.tz,
        )

    def _clashes(self, meeting: Meeting, first: Occurrence) -> tuple[tuple[str, Meeting], ...]:
        """Who already has a meeting overlapping the new meeting's first occurrence."""
        people = members(meeting)
        found = self.window.overlapping(
            meeting.team_id, first.start, first.end, people, meeting.id or 0, MAX_DURATION
        )
        return tuple((u, found[u]) for u in people if u in found)

    def _off_hours(
        self, meeting: Meeting, first: Occurrence, settings: WorkspaceSettings
    ) -> tuple[tuple[str, str], ...]:
        """Members (as far as we know their zone) for whom it falls outside a working day:
        before its start, after its end, or on a weekend, in their own zone."""
        day_start, day_end = working_day(settings)
        outside = []
        for user_id in members(meeting):
            tz = self.zone_of(meeting.team_id, user_id)
            if tz is None:
                continue
            zone = ZoneInfo(tz)
            start, end = first.start.astimezone(zone), first.end.astimezone(zone)
            if (
                start.weekday() >= 5
                or start.time() < day_start
                or end.date() != start.date()
                or end.time() > day_end
            ):
                outside.append((user_id, tz))
        return tuple(outside)
