"""A cache of what Slack says about people (zone, locale, admin flags), per workspace."""

from __future__ import annotations

from datetime import datetime

from entities.instants import epoch
from entities.people import Person
from storage.db import Database, named_one


class PeopleStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, team_id: str, user_id: str) -> Person | None:
        with self.database.reading() as db:
            row = named_one(
                db.execute(
                    "SELECT team_id, user_id, name, tz, locale, is_admin, is_owner, fetched_at,"
                    " (SELECT value FROM person_settings s WHERE s.team_id = people.team_id"
                    "   AND s.user_id = people.user_id AND s.key = 'language') AS language"
                    " FROM people WHERE team_id = ? AND user_id = ?",
                    [team_id, user_id],
                )
            )
        if row is None:
            return None
        return Person(
            team_id=row["team_id"],
            user_id=row["user_id"],
            name=row["name"],
            tz=row["tz"],
            locale=row["locale"],
            is_admin=bool(row["is_admin"]),
            is_owner=bool(row["is_owner"]),
            fetched_at=row["fetched_at"],
            language=row["language"],
        )

    def language(self, team_id: str, user_id: str) -> str | None:
        """Their own choice of language, known even before their users.info is cached."""
        with self.database.reading() as db:
            row = db.execute(
                "SELECT value FROM person_settings WHERE team_id = ? AND user_id = ?"
                " AND key = 'language'",
                [team_id, user_id],
            ).fetchone()
        return row[0] if row else None

    def set_language(self, team_id: str, user_id: str, language: str | None) -> None:
        """Their own language from now on (None: back to Slack's, else the workspace's)."""
        with self.database.transaction() as db:
            db.execute(
                "DELETE FROM person_settings WHERE team_id = ? AND user_id = ?"
                " AND key = 'language'",
                [team_id, user_id],
            )
            if language is not None:
                db.execute(
                    "INSERT INTO person_settings (team_id, user_id, key, value)"
                    " VALUES (?, ?, 'language', ?)",
                    [team_id, user_id, language],
                )

    def save(self, person: Person, fetched: datetime) -> Person:
        with self.database.transaction(bookkeeping=True) as db:
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
        return Person(
            **{
                **person.__dict__,
                "fetched_at": epoch(fetched),
                "language": self.language(person.team_id, person.user_id),
            }
        )
