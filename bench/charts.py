"""The digest with its pictures on a big workspace: 2,000 people and a year of meetings.

    .venv/bin/python -m bench.charts [--people 2000] [--one-offs 44000] [--runs 3]

The workspace is bench/digest.py's. For one week, each timed apart:

- the digest figures (`Digests.figures`), the baseline the rest is measured against;
- the report (`Digests.report`): the figures plus the 7 weeks before them, first with
  none of those weeks kept yet (one query and one expansion for all 7) and then as every
  digest after the first finds them (kept in `digest_weeks`: only this week is computed);
- a manager's picture (hours per person against the limit, 8 weeks of hours and cost):
  PNG and alt text, then one person's own 8-week line, the median of `--persons` people,
  and what drawing one for each of the week's people adds up to.

Each person's chart is drawn when their own DM goes out (a row each, sent a few at a
time), never all at once in the digest's computation.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.digest import NOW, TEAM, build, timed
from bot.clock import ManualClock
from bot.i18n import translator
from bot.workspace import Workspaces
from features.digest.charts import WIDTH_PX
from features.digest.figures import week_start
from features.digest.pictures import person_picture, team_picture
from features.digest.service import Digests
from salesmeet.compose import open_database
from storage.settings import SettingsStore


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.charts", description=__doc__)
    parser.add_argument("--people", type=int, default=2000, help="people in the workspace (2000)")
    parser.add_argument(
        "--one-offs", type=int, default=44_000, help="one-off meetings over the year (44000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (3)")
    parser.add_argument("--persons", type=int, default=50, help="personal charts timed (50)")
    parser.add_argument("--dir", help="where the temporary database goes")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="salesmeet-charts-", dir=args.dir) as workdir:
        database = open_database(Path(workdir) / "charts.db")
        built = build(database, args.people, args.one_offs)
        print(
            f"Digest with pictures: {args.people:,} people, {built.meetings:,} meetings,"
            f" {built.occurrences:,} occurrences in a year (built in {built.seconds:.1f} s)"
        )
        clock = ManualClock(NOW)
        digests = Digests(database, clock, Workspaces(SettingsStore(database)))
        start = week_start(NOW, "UTC")
        tr = translator("en")

        first_time, _ = timed(lambda: digests.report(TEAM, start), 1)  # keeps the 7 weeks
        figures_time, _ = timed(lambda: digests.figures(TEAM, start), args.runs)
        report_time, report = timed(lambda: digests.report(TEAM, start), args.runs)
        team_time, picture = timed(
            lambda: team_picture(tr, report, lambda u: u, True, "UBENCH"), args.runs
        )
        people = [p.user_id for p in report.figures.people][: args.persons]
        each = []
        for user_id in people:
            took = time.perf_counter()
            person_picture(tr, report, user_id)
            each.append(time.perf_counter() - took)
        one = statistics.median(each) if each else 0.0
        everyone = one * len(report.figures.people)

        print(
            f"  week of {start:%Y-%m-%d}: {len(report.figures.people):,} people,"
            f" {len(report.weeks)} weeks in the picture"
        )
        print(f"  digest figures (median of {args.runs}):          {figures_time * 1000:8.1f} ms")
        print(
            f"  report, the 7 weeks before not kept yet (once): {first_time * 1000:8.1f} ms"
            "  (the first digest only)"
        )
        print(
            f"  report, weeks kept (median of {args.runs}):       {report_time * 1000:8.1f} ms"
            f"  ({report_time / figures_time:.2f}x the figures)"
        )
        print(
            f"  manager's picture, PNG + alt (median of {args.runs}): {team_time * 1000:8.1f} ms"
            f"  ({len(picture.png) / 1024:.0f} KiB, {WIDTH_PX} px wide,"
            f" alt {len(picture.alt)} characters)"
        )
        print(
            f"  one person's picture (median of {len(each)}):      {one * 1000:8.1f} ms;"
            f" {len(report.figures.people):,} of them: {everyone:.1f} s, spread over their DMs"
        )
        within = report_time + team_time <= figures_time * 2
        print(
            "  digest with the manager's picture "
            + ("stays" if within else "does NOT stay")
            + " within twice the figures' time"
        )
        database.close()
    print(f"charts benchmark took {time.perf_counter() - began:.0f} s")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
