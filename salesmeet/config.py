"""Settings from the environment (and an optional, git-ignored `.env` beside app.py).

A missing or contradictory setting is a ConfigError with one line that says what
to set; app.py prints it and exits, with no traceback.

Paths are the project directory's (the directory of app.py), whatever the working
directory: `.env` is read from there, and a relative SALESMEET_DB is taken from there,
so `make run`, systemd and cron all find the same files.
"""

from __future__ import annotations

import atexit
import difflib
import logging
import os
import queue
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from salesmeet.log_lines import LineWriter, QueuedLines

# The directory of app.py (this file is salesmeet/config.py).
PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
DEFAULT_RETENTION_DAYS = 30
DEFAULT_DB = "data/salesmeet.db"
DEFAULT_PORT = 3000
DEFAULT_HOST = "0.0.0.0"
DEFAULT_LOG_LEVEL = "INFO"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Where the work after an HTTP ack runs: a worker process beside the server, or threads
# of the server itself (salesmeet/worker.py).
WORKERS = ("process", "thread")

# Every setting SalesMeet reads (some by features still being built): a SLACK_ or
# SALESMEET_ variable close to one of these but not one of them is taken for a typo.
KNOWN_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_AUTHORIZE_URL",
    "SALESMEET_DB",
    "SALESMEET_SECRET_KEY",
    "SALESMEET_SECRET_KEY_OLD",
    "SALESMEET_PUBLIC_URL",
    "SALESMEET_RETENTION_DAYS",
    "SALESMEET_WORKER",
    "PORT",
    "HOST",
    "LOG_LEVEL",
)
CHECKED_PREFIXES = ("SLACK_", "SALESMEET_")
TYPO_CUTOFF = 0.8  # difflib's ratio: SALESMEET_DB_PATH is 0.83, SLACK_WEBHOOK_URL 0.67


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
    # PORT was set: in Socket Mode, /healthz is served on it.
    port_set: bool = False
    host: str = DEFAULT_HOST
    log_level: str = DEFAULT_LOG_LEVEL
    # OAuth: one process serves every workspace that installs the app.
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)
    secret_key_old: str | None = field(default=None, repr=False)
    public_url: str | None = None
    authorize_url: str = DEFAULT_AUTHORIZE_URL
    retention_days: int = DEFAULT_RETENTION_DAYS
    worker: str = WORKERS[0]

    @property
    def mode(self) -> str:
        """`oauth` (many workspaces), `socket` or `http` (one bot token), or `console`
        (no Slack settings at all)."""
        if self.client_id:
            return "oauth"
        if self.app_token:
            return "socket"
        if self.bot_token:
            return "http"
        return "console"


def load_settings(
    environ: Mapping[str, str] | None = None,
    dotenv_path: str | Path | None = ".env",
    project_dir: str | Path = PROJECT_DIR,
) -> Settings:
    """Read settings; real environment variables win over `.env`. A relative
    `dotenv_path` or SALESMEET_DB is taken from `project_dir`, not the working directory."""
    project = Path(project_dir)
    values: dict[str, str] = {}
    if dotenv_path:
        dotenv = project / dotenv_path  # an absolute dotenv_path stays as it is
        if dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = (values.get(name) or "").strip()
        return value or None

    typo = misspelled(values)
    if typo:
        raise ConfigError(typo)

    bot_token = get("SLACK_BOT_TOKEN")
    signing_secret = get("SLACK_SIGNING_SECRET")
    app_token = get("SLACK_APP_TOKEN")
    oauth = _oauth_settings(get)
    if oauth and (bot_token or app_token):
        raise ConfigError(
            "SLACK_CLIENT_ID is set (OAuth, every workspace that installs the app):"
            " unset SLACK_BOT_TOKEN and SLACK_APP_TOKEN, which are for one workspace."
        )
    if oauth and not signing_secret:
        raise ConfigError("SLACK_CLIENT_ID is set: set SLACK_SIGNING_SECRET too.")
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
    if signing_secret and not bot_token and not oauth:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is set: set SLACK_BOT_TOKEN (xoxb-...) for one workspace,"
            " or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth."
        )

    api_url = get("SLACK_API_URL") or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError("SLACK_API_URL must be an http(s) URL, like https://slack.com/api/.")
    if not api_url.endswith("/"):
        api_url += "/"

    port_text = get("PORT") or str(DEFAULT_PORT)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"PORT must be a port number from 1 to 65535, not {port_text!r}.")

    log_level = (get("LOG_LEVEL") or DEFAULT_LOG_LEVEL).upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}.")

    worker = (get("SALESMEET_WORKER") or WORKERS[0]).lower()
    if worker not in WORKERS:
        raise ConfigError(f"SALESMEET_WORKER must be process or thread, not {worker!r}.")

    # The app's address from outside: OAuth's redirect URI and calendar feed links.
    public_url = (get("SALESMEET_PUBLIC_URL") or "").rstrip("/") or None
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ConfigError(f"SALESMEET_PUBLIC_URL must be an http(s) URL, not {public_url!r}.")

    return Settings(
        bot_token=bot_token,
        public_url=public_url,
        signing_secret=signing_secret,
        app_token=app_token,
        api_url=api_url,
        db_path=database_path(get("SALESMEET_DB") or DEFAULT_DB, project),
        port=int(port_text),
        port_set=get("PORT") is not None,
        host=get("HOST") or DEFAULT_HOST,
        log_level=log_level,
        worker=worker,
        **oauth,
    )


def _oauth_settings(get) -> dict:
    """The OAuth settings when SLACK_CLIENT_ID is set, checked together; else {}."""
    client_id = get("SLACK_CLIENT_ID")
    if not client_id:
        for name in ("SLACK_CLIENT_SECRET", "SALESMEET_SECRET_KEY"):
            if get(name):
                raise ConfigError(f"{name} is set: set SLACK_CLIENT_ID too (OAuth).")
        return {}
    missing = [
        name
        for name in ("SLACK_CLIENT_SECRET", "SALESMEET_SECRET_KEY", "SALESMEET_PUBLIC_URL")
        if not get(name)
    ]
    if missing:
        raise ConfigError(f"SLACK_CLIENT_ID is set (OAuth): set {', '.join(missing)} too.")
    key = get("SALESMEET_SECRET_KEY") or ""
    if len(key) < 32:
        raise ConfigError(
            "SALESMEET_SECRET_KEY must be at least 32 characters: tokens are sealed with it"
            " (make one with `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)."
        )
    authorize_url = get("SLACK_AUTHORIZE_URL") or DEFAULT_AUTHORIZE_URL
    if not authorize_url.startswith(("http://", "https://")):
        raise ConfigError(f"SLACK_AUTHORIZE_URL must be an http(s) URL, not {authorize_url!r}.")
    days = get("SALESMEET_RETENTION_DAYS") or str(DEFAULT_RETENTION_DAYS)
    if not days.isdigit():
        raise ConfigError(f"SALESMEET_RETENTION_DAYS must be a number of days, not {days!r}.")
    return {
        "client_id": client_id,
        "client_secret": get("SLACK_CLIENT_SECRET"),
        "secret_key": key,
        "secret_key_old": get("SALESMEET_SECRET_KEY_OLD"),
        "authorize_url": authorize_url,
        "retention_days": int(days),
    }


def database_path(value: str, project_dir: Path) -> str:
    """SALESMEET_DB as a path SQLite can open: relative to the project directory."""
    if value == ":memory:" or value.startswith("file:"):
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else project_dir / path)


def misspelled(values: Mapping[str, str]) -> str | None:
    """The first SLACK_ or SALESMEET_ variable that is not a setting but close to one that
    is not set, as "SLACK_BOT_TOKN is set: did you mean SLACK_BOT_TOKEN?"; else None."""
    for name in sorted(values):
        if not name.startswith(CHECKED_PREFIXES) or name in KNOWN_SETTINGS:
            continue
        if not (values.get(name) or "").strip():
            continue
        close = difflib.get_close_matches(name, KNOWN_SETTINGS, n=1, cutoff=TYPO_CUTOFF)
        # Beside the real setting, a look-alike is something else's (SLACK_BOT_TOKEN_OLD).
        if close and not (values.get(close[0]) or "").strip():
            return f"{name} is set: did you mean {close[0]}?"
    return None


def configure_logging(level: str) -> None:
    """Log lines to stderr at `level`, without the lines a busy server would write per
    request or per timed post that say nothing the request lines don't (LOG_LEVEL=DEBUG
    keeps them): waitress's queue depth, once a request under load, and APScheduler's
    three lines each time the alarm rings."""
    # Lines go through a queue to one thread that writes them a batch at a time
    # (salesmeet/log_lines.py): a request's thread only formats its line and queues it.
    lines: queue.SimpleQueue[str] = queue.SimpleQueue()
    handed_over = QueuedLines(lines)
    handed_over.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handed_over])
    if handed_over in logging.getLogger().handlers:  # not when logging was set up already
        writer = LineWriter(lines, sys.stderr)
        writer.start()
        atexit.register(writer.stop)  # every line queued before the exit is written
    # What the line never shows is not worked out for every record (the logging HOWTO's
    # "Optimization"): the caller's file and line (a walk up the stack), the thread's
    # and the process's names. A request's line costs a third less.
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    if level != "DEBUG":
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
