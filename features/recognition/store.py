"""Shout-outs, wins and the team goal: every query filters on the workspace (team_id).

Rules that must hold under concurrent requests (the daily shout-out limit, "the same
request twice is recorded once") are checked and written in one BEGIN IMMEDIATE
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from entities.instants import epoch, from_epoch
from features.recognition.records import GiveResult, Goal, Place, Shoutout, Win
from storage.db import Database


class RecognitionStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- shout-outs -------------------------------------------------------------------
    def give(
        self,
        team_id: str,
        giver_id: str,
        recipients: Sequence[str],
        reason: str,
        channel_id: str,
        request_key: str,
        now: datetime,
        day: tuple[datetime, datetime],
        limit: int,
        repeat_since: datetime,
    ) -> GiveResult:
        """Record one shout-out per recipient, unless it repeats one given since
        `repeat_since` or would take the giver over `limit` within `day`."""
        day_start, day_end = day
        with self.database.transaction() as db:
            repeat = list(
                db.query(
                    "SELECT 1 FROM shoutouts WHERE team_id = ? AND giver_id = ?"
                    " AND request_key = ? AND created_at >= ? LIMIT 1",
                    [team_id, giver_id, request_key, epoch(repeat_since)],
                )
            )
            if repeat:
                return GiveResult(False, repeat=True)
            (counted,) = db.query(
                "SELECT COUNT(*) AS given FROM shoutouts WHERE team_id = ? AND giver_id = ?"
                " AND created_at >= ? AND created_at < ?",
                [team_id, giver_id, epoch(day_start), epoch(day_end)],
            )
            given = counted["given"]
            if given + len(recipients) > limit:
                return GiveResult(False, given_today=given)
            db.conn.executemany(
                "INSERT INTO shoutouts (team_id, giver_id, recipient_id, reason, channel_id,"
                " request_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (team_id, giver_id, r, reason, channel_id, request_key, epoch(now))
                    for r in recipients
                ],
            )
        return GiveResult(True, given_today=given)

    def shoutouts(self, team_id: str, start: datetime, end: datetime) -> list[Shoutout]:
        """Shout-outs given in [start, end), oldest first."""
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT id, giver_id, recipient_id, reason, created_at FROM shoutouts"
                    " WHERE team_id = ? AND created_at >= ? AND created_at < ?"
                    " ORDER BY created_at, id",
                    [team_id, epoch(start), epoch(end)],
                )
            )
        return [Shoutout(**{**r, "created_at": from_epoch(r["created_at"])}) for r in rows]

    # -- wins -------------------------------------------------------------------------
    def log_win(
        self,
        team_id: str,
        user_id: str,
        logged_by: str,
        amount_cents: int,
        currency: str,
        note: str,
        channel_id: str,
        request_key: str,
        now: datetime,
        repeat_since: datetime,
    ) -> Win | None:
        """Record a win; None when the same person logged the same win since `repeat_since`."""
        with self.database.transaction() as db:
            repeat = list(
                db.query(
                    "SELECT 1 FROM wins WHERE team_id = ? AND logged_by = ? AND request_key = ?"
                    " AND created_at >= ? LIMIT 1",
                    [team_id, logged_by, request_key, epoch(repeat_since)],
                )
            )
            if repeat:
                return None
            cursor = db.execute(
                "INSERT INTO wins (team_id, user_id, logged_by, amount_cents, currency, note,"
                " channel_id, request_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    team_id,
                    user_id,
                    logged_by,
                    amount_cents,
                    currency,
                    note,
                    channel_id,
                    request_key,
                    epoch(now),
                ],
            )
            return Win(cursor.lastrowid, user_id, logged_by, amount_cents, currency, note, now)

    def wins(self, team_id: str, start: datetime, end: datetime) -> list[Win]:
        """Wins logged in [start, end), oldest first."""
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT id, user_id, logged_by, amount_cents, currency, note, created_at"
                    " FROM wins WHERE team_id = ? AND created_at >= ? AND created_at < ?"
                    " ORDER BY created_at, id",
                    [team_id, epoch(start), epoch(end)],
                )
            )
        return [Win(**{**r, "created_at": from_epoch(r["created_at"])}) for r in rows]

    # -- the team goal ----------------------------------------------------------------
    def set_goal(
        self, team_id: str, amount_cents: int, currency: str, period: str, by: str, now: datetime
    ) -> Goal:
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO team_goals (team_id, amount_cents, currency, period,"
                " set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)",
                [team_id, amount_cents, currency, period, by, epoch(now)],
            )
        return Goal(amount_cents, currency, period, by, now)

    def clear_goal(self, team_id: str) -> bool:
        with self.database.transaction() as db:
            return db.execute("DELETE FROM team_goals WHERE team_id = ?", [team_id]).rowcount == 1

    def goal(self, team_id: str) -> Goal | None:
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT amount_cents, currency, period, set_by, set_at FROM team_goals"
                    " WHERE team_id = ?",
                    [team_id],
                )
            )
        return Goal(**{**rows[0], "set_at": from_epoch(rows[0]["set_at"])}) if rows else None

    # -- where recognition happens ----------------------------------------------------
    def touch(self, team_id: str, user_id: str, channel_id: str | None, now: datetime) -> None:
        """Remember the last person (and, when given, channel) of recognition."""
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO recognition_places (team_id, channel_id, user_id, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (team_id) DO UPDATE SET"
                " channel_id = COALESCE(excluded.channel_id, channel_id),"
                " user_id = excluded.user_id, updated_at = excluded.updated_at",
                [team_id, channel_id, user_id, epoch(now)],
            )

    def place(self, team_id: str) -> Place | None:
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT channel_id, user_id FROM recognition_places WHERE team_id = ?",
                    [team_id],
                )
            )
        return Place(**rows[0]) if rows else None

    def teams(self) -> list[str]:
        """Workspaces with any recognition data: every shout-out, win and goal also touches
        `recognition_places`, so one small table answers (no scan of the big ones)."""
        with self.database.reading() as db:
            rows = db.query("SELECT team_id FROM recognition_places ORDER BY team_id")
            return [r["team_id"] for r in rows]
