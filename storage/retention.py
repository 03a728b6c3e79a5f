"""A workspace's data after it uninstalls: kept for a grace period (a reinstall brings it
all back), then deleted, every row of every table that names the workspace."""

from __future__ import annotations

from datetime import datetime, timedelta

from entities.instants import epoch
from storage.db import Database

# Tables that are not one workspace's: the schema's own, and this install's identity.
NOT_A_WORKSPACES = frozenset({"schema_migrations", "install_identity", "oauth_states"})


class Retention:
    def __init__(self, database: Database) -> None:
        self.database = database

    def uninstalled(self, team_id: str, now: datetime, keep: timedelta) -> None:
        """The workspace uninstalled the app: its data goes after `keep` (a reinstall
        first cancels that: storage/installations.py)."""
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO uninstalls (team_id, uninstalled_at, delete_after)"
                " VALUES (?, ?, ?)",
                [team_id, epoch(now), epoch(now + keep)],
            )

    def due(self, now: datetime) -> list[str]:
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT team_id FROM uninstalls WHERE delete_after <= ?", [epoch(now)]
            ).fetchall()
        return [r[0] for r in rows]

    def forget(self, team_id: str) -> int:
        """Delete every row of the workspace, in one transaction; how many rows."""
        deleted = 0
        with self.database.transaction() as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite_%'"
                ).fetchall()
                if name not in NOT_A_WORKSPACES
            ]
            for table in tables:
                columns = {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
                if "team_id" in columns:
                    deleted += db.execute(
                        f'DELETE FROM "{table}" WHERE team_id = ?', [team_id]
                    ).rowcount
        return deleted

    def purge_due(self, now: datetime) -> list[str]:
        """Forget every workspace whose grace period is over."""
        gone = self.due(now)
        for team_id in gone:
            self.forget(team_id)
        return gone
