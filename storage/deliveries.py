"""Timed posts as rows: planned, claimed atomically, and settled exactly once.

A row's unique key (team, kind, meeting, occurrence) means a post can be planned
any number of times and still exist once; a claim is a conditional UPDATE, so of two
processes (or a retried job) only one ever sends it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from entities.deliveries import (
    NOTICE,
    SENDING,
    Delivery,
    Planned,
)
from entities.instants import epoch, from_epoch, from_epoch_or_none
from storage.db import Database, named, named_one

_COLUMNS = (
    "id, team_id, kind, meeting_id, occurrence, due_at, state, attempts, last_error,"
    " uncertain, message_ts, channel_id, late, claimed_at, sent_at, claimed_by, payload,"
    " not_before, paced_for, unsure_since"
)


def _row(row) -> Delivery:
    return Delivery(
        id=row["id"],
        team_id=row["team_id"],
        kind=row["kind"],
        meeting_id=row["meeting_id"],
        occurrence=row["occurrence"],
        due_at=from_epoch_or_none(row["due_at"]),
        state=row["state"],
        attempts=row["attempts"] or 0,
        last_error=row["last_error"],
        uncertain=bool(row["uncertain"]),
        message_ts=row["message_ts"],
        channel_id=row["channel_id"],
        late=bool(row["late"]),
        claimed_at=from_epoch_or_none(row["claimed_at"]),
        sent_at=from_epoch_or_none(row["sent_at"]),
        claimed_by=row["claimed_by"],
        payload=row["payload"],
        not_before=from_epoch_or_none(row["not_before"]),
        paced_for=row["paced_for"] or 0,
        unsure_since=from_epoch_or_none(row["unsure_since"]),
    )


class DeliveryStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def plan(self, posts: list[Planned], now: datetime, reschedule: bool = False) -> int:
        """Make sure each post has a row. With `reschedule`, pending rows take the new
        due time (a meeting moved); rows already sent or settled never change.
        Returns how many rows were added."""
        with self.database.transaction(bookkeeping=True) as db:
            return plan_rows(db, posts, now, reschedule)

    def skip_pending(
        self, team_id: str, meeting_id: int, keep: set[tuple[str, int]] | None = None
    ) -> int:
        """Settle a meeting's pending posts as skipped, except the (kind, occurrence) in `keep`."""
        keep = keep or set()
        with self.database.transaction(bookkeeping=True) as db:
            rows = named(
                db.execute(
                    "SELECT id, kind, occurrence FROM deliveries WHERE team_id = ?"
                    " AND meeting_id = ? AND state = 'pending' AND kind != ?",
                    [team_id, meeting_id, NOTICE],
                )
            )
            doomed = [r["id"] for r in rows if (r["kind"], r["occurrence"]) not in keep]
            db.conn.executemany(
                "UPDATE deliveries SET state = 'skipped' WHERE id = ? AND state = 'pending'",
                [(i,) for i in doomed],
            )
        return len(doomed)

    def retire_pending(
        self,
        team_id: str,
        meeting_id: int,
        keep: set[tuple[str, int]],
        skipped: set[int],
        after: datetime,
    ) -> None:
        """Pending rows due after `after` that the plan no longer holds: those of skipped
        occurrences are settled as skipped; others (moved beyond the horizon) are deleted
        and planned again when the horizon reaches them."""
        with self.database.transaction(bookkeeping=True) as db:
            rows = db.execute(
                "SELECT id, kind, occurrence FROM deliveries WHERE team_id = ? AND meeting_id = ?"
                " AND state = 'pending' AND due_at > ? AND kind != ?",
                [team_id, meeting_id, epoch(after), NOTICE],
            ).fetchall()
            for delivery_id, kind, occurrence in rows:
                if (kind, occurrence) in keep:
                    continue
                if occurrence in skipped:
                    db.execute(
                        "UPDATE deliveries SET state = 'skipped' WHERE id = ?", [delivery_id]
                    )
                else:
                    db.execute("DELETE FROM deliveries WHERE id = ?", [delivery_id])

    def drop_pending(self, team_id: str, kind: str, meeting_id: int = 0) -> int:
        """Delete not-yet-sent rows of one kind (a workspace post whose schedule changed);
        the planner then adds them again at their new time."""
        with self.database.transaction(bookkeeping=True) as db:
            cursor = db.execute(
                "DELETE FROM deliveries WHERE team_id = ? AND kind = ? AND meeting_id = ?"
                " AND state = 'pending'",
                [team_id, kind, meeting_id],
            )
            return cursor.rowcount

    def due(self, now: datetime, limit: int = 100, team_id: str | None = None) -> list[Delivery]:
        """Pending rows that are due and not held back by pacing, in the order they became
        sendable (of one workspace, when given). A held row's not_before is never before
        its due_at, so `due_at <= now` lets the index on (state, due_at) do the work."""
        with self.database.reading() as db:
            rows = named(
                db.execute(
                    f"SELECT {_COLUMNS} FROM deliveries WHERE state = 'pending' AND due_at <= ?"
                    " AND (not_before IS NULL OR not_before <= ?)"
                    " AND (? IS NULL OR team_id = ?)"
                    " AND team_id NOT IN (SELECT team_id FROM workspace_holds)"
                    " ORDER BY COALESCE(not_before, due_at), id LIMIT ?",
                    [epoch(now), epoch(now), team_id, team_id, limit],
                )
            )
        return [_row(r) for r in rows]

    def next_due(self, team_id: str | None = None) -> datetime | None:
        """When the next pending row may be sent: its due time, or for a row held back by
        pacing, its not_before."""
        with self.database.reading() as db:
            plain = db.execute(
                "SELECT due_at FROM deliveries WHERE state = 'pending' AND not_before IS NULL"
                " AND (? IS NULL OR team_id = ?) ORDER BY due_at LIMIT 1",
                [team_id, team_id],
            ).fetchone()
            held = db.execute(
                "SELECT MIN(not_before) FROM deliveries WHERE state = 'pending'"
                " AND not_before IS NOT NULL AND (? IS NULL OR team_id = ?)",
                [team_id, team_id],
            ).fetchone()
        found = [r[0] for r in (plain, held) if r and r[0] is not None]
        return from_epoch_or_none(min(found)) if found else None

    def meeting_channels(self, delivery_ids: list[int]) -> dict[int, str]:
        """The channel each row's meeting is in now, by row id (rows of a meeting that is
        gone, or of none, are left out): where most posts go, known without composing."""
        found: dict[int, str] = {}
        with self.database.reading() as db:
            for start in range(0, len(delivery_ids), 500):  # well under SQLite's ? limit
                chunk = delivery_ids[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                found.update(
                    db.execute(
                        "SELECT d.id, m.channel_id FROM deliveries d JOIN meetings m"
                        " ON m.id = d.meeting_id AND m.team_id = d.team_id"
                        f" WHERE d.id IN ({marks}) AND m.channel_id IS NOT NULL",
                        chunk,
                    ).fetchall()
                )
        return found

    def claim_many(self, rows: list[Delivery], holder: str, now: datetime) -> set[int]:
        """`claim` for many rows in one transaction, each only as it was read: one that
        another process has meanwhile held back for pacing (a new not_before) or put off
        (a new due time) stays with it, so it does not go before its slot. The ids won."""
        won: set[int] = set()
        with self.database.transaction(bookkeeping=True) as db:
            for row in rows:
                cursor = db.execute(
                    "UPDATE deliveries SET state = 'sending', claimed_by = ?, claimed_at = ?,"
                    " attempts = attempts + 1 WHERE id = ? AND state = 'pending'"
                    " AND due_at = ? AND not_before IS ?",
                    [
                        holder,
                        epoch(now),
                        row.id,
                        epoch(row.due_at),
                        epoch(row.not_before) if row.not_before else None,
                    ],
                )
                if cursor.rowcount == 1:
                    won.add(row.id)
        return won

    def hold_back(self, held: list[Held]) -> None:
        """Claimed rows that pacing holds back go back to pending until their not_before,
        untried: the claim's attempt is given back, and its time (a later look in history
        goes by the tries that may have posted). In one transaction."""
        with self.database.transaction(bookkeeping=True) as db:
            db.conn.executemany(
                "UPDATE deliveries SET state = 'pending', attempts = MAX(attempts - 1, 0),"
                " not_before = ?, paced_for = paced_for + ?, channel_id = COALESCE(?,"
                " channel_id), uncertain = ?, last_error = COALESCE(?, last_error),"
                " unsure_since = CASE WHEN ? = 1 THEN COALESCE(unsure_since, claimed_at) END,"
                " claimed_at = COALESCE(?, claimed_at)"
                " WHERE id = ? AND state = 'sending'",
                [
                    (
                        math.ceil(h.not_before.timestamp()),
                        h.paced_for,
                        h.channel_id,
                        int(h.uncertain),
                        h.error,
                        int(h.uncertain),
                        epoch(h.claimed_at) if h.claimed_at else None,
                        h.delivery_id,
                    )
                    for h in held
                ],
            )

    def held_back(self, team_id: str | None = None) -> list[tuple[str, str, datetime]]:
        """(team, channel, latest not_before) of channels with posts held back by pacing
        (not those waiting for a check of history): a process that takes over hands out
        its slots after them."""
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT team_id, channel_id, MAX(not_before) FROM deliveries"
                " WHERE state = 'pending' AND not_before IS NOT NULL AND channel_id IS NOT NULL"
                " AND uncertain = 0 AND (? IS NULL OR team_id = ?) GROUP BY team_id, channel_id",
                [team_id, team_id],
            ).fetchall()
        return [(t, c, from_epoch(n)) for t, c, n in rows]

    def hold(self, team_id: str, reason: str, now: datetime) -> bool:
        """Slack refused the workspace's token: its posts wait (True the first time)."""
        with self.database.transaction(bookkeeping=True) as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO workspace_holds (team_id, reason, since) VALUES (?, ?, ?)",
                [team_id, reason, epoch(now)],
            )
            return cursor.rowcount == 1

    def held(self, team_id: str) -> bool:
        with self.database.reading() as db:
            row = db.execute(
                "SELECT 1 FROM workspace_holds WHERE team_id = ?", [team_id]
            ).fetchone()
        return row is not None

    def claim(self, delivery_id: int, holder: str, now: datetime) -> bool:
        """Take a pending row for sending. Only one claimer can ever win."""
        with self.database.transaction(bookkeeping=True) as db:
            cursor = db.execute(
                "UPDATE deliveries SET state = 'sending', claimed_by = ?, claimed_at = ?,"
                " attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
                [holder, epoch(now), delivery_id],
            )
            return cursor.rowcount == 1

    def settle(
        self,
        delivery_id: int,
        state: str,
        now: datetime,
        *,
        message_ts: str | None = None,
        channel_id: str | None = None,
        late: bool = False,
        error: str | None = None,
        retry_at: datetime | None = None,
        uncertain: bool = False,
        from_state: str = SENDING,
    ) -> bool:
        """Move a row on from `from_state`: sent, failed, missed, skipped, or back to
        pending (with `retry_at`) after a failed try."""
        outcome = Settled(
            delivery_id, state, message_ts, channel_id, late, error, retry_at, uncertain
        )
        with self.database.transaction(bookkeeping=True) as db:
            return _settle(db, outcome, now, from_state)

    def settle_many(self, outcomes: list[Settled], now: datetime) -> None:
        """`settle` of many claimed rows in one transaction (a pass's sends)."""
        if not outcomes:
            return
        with self.database.transaction(bookkeeping=True) as db:
            for outcome in outcomes:
                _settle(db, outcome, now, SENDING)

    def sending(self, team_id: str | None = None) -> list[Delivery]:
        """Rows claimed and not yet settled: being sent now, or by a process that died."""
        with self.database.reading() as db:
            rows = named(
                db.execute(
                    f"SELECT {_COLUMNS} FROM deliveries WHERE state = 'sending'"
                    " AND (? IS NULL OR team_id = ?)",
                    [team_id, team_id],
                )
            )
        return [_row(r) for r in rows]

    def find(self, team_id: str, kind: str, meeting_id: int, occurrence: int) -> Delivery | None:
        with self.database.reading() as db:
            row = named_one(
                db.execute(
                    f"SELECT {_COLUMNS} FROM deliveries WHERE team_id = ? AND kind = ?"
                    " AND meeting_id = ? AND occurrence = ?",
                    [team_id, kind, meeting_id, occurrence],
                )
            )
        return _row(row) if row else None

    def for_meeting(self, team_id: str, meeting_id: int) -> list[Delivery]:
        with self.database.reading() as db:
            rows = named(
                db.execute(
                    f"SELECT {_COLUMNS} FROM deliveries WHERE team_id = ? AND meeting_id = ?"
                    " ORDER BY due_at, id",
                    [team_id, meeting_id],
                )
            )
        return [_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self.database.reading() as db:
            return dict(db.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state"))


@dataclass(frozen=True)
class Settled:
    """How a try ended, for `settle`/`settle_many`."""

    delivery_id: int
    state: str
    message_ts: str | None = None
    channel_id: str | None = None
    late: bool = False
    error: str | None = None
    retry_at: datetime | None = None
    uncertain: bool = False


@dataclass(frozen=True)
class Held:
    """A claimed row that pacing holds back until `not_before` (for `paced_for` seconds,
    which is not lateness), with the channel it goes to."""

    delivery_id: int
    not_before: datetime
    paced_for: int = 0
    channel_id: str | None = None
    uncertain: bool = False
    error: str | None = None
    claimed_at: datetime | None = None  # its claim before this one: this one sent nothing


def _settle(db, o: Settled, now: datetime, from_state: str) -> bool:
    # A new due time (a retry later) ends any pacing hold: it is judged afresh then.
    cursor = db.execute(
        "UPDATE deliveries SET state = ?, message_ts = COALESCE(?, message_ts),"
        " channel_id = COALESCE(?, channel_id), late = ?, last_error = COALESCE(?,"
        " last_error), due_at = COALESCE(?, due_at), uncertain = ?,"
        " not_before = CASE WHEN ? IS NULL THEN not_before END,"
        " unsure_since = CASE WHEN ? = 1 THEN COALESCE(unsure_since, claimed_at) END,"
        " paced_for = CASE WHEN ? IS NULL THEN paced_for ELSE 0 END,"
        " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
        " WHERE id = ? AND state = ?",
        [
            o.state,
            o.message_ts,
            o.channel_id,
            int(o.late),
            o.error,
            epoch(o.retry_at) if o.retry_at else None,
            int(o.uncertain),
            epoch(o.retry_at) if o.retry_at else None,
            int(o.uncertain),
            epoch(o.retry_at) if o.retry_at else None,
            o.state,
            epoch(now),
            o.delivery_id,
            from_state,
        ],
    )
    return cursor.rowcount == 1


def plan_rows(db, posts: list[Planned], now: datetime, reschedule: bool = False) -> int:
    """`DeliveryStore.plan` inside a transaction the caller holds, for a change that
    stores its posts with the rest of it (a saved outcome and its action items' DMs)."""
    added = 0
    for post in posts:
        cursor = db.execute(
            "INSERT OR IGNORE INTO deliveries (team_id, kind, meeting_id, occurrence,"
            " due_at, state, attempts, uncertain, late, created_at)"
            " VALUES (?, ?, ?, ?, ?, 'pending', 0, 0, 0, ?)",
            [
                post.team_id,
                post.kind,
                post.meeting_id,
                post.occurrence,
                epoch(post.due_at),
                epoch(now),
            ],
        )
        added += cursor.rowcount
        if reschedule and cursor.rowcount == 0:
            db.execute(
                "UPDATE deliveries SET due_at = ?, attempts = 0, not_before = NULL,"
                " paced_for = 0 WHERE team_id = ?"
                " AND kind = ? AND meeting_id = ? AND occurrence = ? AND state = 'pending'",
                [
                    epoch(post.due_at),
                    post.team_id,
                    post.kind,
                    post.meeting_id,
                    post.occurrence,
                ],
            )
    return added


def add_notice(db, team_id: str, meeting_id: int, payload: str, now: datetime) -> int:
    """A notice about a change to a meeting, due now, inside the change's own transaction.
    Notices of one meeting are numbered 1, 2, … (the row's occurrence), so each change
    has its own row and its own key in the post's metadata. Returns its number."""
    number = db.execute(
        "SELECT COALESCE(MAX(occurrence), 0) + 1 FROM deliveries"
        " WHERE team_id = ? AND kind = ? AND meeting_id = ?",
        [team_id, NOTICE, meeting_id],
    ).fetchone()[0]
    db.execute(
        "INSERT INTO deliveries (team_id, kind, meeting_id, occurrence, due_at, state,"
        " attempts, uncertain, late, created_at, payload)"
        " VALUES (?, ?, ?, ?, ?, 'pending', 0, 0, 0, ?, ?)",
        [team_id, NOTICE, meeting_id, number, epoch(now), epoch(now), payload],
    )
    return number
