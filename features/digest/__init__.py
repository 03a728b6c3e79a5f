"""The weekly digest: meeting load and cost, what to cut; and `/salesmeet config`.

- config.py: the `/salesmeet config` and `/salesmeet digest` grammar, reading values
- figures.py: the week's figures from its occurrences (pure)
- service.py: figures per workspace and week, managers, warnings when scheduling
- render.py: Block Kit
- posts.py: the digest as timed posts (team_posts and composers)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bot.feature import Core, Feature
from bot.hooks import Parts
from bot.settings import parse_config
from entities.errors import N_
from features.digest import listeners
from features.digest.grammar import parse_digest
from features.digest.listeners import DigestParts
from features.digest.posts import DigestPosts
from features.digest.schema import v4_digest, v7_digest_admins_to_core
from features.digest.service import Digests
from storage.migrations import Migration

# verb -> parser of the rest of the command text (see bot/command.py)
VERBS: dict[str, Callable[[str], object]] = {"digest": parse_digest, "config": parse_config}
# Catalogue ids of the lines this feature adds to `/salesmeet help`.
HELP: list[str] = [
    N_("`/salesmeet digest [last|this|next]` shows the week's meeting load, cost and what to cut."),
    N_(
        "`/salesmeet config [<setting> <value>]` shows or changes the workspace settings"
        " (managers)."
    ),
]


def build(core: Core) -> Parts:
    digests = Digests(core.database, core.clock, core.workspaces)
    posts = DigestPosts(
        core.database, digests, core.workspaces, core.managers, core.dispatcher.team_id
    )
    parts = DigestParts(digests, posts)
    return Parts(
        commands={
            kind: partial(handler, core, parts) for kind, handler in listeners.COMMANDS.items()
        },
        composers=posts.composers(),
        team_posts=posts.team_posts,
        meeting_posts=posts.meeting_posts,
        booking_notes=digests.load_warnings,
    )


FEATURE = Feature(
    "digest",
    build,
    verbs=VERBS,
    help=HELP,
    migrations=(
        Migration("v4_digest", v4_digest),
        Migration("v7_digest_admins_to_core", v7_digest_admins_to_core),
    ),
)
