"""Calendar feeds: a private, revocable subscription link per person, so Google Calendar,
Outlook and Apple Calendar show their SalesMeet meetings and follow every change.

grammar.py (`/salesmeet calendar [reset]`), schema.py, store.py, service.py (links and
the feed itself), blocks.py and listeners.py, as in every feature. The feed is served by
the transport through the `web` hook (GET /calendar/<token>.ics), in HTTP mode and, when
PORT is set, beside Socket Mode.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bot.feature import Core, Feature
from bot.hooks import Parts
from entities.errors import N_
from features.feeds import listeners
from features.feeds.grammar import parse_calendar
from features.feeds.schema import v19_calendar_feeds
from features.feeds.service import FEED_PATH, Feeds
from storage.migrations import Migration

VERBS: dict[str, Callable[[str], object]] = {"calendar": parse_calendar}
HELP: list[str] = [
    N_(
        "`/salesmeet calendar` gives you a private link your calendar app subscribes to;"
        " `/salesmeet calendar reset` turns the old link off."
    ),
]


def build(core: Core) -> Parts:
    feeds = Feeds(core)
    return Parts(
        commands={kind: partial(run, feeds) for kind, run in listeners.COMMANDS.items()},
        forget_person=feeds.forget,
        web={FEED_PATH: feeds.page},
    )


FEATURE = Feature(
    "feeds",
    build,
    verbs=VERBS,
    help=HELP,
    migrations=(Migration("v19_calendar_feeds", v19_calendar_feeds),),
)
