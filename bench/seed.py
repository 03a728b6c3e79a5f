"""A database with many pending delivery rows, built fast.

The schema comes from the app (`storage.db.Database` applies every migration), and which
rows each meeting has comes from the app's own `Planner.posts_for` (the same call a
booking makes), so new kinds of timed posts show up here without editing this file.
Only the writing is done directly, with executemany in one transaction per table.
"""

from __future__ import annotations

import functools
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_sdk import WebClient

from bot.clock import ManualClock
from entities.meetings import Attendee, Meeting, Venue
from salesmeet.compose import build_core, open_database

DAY = 86_400
TEAMS = 10
CHANNELS_PER_TEAM = 20
USERS_PER_TEAM = 40
PURPOSES = ("motivation", "product", "challenges", "shortfall", "strategy", "customer", "general")
ZONES = ("Asia/Kuala_Lumpur", "Asia/Kolkata", "Europe/London", "America/New_York")
HORIZON = timedelta(days=14)  # bot/timed_posts.py HORIZON


@dataclass(frozen=True)
class Seeded:
    path: Path
    meetings: int
    pending: int
    by_kind: dict[str, int]
    earliest_due: int
    built_in: float


def _meeting(rng: random.Random, meeting_id: int, number: int, now: int) -> Meeting:
    """A one-off meeting 25 h to 14 days ahead, on the quarter hour: every post it has is
    still in the future (an agenda prompt 24 h before, a reminder, and whatever else)."""
    team = (meeting_id - 1) % TEAMS
    quarter = rng.randrange((25 * 3600) // 900 + 1, int(HORIZON.total_seconds()) // 900)
    user = lambda: f"U{team:03d}{rng.randrange(USERS_PER_TEAM):03d}"  # noqa: E731
    purpose = PURPOSES[meeting_id % len(PURPOSES)]
    link = f"https://zoom.us/j/{rng.randrange(10**9, 10**10)}" if meeting_id % 3 else None
    return Meeting(
        id=meeting_id,
        team_id=f"T{team + 1:03d}",
        number=number,
        title=f"{purpose.title()} review {meeting_id}",
        starts_at=datetime.fromtimestamp((now // 900) * 900 + quarter * 900, UTC),
        duration=timedelta(minutes=30),
        tz=ZONES[meeting_id % len(ZONES)],
        channel_id=f"C{team:03d}{rng.randrange(CHANNELS_PER_TEAM):03d}",
        organiser_id=user(),
        purpose=purpose,
        venue=Venue("video", link) if link else Venue("in-person"),
        attendees=(Attendee(user_id=user()), Attendee(user_id=user())),
    )


def build(path: Path, pending_rows: int, now: int, seed: int = 7) -> Seeded:
    """At least `pending_rows` pending deliveries, from as many one-off meetings as that
    takes. `planned_until` is as the hourly horizon pass leaves it (7 to 14 days ahead),
    so a restart has nothing to re-plan."""
    started = time.perf_counter()
    rng = random.Random(seed)
    database = open_database(path)  # creates the schema through the app's migrations
    clock = ManualClock(datetime.fromtimestamp(now, UTC))
    # Nothing here talks to Slack; the client points nowhere on purpose.
    client = WebClient(token="xoxb-seed", base_url="http://127.0.0.1:9/api/")
    services = build_core(database, clock, client)
    planner = services.planner
    # Settings do not change while seeding: read each workspace's once (build time only).
    planner.workspaces.settings = functools.lru_cache(maxsize=None)(planner.workspaces.settings)
    until = clock.now() + HORIZON

    meeting_rows, attendee_rows = [], []
    planned: dict[tuple[str, str, int, int], int] = {}
    numbers = [0] * TEAMS
    meeting_id = 0
    while len(planned) < pending_rows:
        meeting_id += 1
        team = (meeting_id - 1) % TEAMS
        numbers[team] += 1
        meeting = _meeting(rng, meeting_id, numbers[team], now)
        created = now - rng.randrange(0, 14 * DAY)
        for post in planner.posts_for(meeting, clock.now(), until):
            key = (post.team_id, post.kind, post.meeting_id, post.occurrence)
            planned.setdefault(key, int(post.due_at.timestamp()))
        meeting_rows.append(
            (
                meeting.id,
                meeting.team_id,
                meeting.number,
                meeting.title,
                int(meeting.starts_at.timestamp()),
                int(meeting.duration.total_seconds() // 60),
                meeting.tz,
                meeting.purpose,
                meeting.venue.format,
                meeting.venue.link,
                meeting.channel_id,
                meeting.organiser_id,
                "scheduled",
                created,
                now + 7 * DAY + rng.randrange(3600, 7 * DAY),
            )
        )
        attendee_rows += [(meeting.team_id, meeting.id, a.user_id, None) for a in meeting.attendees]
    services.background.shutdown(wait=False)

    insert_rows(
        database, meeting_rows, attendee_rows, [(*key, due, now) for key, due in planned.items()]
    )
    with database.reading() as db:
        by_kind = dict(
            db.execute(
                "SELECT kind, COUNT(*) FROM deliveries WHERE state = 'pending' GROUP BY kind"
            ).fetchall()
        )
        # No ANALYZE: the app never runs it, so the query planner sees what production sees.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return Seeded(
        path=path,
        meetings=len(meeting_rows),
        pending=sum(by_kind.values()),
        by_kind=by_kind,
        earliest_due=min(planned.values()),
        built_in=time.perf_counter() - started,
    )


def make_stale(path: Path, now: int, fraction: float) -> int:
    """Let `fraction` of the meetings' horizons run short (as after fraction x 7 days
    down): the next start-up re-plans those. Returns how many."""
    database = open_database(path)
    with database.transaction() as db:
        db.execute(
            "UPDATE meetings SET planned_until = ? WHERE (id * 7919) % 10000 < ?",
            [now + 3 * DAY, round(fraction * 10000)],
        )
        stale = db.execute(
            "SELECT COUNT(*) FROM meetings WHERE planned_until < ?", [now + 7 * DAY]
        ).fetchone()[0]
    with database.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return stale


def clear_lease(path: Path) -> None:
    """Forget the scheduler lease so the next process leads at once."""
    database = open_database(path)
    with database.transaction() as db:
        db.execute("DELETE FROM leases")
    with database.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()


def insert_rows(database, meetings: list, attendees: list, deliveries: list) -> None:
    """Seeded rows in one transaction, as the app's stores write them: meetings (15
    columns), their attendees, and their pending deliveries (team, kind, meeting,
    occurrence, due_at, created_at)."""
    with database.transaction() as db:
        db.conn.executemany(
            "INSERT INTO meetings (id, team_id, number, title, starts_at, duration_min, tz,"
            " purpose, format, link, channel_id, organiser_id, status, created_at,"
            " planned_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            meetings,
        )
        db.conn.executemany(
            "INSERT INTO attendees (team_id, meeting_id, user_id, guest) VALUES (?, ?, ?, ?)",
            attendees,
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO deliveries (team_id, kind, meeting_id, occurrence, due_at,"
            " state, attempts, uncertain, late, created_at)"
            " VALUES (?, ?, ?, ?, ?, 'pending', 0, 0, 0, ?)",
            deliveries,
        )
