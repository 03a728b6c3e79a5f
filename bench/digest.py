"""The weekly digest on a big workspace: 2,000 people and a year of meetings.

    .venv/bin/python -m bench.digest [--people 2000] [--one-offs 44000] [--runs 3]

Builds one workspace (and a small second one beside it, which must not count) with
about 200,000 occurrences over a year: a weekly meeting and a weekday standup per squad
of 10, a weekly one-to-one for everyone else, and one-off meetings. Then, for one week:

- the digest's figures as the app computes them (`Digests.figures`: plain one-offs read
  with their seats in SQL, the week before's summed there; series and changed meetings
  read lean and expanded on whole seconds; flags, what to cut);
- one hand-written SQL aggregation of the per-person hours of the same week, over a
  table of the year's occurrences materialised beforehand (the table is bench-only:
  the app keeps rules, not occurrences);

prints both, their ratio, and checks that they agree on every person's hours, and that
the app's figures are the figures worked out over every (meeting, occurrence) pair
(`week_figures`, the reference; not timed).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import ManualClock
from bot.workspace import Workspaces
from entities.meetings import Attendee, Meeting
from features.digest.figures import occurrences_in, shift_weeks, totals, week_figures, week_start
from features.digest.service import Digests
from salesmeet.compose import open_database
from storage.db import Database
from storage.settings import SettingsStore

TEAM, OTHER_TEAM = "TBIG", "TSMALL"
YEAR_START = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
NOW = datetime(2027, 11, 17, 12, tzinfo=UTC)  # a Wednesday, 51 weeks on
SQUAD = 10
PURPOSES = ("motivation", "product", "challenges", "shortfall", "strategy", "customer", "general")
FORMATS = ("in-person", "one-on-one", "call", "video")
ZONES = ("Asia/Kuala_Lumpur", "Asia/Kolkata", "Europe/London", "America/New_York")

PER_PERSON_SQL = """
WITH week AS (
  SELECT meeting_id, starts_at, ends_at - starts_at AS secs FROM bench_occurrences
   WHERE team_id = :team AND starts_at >= :start AND starts_at < :end
),
seats AS (
  SELECT m.organiser_id AS user_id, w.meeting_id, w.starts_at, w.secs
    FROM week w JOIN meetings m ON m.id = w.meeting_id AND m.team_id = :team
  UNION
  SELECT a.user_id, w.meeting_id, w.starts_at, w.secs
    FROM week w CROSS JOIN attendees a  -- CROSS JOIN: the week drives, as it should
   -- `+`: without it SQLite 3.40 reads (team_id, user_id > NULL), every seat of the
   -- workspace for each occurrence (minutes), instead of the meeting's own seats.
   WHERE a.team_id = :team AND a.meeting_id = w.meeting_id AND +a.user_id IS NOT NULL
)
SELECT user_id, SUM(secs) / 3600.0 FROM seats GROUP BY user_id
"""


@dataclass
class Built:
    meetings: int
    occurrences: int
    seconds: float
    materialise_seconds: float


def build(database: Database, people: int, one_offs: int, seed: int = 5) -> Built:
    """The workspace, written with executemany in the shape MeetingStore writes it."""
    began = time.perf_counter()
    rng = random.Random(seed)
    users = [f"U{i:05d}" for i in range(people)]
    meeting_rows: list[tuple] = []
    attendee_rows: list[tuple] = []
    series: list[Meeting] = []
    numbers = {TEAM: 0, OTHER_TEAM: 0}

    def add(team, start, minutes, organiser, attendees, rrule=None, purpose="general", **kw):
        numbers[team] += 1
        meeting_id = len(meeting_rows) + 1
        fmt = kw.get("format")
        meeting_rows.append(
            (
                meeting_id,
                team,
                numbers[team],
                kw.get("title", f"Meeting {meeting_id}"),
                int(start.timestamp()),
                minutes,
                kw.get("tz", "UTC"),
                purpose,
                fmt,
                None,
                f"C{rng.randrange(40):03d}",
                organiser,
                kw.get("status", "scheduled"),
                int(start.timestamp()) - 86_400,
                rrule,
                # Cancelled an hour before it was due: it never happened.
                int(start.timestamp()) - 3600 if kw.get("status") == "cancelled" else None,
            )
        )
        for a in attendees:
            attendee_rows.append((team, meeting_id, a.user_id, a.guest))
        if rrule:
            series.append(
                Meeting(
                    id=meeting_id,
                    team_id=team,
                    number=numbers[team],
                    title="",
                    starts_at=start,
                    duration=timedelta(minutes=minutes),
                    tz=kw.get("tz", "UTC"),
                    channel_id="",
                    organiser_id=organiser,
                    attendees=tuple(attendees),
                    rrule=rrule,
                )
            )
        return meeting_id

    for squad in range(people // SQUAD):
        team = users[squad * SQUAD : (squad + 1) * SQUAD]
        lead, rest = team[0], team[1:]
        zone = ZONES[squad % len(ZONES)]
        day = YEAR_START + timedelta(days=squad % 5, hours=9 + squad % 6)
        seats = tuple(Attendee(user_id=u) for u in rest)
        add(TEAM, day, 60, lead, seats, "FREQ=WEEKLY", "strategy", tz=zone, format="video")
        add(
            TEAM,
            YEAR_START + timedelta(hours=8, minutes=30),
            15,
            lead,
            seats,
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "general",
            tz=zone,
            format="call",
        )
        for i, person in enumerate(rest):
            start = YEAR_START + timedelta(days=i % 5, hours=10 + i % 7)
            rule = "FREQ=WEEKLY" if i % 2 else "FREQ=WEEKLY;COUNT=60"
            add(TEAM, start, 30, lead, (Attendee(user_id=person),), rule, "challenges", tz=zone)
    year = int(timedelta(days=364).total_seconds())
    one_off_rows = []
    for n in range(one_offs):
        start = YEAR_START + timedelta(seconds=rng.randrange(0, year // 900) * 900)
        guests = tuple(
            Attendee(guest=f"guest{n}-{g}@acme.com") for g in range(rng.choice((0, 0, 1, 2)))
        )
        seats = tuple(Attendee(user_id=u) for u in rng.sample(users, rng.randrange(1, 6)))
        status = "cancelled" if n % 50 == 0 else "scheduled"
        meeting_id = add(
            TEAM,
            start,
            rng.choice((30, 45, 60, 90)),
            rng.choice(users),
            seats + guests,
            None,
            "customer" if guests else rng.choice(PURPOSES),
            format=rng.choice(FORMATS),
            status=status,
        )
        if status == "scheduled":
            one_off_rows.append(meeting_id)
    # A small workspace in the same database, busy in the same weeks: it must not count.
    for n in range(2000):
        start = YEAR_START + timedelta(seconds=rng.randrange(0, year // 900) * 900)
        add(OTHER_TEAM, start, 60, users[n % 50], (Attendee(user_id=users[0]),))

    with database.transaction() as db:
        db.conn.executemany(
            "INSERT INTO meetings (id, team_id, number, title, starts_at, duration_min, tz,"
            " purpose, format, link, channel_id, organiser_id, status, created_at, rrule,"
            " cancelled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            meeting_rows,
        )
        db.conn.executemany(
            "INSERT INTO attendees (team_id, meeting_id, user_id, guest) VALUES (?, ?, ?, ?)",
            attendee_rows,
        )
    built_at = time.perf_counter()

    # The year's occurrences as rows, for the hand-written SQL; 1% of series meetings skipped.
    year_end = YEAR_START + timedelta(days=365)
    occurrence_rows: list[tuple] = []
    skipped_rows: list[tuple] = []
    for meeting in series:
        for occurrence in meeting.occurrences(YEAR_START, year_end):
            if rng.random() < 0.01:
                skipped_rows.append((meeting.team_id, meeting.id, occurrence.key, 1, "UBENCH", 0))
                continue
            occurrence_rows.append(
                (
                    meeting.team_id,
                    meeting.id,
                    int(occurrence.start.timestamp()),
                    int(occurrence.end.timestamp()),
                )
            )
    rows_by_id = {row[0]: row for row in meeting_rows}
    for meeting_id in one_off_rows:
        row = rows_by_id[meeting_id]
        occurrence_rows.append((row[1], meeting_id, row[4], row[4] + row[5] * 60))
    with database.transaction() as db:
        db.conn.executemany(
            "INSERT INTO occurrence_changes (team_id, meeting_id, occurrence, skipped,"
            " changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
            skipped_rows,
        )
        db.execute(
            "CREATE TABLE bench_occurrences (team_id TEXT, meeting_id INTEGER,"
            " starts_at INTEGER, ends_at INTEGER)"
        )
        db.conn.executemany("INSERT INTO bench_occurrences VALUES (?, ?, ?, ?)", occurrence_rows)
        db.execute("CREATE INDEX bench_occurrences_week ON bench_occurrences (team_id, starts_at)")
    with database.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Built(
        meetings=sum(1 for r in meeting_rows if r[1] == TEAM),
        occurrences=sum(1 for r in occurrence_rows if r[0] == TEAM),
        seconds=built_at - began,
        materialise_seconds=time.perf_counter() - built_at,
    )


def sql_person_hours(database: Database, start: datetime, end: datetime) -> dict[str, float]:
    params = {"team": TEAM, "start": int(start.timestamp()), "end": int(end.timestamp())}
    with database.reading() as db:
        return dict(db.execute(PER_PERSON_SQL, params).fetchall())


def from_first(held, start: datetime, end: datetime) -> list:
    """The occurrences as the digest expanded them before issue 15: every series stepped
    through by dateutil from its first meeting."""
    found = [
        (h.meeting, o)
        for h in held
        for o in h.meeting.occurrences(start, end)
        if h.cancelled_at is None or o.start < h.cancelled_at
    ]
    found.sort(key=lambda pair: (pair[1].start, pair[0].number))
    return found


def timed(run, runs: int) -> tuple[float, object]:
    """Median wall time of `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def side_by_side(app, sql, runs: int) -> tuple[float, object, float, object, float]:
    """Median wall times of `runs` calls of each, taken in turns (app, SQL, app, ...) so
    that both see the same machine on a shared one; the last results; and the median of
    each turn's ratio. Each call's time includes collecting the young objects it left
    (else one side's garbage is collected in the other's time)."""
    app_times, sql_times, by_app, by_sql = [], [], None, None
    for _ in range(runs):
        began = time.perf_counter()
        by_app = app()
        gc.collect(0)
        app_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        by_sql = sql()
        gc.collect(0)
        sql_times.append(time.perf_counter() - began)
    ratios = [a / s for a, s in zip(app_times, sql_times, strict=True) if s]
    return (
        statistics.median(app_times),
        by_app,
        statistics.median(sql_times),
        by_sql,
        statistics.median(ratios) if ratios else float("inf"),
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.digest", description=__doc__)
    parser.add_argument("--people", type=int, default=2000, help="people in the workspace (2000)")
    parser.add_argument(
        "--one-offs", type=int, default=44_000, help="one-off meetings over the year (44000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="timed runs of each side, taken in turns (3)"
    )
    parser.add_argument("--dir", help="where the temporary database goes")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="salesmeet-digest-", dir=args.dir) as workdir:
        database = open_database(Path(workdir) / "digest.db")
        built = build(database, args.people, args.one_offs)
        print(
            f"Weekly digest: {args.people:,} people, {built.meetings:,} meetings,"
            f" {built.occurrences:,} occurrences in a year"
            f" (built in {built.seconds:.1f} s; occurrences materialised for SQL in"
            f" {built.materialise_seconds:.1f} s)"
        )
        clock = ManualClock(NOW)
        workspaces = Workspaces(SettingsStore(database))
        digests = Digests(database, clock, workspaces)
        start = week_start(NOW, "UTC")
        end = shift_weeks(start, 1, "UTC")

        figures_time, figures = timed(lambda: digests.figures(TEAM, start), args.runs)
        sql_time, by_sql = timed(lambda: sql_person_hours(database, start, end), args.runs)
        # The same again in turns: each evicts the other's pages and objects from the
        # caches, as a digest computed now and then finds them.
        turns_app, _, turns_sql, _, paired = side_by_side(
            lambda: digests.figures(TEAM, start),
            lambda: sql_person_hours(database, start, end),
            args.runs,
        )
        # The expansion alone, both ways, over the two weeks the figures read.
        before = shift_weeks(start, -1, "UTC")
        held = digests.window.meetings_in_window(TEAM, before, end)
        window_time, pairs = timed(lambda: occurrences_in(held, before, end), args.runs)
        first_time, old_pairs = timed(lambda: from_first(held, before, end), args.runs)

        by_app = {p.user_id: p.hours for p in figures.people}
        # The reference: every figure worked out over the week's pairs.
        this = [(m, o) for m, o in pairs if o.start >= start]
        earlier = [(m, o) for m, o in pairs if o.start < start]
        rate = figures.settings.hourly_cost
        reference = week_figures(
            TEAM,
            start,
            end,
            this,
            figures.settings,
            NOW,
            previous=totals(earlier, rate),
            agenda_counts=lambda ids: digests.store.agenda_counts(TEAM, ids),
        )
        same_figures = figures == reference
        worst = max(
            (abs(by_app.get(u, 0.0) - by_sql.get(u, 0.0)) for u in {*by_app, *by_sql}),
            default=0.0,
        )
        print(
            f"  week of {start:%Y-%m-%d}: {figures.totals.occurrences:,} occurrences,"
            f" {len(figures.people):,} people, {figures.totals.attendee_hours:,.0f}"
            f" attendee-hours, {len(figures.over_limit)} over the limit"
        )
        print(
            f"  digest figures (app, median of {args.runs}): {figures_time * 1000:8.1f} ms"
            "  (the week's parts read in SQL, series expanded, the week before, flags,"
            " what to cut)"
        )
        print(
            f"  per-person hours (one SQL, median of {args.runs}): {sql_time * 1000:8.1f} ms"
            "  (over pre-materialised occurrences)"
        )
        ratio = figures_time / sql_time if sql_time else float("inf")
        print(f"  ratio app / SQL: {ratio:.2f}x")
        print(
            f"  the same in turns (app, SQL, app, ...): {turns_app * 1000:.1f} /"
            f" {turns_sql * 1000:.1f} ms, {turns_app / turns_sql:.2f}x"
            f" (median of each turn's ratio {paired:.2f}x)"
        )
        same = "the same" if pairs == old_pairs else "DIFFERENT"
        print(
            f"  series expanded over the two weeks only: {window_time * 1000:8.1f} ms;"
            f" from their first meeting (as before): {first_time * 1000:8.1f} ms"
            f" ({len(pairs):,} occurrences, {same})"
        )
        agree = "agree" if worst < 1e-6 else f"DISAGREE (worst difference {worst:.3f} h)"
        print(f"  per-person hours, app vs SQL: {agree} for {len(by_sql):,} people")
        print(
            "  every figure, app vs worked out pair by pair: "
            + ("the same" if same_figures else "DIFFERENT")
        )
        database.close()
    print(f"digest benchmark took {time.perf_counter() - began:.0f} s")
    return 0 if worst < 1e-6 and same_figures else 1


if __name__ == "__main__":
    sys.exit(main())
