"""A person as SalesMeet knows them: Slack's zone, locale and roles; and a workspace's
members as names to invite by."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    team_id: str
    user_id: str
    name: str
    tz: str
    locale: str
    is_admin: bool = False
    is_owner: bool = False
    fetched_at: int = 0
    configured_manager: bool = False  # named a manager in the workspace settings
    language: str | None = None  # their own choice (`/salesmeet language ms`), if any

    @property
    def is_manager(self) -> bool:
        """Workspace admins and owners are always managers; others by configuration."""
        return self.is_admin or self.is_owner or self.configured_manager


@dataclass(frozen=True)
class Member:
    """Someone in the workspace as users.list shows them: who can be invited by name."""

    user_id: str
    handle: str  # `name` in Slack's API: what @mentions autocomplete
    display_name: str = ""
    real_name: str = ""

    def name_keys(self) -> dict[str, int]:
        """The folded names this member answers to, each with its rank: 1 for a whole
        handle, display name or real name; 2 for a first name alone."""
        keys: dict[str, int] = {}
        for whole in (self.handle, self.display_name, self.real_name):
            if fold(whole):
                keys[fold(whole)] = 1
        for whole in (self.display_name, self.real_name):
            first = fold(whole).split(" ")[0] if fold(whole) else ""
            if first:
                keys.setdefault(first, 2)
        return keys

    @property
    def shown_name(self) -> str:
        return self.real_name or self.display_name or self.handle


def fold(name: str) -> str:
    """A name as matching compares it: no accents, no case, single spaces, no leading @."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split()).lstrip("@").strip()
