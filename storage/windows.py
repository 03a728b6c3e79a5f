"""Meetings in a window of time: the one query for it.
Every one is scoped to one workspace (`team_id`).

`WindowStore.meetings_in_window` is how anything learns which meetings may have an
occurrence in [start, end): the CSV export and App Home's hours read it, and it is the
reference the digest's sums are tested against, so they never disagree about what happened
in a week. The digest reads its weeks in two parts instead (`WindowStore.week_parts`):
plain one-offs (never moved or skipped) as rows with their seats counted in SQL, or summed
there outright for a week of which only totals are said; and the rest (series, changed
one-offs) as lean rows, expanded on whole seconds (`Expansion`). No `Meeting` is made.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from entities.instants import epoch, from_epoch
from entities.meetings import Meeting
from entities.recurrence import Occurrence, wall_clock, zone_of
from storage.db import Database, named
from storage.meetings import MeetingStore, load_meetings, series_pattern, window_occurrences


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting that may have occurrences in a window. `cancelled_at` is set for a
    cancelled meeting: its occurrences that started before then still happened."""

    meeting: Meeting
    cancelled_at: datetime | None = None

    def occurrences(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Its occurrences starting in [start, end) that took or will take place: the
        series expanded over the window only, skipped ones left out, and none after it
        was cancelled (cancelling ends a series; what was held was held)."""
        meeting = self.meeting
        if meeting.rrule is None and not meeting.moved and not meeting.skipped:
            # Most meetings: a one-off never changed is its own only occurrence.
            at = meeting.starts_at
            found = [Occurrence(epoch(at), at, at + meeting.duration)] if start <= at < end else []
        else:
            found = window_occurrences(meeting, start, end)
        if self.cancelled_at is None:
            return found
        return [o for o in found if o.start < self.cancelled_at]


# The arms of the window queries. Cancelled meetings count only if cancelled after the
# window opened. CROSS JOIN fixes the join order (SQLite's rule): the few changes drive,
# not every meeting of the workspace; and the window's ids drive the final read.
_SERIES = """
SELECT id FROM meetings
 WHERE team_id = :team AND rrule IS NOT NULL AND starts_at < :end
   AND (status = 'scheduled' OR (status = 'cancelled' AND cancelled_at > :start))
"""
_ONE_OFFS_INSIDE = """
SELECT id FROM meetings
 WHERE team_id = :team AND rrule IS NULL AND starts_at >= :start AND starts_at < :end
   AND (status = 'scheduled' OR (status = 'cancelled' AND cancelled_at > :start))
"""
_MOVED_INSIDE = """
SELECT m.id FROM occurrence_changes c CROSS JOIN meetings m
 WHERE c.team_id = :team AND c.moved_to >= :start AND c.moved_to < :end
   AND m.id = c.meeting_id AND m.team_id = :team
   AND (m.status = 'scheduled' OR (m.status = 'cancelled' AND m.cancelled_at > :start))
"""
_CHANGED = """
   AND EXISTS (SELECT 1 FROM occurrence_changes c
                WHERE c.team_id = :team AND c.meeting_id = meetings.id)
"""

# Meetings that may have an occurrence starting in [:start, :end): series that began
# before the end, one-offs that start inside, and anything with an occurrence moved inside.
_WINDOW = " UNION ".join([_SERIES, _ONE_OFFS_INSIDE, _MOVED_INSIDE])

# Everything that may have an occurrence in the window except plain one-offs: series, and
# one-offs with an occurrence moved in or changed (their occurrences are worked out in
# Python; the plain ones are summed or matched in SQL below).
_NOT_PLAIN = " UNION ".join([_SERIES, _MOVED_INSIDE, _ONE_OFFS_INSIDE + _CHANGED])

# A few people's meetings only: organised or attended as a Slack member.
_INVOLVING = (
    " AND (m.organiser_id IN (SELECT value FROM json_each(:users)) OR EXISTS (SELECT 1"
    " FROM attendees a WHERE a.team_id = :team AND a.meeting_id = m.id"
    " AND a.user_id IN (SELECT value FROM json_each(:users))))"
)

# Per person (`p.value`, each of :users once): their plain one-offs, that is with no
# occurrence changed, as organiser or Slack attendee, leaving out :leave_out.
_PLAIN_ONE_OFFS_OF_EACH = """
  FROM (SELECT DISTINCT value FROM json_each(:users)) p CROSS JOIN meetings m
 WHERE m.team_id = :team AND m.rrule IS NULL AND m.id != :leave_out
   AND NOT EXISTS (SELECT 1 FROM occurrence_changes c
                    WHERE c.team_id = :team AND c.meeting_id = m.id)
   AND (m.organiser_id = p.value OR EXISTS (SELECT 1 FROM attendees a
        WHERE a.team_id = :team AND a.meeting_id = m.id AND a.user_id = p.value))
"""

# Their minutes starting in [:start, :end) that were held: SQL sums them, with no meeting
# loaded into Python.
_PLAIN_ONE_OFF_MINUTES = (
    "SELECT p.value AS user_id, SUM(m.duration_min) AS minutes"
    + _PLAIN_ONE_OFFS_OF_EACH
    + """   AND m.starts_at >= :start AND m.starts_at < :end
   AND (m.status = 'scheduled' OR (m.status = 'cancelled' AND m.cancelled_at > m.starts_at))
 GROUP BY p.value"""
)

# One of theirs overlapping [:start, :end), not cancelled: one row a person. No meeting
# is longer than :longest, so the start bounds both ways (else every meeting before
# :end is read).
_PLAIN_ONE_OFF_OVERLAP = (
    "SELECT p.value AS user_id, MIN(m.id) AS meeting_id"
    + _PLAIN_ONE_OFFS_OF_EACH
    + """   AND m.status = 'scheduled' AND m.starts_at >= :start - :longest
   AND m.starts_at < :end AND m.starts_at + m.duration_min * 60 > :start
 GROUP BY p.value"""
)

# With a person: only the meetings they organise or attend as a Slack member.
_MINE = (
    " AND (m.organiser_id = :user OR EXISTS (SELECT 1 FROM attendees a"
    " WHERE a.team_id = :team AND a.meeting_id = m.id AND a.user_id = :user))"
)


class WindowStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def meetings_in_window(
        self, team_id: str, start: datetime, end: datetime, user_id: str | None = None
    ) -> list[HeldMeeting]:
        """Every meeting of the workspace that may have an occurrence starting in
        [start, end), loaded in four queries however many there are; with `user_id`,
        only those that person organises or attends."""
        params = {"team": team_id, "start": epoch(start), "end": epoch(end), "user": user_id}
        return self._load(_WINDOW, _MINE if user_id is not None else "", params)

    def member_minutes(
        self,
        team_id: str,
        start: datetime,
        end: datetime,
        user_ids: Sequence[str],
        leave_out: int | None = None,
    ) -> dict[str, float]:
        """Minutes in meetings starting in [start, end) for each of `user_ids` (as
        organiser or Slack attendee), leaving out meeting `leave_out`. Plain one-offs are
        summed in SQL; only series and changed meetings are expanded, so the cost follows
        these people's series, not the number of meetings in the workspace's week."""
        users = json.dumps(sorted(set(user_ids)))
        # Whole seconds in the database: a window opening mid-second starts at the next.
        params = {
            "team": team_id,
            "start": math.ceil(start.timestamp()),
            "end": math.ceil(end.timestamp()),
            "users": users,
        }
        minutes: dict[str, float] = defaultdict(float)
        with self.database.reading() as db:
            for row in named(
                db.execute(_PLAIN_ONE_OFF_MINUTES, {**params, "leave_out": leave_out or 0})
            ):
                minutes[row["user_id"]] += row["minutes"] or 0
        wanted = set(user_ids)
        for held in self._load(_NOT_PLAIN, _INVOLVING, params):
            if held.meeting.id == leave_out:
                continue
            people = {held.meeting.organiser_id, *(a.user_id for a in held.meeting.attendees)}
            for occurrence in held.occurrences(start, end):
                length = (occurrence.end - occurrence.start).total_seconds() / 60
                for user_id in people & wanted:
                    minutes[user_id] += length
        return dict(minutes)

    def overlapping(
        self,
        team_id: str,
        start: datetime,
        end: datetime,
        user_ids: Sequence[str],
        leave_out: int,
        longest: timedelta,
    ) -> dict[str, Meeting]:
        """For each of `user_ids` who has one, a meeting of theirs (other than `leave_out`)
        with an occurrence overlapping [start, end). Plain one-offs are found in SQL, one
        row a person; series and changed meetings are expanded from `start - longest`."""
        users = json.dumps(sorted(set(user_ids)))
        params = {
            "team": team_id,
            "start": epoch(start),
            "end": epoch(end),
            "users": users,
            "leave_out": leave_out,
            "longest": math.ceil(longest.total_seconds()),
        }
        found: dict[str, Meeting] = {}
        with self.database.reading() as db:
            ids = {
                row["user_id"]: row["meeting_id"]
                for row in named(db.execute(_PLAIN_ONE_OFF_OVERLAP, params))
            }
        for user_id, meeting_id in ids.items():
            meeting = MeetingStore(self.database).by_id(team_id, meeting_id)
            if meeting is not None:
                found[user_id] = meeting
        since = start - longest  # a meeting that began earlier may still be running
        wider = {**params, "start": epoch(since)}
        for held in self._load(_NOT_PLAIN, _INVOLVING, wider):
            if held.meeting.id == leave_out:
                continue
            if not any(o.start < end and start < o.end for o in held.occurrences(since, end)):
                continue
            people = {held.meeting.organiser_id, *(a.user_id for a in held.meeting.attendees)}
            for user_id in people & set(user_ids):
                found.setdefault(user_id, held.meeting)
        return found

    def _load(self, window: str, only: str, params: dict) -> list[HeldMeeting]:
        """The meetings whose ids `window` selects (narrowed by `only`), each with its
        attendees and occurrence changes, in four queries however many there are."""
        team_id = params["team"]
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT m.id, m.status, m.cancelled_at"
                f" FROM ({window}) w CROSS JOIN meetings m"
                " WHERE m.id = w.id AND m.team_id = :team" + only + " ORDER BY m.id",
                params,
            ).fetchall()
            meetings = load_meetings(db, team_id, [row[0] for row in rows])
        cancelled = {
            key: from_epoch(at) for key, status, at in rows if status == "cancelled" and at
        }
        return [HeldMeeting(m, cancelled.get(m.id)) for m in meetings]

    def week_parts(
        self, team_id: str, start: datetime, end: datetime, listed_from: datetime | None = None
    ) -> WeekParts:
        """The meetings that may have an occurrence starting in [start, end), as
        `meetings_in_window` finds them, in two parts: the plain one-offs that were held
        and the series and changed one-offs, each with its seats, no `Meeting` made.
        Plain one-offs starting before `listed_from` are summed in SQL, not listed (the
        week before, of which the digest says only totals)."""
        params = {"team": team_id, "start": epoch(start), "end": epoch(end)}
        listed = {**params, "opened": params["start"]}
        plain: list[PlainOneOff] = []
        changed: list[int] = []
        summed = (0, 0, 0)
        with self.database.reading() as db:
            if listed_from is not None and listed_from > start:
                before = {**params, "end": epoch(listed_from)}
                count, minutes, attendee_minutes, ids = db.execute(_PLAIN_SUMS, before).fetchone()
                summed = (count, minutes or 0, attendee_minutes or 0)
                changed += [int(i) for i in ids.split(",")] if ids else []
                listed["start"] = epoch(listed_from)
            for row in db.execute(_ONE_OFFS_WITH_SEATS, listed):  # each row freed as read
                meeting_id, number, at, minutes, purpose, fmt, channel, organiser = row[:8]
                status, cancelled_at, was_changed, seats = row[8:]
                if was_changed:
                    changed.append(meeting_id)
                elif status == "scheduled" or cancelled_at > at:
                    seated = seats.split(_SEAT) if seats is not None else []
                    plain.append(
                        _new(
                            PlainOneOff,
                            (
                                meeting_id,
                                number,
                                at,
                                minutes,
                                purpose,
                                fmt,
                                channel,
                                _members(organiser, seated),
                                seated.count(""),
                            ),
                        )
                    )
            rows = db.execute(_SERIES_ROWS, params).fetchall()
            series = {row[0] for row in rows}
            # Occurrences moved into the window (of meetings it reads, as _MOVED_INSIDE).
            moves_in = db.execute(_MOVES_INSIDE, params).fetchall()
            extra = dict.fromkeys(changed + [meeting_id for meeting_id, _, _ in moves_in])
            extra_ids = [i for i in extra if i not in series]
            if extra_ids:
                rows += db.execute(_LEAN_OF, {**params, "ids": json.dumps(extra_ids)}).fetchall()
            # The changes that can touch the window: those of an occurrence due within two
            # days of it (an expansion reads a day of wall-clock time each side), and the
            # moves into it. Others (a skip a year ago) change nothing here.
            near = {
                "team": team_id,
                "ids": json.dumps([row[0] for row in rows]),
                "low": params["start"] - _NEAR,
                "high": params["end"] + _NEAR,
            }
            skips: dict[int, list[int]] = defaultdict(list)
            moved: dict[int, dict[int, int]] = defaultdict(dict)
            for meeting_id, key, was_skipped, moved_to in db.execute(_CHANGES_NEAR, near):
                if was_skipped:
                    skips[meeting_id].append(key)
                elif moved_to is not None:
                    moved[meeting_id][key] = moved_to
            for meeting_id, key, moved_to in moves_in:
                moved[meeting_id][key] = moved_to
        skipped = {meeting_id: tuple(keys) for meeting_id, keys in skips.items()}
        read = WindowMeeting.read
        others = [read(row, skipped.get(row[0], ()), moved.get(row[0])) for row in rows]
        return WeekParts(plain, others, summed)

    def meetings(self, team_id: str, ids: list[int]) -> list[Meeting]:
        """The meetings with these ids (those still there), in that order, each once
        (load_meetings would read a meeting's seats once for each time it is named)."""
        with self.database.reading() as db:
            return load_meetings(db, team_id, list(dict.fromkeys(ids)))

    def occurrences_in_window(
        self, team_id: str, start: datetime, end: datetime, user_id: str | None = None
    ) -> list[tuple[Meeting, Occurrence]]:
        """(meeting, occurrence) for every occurrence starting in [start, end) that took
        or will take place, soonest first; with `user_id`, only that person's meetings."""
        found = [
            (held.meeting, occurrence)
            for held in self.meetings_in_window(team_id, start, end, user_id)
            for occurrence in held.occurrences(start, end)
        ]
        found.sort(key=lambda pair: (pair[1].start, pair[0].number))
        return found


# -- a week for the digest: plain one-offs and the rest, lean -------------------------------

# A meeting's seats: each attendee's user id, '' for a guest (an attendee is a Slack
# member or a guest, never both: entities.meetings), from the covering attendees_by_meeting
# index; their order does not matter, they are read as a set.
_SEATS = """(SELECT group_concat(IFNULL(a.user_id, ''), char(31)) FROM attendees a
              WHERE a.team_id = :team AND a.meeting_id = m.id)"""
_SEAT = "\x1f"

# Every one-off starting in [:start, :end) that the window opened at :opened reads (as
# _ONE_OFFS_INSIDE), whether an occurrence change names it, and its seats.
_ONE_OFFS_WITH_SEATS = f"""
SELECT m.id, m.number, m.starts_at, m.duration_min, m.purpose, m.format, m.channel_id,
       m.organiser_id, m.status, m.cancelled_at,
       EXISTS (SELECT 1 FROM occurrence_changes c
                WHERE c.team_id = :team AND c.meeting_id = m.id) AS changed,
       {_SEATS} AS seats
  FROM meetings m
 WHERE m.team_id = :team AND m.rrule IS NULL AND m.starts_at >= :start AND m.starts_at < :end
   AND (m.status = 'scheduled' OR (m.status = 'cancelled' AND m.cancelled_at > :opened))
"""

# The same one-offs summed, for a week of which only totals are said: the held plain
# ones' occurrences, minutes and attendee-minutes (a meeting's Slack members are its
# organiser and its attendees' distinct user ids), and the ids of the changed ones.
# MATERIALIZED: each row's EXISTS is worked out once, not once for each FILTER.
_PLAIN_SUMS = """
WITH o AS MATERIALIZED (
  SELECT m.id, m.duration_min AS minutes, m.organiser_id,
         EXISTS (SELECT 1 FROM occurrence_changes c
                  WHERE c.team_id = :team AND c.meeting_id = m.id) AS changed,
         m.status = 'scheduled' OR m.cancelled_at > m.starts_at AS held
    FROM meetings m
   WHERE m.team_id = :team AND m.rrule IS NULL AND m.starts_at >= :start AND m.starts_at < :end
     AND (m.status = 'scheduled' OR (m.status = 'cancelled' AND m.cancelled_at > :start))
)
SELECT COUNT(*) FILTER (WHERE NOT changed AND held),
       SUM(minutes) FILTER (WHERE NOT changed AND held),
       SUM(minutes * (IFNULL(organiser_id <> '', 0) + (
           SELECT COUNT(DISTINCT a.user_id) FROM attendees a
            WHERE a.team_id = :team AND a.meeting_id = o.id AND a.user_id <> ''
              AND a.user_id IS NOT o.organiser_id))) FILTER (WHERE NOT changed AND held),
       group_concat(id) FILTER (WHERE changed)
  FROM o
"""

# Series and changed one-offs, lean: what the figures and the expansion read.
_LEAN = f"""
SELECT m.id, m.number, m.starts_at, m.duration_min, m.tz, m.rrule, m.purpose, m.format,
       m.channel_id, m.organiser_id, m.status, m.cancelled_at, {_SEATS} AS seats
"""
# The series that may meet in the window (as _SERIES), straight from the series index.
_SERIES_ROWS = (
    _LEAN
    + """  FROM meetings m
 WHERE m.team_id = :team AND m.rrule IS NOT NULL AND m.starts_at < :end
   AND (m.status = 'scheduled' OR (m.status = 'cancelled' AND m.cancelled_at > :start))
"""
)
_LEAN_OF = (
    _LEAN
    + " FROM json_each(:ids) j CROSS JOIN meetings m WHERE m.id = j.value AND m.team_id = :team"
)
_CHANGES_NEAR = """
SELECT c.meeting_id, c.occurrence, c.skipped, c.moved_to FROM json_each(:ids) j
 CROSS JOIN occurrence_changes c
 WHERE c.meeting_id = j.value AND c.occurrence BETWEEN :low AND :high AND c.team_id = :team
"""
_MOVES_INSIDE = """
SELECT c.meeting_id, c.occurrence, c.moved_to FROM occurrence_changes c CROSS JOIN meetings m
 WHERE c.team_id = :team AND c.moved_to >= :start AND c.moved_to < :end
   AND m.id = c.meeting_id AND m.team_id = :team
   AND (m.status = 'scheduled' OR (m.status = 'cancelled' AND m.cancelled_at > :start))
"""
_NEAR = 2 * 86_400
# Makes a named tuple from a tuple in C; its generated __new__ (and _make) are Python
# code, three times as slow, and a digest makes thousands.
_new = tuple.__new__


def _members(organiser: str | None, seated: list[str]) -> tuple[str, ...]:
    """Organiser and Slack-member attendees ('' is a guest), each once, in no order. A
    tuple of strings, not a set: the cycle collector stops tracking it, and a digest
    keeps thousands for a while."""
    found = set(seated)
    found.add(organiser)  # type: ignore[arg-type]
    found.discard("")
    found.discard(None)  # type: ignore[arg-type]
    return tuple(found)


class PlainOneOff(NamedTuple):
    """A one-off that was never moved or skipped and was held (or is to be): its only
    occurrence starts at `starts_at` (its key too, epoch seconds), `minutes` long."""

    id: int
    number: int
    starts_at: int
    minutes: int
    purpose: str
    format: str | None
    channel_id: str
    members: tuple[str, ...]  # its organiser and Slack-member attendees, each once
    guests: int
    # Read as a WindowMeeting is (no annotation: not fields).
    series = False
    cancelled = False
    rrule = None
    tz = "UTC"


class WindowMeeting(NamedTuple):
    """A series, or a one-off with an occurrence changed, that may meet in a window, as
    read: what its figures and its occurrences need, and no more (no `Meeting`). A
    tuple: a digest reads thousands."""

    id: int
    number: int
    starts_at: int  # its first meeting, epoch seconds
    minutes: int
    tz: str
    rrule: str | None
    purpose: str
    format: str | None
    channel_id: str
    members: tuple[str, ...]  # its organiser and Slack-member attendees, each once
    guests: int
    series: bool
    cancelled: bool
    cancelled_at: int | None  # set when cancelled: its occurrences from then on did not happen
    # Its changes that can touch the window read (week_parts): skipped original starts,
    # and original start -> new start (None: none moved); epoch seconds.
    skipped: tuple[int, ...]
    moved: Mapping[int, int] | None

    @classmethod
    def read(
        cls, row: tuple, skipped: tuple[int, ...], moved: Mapping[int, int] | None
    ) -> WindowMeeting:
        """From a _LEAN row and its changes."""
        meeting_id, number, starts_at, minutes, tz, rrule, purpose, fmt, channel = row[:9]
        organiser, status, at, seats = row[9:]
        seated = seats.split(_SEAT) if seats is not None else []
        cancelled = status == "cancelled"
        return _new(
            cls,
            (
                meeting_id,
                number,
                starts_at,
                minutes,
                tz,
                rrule,
                purpose,
                fmt,
                channel,
                _members(organiser, seated),
                seated.count(""),
                rrule is not None,
                cancelled,
                at if cancelled else None,
                skipped,
                moved,
            ),
        )

    @classmethod
    def of(cls, meeting: Meeting, cancelled_at: datetime | None = None) -> WindowMeeting:
        """A meeting as the window reads it (its seats as members and guests)."""
        seats = [a.user_id or "" for a in meeting.attendees]
        row = (
            meeting.id,
            meeting.number,
            epoch(meeting.starts_at),
            int(meeting.duration.total_seconds()) // 60,
            meeting.tz,
            meeting.rrule,
            meeting.purpose,
            meeting.venue.format,
            meeting.channel_id,
            meeting.organiser_id,
            meeting.status,
            None if cancelled_at is None else epoch(cancelled_at),
            _SEAT.join(seats) if seats else None,
        )
        moved = {key: epoch(at) for key, at in meeting.moved.items()}
        return cls.read(row, tuple(sorted(meeting.skipped)), moved or None)

    def occurring(self) -> Meeting:
        """The meeting as far as its occurrences go (rule, zone, length, changes)."""
        return Meeting(
            title="",
            starts_at=from_epoch(self.starts_at),
            duration=timedelta(minutes=self.minutes),
            tz=self.tz,
            channel_id=self.channel_id,
            organiser_id="",
            rrule=self.rrule,
            id=self.id,
            number=self.number,
            skipped=frozenset(self.skipped),
            moved={key: from_epoch(at) for key, at in (self.moved or {}).items()},
        )


@dataclass(frozen=True)
class WeekParts:
    """What may have met in a window, in two parts: plain one-offs (each its own only
    occurrence) and everything else, to be expanded; read in SQL with their seats."""

    plain: list[PlainOneOff]  # held, starting in the window (from `listed_from`)
    others: list[WindowMeeting]  # series and changed one-offs that may meet in it
    # The plain one-offs before `listed_from`, summed: occurrences, minutes, and
    # attendee-minutes (minutes times Slack members).
    summed: tuple[int, int, int] = (0, 0, 0)


class Expansion:
    """Occurrences of many meetings in one window [start, end), in epoch seconds.

    `window_occurrences` for each, worked out on whole seconds of wall-clock time for a
    series whose rule repeats every so many days and that has no occurrence moved near
    the window: each wall-clock time is made an instant once per zone, and series that
    meet at the same times of the same zone (every standup at 09:00) share one expansion,
    their skips taken out after. Anything else (moves, monthly rules, a UTC UNTIL) goes
    through `window_occurrences` itself."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.start, self.end = start, end
        # Starts are whole seconds: at >= start, at < end read on the next whole seconds.
        self.low, self.high = _ceil(start), _ceil(end)
        self._zones: dict[str, tuple[int, int, ZoneInfo]] = {}
        self._instants: dict[tuple[str, int], int] = {}
        self._shared: dict[tuple, tuple[int, ...]] = {}
        self._plans: dict[tuple[str, str, int], object] = {}

    def held(self, item: WindowMeeting) -> tuple[tuple[int, ...], tuple[int, ...] | None]:
        """The starts of its occurrences starting in the window that took or will take
        place, soonest first (as `HeldMeeting.occurrences`), and their keys; None for
        the keys when they are the starts (nothing moved). Epoch seconds; tuples, which
        the cycle collector stops tracking (a digest keeps thousands)."""
        starts = keys = None
        if item.rrule is not None and not item.moved:
            plan = self._plans.get((item.rrule, item.tz, item.starts_at))
            if plan is None:
                plan = self._plan(item.rrule, item.tz, item.starts_at)
            if plan is _NOT_PERIODIC:
                pass
            elif type(plan) is tuple:  # shared: the starts of every series of that shape
                skipped = item.skipped
                starts = tuple([at for at in plan if at not in skipped]) if skipped else plan
            else:
                starts = self._expand(item.tz, *plan, item.starts_at, item.skipped)
        if starts is None:
            found = window_occurrences(item.occurring(), self.start, self.end)
            starts = tuple([epoch(o.start) for o in found])
            keys = tuple([o.key for o in found])
            if keys == starts:
                keys = None
        cancelled_at = item.cancelled_at
        if cancelled_at is None or not starts or starts[-1] < cancelled_at:
            return starts, keys
        kept = [i for i, at in enumerate(starts) if at < cancelled_at]
        return tuple([starts[i] for i in kept]), (
            None if keys is None else tuple([keys[i] for i in kept])
        )

    def _plan(self, rule_value: str, tz: str, first_start: int) -> object:
        """How to expand a series, worked out once per rule, zone and first start: the
        starts its shape shares (a tuple), its own pattern (_Pattern), or _NOT_PERIODIC."""
        pattern = _seconds_pattern(rule_value, tz, first_start)
        if pattern is None:
            plan: object = _NOT_PERIODIC
        else:
            first, period, offsets, count, until = pattern
            low, high, _ = self._zone(tz)
            # Begun before the window's first wall-clock time, and neither COUNT nor
            # UNTIL reached in it: its starts depend on its times in the zone only.
            if (
                first < low
                and (until is None or until >= high)
                and (count is None or ((high - first) // period + 1) * len(offsets) <= count)
            ):
                shape = (tz, period, offsets, first % period)
                plan = self._shared.get(shape)
                if plan is None:
                    plan = self._shared[shape] = self._expand(tz, first, period, offsets)
            else:
                plan = _Pattern(*pattern)
        self._plans[rule_value, tz, first_start] = plan
        return plan

    def _zone(self, tz: str) -> tuple[int, int, ZoneInfo]:
        """The window in the zone's wall-clock seconds, with a day of slack each side (as
        `window_occurrences` reads it), and the zone."""
        found = self._zones.get(tz)
        if found is None:
            zone = zone_of(tz)
            low = wall_clock(self.start, zone, shift=-_DAY)
            high = wall_clock(self.end, zone, shift=_DAY)
            # Wall-clock times are whole seconds too: local < low, local > high, read on
            # the next and on the last whole second.
            found = self._zones[tz] = (
                _local_seconds(low) + (1 if low.microsecond else 0),
                _local_seconds(high),
                zone,
            )
        return found

    def _expand(
        self,
        tz: str,
        first: int,
        period: int,
        offsets: tuple[int, ...],
        count: int | None = None,
        until: int | None = None,
        first_start: int | None = None,
        skipped: Collection[int] = (),
    ) -> tuple[int, ...]:
        """`window_occurrences`' loop, on seconds (a meeting with nothing moved)."""
        low_local, high_local, zone = self._zone(tz)
        instants = self._instants
        found: list[int] = []
        seen: set[int] = set()
        periods = max(0, (low_local - first) // period)
        while True:
            base = first + periods * period
            if base > high_local:
                break
            for n, offset in enumerate(offsets):
                local = base + offset
                if local < low_local or local > high_local:
                    continue
                if count is not None and periods * len(offsets) + n >= count:
                    break
                if until is not None and local > until:
                    break
                if local == first and first_start is not None:
                    at = first_start  # the first meeting is itself
                else:
                    at = instants.get((tz, local))
                    if at is None:
                        at = instants[tz, local] = _instant(local, zone)
                if at in seen:
                    continue  # two wall-clock times in one spring-forward gap
                seen.add(at)
                if at in skipped:
                    continue
                if self.low <= at < self.high:
                    found.append(at)
            periods += 1
        found.sort()
        return tuple(found)


class _Pattern(NamedTuple):
    """A series' own pattern in wall-clock seconds (_seconds_pattern)."""

    first: int
    period: int
    offsets: tuple[int, ...]
    count: int | None
    until: int | None


_NOT_PERIODIC = object()  # expanded by window_occurrences
_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)
_LOCAL_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 (wall-clock time, no zone)


def _local_seconds(local: datetime) -> int:
    return (local - _LOCAL_EPOCH) // _SECOND


def _ceil(instant: datetime) -> int:
    return epoch(instant) + (1 if instant.microsecond else 0)


def _instant(local: int, zone: ZoneInfo) -> int:
    """A wall-clock time as epoch seconds, fold=0 (recurrence._instant): the zone's offset
    for that naive time is the one `.replace(tzinfo=zone, fold=0)` would take."""
    offset = zone.utcoffset(_LOCAL_EPOCH + timedelta(seconds=local))
    return local - offset // _SECOND


@lru_cache(maxsize=8192)
def _seconds_pattern(rule_value: str, tz: str, first_start: int) -> tuple | None:
    """storage.meetings' pattern of a series (first wall-clock time, period, offsets in a
    period, COUNT, UNTIL) in whole seconds; None when it has none, or is not on seconds."""
    pattern = series_pattern(rule_value, tz, first_start)
    if pattern is None:
        return None
    first_local, period, offsets, count, until = pattern
    times = [first_local, *([until] if until is not None else [])]
    if any(t.microsecond for t in times) or any(o % _SECOND for o in (period, *offsets)):
        return None
    return (
        _local_seconds(first_local),
        period // _SECOND,
        tuple(o // _SECOND for o in offsets),
        count,
        None if until is None else _local_seconds(until),
    )
