"""Requests received from Slack: the retry ledger and the inbox in one table.

Slack resends a request it thinks timed out (and retries events after 1 and 5 minutes).
A request is known by the hash of its exact body (an event by its event_id), which a
resend repeats and a new request never does (every command and click carries its own
trigger_id). The first copy claims the key inside one transaction, before anything is
acked, and the row keeps the request itself: that is the inbox. The answer Bolt gave is
kept for copies; `done_at` is committed in the same transaction as the change the
request asked for (storage/db.py `acting_for`), and `replied_at` once the user was
answered. A row acked but never replied to, whose process died, is carried out again
after the restart (bot/retries.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from entities.errors import AlreadyDone
from entities.instants import epoch
from storage.db import Database, named, named_one

# Slack's last retry comes 5 minutes after the first try; keep well beyond that.
REMEMBER = timedelta(days=1)
# Rows past REMEMBER are deleted with a claim at most this often.
SWEEP_EVERY = timedelta(minutes=1)
# Remembering a request must not eat the 3 seconds of its ack.
PATIENCE_SECONDS = 0.3
# Rows per INSERT statement: 600 parameters, within the 999 of SQLite's oldest limit (a
# batch is at most one request per server thread, far fewer).
ROWS_PER_INSERT = 100
# What `_unfinished` reads.
UNFINISHED_COLUMNS = "key, team_id, request, request_type, holder, received_at, done_at, replays"


@dataclass(frozen=True)
class Answered:
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Unfinished:
    """A request acked by a process that may have died before finishing it."""

    key: str
    team_id: str
    request: bytes
    request_type: str
    holder: str
    received_at: int
    done: bool
    replays: int


@dataclass(eq=False)
class _Claim:
    """One request waiting for its claim to be written (RequestLedger.claim)."""

    key: str
    team_id: str
    received_at: int
    request: bytes | None
    request_type: str
    holder: str
    outcome: bool | Answered | None = None
    error: BaseException | None = None
    lead: bool = False  # it writes the next batch
    done: threading.Event = field(default_factory=threading.Event)


class RequestLedger:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._queue: list[_Claim] = []
        self._queue_lock = threading.Lock()
        self._leading = False
        self._swept_at = 0  # when rows past REMEMBER were last deleted (epoch seconds)

    def claim(
        self,
        key: str,
        team_id: str,
        now: datetime,
        request: bytes | None = None,
        request_type: str = "",
        holder: str = "",
    ) -> bool | Answered | None:
        """True: the first copy, go ahead (the request is now in the inbox). An Answered:
        a copy of a request already answered. None: a copy of one still being handled
        (answer it with a plain ack). Raises DatabaseBusy when the database is held by
        someone else.

        Claims that arrive together are written in one transaction (group commit): each
        must reach the disk before its ack, and a commit's sync costs far more than the
        rows, so under load one sync serves every request waiting for it."""
        mine = _Claim(key, team_id, epoch(now), request, request_type, holder)
        with self._queue_lock:
            self._queue.append(mine)
            lead = not self._leading
            self._leading = True
        if not lead:
            mine.done.wait()
        if lead or mine.lead:
            self._lead(mine)
        if mine.error is not None:
            raise mine.error
        return mine.outcome

    def _lead(self, mine: _Claim) -> None:
        """Write every claim waiting now, `mine` among them, then pass the lead on."""
        with self._queue_lock:
            batch, self._queue = self._queue, []
        try:
            self._write(batch)
        except BaseException as error:
            for claim in batch:
                claim.error = error
            if not isinstance(error, Exception):
                raise
        finally:
            with self._queue_lock:
                if self._queue:
                    self._queue[0].lead = True  # it wakes and writes the next batch
                    self._queue[0].done.set()
                else:
                    self._leading = False
            for claim in batch:
                if claim is not mine:
                    claim.done.set()

    def _write(self, batch: list[_Claim]) -> None:
        """One transaction for the batch, in as few statements as its size allows: each
        statement gives up Python's lock, and under load getting it back costs more
        than the statement (every other request's thread wants it too)."""
        keys = list(dict.fromkeys(claim.key for claim in batch))
        with self.database.transaction(PATIENCE_SECONDS, bookkeeping=True, synced=True) as db:
            known = {
                row["key"]: row
                for row in named(
                    db.execute(
                        "SELECT key, status, content_type, body FROM slack_requests"
                        f" WHERE key IN ({', '.join('?' * len(keys))})",
                        keys,
                    )
                )
            }
            new: list[list] = []
            for claim in batch:
                row = known.get(claim.key)
                if row is None:
                    claim.outcome = True  # the first copy
                    known[claim.key] = {"status": None}  # a copy in this batch: in hand
                    new.append(
                        [
                            claim.key,
                            claim.team_id,
                            claim.received_at,
                            claim.request,
                            claim.request_type,
                            claim.holder,
                        ]
                    )
                elif row["status"] is not None:
                    claim.outcome = Answered(
                        row["status"], row["content_type"] or "", row["body"] or b""
                    )
            for at in range(0, len(new), ROWS_PER_INSERT):
                rows = new[at : at + ROWS_PER_INSERT]
                db.conn.execute(
                    "INSERT INTO slack_requests (key, team_id, received_at, request,"
                    " request_type, holder) VALUES "
                    + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rows)),
                    [value for row in rows for value in row],
                )
            newest = max(claim.received_at for claim in batch)
            if newest - self._swept_at >= SWEEP_EVERY.total_seconds():
                self._swept_at = newest
                db.execute(
                    "DELETE FROM slack_requests WHERE received_at < ?",
                    [newest - int(REMEMBER.total_seconds())],
                )

    def answered(
        self, key: str, answer: Answered, now: datetime | None = None, finished: bool = False
    ) -> None:
        """Keep the answer for copies; `finished` (with `now`): nothing is left to do."""
        done = epoch(now) if finished and now is not None else None
        with self.database.transaction(PATIENCE_SECONDS, bookkeeping=True) as db:
            db.execute(
                "UPDATE slack_requests SET status = ?, content_type = ?, body = ?,"
                " done_at = COALESCE(done_at, ?), replied_at = COALESCE(replied_at, ?)"
                " WHERE key = ?",
                [answer.status, answer.content_type, answer.body, done, done, key],
            )

    def forget(self, key: str) -> None:
        """The first copy failed before answering: let a retry do the work."""
        with self.database.transaction(PATIENCE_SECONDS, bookkeeping=True) as db:
            db.execute("DELETE FROM slack_requests WHERE key = ?", [key])

    @staticmethod
    def mark_done(db: sqlite_utils.Database, key: str, now: datetime) -> None:
        """Inside the transaction of the change a request asked for: record it as done,
        or raise AlreadyDone when an earlier run already committed it."""
        row = db.execute("SELECT done_at FROM slack_requests WHERE key = ?", [key]).fetchone()
        if row is not None and row[0] is not None:
            raise AlreadyDone(key)
        db.execute("UPDATE slack_requests SET done_at = ? WHERE key = ?", [epoch(now), key])

    def replied(self, key: str, now: datetime) -> None:
        """The user was answered: nothing is left to do for this request."""
        with self.database.transaction(PATIENCE_SECONDS, bookkeeping=True) as db:
            db.execute(
                "UPDATE slack_requests SET replied_at = ?, done_at = COALESCE(done_at, ?)"
                " WHERE key = ?",
                [epoch(now), epoch(now), key],
            )

    def unfinished(self, since: datetime, limit: int = 100) -> list[Unfinished]:
        """Requests received since `since`, kept with their body, never replied to."""
        with self.database.reading() as db:
            rows = named(
                db.execute(
                    f"SELECT {UNFINISHED_COLUMNS} FROM slack_requests"
                    " WHERE replied_at IS NULL AND received_at >= ? AND request IS NOT NULL"
                    " ORDER BY received_at LIMIT ?",
                    [epoch(since), limit],
                )
            )
        return [_unfinished(r) for r in rows]

    def hand_over(self, key: str, to: str, held_by: str) -> Unfinished | None:
        """The request `held_by` one process acked, now `to` another to carry out (not a
        replay: nothing went wrong). None when it is finished or someone else has it."""
        with self.database.transaction(PATIENCE_SECONDS, bookkeeping=True) as db:
            taken = db.execute(
                "UPDATE slack_requests SET holder = ?"
                " WHERE key = ? AND holder = ? AND replied_at IS NULL AND request IS NOT NULL",
                [to, key, held_by],
            ).rowcount
            if taken != 1:
                return None
            row = named_one(
                db.execute(
                    f"SELECT {UNFINISHED_COLUMNS} FROM slack_requests WHERE key = ?",
                    [key],
                )
            )
        return _unfinished(row)

    def held_by(self, holder: str, since: datetime, before: datetime) -> list[str]:
        """Keys of requests `holder` acked between `since` and `before`, not replied to."""
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT key FROM slack_requests WHERE holder = ? AND replied_at IS NULL"
                " AND received_at >= ? AND received_at < ? AND request IS NOT NULL"
                " ORDER BY received_at LIMIT 100",
                [holder, epoch(since), epoch(before)],
            ).fetchall()
        return [row[0] for row in rows]

    def take_over(self, key: str, holder: str, was_held_by: str, max_replays: int) -> bool:
        """Make `holder` the one handling an unfinished request, unless another process
        took it first or it was replayed `max_replays` times already."""
        with self.database.transaction(PATIENCE_SECONDS, bookkeeping=True) as db:
            taken = db.execute(
                "UPDATE slack_requests SET holder = ?, replays = replays + 1"
                " WHERE key = ? AND holder = ? AND replied_at IS NULL AND replays < ?",
                [holder, key, was_held_by, max_replays],
            ).rowcount
        return taken == 1


def _unfinished(row: dict) -> Unfinished:
    return Unfinished(
        key=row["key"],
        team_id=row["team_id"] or "",
        request=row["request"],
        request_type=row["request_type"] or "",
        holder=row["holder"] or "",
        received_at=row["received_at"],
        done=row["done_at"] is not None,
        replays=row["replays"],
    )
