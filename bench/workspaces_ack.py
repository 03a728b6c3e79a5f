"""The ack of `/salesmeet list` when one process serves 1,000 workspaces over OAuth.

Three servers, each its own process on the production server (waitress), side by side in
one run: a bare Bolt app whose only listener calls `ack()`; `python app.py` with one bot
token (SLACK_BOT_TOKEN, the ack benchmark's setting); and `python app.py` in OAuth mode
with 1,000 installations in its database, so every request first finds its workspace's
installation, opens the sealed token (Fernet) and authorizes it (Bolt's
InstallationStoreAuthorize) before the listener runs. Requests to the OAuth app come from
a random one of the 1,000 workspaces; each workspace has a few meetings, so `list` reads.

Run: `.venv/bin/python -m bench.workspaces_ack` (about 40 s).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import random
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from slack_sdk.oauth.installation_store import Installation

from bench.http_ack import (
    BARE_BOLT,
    ROOT,
    SECRET,
    TOKEN,
    WALL,
    Served,
    concurrent,
    free_port,
    launch,
    ms,
    settle,
)
from bench.stats import percentile
from bot.clock import SystemClock
from salesmeet.compose import open_database
from simulator.requests import post, signature_headers, slash_command_body
from simulator.webapi import FakeSlack
from simulator.workspace import ACME
from storage.installations import InstallationRows
from storage.seal import Seal

KEY = "bench-sealing-key-of-at-least-32-characters"
CLIENT_ID, CLIENT_SECRET = "111.222", "bench-client-secret"


class ListCommands:
    """Signed `/salesmeet list` commands, from one workspace or a random one of many."""

    def __init__(self, fake: FakeSlack, teams: list[str], seed: int = 7) -> None:
        self.fake = fake
        self.teams = teams
        self.random = random.Random(seed)
        self.count = itertools.count(1)

    def send(self, url: str) -> tuple[int, float]:
        n = next(self.count)
        body = slash_command_body(
            team_id=self.random.choice(self.teams),
            user_id="UMAYA",
            channel_id="CSALES",
            text="list",
            response_url=self.fake.response_url(f"l{n}"),
        )
        headers = signature_headers(SECRET, body, WALL.epoch())
        started = time.perf_counter()
        status, _, text = post(url, body, headers, timeout=30)
        assert status == 200 and "Bench meeting" in text, (status, text[:200])
        return status, time.perf_counter() - started


def install_all(db_path: Path, teams: list[str]) -> None:
    """1,000 installations, tokens sealed, as Bolt's OAuth flow would have saved them."""
    database = open_database(str(db_path))
    rows = InstallationRows(database, Seal(KEY), SystemClock())
    for n, team in enumerate(teams):
        rows.save(
            Installation(
                app_id="ABENCH",
                enterprise_id=None,
                team_id=team,
                team_name=f"Team {n}",
                bot_token=f"xoxb-{team.lower()}",
                bot_id="BBOT",
                bot_user_id="UBOT",
                bot_scopes="commands,chat:write,users:read",
                user_id="UOLIVIA",
            )
        )
    database.close()


def schedule(url: str, fake: FakeSlack, team: str, n: int) -> None:
    body = slash_command_body(
        team_id=team,
        user_id="UMAYA",
        channel_id="CSALES",
        text=f'schedule "Bench meeting {n}" tomorrow 3pm',
        response_url=fake.response_url(f"s{team}{n}"),
    )
    status, _, _ = post(url, body, signature_headers(SECRET, body, WALL.epoch()), timeout=30)
    assert status == 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workspaces_ack", description=__doc__)
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=300, help="sequential, per app (300)")
    parser.add_argument("--clients", type=int, default=8, help="threads for throughput (8)")
    parser.add_argument("--throughput", type=int, default=400, help="requests per app (400)")
    args = parser.parse_args(argv)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    workdir = Path(tempfile.mkdtemp(prefix="salesmeet-workspaces-"))
    began = time.perf_counter()
    teams = [f"TW{n:04d}" for n in range(args.workspaces)]
    print(f"`/salesmeet list` ack: {args.workspaces} workspaces over OAuth vs one bot token")
    with FakeSlack() as fake:
        fake.add_workspace(replace(ACME, bot_token=TOKEN))
        for team in teams:
            fake.add_workspace(replace(ACME, team_id=team, bot_token=f"xoxb-{team.lower()}"))
        install_all(workdir / "oauth.db", teams)
        servers: list[Served] = []
        try:
            common = {"SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url}
            port = free_port()
            bare = launch(
                "bare Bolt ack()",
                [*BARE_BOLT, str(port), fake.url, "bolt"],
                {},
                port,
            )
            servers.append(bare)
            port = free_port()
            single = launch(
                "one bot token",
                [sys.executable, str(ROOT / "app.py")],
                {
                    **common,
                    "SLACK_BOT_TOKEN": TOKEN,
                    "SALESMEET_DB": str(workdir / "single.db"),
                    "PORT": str(port),
                },
                port,
            )
            servers.append(single)
            port = free_port()
            many = launch(
                f"{args.workspaces} workspaces",
                [sys.executable, str(ROOT / "app.py")],
                {
                    **common,
                    "SLACK_CLIENT_ID": CLIENT_ID,
                    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
                    "SALESMEET_SECRET_KEY": KEY,
                    "SALESMEET_PUBLIC_URL": f"http://127.0.0.1:{port}",
                    "SALESMEET_DB": str(workdir / "oauth.db"),
                    "PORT": str(port),
                },
                port,
            )
            servers.append(many)
            # Something to list: three meetings in every workspace (and the one token's).
            for n in range(3):
                schedule(single.url, fake, "T1", n)
                for team in teams:
                    schedule(many.url, fake, team, n)
            # Booked after the ack (by the worker): wait until each one has its answer.
            settle(fake, 3 * (1 + len(teams)))
            one = ListCommands(fake, ["T1"])
            spread = ListCommands(fake, teams)
            bare_commands = ListCommands(fake, ["T1"])
            plan = [(bare, bare_commands), (single, one), (many, spread)]
            for served, commands in plan:  # warm-up
                for _ in range(20):
                    commands.send(served.url) if served is not bare else _bare(served, fake)

            took: dict[str, list[float]] = {s.name: [] for s, _ in plan}
            for _ in range(args.requests):  # alternating, so drift hits all alike
                for served, commands in plan:
                    if served is bare:
                        took[served.name].append(_bare(served, fake))
                    else:
                        took[served.name].append(commands.send(served.url)[1])
            print(f"\n{args.requests} sequential requests per app:")
            print(f"  {'':<22} {'p50':>10} {'p99':>10}")
            for name, values in took.items():
                print(f"  {name:<22} {ms(percentile(values, 50))} {ms(percentile(values, 99))}")
            for served in (single, many):
                ratio = percentile(took[served.name], 99) / percentile(took[bare.name], 99)
                print(f"  p99 {served.name} / bare: {ratio:.2f}")

            print(f"\nThroughput, {args.clients} clients, {args.throughput} requests per app:")
            rates = {}
            for served, commands in plan[1:]:
                wall, latencies = concurrent(commands, served.url, args.clients, args.throughput)
                rates[served.name] = args.throughput / wall
                print(
                    f"  {served.name:<22} {rates[served.name]:7.0f} acks/s"
                    f"   p50 {ms(percentile(latencies, 50))}  p99 {ms(percentile(latencies, 99))}"
                )
            print(
                f"  ratio ({args.workspaces} workspaces / one token):"
                f" {rates[many.name] / rates[single.name]:.2f}"
            )
            auth_tests = len(fake.calls_to("auth.test"))
            print(f"\n  auth.test calls Slack saw in the whole run: {auth_tests}")
        finally:
            for served in servers:
                served.close()
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"took {time.perf_counter() - began:.0f} s")
    return 0


def _bare(served: Served, fake: FakeSlack) -> float:
    body = slash_command_body(
        team_id="T1", user_id="UMAYA", channel_id="CSALES", text="list", response_url=""
    )
    started = time.perf_counter()
    status, _, _ = post(served.url, body, signature_headers(SECRET, body, WALL.epoch()), timeout=30)
    assert status == 200
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
