"""Capacity of one machine: how many workspaces one `python app.py` serves at their peak.

One process in OAuth mode (`python app.py` through bench/capacity_child.py, which only adds
probes) serves N installed workspaces over real HTTP on 127.0.0.1 (waitress), with its
Web API calls going to the Slack double (simulator/webapi.py, timestamping subclass from
bench/fakes.py) in this process, with Slack's published rate limits enforced when the
double has them (`enforce_rate_limits`; the output says which). Each workspace is a
50-person sales team (simulator.workspace.ACME and 46 more members) with a #sales channel.

The day model (per workspace, stated here and in bench/README.md):

* 50 people, 5 of them managers; an 8-hour working day whose busiest hour carries twice
  the mean hour (PEAK = 2), so the peak rate is 2/8 of a day's traffic an hour.
* Each person, a day: 2 `/salesmeet list`, 1 `list mine`, 3 App Home opens
  (`app_home_opened` events) and 2 RSVP presses (Going / Not going on an announcement).
* Each manager, a day, on top: 2 `schedule`s and 1 `move`.
* So 415 requests a workspace a day, 0.029 a second in the peak hour; 10 meetings a day.
* Timed posts: each meeting has an agenda prompt (24 h before), a reminder (15 min
  before) and an outcome prompt (when it ends), besides the announcement its `schedule`
  posts. Meetings start on the hour or the half hour, so a peak hour's 2.5 meetings put
  about 1.25 of each kind on each mark, rounded up: 2 reminders, 2 outcome prompts and 2
  agenda prompts per workspace due in the same second, in every workspace at once (whole-
  hour zones share the mark). That mark falls inside the measured window.

For each N the benchmark starts a fresh database (N installations, sealed tokens, and
per workspace the 6 meetings whose posts fall due on the mark, 5 managers' meetings
later in the week to `move`, and nothing else), starts the app, and then plays an open-
loop arrival schedule at N x the peak rates for `--window` seconds: every request is sent
at its planned time (Poisson arrivals, a fixed seed), never waiting for earlier answers,
and its ack time counts from that planned time. Measured: p50/p99 ack per kind of request;
each timed post due in the window (from the database afterwards) against when the double
received it: lateness beyond pacing = received - due - paced_for (the time the app held it
back for Slack's per-channel limit); 429s the double answered; CPU of the app process,
of this process (the load and the double) and of the machine (/proc); and the write
lock (bench/capacity_child.py): how long transactions waited for it, and for what share
of the window it was held.

N goes 25, 50, 100, ... (doubling, `--start`, `--max-n`) until p99 ack reaches 300 ms or a
post is more than 60 s late beyond pacing; `--bisect K` then halves the gap K times. At
the end the same arrival schedule as the first failing N (or the largest N run) is played
against a bare Bolt app whose only listener acks (bench/http_ack.py), the floor of the
HTTP stack at that rate on this machine. Figures are printed; nothing is asserted.
`--slack-latency MS` has the double answer each chat.postMessage that much later (real
Slack is 100-300 ms away): the dispatcher's posts a second are then bound by how many
it has in flight, not by CPU.

Run: `.venv/bin/python -m bench.capacity` (or `python -m bench --only capacity`); a quick
look: `--start 50 --max-n 400 --window 30`.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import logging
import math
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_sdk import WebClient

from bench.capacity_child import BUCKETS_MS
from bench.fakes import TimedFakeSlack
from bench.http_ack import BARE_BOLT, SECRET, TOKEN, WALL, Served, free_port, launch
from bench.seed import insert_rows
from bench.stats import percentile
from bench.workspaces_ack import CLIENT_ID, CLIENT_SECRET, KEY, install_all
from bot.channel_posts import post_key
from bot.clock import ManualClock
from entities.meetings import Attendee, Meeting, Venue
from features.followups.blocks import (
    BUTTONS_BLOCK,
    COUNTS_BLOCK,
    GOING_ACTION,
    NOT_GOING_ACTION,
)
from salesmeet.compose import build_core, open_database
from simulator.requests import (
    JSON,
    block_actions_payload,
    event_body,
    interaction_body,
    post,
    signature_headers,
    slash_command_body,
)
from simulator.workspace import ACME

# ---------------------------------------------------------------------------- day model

PEOPLE = 50
MANAGERS = 5
WORK_HOURS = 8
PEAK = 2.0  # the busiest hour carries twice the mean working hour
PER_PERSON = {"list": 2, "list mine": 1, "home": 3, "rsvp": 2}  # a day, each person
PER_MANAGER = {"schedule": 2, "move": 1}  # a day, each manager, on top
MEETINGS_A_DAY = MANAGERS * PER_MANAGER["schedule"]
# Each kind of timed post due on the mark, per workspace: the peak hour's meetings, half
# on each mark (hour, half hour), rounded up.
PER_MARK = math.ceil(MEETINGS_A_DAY * PEAK / WORK_HOURS / 2)
KINDS = ("list", "list mine", "home", "rsvp", "schedule", "move")

ACK_LIMIT = 0.300  # p99 ack must stay under this
LATE_LIMIT = 60.0  # and no post later than this beyond pacing (bot/timed_posts LATE_AFTER)
REMINDER_LEAD = timedelta(minutes=15)  # bot/workspace.py defaults
AGENDA_LEAD = timedelta(hours=24)
CHANNEL = ACME.sales.channel_id
EXTRA = [f"UREP{i:03d}" for i in range(1, PEOPLE - len(ACME.members) + 1)]
ZONES = ("Asia/Kuala_Lumpur", "Asia/Kolkata", "Europe/London", "America/New_York")
REQUEST_TIMEOUT = 10.0


def daily() -> dict[str, int]:
    """Requests of each kind a workspace makes in a day."""
    return {
        kind: PEOPLE * PER_PERSON.get(kind, 0) + MANAGERS * PER_MANAGER.get(kind, 0)
        for kind in KINDS
    }


def peak_rates(scale: float = 1.0) -> dict[str, float]:
    """Requests a second of each kind from one workspace in its peak hour."""
    return {kind: n * PEAK / (WORK_HOURS * 3600) * scale for kind, n in daily().items()}


def members(team: str) -> list[str]:
    return [m.user_id for m in ACME.members] + EXTRA


def managers() -> list[str]:
    return [m.user_id for m in ACME.members] + EXTRA[: MANAGERS - len(ACME.members)]


# ---------------------------------------------------------------------------- set-up


@dataclass
class Targets:
    """What a workspace's requests act on: its RSVP message, its managers' meetings."""

    rsvp_value: str = ""
    rsvp_message: dict = field(default_factory=dict)
    movable: list[tuple[int, str]] = field(default_factory=list)  # (number, organiser)


def register(fake: TimedFakeSlack, teams: list[str]) -> None:
    for team in teams:
        fake.add_workspace(replace(ACME, team_id=team, bot_token=token(team)))
        for k, user in enumerate(EXTRA):
            fake.add_user(
                team, user, user.lower(), tz=ZONES[k % len(ZONES)], real_name=f"Rep {user[4:]}"
            )


def token(team: str) -> str:
    return f"xoxb-{team.lower()}"  # as bench/workspaces_ack.install_all seals it


def seed(path: Path, teams: list[str], mark: int, first_due: int) -> dict[str, Targets]:
    """Per workspace: PER_MARK meetings whose reminder, PER_MARK whose outcome prompt and
    PER_MARK whose agenda prompt fall due on `mark` (epoch seconds), and one meeting per
    manager later in the week. Rows the app's own planner gives them (`posts_for`), those
    due before `first_due` left out (as if sent); `planned_until` as the hourly pass
    leaves it, so nothing is re-planned."""
    database = open_database(str(path))
    now = datetime.fromtimestamp(first_due, UTC)
    # Nothing here talks to Slack; the client points nowhere on purpose.
    client = WebClient(token="xoxb-seed", base_url="http://127.0.0.1:9/api/")
    core = build_core(database, ManualClock(now), client)
    planner = core.planner
    planner.workspaces.settings = functools.lru_cache(maxsize=None)(planner.workspaces.settings)
    at = datetime.fromtimestamp(mark, UTC)
    half = timedelta(minutes=30)
    starts = (
        [at + REMINDER_LEAD] * PER_MARK  # reminder due on the mark
        + [at - half] * PER_MARK  # ends on the mark: outcome prompt
        + [at + AGENDA_LEAD] * PER_MARK  # agenda prompt due on the mark
        + [at + timedelta(days=3, hours=h) for h in range(MANAGERS)]  # to move
    )
    bosses, people = managers(), members("")
    targets: dict[str, Targets] = {}
    meeting_rows, attendee_rows, delivery_rows = [], [], {}
    meeting_id = 0
    for t, team in enumerate(teams):
        found = Targets()
        for number, start in enumerate(starts, start=1):
            meeting_id += 1
            organiser = bosses[number % MANAGERS]
            meeting = Meeting(
                id=meeting_id,
                team_id=team,
                number=number,
                title=f"Pipeline review {number}",
                starts_at=start,
                duration=half,
                tz=ZONES[t % len(ZONES)],
                channel_id=CHANNEL,
                organiser_id=organiser,
                purpose="shortfall",
                venue=Venue("video", f"https://zoom.us/j/{1_000_000 + meeting_id}"),
                attendees=tuple(Attendee(user_id=people[(number + i) % PEOPLE]) for i in (1, 2, 3)),
            )
            for planned in planner.posts_for(
                meeting, start - timedelta(hours=25), start + AGENDA_LEAD
            ):
                due = int(planned.due_at.timestamp())
                if due >= first_due:
                    key = (planned.team_id, planned.kind, planned.meeting_id, planned.occurrence)
                    delivery_rows.setdefault(key, due)
            if number == 2 * PER_MARK + 1:  # the first agenda meeting: RSVPs go to it
                occurrence = meeting.occurrences(start - timedelta(seconds=1), start + half)[0]
                found.rsvp_value = f"{number}:{occurrence.key}"
            if number > 3 * PER_MARK:
                found.movable.append((number, organiser))
            meeting_rows.append(
                (
                    meeting.id,
                    team,
                    number,
                    meeting.title,
                    int(start.timestamp()),
                    30,
                    meeting.tz,
                    meeting.purpose,
                    meeting.venue.format,
                    meeting.venue.link,
                    CHANNEL,
                    organiser,
                    "scheduled",
                    first_due - 86_400,
                    first_due + 8 * 86_400,
                )
            )
            attendee_rows += [(team, meeting.id, a.user_id, None) for a in meeting.attendees]
        targets[team] = found
    core.background.shutdown(wait=False)
    insert_rows(
        database,
        meeting_rows,
        attendee_rows,
        [(*key, due, first_due - 60) for key, due in delivery_rows.items()],
    )
    with database.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return targets


def rsvp_messages(fake: TimedFakeSlack, targets: dict[str, Targets]) -> None:
    """The announcement each workspace's RSVPs are pressed on, posted to the double (as
    the app would have posted it when the meeting was booked): Slack sends its blocks back
    with every press, and the app updates the counts in place (chat.update)."""

    def one(team: str) -> None:
        found = targets[team]
        blocks = [
            {"type": "section", "text": {"type": "mrkdwn", "text": "*Pipeline review*"}},
            {
                "type": "context",
                "block_id": COUNTS_BLOCK,
                "elements": [{"type": "mrkdwn", "text": "Going? 0 going"}],
            },
            {
                "type": "actions",
                "block_id": BUTTONS_BLOCK,
                "elements": [
                    {
                        "type": "button",
                        "action_id": action,
                        "text": {"type": "plain_text", "text": label},
                        "value": found.rsvp_value,
                    }
                    for action, label in ((GOING_ACTION, "Going"), (NOT_GOING_ACTION, "Not going"))
                ],
            },
        ]
        client = WebClient(token=token(team), base_url=fake.url)
        answer = client.chat_postMessage(channel=CHANNEL, text="Pipeline review", blocks=blocks)
        found.rsvp_message = {
            "type": "message",
            "ts": answer["ts"],
            "text": "Pipeline review",
            "blocks": blocks,
        }

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, targets))


# ---------------------------------------------------------------------------- the load


@dataclass(frozen=True)
class Arrival:
    at: float  # seconds after the window starts
    kind: str
    team: str


def arrivals(teams: list[str], window: float, scale: float, seed_: int, cap: int) -> list[Arrival]:
    """Poisson arrivals of every kind at len(teams) x the peak rates, at most `cap`."""
    rng = random.Random(seed_)
    out: list[Arrival] = []
    for kind, rate in peak_rates(scale).items():
        total = rate * len(teams)
        if total <= 0:
            continue
        at = rng.expovariate(total)
        while at < window:
            out.append(Arrival(at, kind, rng.choice(teams)))
            at += rng.expovariate(total)
    out.sort(key=lambda a: a.at)
    return out[:cap]


class Requests:
    """Signed requests as Slack sends them, one of each kind."""

    def __init__(self, fake: TimedFakeSlack, targets: dict[str, Targets], seed_: int) -> None:
        self.fake = fake
        self.targets = targets
        self.rng = random.Random(seed_)
        self.lock = threading.Lock()
        self.count = itertools.count(1)
        today = WALL.now().date()
        # Two to five days ahead: no agenda prompt falls due at once, whatever the zone.
        self.days = [f"{(today + timedelta(days=d)):%a}".lower() for d in range(2, 6)]

    def build(self, arrival: Arrival) -> tuple[str, str]:
        """(body, content type)."""
        n = next(self.count)
        team = arrival.team
        with self.lock:  # random.Random is not meant for many threads
            person = self.rng.choice(members(team))
            boss = self.rng.choice(managers())
            day, hour = self.rng.choice(self.days), self.rng.randrange(9, 17)
            going = self.rng.random() < 0.8
            movable = self.rng.choice(self.targets[team].movable)
        url = self.fake.response_url(f"cap{n}")
        if arrival.kind in ("list", "list mine"):
            return self._command(team, person, arrival.kind, url), ""
        if arrival.kind == "schedule":
            attendee = members(team)[n % PEOPLE]
            text = f'schedule "Deal review {n}" {day} {hour}:00 with <@{attendee}>'
            return self._command(team, boss, text, url), ""
        if arrival.kind == "move":
            number, organiser = movable
            return self._command(team, organiser, f"move #{number} {day} {hour}:30", url), ""
        if arrival.kind == "rsvp":
            found = self.targets[team]
            payload = block_actions_payload(
                team_id=team,
                user_id=person,
                channel_id=CHANNEL,
                action_id=GOING_ACTION if going else NOT_GOING_ACTION,
                value=found.rsvp_value,
                response_url=url,
                message=found.rsvp_message,
            )
            return interaction_body(payload), ""
        event = {
            "type": "app_home_opened",
            "user": person,
            "channel": f"D{person[1:]}",
            "tab": "home",
            "event_ts": f"{WALL.epoch():.6f}",
        }
        return event_body(team_id=team, event=event), JSON

    @staticmethod
    def _command(team: str, user: str, text: str, url: str) -> str:
        return slash_command_body(
            team_id=team, user_id=user, channel_id=CHANNEL, text=text, response_url=url
        )


@dataclass
class Acks:
    took: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (planned epoch, ack s)
    status: Counter = field(default_factory=Counter)
    behind: float = 0.0  # the most a request left after its planned time
    sent: int = 0
    skipped: int = 0  # not sent: the time bound ran out


def drive(
    url: str,
    plan: list[Arrival],
    requests: Requests,
    window: float,
    workers: int,
    accept: frozenset[int] = frozenset({200}),
) -> Acks:
    """Open loop: each request at its planned time on a pool of `workers` threads; its ack
    time counts from the planned time, so a queue in this process shows in the figures."""
    acks = Acks(took={kind: [] for kind in KINDS})
    lock = threading.Lock()

    def one(arrival: Arrival, planned: float) -> None:
        started = time.perf_counter()
        body, kind = requests.build(arrival)
        headers = signature_headers(
            SECRET, body, WALL.epoch(), **({"content_type": kind} if kind else {})
        )
        try:
            status, _, _ = post(url, body, headers, timeout=REQUEST_TIMEOUT)
        except OSError:
            status = 0  # refused or timed out
        took = time.perf_counter() - planned
        with lock:
            acks.took[arrival.kind].append(took if status in accept else math.inf)
            acks.timeline.append((epoch0 + arrival.at, took if status in accept else math.inf))
            acks.status[status] += 1
            acks.behind = max(acks.behind, started - planned)

    pool = ThreadPoolExecutor(workers, thread_name_prefix="capacity-load")
    began = time.perf_counter()
    epoch0 = WALL.epoch()
    futures = []
    for arrival in plan:
        planned = began + arrival.at
        if planned - time.perf_counter() > 0:
            time.sleep(planned - time.perf_counter())
        if time.perf_counter() - began > window + 5:  # bounded, whatever happens
            acks.skipped += 1
            continue
        futures.append(pool.submit(one, arrival, planned))
    acks.sent = len(futures)
    pool.shutdown(wait=True)  # each request is bounded by REQUEST_TIMEOUT
    return acks


# ---------------------------------------------------------------------------- measuring


def cpu_seconds(pid: int | str = "self") -> float:
    """utime + stime of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


class Meter:
    """CPU of the app, of this process and of the machine over an interval."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0  # the app's busiest second, in cores
        self._stop = threading.Event()
        self.start()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        last, at = cpu_seconds(self.pid), time.perf_counter()
        while not self._stop.wait(1.0):
            try:
                now, then = cpu_seconds(self.pid), time.perf_counter()
            except OSError:
                return
            self.peak = max(self.peak, (now - last) / (then - at))
            last, at = now, then

    def start(self) -> None:
        self.t = time.perf_counter()
        self.app, self.me, self.machine = cpu_seconds(self.pid), cpu_seconds(), machine_ticks()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        wall = time.perf_counter() - self.t
        busy, total = machine_ticks()
        app, bench = (cpu_seconds(self.pid) - self.app) / wall, (cpu_seconds() - self.me) / wall
        machine = (busy - self.machine[0]) / max(total - self.machine[1], 1)
        cores = os.cpu_count() or 1
        return {
            "app": app,
            "app_peak": self.peak,
            "bench": bench,
            "machine": machine,
            "ours": (app + bench) / cores,  # this benchmark's share of all cores
            "others": max(machine - (app + bench) / cores, 0.0),  # everyone else's
        }


def read_stats(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def lock_figures(before: dict, after: dict, seconds: float) -> dict:
    if not after:
        return {}
    histogram = [
        a - b for a, b in zip(after["histogram"], before.get("histogram", [0] * 9), strict=False)
    ]
    n = sum(histogram)
    p99 = "n/a"
    if n:
        rank, seen = math.ceil(0.99 * n), 0
        for i, count in enumerate(histogram):
            seen += count
            if seen >= rank:
                p99 = f"≤{BUCKETS_MS[i]} ms" if i < len(BUCKETS_MS) else f">{BUCKETS_MS[-1]} ms"
                break
    logs = Counter(after.get("logs", {}))
    logs.subtract(before.get("logs", {}))
    return {
        "transactions": n,
        "wait_mean_ms": (after["wait_total"] - before.get("wait_total", 0)) / max(n, 1) * 1000,
        "wait_p99": p99,
        "wait_max_ms": after["wait_max"] * 1000,
        "held": (after["hold_total"] - before.get("hold_total", 0)) / seconds,
        "busy": after["busy"] - before.get("busy", 0),
        "logs": {k: v for k, v in logs.items() if v > 0},
    }


@dataclass
class Posts:
    due: int = 0
    received: int = 0
    late: list[float] = field(default_factory=list)  # beyond pacing, seconds
    raw: list[float] = field(default_factory=list)  # received - due
    paced: int = 0  # rows pacing held back
    by_kind: Counter = field(default_factory=Counter)
    states: Counter = field(default_factory=Counter)
    drained_in: float = 0.0  # from the mark to the last of the posts due on it


def due_rows(path: Path, since: int, until: int) -> tuple[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        install = conn.execute("SELECT id FROM install_identity").fetchone()[0]
        rows = conn.execute(
            "SELECT team_id, kind, meeting_id, occurrence, due_at, COALESCE(paced_for, 0), state"
            " FROM deliveries WHERE due_at >= ? AND due_at < ?",
            [since, until],
        ).fetchall()
    finally:
        conn.close()
    return install, rows


def watch_posts(
    fake: TimedFakeSlack, path: Path, since: int, until: int, mark: int, deadline: float
) -> Posts:
    """Wait (to `deadline`, monotonic) until every row due in [since, until) has reached
    the double; then each one's lateness. A post that never came counts as late as the
    wait lasted."""
    while True:
        install, rows = due_rows(path, since, until)
        keys = [post_key(install, *row[:4]) for row in rows]
        missing = [k for k in keys if k not in fake.received]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(1.0)
    posts = Posts(due=len(rows))
    end = WALL.epoch()
    last = mark
    for row, key in zip(rows, keys, strict=True):
        _team, kind, _meeting, _occurrence, due, paced, state = row
        posts.by_kind[kind] += 1
        posts.states[state] += 1
        arrived = fake.received.get(key)
        posts.received += arrived is not None
        at = arrived if arrived is not None else end
        if due == mark:
            last = max(last, at)
        posts.raw.append(at - due)
        posts.late.append(at - due - paced)
        posts.paced += paced > 0
    posts.drained_in = last - mark
    return posts


# ---------------------------------------------------------------------------- one N


@dataclass
class Step:
    n: int
    rate: float
    acks: Acks
    posts: Posts
    cpu: dict[str, float]
    lock: dict
    limited: Counter
    enforced: bool
    mark: int
    latency: float = 0.0  # ms the double took to answer each chat.postMessage

    @property
    def all_acks(self) -> list[float]:
        return [t for values in self.acks.took.values() for t in values]

    @property
    def p99(self) -> float:
        return percentile(self.all_acks, 99)

    @property
    def worst_late(self) -> float:
        return max(self.posts.late, default=0.0)

    @property
    def passed(self) -> bool:
        return self.p99 < ACK_LIMIT and self.worst_late <= LATE_LIMIT

    def saturating(self) -> str:
        """The resource nearest its limit, with the figure that says so."""
        cpu, held = self.cpu, self.lock.get("held", 0)
        near = {
            f"CPU of the app process (mean {cpu['app']:.2f}, busiest second"
            f" {cpu['app_peak']:.2f} of the one core its GIL allows)": cpu["app_peak"],
            f"CPU of the machine ({cpu['machine']:.0%} busy: this benchmark"
            f" {cpu['ours']:.0%} of all cores, other work {cpu['others']:.0%})": cpu["machine"],
            f"SQLite write lock (held {held:.0%} of the time)": held,
        }
        # Pacing every workspace's burst is by design (posts per channel); Slack's limits
        # bind when the double has to refuse calls: 1 in 10 refused counts as saturated.
        refused = sum(self.limited.values())
        calls = max(self.posts.received + len(self.all_acks), 1)
        near[f"Slack limits ({refused} 429s, {self.posts.paced} posts paced)"] = min(
            1.0, 10 * refused / calls
        )
        return max(near, key=near.get)


def run_step(n: int, args: argparse.Namespace, workdir: Path, url_of: list[Served]) -> Step:
    teams = [f"TC{i:05d}" for i in range(n)]
    path = workdir / f"capacity-{n}.db"
    stats = workdir / f"capacity-{n}.json"
    for old in workdir.glob(f"capacity-{n}.db*"):
        old.unlink()
    rate = sum(peak_rates(args.scale).values()) * n
    print(
        f"\nN = {n} workspaces: {rate:.1f} requests/s for {args.window:.0f} s, "
        f"{3 * PER_MARK * n} timed posts due on the mark",
        flush=True,
    )
    with TimedFakeSlack() as fake:
        prepared = time.perf_counter()
        register(fake, teams)
        install_all(path, teams)
        # The mark: `--mark` seconds into a window that starts once the app is up.
        lead = args.lead if args.lead is not None else 10 + 0.015 * n
        start_at = math.ceil(WALL.epoch() + lead)
        mark = start_at + int(args.mark)
        targets = seed(path, teams, mark, start_at)
        rsvp_messages(fake, targets)
        enforced = hasattr(fake, "enforce_rate_limits")
        if enforced:
            fake.enforce_rate_limits()
        if args.slack_latency:  # every chat.postMessage answered that much later
            posts = 3 * PER_MARK * n + 4 * rate * args.window + 1000
            fake.fail(
                "chat.postMessage", status=200, delay=args.slack_latency / 1000, times=int(posts)
            )
        port = free_port()
        served = launch(
            f"app.py, {n} workspaces",
            [sys.executable, "-m", "bench.capacity_child"],
            {
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": fake.url,
                "SLACK_CLIENT_ID": CLIENT_ID,
                "SLACK_CLIENT_SECRET": CLIENT_SECRET,
                "SALESMEET_SECRET_KEY": KEY,
                "SALESMEET_PUBLIC_URL": f"http://127.0.0.1:{port}",
                "SALESMEET_DB": str(path),
                "PORT": str(port),
                "HOST": "127.0.0.1",
                "CAPACITY_STATS": str(stats),
            },
            port,
        )
        url_of.append(served)
        try:
            requests = Requests(fake, targets, args.seed)
            plan = arrivals(teams, args.window, args.scale, args.seed, args.max_requests)
            setup = time.perf_counter() - prepared
            wait = start_at - WALL.epoch()
            print(
                f"  set-up (double, installs, seed, app start) took {setup:.1f} s;"
                f" the window starts {wait:.1f} s later"
            )
            if wait < 0:
                print(
                    f"  !! set-up took {setup:.0f} s, {-wait:.0f} s past the window's start;"
                    " the mark may come early in the window (raise --lead)"
                )
            else:
                time.sleep(wait)
            before = read_stats(stats)
            meter = Meter(served.process.pid)
            acks = drive(served.url, plan, requests, args.window, args.workers)
            cpu = meter.stop()
            deadline = time.monotonic() + max(mark - WALL.epoch(), 0) + args.drain
            posts = watch_posts(fake, path, start_at, start_at + int(args.window), mark, deadline)
            after = read_stats(stats)
            lock = lock_figures(before, after, max(WALL.epoch() - start_at, 1))
            limited = Counter(c.method for c in fake.calls if getattr(c, "ratelimited", False))
        finally:
            served.close()
            url_of.remove(served)
    step = Step(n, rate, acks, posts, cpu, lock, limited, enforced, mark, args.slack_latency)
    report_step(step)
    return step


def fmt(seconds: float) -> str:
    if math.isnan(seconds):
        return "   n/a"
    if math.isinf(seconds):
        return "  lost"
    return f"{seconds * 1000:6.0f}"


def report_step(step: Step) -> None:
    acks, posts = step.acks, step.posts
    print(
        f"  acks (ms from the planned send): {acks.sent} sent, statuses {dict(acks.status)};"
        f" the load ran up to {acks.behind * 1000:.0f} ms behind its plan"
    )
    print(f"    {'kind':<10} {'n':>6} {'p50':>7} {'p99':>7} {'max':>7}")
    for kind, values in acks.took.items():
        if values:
            print(
                f"    {kind:<10} {len(values):6d} {fmt(percentile(values, 50))} "
                f"{fmt(percentile(values, 99))} {fmt(max(values))}"
            )
    every = step.all_acks
    print(
        f"    {'all':<10} {len(every):6d} {fmt(percentile(every, 50))} {fmt(step.p99)} "
        f"{fmt(max(every, default=math.nan))}"
    )
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(posts.by_kind.items()))
    print(
        f"  timed posts due in the window: {posts.due} ({kinds}); {posts.received} arrived;"
        f" rows {dict(posts.states)}"
    )
    if posts.late:
        print(
            f"    lateness beyond pacing p50 {percentile(posts.late, 50):.1f} s,"
            f" p99 {percentile(posts.late, 99):.1f} s, max {max(posts.late):.1f} s;"
            f" raw (received - due) max {max(posts.raw):.1f} s;"
            f" {posts.paced} held back by pacing; last post {posts.drained_in:.1f} s after the mark"
        )
    mode = "enforced" if step.enforced else "NOT enforced (this double has none)"
    if step.latency:
        mode += f", chat.postMessage answered {step.latency:.0f} ms late"
    burst = [t for at, t in acks.timeline if step.mark <= at <= step.mark + posts.drained_in]
    calm = [t for at, t in acks.timeline if not step.mark <= at <= step.mark + posts.drained_in]
    print(
        f"  p99 ack while the mark's posts went out ({len(burst)} acks):"
        f" {fmt(percentile(burst, 99)).strip()} ms; the rest ({len(calm)}):"
        f" {fmt(percentile(calm, 99)).strip()} ms"
    )
    print(f"  Slack limits {mode}: 429s by method {dict(step.limited) or 'none'}")
    cpu = step.cpu
    print(
        f"  CPU over the window: app {cpu['app']:.2f} cores (busiest second"
        f" {cpu['app_peak']:.2f}), this process (load + double) {cpu['bench']:.2f}; machine"
        f" {cpu['machine']:.0%} of all cores busy, {cpu['others']:.0%} of them other work"
    )
    if cpu["others"] > 0.25:
        print(
            f"  !! other work took {cpu['others']:.0%} of the machine's CPU during the window:"
            " these figures are pessimistic (re-run on a quiet machine)"
        )
    lock = step.lock
    if lock:
        print(
            f"  write lock: {lock['transactions']} transactions,"
            f" wait mean {lock['wait_mean_ms']:.1f} ms,"
            f" p99 {lock['wait_p99']}, max {lock['wait_max_ms']:.0f} ms; held {lock['held']:.0%}"
            f" of the time; DatabaseBusy {lock['busy']}"
        )
        for key, count in sorted(lock["logs"].items(), key=lambda kv: -kv[1])[:6]:
            print(f"    log x{count}: {key}")
    verdict = "PASS" if step.passed else "FAIL"
    print(
        f"  {verdict}: p99 ack {fmt(step.p99).strip()} ms (limit 300),"
        f" worst lateness beyond pacing {step.worst_late:.1f} s (limit 60);"
        f" nearest its limit: {step.saturating()}",
        flush=True,
    )


def baseline(n: int, args: argparse.Namespace, url_of: list[Served]) -> Acks:
    """The same arrival schedule against a bare Bolt app (only `ack()`, for commands; it
    answers the kinds it has no listener for at once too): the floor at that rate."""
    teams = [f"TC{i:05d}" for i in range(n)]
    with TimedFakeSlack() as fake:
        fake.add_workspace(replace(ACME, bot_token=TOKEN))  # the bare app's token
        port = free_port()
        bare = launch(
            "bare Bolt ack()",
            [*BARE_BOLT, str(port), fake.url, "bolt"],
            {},
            port,
        )
        url_of.append(bare)
        try:
            targets = {
                t: Targets("1:0", {"type": "message", "ts": "1.0", "blocks": []}, [(1, "UMAYA")])
                for t in teams
            }
            plan = arrivals(teams, args.window, args.scale, args.seed, args.max_requests)
            requests = Requests(fake, targets, args.seed)
            # 404: the bare app has no listener for that kind, and says so at once.
            accept = frozenset({200, 404})
            return drive(bare.url, plan, requests, args.window, args.workers, accept)
        finally:
            bare.close()
            url_of.remove(bare)


def sizes(args: argparse.Namespace) -> list[int]:
    out, n = [], args.start
    while n <= args.max_n:
        out.append(n)
        n *= 2
    return out


def table(steps: list[Step], floor: tuple[int, Acks] | None) -> None:
    print("\nCapacity, N workspaces at their peak hour (ack ms from the planned send; lateness s)")
    head = (
        f"  {'N':>6} {'req/s':>6} {'acks':>6} {'p50':>6} {'p99':>6} {'posts':>6} "
        f"{'late p99':>8} {'late max':>8} {'paced':>6} {'429s':>5} {'app CPU':>9} "
        f"{'machine':>7} {'lock held':>9} {'lock p99':>9}  verdict"
    )
    print(head)
    for s in sorted(steps, key=lambda s: s.n):
        every = s.all_acks
        late = s.posts.late
        print(
            f"  {s.n:6d} {s.rate:6.1f} {len(every):6d} {fmt(percentile(every, 50))} {fmt(s.p99)} "
            f"{s.posts.due:6d} {percentile(late, 99) if late else 0:8.1f} {s.worst_late:8.1f} "
            f"{s.posts.paced:6d} {sum(s.limited.values()):5d}"
            f" {s.cpu['app']:4.2f}/{s.cpu['app_peak']:4.2f} "
            f"{s.cpu['machine']:7.0%} {s.lock.get('held', 0):9.0%}"
            f" {s.lock.get('wait_p99', 'n/a'):>9}  "
            f"{'pass' if s.passed else 'FAIL'}"
        )
    if floor is not None:
        n, acks = floor
        every = [t for v in acks.took.values() for t in v]
        print(
            f"  {'bare Bolt, same arrivals as N=' + str(n):<27} {len(every):6d} "
            f"{fmt(percentile(every, 50))} {fmt(percentile(every, 99))}   (the HTTP stack's floor)"
        )
    passed = [s for s in steps if s.passed]
    failed = [s for s in steps if not s.passed]
    if passed:
        best = max(passed, key=lambda s: s.n)
        print(
            f"\n  largest N that passed: {best.n} ({best.rate:.1f} requests/s,"
            f" {best.posts.due} timed posts in the window);"
            f" nearest its limit there: {best.saturating()}"
        )
    else:
        print("\n  no N passed")
    if failed:
        worst = min(failed, key=lambda s: s.n)
        why = []
        if worst.p99 >= ACK_LIMIT:
            why.append(f"p99 ack {fmt(worst.p99).strip()} ms")
        if worst.worst_late > LATE_LIMIT:
            why.append(f"a post {worst.worst_late:.0f} s late beyond pacing")
        print(
            f"  first N that failed: {worst.n} ({', '.join(why)}); saturated: {worst.saturating()}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.capacity",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--start", type=int, default=25, help="first N (25)")
    parser.add_argument("--max-n", type=int, default=3200, help="largest N tried (3200)")
    parser.add_argument("--sizes", type=int, nargs="+", help="exactly these N, no search")
    parser.add_argument(
        "--bisect",
        type=int,
        default=0,
        help="halve the gap between the last N that passed and the first that failed"
        " this many times (0)",
    )
    parser.add_argument("--window", type=float, default=60.0, help="seconds of load per N (60)")
    parser.add_argument(
        "--mark",
        type=float,
        default=None,
        help="seconds into the window the posts fall due (window/3)",
    )
    parser.add_argument(
        "--drain",
        type=float,
        default=90.0,
        help="seconds after the window (or the mark) to wait for the posts (90)",
    )
    parser.add_argument(
        "--lead",
        type=float,
        default=None,
        help="seconds from seeding to the window's start, for the set-up and the app's"
        " start (10 + 0.015 per workspace)",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="times the day model's peak request rate (1)"
    )
    parser.add_argument(
        "--slack-latency",
        type=float,
        default=0.0,
        metavar="MS",
        help="the double answers each chat.postMessage this many ms late, like a far-away"
        " Slack (0)",
    )
    parser.add_argument("--workers", type=int, default=128, help="threads sending requests (128)")
    parser.add_argument(
        "--max-requests", type=int, default=50_000, help="requests per N at most (50000)"
    )
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--no-baseline", action="store_true", help="skip the bare Bolt run")
    parser.add_argument("--dir", help="where the databases go (system temp dir)")
    args = parser.parse_args(argv)
    if args.mark is None:
        args.mark = args.window / 3
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    day = daily()
    rates = peak_rates(args.scale)
    print("Capacity of one process: N workspaces of 50 people at their peak hour, over HTTP")
    print(
        f"  day model per workspace: {sum(day.values())} requests a day ("
        + ", ".join(f"{n} {k}" for k, n in day.items())
        + f"), peak {sum(rates.values()):.4f}/s; {MEETINGS_A_DAY} meetings a day;"
        f" {PER_MARK} reminders, {PER_MARK} outcome prompts and {PER_MARK} agenda prompts"
        " due on the mark"
    )
    workdir = Path(tempfile.mkdtemp(prefix="salesmeet-capacity-", dir=args.dir))
    began = time.perf_counter()
    running: list[Served] = []
    steps: list[Step] = []
    floor = None
    try:
        todo = list(args.sizes or sizes(args))
        for n in todo:
            steps.append(run_step(n, args, workdir, running))
            if not steps[-1].passed and not args.sizes:
                break
        passed = [s.n for s in steps if s.passed]
        failed = [s.n for s in steps if not s.passed]
        for _ in range(args.bisect if passed and failed else 0):
            low, high = max(passed), min(failed)
            if high - low <= 1:
                break
            n = (low + high) // 2
            steps.append(run_step(n, args, workdir, running))
            (passed if steps[-1].passed else failed).append(n)
        if not args.no_baseline and steps:
            at = min((s.n for s in steps if not s.passed), default=max(s.n for s in steps))
            print(f"\nbare Bolt, the arrivals of N = {at}:", flush=True)
            try:
                floor = (at, baseline(at, args, running))
            except RuntimeError as error:
                print(f"  the bare Bolt app did not run: {error}")
        table(steps, floor)
    finally:
        for served in running:
            served.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
