"""The work after an ack, in a worker process beside the server (salesmeet/worker.py):
the inbox hands each deferred request over, claims share their commits, a writer waits
for another process's short transactions without oversleeping, and a worker that dies
is replaced with nothing acked lost."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import Executor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.retries import RetryGuard
from entities.errors import DatabaseBusy
from salesmeet.config import KNOWN_SETTINGS, ConfigError, load_settings
from salesmeet.worker import WorkerLink
from storage.db import Database
from storage.requests import REMEMBER, Answered, RequestLedger
from tests.support.requests import post, signature_headers, slash_command_body
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[1]
CLOCK = SystemClock()
BLANK = {n: "" for n in KNOWN_SETTINGS if n not in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")}


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path / "salesmeet.db")
    try:
        yield db
    finally:
        db.close()


# --- the inbox: claims written together, handed over -------------------------------


def test_claims_that_arrive_together_share_a_commit_and_each_is_stored_once(database):
    ledger = RequestLedger(database)
    commits = []
    real = database.transaction

    def counted(*args, **kwargs):
        commits.append(1)
        return real(*args, **kwargs)

    database.transaction = counted  # type: ignore[method-assign]
    outcomes: dict[str, list] = {}
    lock = threading.Lock()

    def claim(key: str) -> None:
        seen = ledger.claim(key, "T1", CLOCK.now(), b"body", "form", "server")
        with lock:
            outcomes.setdefault(key, []).append(seen)

    keys = [f"body:{n}" for n in range(10)] + ["body:dup", "body:dup"]
    held = threading.Event()
    release = threading.Event()

    def hold_the_writer() -> None:
        with real():
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_writer)
    holder.start()
    held.wait(10)
    threads = [threading.Thread(target=claim, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    # Everyone is waiting: the first claim for the writer, the rest for the first.
    wait_until(lambda: len(ledger._queue) == len(keys) - 1)
    release.set()
    for thread in [*threads, holder]:
        thread.join(10)

    assert all(outcomes[f"body:{n}"] == [True] for n in range(10))
    assert sorted(outcomes["body:dup"], key=str) == [None, True]  # the copy: plain ack
    with database.reading() as db:
        stored = [k for (k,) in db.execute("SELECT key FROM slack_requests ORDER BY key")]
    assert stored == sorted(set(keys))
    assert len(commits) <= 2 < len(keys)  # the first alone, then everyone who waited


def test_a_copy_gets_the_first_answer_and_rows_go_a_day_later(database):
    ledger = RequestLedger(database)
    start = CLOCK.now()
    assert ledger.claim("body:old", "T1", start, b"x", "form", "server") is True
    ledger.answered("body:old", Answered(200, "application/json", b'{"text": "Done"}'))
    # Slack's retry of it, minutes later: the answer the first copy gave, nothing redone.
    later = start + timedelta(minutes=5)
    assert ledger.claim("body:old", "T1", later, b"x", "form", "server") == Answered(
        200, "application/json", b'{"text": "Done"}'
    )
    # A day on, it is forgotten (a row more than a day old goes with the next claim).
    day_on = start + REMEMBER + timedelta(minutes=2)
    assert ledger.claim("body:new", "T1", day_on, b"y", "form", "server") is True
    with database.reading() as db:
        stored = [k for (k,) in db.execute("SELECT key FROM slack_requests ORDER BY key")]
    assert stored == ["body:new"]


def test_a_claim_in_a_busy_database_says_so_and_no_claim_is_left_waiting(database, tmp_path):
    ledger = RequestLedger(database)
    other = sqlite3.connect(tmp_path / "salesmeet.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock throughout
    try:
        errors = []

        def claim(n: int) -> None:
            try:
                ledger.claim(f"body:{n}", "T1", CLOCK.now(), b"x", "form", "server")
            except DatabaseBusy as error:
                errors.append(error)

        threads = [threading.Thread(target=claim, args=(n,)) for n in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert len(errors) == 5 and not any(t.is_alive() for t in threads)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ledger.claim("body:after", "T1", CLOCK.now(), b"x", "form", "server") is True


def test_a_writer_gets_the_lock_soon_after_another_process_lets_go(database, tmp_path):
    other = sqlite3.connect(
        tmp_path / "salesmeet.db", isolation_level=None, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")
    letting_go = threading.Timer(0.2, lambda: other.execute("COMMIT"))
    letting_go.start()
    try:
        with database.transaction() as db:  # waits, instead of failing at once
            db.execute("INSERT INTO leases (name, holder, expires_at) VALUES ('x', 'y', 1)")
    finally:
        # Closed only once the COMMIT call has returned: closing a connection another
        # thread is still inside crashes SQLite.
        letting_go.join(10)
        other.close()
    with database.reading() as db:
        assert db.execute("SELECT holder FROM leases WHERE name = 'x'").fetchone() == ("y",)


def test_a_request_is_handed_over_once_and_only_while_unanswered(database):
    ledger = RequestLedger(database)
    server = RetryGuard(ledger, CLOCK, holder="vm:1:aa")
    worker = RetryGuard(ledger, CLOCK, holder="vm:2:bb")
    assert ledger.claim("body:1", "T1", CLOCK.now(), b"text=hi", "form", server.holder)
    assert ledger.claim("body:2", "T1", CLOCK.now(), b"text=yo", "form", server.holder)

    item = worker.hand_over("body:1", server.holder)
    assert item is not None and item.request == b"text=hi" and item.holder == worker.holder
    assert item.replays == 0  # a hand-over is not a replay
    assert worker.hand_over("body:1", server.holder) is None  # taken already
    server.replied("body:2")
    assert worker.hand_over("body:2", server.holder) is None  # answered: nothing to do
    # Nothing the server holds is old enough to be taken as left behind yet.
    assert server.left_by(server.holder, timedelta(seconds=30)) == []


def test_deferred_work_goes_to_the_worker_when_one_is_linked():
    ledger = RequestLedger.__new__(RequestLedger)  # carry_out never touches the ledger
    guard = RetryGuard(ledger, CLOCK, holder="vm:1:aa")

    class Pool(Executor):
        def __init__(self) -> None:
            self.submitted: list = []

        def submit(self, fn, /, *args, **kwargs):
            self.submitted.append(fn)

    def work() -> None:
        pass

    pool = Pool()
    guard.carry_out("body:1", work, pool)
    assert pool.submitted == [work]  # no worker: this process does it

    handed: list[str] = []
    guard.handoff = handed.append
    guard.carry_out("body:2", work, pool)
    assert handed == ["body:2"] and pool.submitted == [work]
    guard.carry_out(None, work, pool)  # nothing in the inbox to hand over: done here
    assert pool.submitted == [work, work]


# --- the link: keys and wakes out, heartbeats back, a dead worker replaced -----------

FAKE_WORKER = """
import sys
out = open(sys.argv[1], "a")
for line in sys.stdin:
    out.write(line); out.flush()
    if line.strip() == "!wake":  # its alarm rang: holding the lease since 1,000,000 s
        sys.stdout.write("beat 1000000.5 1\\n"); sys.stdout.flush()
    if line.strip() == "body:standby":
        sys.stdout.write("beat nonsense 1\\nbeat 1000060 0\\n"); sys.stdout.flush()
"""


def test_the_link_hands_keys_over_wakes_the_alarm_reads_beats_and_replaces_a_dead_worker(
    tmp_path,
):
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER)
    seen = tmp_path / "seen.txt"
    link = WorkerLink("vm:1:aa", command=[sys.executable, str(script), str(seen)])
    assert (link.alarm.last_run, link.alarm.leader) == (None, False)  # /healthz: not started
    link.wake()
    link.wake()  # queued together: one line
    link.start()
    try:
        link.send("body:1")
        link.send("bad\nkey")  # never split into two lines
        link.send("!wake")  # a key never passes for a wake
        wait_until(lambda: link.alarm.last_run is not None)
        assert link.alarm.leader
        assert link.alarm.last_run == datetime(1970, 1, 12, 13, 46, 40, 500000, tzinfo=UTC)
        wait_until(lambda: seen.exists() and "body:1" in seen.read_text())
        assert seen.read_text().split() == ["!wake", "body:1"]

        link.send("body:standby")  # a garbled beat is ignored; the next one counts
        wait_until(lambda: not link.alarm.leader)
        assert link.alarm.last_run == datetime(1970, 1, 12, 13, 47, 40, tzinfo=UTC)

        first = link.pid
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: link.pid != first)  # started again, after a pause
        link.send("body:2")
        # The new worker is given the keys the dead one was sent, never the wakes (a
        # worker that starts looks at every row anyway).
        wait_until(lambda: "body:2" in seen.read_text())
        assert seen.read_text().split()[3:] == ["body:1", "body:standby", "body:2"]
        assert link.starts == 2
    finally:
        link.close()
    assert not link.running  # closed: the worker read its end of input and exited


class RecordedPipe(io.BytesIO):
    """A worker's input that keeps each write apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []

    def write(self, data) -> int:
        self.writes.append(bytes(data))
        return len(data)


class QuietWorker:
    """Stands in for the worker process: running until the link closes its input."""

    pid = 4242

    def __init__(self) -> None:
        self.stdin = RecordedPipe()

    def poll(self) -> int | None:
        return 0 if self.stdin.closed else None

    def wait(self, timeout: float | None = None) -> int:
        return 0


def test_keys_queued_together_are_written_in_one_write_before_the_input_ends():
    link = WorkerLink("vm:1:aa")
    worker = QuietWorker()
    link._process = worker  # type: ignore[assignment]
    keys = [f"body:{n}" for n in range(100)]
    for key in keys:
        link.send(key)
    link.wake()
    feeding = threading.Thread(target=link._feed)
    feeding.start()
    link.close()  # queued after the keys: they are written first, then the input ends
    feeding.join(10)
    assert worker.stdin.writes == ["".join(f"{key}\n" for key in [*keys, "!wake"]).encode()]
    assert worker.stdin.closed


# --- app.py with its worker ----------------------------------------------------------


def start_app(tmp_path: Path, fake, log_path: Path, **extra: str) -> tuple:
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        **BLANK,
        "SLACK_BOT_TOKEN": "xoxb-t1-test",
        "SLACK_SIGNING_SECRET": "worker-secret",
        "SLACK_API_URL": fake.url,
        "SALESMEET_DB": str(tmp_path / "salesmeet.db"),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        **extra,
    }
    log = open(log_path, "w")  # noqa: SIM115  (closed by the caller)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    return process, log, f"http://127.0.0.1:{port}/slack/events"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def schedule(fake, url: str, title: str, token: str) -> int:
    body = slash_command_body(
        team_id="T1",
        user_id="UMAYA",
        channel_id="CSALES",
        text=f'schedule "{title}" tomorrow 3pm',
        response_url=fake.response_url(token),
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            status, _, _ = post(url, body, signature_headers("worker-secret", body))
            return status
        except OSError:
            assert time.monotonic() < deadline, "app.py did not start listening"
            time.sleep(0.1)


def worker_pids(log_path: Path) -> list[int]:
    return [int(p) for p in re.findall(r"worker started \(pid (\d+)\)", log_path.read_text())]


def unanswered(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "salesmeet.db") as db:
        (count,) = db.execute(
            "SELECT count(*) FROM slack_requests WHERE replied_at IS NULL"
        ).fetchone()
    return count


def test_a_command_is_carried_out_by_the_worker_and_a_dead_worker_is_replaced(tmp_path, fake):
    log_path = tmp_path / "app.log"
    process, log, url = start_app(tmp_path, fake, log_path)
    try:
        # Bolt's own parser would read this command, with "payload" in it, as empty.
        assert schedule(fake, url, "Demo payload carried by the worker", "w1") == 200
        (reply,) = fake.wait_for_response(timeout=20, where=lambda r: r.path_token == "w1")
        assert "Demo payload carried by the worker" in json.dumps(reply.body)
        fake.wait_for(
            "chat.postMessage",
            timeout=10,
            where=lambda p: "scheduled meeting #1" in json.dumps(p.params),
        )
        (first,) = worker_pids(log_path)
        wait_until(lambda: unanswered(tmp_path) == 0)  # killed after its work, not during

        os.kill(first, signal.SIGKILL)
        assert schedule(fake, url, "After the worker died", "w2") == 200
        (reply,) = fake.wait_for_response(timeout=30, where=lambda r: r.path_token == "w2")
        assert "After the worker died" in json.dumps(reply.body)
        assert len(worker_pids(log_path)) == 2
        wait_until(lambda: unanswered(tmp_path) == 0)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    database = Database(tmp_path / "salesmeet.db")
    try:
        with database.reading() as rows:
            titles = [t for (t,) in rows.execute("SELECT title FROM meetings ORDER BY id")]
    finally:
        database.close()
    assert titles == ["Demo payload carried by the worker", "After the worker died"]
    assert unanswered(tmp_path) == 0


def test_with_worker_thread_the_server_does_the_work_itself(tmp_path, fake):
    log_path = tmp_path / "app.log"
    process, log, url = start_app(tmp_path, fake, log_path, SALESMEET_WORKER="thread")
    try:
        assert schedule(fake, url, "Done in the server", "t1") == 200
        (reply,) = fake.wait_for_response(timeout=20, where=lambda r: r.path_token == "t1")
        assert "Done in the server" in json.dumps(reply.body)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    assert worker_pids(log_path) == []


def test_salesmeet_worker_is_process_or_thread():
    assert load_settings({}, dotenv_path=None).worker == "process"
    assert load_settings({"SALESMEET_WORKER": "Thread"}, dotenv_path=None).worker == "thread"
    with pytest.raises(ConfigError, match="SALESMEET_WORKER must be process or thread"):
        load_settings({"SALESMEET_WORKER": "fork"}, dotenv_path=None)


def test_only_the_inbox_waits_for_the_disk_at_each_commit(database):
    def synchronous(db) -> int:
        return db.execute("PRAGMA synchronous").fetchone()[0]

    with database.transaction() as db:
        assert synchronous(db) == 1  # NORMAL: on disk with the next synced commit
    with database.transaction(synced=True) as db:
        assert synchronous(db) == 2  # FULL: on disk before the commit returns
    with database.transaction() as db:
        assert synchronous(db) == 1
    ledger = RequestLedger(database)
    seen = []
    real = database.transaction

    def watched(*args, **kwargs):
        seen.append(kwargs.get("synced", False))
        return real(*args, **kwargs)

    database.transaction = watched  # type: ignore[method-assign]
    ledger.claim("body:1", "T1", CLOCK.now(), b"x", "form", "server")
    assert seen == [True]
