"""Decisions on empty agendas and the written updates that replace a meeting: every query
filters on the workspace (team_id)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from entities.deliveries import Planned
from entities.instants import epoch, from_epoch
from storage.db import Database
from storage.deliveries import plan_rows
from storage.forget import anonymise, anonymiser

SKIP, KEEP = "skip", "keep"


@dataclass(frozen=True)
class Round:
    """The organiser's answer for one occurrence; for `skip`, the round of updates."""

    id: int
    team_id: str
    meeting_id: int
    occurrence: int
    decision: str
    decided_by: str | None
    starts_at: datetime
    channel_id: str
    saved_minutes: int


@dataclass(frozen=True)
class WrittenUpdate:
    user_id: str
    done: str = ""
    next_steps: str = ""
    blockers: str = ""
    written_at: datetime | None = None

    @property
    def written(self) -> bool:
        return self.written_at is not None


_ROUND = (
    "id, team_id, meeting_id, occurrence, decision, decided_by, starts_at, channel_id,"
    " saved_minutes"
)


def _round(row: dict) -> Round:
    return Round(**{**row, "starts_at": from_epoch(row["starts_at"])})


class UpdateStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def decide(
        self,
        round_: Round,
        asked: Sequence[str],
        posts: Sequence[Planned],
        now: datetime,
    ) -> tuple[Round, bool]:
        """Store the decision (its id is ignored), the people asked and the round's posts
        (their occurrence is the round's id, filled in here) in one transaction; or, when
        the occurrence already has a decision, return that one and False."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO update_rounds (team_id, meeting_id, occurrence, decision,"
                " decided_by, decided_at, starts_at, channel_id, saved_minutes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    round_.team_id,
                    round_.meeting_id,
                    round_.occurrence,
                    round_.decision,
                    round_.decided_by,
                    epoch(now),
                    epoch(round_.starts_at),
                    round_.channel_id,
                    round_.saved_minutes,
                ],
            )
            created = cursor.rowcount == 1
            found = self._find(db, round_.team_id, round_.meeting_id, round_.occurrence)
            assert found is not None  # inserted or already there, in this transaction
            if created:
                db.conn.executemany(
                    "INSERT OR IGNORE INTO written_updates (team_id, round_id, user_id)"
                    " VALUES (?, ?, ?)",
                    [(found.team_id, found.id, user_id) for user_id in asked],
                )
                rows = [Planned(p.team_id, p.kind, p.meeting_id, found.id, p.due_at) for p in posts]
                plan_rows(db, rows, now)
        return found, created

    @staticmethod
    def _find(db, team_id: str, meeting_id: int, occurrence: int) -> Round | None:
        rows = list(
            db.query(
                f"SELECT {_ROUND} FROM update_rounds WHERE team_id = ? AND meeting_id = ?"
                " AND occurrence = ?",
                [team_id, meeting_id, occurrence],
            )
        )
        return _round(rows[0]) if rows else None

    def find(self, team_id: str, meeting_id: int, occurrence: int) -> Round | None:
        with self.database.reading() as db:
            return self._find(db, team_id, meeting_id, occurrence)

    def get(self, team_id: str, round_id: int) -> Round | None:
        with self.database.reading() as db:
            rows = list(
                db.query(
                    f"SELECT {_ROUND} FROM update_rounds WHERE team_id = ? AND id = ?",
                    [team_id, round_id],
                )
            )
        return _round(rows[0]) if rows else None

    def updates(self, team_id: str, round_id: int) -> list[WrittenUpdate]:
        """Everyone asked, in the order they were asked, with what they wrote if anything."""
        with self.database.reading() as db:
            rows = list(
                db.query(
                    "SELECT user_id, done, next_steps, blockers, written_at FROM written_updates"
                    " WHERE team_id = ? AND round_id = ? ORDER BY rowid",
                    [team_id, round_id],
                )
            )
        return [
            WrittenUpdate(
                r["user_id"],
                r["done"] or "",
                r["next_steps"] or "",
                r["blockers"] or "",
                from_epoch(r["written_at"]) if r["written_at"] is not None else None,
            )
            for r in rows
        ]

    def write(
        self, team_id: str, round_id: int, user_id: str, update: WrittenUpdate, now: datetime
    ) -> bool:
        """Store someone's update (again: it replaces theirs); False if they weren't asked."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE written_updates SET done = ?, next_steps = ?, blockers = ?,"
                " written_at = ? WHERE team_id = ? AND round_id = ? AND user_id = ?",
                [
                    update.done,
                    update.next_steps,
                    update.blockers,
                    epoch(now),
                    team_id,
                    round_id,
                    user_id,
                ],
            )
            return cursor.rowcount == 1

    def skipped_between(self, team_id: str, start: datetime, end: datetime) -> list[Round]:
        """Occurrences replaced by written updates that would have started in [start, end)."""
        with self.database.reading() as db:
            rows = list(
                db.query(
                    f"SELECT {_ROUND} FROM update_rounds WHERE team_id = ? AND decision = ?"
                    " AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id",
                    [team_id, SKIP, epoch(start), epoch(end)],
                )
            )
        return [_round(r) for r in rows]

    def forget(self, team_id: str, user_id: str, former: str) -> int:
        """`forget me`: their updates (and that they were asked) go, their name leaves the
        updates others wrote (it becomes `former`), and the decisions they made stay
        without it: the hours saved are the meeting's, not theirs."""
        with self.database.transaction() as db:
            replace = anonymiser(db, team_id, user_id, former)  # before their rows go
            changed = db.execute(
                "DELETE FROM written_updates WHERE team_id = ? AND user_id = ?",
                [team_id, user_id],
            ).rowcount
            changed += db.execute(
                "UPDATE update_rounds SET decided_by = NULL WHERE team_id = ? AND decided_by = ?",
                [team_id, user_id],
            ).rowcount
            changed += anonymise(
                db, "written_updates", ["done", "next_steps", "blockers"], team_id, replace
            )
        return changed
