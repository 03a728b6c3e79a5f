"""Top performers: shout-outs, wins, team goals, the leaderboard and the weekly post.

- grammar.py: the verbs' text → commands; amounts.py: money as typed and shown;
  periods.py: weeks, months and quarters in the workspace's zone; leaderboard.py:
  rankings and goal progress; posts.py: Block Kit; service.py: the rules and the
  weekly post; storage/recognition.py: the queries.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bot.feature import Core, Feature
from bot.hooks import Parts
from entities.errors import N_
from features.recognition import listeners
from features.recognition.grammar import parse_goal, parse_leaderboard, parse_shoutout, parse_win
from features.recognition.schema import v3_recognition
from features.recognition.service import SHOUTOUTS, Recognition
from storage.migrations import Migration

# verb -> parser of the rest of the command text (see bot/command.py)
VERBS: dict[str, Callable[[str], object]] = {
    "shoutout": parse_shoutout,
    "shout-out": parse_shoutout,
    "win": parse_win,
    "goal": parse_goal,
    "leaderboard": parse_leaderboard,
}
# Catalogue ids of the lines this feature adds to `/salesmeet help`.
HELP: list[str] = [
    N_("`/salesmeet shoutout @person <reason>` thanks a teammate in this channel."),
    N_(
        "`/salesmeet win <amount> [<currency>] <note>` logs a closed deal, like"
        " `win 12.5k Acme renewal`; managers add `for @person`."
    ),
    N_(
        "`/salesmeet goal <amount> per month|quarter` sets the team's target (managers);"
        " `/salesmeet goal` shows progress and the pace needed."
    ),
    N_(
        "`/salesmeet leaderboard [week|month|quarter]` ranks wins and shout-outs"
        " (default: this week; `last month` works too)."
    ),
]


def build(core: Core) -> Parts:
    recognition = Recognition(core.database, core.clock, core.workspaces)
    return Parts(
        commands={
            kind: partial(handler, core, recognition)
            for kind, handler in listeners.COMMANDS.items()
        },
        composers={SHOUTOUTS: recognition.compose},
        team_posts=recognition.team_posts,
        reminder_blocks=recognition.reminder_blocks,
        home_blocks=recognition.home_blocks,
    )


FEATURE = Feature(
    "recognition",
    build,
    verbs=VERBS,
    help=HELP,
    migrations=(Migration("v3_recognition", v3_recognition),),
)
