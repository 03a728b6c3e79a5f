"""Installations over OAuth: one row per workspace (or Enterprise Grid org), with its
tokens sealed (storage/seal.py); and the OAuth flow's state values.

`InstallationRows` is a slack_sdk `InstallationStore`, so Bolt's OAuth flow saves into it
and Bolt's authorization reads from it on every request; `StateRows` is its
`OAuthStateStore`. Both live in the app's own SQLite database.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime
from typing import Protocol

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from entities.instants import epoch
from storage.db import Database
from storage.seal import Seal

log = logging.getLogger(__name__)

# What is sealed: every token, and the webhook URL (it is a credential too).
SECRET_FIELDS = (
    "bot_token",
    "bot_refresh_token",
    "user_token",
    "user_refresh_token",
    "incoming_webhook_url",
)
STATE_TTL_SECONDS = 600  # Slack's flow takes seconds; ten minutes is generous


class Clock(Protocol):
    """The app's one clock (bot/clock.py), as storage sees it."""

    def now(self) -> datetime: ...


def _keys(enterprise_id: str | None, team_id: str | None, org: bool | None) -> tuple[str, str]:
    """An org install is one row for the whole org (no team); else one per workspace."""
    return (enterprise_id or "", "" if org else (team_id or ""))


class InstallationRows(InstallationStore):
    def __init__(self, database: Database, seal: Seal, clock: Clock) -> None:
        self.database = database
        self.seal = seal
        self.clock = clock
        self._logger = log

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def save(self, installation: Installation) -> None:
        """The latest install of a workspace replaces the one before (a reinstall)."""
        values = installation.to_dict_for_copying()
        sealed = {k: values.pop(k) for k in SECRET_FIELDS if values.get(k)}
        for key, value in list(values.items()):  # datetimes and the like, as text
            if isinstance(value, datetime):
                values[key] = value.timestamp()
        enterprise, team = _keys(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO installations (enterprise_key, team_key, team_id,"
                " enterprise_id, is_enterprise_install, team_name, details, secrets,"
                " installed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    enterprise,
                    team,
                    installation.team_id,
                    installation.enterprise_id,
                    int(bool(installation.is_enterprise_install)),
                    installation.team_name,
                    json.dumps(values, default=str),
                    self.seal.seal(json.dumps(sealed)),
                    epoch(self.clock.now()),
                ],
            )
            # Installed again: held posts go out, and its data is no longer to be deleted.
            if installation.team_id:
                db.execute("DELETE FROM workspace_holds WHERE team_id = ?", [installation.team_id])
                db.execute("DELETE FROM uninstalls WHERE team_id = ?", [installation.team_id])

    def save_bot(self, bot: Bot) -> None:
        """A rotated bot token: only the tokens change."""
        found: Installation | None = self.find_installation(
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            is_enterprise_install=bot.is_enterprise_install,
        )
        if found is None:
            return
        found.bot_token = bot.bot_token
        found.bot_refresh_token = bot.bot_refresh_token
        found.bot_token_expires_at = bot.bot_token_expires_at
        self.save(found)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        row = self._row(enterprise_id, team_id, is_enterprise_install)
        if row is None:
            return None
        values = json.loads(row[0])
        values.update(json.loads(self.seal.open(row[1])))
        return Installation(**values)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = self.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return found.to_bot() if found and found.bot_token else None

    def find_bot_of_team(self, team_id: str) -> Bot | None:
        """The bot of a workspace known only by its id (the alarm's posts): its own
        install, else the org install of the enterprise it was last seen in."""
        with self.database.reading() as db:
            row = db.execute(
                "SELECT enterprise_id FROM installations WHERE team_id = ?"
                " UNION ALL SELECT enterprise_id FROM workspace_orgs WHERE team_id = ?",
                [team_id, team_id],
            ).fetchone()
        enterprise_id = row[0] if row else None
        return self.find_bot(enterprise_id=enterprise_id, team_id=team_id)

    def seen_in(self, team_id: str, enterprise_id: str | None) -> None:
        """A workspace of an Enterprise Grid org made a request: remember its org, so
        posts to it find the org's install."""
        if not enterprise_id:
            return
        with self.database.transaction(bookkeeping=True) as db:
            db.execute(
                "INSERT OR IGNORE INTO workspace_orgs (team_id, enterprise_id) VALUES (?, ?)",
                [team_id, enterprise_id],
            )

    def _row(self, enterprise_id, team_id, org) -> tuple[str, str] | None:
        """This workspace's own row, else its org's (a workspace of an org-wide install)."""
        with self.database.reading() as db:
            for keys in (_keys(enterprise_id, team_id, org), _keys(enterprise_id, None, True)):
                if not any(keys):
                    continue
                row = db.execute(
                    "SELECT details, secrets FROM installations"
                    " WHERE enterprise_key = ? AND team_key = ?",
                    list(keys),
                ).fetchone()
                if row is not None:
                    return row
        return None

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Tokens go at once (uninstall, tokens revoked); the workspace's data is another
        matter (storage/retention.py)."""
        with self.database.transaction() as db:
            db.execute(
                "DELETE FROM installations WHERE enterprise_key = ? AND team_key = ?",
                list(_keys(enterprise_id, team_id, False)),
            )
            if enterprise_id and not team_id:
                db.execute(
                    "DELETE FROM installations WHERE enterprise_key = ? AND team_key = ''",
                    [enterprise_id],
                )

    def teams(self) -> list[str]:
        """The installed workspaces (an org install's own team, when Slack gave one)."""
        with self.database.reading() as db:
            rows = db.execute(
                "SELECT team_id FROM installations WHERE team_id IS NOT NULL ORDER BY team_id"
            ).fetchall()
        return [r[0] for r in rows]

    def reseal_all(self) -> int:
        """Seal every row anew with the current key (after SALESMEET_SECRET_KEY changed);
        returns how many rows."""
        with self.database.transaction() as db:
            rows = db.execute(
                "SELECT enterprise_key, team_key, secrets FROM installations"
            ).fetchall()
            for enterprise, team, sealed in rows:
                db.execute(
                    "UPDATE installations SET secrets = ?"
                    " WHERE enterprise_key = ? AND team_key = ?",
                    [self.seal.reseal(sealed), enterprise, team],
                )
        return len(rows)


class StateRows(OAuthStateStore):
    """The OAuth flow's `state`: issued once, good for ten minutes, consumed once."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args, **kwargs) -> str:
        state = secrets.token_urlsafe(32)
        now = epoch(self.clock.now())
        with self.database.transaction(bookkeeping=True) as db:
            db.execute("DELETE FROM oauth_states WHERE expires_at < ?", [now])
            db.execute(
                "INSERT INTO oauth_states (state, expires_at) VALUES (?, ?)",
                [state, now + STATE_TTL_SECONDS],
            )
        return state

    def consume(self, state: str) -> bool:
        """True once for a state we issued that has not expired; False ever after."""
        with self.database.transaction(bookkeeping=True) as db:
            row = db.execute(
                "SELECT expires_at FROM oauth_states WHERE state = ?", [state]
            ).fetchone()
            db.execute("DELETE FROM oauth_states WHERE state = ?", [state])
        return row is not None and row[0] >= epoch(self.clock.now())
