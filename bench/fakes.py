"""The Slack simulator, stamping when each Web API request arrived: for the benchmarks only."""

from __future__ import annotations

import threading
from typing import Any

from bot.clock import SystemClock
from simulator.webapi import Call, FakeSlack

WALL = SystemClock()


class TimedFakeSlack(FakeSlack):
    """Records, per chat.postMessage, the wall-clock time its request body was fully read.

    `FakeSlack._handle` reads the body, then calls `_api`; the stamp is taken on entry
    to `_api` (the same request thread) and attached to the `Call` when it is recorded.
    """

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__()
        self.latency = latency  # every Web API call is answered this many seconds late
        self._stamp = threading.local()
        self._posts = 0
        self._target: int | None = None
        self._reached = threading.Event()
        # delivery id (from the post's metadata) -> wall-clock epoch seconds the fake received it
        self.received: dict[int, float] = {}
        self.other_posts = 0  # posts without a delivery id (e.g. owner DMs)

    def _api(self, h: Any, method: str, query: str, raw: bytes) -> Any:
        self._stamp.at = WALL.epoch()
        outcome = super()._api(h, method, query, raw)
        outcome.delay = max(outcome.delay, self.latency)  # a far-away Slack, 429s too
        return outcome

    def _record_call(self, call: Call) -> None:
        at = getattr(self._stamp, "at", WALL.epoch())
        call.received_at = at  # type: ignore[attr-defined]
        if call.method == "chat.postMessage" and not call.faulted:
            delivery = _delivery_id(call.params)
            with self._lock:
                if delivery is None:
                    self.other_posts += 1
                else:
                    self.received.setdefault(delivery, at)
                self._posts += 1
                if self._target is not None and len(self.received) >= self._target:
                    self._reached.set()
        super()._record_call(call)

    def expect(self, count: int) -> None:
        """Arm `wait_posts`: it returns once `count` distinct deliveries were posted."""
        with self._lock:
            self._target = count
            self._reached.clear()
            if len(self.received) >= count:
                self._reached.set()

    def wait_posts(self, timeout: float) -> bool:
        return self._reached.wait(timeout)


def _delivery_id(params: dict) -> str | None:
    """The post key a timed post carries in its metadata (bot/channel_posts.post_key)."""
    metadata = params.get("metadata")
    if not isinstance(metadata, dict):
        return None
    payload = metadata.get("event_payload") or {}
    value = payload.get("post")
    return value if isinstance(value, str) else None
