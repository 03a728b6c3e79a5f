"""Timing wrappers put on live objects' instances (no app code is edited)."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bot.clock import SystemClock

WALL = SystemClock()


class Timers:
    """Total time and count per label, for methods wrapped on one instance each."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)
        self.spans: dict[str, list[tuple[float, float]]] = defaultdict(list)

    def wrap(self, obj: Any, name: str, label: str | None = None, keep_spans: bool = False):
        original = getattr(obj, name)
        setattr(obj, name, self.timed(original, label or name, keep_spans))

    def timed(self, fn: Callable, label: str, keep_spans: bool = False) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            wall, start = WALL.epoch(), time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                with self._lock:
                    self.total[label] += elapsed
                    self.count[label] += 1
                    if keep_spans:
                        self.spans[label].append((wall, elapsed))

        return wrapper


class LogCounter(logging.Handler):
    """Counts WARNING+ records per (logger, message template); keeps them off stderr."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: dict[tuple[str, str], int] = defaultdict(int)

    def emit(self, record: logging.LogRecord) -> None:
        self.seen[(record.name, str(record.msg))] += 1

    def __enter__(self) -> LogCounter:
        root = logging.getLogger()
        self._saved = root.handlers[:]
        root.handlers = [self]
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().handlers = self._saved
