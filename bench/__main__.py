"""Run every SalesMeet benchmark and print the figures: `make bench`, or
`.venv/bin/python -m bench --help` for the knobs."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import machine, scheduler
from bot.clock import SystemClock

WALL = SystemClock()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--posts", type=int, default=500, help="reminders due in the lateness runs (500)"
    )
    parser.add_argument(
        "--spread",
        type=int,
        action="append",
        help="seconds the due times spread over; repeat for several runs (default: 0 and 60)",
    )
    parser.add_argument(
        "--lead",
        type=float,
        default=None,
        help="seconds from booking start to the first due time (default 2 + 0.012 per post)",
    )
    parser.add_argument(
        "--slack-latency",
        type=float,
        action="append",
        metavar="MS",
        help="the fake answers every call this many ms late; repeat for several runs"
        " (default: 0 and 200)",
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the lateness run with pacing switched off (the old behaviour)",
    )
    parser.add_argument(
        "--rows", type=int, default=100_000, help="pending rows for start-up (100000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="start-up processes, warm-horizon case (3)"
    )
    parser.add_argument(
        "--stale",
        type=float,
        default=1 / 7,
        metavar="FRACTION",
        help="share of meetings whose horizon ran short for the stale start-up case"
        " (default 1/7: one day down; 1 = everything; 0 skips the case)",
    )
    parser.add_argument(
        "--only",
        choices=(
            "lateness",
            "startup",
            "digest",
            "reads",
            "http",
            "workspaces",
            "memory",
            "capacity",
        ),
        help="run one benchmark, not all (capacity runs only when named: it takes minutes)",
    )
    parser.add_argument(
        "--dir", help="where the temporary databases go (default: the system temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="salesmeet-bench-", dir=args.dir))
    began = time.perf_counter()
    print(f"SalesMeet benchmarks, {WALL.now():%Y-%m-%d %H:%M} UTC")
    for line in machine.describe(str(workdir)):
        print(f"  {line}")
    print(flush=True)
    try:
        if args.only in (None, "lateness"):
            runs = [
                (spread, latency, True)
                for latency in args.slack_latency or [0.0, 200.0]
                for spread in args.spread or [0, 60]
            ]
            if not args.no_baseline:  # the same burst, unpaced: the 429s it gets
                runs.insert(1, (runs[0][0], runs[0][1], False))
            for spread, latency, paced in runs:
                result = scheduler.lateness(
                    args.posts, spread, args.lead, workdir, latency / 1000, paced
                )
                print("\n".join(result.lines), end="\n\n", flush=True)
        if args.only in (None, "startup"):
            lines = scheduler.startup(args.rows, args.runs, args.stale, workdir)
            print("\n".join(lines), end="\n\n", flush=True)
        # Each of these prints its own figures.
        if args.only in (None, "digest"):
            from bench import digest

            digest.main(["--runs", "3"])
            print(flush=True)
        if args.only in (None, "reads"):
            from bench import reads

            reads.main([])
            print(flush=True)
        if args.only in (None, "http"):
            from bench import http_ack

            http_ack.main([])
            print(flush=True)
        if args.only in (None, "workspaces"):
            from bench import workspaces_ack

            workspaces_ack.main([])
            print(flush=True)
        if args.only in (None, "memory"):
            from bench import memory

            memory.main([])
            print(flush=True)
        if args.only == "capacity":  # several minutes: `python -m bench.capacity --help`
            from bench import capacity

            capacity.main(["--dir", str(workdir)])
            print(flush=True)
    finally:
        if args.keep:
            print(f"databases kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"benchmarks took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
