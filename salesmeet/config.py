"""Settings from the environment (and an optional, git-ignored `.env`).

A missing or contradictory setting is a ConfigError with one line that says what
to set; app.py prints it and exits, with no traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DB = "data/salesmeet.db"
DEFAULT_PORT = 3000


class ConfigError(Exception):
    """A setting is missing or wrong; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    # Secrets stay out of repr() so they never reach a log line by accident.
    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    db_path: str = DEFAULT_DB
    port: int = DEFAULT_PORT

    @property
    def mode(self) -> str:
        """`socket`, `http` or `console` (no Slack tokens at all)."""
        if self.app_token:
            return "socket"
        if self.bot_token:
            return "http"
        return "console"


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env"
) -> Settings:
    """Read settings; real environment variables win over `.env`."""
    values: dict[str, str] = {}
    if dotenv_path and Path(dotenv_path).is_file():
        values.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = (values.get(name) or "").strip()
        return value or None

    bot_token = get("SLACK_BOT_TOKEN")
    signing_secret = get("SLACK_SIGNING_SECRET")
    app_token = get("SLACK_APP_TOKEN")
    if bot_token and not bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be the bot token that starts with xoxb-.")
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN must be an app-level token that starts with xapp-.")
    if app_token and not bot_token:
        raise ConfigError("SLACK_APP_TOKEN is set: set SLACK_BOT_TOKEN (xoxb-...) too.")
    if bot_token and not app_token and not signing_secret:
        raise ConfigError(
            "SLACK_BOT_TOKEN is set: set SLACK_SIGNING_SECRET for HTTP mode,"
            " or SLACK_APP_TOKEN (xapp-...) for Socket Mode."
        )
    if signing_secret and not bot_token:
        raise ConfigError("SLACK_SIGNING_SECRET is set: set SLACK_BOT_TOKEN (xoxb-...) too.")

    api_url = get("SLACK_API_URL") or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError("SLACK_API_URL must be an http(s) URL, like https://slack.com/api/.")
    if not api_url.endswith("/"):
        api_url += "/"

    port_text = get("PORT") or str(DEFAULT_PORT)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"PORT must be a port number from 1 to 65535, not {port_text!r}.")

    return Settings(
        bot_token=bot_token,
        signing_secret=signing_secret,
        app_token=app_token,
        api_url=api_url,
        db_path=get("SALESMEET_DB") or DEFAULT_DB,
        port=int(port_text),
    )
