"""The SQL of the followups feature: RSVPs, meeting outcomes, action items, agenda
carry-overs and "Worth the time?" answers. Every query is scoped to one workspace
(`team_id`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from entities.deliveries import Planned
from storage.agenda import add_item
from storage.db import Database
from storage.deliveries import plan_rows

GOING, NOT_GOING = "going", "not_going"
ANSWERS = (GOING, NOT_GOING)


def _epoch(instant: datetime) -> int:
    return int(instant.timestamp())


def _instant(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


@dataclass(frozen=True)
class Outcome:
    notes: str
    decisions: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class ActionItem:
    id: int
    team_id: str
    meeting_id: int
    occurrence: int  # the occurrence it was agreed at
    text: str
    owner_id: str
    due_on: date
    created_by: str
    done_at: datetime | None = None
    done_by: str | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class NewActionItem:
    """An action item as entered in the outcome form."""

    text: str
    owner_id: str
    due_on: date
    source: str  # the form and row it came from


_ITEM_COLUMNS = (
    "id, team_id, meeting_id, occurrence, text, owner_id, due_on, created_by, done_at, done_by"
)


def _item(row) -> ActionItem:
    return ActionItem(
        id=row[0],
        team_id=row[1],
        meeting_id=row[2],
        occurrence=row[3],
        text=row[4],
        owner_id=row[5],
        due_on=date.fromisoformat(row[6]),
        created_by=row[7],
        done_at=_instant(row[8]),
        done_by=row[9],
    )


class RsvpStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def answer(
        self,
        team_id: str,
        meeting_id: int,
        occurrence: int,
        user_id: str,
        answer: str,
        now: datetime,
    ) -> bool:
        """Record someone's answer; False when it was already that (a repeated click)."""
        if answer not in ANSWERS:
            raise ValueError(f"not an answer: {answer!r}")
        with self.database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO rsvps (team_id, meeting_id, occurrence, user_id, answer, answered_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, meeting_id, occurrence, user_id)"
                " DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at"
                " WHERE rsvps.answer != excluded.answer",
                [team_id, meeting_id, occurrence, user_id, answer, _epoch(now)],
            )
            return cursor.rowcount == 1

    def answers(self, team_id: str, meeting_id: int, occurrence: int) -> dict[str, str]:
        """user id -> answer, in the order people answered."""
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT user_id, answer FROM rsvps WHERE team_id = ? AND meeting_id = ?"
                " AND occurrence = ? ORDER BY answered_at, user_id",
                [team_id, meeting_id, occurrence],
            ).fetchall()
        return dict(rows)

    def answers_of(
        self, team_id: str, user_id: str, occurrences: list[tuple[int, int]]
    ) -> dict[tuple[int, int], str]:
        """(meeting id, occurrence) -> this user's answer, for the occurrences given."""
        if not occurrences:
            return {}
        wanted = set(occurrences)
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT meeting_id, occurrence, answer FROM rsvps WHERE team_id = ?"
                f" AND user_id = ? AND meeting_id IN ({','.join('?' * len(wanted))})",
                [team_id, user_id, *{m for m, _ in wanted}],
            ).fetchall()
        return {(m, o): a for m, o, a in rows if (m, o) in wanted}

    def answers_for(
        self, team_id: str, occurrences: list[tuple[int, int]]
    ) -> dict[tuple[int, int], dict[str, str]]:
        """(meeting id, occurrence) -> user id -> answer, for many occurrences at once."""
        if not occurrences:
            return {}
        wanted = set(occurrences)
        found: dict[tuple[int, int], dict[str, str]] = {key: {} for key in occurrences}
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT meeting_id, occurrence, user_id, answer FROM rsvps WHERE team_id = ?"
                " AND meeting_id IN (SELECT value FROM json_each(?))"
                " ORDER BY answered_at, user_id",
                [team_id, json.dumps(sorted({m for m, _ in wanted}))],
            ).fetchall()
        for meeting_id, occurrence, user_id, answer in rows:
            if (meeting_id, occurrence) in wanted:
                found[(meeting_id, occurrence)][user_id] = answer
        return found


class OutcomeStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, team_id: str, meeting_id: int, occurrence: int) -> Outcome | None:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT notes, decisions, recorded_by, recorded_at FROM outcomes"
                " WHERE team_id = ? AND meeting_id = ? AND occurrence = ?",
                [team_id, meeting_id, occurrence],
            ).fetchone()
        if row is None:
            return None
        return Outcome(row[0] or "", row[1] or "", row[2], _instant(row[3]))

    def record(
        self,
        team_id: str,
        meeting_id: int,
        occurrence: int,
        notes: str,
        decisions: str,
        items: list[NewActionItem],
        by_user: str,
        now: datetime,
        dm_of: Callable[[ActionItem], Planned],
        carry: Sequence[int] = (),
        next_occurrence: int | None = None,
    ) -> tuple[list[ActionItem], list[str]]:
        """Everything one outcome form brings, in one transaction, so a crash leaves all
        of it or none: the notes and decisions (replacing earlier ones), the action items
        not added before with their owners' DMs (`dm_of`), and the agenda items in `carry`
        (of this occurrence) copied once to `next_occurrence`. Returns the items added now
        and the texts of the agenda items carried over now."""
        added: list[ActionItem] = []
        carried: list[str] = []
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO outcomes (team_id, meeting_id, occurrence, notes,"
                " decisions, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [team_id, meeting_id, occurrence, notes, decisions, by_user, _epoch(now)],
            )
            for item in items:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO action_items (team_id, meeting_id, occurrence, text,"
                    " owner_id, due_on, created_by, created_at, source)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        team_id,
                        meeting_id,
                        occurrence,
                        item.text,
                        item.owner_id,
                        item.due_on.isoformat(),
                        by_user,
                        _epoch(now),
                        item.source,
                    ],
                )
                if cursor.rowcount == 1:
                    row = db.execute(
                        f"SELECT {_ITEM_COLUMNS} FROM action_items WHERE id = ?",
                        [cursor.lastrowid],
                    ).fetchone()
                    added.append(_item(row))
            plan_rows(db, [dm_of(item) for item in added], now, reschedule=True)
            if next_occurrence is not None:
                for item_id in carry:
                    text = self._carry(
                        db, team_id, meeting_id, occurrence, item_id, next_occurrence, now
                    )
                    if text is not None:
                        carried.append(text)
        return added, carried

    @staticmethod
    def _carry(
        db, team_id: str, meeting_id: int, occurrence: int, item_id: int, to: int, now: datetime
    ) -> str | None:
        """Copy one agenda item of this occurrence to occurrence `to`, unless it was
        copied before; its text when copied now."""
        row = db.execute(
            "SELECT text, author_id FROM agenda_items WHERE team_id = ? AND id = ?"
            " AND meeting_id = ? AND occurrence = ?",
            [team_id, item_id, meeting_id, occurrence],
        ).fetchone()
        if row is None:
            return None
        cursor = db.execute(
            "INSERT OR IGNORE INTO agenda_carryovers (team_id, item_id, carried_at)"
            " VALUES (?, ?, ?)",
            [team_id, item_id, _epoch(now)],
        )
        if cursor.rowcount == 0:
            return None
        copy = add_item(db, team_id, meeting_id, to, row[0], row[1], now)
        db.execute(
            "UPDATE agenda_carryovers SET new_item_id = ? WHERE team_id = ? AND item_id = ?",
            [copy.id, team_id, item_id],
        )
        return row[0]

    def carried(self, team_id: str, item_ids: list[int]) -> set[int]:
        """Which of these agenda items were already copied to a later occurrence."""
        if not item_ids:
            return set()
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT item_id FROM agenda_carryovers WHERE team_id = ?"
                f" AND item_id IN ({','.join('?' * len(item_ids))})",
                [team_id, *item_ids],
            ).fetchall()
        return {r[0] for r in rows}


class ActionItemStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, team_id: str, item_id: int) -> ActionItem | None:
        with self.database.reading() as db:
            row = db.execute(
                f"SELECT {_ITEM_COLUMNS} FROM action_items WHERE team_id = ? AND id = ?",
                [team_id, item_id],
            ).fetchone()
        return _item(row) if row else None

    def open_for_meeting(
        self, team_id: str, meeting_id: int, before_occurrence: int | None = None
    ) -> list[ActionItem]:
        """Items of a meeting not done yet, agreed before `before_occurrence` (its key),
        oldest due first."""
        sql = (
            f"SELECT {_ITEM_COLUMNS} FROM action_items WHERE team_id = ? AND meeting_id = ?"
            " AND done_at IS NULL"
        )
        params: list[object] = [team_id, meeting_id]
        if before_occurrence is not None:
            sql += " AND occurrence < ?"
            params.append(before_occurrence)
        with self.database.reading() as db:
            rows = db.execute(sql + " ORDER BY due_on, id", params).fetchall()
        return [_item(r) for r in rows]

    def for_occurrence(self, team_id: str, meeting_id: int, occurrence: int) -> list[ActionItem]:
        """Every item agreed at one occurrence, done or not, in the order entered."""
        with self.database.reading() as db:
            rows = db.execute(
                f"SELECT {_ITEM_COLUMNS} FROM action_items WHERE team_id = ? AND meeting_id = ?"
                " AND occurrence = ? ORDER BY id",
                [team_id, meeting_id, occurrence],
            ).fetchall()
        return [_item(r) for r in rows]

    def open_for_owner(self, team_id: str, owner_id: str, limit: int = 50) -> list[ActionItem]:
        with self.database.reading() as db:
            rows = db.execute(
                f"SELECT {_ITEM_COLUMNS} FROM action_items WHERE team_id = ? AND owner_id = ?"
                " AND done_at IS NULL ORDER BY due_on, id LIMIT ?",
                [team_id, owner_id, limit],
            ).fetchall()
        return [_item(r) for r in rows]

    def count_open_for_owner(self, team_id: str, owner_id: str) -> int:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT COUNT(*) FROM action_items WHERE team_id = ? AND owner_id = ?"
                " AND done_at IS NULL",
                [team_id, owner_id],
            ).fetchone()
        return row[0]

    def mark_done(self, team_id: str, item_id: int, by_user: str, now: datetime) -> bool:
        """False when it was already done (a repeated click)."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE action_items SET done_at = ?, done_by = ? WHERE team_id = ? AND id = ?"
                " AND done_at IS NULL",
                [_epoch(now), by_user, team_id, item_id],
            )
            return cursor.rowcount == 1


@dataclass(frozen=True)
class WorthCount:
    """The answers to "Worth the time?" for one occurrence: counts, never who."""

    worth: int = 0
    not_worth: int = 0


class WorthStore:
    """ "Worth the time?" answers. Only counts leave this class, and one person's own
    answer (to tell them what they answered), never a list of who answered what."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def answer(
        self,
        team_id: str,
        meeting_id: int,
        occurrence: int,
        started_at: datetime,
        user_id: str,
        worth: bool,
        now: datetime,
    ) -> bool:
        """Record someone's answer; False when it was already that (a repeated tap)."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO worth_answers (team_id, meeting_id, occurrence, user_id, worth,"
                " started_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (team_id, meeting_id, occurrence, user_id) DO UPDATE SET"
                " worth = excluded.worth, answered_at = excluded.answered_at"
                " WHERE worth_answers.worth != excluded.worth",
                [
                    team_id,
                    meeting_id,
                    occurrence,
                    user_id,
                    int(worth),
                    _epoch(started_at),
                    _epoch(now),
                ],
            )
            return cursor.rowcount == 1

    def counts(self, team_id: str, meeting_id: int, occurrence: int) -> WorthCount:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT COALESCE(SUM(worth), 0), COUNT(*) - COALESCE(SUM(worth), 0)"
                " FROM worth_answers WHERE team_id = ? AND meeting_id = ? AND occurrence = ?",
                [team_id, meeting_id, occurrence],
            ).fetchone()
        return WorthCount(row[0], row[1])

    def counts_between(
        self, team_id: str, start: datetime, end: datetime
    ) -> dict[int, tuple[int, int]]:
        """meeting id -> (worth, not worth), over its occurrences held in [start, end)."""
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT meeting_id, SUM(worth), COUNT(*) - SUM(worth) FROM worth_answers"
                " WHERE team_id = ? AND started_at >= ? AND started_at < ?"
                " GROUP BY meeting_id",
                [team_id, _epoch(start), _epoch(end)],
            ).fetchall()
        return {meeting_id: (up, down) for meeting_id, up, down in rows}

    def forget(self, team_id: str, user_id: str) -> int:
        """Delete this person's answers (`/salesmeet forget me`); how many."""
        with self.database.transaction() as db:
            return db.execute(
                "DELETE FROM worth_answers WHERE team_id = ? AND user_id = ?", [team_id, user_id]
            ).rowcount
