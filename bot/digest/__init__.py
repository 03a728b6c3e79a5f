"""The weekly digest: meeting load and cost, what to cut; and `/salesmeet config`.

- config.py: the `/salesmeet config` and `/salesmeet digest` grammar, reading values
- figures.py: the week's figures from its occurrences (pure)
- service.py: figures per workspace and week, managers, warnings when scheduling
- render.py: Block Kit
- posts.py: the digest as timed posts (team_posts and composers)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.digest.config import parse_config, parse_digest
from bot.digest.posts import DigestPosts
from bot.digest.service import Digests
from bot.errors import N_
from bot.features import Feature
from bot.i18n import Translator
from bot.meetings import Meeting
from bot.workspace import Workspaces
from storage.db import Database

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


@dataclass
class DigestFeature(Feature):
    digests: Digests | None = None
    posts: DigestPosts | None = field(default=None, repr=False)


def feature(database: Database, clock: Clock, workspaces: Workspaces) -> Feature:
    digests = Digests(database, clock, workspaces)
    posts = DigestPosts(database, digests, workspaces)
    return DigestFeature(
        "digest",
        composers=posts.composers(),
        team_posts=posts.team_posts,
        meeting_posts=posts.meeting_posts,
        digests=digests,
        posts=posts,
    )


def of(features: Any) -> DigestFeature:
    """The digest feature among the app's features (`services.features`)."""
    return next(f for f in features.items if isinstance(f, DigestFeature))


def load_warnings(services: Any, tr: Translator, meeting: Meeting) -> list[str]:
    """Sentences for a new meeting's confirmation (already translated for `tr`): the
    people it takes over the weekly meeting-hours limit, and more than 8 attendees."""
    digests = of(services.features).digests
    return digests.load_warnings(tr, meeting) if digests else []
