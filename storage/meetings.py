"""Meetings and their attendees. Every query is scoped to one workspace (`team_id`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.meetings import Attendee, Meeting, MeetingDraft, Venue
from storage.db import Database


def _epoch(instant: datetime) -> int:
    return int(instant.timestamp())


def _instant(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


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
    ) -> tuple[Meeting, bool]:
        """Store a meeting; returns (meeting, created).

        With a `request_key`, the same user repeating the same request in the same
        channel within `repeat_window` gets the meeting the first request made, and
        nothing new is stored. The check and the insert share one transaction, so
        two identical requests racing each other still make one meeting.
        """
        with self.database.transaction() as db:
            if request_key is not None:
                row = db.execute(
                    "SELECT meeting_id, received_at FROM schedule_requests"
                    " WHERE team_id = ? AND user_id = ? AND channel_id = ? AND request_key = ?",
                    [team_id, draft.organiser_id, draft.channel_id, request_key],
                ).fetchone()
                if row and _epoch(now) - row[1] < repeat_window.total_seconds():
                    first = self._get_by_id(db, team_id, row[0])
                    if first is not None:
                        return first, False
            number = db.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM meetings WHERE team_id = ?", [team_id]
            ).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO meetings (team_id, number, title, starts_at, duration_min, tz,"
                " purpose, format, link, channel_id, organiser_id, status, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?)",
                [
                    team_id,
                    number,
                    draft.title,
                    _epoch(draft.starts_at),
                    int(draft.duration.total_seconds() // 60),
                    draft.tz,
                    draft.purpose,
                    draft.venue.format,
                    draft.venue.link,
                    draft.channel_id,
                    draft.organiser_id,
                    _epoch(now),
                ],
            )
            meeting_id = cursor.lastrowid
            db.conn.executemany(
                "INSERT INTO attendees (team_id, meeting_id, user_id, guest) VALUES (?, ?, ?, ?)",
                [(team_id, meeting_id, a.user_id, a.guest) for a in draft.attendees],
            )
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
                        _epoch(now),
                    ],
                )
            meeting = self._get_by_id(db, team_id, meeting_id)
            assert meeting is not None
            return meeting, True

    def get(self, team_id: str, number: int) -> Meeting | None:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT id FROM meetings WHERE team_id = ? AND number = ?", [team_id, number]
            ).fetchone()
            return self._get_by_id(db, team_id, row[0]) if row else None

    def upcoming(
        self, team_id: str, now: datetime, user_id: str | None = None, limit: int = 50
    ) -> list[Meeting]:
        """Scheduled meetings that have not ended, soonest first; with `user_id`, only
        those that user organises or attends."""
        sql = (
            "SELECT id FROM meetings m WHERE team_id = :team AND status = 'scheduled'"
            " AND starts_at + duration_min * 60 > :now"
        )
        params: dict[str, object] = {"team": team_id, "now": _epoch(now), "limit": limit}
        if user_id is not None:
            sql += (
                " AND (organiser_id = :user OR EXISTS (SELECT 1 FROM attendees a"
                " WHERE a.team_id = :team AND a.meeting_id = m.id AND a.user_id = :user))"
            )
            params["user"] = user_id
        sql += " ORDER BY starts_at, number LIMIT :limit"
        with self.database.reading() as db:
            ids = [row[0] for row in db.execute(sql, params).fetchall()]
            return [m for m in (self._get_by_id(db, team_id, i) for i in ids) if m is not None]

    def count_upcoming(self, team_id: str, now: datetime, user_id: str | None = None) -> int:
        sql = (
            "SELECT COUNT(*) FROM meetings m WHERE team_id = :team AND status = 'scheduled'"
            " AND starts_at + duration_min * 60 > :now"
        )
        params: dict[str, object] = {"team": team_id, "now": _epoch(now)}
        if user_id is not None:
            sql += (
                " AND (organiser_id = :user OR EXISTS (SELECT 1 FROM attendees a"
                " WHERE a.team_id = :team AND a.meeting_id = m.id AND a.user_id = :user))"
            )
            params["user"] = user_id
        with self.database.reading() as db:
            return db.execute(sql, params).fetchone()[0]

    def cancel(self, team_id: str, number: int, by_user: str, now: datetime) -> bool:
        """Mark a meeting cancelled; False when it was not scheduled (already cancelled)."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE meetings SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?"
                " WHERE team_id = ? AND number = ? AND status = 'scheduled'",
                [_epoch(now), by_user, team_id, number],
            )
            return cursor.rowcount == 1

    @staticmethod
    def _get_by_id(db, team_id: str, meeting_id: int) -> Meeting | None:
        row = db.execute(
            "SELECT id, team_id, number, title, starts_at, duration_min, tz, purpose, format,"
            " link, channel_id, organiser_id, status, cancelled_by"
            " FROM meetings WHERE team_id = ? AND id = ?",
            [team_id, meeting_id],
        ).fetchone()
        if row is None:
            return None
        attendees = tuple(
            Attendee(user_id=user_id, guest=guest)
            for user_id, guest in db.execute(
                "SELECT user_id, guest FROM attendees WHERE team_id = ? AND meeting_id = ?"
                " ORDER BY id",
                [team_id, meeting_id],
            ).fetchall()
        )
        return Meeting(
            id=row[0],
            team_id=row[1],
            number=row[2],
            title=row[3],
            starts_at=_instant(row[4]),
            duration=timedelta(minutes=row[5]),
            tz=row[6],
            purpose=row[7],
            venue=Venue(row[8], row[9]),
            channel_id=row[10],
            organiser_id=row[11],
            status=row[12],
            cancelled_by=row[13],
            attendees=attendees,
        )
