"""The ack goes out the moment a listener calls ack(), not at Bolt's next poll.

Bolt runs a listener on its listener executor and, in the request's thread, checks every
10 ms whether it has acked yet (slack_bolt/listener/thread_runner.py). Every ack
therefore waited into the next 10 ms step: a request's thread was held at least 10 ms
and, under load, 20, so the server's 16 threads bounded its acks at 1,600 a second,
and at 800 once listeners took longer than one step.

Here the request's thread waits on an event instead: the context middleware gives each
request an `AckSignal` (Bolt's own Ack that also sets an event), and `AckFirstExecutor`,
when Bolt hands it the listener, runs it on a pool thread and waits until the listener
acks or returns. Bolt's loop then finds the ack given and answers at once. The work a
listener does after its ack still runs on the pool thread, after the answer, as before.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor

from slack_bolt.context.ack import Ack

# Bolt's listeners have 3 seconds to ack; past that its own loop gives up anyway.
ACK_PATIENCE_SECONDS = 3.0

_pending = threading.local()


class AckSignal(Ack):
    """Bolt's Ack, which also tells the request's thread that the ack was given."""

    def __init__(self) -> None:
        super().__init__()
        self.given = threading.Event()

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self.given.set()


def expect_ack(ack: AckSignal, inline: bool = False) -> None:
    """The ack the next listener started from this thread will give (the middleware
    calls this in the request's thread, before Bolt starts the listener). `inline`: run
    that listener in this thread (a slash command's listener hands its work on after
    the ack, so it returns at once; one thread less to wake per request)."""
    _pending.ack = ack
    _pending.inline = inline


class AckFirstExecutor(ThreadPoolExecutor):
    """Bolt's listener executor: runs each listener on a pool thread; the first one
    started for a request returns only once it has acked (or ended), so Bolt's check
    right after finds the ack and answers without sleeping. Lazy listeners and any
    other task are only started."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        ack = getattr(_pending, "ack", None)
        _pending.ack = None
        if ack is not None and _pending.inline:
            done: Future = Future()
            try:
                done.set_result(fn(*args, **kwargs))
            except BaseException as error:  # Bolt's own wrapper catches the listener's
                done.set_exception(error)
            return done
        future = super().submit(fn, *args, **kwargs)
        if ack is not None:
            future.add_done_callback(lambda _: ack.given.set())  # returned without ack
            ack.given.wait(ACK_PATIENCE_SECONDS)
        return future
