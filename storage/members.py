"""A workspace's members by the names they can be invited by, as of the last users.list
read. Names are stored folded (entities.people.fold), so matching one is an index lookup
however large the workspace."""

from __future__ import annotations

from collections.abc import Iterable

from entities.people import Member, fold
from storage.db import Database


class MemberStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def replace(self, team_id: str, members: Iterable[Member]) -> None:
        """The workspace's members are these, now (people who left drop out)."""
        members = list(members)
        with self.database.transaction(bookkeeping=True) as db:
            db.execute("DELETE FROM workspace_members WHERE team_id = ?", [team_id])
            db.execute("DELETE FROM member_names WHERE team_id = ?", [team_id])
            db.conn.executemany(
                "INSERT OR REPLACE INTO workspace_members"
                " (team_id, user_id, handle, display_name, real_name) VALUES (?, ?, ?, ?, ?)",
                [(team_id, m.user_id, m.handle, m.display_name, m.real_name) for m in members],
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO member_names (team_id, name_key, user_id, rank)"
                " VALUES (?, ?, ?, ?)",
                [
                    (team_id, key, m.user_id, rank)
                    for m in members
                    for key, rank in m.name_keys().items()
                ],
            )

    def add(self, team_id: str, member: Member) -> None:
        """One member found since the last read (someone who just joined)."""
        with self.database.transaction(bookkeeping=True) as db:
            db.execute(
                "INSERT OR REPLACE INTO workspace_members"
                " (team_id, user_id, handle, display_name, real_name) VALUES (?, ?, ?, ?, ?)",
                [team_id, member.user_id, member.handle, member.display_name, member.real_name],
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO member_names (team_id, name_key, user_id, rank)"
                " VALUES (?, ?, ?, ?)",
                [(team_id, k, member.user_id, r) for k, r in member.name_keys().items()],
            )

    def named(self, team_id: str, name: str) -> list[tuple[Member, int]]:
        """The members who answer to `name`, each with the rank of the match (1: a whole
        name; 2: a first name), best first."""
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT m.user_id, m.handle, m.display_name, m.real_name, n.rank"
                " FROM member_names n CROSS JOIN workspace_members m"
                " WHERE n.team_id = ? AND n.name_key = ?"
                " AND m.team_id = n.team_id AND m.user_id = n.user_id"
                " ORDER BY n.rank, m.real_name, m.user_id",
                [team_id, fold(name)],
            ).fetchall()
        return [(Member(u, h or "", d or "", r or ""), rank) for u, h, d, r, rank in rows]

    def has(self, team_id: str, user_id: str) -> bool:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT 1 FROM workspace_members WHERE team_id = ? AND user_id = ?",
                [team_id, user_id],
            ).fetchone()
        return row is not None

    def known(self, team_id: str) -> bool:
        """Whether the workspace's members have been read at all."""
        with self.database.reading() as db:
            row = db.execute(
                "SELECT 1 FROM workspace_members WHERE team_id = ? LIMIT 1", [team_id]
            ).fetchone()
        return row is not None
