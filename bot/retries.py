"""Slack's retries change nothing twice: the first copy of a request does the work, every
copy after it gets the answer the first one gave (storage/requests.py keeps them)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from bot.clock import Clock
from entities.errors import DatabaseBusy
from storage.requests import Answered, RequestLedger

log = logging.getLogger(__name__)


class RetryGuard:
    def __init__(self, ledger: RequestLedger, clock: Clock) -> None:
        self.ledger = ledger
        self.clock = clock

    @staticmethod
    def key(body: bytes, event_id: str | None) -> str:
        """An event by its event_id (Slack's own id for it); anything else by its body."""
        if event_id:
            return "event:" + event_id[:100]
        return "body:" + hashlib.sha256(body).hexdigest()

    def once(self, key: str, team_id: str, handle: Callable[[], Answered]) -> Answered:
        """`handle()` for the first copy of a request; for a copy, the first one's answer
        (or a plain ack while the first is still being handled)."""
        try:
            seen = self.ledger.claim(key, team_id, self.clock.now())
        except DatabaseBusy:
            # Nothing can be written now, so the request itself cannot change anything
            # twice either: let it through; it answers for itself (reads, or "busy").
            log.warning("database busy: request %s handled without the retry check", key[:24])
            return handle()
        if seen is None:
            return Answered(200, "text/plain", b"")
        if isinstance(seen, Answered):
            return seen
        try:
            answer = handle()
        except BaseException:
            self.ledger.forget(key)
            raise
        try:
            if answer.status >= 500:
                self.ledger.forget(key)  # nothing was answered: a retry may do better
            else:
                self.ledger.answered(key, answer)
        except DatabaseBusy:
            log.warning("database busy: answer of %s not kept for retries", key[:24])
        return answer
