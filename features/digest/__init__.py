"""The weekly digest: meeting load and cost, what to cut.

- grammar.py: `/salesmeet digest`; settings.py: `digest-channel`, `digest-time`
- figures.py: the week's figures from its occurrences (pure)
- service.py: figures per workspace and week, managers, warnings when scheduling
- render.py: Block Kit
- posts.py: the digest as timed posts (team_posts and composers)
"""

from __future__ import annotations

from functools import partial

from bot.feature import Core, Feature
from bot.hooks import Parts
from features.digest.grammar import HELP, VERBS, ShowDigest
from features.digest.listeners import show_digest
from features.digest.posts import DigestPosts
from features.digest.schema import v4_digest, v7_digest_admins_to_core
from features.digest.service import Digests
from features.digest.settings import SETTINGS
from storage.migrations import Migration


def build(core: Core) -> Parts:
    digests = Digests(core.database, core.clock, core.workspaces)
    posts = DigestPosts(
        core.database, digests, core.workspaces, core.managers, core.dispatcher.team_id
    )
    return Parts(
        commands={ShowDigest: partial(show_digest, digests)},
        composers=posts.composers(),
        team_posts=posts.team_posts,
        meeting_posts=posts.meeting_posts,
        booking_notes=digests.load_warnings,
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
    ),
)
