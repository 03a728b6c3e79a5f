"""How Slack reaches the app: Socket Mode, or HTTP behind a production WSGI server."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
from dataclasses import dataclass
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import build_headers, send_response
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from waitress.server import create_server

from bot.retries import RetryGuard
from handlers.context import REQUEST_HEADER
from storage.requests import Answered

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HTTP_THREADS = 16
FORM = "application/x-www-form-urlencoded"
# Slack's own requests are a few kilobytes; a modal submission stays well under this.
MAX_BODY_BYTES = 1024 * 1024
# The request's key in the ledger, for the listeners (set here, never taken from outside).
REQUEST_ENVIRON = "HTTP_" + REQUEST_HEADER.upper().replace("-", "_")
# Slack's rule: a request older than five minutes may be a replay.
MAX_AGE_SECONDS = 5 * 60


def wsgi_app(app: App, signing_secret: str | None = None, retries: RetryGuard | None = None):
    """A WSGI callable that serves Slack's requests on /slack/events and 404s the rest.

    With a signing secret, the signature is checked on the raw bytes before anything
    parses the body (Bolt parses first and answers a malformed body with a 500), and a
    signed request that is not the shape Slack sends gets a 400, never a traceback.
    """
    handler = SlackRequestHandler(app)
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def application(environ, start_response):
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
        if shape.problem:
            log.warning("signed request refused (400): %s", shape.problem)
            return _plain(start_response, "400 Bad Request", shape.problem)
        environ["CONTENT_TYPE"] = shape.content_type
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = io.BytesIO(body)
        environ.pop(REQUEST_ENVIRON, None)  # only we name the request
        if retries is None:
            return handler(environ, start_response)
        key = RetryGuard.key(body, shape.event_id)
        environ[REQUEST_ENVIRON] = key  # Bolt's header x-salesmeet-request: ctx.request_key
        answer = retries.once(
            key,
            shape.team_id,
            lambda: _answer(handler, environ),
            request=body,
            request_type=shape.content_type,
        )
        start_response(_STATUS.get(answer.status, f"{answer.status} Status"), _headers(answer))
        return [answer.body]

    return application


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


@dataclass(frozen=True)
class Shape:
    """What a request body is, as far as the transport needs to know."""

    content_type: str = ""
    problem: str | None = None  # why it is not a request Slack sends
    team_id: str = ""
    event_id: str | None = None


def slack_shape(body: bytes) -> Shape:
    """The content type Slack used for `body`, or a reason it is not a request Slack sends:
    events are JSON objects; commands and interactions are forms, an interaction's
    `payload` a JSON object, a command with its team and user."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Shape(problem="The body is not UTF-8.")
    if text.lstrip().startswith("{"):
        try:
            event = json.loads(text)
        except ValueError:
            return Shape(problem="The body is not valid JSON.")
        if not isinstance(event, dict):
            return Shape(problem="The body is not a JSON object.")
        event_id = event.get("event_id")
        return Shape(
            "application/json",
            team_id=str(event.get("team_id") or ""),
            event_id=event_id if isinstance(event_id, str) else None,
        )
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        try:
            payload = json.loads(form["payload"][0])
        except ValueError:
            return Shape(problem="The payload is not valid JSON.")
        if not isinstance(payload, dict):
            return Shape(problem="The payload is not a JSON object.")
        team = payload.get("team")
        return Shape(FORM, team_id=str(team.get("id") or "") if isinstance(team, dict) else "")
    if "command" in form:
        team_id, user_id = (form.get("team_id") or [""])[0], (form.get("user_id") or [""])[0]
        if not team_id or not user_id:
            return Shape(problem="A command needs team_id and user_id.")
        return Shape(FORM, team_id=team_id)
    if "ssl_check" in form:
        return Shape(FORM)
    return Shape(problem="Not a request Slack sends.")


def _answer(handler, environ) -> Answered:
    """Run Bolt on the request and keep what it answered."""
    captured: dict = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers

    body = b"".join(handler(environ, start_response))
    status = int(str(captured.get("status", "500")).split()[0])
    content_type = dict((k.lower(), v) for k, v in captured.get("headers", [])).get(
        "content-type", "text/plain"
    )
    return Answered(status, content_type, body)


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
):
    """Waitress, a production WSGI server (Bolt's built-in server is for development only).

    Call `.run()` to serve; `.effective_port` is the bound port (useful with port 0).
    """
    return create_server(
        wsgi_app(app, signing_secret, retries), host=host, port=port, threads=HTTP_THREADS
    )


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
