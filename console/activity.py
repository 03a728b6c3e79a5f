"""Waiting for quiet: work in flight on the app's thread pools, counted.

A driver of the real app (the console, the tests' transcript) wraps the executors that
run listeners and after-ack work, so it can wait until SalesMeet has finished what a
request started before it reads what Slack received.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

IDLE_TIMEOUT = 30.0  # seconds to wait for the app to finish what a request started


class Activity:
    """Counts work in flight on the app's thread pools, so a driver can wait for quiet."""

    def __init__(self) -> None:
        self._busy = 0
        self._cond = threading.Condition()

    def wrap(self, executor: Executor) -> Executor:
        return _Tracked(executor, self)

    def enter(self) -> None:
        with self._cond:
            self._busy += 1

    def leave(self) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify_all()

    def wait_idle(self, timeout: float = IDLE_TIMEOUT) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._busy == 0, timeout)


class _Tracked(Executor):
    def __init__(self, inner: Executor, activity: Activity) -> None:
        self.inner = inner
        self.activity = activity

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        self.activity.enter()  # before submit returns, so a caller's own task still counts

        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                self.activity.leave()

        try:
            return self.inner.submit(run)
        except BaseException:
            self.activity.leave()
            raise

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)
