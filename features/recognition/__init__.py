"""Top performers: shout-outs, wins, team goals, the leaderboard and the weekly post.

- grammar.py: the verbs' text -> commands; amounts.py: money as typed and shown;
  periods.py: weeks, months and quarters in the workspace's zone; leaderboard.py:
  rankings and goal progress (pure)
- settings.py: `shoutout-channel`, `shoutout-time`, `shoutout-limit`, and reading them
- schema.py, store.py: its tables and queries
- service.py: the rules
- blocks.py: Block Kit
- timed.py: the weekly post, and the board in motivation reminders
- listeners.py: the commands' answers and the App Home blocks
"""

from __future__ import annotations

from bot.feature import Core, Feature
from bot.hooks import Parts
from features.recognition.forget import forget_person
from features.recognition.grammar import HELP, VERBS
from features.recognition.listeners import Surfaces
from features.recognition.schema import v3_recognition
from features.recognition.service import Recognition
from features.recognition.settings import SETTINGS
from features.recognition.timed import SHOUTOUTS, WeeklyPost
from storage.migrations import Migration

__all__ = ["FEATURE", "SHOUTOUTS"]


def build(core: Core) -> Parts:
    recognition = Recognition(core.database, core.clock, core.workspaces)
    weekly = WeeklyPost(core, recognition)
    surfaces = Surfaces(recognition, weekly, core.directory)
    return Parts(
        commands=surfaces.commands(),
        composers={SHOUTOUTS: weekly.compose},
        team_posts=weekly.team_posts,
        reminder_blocks=weekly.reminder_blocks,
        home_blocks=surfaces.home_blocks,
        settings_changed=weekly.settings_changed,
        forget_person=forget_person(core.database, core.workspaces),
    )


FEATURE = Feature(
    "recognition",
    build,
    verbs=VERBS,
    help=HELP,
    settings=SETTINGS,
    migrations=(Migration("v3_recognition", v3_recognition),),
)
