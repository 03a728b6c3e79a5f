"""Assembling SalesMeet: settings, clock and database in; a Bolt app with its handlers out."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import timedelta

from slack_bolt import App, BoltContext
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.alarm import Alarm
from bot.announcements import Announcements
from bot.booking import MeetingBook
from bot.clock import Clock
from bot.directory import Directory
from bot.feature import Core, Feature
from bot.feature import migrations as feature_migrations
from bot.hooks import Hooks
from bot.installs import BOT_SCOPES, INSTALL_PATH, OAUTH_REDIRECT_PATH, WorkspaceClients
from bot.managers import Managers
from bot.meeting_posts import meeting_composers, owner_notice
from bot.notices import ChannelNotices, notice_composer
from bot.retries import RetryGuard
from bot.roster import Roster
from bot.timed_posts import Dispatcher, Planner
from bot.web import Site
from bot.workspace import Workspaces
from entities.deliveries import ANNOUNCE, NOTICE
from entities.meetings import Meeting
from handlers import register_core
from handlers.ack_wait import AckFirstExecutor
from handlers.context import context_middleware
from handlers.errors import handle_error
from salesmeet import install_pages
from salesmeet.config import Settings
from salesmeet.features import FEATURES
from storage.admins import AdminStore
from storage.agenda import AgendaStore
from storage.db import Database
from storage.deliveries import DeliveryStore
from storage.installations import InstallationRows, StateRows
from storage.leases import LeaseStore
from storage.meetings import MeetingStore
from storage.members import MemberStore
from storage.migrations import CORE_MIGRATIONS
from storage.people import PeopleStore
from storage.requests import RequestLedger
from storage.retention import Retention
from storage.seal import Seal
from storage.settings import SettingsStore

log = logging.getLogger(__name__)

# Bolt runs listeners on this pool and answers Slack once `ack()` is called. Listeners
# only parse, read SQLite and ack; Slack calls that follow go to `Services.background`,
# so a burst of slow work can never hold up the 3-second acks.
LISTENER_THREADS = 16
# With token rotation on, a token this close to expiring is refreshed before it is used.
TOKEN_ROTATION_MINUTES = 120
BACKGROUND_THREADS = 8
SLACK_TIMEOUT_SECONDS = 10


# Methods that create something in Slack: sending one again after the connection
# dropped mid-request could create it twice.
NOT_IDEMPOTENT = ("chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal")


class SafeConnectionRetry(ConnectionErrorRetryHandler):
    """Retry dropped connections, except for posts that Slack may already have made.

    A refused connection never reached Slack and is always retried. A post whose
    connection dropped is left to the caller: timed posts check the channel before they
    try again (bot/timed_posts.py), and announcements tell the user it is unconfirmed.
    """

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if request.url.rstrip("/").endswith(NOT_IDEMPOTENT) and not _refused(error):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def _refused(error: Exception | None) -> bool:
    reason = getattr(error, "reason", error)
    return isinstance(reason, ConnectionRefusedError)


def web_client(settings: Settings, token: str | None = "") -> WebClient:
    """A Web API client that retries 429 (honouring Retry-After), 5xx and dropped
    connections (but not posts that may have gone through); with the one bot token unless
    another (OAuth: a workspace's) is given."""
    return WebClient(
        token=settings.bot_token if token == "" else token,
        base_url=settings.api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            SafeConnectionRetry(max_retry_count=2),
        ],
    )


def _oauth_app(settings, clock, database, features, background) -> tuple[App, Core]:
    """Every workspace that installs the app, over OAuth v2: Bolt's flow saves each
    installation (tokens sealed) in the database, and each request and each timed post
    uses its own workspace's token."""
    seal = Seal(settings.secret_key or "", *[k for k in [settings.secret_key_old] if k])
    installs = InstallationRows(database, seal, clock)
    clients = WorkspaceClients(installs, lambda token: web_client(settings, token))
    core = build_core(
        database, clock, clients.client_for, None, features, background, site(settings)
    )
    oauth = OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=BOT_SCOPES,
        redirect_uri=f"{settings.public_url}{OAUTH_REDIRECT_PATH}",
        install_path=INSTALL_PATH,
        redirect_uri_path=OAUTH_REDIRECT_PATH,
        authorization_url=settings.authorize_url,
        installation_store=installs,
        state_store=StateRows(database, clock),
        token_rotation_expiration_minutes=TOKEN_ROTATION_MINUTES,
        callback_options=install_pages.callback_options(INSTALL_PATH),
    )
    no_token = web_client(settings, None)  # each request brings its own
    app = App(
        client=no_token,
        signing_secret=settings.signing_secret,
        installation_store=installs,
        # Bolt's own authorize, told two things: SalesMeet keeps bot tokens only, and a
        # token Slack has vouched for once (auth.test) needs no new round trip to Slack
        # before every ack; an uninstalled workspace has no token to find, so it is
        # still refused at once.
        authorize=InstallationStoreAuthorize(
            logger=logging.getLogger("slack_bolt"),
            installation_store=installs,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            token_rotation_expiration_minutes=TOKEN_ROTATION_MINUTES,
            bot_only=True,
            cache_enabled=True,
            client=no_token,
        ),
        # Bolt's flow and checks, with SalesMeet's pages (install, success, failures).
        oauth_flow=install_pages.InstallFlow(
            settings=oauth, logger=logging.getLogger("slack_bolt")
        ),
        listener_executor=AckFirstExecutor(LISTENER_THREADS, thread_name_prefix="bolt"),
        logger=logging.getLogger("slack_bolt"),
    )

    def remember_org(context: BoltContext, next: Callable[[], None]) -> None:
        """An org-wide install serves workspaces no install names: the first request
        from each says which org it is in, so its timed posts find the org's token."""
        clients.seen_in(context.team_id, context.enterprise_id)
        next()

    app.middleware(remember_org)
    retention = Retention(database)
    keep = timedelta(days=settings.retention_days)

    def uninstalled(event: dict, context: BoltContext) -> None:
        """app_uninstalled, or the bot's tokens revoked: the tokens go at once; the
        workspace's data after SALESMEET_RETENTION_DAYS (0: now), unless it reinstalls."""
        if event.get("type") == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
            return  # only people's tokens: SalesMeet keeps none
        team_id = context.team_id or ""
        installs.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
        retention.uninstalled(team_id, clock.now(), keep)
        if not keep:
            retention.forget(team_id)
        logging.getLogger(__name__).info("workspace %s uninstalled SalesMeet", team_id)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(uninstalled)
    core.alarm.chores.append(lambda: retention.purge_due(clock.now()))
    return app, core


def site(settings: Settings) -> Site:
    """The public URL for links SalesMeet hands out, and the secret that keeps them
    unguessable from the database alone: the sealing key when there is one, else the
    signing secret (changing it changes the links shown, not the ones already given)."""
    secret = settings.secret_key or settings.signing_secret or ""
    return Site(settings.public_url, secret.encode())


def open_database(path: str, features: Sequence[Feature] = FEATURES) -> Database:
    """The database with the core's schema and every feature's, migrated."""
    return Database(path, [*CORE_MIGRATIONS, *feature_migrations(features)])


def build_core(
    database: Database,
    clock: Clock,
    client: WebClient | Callable[[str], WebClient],
    team_id: str | None = None,
    features: Sequence[Feature] = FEATURES,
    background: Executor | None = None,
    site: Site | None = None,
) -> Core:
    """The domain services, with every feature built on them. `client` is the one bot
    token's client, or (OAuth) the client of each workspace by its id. `team_id` is the
    workspace the one bot token belongs to: its timed posts are the only ones this process
    sends (another install on the same database sends its own); None means every
    workspace in the database (OAuth, tools, benchmarks)."""
    client_for = client if callable(client) and not isinstance(client, WebClient) else None
    if client_for is None:
        one = client

        def client_for(team_id: str) -> WebClient:
            return one  # one bot token serves its workspace

    meetings = MeetingStore(database)
    agenda = AgendaStore(database)
    deliveries = DeliveryStore(database)
    workspaces = Workspaces(SettingsStore(database))
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    hooks = Hooks()  # filled below, once the features are built on this core
    planner = Planner(meetings, deliveries, workspaces, clock, hooks)
    composers = meeting_composers(meetings, agenda, workspaces, hooks)
    composers[NOTICE] = notice_composer(meetings, workspaces)
    directory = Directory(PeopleStore(database), clock, workspaces)
    dispatcher = Dispatcher(
        deliveries,
        workspaces,
        client_for=client_for,
        clock=clock,
        holder=holder,
        composers=composers,
        notice=owner_notice,
        reader=directory.reader,
        team_id=team_id,
    )
    announcements = Announcements(hooks, database.install_id(), dispatcher, meetings)
    composers[ANNOUNCE] = announcements.compose  # the dispatcher reads this same dict
    alarm = Alarm(planner, dispatcher, deliveries, LeaseStore(database), clock, holder, team_id)

    def meeting_changed(meeting: Meeting) -> None:
        planner.meeting_changed(meeting)
        alarm.wake()

    roster = Roster(
        AdminStore(database), MemberStore(database), clock, dispatcher.client_for, team_id
    )
    core = Core(
        database=database,
        clock=clock,
        workspaces=workspaces,
        book=MeetingBook(meetings, agenda, clock, on_change=meeting_changed),
        directory=directory,
        managers=Managers(AdminStore(database), workspaces, roster),
        roster=roster,
        background=background
        or ThreadPoolExecutor(BACKGROUND_THREADS, thread_name_prefix="salesmeet-work"),
        planner=planner,
        dispatcher=dispatcher,
        alarm=alarm,
        hooks=hooks,
        announcements=announcements,
        notices=ChannelNotices(dispatcher),
        retries=RetryGuard(RequestLedger(database), clock, holder),
        site=site or Site(),
    )
    hooks.parts.extend(feature.build(core) for feature in features)
    composers.update(hooks.composers())
    return core


def create_app(
    settings: Settings,
    clock: Clock,
    database: Database,
    features: Sequence[Feature] = FEATURES,
    background: Executor | None = None,
) -> tuple[App, Core]:
    """The real Bolt app with every listener registered, core and features. `background`
    runs the work that follows an ack (the console passes one that it can watch)."""
    if settings.mode == "oauth":
        app, core = _oauth_app(settings, clock, database, features, background)
    else:
        client = web_client(settings)
        team_id = client.auth_test()["team_id"]  # which workspace this token serves
        core = build_core(database, clock, client, team_id, features, background, site(settings))
        app = App(
            client=client,
            signing_secret=settings.signing_secret,
            # Socket Mode has no HTTP requests to verify; HTTP mode always verifies.
            request_verification_enabled=settings.mode != "socket",
            listener_executor=AckFirstExecutor(LISTENER_THREADS, thread_name_prefix="bolt"),
            logger=logging.getLogger("slack_bolt"),
        )
    app.middleware(context_middleware(core.directory))
    app.error(handle_error)
    register_core(app, core, features)
    for parts in core.hooks.parts:
        if parts.listeners:
            parts.listeners(app)
    return app, core
