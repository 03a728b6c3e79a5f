"""The digest's rules: a workspace's weeks and their figures, and what a new meeting does
to its week (load warnings). No Slack here; the words are in blocks.py."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.when import MAX_DURATION
from bot.workspace import Workspaces, WorkspaceSettings
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.digest.figures import (
    MAX_ATTENDEES,
    WeekFigures,
    attendee_count,
    members,
    occurrences_in,
    shift_weeks,
    totals,
    week_figures,
    week_start,
)
from features.digest.settings import working_day
from features.digest.store import DigestStore
from storage import windows
from storage.db import Database
from storage.people import PeopleStore

# A scheduled digest and the managers' DMs of the same week share one computation.
FIGURES_FRESH_FOR = timedelta(minutes=10)


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


class Digests:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        workspaces: Workspaces,
        zone_of: Callable[[str, str], str | None] | None = None,
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
        self._cache: dict[tuple[str, int], tuple[datetime, WeekFigures]] = {}
        self._computing: dict[tuple[str, int], threading.Lock] = {}
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
        now = self.clock.now()
        key = (team_id, int(start.timestamp()))
        if not reuse:
            return self._remember(key, now, self._compute(team_id, start, now))
        # The channel post and the DMs are sent side by side: one computes, the rest wait.
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                cached = self._cache.get(key)
            if cached and timedelta(0) <= now - cached[0] < FIGURES_FRESH_FOR:
                return cached[1]
            return self._remember(key, now, self._compute(team_id, start, now))

    def _remember(self, key: tuple[str, int], now: datetime, figures: WeekFigures) -> WeekFigures:
        with self._lock:
            fresh = {k: v for k, v in self._cache.items() if now - v[0] < FIGURES_FRESH_FOR}
            self._cache = {**fresh, key: (now, figures)}
            self._computing = {k: v for k, v in self._computing.items() if k in self._cache}
        return figures

    def _compute(self, team_id: str, start: datetime, now: datetime) -> WeekFigures:
        settings = self.workspaces.settings(team_id)
        end = shift_weeks(start, 1, settings.tz)
        before = shift_weeks(start, -1, settings.tz)
        # One query and one expansion for both weeks: expanding series is the costly part.
        both = occurrences_in(self.window.meetings_in_window(team_id, before, end), before, end)
        pairs = [(m, o) for m, o in both if o.start >= start]
        earlier = [(m, o) for m, o in both if o.start < start]
        unprompted = self.store.prompted_without_agenda(team_id, {(m.id, o.key) for m, o in pairs})
        return week_figures(
            team_id,
            start,
            end,
            pairs,
            settings,
            now,
            previous=totals(earlier, settings.hourly_cost),
            unprompted=unprompted,
            agenda_counts=lambda ids: self.store.agenda_counts(team_id, ids),
        )

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
