"""Per-workspace settings as key/value rows; bot/workspace.py knows their meaning."""

from __future__ import annotations

from storage.db import Database


class SettingsStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def all(self, team_id: str) -> dict[str, str]:
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT key, value FROM workspace_settings WHERE team_id = ?", [team_id]
            ).fetchall()
        return dict(rows)

    def set(self, team_id: str, key: str, value: str | None) -> None:
        with self.database.transaction() as db:
            if value is None:
                db.execute(
                    "DELETE FROM workspace_settings WHERE team_id = ? AND key = ?", [team_id, key]
                )
            else:
                db.execute(
                    "INSERT OR REPLACE INTO workspace_settings (team_id, key, value)"
                    " VALUES (?, ?, ?)",
                    [team_id, key, value],
                )

    def teams(self) -> list[str]:
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT team_id FROM workspace_settings UNION SELECT team_id FROM meetings"
                " ORDER BY team_id"
            ).fetchall()
        return [r[0] for r in rows]
