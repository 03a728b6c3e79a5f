"""Pacing calls to Slack so that a burst of posts gets no 429 at all.

Slack limits calls per method per workspace (tiers: Tier 3 is 50+ a minute, …) and posts
to about one a second per channel, with short bursts allowed; over a limit it answers
429 with Retry-After. The pacer hands out slots ahead of time, per key (a workspace's
method, or a workspace's channel for posts), so each caller knows when its call may go
out, and `hold` honours a Retry-After for the one key it concerns.

Slots are handed out with the generic cell rate algorithm: each key keeps the instant its
next call is due at the steady rate; a call may go up to `burst - 1` intervals before it.
Times are the injected clock's monotonic seconds (a test's manual clock moves them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

POST = "chat.postMessage"
OPEN = "conversations.open"
HISTORY = "conversations.history"


@dataclass(frozen=True)
class Rate:
    interval: float  # seconds between calls at the steady rate
    burst: int = 1  # calls that may go at once after a quiet spell

    @classmethod
    def per_minute(cls, calls: int, burst: int = 1) -> Rate:
        return cls(60.0 / calls, burst)


# One post a second per channel (Slack's special tier); a burst of 2 leaves room for the
# jitter between our clock and Slack's, which Slack's own short bursts absorb.
POST_RATE = Rate(1.0, burst=2)
# Per workspace. conversations.open and conversations.history are Tier 3 (50+ a minute)
# for an app a workspace built for itself (one bot token) or one in the Marketplace;
# an app distributed outside the Marketplace (OAuth) gets conversations.history at 1 call
# a minute (Slack's change of May 2025).
METHOD_RATES = {
    HISTORY: Rate.per_minute(50, burst=5),
    OPEN: Rate.per_minute(50, burst=5),
}
DISTRIBUTED_RATES = {**METHOD_RATES, HISTORY: Rate.per_minute(1)}


class Pacer:
    def __init__(
        self,
        monotonic: Callable[[], float],
        post_rate: Rate = POST_RATE,
        method_rates: dict[str, Rate] | None = None,
    ) -> None:
        self.monotonic = monotonic
        self.post_rate = post_rate
        self.method_rates = METHOD_RATES if method_rates is None else method_rates
        self._lock = threading.Lock()
        self._next: dict[tuple[str, ...], float] = {}  # key -> steady-rate instant of its next call
        self._held: dict[tuple[str, ...], float] = {}  # key -> no call before (Retry-After)

    @staticmethod
    def channel_key(team_id: str, channel_id: str) -> tuple[str, ...]:
        return (team_id, POST, channel_id)

    @staticmethod
    def method_key(team_id: str, method: str) -> tuple[str, ...]:
        return (team_id, method)

    def _rate(self, key: tuple[str, ...]) -> Rate | None:
        if len(key) == 3:
            return self.post_rate
        return self.method_rates.get(key[1])

    def reserve(self, key: tuple[str, ...]) -> float:
        """Take the key's next slot: seconds from now until the call may go (0: at once).
        Slots are handed out in order, so callers of one key keep their order."""
        now = self.monotonic()
        rate = self._rate(key)
        with self._lock:
            earliest = max(now, self._held.get(key, now))
            if rate is None:
                return earliest - now
            due = self._next.get(key, earliest)
            slot = max(earliest, due - (rate.burst - 1) * rate.interval)
            self._next[key] = max(due, slot) + rate.interval
            return slot - now

    def wait(self, key: tuple[str, ...]) -> float:
        """Seconds until the key may be called again, without taking a slot."""
        now = self.monotonic()
        rate = self._rate(key)
        with self._lock:
            earliest = max(now, self._held.get(key, now))
            if rate is None:
                return earliest - now
            due = self._next.get(key, earliest)
            return max(earliest, due - (rate.burst - 1) * rate.interval) - now

    def held(self, key: tuple[str, ...]) -> float:
        """Seconds left of a Retry-After on this key (0 when none)."""
        now = self.monotonic()
        with self._lock:
            return max(self._held.get(key, now) - now, 0.0)

    def hold(self, key: tuple[str, ...], seconds: float) -> None:
        """Slack answered 429 with Retry-After `seconds` for this key: no call before then,
        and slots handed out from now on start there."""
        now = self.monotonic()
        with self._lock:
            until = now + max(seconds, 0.0)
            self._held[key] = max(self._held.get(key, 0.0), until)
            self._next[key] = max(self._next.get(key, 0.0), until)

    def booked(self, key: tuple[str, ...], seconds_from_now: float) -> None:
        """Slots for this key are taken up to `seconds_from_now` (posts held in the database
        by an earlier process): new slots come after them."""
        now = self.monotonic()
        rate = self._rate(key)
        if rate is None:
            return
        with self._lock:
            after = now + seconds_from_now + rate.interval
            self._next[key] = max(self._next.get(key, 0.0), after)
