"""Assembling SalesMeet: settings, clock and database in; a Bolt app with its handlers out."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.booking import MeetingBook
from bot.clock import Clock
from bot.config import Settings
from bot.directory import Directory
from storage.db import Database
from storage.meetings import MeetingStore
from storage.people import PeopleStore

log = logging.getLogger(__name__)

# Bolt runs listeners on this pool and answers Slack once `ack()` is called. Listeners
# only parse, read SQLite and ack; Slack calls that follow go to `Services.background`,
# so a burst of slow work can never hold up the 3-second acks.
LISTENER_THREADS = 16
BACKGROUND_THREADS = 8
SLACK_TIMEOUT_SECONDS = 10


@dataclass
class Services:
    """What handlers need, built once per process."""

    clock: Clock
    database: Database
    book: MeetingBook
    directory: Directory
    background: ThreadPoolExecutor


def web_client(settings: Settings) -> WebClient:
    """A Web API client that retries 429 (honouring Retry-After), 5xx and dropped connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_services(database: Database, clock: Clock) -> Services:
    return Services(
        clock=clock,
        database=database,
        book=MeetingBook(MeetingStore(database), clock),
        directory=Directory(PeopleStore(database), clock),
        background=ThreadPoolExecutor(BACKGROUND_THREADS, thread_name_prefix="salesmeet-work"),
    )


def create_app(settings: Settings, clock: Clock, database: Database) -> tuple[App, Services]:
    """The real Bolt app with every handler registered."""
    # Imported here so that bot/ stays importable without handlers/ (domain tests).
    from handlers import register_all

    services = build_services(database, clock)
    app = App(
        client=web_client(settings),
        signing_secret=settings.signing_secret,
        # Socket Mode has no HTTP requests to verify; HTTP mode always verifies.
        request_verification_enabled=settings.mode != "socket",
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="bolt"),
        logger=logging.getLogger("slack_bolt"),
    )
    register_all(app, services)
    return app, services
