"""Timed-post scheduler benchmarks: lateness under a burst, and start-up with many rows.

Both run the real SalesMeet objects (create_app, Services, the APScheduler alarm, SQLite
on disk) against a fake Slack on localhost. They print figures; they assert nothing.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import seed
from bench.fakes import TimedFakeSlack
from bench.probe import LogCounter, Timers
from bench.stats import ms, percentile, size
from bot.channel_posts import post_key
from bot.clock import SystemClock
from bot.pacing import Pacer, Rate
from entities.meetings import Attendee, MeetingDraft, Venue
from salesmeet.compose import create_app, open_database
from salesmeet.config import Settings

WALL = SystemClock()  # the wall clock the benchmarks date things by (bot/clock.py)

TEAM = "T1"
TOKEN = "xoxb-t1-test"
CHANNELS = [f"CSALES{i:02d}" for i in range(20)]
USERS = [f"UREP{i:03d}" for i in range(40)]
REMINDER_LEAD = timedelta(minutes=15)  # the workspace default, bot/workspace.py
LATE_AFTER_S = 60.0  # bot/timed_posts.py LATE_AFTER: a post this late says "Sent late"


@dataclass(frozen=True)
class LatenessResult:
    posts: int
    spread: int
    lines: list[str]


def _fake_workspace(fake: TimedFakeSlack) -> None:
    fake.add_team(TEAM, "Acme", bot_token=TOKEN)
    for channel in CHANNELS:
        fake.add_channel(TEAM, channel, channel.lower())
    for user in USERS:
        fake.add_user(TEAM, user, user.lower())


def _draft(k: int, starts_at: datetime) -> MeetingDraft:
    return MeetingDraft(
        title=f"Pipeline review {k}",
        starts_at=starts_at,
        duration=timedelta(minutes=30),
        tz="Asia/Kuala_Lumpur",
        channel_id=CHANNELS[k % len(CHANNELS)],
        organiser_id=USERS[k % len(USERS)],
        purpose="shortfall",
        venue=Venue("video", f"https://zoom.us/j/{1_000_000 + k}"),
        attendees=tuple(Attendee(user_id=USERS[(k + i) % len(USERS)]) for i in range(1, 4)),
        # The agenda prompt would otherwise be due at once (the meeting is < 24 h away);
        # a 1-minute agenda lead puts it 14 minutes after the burst, out of the way.
        agenda_lead=timedelta(minutes=1),
    )


def lateness(
    posts: int,
    spread: int,
    lead: float | None,
    workdir: Path,
    slack_latency: float = 0.0,
    paced: bool = True,
) -> LatenessResult:
    """`posts` reminders due within `spread` seconds (0: all in the same second).

    The meetings are booked through `services.book.book` (what /salesmeet schedule does
    after parsing): it stores the meeting, plans its rows and wakes the alarm. Then the
    real APScheduler alarm fires on the system clock and the dispatcher posts to the fake,
    which enforces Slack's rate limits (one post a second per channel after a short burst,
    429 with Retry-After) and counts its 429s. With `slack_latency` (seconds) the fake
    answers every call that much later, as a far-away Slack would. Without `paced`, the
    dispatcher's pacing is switched off (the old behaviour, for comparison; a 429's
    Retry-After is still honoured).
    """
    lines: list[str] = []
    path = workdir / f"lateness-{posts}-{spread}-{int(slack_latency * 1000)}-{int(paced)}.db"
    with TimedFakeSlack(latency=slack_latency) as fake, LogCounter() as logs:
        _fake_workspace(fake)
        fake.enforce_rate_limits()  # real monotonic time
        settings = Settings(
            bot_token=TOKEN, signing_secret="bench-secret", api_url=fake.url, db_path=str(path)
        )
        database = open_database(settings.db_path)
        _app, services = create_app(settings, SystemClock(), database)
        if not paced:
            services.dispatcher.pacer = Pacer(
                SystemClock().monotonic, post_rate=Rate(0.0), method_rates={}
            )
        services.alarm.start()
        try:
            # Due times are whole seconds in the database; start the burst on one.
            lead_s = lead if lead is not None else 2.0 + posts * 0.012
            t0 = math.ceil(WALL.epoch() + lead_s)
            created = time.perf_counter()
            for k in range(posts):
                offset = (k * spread) // posts if spread else 0
                starts = datetime.fromtimestamp(t0 + offset, UTC) + REMINDER_LEAD
                services.book.book(TEAM, _draft(k, starts), None, announce=False)
            created = time.perf_counter() - created
            margin = t0 - WALL.epoch()
            if margin <= 0:
                lines.append(
                    f"  !! booking took {created:.1f} s and ran past the first due time;"
                    " rerun with a larger --lead"
                )
            install = database.install_id()
            with database.reading() as db:
                due = {
                    post_key(install, team, kind, meeting, occurrence): due_at
                    for team, kind, meeting, occurrence, due_at in db.execute(
                        "SELECT team_id, kind, meeting_id, occurrence, due_at FROM deliveries"
                        " WHERE kind = 'reminder'"
                    ).fetchall()
                }

            timers = _probe(services)
            fake.expect(len(due))
            timeout = max(t0 - WALL.epoch(), 0) + spread + 60 + posts * (0.2 + slack_latency)
            complete = fake.wait_posts(timeout)
            received = dict(fake.received)
        finally:
            services.alarm.stop()  # waits for a running dispatch pass to settle its rows
            services.background.shutdown(wait=True)
        counts = services.dispatcher.deliveries.counts()
        with database.reading() as db:
            recorded = {
                post_key(install, team, kind, meeting, occurrence): (sent_at, bool(late))
                for team, kind, meeting, occurrence, sent_at, late in db.execute(
                    "SELECT team_id, kind, meeting_id, occurrence, sent_at, late FROM deliveries"
                    " WHERE kind = 'reminder' AND state = 'sent'"
                ).fetchall()
            }
        database.close()

    late = sorted(received[i] - due[i] for i in due if i in received)
    shape = "all due in the same second" if not spread else f"due spread over {spread} s"
    slow = f", fake Slack answers after {slack_latency * 1000:.0f} ms" if slack_latency else ""
    mode = "" if paced else ", PACING OFF (the old behaviour)"
    lines.insert(0, f"Lateness: {posts} reminders {shape}, {len(CHANNELS)} channels{slow}{mode}")
    # The limit's own floor: the busiest channel's posts at one a second.
    per_channel = max(Counter(k % len(CHANNELS) for k in range(posts)).values())
    floor = _floor(per_channel, spread, posts)
    lines.append(
        f"  Slack's limits: {fake.ratelimited} answers 429 from the limit-enforcing fake;"
        f" floor the limit imposes {floor:.1f} s ({per_channel} posts in one channel)"
    )
    lines.append(
        f"  booked {posts} meetings via MeetingBook.book in {created:.2f} s"
        f" ({created / posts * 1000:.1f} ms each: store, plan rows, wake alarm);"
        f" first due {margin:.1f} s later"
    )
    if not complete:
        lines.append(f"  !! only {len(received)} of {len(due)} posts arrived before the timeout")
    if late:
        first = min(received[i] for i in due if i in received)
        last = max(received[i] for i in due if i in received)
        p99 = percentile(late, 99)
        ratio = f" = {p99 / floor:.2f} x the floor" if floor >= 1 else ""
        lines.append(
            "  lateness (fake received - due_at):"
            f" p50 {percentile(late, 50) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms{ratio},"
            f" max {late[-1] * 1000:.0f} ms, min {late[0] * 1000:.0f} ms"
        )
        window = last - first
        rate = (len(late) - 1) / window if window > 0 else math.inf
        lines.append(
            f"  throughput: {len(late)} posts between first and last arrival in {window:.2f} s"
            f" = {rate:.0f} posts/s; all sent {last - min(due.values()):.2f} s"
            " after the first due time"
        )
    runs = sorted(timers.spans.get("run_due", []))
    if runs:
        first_run = runs[0][0] - min(due.values())
        lines.append(
            f"  alarm: run_due ran {len(runs)} times; the first started"
            f" {first_run * 1000:.1f} ms after the first due second; longest pass"
            f" {max(r[1] for r in runs):.2f} s; {_idle_while_overdue(runs, due, received)}"
        )
    if recorded:
        drift = [received[i] - sent for i, (sent, _late) in recorded.items() if i in received]
        really_late = sum(
            1 for i in recorded if i in received and received[i] - due[i] > LATE_AFTER_S
        )
        lines.append(
            f"  rows' sent_at vs. actual arrival: up to {max(drift):.1f} s earlier than the post;"
            f" marked late: {sum(late for _sent, late in recorded.values())},"
            f" actually > {LATE_AFTER_S:.0f} s late: {really_late}"
        )
    sent = max(timers.count.get("chat.postMessage", 0), 1)
    labels = (
        "due",
        "settings",
        "settings read",
        "claim",
        "channels",
        "compose",
        "hold back",
        "chat.postMessage",
        "settle",
    )
    per_post = [
        f"{label} {timers.total[label] / sent * 1000:.2f}"
        for label in labels
        if label in timers.total
    ]
    lines.append(
        f"  dispatcher time per post sent, mean ms: {', '.join(per_post)}"
        f" (settings asked {timers.count.get('settings', 0)} times, read from the database"
        f" {timers.count.get('settings read', 0)} times; compose"
        f" {timers.count.get('compose', 0)} times)"
    )
    lines.append(f"  rows by state afterwards: {dict(sorted(counts.items()))}")
    for (logger, message), n in sorted(logs.seen.items()):
        lines.append(f"  log warning x{n} from {logger}: {message[:90]}")
    return LatenessResult(posts, spread, lines)


def _idle_while_overdue(
    runs: list[tuple[float, float]], due: dict[int, int], received: dict[int, float]
) -> str:
    """The longest time no dispatch pass ran although some post was already due."""
    worst = 0.0
    for (start, took), (next_start, _) in itertools.pairwise(runs):
        end = start + took
        overdue = any(d <= end and received.get(i, math.inf) > end for i, d in due.items())
        if overdue:
            worst = max(worst, next_start - end)
    return f"longest idle gap with posts overdue {worst * 1000:.0f} ms"


def _floor(per_channel: int, spread: int, posts: int) -> float:
    """The p99 lateness Slack's one post a second per channel alone would impose."""
    if spread:
        return 0.0  # each channel's posts come due slower than one a second
    return float(max(per_channel - 1, 0))


def _probe(services) -> Timers:
    """Time what the dispatcher does per row, on this process's live instances."""
    timers = Timers()
    dispatcher = services.dispatcher
    timers.wrap(dispatcher, "run_due", keep_spans=True)
    for name, label in (
        ("due", "due"),
        ("claim_many", "claim"),
        ("settle_many", "settle"),
        ("hold_back", "hold back"),
        ("meeting_channels", "channels"),
    ):
        timers.wrap(dispatcher.deliveries, name, label)
    # Asked (by the dispatcher and the composers) vs. read from the database: within a
    # pass, `Workspaces.settings` reads each workspace's once.
    timers.wrap(dispatcher.workspaces, "settings")
    timers.wrap(dispatcher.workspaces.store, "all", "settings read")
    for kind in list(dispatcher.composers):
        dispatcher.composers[kind] = timers.timed(dispatcher.composers[kind], "compose")
    # The dispatcher posts through its own copy of the client, made per use.
    client_of = dispatcher._client

    def timed_client(team_id: str):
        client = client_of(team_id)
        client.chat_postMessage = timers.timed(client.chat_postMessage, "chat.postMessage")
        return client

    dispatcher._client = timed_client
    return timers


# --------------------------------------------------------------------------- start-up


def startup(rows: int, runs: int, stale: float, workdir: Path) -> list[str]:
    """Open, create_app and the first heartbeat, over a database with `rows` pending rows.

    Each run is a fresh Python process (bench/startup_child.py) against a fake Slack
    served from this one; the OS page cache is warm (the file was just written).
    """
    path = workdir / f"startup-{rows}.db"
    now = int(WALL.epoch())
    seeded = seed.build(path, rows, now)
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    on_disk = sum(f.stat().st_size for f in files if f.exists())
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(seeded.by_kind.items()))
    lines = [
        f"Start-up: {seeded.pending:,} pending rows ({kinds}),"
        f" {seeded.meetings:,} one-off meetings in {seed.TEAMS} workspaces",
        f"  database file {size(on_disk)} (built in {seeded.built_in:.1f} s, not part of the"
        " figures)",
    ]
    with TimedFakeSlack() as fake:
        fake.add_team(TEAM, "Acme", bot_token=TOKEN)
        lines += _startup_runs("warm horizon (nothing to re-plan)", path, fake, runs)
        if stale > 0:  # one run: it takes long, and its own re-plan would warm the next one
            title = (
                f"stale horizon ({stale:.0%} of meetings re-planned,"
                f" as after {stale * 7:.1f} days down)"
            )
            lines += _startup_runs(title, path, fake, 1, stale)
    return lines


def _startup_runs(
    title: str, path: Path, fake: TimedFakeSlack, runs: int, stale: float = 0.0
) -> list[str]:
    results = []
    for _ in range(runs):
        seed.clear_lease(path)
        if stale:
            seed.make_stale(path, int(WALL.epoch()), stale)
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "bench.startup_child", str(path), fake.url],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        wall = time.perf_counter() - started
        if out.returncode != 0:
            return [f"  {title}: the start-up process failed:", out.stderr[-2000:]]
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["wall"] = wall
        results.append(result)

    def med(get) -> float:
        return statistics.median(get(r) for r in results)

    def phase(name: str) -> float:
        return med(lambda r: r["phases"].get(name, 0.0))

    def first(name: str) -> float:
        return med(lambda r: r["first"].get(name, 0.0))

    def calls(name: str) -> str:
        return f"{results[-1]['counts'].get(name, 0):>6,}"

    heartbeat = first("heartbeat")
    scheduler_start = med(lambda r: r["alarm_start"] - r["first"].get("heartbeat", 0.0))
    total = med(lambda r: r["open_db"] + r["create_app"] + r["alarm_start"])
    alarm_ok = all(
        r["first_alarm_at"] is not None and r["first_alarm_at"] == r["next_due"] for r in results
    )
    return [
        f"  {title}: median of {len(results)} fresh process(es)",
        f"    imports (bot, handlers, slack_bolt, ...)     {ms(med(lambda r: r['import']))}",
        f"    open database (WAL, migrations check)       {ms(med(lambda r: r['open_db']))}",
        f"    create_app (Bolt App + auth.test to fake)   {ms(med(lambda r: r['create_app']))}",
        f"    alarm.start: APScheduler start              {ms(scheduler_start)}",
        f"    alarm.start: first heartbeat                {ms(heartbeat)}",
        f"      lease acquire                             {ms(first('lease'))}",
        f"      recover stale claims                      {ms(phase('recover'))}",
        f"      extend_horizon                            {ms(phase('extend_horizon'))}",
        f"        needing_plan (query + load meetings)    {ms(phase('needing_plan'))}",
        f"        plan rows ({calls('plan')} calls)                {ms(phase('plan'))}",
        f"        set_planned_until ({calls('set_planned_until')} calls)"
        f"        {ms(phase('set_planned_until'))}",
        f"      fire: run_due (nothing due)               {ms(first('run_due'))}",
        f"      wake: next_due + set the alarm            {ms(first('wake'))}",
        f"    total, database open to first alarm set     {ms(total)}",
        f"    whole process (interpreter start to exit)   {ms(med(lambda r: r['wall']))}",
        f"    max RSS {med(lambda r: r['max_rss_kib']) / 1024:.0f} MiB;"
        f" took the lease: {all(r['leader'] for r in results)};"
        f" first alarm set for the earliest pending row: {alarm_ok}",
    ]
