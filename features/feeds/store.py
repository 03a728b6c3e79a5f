"""The SQL of the calendar feeds."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime

from entities.instants import epoch
from storage.db import Database


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def key(self) -> bytes:
        """The database's half of the link key, drawn once."""
        with self.database.transaction(bookkeeping=True) as db:
            db.execute(
                "INSERT OR IGNORE INTO calendar_feed_key (id, key) VALUES (1, ?)",
                [secrets.token_hex(32)],
            )
            (key,) = db.execute("SELECT key FROM calendar_feed_key WHERE id = 1").fetchone()
        return bytes.fromhex(key)

    def issue(self, team_id: str, user_id: str, now: datetime, derive: Callable[[str], str]) -> str:
        """This person's link token (derived from their nonce, drawn on first asking), its
        hash remembered in the same transaction, so a link shown is a link that works."""
        with self.database.transaction() as db:
            return _issue(db, team_id, user_id, now, derive)

    def owner(self, token: str) -> tuple[str, str] | None:
        """(team, user) of a link handed out and not reset since, else None."""
        with self.database.reading() as db:
            row = db.execute(
                "SELECT team_id, user_id FROM calendar_feed_links WHERE token_hash = ?",
                [hashed(token)],
            ).fetchone()
        return (row[0], row[1]) if row else None

    def reset(
        self, team_id: str, user_id: str, now: datetime, derive: Callable[[str], str]
    ) -> tuple[str, int]:
        """Every link of this person stops working and a new one is issued, in one
        transaction. Returns the new token and how many links were turned off."""
        with self.database.transaction() as db:
            gone = db.execute(
                "DELETE FROM calendar_feed_links WHERE team_id = ? AND user_id = ?",
                [team_id, user_id],
            ).rowcount
            db.execute(
                "DELETE FROM calendar_feeds WHERE team_id = ? AND user_id = ?",
                [team_id, user_id],
            )
            return _issue(db, team_id, user_id, now, derive), gone

    def forget(self, team_id: str, user_id: str) -> int:
        with self.database.transaction() as db:
            return sum(
                db.execute(
                    f"DELETE FROM {table} WHERE team_id = ? AND user_id = ?",
                    [team_id, user_id],
                ).rowcount
                for table in ("calendar_feed_links", "calendar_feeds")
            )


def _issue(db, team_id: str, user_id: str, now: datetime, derive: Callable[[str], str]) -> str:
    db.execute(
        "INSERT OR IGNORE INTO calendar_feeds (team_id, user_id, nonce, created_at)"
        " VALUES (?, ?, ?, ?)",
        [team_id, user_id, secrets.token_hex(16), epoch(now)],
    )
    (nonce,) = db.execute(
        "SELECT nonce FROM calendar_feeds WHERE team_id = ? AND user_id = ?",
        [team_id, user_id],
    ).fetchone()
    token = derive(nonce)
    db.execute(
        "INSERT OR IGNORE INTO calendar_feed_links"
        " (token_hash, team_id, user_id, created_at) VALUES (?, ?, ?, ?)",
        [hashed(token), team_id, user_id, epoch(now)],
    )
    return token
