"""Requests already received from Slack, so a retry changes nothing and gets the same answer.

Slack resends a request it thinks timed out (and retries events after 1 and 5 minutes).
A request is known by the hash of its exact body (an event by its event_id), which a
resend repeats and a new request never does (every command and click carries its own
trigger_id). The first copy claims the key inside one transaction; the answer it gave is
kept, and every copy after it gets that answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from entities.instants import epoch
from storage.db import Database, named_one

# Slack's last retry comes 5 minutes after the first try; keep well beyond that.
REMEMBER = timedelta(days=1)
# Remembering a request must not eat the 3 seconds of its ack.
PATIENCE_SECONDS = 0.3


@dataclass(frozen=True)
class Answered:
    status: int
    content_type: str
    body: bytes


class RequestLedger:
    def __init__(self, database: Database) -> None:
        self.database = database

    def claim(self, key: str, team_id: str, now: datetime) -> bool | Answered | None:
        """True: the first copy, go ahead. An Answered: a copy of a request already
        answered. None: a copy of one still being handled (answer it with a plain ack).
        Raises DatabaseBusy when the database is held by someone else."""
        with self.database.transaction(PATIENCE_SECONDS) as db:
            row = named_one(
                db.execute(
                    "SELECT status, content_type, body FROM slack_requests WHERE key = ?", [key]
                )
            )
            if row is None:
                db.execute(
                    "INSERT INTO slack_requests (key, team_id, received_at) VALUES (?, ?, ?)",
                    [key, team_id, epoch(now)],
                )
                db.execute(
                    "DELETE FROM slack_requests WHERE received_at < ?", [epoch(now - REMEMBER)]
                )
                return True
        if row["status"] is None:
            return None
        return Answered(row["status"], row["content_type"] or "", row["body"] or b"")

    def answered(self, key: str, answer: Answered) -> None:
        with self.database.transaction(PATIENCE_SECONDS) as db:
            db.execute(
                "UPDATE slack_requests SET status = ?, content_type = ?, body = ? WHERE key = ?",
                [answer.status, answer.content_type, answer.body, key],
            )

    def forget(self, key: str) -> None:
        """The first copy failed before answering: let a retry do the work."""
        with self.database.transaction(PATIENCE_SECONDS) as db:
            db.execute("DELETE FROM slack_requests WHERE key = ?", [key])
