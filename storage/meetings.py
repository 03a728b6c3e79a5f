"""Meetings and their attendees. Every query is scoped to one workspace (`team_id`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from entities.deliveries import ANNOUNCE, Planned
from entities.instants import epoch, from_epoch
from entities.meetings import Attendee, Meeting, MeetingDraft, Venue
from entities.recurrence import Occurrence
from storage.db import Database, named_one
from storage.deliveries import add_notice, plan_rows

# No meeting lasts longer (bot/when.py MAX_DURATION): a lower bound on starts_at for the
# meetings still under way lets SQLite range-scan its (team_id, status, starts_at) index.
LONGEST_MEETING_S = 8 * 3600


def _minutes(lead: timedelta | None) -> int | None:
    return None if lead is None else int(lead.total_seconds() // 60)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _lead(minutes: int | None) -> timedelta | None:
    return None if minutes is None else timedelta(minutes=minutes)


# The columns `meeting_from_row` reads.
MEETING_COLUMNS = (
    "id, team_id, number, title, starts_at, duration_min, tz, purpose, format, link,"
    " channel_id, organiser_id, status, cancelled_by, rrule, agenda_lead_min,"
    " reminder_lead_min, outcome_prompt"
)


def meeting_from_row(row: Mapping, attendees, skipped, moved) -> Meeting:
    """A Meeting from a MEETING_COLUMNS row, its attendees and its occurrence changes."""
    return Meeting(
        id=row["id"],
        team_id=row["team_id"],
        number=row["number"],
        title=row["title"],
        starts_at=from_epoch(row["starts_at"]),
        duration=timedelta(minutes=row["duration_min"]),
        tz=row["tz"],
        purpose=row["purpose"],
        venue=Venue(row["format"], row["link"]),
        channel_id=row["channel_id"],
        organiser_id=row["organiser_id"],
        status=row["status"],
        cancelled_by=row["cancelled_by"],
        rrule=row["rrule"],
        agenda_lead=_lead(row["agenda_lead_min"]),
        reminder_lead=_lead(row["reminder_lead_min"]),
        outcome_prompt=None if row["outcome_prompt"] is None else bool(row["outcome_prompt"]),
        attendees=tuple(attendees),
        skipped=frozenset(skipped),
        moved=dict(moved),
    )


def add_attendees(db, team_id: str, meeting_id: int, attendees) -> None:
    db.conn.executemany(
        "INSERT INTO attendees (team_id, meeting_id, user_id, guest, email) VALUES (?, ?, ?, ?, ?)",
        [(team_id, meeting_id, a.user_id, a.guest, a.email) for a in attendees],
    )


class MeetingStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def create(
        self,
        team_id: str,
        draft: MeetingDraft,
        now: datetime,
        request_key: str | None = None,
        repeat_window: timedelta = timedelta(minutes=2),
        announce: bool = False,
    ) -> tuple[Meeting, bool]:
        """Store a meeting; returns (meeting, created).

        With a `request_key`, the same user repeating the same request in the same
        channel within `repeat_window` gets the meeting the first request made, and
        nothing new is stored. The check and the insert share one transaction, so
        two identical requests racing each other still make one meeting.
        """
        with self.database.transaction() as db:
            if request_key is not None:
                row = named_one(
                    db.execute(
                        "SELECT meeting_id, received_at FROM schedule_requests WHERE team_id = ?"
                        " AND user_id = ? AND channel_id = ? AND request_key = ?",
                        [team_id, draft.organiser_id, draft.channel_id, request_key],
                    )
                )
                if row and epoch(now) - row["received_at"] < repeat_window.total_seconds():
                    first = self._get_by_id(db, team_id, row["meeting_id"])
                    if first is not None:
                        return first, False
            number = db.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM meetings WHERE team_id = ?", [team_id]
            ).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO meetings (team_id, number, title, starts_at, duration_min, tz,"
                " purpose, format, link, channel_id, organiser_id, status, created_at, rrule,"
                " agenda_lead_min, reminder_lead_min, outcome_prompt)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?)",
                [
                    team_id,
                    number,
                    draft.title,
                    epoch(draft.starts_at),
                    int(draft.duration.total_seconds() // 60),
                    draft.tz,
                    draft.purpose,
                    draft.venue.format,
                    draft.venue.link,
                    draft.channel_id,
                    draft.organiser_id,
                    epoch(now),
                    draft.rrule,
                    _minutes(draft.agenda_lead),
                    _minutes(draft.reminder_lead),
                    _flag(draft.outcome_prompt),
                ],
            )
            meeting_id = cursor.lastrowid
            add_attendees(db, team_id, meeting_id, draft.attendees)
            if announce:  # the channel's announcement, stored with the meeting
                plan_rows(db, [Planned(team_id, ANNOUNCE, meeting_id, 0, now)], now)
            if request_key is not None:
                db.execute(
                    "INSERT OR REPLACE INTO schedule_requests (team_id, user_id, channel_id,"
                    " request_key, meeting_id, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        team_id,
                        draft.organiser_id,
                        draft.channel_id,
                        request_key,
                        meeting_id,
                        epoch(now),
                    ],
                )
            meeting = self._get_by_id(db, team_id, meeting_id)
            assert meeting is not None
            return meeting, True

    def get(self, team_id: str, number: int) -> Meeting | None:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT id FROM meetings WHERE team_id = ? AND number = ? AND edited_into IS NULL",
                [team_id, number],
            ).fetchone()
            return self._get_by_id(db, team_id, row[0]) if row else None

    # Who a meeting belongs to, for "mine": its organiser or a Slack-member attendee.
    _MINE = (
        " AND (organiser_id = :user OR EXISTS (SELECT 1 FROM attendees a"
        " WHERE a.team_id = :team AND a.meeting_id = m.id AND a.user_id = :user))"
    )
    # A one-off meeting never moved: its next occurrence is its start, so SQL can order it.
    _PLAIN = (
        " rrule IS NULL AND NOT EXISTS (SELECT 1 FROM occurrence_changes c"
        " WHERE c.meeting_id = m.id)"
    )

    def upcoming(
        self,
        team_id: str,
        now: datetime,
        user_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[tuple[Meeting, Occurrence]]:
        """Scheduled meetings with an occurrence that has not ended, by their next
        occurrence; with `user_id`, only those that user organises or attends; `limit=0`
        for all; `offset` skips that many first (a page of `list`). Plain one-offs are
        ordered and cut in SQL (LIMIT/OFFSET, by their ids only), so only the page's
        meetings are read; series and moved meetings are expanded here, so a workspace
        with many meetings stays fast."""
        params: dict[str, object] = {
            "team": team_id,
            "now": epoch(now),
            "user": user_id,
            "longest": LONGEST_MEETING_S,
        }
        mine = self._MINE if user_id is not None else ""
        others_sql = (
            "SELECT id FROM meetings m WHERE team_id = :team AND status = 'scheduled'"
            " AND NOT (" + self._PLAIN + ")" + mine + " ORDER BY id"
        )
        offset = max(0, offset) if limit else 0
        with self.database.reading() as db:
            others: list[tuple[tuple[int, int], Meeting, Occurrence]] = []
            for (meeting_id,) in db.execute(others_sql, params).fetchall():
                meeting = self._get_by_id(db, team_id, meeting_id)
                occurrence = meeting.next_occurrence(now) if meeting else None
                if meeting is not None and occurrence is not None:
                    others.append(((epoch(occurrence.start), meeting.number), meeting, occurrence))
            others.sort(key=lambda other: other[0])
            # Whatever comes before the page holds at most len(others) of them, so the
            # page's plain one-offs are at least `offset - len(others)` into theirs.
            skip = max(0, offset - len(others))
            plain_sql = (
                "SELECT id, starts_at, number FROM meetings m WHERE team_id = :team"
                " AND status = 'scheduled' AND" + self._PLAIN + " AND starts_at > :now - :longest"
                " AND starts_at + duration_min * 60 > :now"
                + mine
                + " ORDER BY starts_at, number"
                + (" LIMIT :take OFFSET :skip" if limit else "")
            )
            take = {"take": offset + limit - skip, "skip": skip}
            plain = [
                ((row[1], row[2]), row[0]) for row in db.execute(plain_sql, {**params, **take})
            ]
            if skip and not plain:
                return []  # fewer than `offset` meetings in all: past the end
            if skip:
                # A meeting of the others before the first plain one read is before the
                # page too (at most skip + len(others) - 1 come before it); the rest have
                # every skipped one-off and every dropped meeting before them.
                dropped = sum(1 for other in others if other[0] < plain[0][0])
                others = others[dropped:]
                start = offset - skip - dropped
            else:
                start = offset
            merged = sorted(
                [(key, meeting_id, None) for key, meeting_id in plain]
                + [(key, meeting.id, (meeting, occurrence)) for key, meeting, occurrence in others]
            )
            chosen = merged[start : start + limit] if limit else merged
            found = []
            for _key, meeting_id, known in chosen:
                if known is None:
                    meeting = self._get_by_id(db, team_id, meeting_id)
                    occurrence = meeting.next_occurrence(now) if meeting else None
                    known = (meeting, occurrence) if meeting and occurrence else None
                if known is not None:
                    found.append(known)
        return found

    def count_upcoming(self, team_id: str, now: datetime, user_id: str | None = None) -> int:
        """How many meetings `upcoming` would list without a limit."""
        params: dict[str, object] = {
            "team": team_id,
            "now": epoch(now),
            "user": user_id,
            "longest": LONGEST_MEETING_S,
        }
        mine = self._MINE if user_id is not None else ""
        with self.database.reading() as db:
            plain = db.execute(
                "SELECT COUNT(*) FROM meetings m WHERE team_id = :team AND status = 'scheduled'"
                " AND" + self._PLAIN + " AND starts_at > :now - :longest"
                " AND starts_at + duration_min * 60 > :now" + mine,
                params,
            ).fetchone()[0]
            other_ids = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM meetings m WHERE team_id = :team AND status = 'scheduled'"
                    " AND NOT (" + self._PLAIN + ")" + mine,
                    params,
                )
            ]
            others = [self._get_by_id(db, team_id, i) for i in other_ids]
        return plain + sum(1 for m in others if m and m.next_occurrence(now) is not None)

    def active(self, team_id: str, now: datetime, user_id: str | None = None) -> list[Meeting]:
        """Scheduled meetings that may still have an occurrence ahead: series, one-offs
        that have not ended, and one-offs moved later."""
        sql = (
            "SELECT id FROM meetings m WHERE team_id = :team AND status = 'scheduled' AND ("
            " rrule IS NOT NULL OR starts_at + duration_min * 60 > :now OR EXISTS ("
            "  SELECT 1 FROM occurrence_changes c WHERE c.meeting_id = m.id"
            "  AND c.moved_to + m.duration_min * 60 > :now))"
        )
        params: dict[str, object] = {"team": team_id, "now": epoch(now)}
        if user_id is not None:
            sql += (
                " AND (organiser_id = :user OR EXISTS (SELECT 1 FROM attendees a"
                " WHERE a.team_id = :team AND a.meeting_id = m.id AND a.user_id = :user))"
            )
            params["user"] = user_id
        with self.database.reading() as db:
            ids = [row[0] for row in db.execute(sql + " ORDER BY id", params).fetchall()]
            return [m for m in (self._get_by_id(db, team_id, i) for i in ids) if m is not None]

    def needing_plan(
        self, now: datetime, threshold: datetime, team_id: str | None = None
    ) -> list[Meeting]:
        """Meetings (of one workspace, or all) whose delivery rows end before `threshold`."""
        sql = (
            "SELECT team_id, id FROM meetings m WHERE status = 'scheduled'"
            " AND (:team IS NULL OR team_id = :team)"
            " AND (planned_until IS NULL OR planned_until < :threshold) AND ("
            " rrule IS NOT NULL OR starts_at > :now OR EXISTS ("
            "  SELECT 1 FROM occurrence_changes c WHERE c.meeting_id = m.id"
            "  AND c.moved_to > :now)) ORDER BY id"
        )
        params = {"now": epoch(now), "threshold": epoch(threshold), "team": team_id}
        with self.database.reading() as db:
            rows = db.execute(sql, params).fetchall()
            found = (self._get_by_id(db, team, i) for team, i in rows)
            return [m for m in found if m is not None]

    def set_planned_until(self, team_id: str, reaches: list[tuple[int, datetime]]) -> None:
        """Record, for (meeting id, until) pairs, how far their delivery rows reach."""
        with self.database.transaction(bookkeeping=True) as db:
            db.conn.executemany(
                "UPDATE meetings SET planned_until = ? WHERE team_id = ? AND id = ?",
                [(epoch(until), team_id, meeting_id) for meeting_id, until in reaches],
            )

    def by_request(
        self, team_id: str, user_id: str, channel_id: str, request_key: str
    ) -> Meeting | None:
        """The meeting that a schedule request (by its key) stored."""
        with self.database.reading() as db:
            row = named_one(
                db.execute(
                    "SELECT meeting_id FROM schedule_requests WHERE team_id = ? AND user_id = ?"
                    " AND channel_id = ? AND request_key = ?",
                    [team_id, user_id, channel_id, request_key],
                )
            )
        return self.by_id(team_id, row["meeting_id"]) if row else None

    def by_id(self, team_id: str, meeting_id: int) -> Meeting | None:
        with self.database.reading() as db:
            return self._get_by_id(db, team_id, meeting_id)

    def change_occurrence(
        self,
        team_id: str,
        meeting_id: int,
        occurrence: int,
        by_user: str,
        now: datetime,
        skipped: bool = False,
        moved_to: datetime | None = None,
        notice: str | None = None,
        duration: timedelta | None = None,
    ) -> int | None:
        """Skip one occurrence, or move it (its key stays its original start). A
        `duration` is the meeting's new length, set in the same transaction (a one-off
        moved to a range). With a `notice` (its payload), the channel's notice is stored
        with the change; returns its number."""
        with self.database.transaction() as db:
            if duration is not None:
                db.execute(
                    "UPDATE meetings SET duration_min = ? WHERE team_id = ? AND id = ?",
                    [int(duration.total_seconds() // 60), team_id, meeting_id],
                )
            db.execute(
                "INSERT OR REPLACE INTO occurrence_changes (team_id, meeting_id, occurrence,"
                " skipped, moved_to, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    team_id,
                    meeting_id,
                    occurrence,
                    int(skipped),
                    epoch(moved_to) if moved_to else None,
                    by_user,
                    epoch(now),
                ],
            )
            return add_notice(db, team_id, meeting_id, notice, now) if notice else None

    def edit(
        self,
        team_id: str,
        meeting_id: int,
        changed: MeetingDraft,
        by_user: str,
        now: datetime,
        keep_past_before: datetime | None = None,
        moved: tuple[int, datetime] | None = None,
        notice: str | None = None,
    ) -> int | bool:
        """Change a scheduled meeting to `changed` (its number, RSVPs and agenda stay), in
        one transaction; False when it is no longer scheduled.

        `keep_past_before`, for a series already under way, is the original start of its
        next occurrence: the occurrences before it are kept as they were in a row of their
        own (`edited_into` this meeting, cancelled at that instant, so they count as held
        and nothing more), and the series goes on from there. `moved` moves a one-off's
        occurrence (key, new start). With a `notice`, the channel's notice is stored with
        the change and its number returned."""
        with self.database.transaction() as db:
            if keep_past_before is not None:
                cut = epoch(keep_past_before)
                past = db.execute(
                    "INSERT INTO meetings (team_id, number, title, starts_at, duration_min, tz,"
                    " purpose, format, link, channel_id, organiser_id, status, created_at,"
                    " cancelled_at, cancelled_by, rrule, agenda_lead_min, reminder_lead_min,"
                    " outcome_prompt, planned_until, edited_into)"
                    " SELECT team_id, number, title, starts_at, duration_min, tz, purpose, format,"
                    " link, channel_id, organiser_id, 'cancelled', created_at, ?, ?, rrule,"
                    " agenda_lead_min, reminder_lead_min, outcome_prompt, planned_until, id"
                    " FROM meetings WHERE team_id = ? AND id = ? AND status = 'scheduled'",
                    [cut, by_user, team_id, meeting_id],
                )
                if past.rowcount != 1:
                    return False
                db.execute(
                    "INSERT INTO attendees (team_id, meeting_id, user_id, guest, email)"
                    " SELECT team_id, ?, user_id, guest, email FROM attendees"
                    " WHERE team_id = ? AND meeting_id = ?",
                    [past.lastrowid, team_id, meeting_id],
                )
                db.execute(
                    "UPDATE occurrence_changes SET meeting_id = ?"
                    " WHERE team_id = ? AND meeting_id = ? AND occurrence < ?",
                    [past.lastrowid, team_id, meeting_id, cut],
                )
            cursor = db.execute(
                "UPDATE meetings SET title = ?, starts_at = ?, duration_min = ?, purpose = ?,"
                " format = ?, link = ?, agenda_lead_min = ?, reminder_lead_min = ?,"
                " outcome_prompt = ? WHERE team_id = ? AND id = ? AND status = 'scheduled'",
                [
                    changed.title,
                    epoch(keep_past_before or changed.starts_at),
                    int(changed.duration.total_seconds() // 60),
                    changed.purpose,
                    changed.venue.format,
                    changed.venue.link,
                    _minutes(changed.agenda_lead),
                    _minutes(changed.reminder_lead),
                    _flag(changed.outcome_prompt),
                    team_id,
                    meeting_id,
                ],
            )
            if cursor.rowcount != 1:
                return False
            db.execute(
                "DELETE FROM attendees WHERE team_id = ? AND meeting_id = ?", [team_id, meeting_id]
            )
            add_attendees(db, team_id, meeting_id, changed.attendees)
            if moved is not None:
                key, new_start = moved
                db.execute(
                    "INSERT OR REPLACE INTO occurrence_changes (team_id, meeting_id, occurrence,"
                    " skipped, moved_to, changed_by, changed_at) VALUES (?, ?, ?, 0, ?, ?, ?)",
                    [team_id, meeting_id, key, epoch(new_start), by_user, epoch(now)],
                )
            if notice:
                return add_notice(db, team_id, meeting_id, notice, now)
            return True

    def cancel(
        self,
        team_id: str,
        number: int,
        by_user: str,
        now: datetime,
        notice: str | None = None,
        meeting_id: int | None = None,
    ) -> int | bool:
        """Mark a meeting cancelled; False when it was not scheduled (already cancelled).
        With a `notice` (and the meeting's id), the channel's notice is stored with the
        change and its number returned; else True."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE meetings SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?"
                " WHERE team_id = ? AND number = ? AND status = 'scheduled'"
                " AND edited_into IS NULL",
                [epoch(now), by_user, team_id, number],
            )
            if cursor.rowcount != 1:
                return False
            if notice and meeting_id is not None:
                return add_notice(db, team_id, meeting_id, notice, now)
            return True

    @staticmethod
    def _get_by_id(db, team_id: str, meeting_id: int) -> Meeting | None:
        row = named_one(
            db.execute(
                f"SELECT {MEETING_COLUMNS} FROM meetings WHERE team_id = ? AND id = ?",
                [team_id, meeting_id],
            )
        )
        if row is None:
            return None
        attendees = tuple(
            Attendee(user_id=user_id, guest=guest, email=email)
            for user_id, guest, email in db.execute(
                "SELECT user_id, guest, email FROM attendees WHERE team_id = ? AND meeting_id = ?"
                " ORDER BY id",
                [team_id, meeting_id],
            ).fetchall()
        )
        skipped: set[int] = set()
        moved: dict[int, datetime] = {}
        for occurrence, was_skipped, moved_to in db.execute(
            "SELECT occurrence, skipped, moved_to FROM occurrence_changes"
            " WHERE team_id = ? AND meeting_id = ?",
            [team_id, meeting_id],
        ).fetchall():
            if was_skipped:
                skipped.add(occurrence)
            elif moved_to is not None:
                moved[occurrence] = from_epoch(moved_to)
        return meeting_from_row(row, attendees, skipped, moved)
