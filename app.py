"""SalesMeet: read settings, build the app, pick the transport. Nothing else.

Whatever stops it at start (a setting, the database, Slack refusing the token or being
out of reach, the port) is one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import gc
import http.client
import logging
import signal
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.clock import SystemClock
from bot.when import warm_up
from handlers.inbox import replay_orphans
from salesmeet.compose import create_app, open_database
from salesmeet.config import (
    DEFAULT_API_URL,
    ConfigError,
    Settings,
    configure_logging,
    load_settings,
)
from salesmeet.transport import Health, health_server, http_server, serve_socket_mode
from salesmeet.worker import WorkerLink

# `.env` and a relative SALESMEET_DB are found here, whatever the working directory.
PROJECT_DIR = Path(__file__).resolve().parent

NO_SLACK = (
    "no Slack settings: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP mode)"
    " or with SLACK_APP_TOKEN (Socket Mode), in the environment or in {dotenv};"
    " for the local console without Slack, run `make console`."
)


def main() -> int:
    try:
        settings = load_settings(project_dir=PROJECT_DIR)
    except ConfigError as error:
        return fail(str(error))
    configure_logging(settings.log_level)
    if settings.mode == "console":
        if not sys.stdin.isatty():
            # A service with no settings must not sit waiting as a console nobody reads.
            return fail(NO_SLACK.format(dotenv=PROJECT_DIR / ".env"))
        # No Slack tokens, a person at a terminal: a simulated workspace.
        from console.cli import main as console

        return console(settings.db_path)
    try:
        database = open_database(settings.db_path)
    except (OSError, sqlite3.Error) as error:
        return fail(f"SALESMEET_DB={settings.db_path} can't be opened: {error}", settings)
    clock = SystemClock()
    try:
        # Checks the bot token with auth.test. Its retries, logged by slack_sdk, would
        # bury the one line below (LOG_LEVEL=DEBUG shows them).
        with quiet("slack_sdk", unless=settings.log_level == "DEBUG"):
            app, services = create_app(settings, clock, database)
    except Exception as error:
        problem = slack_failure(error, settings, "SLACK_BOT_TOKEN")
        if problem is None:
            raise
        return fail(problem, settings)
    warm_up()
    # What start-up built lives as long as the process: keep it out of every full
    # garbage collection (each walked ~120,000 objects: 40-60 ms on a request's path).
    gc.freeze()
    worker = None
    if settings.mode != "socket" and settings.worker == "process":
        # The work after each ack, and the timed posts, run in a worker process, so
        # acks never wait behind them.
        worker = WorkerLink(services.retries.holder)
        services.alarm.wake_elsewhere = worker.wake
        worker.start()
        services.retries.handoff = worker.send
    else:
        services.alarm.start()  # timed posts; a second process stands by
    # Requests acked by a process that died before finishing them: carry them out.
    services.background.submit(replay_orphans, app, services.retries)
    health = Health(database, worker.alarm if worker else services.alarm, clock)
    pages = services.hooks.web_pages()  # calendar feeds, beside Slack's requests
    try:  # bound last: a process that answers HTTP has started everything else
        if settings.mode == "socket":
            # No HTTP in Socket Mode; with PORT set, /healthz alone is served on it.
            server = (
                health_server(health, settings.port, settings.host, pages)
                if settings.port_set
                else None
            )
        else:
            server = http_server(
                app,
                settings.port,
                host=settings.host,
                signing_secret=settings.signing_secret or "",
                retries=services.retries,
                health=health,
                pages=pages,
            )
    except OSError as error:
        services.alarm.stop()
        if worker is not None:
            worker.close()
        return fail(f"can't listen on HOST={settings.host} PORT={settings.port}: {error}")
    # A service manager stops us with SIGTERM: unwind, so the worker finishes its work.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if settings.mode == "socket":
            if server is not None:
                threading.Thread(target=server.run, name="healthz", daemon=True).start()
                logging.info("SalesMeet: /healthz on port %s", server.effective_port)
            logging.info("SalesMeet: Socket Mode, database %s", settings.db_path)
            try:
                serve_socket_mode(app, settings.app_token or "", services.retries)
            except Exception as error:
                problem = slack_failure(error, settings, "SLACK_APP_TOKEN")
                if problem is None:
                    raise
                return fail(problem, settings)
        else:
            logging.info(
                "SalesMeet: HTTP on %s:%s/slack/events, database %s",
                settings.host,
                server.effective_port,
                settings.db_path,
            )
            server.run()
    finally:
        services.alarm.stop()
        if server is not None:
            server.close()
        if worker is not None:
            worker.close()
    return 0


def slack_failure(error: BaseException, settings: Settings, token: str) -> str | None:
    """One line for a failure to talk to Slack at start, telling a network failure from
    a refused token; None for anything else (a bug, which keeps its traceback)."""
    where = f"Slack at {settings.api_url}"
    if settings.api_url != DEFAULT_API_URL:
        where += " (SLACK_API_URL)"
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        if status == 429 or status >= 500:
            return f"couldn't reach {where}: it answered HTTP {status}; try again later."
        data = error.response.data
        code = data.get("error") if isinstance(data, dict) else None
        if not code or "non-JSON" in code:  # a proxy's or another server's page
            return f"couldn't reach {where}: it answered HTTP {status}, not as the Slack API."
        return f"Slack did not accept {token}: {code}."
    reason = _network_reason(error)
    if reason is not None:
        return f"couldn't reach {where}: {reason}"
    if isinstance(error, BoltError | SlackClientError):
        return f"Slack did not accept {token}: {error}"
    return None


def _network_reason(error: BaseException) -> str | None:
    """Why the connection failed, if `error` (or what it wraps) is a network failure:
    refused, unreachable, a DNS or TLS failure, a timeout, a dropped connection."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError | http.client.HTTPException):
            reason = getattr(current, "reason", None) or current
            return str(reason) or type(reason).__name__
        current = current.__cause__ or current.__context__
    return None


@contextmanager
def quiet(logger_name: str, unless: bool = False) -> Iterator[None]:
    """Hold back a library's log lines below CRITICAL for a while."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    if not unless:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def fail(problem: str, settings: Settings | None = None) -> int:
    """Say what stopped the start, in one line on stderr (tokens masked); exit status 2."""
    line = " ".join(problem.split())
    for token in (settings.bot_token, settings.app_token) if settings else ():
        if token:
            line = line.replace(token, "xox…")
    print(f"salesmeet: {line}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
