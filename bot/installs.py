"""Each workspace's own Web API client, when one process serves every workspace that
installed the app over OAuth: the token comes from its installation (sealed at rest,
storage/installations.py), read once and kept until it changes."""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_sdk import WebClient

from storage.installations import InstallationRows

# The app's bot scopes, as manifest.yml asks for them (a test keeps the two the same).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "users:read",
    "files:write",
    "channels:history",
    "groups:history",
    "im:history",
    "channels:read",
    "groups:read",
    "im:write",
)
INSTALL_PATH = "/slack/install"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"


class WorkspaceClients:
    def __init__(self, installs: InstallationRows, make: Callable[[str | None], WebClient]) -> None:
        self.installs = installs
        self.make = make
        self._clients: dict[str, WebClient] = {}
        self._lock = threading.Lock()
        self._orgs_seen: set[tuple[str, str]] = set()

    def client_for(self, team_id: str) -> WebClient:
        """The workspace's client with its current token. A workspace that is not
        installed (or was uninstalled) gets a client without a token: Slack answers
        not_authed, and its posts are held (bot/timed_posts.py)."""
        bot = self.installs.find_bot_of_team(team_id)
        token = bot.bot_token if bot else None
        with self._lock:
            client = self._clients.get(team_id)
            if client is None or client.token != token:
                client = self._clients[team_id] = self.make(token)
            return client

    def seen_in(self, team_id: str | None, enterprise_id: str | None) -> None:
        """A request came from `team_id` in the Grid org `enterprise_id`: from now on its
        timed posts use the org-wide installation, if that is how the app was installed.
        Written once per process and workspace, so the ack path reads no more than it did."""
        if not team_id or not enterprise_id or (team_id, enterprise_id) in self._orgs_seen:
            return
        self.installs.seen_in(team_id, enterprise_id)
        self._orgs_seen.add((team_id, enterprise_id))
