"""Who a workspace's managers are: the people named in its settings, and its admins and
owners, who always are.

Admins and owners come from Slack's users.list, read at most hourly per workspace and
only with that workspace's own token: one process serves one bot token, and another
workspace's people must never be read with it. Before the first read, the people
SalesMeet has looked up one by one (users.info) tell.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.clock import Clock
from bot.workspace import Workspaces
from storage.admins import AdminStore

log = logging.getLogger(__name__)

# Admins and owners change rarely; users.list is read at most this often per workspace.
ADMIN_SYNC_EVERY = timedelta(hours=1)
USERS_PAGE = 200


class Managers:
    def __init__(
        self,
        store: AdminStore,
        workspaces: Workspaces,
        clock: Clock,
        client_for: Callable[[str], WebClient],
        team_id: str | None = None,
    ) -> None:
        self.store = store
        self.workspaces = workspaces
        self.clock = clock
        self.client_for = client_for
        # The workspace the token belongs to, when known; else asked per workspace.
        self._only = team_id
        self._served: dict[str, bool] = {team_id: True} if team_id else {}

    def admins(self, team_id: str) -> set[str]:
        """The admins and owners, as last read."""
        return self.store.admins(team_id)

    def of(self, team_id: str) -> list[str]:
        """Configured managers, then admins and owners, each once."""
        configured = sorted(self.workspaces.settings(team_id).managers)
        return list(dict.fromkeys([*configured, *sorted(self.admins(team_id))]))

    def sync(self, team_id: str, force: bool = False) -> bool:
        """Read the workspace's admins and owners from users.list, at most hourly. Any
        Slack error keeps what we knew. Returns whether a sync happened."""
        now = self.clock.now()
        last = self.store.synced_at(team_id)
        if not force and last is not None and timedelta(0) <= now - last < ADMIN_SYNC_EVERY:
            return False
        client = self._client(team_id)
        if client is None:
            return False
        admins: set[str] = set()
        cursor = None
        try:
            for _ in range(1000):  # bounded: 200,000 people
                page = client.users_list(limit=USERS_PAGE, cursor=cursor)
                for user in page.get("members") or []:
                    if user.get("deleted") or user.get("is_bot") or user.get("id") == "USLACKBOT":
                        continue
                    if user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"):
                        admins.add(user["id"])
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("users.list failed for %s: %r", team_id, error)
            return False
        self.store.sync(team_id, admins, now)
        return True

    def _client(self, team_id: str) -> WebClient | None:
        """The client if its token belongs to `team_id` (asked once, via auth.test)."""
        if self._only is not None and team_id != self._only:
            return None
        client = self.client_for(team_id)
        if team_id not in self._served:
            try:
                self._served[team_id] = client.auth_test().get("team_id") == team_id
            except (SlackApiError, SlackClientError, OSError) as error:
                log.info("auth.test failed: %r", error)
                return None
        return client if self._served[team_id] else None
