"""`python app.py`, with probes, for the capacity benchmark (bench/capacity.py).

It runs app.py's own `main()` unchanged, in a process that also counts, every half
second into the JSON file named by CAPACITY_STATS:

* the write lock: how long each `Database.transaction` waited to get SQLite's one writer
  (the in-process lock, then BEGIN IMMEDIATE), how long it held it, and how many gave up
  (DatabaseBusy after WRITE_PATIENCE_SECONDS);
* log records of WARNING and above (by logger and message), and the dispatcher's
  "Slack asked ... to wait" (a 429 from the Slack double).

No app code is changed: the probe wraps the method on the class before `main()` builds
anything. Run by the benchmark only: `python -m bench.capacity_child`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from entities.errors import DatabaseBusy
from storage.db import Database

# Upper bounds (ms) of the wait histogram; the last bucket is "more".
BUCKETS_MS = (1, 5, 10, 50, 100, 300, 1000, 2000)


class Probe:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.transactions = 0
        self.wait_total = 0.0
        self.wait_max = 0.0
        self.hold_total = 0.0
        self.busy = 0
        self.histogram = [0] * (len(BUCKETS_MS) + 1)
        self.logs: Counter[str] = Counter()

    def waited(self, seconds: float) -> None:
        bucket = next(
            (i for i, top in enumerate(BUCKETS_MS) if seconds * 1000 <= top), len(BUCKETS_MS)
        )
        with self.lock:
            self.transactions += 1
            self.wait_total += seconds
            self.wait_max = max(self.wait_max, seconds)
            self.histogram[bucket] += 1

    def held(self, seconds: float) -> None:
        with self.lock:
            self.hold_total += seconds

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "transactions": self.transactions,
                "wait_total": self.wait_total,
                "wait_max": self.wait_max,
                "hold_total": self.hold_total,
                "busy": self.busy,
                "histogram": list(self.histogram),
                "logs": dict(self.logs),
            }


PROBE = Probe()


def _wrap_transactions() -> None:
    original = Database.transaction

    @contextmanager
    def transaction(self, *args, **kwargs):
        outer = not getattr(self._writing, "depth", 0)  # nested ones take no lock
        started = time.perf_counter()
        manager = original(self, *args, **kwargs)
        try:
            db = manager.__enter__()
        except DatabaseBusy:
            with PROBE.lock:
                PROBE.busy += 1
            raise
        got = time.perf_counter()
        if outer:
            PROBE.waited(got - started)
        try:
            yield db
        except BaseException:
            if not manager.__exit__(*sys.exc_info()):
                raise
        else:
            manager.__exit__(None, None, None)
        finally:
            if outer:
                PROBE.held(time.perf_counter() - got)

    Database.transaction = transaction  # type: ignore[method-assign]


class _Counting(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            key = f"{record.levelname} {record.name}: {message[:100]}"
        elif message.startswith("Slack asked"):
            key = "INFO dispatcher: Slack asked a channel to wait (429)"
        else:
            return
        with PROBE.lock:
            PROBE.logs[key] += 1


def _dump(path: Path) -> None:
    while True:
        temp = path.with_suffix(".tmp")
        temp.write_text(json.dumps(PROBE.snapshot()))
        os.replace(temp, path)
        time.sleep(0.5)


def main() -> int:
    _wrap_transactions()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(_Counting())  # app.main's basicConfig then adds nothing: no stderr
    stats = os.environ.get("CAPACITY_STATS")
    if stats:
        threading.Thread(target=_dump, args=(Path(stats),), daemon=True).start()
    import app  # app.py at the project root (PYTHONPATH)

    return app.main()


if __name__ == "__main__":
    sys.exit(main())
