"""Meetings in a window of time: the one query for it.
Every one is scoped to one workspace (`team_id`).

`WindowStore.meetings_in_window` is how anything learns which meetings may have an
occurrence in [start, end): the digest's figures, the CSV export and App Home's hours all
read it, so they never disagree about what happened in a week.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from entities.instants import epoch, from_epoch
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from storage.db import Database, named
from storage.meetings import MeetingStore, load_meetings, window_occurrences


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
