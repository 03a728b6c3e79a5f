"""Log lines written by one thread, a batch at a time.

A request's thread formats its line and leaves it in a queue. Waking a writer for every
line cost more than the line: under load each wake-up handed Python's lock to the writer
and back, about 100 µs of a busy server's 700 µs of CPU per request (bench/README.md,
"The ack, fifth pass"). The writer wakes at the first line, lets the next ones gather for
GATHER_SECONDS, and writes them all with one write: a line reaches stderr about that
late, and every line queued before the exit is written (`stop`, run at exit)."""

from __future__ import annotations

import logging
import queue
import threading
from typing import TextIO

# How long the writer lets lines gather after the first: about how late a line is.
GATHER_SECONDS = 0.05
# The most lines one write carries (a burst is written in several).
LINES_PER_WRITE = 2000
STOP_PATIENCE_SECONDS = 5.0

_STOP = "\0stop"  # never a line: each ends with a newline


class QueuedLines(logging.Handler):
    """Formats a record in the caller's thread and queues its text for `LineWriter`."""

    def __init__(self, lines: queue.SimpleQueue[str]) -> None:
        super().__init__()
        self.lines = lines

    def handle(self, record: logging.LogRecord) -> bool:
        # The queue is safe across threads: no handler lock to queue behind.
        kept = self.filter(record)
        if kept:
            self.emit(kept if isinstance(kept, logging.LogRecord) else record)
        return bool(kept)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.put(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


class LineWriter:
    """Writes the queued lines to `stream`, a batch at a time, in a thread of its own."""

    def __init__(
        self,
        lines: queue.SimpleQueue[str],
        stream: TextIO,
        gather: float = GATHER_SECONDS,
    ) -> None:
        self.lines = lines
        self.stream = stream
        self.gather = gather
        self._stopping = threading.Event()
        self._writing = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="salesmeet-log", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Write every line queued so far, then stop the thread."""
        self._stopping.set()
        self.lines.put(_STOP)
        self._thread.join(STOP_PATIENCE_SECONDS)
        self._write_queued()  # lines other threads logged while the writer stopped

    def _run(self) -> None:
        while True:
            first = self.lines.get()  # asleep until there is a line
            if not self._stopping.is_set():
                self._stopping.wait(self.gather)
            if not self._write_queued(first):
                return

    def _write_queued(self, first: str | None = None) -> bool:
        """Write `first` and what is queued after it; False once the stop was queued."""
        going = True
        with self._writing:
            batch: list[str] = []
            line = first
            while True:
                if line == _STOP:
                    going = False
                elif line is not None:
                    batch.append(line)
                if len(batch) >= LINES_PER_WRITE:
                    self._write(batch)
                    batch = []
                try:
                    line = self.lines.get_nowait()
                except queue.Empty:
                    break
            self._write(batch)
        return going

    def _write(self, batch: list[str]) -> None:
        if not batch:
            return
        try:
            self.stream.write("".join(batch))
            self.stream.flush()
        except (OSError, ValueError):
            pass  # stderr closed or gone: nowhere left to say so
