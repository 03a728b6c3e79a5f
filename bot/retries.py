"""Slack's retries change nothing twice, and nothing acked is lost.

The first copy of a request does the work; every copy after it gets the answer the first
one gave (storage/requests.py keeps them). The same row is the inbox: it holds the
request as received before anything is acked. Work that finishes after the ack commits
"done" with the change it makes (`acting_for`) and "replied" once the user has heard;
a request acked by a process that died before replying is carried out again by the next
one (`orphans`, and handlers/inbox.py). In a server with a worker process
(salesmeet/worker.py), the work after the ack is handed over to it (`carry_out`), so
acks never share a core with that work.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.processes import running
from entities.errors import DatabaseBusy
from storage.requests import Answered, RequestLedger, Unfinished

__all__ = ["RetryGuard", "Unfinished", "process_holder"]

log = logging.getLogger(__name__)

# A response_url takes answers for 30 minutes: older requests cannot be answered.
REPLAY_WITHIN = timedelta(minutes=30)
# A request held by a process on another machine is taken over once it is this old
# (work after the ack takes seconds; a live process would have replied by then).
FOREIGN_PATIENCE = timedelta(minutes=2)
# A request whose replay kills the process every time is given up after this many.
MAX_REPLAYS = 3
# Deferred keys are needed only until the ack's answer is settled (milliseconds); a
# request carried out elsewhere is never replied to here, so its key is dropped after this.
FORGET_DEFERRED_AFTER = timedelta(minutes=10)


def process_holder() -> str:
    """host:pid:nonce, unique to this process (pids repeat across restarts in a container)."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"


class RetryGuard:
    def __init__(self, ledger: RequestLedger, clock: Clock, holder: str | None = None) -> None:
        self.ledger = ledger
        self.clock = clock
        self.holder = holder or process_holder()
        self._deferred: dict[str, datetime] = {}
        self._pruned_at = clock.now()
        self._lock = threading.Lock()
        # Set in a server with a worker process: takes a deferred request's key; the
        # worker carries the request out (salesmeet/worker.py).
        self.handoff: Callable[[str], None] | None = None

    @staticmethod
    def key(body: bytes, event_id: str | None) -> str:
        """An event by its event_id (Slack's own id for it); anything else by its body."""
        if event_id:
            return "event:" + event_id[:100]
        return "body:" + hashlib.sha256(body).hexdigest()

    def once(
        self,
        key: str,
        team_id: str,
        handle: Callable[[], Answered],
        request: bytes | None = None,
        request_type: str = "",
    ) -> Answered:
        """`handle()` for the first copy of a request; for a copy, the first one's answer
        (or a plain ack while the first is still being handled). The request is in the
        inbox before `handle()` runs, so before anything is acked."""
        try:
            seen = self.ledger.claim(
                key, team_id, self.clock.now(), request, request_type, self.holder
            )
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
        self.settle(key, answer)
        return answer

    def settle(self, key: str, answer: Answered) -> None:
        """Keep what the first copy was answered. A request whose work goes on after the
        ack is finished by that work (`replied`); a plain ack needs no write at all (a
        copy of a row with no answer gets a plain ack), which keeps the ack path to one
        write."""
        with self._lock:
            deferred = key in self._deferred
        try:
            if answer.status >= 500:
                self.ledger.forget(key)  # nothing was answered: a retry may do better
            elif not deferred:
                self.ledger.answered(key, answer, self.clock.now(), finished=True)
            elif answer.body:
                self.ledger.answered(key, answer)
        except DatabaseBusy:
            log.warning("database busy: answer of %s not kept for retries", key[:24])

    def defer(self, key: str | None) -> None:
        """The request's work goes on after its ack: it is finished by `replied`. Call
        before the ack."""
        if key:
            now = self.clock.now()
            with self._lock:
                self._deferred[key] = now
                if now - self._pruned_at > FORGET_DEFERRED_AFTER:
                    self._pruned_at = now
                    old = now - FORGET_DEFERRED_AFTER
                    for stale in [k for k, at in self._deferred.items() if at < old]:
                        del self._deferred[stale]

    def carry_out(self, key: str | None, work: Callable[[], None], pool: Executor) -> None:
        """Run a deferred request's `work` after its ack: here on `pool`, or, with a worker
        process, there (it dispatches the request from the inbox again, and its own run
        of `work` replies)."""
        if key and self.handoff is not None:
            self.handoff(key)
        else:
            pool.submit(work)

    def hand_over(self, key: str, held_by: str) -> Unfinished | None:
        """Make this process the one carrying out a request `held_by` acked."""
        return self.ledger.hand_over(key, self.holder, held_by)

    def left_by(self, holder: str, older_than: timedelta) -> list[str]:
        """Requests `holder` acked over `older_than` ago and still unanswered."""
        now = self.clock.now()
        return self.ledger.held_by(holder, now - REPLAY_WITHIN, now - older_than)

    def deferred(self, key: str | None) -> bool:
        with self._lock:
            return key in self._deferred

    @contextmanager
    def acting_for(self, key: str | None) -> Iterator[None]:
        """Work for request `key` in this thread: its first change commits "done" with it,
        and raises AlreadyDone when an earlier run already committed it."""
        if not key:
            yield
            return
        database = self.ledger.database
        with database.acting_for(lambda db: self.ledger.mark_done(db, key, self.clock.now())):
            yield

    def replied(self, key: str | None) -> None:
        """The user has their answer: the request is finished."""
        if not key:
            return
        with self._lock:
            self._deferred.pop(key, None)
        try:
            self.ledger.replied(key, self.clock.now())
        except DatabaseBusy:
            log.warning("database busy: request %s not marked replied", key[:24])

    def orphans(self) -> list[Unfinished]:
        """Requests acked but never replied to whose process is gone: this process takes
        each over (at most MAX_REPLAYS times) and carries it out."""
        now = self.clock.now()
        taken = []
        for item in self.ledger.unfinished(now - REPLAY_WITHIN):
            if item.holder == self.holder or not self._gone(item, now):
                continue
            if self.ledger.take_over(item.key, self.holder, item.holder, MAX_REPLAYS):
                taken.append(item)
            elif item.replays >= MAX_REPLAYS:
                log.error("request %s given up after %d replays", item.key[:24], item.replays)
        return taken

    def _gone(self, item: Unfinished, now) -> bool:
        host, _, rest = item.holder.partition(":")
        pid_text = rest.partition(":")[0]
        if host == socket.gethostname() and pid_text.isdigit():
            pid = int(pid_text)
            if pid == os.getpid():
                return True  # an earlier life of this pid (a restarted container)
            return not running(pid)
        return now.timestamp() - item.received_at > FOREIGN_PATIENCE.total_seconds()
