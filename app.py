"""SalesMeet: read settings, build the app, pick the transport. Nothing else."""

from __future__ import annotations

import logging
import sqlite3
import sys

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.clock import SystemClock
from bot.when import warm_up
from handlers.inbox import replay_orphans
from salesmeet.compose import create_app, open_database
from salesmeet.config import ConfigError, load_settings
from salesmeet.transport import http_server, serve_socket_mode


def main() -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"salesmeet: {error}", file=sys.stderr)
        return 2
    if settings.mode == "console":
        # No Slack tokens: the embedded default, a simulated workspace in the terminal.
        from console.cli import main as console

        return console(settings.db_path)
    try:
        database = open_database(settings.db_path)
    except (OSError, sqlite3.Error) as error:
        print(
            f"salesmeet: SALESMEET_DB={settings.db_path} can't be opened: {error}", file=sys.stderr
        )
        return 2
    try:
        app, services = create_app(settings, SystemClock(), database)
    except (BoltError, SlackApiError, SlackClientError, OSError) as error:
        # Bolt checks the bot token with auth.test at start.
        print(f"salesmeet: Slack did not accept SLACK_BOT_TOKEN: {error}", file=sys.stderr)
        return 2
    warm_up()
    services.alarm.start()  # timed posts; a second process stands by
    # Requests acked by a process that died before finishing them: carry them out.
    services.background.submit(replay_orphans, app, services.retries)
    try:
        if settings.mode == "socket":
            logging.info("SalesMeet: Socket Mode, database %s", settings.db_path)
            serve_socket_mode(app, settings.app_token or "", services.retries)
        else:
            server = http_server(
                app,
                settings.port,
                signing_secret=settings.signing_secret or "",
                retries=services.retries,
            )
            logging.info("SalesMeet: HTTP on port %s/slack/events", server.effective_port)
            server.run()
    finally:
        services.alarm.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
