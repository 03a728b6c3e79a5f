"""The weekly digest: meeting load and cost, what to cut, and load warnings at booking.

- grammar.py: `/salesmeet digest [last|this|next]`
- settings.py: `digest-channel` and `digest-time`, and reading them
- schema.py, store.py: its tables and queries (the week's meetings: storage/windows.py)
- history.py: the weeks behind the picture, and the charts already uploaded
- figures.py: the week's figures from its occurrences (pure)
- worth.py: recurring series ranked by cost against "Worth the time?" (pure)
- service.py: figures per workspace and week, the report with its weeks, a new meeting's load
- charts.py, pictures.py: the charts as PNG, and the same in words for each reader
- blocks.py: Block Kit and sentences
- timed.py: the digest as timed posts: the channel, each manager, each person's own
- listeners.py: the command's answer, the suggestion buttons, App Home
"""

from __future__ import annotations

from functools import partial

from bot.feature import Core, Feature
from bot.hooks import Parts
from bot.i18n import Translator
from entities.errors import UserError
from entities.meetings import Meeting
from features.digest import blocks, listeners
from features.digest.grammar import HELP, VERBS, ShowDigest
from features.digest.listeners import show_digest
from features.digest.schema import v4_digest, v7_digest_admins_to_core, v15_digest_history
from features.digest.service import Digests
from features.digest.settings import SETTINGS
from features.digest.timed import DigestPosts
from storage.migrations import Migration


def build(core: Core) -> Parts:
    def zone_of(team_id: str, user_id: str) -> str | None:
        """Someone's zone as Slack has it (cached an hour), for the working-day check."""
        try:
            client = core.dispatcher.client_for(team_id)
            return core.directory.person(client, team_id, user_id).tz
        except UserError:
            return None  # Slack can't say now: no warning rather than a wrong one

    # The features' "Worth the time?" answers, read through the hooks (filled after build).
    digests = Digests(
        core.database, core.clock, core.workspaces, zone_of, worth_counts=core.hooks.worth_counts
    )
    posts = DigestPosts(core, digests)

    def load_warnings(tr: Translator, meeting: Meeting) -> list[str]:
        return blocks.load_warnings(tr, digests.load(meeting))

    return Parts(
        commands={ShowDigest: partial(show_digest, digests, core.hooks)},
        listeners=partial(listeners.register, services=core.services()),
        home_blocks=partial(listeners.home, digests, core.directory),
        composers=posts.composers(),
        team_posts=posts.team_posts,
        meeting_posts=posts.meeting_posts,
        booking_notes=load_warnings,
        settings_changed=posts.settings_changed,
    )


FEATURE = Feature(
    "digest",
    build,
    verbs=VERBS,
    help=HELP,
    settings=SETTINGS,
    migrations=(
        Migration("v4_digest", v4_digest),
        Migration("v7_digest_admins_to_core", v7_digest_admins_to_core),
        Migration("v15_digest_history", v15_digest_history),
    ),
)
