"""A person as SalesMeet knows them: Slack's zone, locale and roles."""

from __future__ import annotations

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

    @property
    def is_manager(self) -> bool:
        """Workspace admins and owners are always managers; others by configuration."""
        return self.is_admin or self.is_owner or self.configured_manager
