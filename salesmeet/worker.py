"""The worker process: the work that follows an ack, off the server's core.

Slack wants every request acked within 3 seconds; the work a command asks for (booking,
posting the announcement, answering through its response_url) may take longer. In one
process that work shares the GIL with the acks, so under load acks wait behind it. In
HTTP and OAuth mode the server therefore starts this worker beside it
(`SALESMEET_WORKER=process`, the default) and hands it each deferred request's key
(bot/retries.py `carry_out`). The request is already in the inbox, as Slack sent it: the
worker takes it over and dispatches it through the same Bolt app (handlers/inbox.py),
whose listener runs the work here and replies.

The worker runs at a lower CPU priority, so a burst of requests is acked first and
carried out as soon as the core is free. It also holds the alarm that sends timed posts
(bot/alarm.py), so the server does nothing but ack: when a change made in the server
adds timed posts, the server tells the worker (`!wake`), and the worker reports each of
its alarm's heartbeats to the server, whose /healthz tells them (`beat`).

What is promised does not change: a request is stored before its ack, done once and
answered. A worker that dies leaves its requests to the next one (the server starts it
again): those it had taken are orphans of a dead process, and those it never took are
still the server's, found by the sweep (`carry_out_left`).

Protocol: the server writes one line per request key, or `!wake`, on the worker's stdin;
the worker writes `beat <epoch seconds> <1 holding the lease | 0 standing by>` lines on
its stdout. Logs go to stderr, shared with the server's.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import ctypes
import gc
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import IO

from bot.clock import SystemClock
from bot.when import warm_up
from handlers.inbox import carry_out_handed, carry_out_left, replay_orphans
from salesmeet.compose import create_app, open_database
from salesmeet.config import PROJECT_DIR, ConfigError, configure_logging, load_settings

log = logging.getLogger(__name__)

# Acks first: the worker gets the CPU the server leaves (nice 10 is about a tenth of
# the CPU against a busy server, all of it when the server is idle).
WORKER_NICE = 10
# A request the server acked this long ago and nobody took was handed to a worker that
# died before taking it. Far above the 3 seconds a listener has to ack.
LEFT_AFTER = timedelta(seconds=30)
SWEEP_EVERY_SECONDS = 30
# A worker that dies at once (a bad setting, the database gone) is restarted no faster.
RESTART_PAUSE_SECONDS = 2
CLOSE_PATIENCE_SECONDS = 10
# Keys handed to a worker that died are given to the next one again, the latest this many.
RESEND_AT_MOST = 256
# Keys written to the worker in one write, at most.
KEYS_PER_WRITE = 256
WAKE = "!wake"  # never a request key: those start with body: or event:
BEAT = b"beat"
PR_SET_PDEATHSIG = 1


class WorkersAlarm:
    """The server's view of the alarm its worker holds, from the worker's `beat` lines:
    what /healthz reads (salesmeet/transport.py Health), as it would read an Alarm."""

    def __init__(self) -> None:
        self.last_run: datetime | None = None
        self.leader = False

    def beat(self, line: bytes) -> None:
        parts = line.split()
        if len(parts) == 3 and parts[0] == BEAT and parts[2] in (b"0", b"1"):
            try:
                self.last_run = datetime.fromtimestamp(float(parts[1]), UTC)
            except (ValueError, OverflowError, OSError):
                return
            self.leader = parts[2] == b"1"


class WorkerLink:
    """The server's side: starts the worker, hands it request keys and wakes its alarm,
    reads its alarm's heartbeats (`alarm`), and starts it again when it dies."""

    def __init__(
        self,
        server: str,
        command: list[str] | None = None,
        pause: Callable[[float], bool] | None = None,
    ) -> None:
        self.server = server
        self.command = command or [sys.executable, "-m", "salesmeet.worker", "--server", server]
        self.alarm = WorkersAlarm()
        self._keys: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._pause = pause or self._closing.wait
        self._wake_queued = threading.Event()
        # Keys written to the worker now running: if it dies, the next one is given
        # them again (those it had taken are orphans by then, and skipped).
        self._sent: collections.deque[str] = collections.deque(maxlen=RESEND_AT_MOST)
        self.starts = 0

    def start(self) -> None:
        with self._lock:
            self._spawn()
        threading.Thread(target=self._feed, name="salesmeet-handoff", daemon=True).start()

    def send(self, key: str) -> None:
        """Hand request `key` to the worker (never blocks the ack)."""
        if "\n" not in key and key != WAKE:
            self._keys.put(key)

    def wake(self) -> None:
        """Timed posts changed here: the worker's alarm looks at the rows again. Wakes
        queued together are sent as one."""
        if not self._wake_queued.is_set():
            self._wake_queued.set()
            self._keys.put(WAKE)

    def close(self) -> None:
        """The worker finishes what it took, then exits."""
        self._closing.set()
        self._keys.put(None)
        with self._lock:
            process = self._process
        if process is None:
            return
        try:
            process.wait(timeout=CLOSE_PATIENCE_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning("the worker did not finish in %ss; stopping it", CLOSE_PATIENCE_SECONDS)
            process.kill()
            process.wait()

    @property
    def running(self) -> bool:
        with self._lock:
            return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process else None

    def _spawn(self) -> None:
        self.starts += 1
        for key in self._sent:
            self._keys.put(key)
        self._sent.clear()
        process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=PROJECT_DIR,
        )
        self._process = process
        threading.Thread(
            target=self._read, args=(process,), name="salesmeet-worker-out", daemon=True
        ).start()
        log.info("worker started (pid %s)", process.pid)

    def _respawn(self, dead: subprocess.Popen) -> subprocess.Popen | None:
        """Start a new worker unless one already replaced `dead`, or we are closing."""
        with self._lock:
            if self._process is not dead or self._closing.is_set():
                return self._process
            code = dead.poll()
        log.warning("the worker stopped (exit %s); starting it again", code)
        if self._pause(RESTART_PAUSE_SECONDS):
            return None  # closing
        with self._lock:
            if self._process is dead:
                self._spawn()
            return self._process

    def _feed(self) -> None:
        """Write the queued keys to the worker, all that queued together in one write:
        under load, a wake-up and a write per key cost the acks more than the keys."""
        while True:
            batch = [self._keys.get()]
            while len(batch) < KEYS_PER_WRITE and batch[-1] is not None:
                try:
                    batch.append(self._keys.get_nowait())
                except queue.Empty:
                    break
            closing = batch[-1] is None
            keys = [key for key in batch if key is not None]
            if WAKE in keys:
                self._wake_queued.clear()
            if keys:
                self._write(keys)
            if closing:
                with self._lock:
                    process = self._process
                if process is not None and process.stdin is not None:
                    with contextlib.suppress(OSError):
                        process.stdin.close()  # EOF: finish and exit
                return

    def _write(self, keys: list[str]) -> None:
        lines = b"".join(key.encode() + b"\n" for key in keys)
        requests = [key for key in keys if key != WAKE]  # a new worker wakes anyway
        with self._lock:
            process = self._process
        while process is not None:
            try:
                assert process.stdin is not None
                process.stdin.write(lines)
                process.stdin.flush()
                with self._lock:
                    if self._process is process:
                        self._sent.extend(requests)
                    else:  # replaced meanwhile: the new worker needs them too
                        for key in requests:
                            self._keys.put(key)
                return
            except (OSError, ValueError):  # the worker died: the next one takes them
                process = self._respawn(process)

    def _read(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.alarm.beat(line)
        process.wait()
        if not self._closing.is_set():
            self._respawn(process)


class Beats:
    """The worker's side of `beat`: its alarm's heartbeat, one line to the server."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self._lock = threading.Lock()

    def __call__(self, ran: datetime, leader: bool) -> None:
        line = b"%s %.3f %d\n" % (BEAT, ran.timestamp(), int(leader))
        with self._lock:
            try:
                self.out.write(line)
                self.out.flush()
            except (OSError, ValueError):
                pass  # the server is gone; so will we be


def die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (a server killed with -9
    must not leave a worker carrying on alone); elsewhere the closed stdin ends it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took
        os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m salesmeet.worker", description=__doc__)
    parser.add_argument("--server", required=True, help="the inbox holder of the server")
    args = parser.parse_args(argv)
    die_with(os.getppid())
    os.nice(WORKER_NICE)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"salesmeet worker: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    database = open_database(settings.db_path)
    app, core = create_app(settings, SystemClock(), database)
    core.alarm.on_beat = Beats(sys.stdout.buffer)
    warm_up()
    gc.freeze()  # as app.py: start-up's objects stay out of full collections
    core.alarm.start()  # timed posts; another server's worker may hold them: stands by
    stopped = threading.Event()

    def sweep() -> None:
        replay_orphans(app, core.retries, stopped)
        while not stopped.is_set():
            try:
                carry_out_left(app, core.retries, args.server, LEFT_AFTER, stopped)
            except Exception:
                log.exception("the worker's sweep failed")
            stopped.wait(SWEEP_EVERY_SECONDS)

    sweeper = threading.Thread(target=sweep, name="salesmeet-sweep", daemon=True)
    sweeper.start()
    for line in sys.stdin.buffer:
        key = line.strip().decode("utf-8", "replace")
        if not key:
            continue
        if key == WAKE:
            try:
                core.alarm.wake()
            except Exception:
                log.exception("waking the alarm failed")
            continue
        try:
            carry_out_handed(app, core.retries, key, args.server)
        except Exception:  # one bad request must not stop the others
            log.exception("request %s failed in the worker", key[:24])
    # The server closed our stdin (or died): finish what was taken, take nothing new.
    stopped.set()
    sweeper.join()
    core.background.shutdown(wait=True)
    core.alarm.stop()  # gives the lease up: the next worker takes it at once
    return 0


if __name__ == "__main__":
    sys.exit(main())
