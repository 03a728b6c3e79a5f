"""A cache of what Slack says about people (zone, locale, admin flags), per workspace."""

from __future__ import annotations

from datetime import datetime

from entities.instants import epoch
from entities.people import Person
from storage.db import Database


class PeopleStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, team_id: str, user_id: str) -> Person | None:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT team_id, user_id, name, tz, locale, is_admin, is_owner, fetched_at"
                " FROM people WHERE team_id = ? AND user_id = ?",
                [team_id, user_id],
            ).fetchone()
        if row is None:
            return None
        return Person(*row[:5], is_admin=bool(row[5]), is_owner=bool(row[6]), fetched_at=row[7])

    def save(self, person: Person, fetched: datetime) -> Person:
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO people (team_id, user_id, name, tz, locale, is_admin,"
                " is_owner, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    person.team_id,
                    person.user_id,
                    person.name,
                    person.tz,
                    person.locale,
                    int(person.is_admin),
                    int(person.is_owner),
                    epoch(fetched),
                ],
            )
        return Person(**{**person.__dict__, "fetched_at": epoch(fetched)})
