"""How fast SalesMeet acks `/salesmeet schedule` over real HTTP, next to a bare Bolt app.

Each app runs in its own process on the same server, waitress with the same threads, on
localhost, and receives the same signed, form-encoded slash commands, one connection per
request, as Slack sends them. The real app is `python app.py` in HTTP mode, as `make run`
starts it (SQLite in a temp dir, the worker process, a fake Slack in this process for its
Web API calls after the ack). The baseline is a bare Bolt app as Bolt ships it: its only
listener calls `ack()`, behind Bolt's own WSGI adapter. The same bare app behind
SalesMeet's transport (the signature checked on the raw body, the body parsed once) is
measured too, so the transport's share and the app's share can be told apart.

The commands are a 50-person team's, booked over the next eight weeks (`Commands`); each
names one attendee in plain text, matched against every member of a 2,000-person
workspace (`--members`): users.list is read once, after an ack, and cached; the ack
itself never waits on it. `--same-slot` books every command tomorrow 3pm for the same
three people instead, so the work after each ack grows with the run.

Run: `.venv/bin/python -m bench.http_ack` (about a minute).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress.server import create_server

from bench.stats import percentile
from bot.clock import SystemClock
from salesmeet.transport import HTTP_THREADS, http_server
from simulator.requests import post, signature_headers, slash_command_body
from simulator.webapi import FakeSlack
from simulator.workspace import ACME

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
WALL = SystemClock()  # Slack stamps its requests with the real time
# The team whose commands the benchmark plays (members UM00000...), and the days ahead
# its meetings are spread over.
TEAM = 50
SPREAD_DAYS = 56
# Starts a bare Bolt app in its own process: add PORT, API_URL and "bolt" (Bolt's own
# WSGI adapter) or "ours" (SalesMeet's transport).
BARE_BOLT = [sys.executable, "-m", "bench.http_ack", "--serve-bare"]


@dataclass
class Served:
    name: str
    url: str
    process: subprocess.Popen

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(name: str, command: list[str], env: dict[str, str], port: int) -> Served:
    """Start a server process and wait until it answers HTTP."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        command, env={**base, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/slack/events"
    deadline = time.monotonic() + 60
    while True:
        try:
            post(url.replace("/slack/events", "/"), "", {}, timeout=2)  # 404: it is up
            return Served(name, url, process)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start") from None
            time.sleep(0.1)


def serve_bare(port: int, api_url: str, transport: str) -> None:
    """The bare Bolt app (run in its own process) on waitress with the production
    server's threads: behind Bolt's WSGI adapter ("bolt"), or SalesMeet's ("ours")."""
    app = App(client=WebClient(token=TOKEN, base_url=api_url), signing_secret=SECRET)

    def salesmeet(ack: Ack) -> None:
        ack()

    app.command("/salesmeet")(salesmeet)
    if transport == "ours":
        http_server(app, port, host="127.0.0.1", signing_secret=SECRET).run()
    else:
        create_server(
            SlackRequestHandler(app), host="127.0.0.1", port=port, threads=HTTP_THREADS
        ).run()


class Commands:
    """Signed slash commands with distinct titles (so none is taken as a repeat).

    A 50-person team books its meetings over the next eight weeks, on the hour in the
    working day: each command has its organiser, an attendee by @mention and one named
    in plain text (matched against the whole workspace). With `same_slot`, every command
    books tomorrow 3pm for the same three people, as this benchmark did up to its fifth
    pass: each booking's load check then reads every meeting booked before it in the
    run, and the work after the ack grows with the run."""

    def __init__(self, fake: FakeSlack, same_slot: bool = False) -> None:
        self.fake = fake
        self.same_slot = same_slot
        self.count = itertools.count(1)

    def text(self, n: int) -> tuple[str, str]:
        """The command's organiser and text."""
        if self.same_slot:
            # Sam by @mention; Ravi by name, matched against every member of the workspace.
            return "UMAYA", (
                f'schedule "Bench review {n}" tomorrow 3pm for 45m with <@USAM>, ravi kumar'
                " type strategy"
            )
        organiser, invited, named = (f"UM{(n + k) % TEAM:05d}" for k in range(3))
        day = WALL.now().date() + timedelta(days=1 + n % SPREAD_DAYS)
        return organiser, (
            f'schedule "Bench review {n}" {day:%b} {day.day} {9 + n % 8}:00 for 45m'
            f" with <@{invited}>, rep{int(named[2:])} type strategy"
        )

    def send(self, url: str) -> tuple[int, float]:
        n = next(self.count)
        organiser, text = self.text(n)
        body = slash_command_body(
            team_id="T1",
            user_id=organiser,
            channel_id="CSALES",
            text=text,
            response_url=self.fake.response_url(f"b{n}"),
        )
        headers = signature_headers(SECRET, body, WALL.epoch())
        started = time.perf_counter()
        status, _, _ = post(url, body, headers, timeout=30)
        return status, time.perf_counter() - started


def settle(fake: FakeSlack, expected: int, timeout: float = 120) -> float:
    """Wait until the real app has answered every command it acked (its after-ack work);
    how long that took."""
    started = time.monotonic()
    deadline = started + timeout
    while len(fake.responses) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return time.monotonic() - started


def sequential(commands: Commands, apps: list[Served], n: int) -> dict[str, list[float]]:
    """One request at a time, alternating between the apps so drift hits both alike."""
    took: dict[str, list[float]] = {a.name: [] for a in apps}
    for _ in range(n):
        for app in apps:
            status, seconds = commands.send(app.url)
            assert status == 200, (app.name, status)
            took[app.name].append(seconds)
    return took


def concurrent(commands: Commands, url: str, clients: int, total: int) -> tuple[float, list[float]]:
    """`clients` threads sending `total` requests; (wall seconds, each ack's latency)."""
    latencies: list[float] = []
    lock = threading.Lock()
    left = itertools.count(total, -1)

    def client() -> None:
        while next(left) > 0:
            status, seconds = commands.send(url)
            assert status == 200, status
            with lock:
                latencies.append(seconds)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def burst(commands: Commands, url: str, size: int) -> list[float]:
    """`size` commands released at the same instant; each one's ack latency."""
    gate = threading.Barrier(size)
    latencies: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        gate.wait()
        status, seconds = commands.send(url)
        with lock:
            latencies.append(seconds if status == 200 else float("inf"))

    threads = [threading.Thread(target=client) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_ack", description=__doc__)
    parser.add_argument("--requests", type=int, default=300, help="sequential, per app (300)")
    parser.add_argument(
        "--clients",
        type=int,
        action="append",
        help="threads for throughput; repeat for several runs (default: 8 and 50)",
    )
    parser.add_argument(
        "--throughput", type=int, default=1000, help="requests per app and run (1000)"
    )
    parser.add_argument("--burst", type=int, default=50, help="commands at once (50)")
    parser.add_argument(
        "--same-slot",
        action="store_true",
        help="every command books tomorrow 3pm for the same three people (the old load)",
    )
    parser.add_argument(
        "--members", type=int, default=2000, help="people in the workspace, matched by name (2000)"
    )
    parser.add_argument(
        "--serve-bare", nargs=3, metavar=("PORT", "API_URL", "TRANSPORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.serve_bare:
        serve_bare(int(args.serve_bare[0]), args.serve_bare[1], args.serve_bare[2])
        return 0
    # Waitress warns about its queue depth under a burst; the latencies say it better.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    workdir = Path(tempfile.mkdtemp(prefix="salesmeet-ack-"))
    began = time.perf_counter()
    print("Slash-command ack over HTTP: SalesMeet `schedule` vs a bare Bolt app (waitress)")
    with FakeSlack() as fake:
        fake.add_workspace(replace(ACME, bot_token=TOKEN))
        for n in range(args.members):  # a large sales org: names are matched against all
            fake.add_user("T1", f"UM{n:05d}", f"rep{n}", real_name=f"Rep Number{n}")
        print(f"(a workspace of {args.members} members; each command names one in plain text)")
        servers: list[Served] = []
        try:
            port = free_port()
            real = launch(
                "salesmeet schedule",
                [sys.executable, str(ROOT / "app.py")],
                {
                    "SLACK_BOT_TOKEN": TOKEN,
                    "SLACK_SIGNING_SECRET": SECRET,
                    "SLACK_API_URL": fake.url,
                    "SALESMEET_DB": str(workdir / "bench.db"),
                    "PORT": str(port),
                },
                port,
            )
            servers.append(real)
            bares = []
            for name, transport in (("bare Bolt ack()", "bolt"), ("bare, our transport", "ours")):
                port = free_port()
                bares.append(launch(name, [*BARE_BOLT, str(port), fake.url, transport], {}, port))
            servers.extend(bares)
            bare, bare_ours = bares
            commands = Commands(fake, same_slot=args.same_slot)
            sequential(commands, servers, 20)  # warm-up: caches, connections, imports
            settle(fake, 20)
            took = sequential(commands, servers, args.requests)
            settle(fake, 20 + args.requests)
            print(f"\n{args.requests} sequential requests per app (one at a time):")
            print(f"  {'':<20} {'p50':>10} {'p99':>10} {'max':>10}")
            for name, values in took.items():
                p50, p99 = percentile(values, 50), percentile(values, 99)
                print(f"  {name:<20} {ms(p50)} {ms(p99)} {ms(max(values))}")
            ours, floor = took[real.name], took[bare.name]
            p50_ratio = percentile(ours, 50) / percentile(floor, 50)
            p99_ratio = percentile(ours, 99) / percentile(floor, 99)
            print(f"  ratio (SalesMeet / bare Bolt): p50 {p50_ratio:.2f}, p99 {p99_ratio:.2f}")

            for clients in args.clients or [8, 50]:
                print(f"\nThroughput, {clients} clients, {args.throughput} requests per app:")
                rates = {}
                for served in servers:
                    before = len(fake.responses)
                    wall, latencies = concurrent(commands, served.url, clients, args.throughput)
                    rates[served.name] = args.throughput / wall
                    print(
                        f"  {served.name:<20} {rates[served.name]:7.0f} acks/s"
                        f"   p50 {ms(percentile(latencies, 50))}"
                        f"  p99 {ms(percentile(latencies, 99))}"
                    )
                    if served is real:
                        behind = settle(fake, before + args.throughput)
                        print(
                            f"  {'':<20} every command answered {behind:.1f} s after the"
                            f" last ack (the work after the ack, {wall + behind:.1f} s in all)"
                        )
                print(
                    f"  ratio (SalesMeet / bare Bolt): {rates[real.name] / rates[bare.name]:.2f}"
                    f"  (/ bare, our transport: {rates[real.name] / rates[bare_ours.name]:.2f})"
                )

            print(f"\n{args.burst} commands at the same instant:")
            for served in servers:
                before = len(fake.responses)
                latencies = burst(commands, served.url, args.burst)
                print(
                    f"  {served.name:<20} slowest ack {ms(max(latencies))}"
                    f"   p50 {ms(percentile(latencies, 50))}"
                )
                if served is real:
                    settle(fake, before + args.burst)
            answered = sum(1 for r in fake.responses if "Scheduled meeting" in str(r.body))
            print(f"\n  every acked `schedule` was answered afterwards: {answered} confirmations")
        finally:
            for served in servers:
                served.close()
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
