"""After the meeting: RSVP, outcomes and action items, App Home, calendar and CSV export."""

from __future__ import annotations

from collections.abc import Callable

from bot.clock import Clock
from bot.features import Feature
from bot.workspace import Workspaces
from storage.db import Database

# verb -> parser of the rest of the command text (see bot/command.py)
VERBS: dict[str, Callable[[str], object]] = {}
# Catalogue ids of the lines this feature adds to `/salesmeet help`.
HELP: list[str] = []


def feature(database: Database, clock: Clock, workspaces: Workspaces) -> Feature:
    return Feature("followups")
