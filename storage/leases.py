"""A lease in the database: which process schedules timed posts right now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from entities.instants import epoch
from storage.db import Database


class LeaseStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def acquire(
        self,
        name: str,
        holder: str,
        now: datetime,
        ttl: timedelta,
        gone: Callable[[str], bool] | None = None,
    ) -> bool:
        """Take or renew the lease; False while another holder's lease is unexpired,
        unless `gone(holder)` says that holder's process no longer runs."""
        now_s, until = epoch(now), epoch(now + ttl)
        with self.database.transaction(bookkeeping=True) as db:
            row = db.execute("SELECT holder, expires_at FROM leases WHERE name = ?", [name])
            current = row.fetchone()
            alive = current and not (gone is not None and gone(current[0]))
            if current and current[0] != holder and current[1] > now_s and alive:
                return False
            db.execute(
                "INSERT OR REPLACE INTO leases (name, holder, expires_at) VALUES (?, ?, ?)",
                [name, holder, until],
            )
            return True

    def release(self, name: str, holder: str) -> None:
        with self.database.transaction(bookkeeping=True) as db:
            db.execute("DELETE FROM leases WHERE name = ? AND holder = ?", [name, holder])

    def holder(self, name: str, now: datetime) -> str | None:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT holder FROM leases WHERE name = ? AND expires_at > ?",
                [name, epoch(now)],
            ).fetchone()
        return row[0] if row else None
