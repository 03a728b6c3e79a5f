"""`make demo`: a week in the life of a sales team, played through the local console.

Non-interactive: the script below is typed into the console (the real app behind a
simulated workspace, on a fresh temporary database) and the transcript is printed.
The week starts on the coming Monday, 08:30 in Kuala Lumpur. Maya reads SalesMeet in
Bahasa Melayu and Ravi in Hindi (the console's people, as `/salesmeet language` sets them);
Sam, Olivia and the channel in English.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from console.session import Console
from simulator.workspace import LOCAL


def next_monday(now: datetime, tz: str = LOCAL.tz) -> datetime:
    """The coming Monday (after today), 08:30 in `tz`."""
    local = now.astimezone(ZoneInfo(tz))
    days = 7 - local.weekday()
    return datetime.combine(local.date() + timedelta(days=days), time(8, 30), ZoneInfo(tz))


def script(monday: datetime) -> list[str]:
    """What the team types during the week; dates that must be exact are worked out here."""
    second_wednesday = (monday + timedelta(days=9)).date().isoformat()
    return [
        "# Monday morning in Kuala Lumpur. Maya leads the sales team; Ravi is in Mumbai,",
        "# Sam in New York, and Olivia, their manager (a workspace admin), in London.",
        "# Maya reads SalesMeet in Bahasa Melayu and Ravi in Hindi: what only one of them",
        "# sees comes in their language; the channel's posts are in the workspace's English.",
        '/salesmeet schedule "Q4 pipeline review" tue 3pm for 45m with @ravi, @sam, @olivia'
        " type strategy via https://zoom.us/j/123",
        "# Ravi answers with the button under the announcement.",
        ":as ravi",
        ":press Going",
        ":as maya",
        '/salesmeet schedule "Weekly forecast" wed 9am every week 4 times with @ravi, @sam'
        " type shortfall",
        "# A mistake gets an answer with an example, only for Maya.",
        '/salesmeet schedule "Lunch" yesterday 1pm',
        "# Olivia sets the team's target for the month.",
        ":as olivia",
        "/salesmeet goal 100k per month",
        "# Sam books a customer demo: his time is read in New York's zone.",
        ":as sam",
        '/salesmeet schedule "Acme demo" thu 10am for 1h with @maya, jane@acme.com'
        " type customer via in-person",
        "/salesmeet list",
        "# Maya books the team's own meeting in Malay, time and all; her answer is in Malay.",
        ":as maya",
        '/salesmeet schedule "Mesyuarat jualan" khamis 3 petang selama 1 jam dengan @ravi',
        "# Ravi checks his language, books a call in Hindi and reads the same meetings in",
        "# Mumbai time, in Hindi; then he adds to the agenda.",
        ":as ravi",
        "/salesmeet language",
        '/salesmeet schedule "मुंबई पाइपलाइन कॉल" कल दोपहर 3 बजे',
        "/salesmeet show #3",
        "/salesmeet agenda #1 add Pipeline by region",
        "# The clock moves on: the week's digest at 09:00, and 24 hours before the review,",
        "# its agenda prompt.",
        ":as maya",
        ":advance 8h",
        "# Ravi presses the prompt's button and fills in the little form.",
        ":as ravi",
        ":press Add agenda item",
        ":modal item=Top five deals at risk",
        "# Tuesday: the forecast's agenda prompt, then the review's reminder.",
        ":as maya",
        ":at tue 2:50pm",
        "# Someone tries to ping the whole channel through a title: nobody is pinged.",
        '/salesmeet schedule "<!channel> party & drinks" fri 6pm',
        "# Ravi closes a deal, and Maya thanks him in the channel.",
        ":as ravi",
        "/salesmeet win 12.5k Acme renewal",
        ":as maya",
        "/salesmeet shoutout @ravi for closing the Acme renewal",
        "# Ravi cannot cancel Sam's demo. Olivia, the manager, skips the forecast's second week.",
        ":as ravi",
        "/salesmeet cancel #3",
        ":as olivia",
        f"/salesmeet skip #2 {second_wednesday}",
        "# Wednesday: the forecast's reminder; then Sam moves his demo to Friday.",
        ":as maya",
        ":at wed 10am",
        ":as sam",
        "/salesmeet move #3 fri 11am",
        "/salesmeet leaderboard",
        "# Friday: the week's top performers at 16:00, the end-of-meeting prompts; the weekend;",
        "# and Monday's digest.",
        ":as maya",
        ":at fri 5pm",
        ":at mon 9:30am",
        "/salesmeet digest last",
        "/salesmeet list",
        "# Olivia, their manager, opens App Home: everyone's hours and the week's picture",
        "# (the console writes the picture beside the database, as it did for her DM).",
        ":as olivia",
        ":home",
        ":as maya",
        "# Maya switches to English (:lang en, as /salesmeet language en); App Home follows.",
        ":lang en",
        ":quit",
    ]


def play(folder: Path, monday: datetime) -> None:
    """The week on a fresh database in `folder`; the charts SalesMeet sends are written
    to `folder/charts/` (the console says so as they go out)."""
    stale = [folder / f"demo.db{end}" for end in ("", "-wal", "-shm")]
    for old in [*stale, *(folder / "charts").glob("*.png")]:
        old.unlink(missing_ok=True)
    console = Console(
        str(folder / "demo.db"), start=monday, echo=lambda line: print(line, flush=True)
    )
    try:
        console.run(script(monday))
    finally:
        console.close()


def main(argv: list[str]) -> int:
    """`python -m console.demo [folder]`: the database and the charts in `folder` (kept,
    so the charts can be opened afterwards), else in a temporary one."""
    monday = next_monday(SystemClock().now())
    if argv:
        folder = Path(argv[0])
        folder.mkdir(parents=True, exist_ok=True)
        play(folder, monday)
        return 0
    with tempfile.TemporaryDirectory(prefix="salesmeet-demo-") as folder:
        play(Path(folder), monday)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
