"""Agenda items, each belonging to one occurrence of a meeting."""

from __future__ import annotations

from datetime import datetime

from entities.agenda import AgendaItem
from entities.instants import epoch
from storage.db import Database


class AgendaStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def add(
        self, team_id: str, meeting_id: int, occurrence: int, text: str, author: str, now: datetime
    ) -> AgendaItem:
        with self.database.transaction() as db:
            return add_item(db, team_id, meeting_id, occurrence, text, author, now)

    def items(self, team_id: str, meeting_id: int, occurrence: int) -> list[AgendaItem]:
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT id, text, author_id FROM agenda_items WHERE team_id = ?"
                " AND meeting_id = ? AND occurrence = ? ORDER BY id",
                [team_id, meeting_id, occurrence],
            ).fetchall()
        return [AgendaItem(*row) for row in rows]


def add_item(
    db, team_id: str, meeting_id: int, occurrence: int, text: str, author: str, now: datetime
) -> AgendaItem:
    """`AgendaStore.add` inside a transaction the caller holds, for a change that adds
    agenda items with the rest of it (a saved outcome carrying items over)."""
    cursor = db.execute(
        "INSERT INTO agenda_items (team_id, meeting_id, occurrence, text, author_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [team_id, meeting_id, occurrence, text, author, epoch(now)],
    )
    return AgendaItem(cursor.lastrowid, text, author)
