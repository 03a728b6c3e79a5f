"""Top performers: shout-outs, wins, team goals, the leaderboard and the weekly post.

- grammar.py: the verbs' text → commands; amounts.py: money as typed and shown;
  periods.py: weeks, months and quarters in the workspace's zone; leaderboard.py:
  rankings and goal progress; posts.py: Block Kit; service.py: the rules and the
  weekly post; storage/recognition.py: the queries.
"""

from __future__ import annotations

from functools import partial

from bot.feature import Core, Feature
from bot.hooks import Parts
from features.recognition import listeners
from features.recognition.grammar import HELP, VERBS
from features.recognition.schema import v3_recognition
from features.recognition.service import SHOUTOUTS, Recognition
from features.recognition.settings import SETTINGS
from storage.migrations import Migration


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
        settings_changed=recognition.settings_changed,
    )


FEATURE = Feature(
    "recognition",
    build,
    verbs=VERBS,
    help=HELP,
    settings=SETTINGS,
    migrations=(Migration("v3_recognition", v3_recognition),),
)
