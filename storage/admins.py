"""Who Slack says a workspace's admins and owners are, as of the last users.list sync."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.db import Database


class AdminStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def sync(self, team_id: str, admin_ids: set[str], now: datetime) -> None:
        """Record who the workspace's admins and owners are, right now."""
        with self.database.transaction() as db:
            db.execute("DELETE FROM workspace_admins WHERE team_id = ?", [team_id])
            db.conn.executemany(
                "INSERT INTO workspace_admins (team_id, user_id) VALUES (?, ?)",
                [(team_id, u) for u in sorted(admin_ids)],
            )
            db.execute(
                "INSERT OR REPLACE INTO admin_syncs (team_id, synced_at) VALUES (?, ?)",
                [team_id, int(now.timestamp())],
            )

    def synced_at(self, team_id: str) -> datetime | None:
        with self.database.reading() as db:
            rows = list(db.query("SELECT synced_at FROM admin_syncs WHERE team_id = ?", [team_id]))
        return datetime.fromtimestamp(rows[0]["synced_at"], UTC) if rows else None

    def admins(self, team_id: str) -> set[str]:
        """Admins and owners: from the last users.list sync, or, before any sync, the
        people SalesMeet has looked up (users.info) that were admins or owners."""
        with self.database.reading() as db:
            synced = list(db.query("SELECT 1 FROM admin_syncs WHERE team_id = ?", [team_id]))
            if synced:
                sql = "SELECT user_id FROM workspace_admins WHERE team_id = ?"
            else:
                sql = "SELECT user_id FROM people WHERE team_id = ? AND (is_admin OR is_owner)"
            return {row["user_id"] for row in db.query(sql, [team_id])}
