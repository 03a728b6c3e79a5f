"""How Slack reaches the app: Socket Mode, or HTTP behind a production WSGI server."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sqlite3
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Protocol

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import build_headers, send_response
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from waitress.server import create_server

from bot.alarm import Alarm
from bot.clock import Clock
from bot.retries import RetryGuard
from bot.web import WebPage
from entities.errors import DatabaseBusy
from handlers.context import REQUEST_HEADER
from handlers.slack_body import VERIFIED, Shape, slack_shape
from storage.db import Database
from storage.requests import Answered

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HTTP_THREADS = 16
# Slack's own requests are a few kilobytes; a modal submission stays well under this.
MAX_BODY_BYTES = 1024 * 1024
# The request's key in the ledger, for the listeners (set here, never taken from outside).
REQUEST_ENVIRON = "HTTP_" + REQUEST_HEADER.upper().replace("-", "_")
# The workspace of a signed request, for the request's log line (set after the signature).
TEAM_ENVIRON = "salesmeet.team_id"
# Slack's rule: a request older than five minutes may be a replay.
MAX_AGE_SECONDS = 5 * 60
# The alarm's heartbeat runs every 10 seconds, leader or not; two minutes without one
# means its thread is stuck or dead.
ALARM_LATE_AFTER = timedelta(minutes=2)


class AlarmState(Protocol):
    """What /healthz reads of an alarm: bot/alarm.py's Alarm, or, in a server whose
    worker holds the alarm, what the worker reports of it (salesmeet/worker.py)."""

    last_run: datetime | None
    leader: bool


class Health:
    """What GET /healthz answers: healthy while the database answers a read and the
    alarm's heartbeat has run within ALARM_LATE_AFTER (holding the scheduler lease or
    standing by for it)."""

    def __init__(self, database: Database, alarm: Alarm | AlarmState, clock: Clock) -> None:
        self.database = database
        self.alarm = alarm
        self.clock = clock

    def report(self) -> dict:
        """{"ok", "database": ok|busy|unavailable, "alarm": holding|standing by|not
        started, "last_run": epoch seconds of the alarm's last heartbeat, or None}."""
        database = self._database()
        last_run = self.alarm.last_run
        if last_run is None:
            alarm = "not started"
        else:
            alarm = "holding" if self.alarm.leader else "standing by"
        alarm_ok = last_run is not None and self.clock.now() - last_run <= ALARM_LATE_AFTER
        return {
            "ok": database == "ok" and alarm_ok,
            "database": database,
            "alarm": alarm,
            "last_run": last_run.timestamp() if last_run else None,
        }

    def _database(self) -> str:
        try:
            with self.database.reading() as db:
                db.execute("SELECT count(*) FROM schema_migrations").fetchone()
        except DatabaseBusy:
            return "busy"
        except sqlite3.Error as error:  # closed, missing, corrupt, unreadable
            log.warning("health check: the database did not answer: %s", error)
            return "unavailable"
        return "ok"


def _health(health: Health, environ, start_response):
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
        return [b""]
    report = health.report()
    body = json.dumps(report).encode()
    start_response(
        "200 OK" if report["ok"] else "503 Service Unavailable",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def logged(application):
    """One log line per request, once its answer is ready: method, path, status,
    duration, workspace (known only once a signature checked out) and the request's id
    (its key in the request ledger, else a random one). Never a header, a query or the
    body, so never a token."""

    def serve(environ, start_response):
        started = time.perf_counter()
        status = ["500"]  # what waitress answers if the application raises

        def recording_start_response(status_line, headers, exc_info=None):
            status[0] = status_line.split(" ", 1)[0]
            return start_response(status_line, headers, exc_info)

        try:
            return application(environ, recording_start_response)
        finally:
            log.info(
                "%s %s %s %.0fms team=%s id=%s",
                _printable(environ.get("REQUEST_METHOD") or "-", 10),
                _printable(environ.get("PATH_INFO") or "-", 200),
                status[0],
                (time.perf_counter() - started) * 1000,
                _printable(environ.get(TEAM_ENVIRON) or "-", 40),
                environ.get(REQUEST_ENVIRON) or uuid.uuid4().hex[:12],
            )

    return serve


def _printable(text: str, limit: int) -> str:
    """What a client sent, safe for one log line: no newlines or escapes, bounded."""
    head = text[:limit]
    if head.isprintable() and " " not in head:  # almost always: no character to replace
        return head
    return "".join(c if c.isprintable() and c != " " else "?" for c in head)


def _page(pages: Mapping[str, WebPage], environ, start_response):
    """A feature's page (e.g. a calendar feed) for the path, or None when none serves it."""
    path = environ.get("PATH_INFO") or ""
    for prefix, page in pages.items():
        if not path.startswith(prefix):
            continue
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
            return [b""]
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        answer = page(path[len(prefix) :], headers)
        status = f"{answer.status} {HTTPStatus(answer.status).phrase}"
        start_response(status, [*answer.headers, ("Content-Length", str(len(answer.body)))])
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [answer.body]
    return None


def health_app(health: Health, pages: Mapping[str, WebPage] | None = None):
    """A WSGI callable with GET /healthz and the features' pages (calendar feeds) only,
    beside Socket Mode, which has no HTTP of its own."""

    def application(environ, start_response):
        if environ.get("PATH_INFO") == HEALTH_PATH:
            return _health(health, environ, start_response)
        served = _page(pages or {}, environ, start_response)
        if served is not None:
            return served
        return _plain(start_response, "404 Not Found", "Only /healthz is served here.")

    return logged(application)


def wsgi_app(
    app: App,
    signing_secret: str | None = None,
    retries: RetryGuard | None = None,
    health: Health | None = None,
    pages: Mapping[str, WebPage] | None = None,
):
    """A WSGI callable that serves Slack's requests on /slack/events, GET /healthz when
    given a Health, the features' pages (calendar feeds) under their prefixes, and 404s
    the rest; each request is logged in one line.

    With a signing secret, the signature is checked on the raw bytes before anything
    parses the body (Bolt parses first and answers a malformed body with a 500), and a
    signed request that is not the shape Slack sends gets a 400, never a traceback.
    """
    handler = SlackRequestHandler(app)
    verifier = SignatureVerifier(signing_secret) if signing_secret else None
    flow = app.oauth_flow
    oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()

    def application(environ, start_response):
        if health is not None and environ.get("PATH_INFO") == HEALTH_PATH:
            return _health(health, environ, start_response)
        if oauth_paths and environ.get("PATH_INFO") in oauth_paths:
            # The installer's browser (GET): Bolt's OAuth flow checks its own state.
            if environ.get("REQUEST_METHOD") != "GET":
                return _plain(start_response, "405 Method Not Allowed", "Use GET.")
            return handler(environ, start_response)
        served = _page(pages or {}, environ, start_response)
        if served is not None:
            return served
        if environ.get("PATH_INFO") != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", "Slack sends requests to /slack/events.")
        if verifier is None:
            return handler(environ, start_response)
        body = _read_body(environ)
        if body is None:
            return _plain(start_response, "413 Payload Too Large", "Request too large.")
        headers = {
            "x-slack-request-timestamp": environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
            "x-slack-signature": environ.get("HTTP_X_SLACK_SIGNATURE", ""),
        }
        if not _signed(verifier, body, headers):
            return _plain(start_response, "401 Unauthorized", "Invalid or stale signature.")
        shape = slack_shape(body)
        environ[TEAM_ENVIRON] = shape.team_id
        if shape.problem:
            log.warning("signed request refused (400): %s", shape.problem)
            return _plain(start_response, "400 Bad Request", shape.problem)
        environ.pop(REQUEST_ENVIRON, None)  # only we name the request
        if retries is None:
            answer = _dispatch(app, shape, environ)
        else:
            key = RetryGuard.key(body, shape.event_id)
            environ[REQUEST_ENVIRON] = key  # for the log line; Bolt's header for ctx.request_key
            answer = retries.once(
                key,
                shape.team_id,
                lambda: _dispatch(app, shape, environ, key),
                request=body,
                request_type=shape.content_type,
            )
        start_response(_STATUS.get(answer.status, f"{answer.status} Status"), _headers(answer))
        return [answer.body]

    return logged(application)


def answer_signed(app: App, signing_secret: str, body: bytes, headers: dict[str, str]) -> Answered:
    """What /slack/events answers a request, less the inbox and the log line: the
    signature, then the shape, then Bolt on the parsed body (the local console's path)."""
    if not _signed(SignatureVerifier(signing_secret), body, headers):
        return Answered(401, "text/plain", b"Invalid or stale signature.\n")
    shape = slack_shape(body)
    if shape.problem:
        return Answered(400, "text/plain", shape.problem.encode())
    return _dispatch(app, shape, {})


def _read_body(environ) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return None
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _signed(verifier: SignatureVerifier, body: bytes, headers: dict[str, str]) -> bool:
    """Slack's v0 signature over the raw bytes (slack_sdk's own check decodes them first,
    so a body that is not UTF-8 could not even be told apart from a forgery)."""
    timestamp = headers["x-slack-request-timestamp"]
    if not timestamp.isdigit():
        return False
    if abs(verifier.clock.now() - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(verifier.signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["x-slack-signature"])


# The request headers a listener may read, passed on to Bolt.
BOLT_HEADERS = {
    "x-slack-request-timestamp": "HTTP_X_SLACK_REQUEST_TIMESTAMP",
    "x-slack-signature": "HTTP_X_SLACK_SIGNATURE",
    "x-slack-retry-num": "HTTP_X_SLACK_RETRY_NUM",
    "x-slack-retry-reason": "HTTP_X_SLACK_RETRY_REASON",
}


def _dispatch(app: App, shape: Shape, environ, key: str | None = None) -> Answered:
    """Run Bolt on a signed request of a known shape and keep what it answered."""
    headers = {"content-type": [shape.content_type]}
    for name, variable in BOLT_HEADERS.items():
        if variable in environ:
            headers[name] = [environ[variable]]
    if key is not None:
        headers[REQUEST_HEADER] = [key]
    response = app.dispatch(BoltRequest(body=shape.body, headers=headers, mode=VERIFIED))
    content_type = (response.headers.get("content-type") or ["text/plain"])[0]
    return Answered(response.status, content_type, (response.body or "").encode())


_STATUS = {200: "200 OK", 400: "400 Bad Request", 401: "401 Unauthorized", 404: "404 Not Found"}


def _headers(answer: Answered) -> list[tuple[str, str]]:
    return [("Content-Type", answer.content_type), ("Content-Length", str(len(answer.body)))]


def _plain(start_response, status: str, text: str):
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [(text + "\n").encode()]


def http_server(
    app: App,
    port: int,
    *,
    signing_secret: str,
    host: str = "0.0.0.0",
    retries: RetryGuard | None = None,
    health: Health | None = None,
    pages: Mapping[str, WebPage] | None = None,
):
    """Waitress, a production WSGI server (Bolt's built-in server is for development only).

    Call `.run()` to serve; `.effective_port` is the bound port (useful with port 0).
    Binding happens here: a port in use or a bad host is an OSError now, not later.
    """
    return create_server(
        wsgi_app(app, signing_secret, retries, health, pages),
        host=host,
        port=port,
        threads=HTTP_THREADS,
    )


def health_server(
    health: Health, port: int, host: str = "0.0.0.0", pages: Mapping[str, WebPage] | None = None
):
    """A small waitress server with GET /healthz and the features' pages, for Socket Mode."""
    return create_server(health_app(health, pages), host=host, port=port, threads=4)


class OnceSocketModeHandler(SocketModeHandler):
    """Socket Mode with the same promises as HTTP: each request is kept in the inbox
    before it is acknowledged, and a copy Slack sends again (an event retried after 1 and
    5 minutes carries the same event_id) changes nothing twice and gets the first
    answer."""

    def __init__(self, app: App, app_token: str, retries: RetryGuard | None = None) -> None:
        super().__init__(app, app_token)
        self.retries = retries

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        if self.retries is None or not isinstance(req.payload, dict):
            super().handle(client, req)
            return
        body = json.dumps(req.payload, sort_keys=True, separators=(",", ":")).encode()
        event_id = req.payload.get("event_id")
        key = RetryGuard.key(body, event_id if isinstance(event_id, str) else None)
        answer = self.retries.once(
            key,
            _team_of(req.payload),
            lambda: self._dispatch(req, key),
            request=body,
            request_type="application/json",
        )
        response = BoltResponse(
            status=answer.status,
            body=answer.body.decode(),
            headers={"content-type": answer.content_type},
        )
        send_response(client, req, response, 0.0)

    def _dispatch(self, req: SocketModeRequest, key: str) -> Answered:
        headers: dict = {**(build_headers(req) or {}), REQUEST_HEADER: [key]}
        request = BoltRequest(mode="socket_mode", body=req.payload, headers=headers)
        response = self.app.dispatch(request)
        content_type = (response.headers.get("content-type") or [""])[0]
        return Answered(response.status, content_type, (response.body or "").encode())


def _team_of(payload: dict) -> str:
    team = payload.get("team_id") or payload.get("team") or ""
    if isinstance(team, dict):
        team = team.get("id") or ""
    return str(team)


def serve_socket_mode(app: App, app_token: str, retries: RetryGuard | None = None) -> None:
    OnceSocketModeHandler(app, app_token, retries).start()
