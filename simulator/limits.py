"""Slack's published Web API rate limits, for the Slack double (`FakeSlack.enforce_rate_limits`).

What Slack publishes (docs.slack.dev, "Rate limits"), per method, per app, per workspace:

* Tier 1: 1+ a minute; Tier 2: 20+; Tier 3: 50+; Tier 4: 100+ (bursts tolerated);
* chat.postMessage (special tier): about one message a second per channel, "short bursts
  of more than one allowed";
* since May 2025, apps distributed outside the Slack Marketplace get conversations.history
  (and .replies) at 1 call a minute and at most 15 messages a call.

A call over a limit is answered 429 with `Retry-After` (whole seconds) and does nothing.
The tiers are enforced as "at most N calls in any 60 s"; chat.postMessage per channel as
one a second with a burst of `post_burst` (Slack does not publish the burst's size). Time
is `monotonic` seconds (real time for the benchmarks, a test's manual clock for tests).
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable

TIER_1, TIER_2, TIER_3, TIER_4 = 1, 20, 50, 100

# Calls a minute per workspace, for the methods the double serves (each method's page).
TIERS: dict[str, int] = {
    "auth.test": TIER_4,
    "users.info": TIER_4,
    "users.list": TIER_2,
    "chat.postEphemeral": TIER_4,
    "chat.update": TIER_3,
    "chat.delete": TIER_3,
    "views.open": TIER_4,
    "views.push": TIER_4,
    "views.update": TIER_4,
    "views.publish": TIER_4,
    "conversations.info": TIER_3,
    "conversations.open": TIER_3,
    "conversations.history": TIER_3,
    "files.getUploadURLExternal": TIER_4,
    "files.completeUploadExternal": TIER_4,
}
POST = "chat.postMessage"
HISTORY = "conversations.history"
# Outside the Marketplace (Slack's change of May 2025).
NON_MARKETPLACE_HISTORY_PER_MINUTE = 1
NON_MARKETPLACE_HISTORY_LIMIT = 15
WINDOW = 60.0


class RateLimits:
    """Counts calls per workspace and method (and per channel for posts); `check` says
    whether one more is allowed now, and if not, after how many seconds."""

    def __init__(
        self,
        monotonic: Callable[[], float],
        marketplace: bool = True,
        post_burst: int = 3,
        post_interval: float = 1.0,
    ) -> None:
        self.monotonic = monotonic
        self.marketplace = marketplace
        self.post_burst = post_burst
        self.post_interval = post_interval
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], deque[float]] = {}
        # (team, channel) -> theoretical arrival time of the next post (GCRA)
        self._posts: dict[tuple[str, str], float] = {}

    def per_minute(self, method: str) -> int | None:
        if method == HISTORY and not self.marketplace:
            return NON_MARKETPLACE_HISTORY_PER_MINUTE
        return TIERS.get(method)

    def history_limit(self) -> int | None:
        """The most messages one conversations.history call returns, when capped."""
        return None if self.marketplace else NON_MARKETPLACE_HISTORY_LIMIT

    def check(self, team_id: str, method: str, channel: str | None) -> int | None:
        """None: the call may go ahead (and is counted); else Retry-After, in seconds."""
        now = self.monotonic()
        with self._lock:
            if method == POST and channel:
                return self._post(team_id, channel, now)
            limit = self.per_minute(method)
            if limit is None:
                return None
            window = self._windows.setdefault((team_id, method), deque())
            while window and window[0] <= now - WINDOW:
                window.popleft()
            if len(window) >= limit:
                return max(1, math.ceil(window[0] + WINDOW - now))
            window.append(now)
            return None

    def _post(self, team_id: str, channel: str, now: float) -> int | None:
        key = (team_id, channel)
        tolerance = (self.post_burst - 1) * self.post_interval
        arrival = self._posts.get(key, now)
        if now < arrival - tolerance:
            return max(1, math.ceil(arrival - tolerance - now))
        self._posts[key] = max(arrival, now) + self.post_interval
        return None
