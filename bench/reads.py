"""Reads that must not scan: `list`, `list mine`, App Home and `digest` with 100,000
meetings ahead, and with 100,000 behind.

    .venv/bin/python -m bench.reads [--meetings 100000] [--runs 40]

Each database is one workspace of 200 people: `--meetings` one-off meetings (all in the
year ahead, or all in the year behind), 300 weekly series and 100 weekday standups that
began a year ago, about 1% of the one-offs moved, 2% cancelled, and 100 series edited
after they began (their past kept in an `edited_into` row). Each read is what the
listener calls before it answers, through the app's own objects (`build_core` on the
database, no Slack calls): `MeetingBook.upcoming` for `list` (page 1) and `list mine`,
`handlers.home.build_home` for App Home (which takes in the features' blocks), and
`Digests.figures` of this week for `digest`. Each is run `--runs` times (after one
warm-up) and p50 / p99 printed.

`list` keeps each series' next occurrences in the process (`storage.meetings._Ahead`),
so two more rows: `list, cold`, each run as the first `list` of a process (nothing
kept), and `list, clock on`, the clock moving 7 minutes before each run (about 5 hours
in all), so the kept occurrences pass and are worked out again as in a live workspace.

The baseline, in the same run: the same database file copied with the indexes of
migration `v15_read_indexes` dropped, read by the same code.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_sdk import WebClient

from bench.stats import percentile
from bot.clock import ManualClock
from features.digest.service import Digests
from handlers.home import build_home
from salesmeet.compose import build_core, open_database
from storage.db import Database
from storage.meetings import forget_kept_series

TEAM = "T1"
NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)  # a Wednesday
YEAR = 365 * 86_400
PEOPLE = [f"U{n:04d}" for n in range(200)]
ME = PEOPLE[7]
PURPOSES = ("motivation", "product", "challenges", "shortfall", "strategy", "customer", "general")
ZONES = ("Asia/Kuala_Lumpur", "Asia/Kolkata", "Europe/London", "America/New_York")
# Dropped for the baseline: the indexes migration v15_read_indexes adds.
READ_INDEXES = (
    "meetings_upcoming_plain",
    "meetings_series",
    "meetings_by_organiser",
    "meetings_window_one_offs",
    "attendees_by_user",
    "attendees_by_meeting",
    "occurrence_changes_by_team",
    "occurrence_changes_moved",
)


def build(path: Path, meetings: int, ahead: bool, seed: int = 3) -> float:
    """The workspace, written with executemany in the shape MeetingStore writes it."""
    began = time.perf_counter()
    rng = random.Random(seed)
    database = open_database(str(path))
    now = int(NOW.timestamp())
    rows: list[tuple] = []
    seats: list[tuple] = []
    changes: list[tuple] = []

    def add(start, minutes, rrule=None, status="scheduled", cancelled_at=None, into=None):
        meeting_id = len(rows) + 1
        organiser = rng.choice(PEOPLE)
        rows.append(
            (
                meeting_id,
                TEAM,
                meeting_id,
                f"Review {meeting_id}",
                start,
                minutes,
                ZONES[meeting_id % len(ZONES)],
                PURPOSES[meeting_id % len(PURPOSES)],
                "video",
                None,
                f"C{meeting_id % 20:03d}",
                organiser,
                status,
                start - 3 * 86_400,
                cancelled_at,
                rrule,
                into,
            )
        )
        for user in rng.sample(PEOPLE, rng.randrange(1, 5)):
            if user != organiser:
                seats.append((TEAM, meeting_id, user, None))
        return meeting_id

    for n in range(meetings):
        start = (now + 3600 if ahead else now - YEAR) + rng.randrange(YEAR // 900) * 900
        if n % 50 == 0:
            add(start, 30, status="cancelled", cancelled_at=start - 86_400)
            continue
        meeting_id = add(start, rng.choice((30, 45, 60)))
        if n % 100 == 1:  # moved by a day
            changes.append((TEAM, meeting_id, start, 0, start + 86_400, ME, start - 86_400))
    year_ago = now - YEAR - (now - YEAR) % 3600
    for n in range(300):
        add(year_ago + n * 3600, 30, "FREQ=WEEKLY")
    for _ in range(100):
        add(year_ago + 8 * 3600, 15, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    for n in range(100):  # edited half a year in: the past kept in its own row
        cut = now - YEAR // 2 + n * 3600
        current = add(cut, 45, "FREQ=WEEKLY")
        add(year_ago + n * 3600, 30, "FREQ=WEEKLY", "cancelled", cut, into=current)
    with database.transaction() as db:
        db.conn.executemany(
            "INSERT INTO meetings (id, team_id, number, title, starts_at, duration_min, tz,"
            " purpose, format, link, channel_id, organiser_id, status, created_at,"
            " cancelled_at, rrule, edited_into) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # Numbers are unique among current meetings only; an edited row keeps its own.
        db.conn.executemany(
            "INSERT INTO attendees (team_id, meeting_id, user_id, guest) VALUES (?, ?, ?, ?)",
            seats,
        )
        db.conn.executemany(
            "INSERT INTO occurrence_changes (team_id, meeting_id, occurrence, skipped,"
            " moved_to, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            changes,
        )
        db.conn.executemany(
            "INSERT INTO people (team_id, user_id, name, tz, locale, is_admin, is_owner,"
            " fetched_at) VALUES (?, ?, ?, 'Asia/Kuala_Lumpur', 'en-US', 0, 0, ?)",
            [(TEAM, u, u.lower(), now) for u in PEOPLE],
        )
    with database.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return time.perf_counter() - began


def without_indexes(source: Path, target: Path) -> None:
    shutil.copy(source, target)
    database = Database(str(target), [])
    with database.transaction() as db:
        for name in READ_INDEXES:
            db.execute(f"DROP INDEX IF EXISTS {name}")
        # The attendee indexes v15 replaced.
        db.execute("CREATE INDEX idx_attendees_team_id_user_id ON attendees (team_id, user_id)")
        db.execute(
            "CREATE INDEX idx_attendees_team_id_meeting_id ON attendees (team_id, meeting_id)"
        )
    database.close()


def reads(path: Path) -> tuple[dict[str, Callable[[], object]], Database]:
    """The four reads, on the app's own objects over the database at `path`, and `list`
    cold and with the clock moving on."""
    forget_kept_series()  # the other database's run kept the same series
    database = open_database(str(path))
    clock = ManualClock(NOW)
    client = WebClient(token="xoxb-bench", base_url="http://127.0.0.1:9/")  # never called
    core = build_core(database, clock, client, TEAM)
    digests = Digests(database, clock, core.workspaces)
    week = digests.week(TEAM)
    # Its own clock: the kept occurrences move on with it, ahead of the other reads' NOW
    # (an earlier `now` is worked out without them), so it runs last.
    moving = ManualClock(NOW)
    moving_book = build_core(database, moving, client, TEAM).book

    def cold():
        forget_kept_series()
        return core.book.upcoming(TEAM, None, limit=20)

    def clock_on():
        moving.advance(timedelta(minutes=7))
        return moving_book.upcoming(TEAM, None, limit=20)

    return {
        "list": lambda: core.book.upcoming(TEAM, None, limit=20),
        "list mine": lambda: core.book.upcoming(TEAM, ME, limit=20),
        "App Home": lambda: build_home(core, TEAM, ME),
        "digest": lambda: digests.figures(TEAM, week),
        "list, cold": cold,
        "list, clock on": clock_on,
    }, database


def timed(read: Callable[[], object], runs: int, budget: float = 20.0) -> list[float]:
    """Each run's seconds, after a warm-up (caches, the first pages of the file); fewer
    runs than asked when they take more than `budget` seconds in all (a slow baseline)."""
    read()
    took: list[float] = []
    while len(took) < runs and sum(took) < budget:
        began = time.perf_counter()
        read()
        took.append(time.perf_counter() - began)
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reads", description=__doc__)
    parser.add_argument("--meetings", type=int, default=100_000, help="one-offs (100000)")
    parser.add_argument("--runs", type=int, default=40, help="timed runs of each read (40)")
    parser.add_argument("--dir", help="where the temporary databases go")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    began = time.perf_counter()
    print(f"Reads with {args.meetings:,} meetings: p50 / p99 of {args.runs} runs, ms")
    with tempfile.TemporaryDirectory(prefix="salesmeet-reads-", dir=args.dir) as workdir:
        for ahead in (True, False):
            label = "ahead" if ahead else "behind"
            path = Path(workdir) / f"{label}.db"
            seconds = build(path, args.meetings, ahead)
            bare = Path(workdir) / f"{label}-bare.db"
            without_indexes(path, bare)
            print(f"\n{args.meetings:,} meetings {label} (built in {seconds:.1f} s)")
            print(f"  {'':<16} {'without v15 indexes':>32} {'with them':>22}")
            results = {}
            for which, file in (("bare", bare), ("now", path)):
                found, database = reads(file)
                results[which] = {name: timed(read, args.runs) for name, read in found.items()}
                database.close()
            for name in results["now"]:
                cells = []
                for which in ("bare", "now"):
                    took = results[which][name]
                    p50, p99 = percentile(took, 50) * 1000, percentile(took, 99) * 1000
                    runs = "" if len(took) == args.runs else f" ({len(took)} runs)"
                    cells.append(f"{p50:9.1f} / {p99:8.1f}{runs}")
                print(f"  {name:<16} {cells[0]:>32} {cells[1]:>22}")
    print(f"reads benchmark took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
