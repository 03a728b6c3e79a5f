"""Resident memory of the SalesMeet process with 100,000 meetings stored.

The database is built fast (executemany into the schema the app's own migrations
create), then `python app.py` is started on it in HTTP mode, exactly as `make run` would,
against a fake Slack; it serves signed `/salesmeet list`, `list mine` and `show` commands,
and its RSS is read from /proc. Three databases: empty (the baseline), 100,000 meetings
over a year of history (most of them past), and 100,000 meetings all still ahead (the
worst case for `list`, which reads every upcoming meeting of the workspace).

Run: `.venv/bin/python -m bench.memory` (about 40 s).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.stats import size
from bot.clock import SystemClock
from salesmeet.compose import open_database
from simulator.requests import post, signature_headers, slash_command_body
from simulator.webapi import FakeSlack
from simulator.workspace import ACME

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-memory-secret"
TOKEN = "xoxb-bench"  # a placeholder for the fake Slack
WALL = SystemClock()  # Slack stamps its requests with the real time
DAY = 86_400
PURPOSES = ("motivation", "product", "challenges", "shortfall", "strategy", "customer", "general")
ZONES = ("Asia/Kuala_Lumpur", "Asia/Kolkata", "Europe/London", "America/New_York")
USERS = [m.user_id for m in ACME.members]


def build(path: Path, meetings: int, first: int, last: int, seed: int = 11) -> float:
    """`meetings` one-off meetings in workspace T1 starting between epochs `first` and
    `last`, each with two attendees; their timed posts planned far ahead, so the alarm
    has nothing to plan at start-up. Returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    database = open_database(path)  # the schema, through the app's migrations
    now = int(SystemClock().now().timestamp())
    rows, attendees = [], []
    for n in range(1, meetings + 1):
        starts = first + rng.randrange(max(last - first, 1)) // 900 * 900
        purpose = PURPOSES[n % len(PURPOSES)]
        rows.append(
            (
                n,
                "T1",
                n,
                f"{purpose.title()} review {n}",
                starts,
                30 + 15 * (n % 4),
                ZONES[n % len(ZONES)],
                purpose,
                "video",
                f"https://zoom.us/j/{rng.randrange(10**9, 10**10)}",
                "CSALES",
                USERS[n % len(USERS)],
                "scheduled",
                starts - 3 * DAY,
                now + 365 * DAY,
            )
        )
        attendees += [("T1", n, USERS[(n + k) % len(USERS)], None) for k in (1, 2)]
    with database.transaction() as db:
        db.conn.executemany(
            "INSERT INTO meetings (id, team_id, number, title, starts_at, duration_min, tz,"
            " purpose, format, link, channel_id, organiser_id, status, created_at,"
            " planned_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.conn.executemany(
            "INSERT INTO attendees (team_id, meeting_id, user_id, guest) VALUES (?, ?, ?, ?)",
            attendees,
        )
    with database.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss(pid: int) -> tuple[int, int]:
    """(resident now, peak resident) in bytes, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return fields["VmRSS"], fields["VmHWM"]


def measure(label: str, db_path: Path, fake: FakeSlack) -> None:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "SALESMEET_DB": str(db_path),
        "PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        env=env,
        cwd=db_path.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                post(url.replace("/slack/events", "/"), "", {}, timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    print(f"  {label}: app.py did not start")
                    return
                time.sleep(0.1)
        time.sleep(1)  # the alarm's first heartbeat (recover, horizon, due posts)
        started_rss, _ = rss(process.pid)
        timings = []
        for n, text in enumerate(["list", "list mine", "show #1", "list"]):
            body = slash_command_body(
                team_id="T1",
                user_id="UMAYA",
                channel_id="CSALES",
                text=text,
                response_url=fake.response_url(f"m{n}"),
            )
            began = time.perf_counter()
            headers = signature_headers(SECRET, body, WALL.epoch())
            status, _, reply = post(url, body, headers, timeout=120)
            took = time.perf_counter() - began
            answer = (
                "answered" if status == 200 and '"text"' in reply else f"HTTP {status}, no answer"
            )
            timings.append(f"`{text}` {took:.2f} s ({answer})")
        served_rss, peak = rss(process.pid)
        db_size = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*"))
        print(f"  {label}")
        print(f"    database {size(db_size)}; RSS after start-up {size(started_rss)}")
        print(f"    RSS after serving {size(served_rss)}, peak {size(peak)}")
        print(f"    acks: {'; '.join(timings)}")
    finally:
        process.kill()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("--meetings", type=int, default=100_000, help="meetings stored (100000)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="salesmeet-memory-"))
    now = int(SystemClock().now().timestamp())
    print("Resident memory of `python app.py` (HTTP mode) serving `list`, by database")
    try:
        with FakeSlack() as fake:
            fake.add_workspace(replace(ACME, bot_token=TOKEN))
            cases = [
                ("empty database", 0, now, now),
                (
                    f"{args.meetings:,} meetings over a year (330 days back to 35 ahead)",
                    args.meetings,
                    now - 330 * DAY,
                    now + 35 * DAY,
                ),
                (
                    f"{args.meetings:,} meetings all ahead (the next 60 days)",
                    args.meetings,
                    now + DAY,
                    now + 61 * DAY,
                ),
            ]
            for i, (label, count, first, last) in enumerate(cases):
                folder = workdir / str(i)
                folder.mkdir()
                path = folder / "salesmeet.db"
                took = build(path, count, first, last)
                if count:
                    label += f" [built in {took:.1f} s]"
                measure(label, path, fake)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
