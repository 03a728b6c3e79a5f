"""Who a workspace's managers are: the people named in its settings, and its admins and
owners, who always are.

Admins and owners come from Slack's users.list, read with the members at most hourly per
workspace (bot/roster.py). Before the first read, the people SalesMeet has looked up one
by one (users.info) tell.
"""

from __future__ import annotations

from bot.roster import Roster
from bot.workspace import Workspaces
from storage.admins import AdminStore


class Managers:
    def __init__(self, store: AdminStore, workspaces: Workspaces, roster: Roster) -> None:
        self.store = store
        self.workspaces = workspaces
        self.roster = roster

    def admins(self, team_id: str) -> set[str]:
        """The admins and owners, as last read."""
        return self.store.admins(team_id)

    def of(self, team_id: str) -> list[str]:
        """Configured managers, then admins and owners, each once."""
        configured = sorted(self.workspaces.settings(team_id).managers)
        return list(dict.fromkeys([*configured, *sorted(self.admins(team_id))]))

    def sync(self, team_id: str, force: bool = False) -> bool:
        """Read the workspace's admins and owners (with its members) from users.list, at
        most hourly. Any Slack error keeps what we knew. Returns whether a read happened."""
        return self.roster.sync(team_id, force)
