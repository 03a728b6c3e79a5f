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
)
INSTALL_PATH = "/slack/install"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"


class WorkspaceClients:
    def __init__(self, installs: InstallationRows, make: Callable[[str | None], WebClient]) -> None:
        self.installs = installs
        self.make = make
        self._clients: dict[str, WebClient] = {}
        self._lock = threading.Lock()

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
