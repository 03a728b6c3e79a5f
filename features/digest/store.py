"""The digest's queries: agendas of a week, and who gets the digest by DM. Every one is
scoped to one workspace (`team_id`). The meetings of a week come from storage/windows.py."""

from __future__ import annotations

import json

from storage.db import Database


class DigestStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- agendas ------------------------------------------------------------------------

    def prompted_without_agenda(
        self, team_id: str, occurrences: set[tuple[int, int]]
    ) -> set[tuple[int, int]]:
        """Of these (meeting id, occurrence key) pairs, those whose agenda prompt was sent
        while the occurrence had no agenda item yet."""
        if not occurrences:
            return set()
        keys = [key for _, key in occurrences]
        return self.prompted_without_agenda_between(team_id, min(keys), max(keys)) & occurrences

    def prompted_without_agenda_between(
        self, team_id: str, low: int, high: int
    ) -> set[tuple[int, int]]:
        """The (meeting id, occurrence key) pairs with a key in [low, high] whose agenda
        prompt was sent while the occurrence had no agenda item yet."""
        # `+d.state`: not through the (state, due_at) index, which holds every post of
        # every workspace ever sent; the workspace's agenda prompts, by their keys.
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT d.meeting_id, d.occurrence FROM deliveries d"
                " WHERE d.team_id = :team AND d.kind = 'agenda' AND +d.state = 'sent'"
                " AND d.occurrence BETWEEN :low AND :high"
                " AND NOT EXISTS (SELECT 1 FROM agenda_items a WHERE a.team_id = :team"
                "  AND a.meeting_id = d.meeting_id AND a.occurrence = d.occurrence"
                "  AND a.created_at <= d.sent_at)",
                {"team": team_id, "low": low, "high": high},
            ).fetchall()
        return {(meeting_id, key) for meeting_id, key in rows}

    def agenda_counts(self, team_id: str, meeting_ids: list[int]) -> dict[int, int]:
        """How many agenda items each meeting has had, over all its occurrences."""
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT meeting_id, COUNT(*) AS items FROM agenda_items WHERE team_id = ?"
                    " AND meeting_id IN (SELECT value FROM json_each(?)) GROUP BY meeting_id",
                    [team_id, json.dumps(meeting_ids)],
                )
            )
        return {r["meeting_id"]: r["items"] for r in rows}

    # -- who gets the digest by DM ------------------------------------------------------

    def recipient_numbers(self, team_id: str, user_ids: list[str]) -> dict[str, int]:
        """Each person's stable recipient number in this workspace (made on first use)."""
        if not user_ids:
            return {}
        with self.database.transaction() as db:
            db.conn.executemany(
                "INSERT OR IGNORE INTO digest_recipients (team_id, user_id) VALUES (?, ?)",
                [(team_id, u) for u in user_ids],
            )
            rows = list(
                db.query(
                    "SELECT user_id, id FROM digest_recipients WHERE team_id = ?"
                    " AND user_id IN (SELECT value FROM json_each(?))",
                    [team_id, json.dumps(user_ids)],
                )
            )
        return {r["user_id"]: r["id"] for r in rows}

    def recipient(self, team_id: str, number: int) -> str | None:
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT user_id FROM digest_recipients WHERE team_id = ? AND id = ?",
                    [team_id, number],
                )
            )
        return rows[0]["user_id"] if rows else None

    def all_recipient_numbers(self, team_id: str) -> list[int]:
        with self.database.reading() as db:
            rows = db.query(
                "SELECT id FROM digest_recipients WHERE team_id = ? ORDER BY id", [team_id]
            )
            return [r["id"] for r in rows]
