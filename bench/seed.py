"""A database with many pending delivery rows, written fast with executemany.

The schema comes from the app itself (`storage.db.Database` applies the migrations); only
the rows are written directly, shaped the way `MeetingStore.create` and `Planner` write
them: one-off meetings, each with its agenda prompt (24 h before) and reminder (15 min
before) pending.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from storage.db import Database

DAY = 86_400
TEAMS = 10
CHANNELS_PER_TEAM = 20
USERS_PER_TEAM = 40
PURPOSES = ("motivation", "product", "challenges", "shortfall", "strategy", "customer", "general")
ZONES = ("Asia/Kuala_Lumpur", "Asia/Kolkata", "Europe/London", "America/New_York")
AGENDA_LEAD = int(timedelta(hours=24).total_seconds())
REMINDER_LEAD = int(timedelta(minutes=15).total_seconds())
HORIZON = 14 * DAY


@dataclass(frozen=True)
class Seeded:
    path: Path
    meetings: int
    pending: int
    earliest_due: int
    built_in: float


def build(path: Path, pending_rows: int, now: int, seed: int = 7) -> Seeded:
    """`pending_rows` pending deliveries: pending_rows // 2 one-off meetings, 2 rows each.

    Meetings start 25 h to 14 days ahead (on the quarter hour), so both posts are in the
    future; `planned_until` is as the hourly horizon pass leaves it (7 to 14 days ahead),
    so a restart has nothing to re-plan.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    meetings = pending_rows // 2
    database = Database(path)  # creates the schema through the app's migrations
    meeting_rows, attendee_rows, delivery_rows = [], [], []
    numbers = [0] * TEAMS
    earliest = None
    for meeting_id in range(1, meetings + 1):
        team = (meeting_id - 1) % TEAMS
        team_id = f"T{team + 1:03d}"
        numbers[team] += 1
        quarter = rng.randrange((25 * 3600) // 900 + 1, HORIZON // 900)
        starts = (now // 900) * 900 + quarter * 900
        created = now - rng.randrange(0, 14 * DAY)
        planned_until = now + 7 * DAY + rng.randrange(3600, 7 * DAY)
        organiser = f"U{team:03d}{rng.randrange(USERS_PER_TEAM):03d}"
        purpose = PURPOSES[meeting_id % len(PURPOSES)]
        link = f"https://zoom.us/j/{rng.randrange(10**9, 10**10)}" if meeting_id % 3 else None
        meeting_rows.append(
            (
                meeting_id,
                team_id,
                numbers[team],
                f"{purpose.title()} review {meeting_id}",
                starts,
                30,
                ZONES[meeting_id % len(ZONES)],
                purpose,
                "video" if link else "in-person",
                link,
                f"C{team:03d}{rng.randrange(CHANNELS_PER_TEAM):03d}",
                organiser,
                "scheduled",
                created,
                planned_until,
            )
        )
        for _ in range(2):
            attendee_rows.append(
                (team_id, meeting_id, f"U{team:03d}{rng.randrange(USERS_PER_TEAM):03d}", None)
            )
        for kind, lead in (("agenda", AGENDA_LEAD), ("reminder", REMINDER_LEAD)):
            due = starts - lead
            earliest = due if earliest is None else min(earliest, due)
            delivery_rows.append((team_id, kind, meeting_id, starts, due, created))
    with database.transaction() as db:
        db.conn.executemany(
            "INSERT INTO meetings (id, team_id, number, title, starts_at, duration_min, tz,"
            " purpose, format, link, channel_id, organiser_id, status, created_at,"
            " planned_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            meeting_rows,
        )
        db.conn.executemany(
            "INSERT INTO attendees (team_id, meeting_id, user_id, guest) VALUES (?, ?, ?, ?)",
            attendee_rows,
        )
        db.conn.executemany(
            "INSERT INTO deliveries (team_id, kind, meeting_id, occurrence, due_at, state,"
            " attempts, uncertain, late, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, 0, 0, ?)",
            delivery_rows,
        )
    with database.reading() as db:
        # No ANALYZE: the app never runs it, so the query planner sees what production sees.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return Seeded(
        path=path,
        meetings=meetings,
        pending=len(delivery_rows),
        earliest_due=earliest or now,
        built_in=time.perf_counter() - started,
    )


def make_stale(path: Path, now: int) -> None:
    """Every meeting's horizon runs out within 7 days: the restart re-plans them all."""
    database = Database(path)
    with database.transaction() as db:
        db.execute("UPDATE meetings SET planned_until = ?", [now + 3 * DAY])
    with database.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()


def clear_lease(path: Path) -> None:
    """Forget the scheduler lease so the next process leads at once."""
    database = Database(path)
    with database.transaction() as db:
        db.execute("DELETE FROM leases")
    with database.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
