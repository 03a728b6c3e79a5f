"""The Slack Web API double: stdlib only, bound to 127.0.0.1, no network.

Point ``slack_sdk.WebClient(base_url=fake.url)`` at it. It answers from the workspaces
registered on it (`add_workspace`, or team by team) and holds what the app posted, as
Slack would. Every call is recorded in ``fake.calls``; POSTs to ``fake.response_url(...)``
in ``fake.responses``; both, in arrival order, in ``fake.log`` (``take()`` reads it in
turns, as the local console does). Faults (5xx, 429, slow answers, dropped connections)
can be queued per method. The tests, the benchmarks and the local console share it.
"""

from __future__ import annotations

import base64
import contextlib
import email.parser
import email.policy
import html
import json
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from simulator.limits import RateLimits
from simulator.spec import IM, MPIM, PRIVATE, PUBLIC, Method, load_spec, manifest_bot_scopes
from simulator.workspace import Workspace

# Params that Slack accepts as JSON strings in form-encoded requests; parsed so tests can inspect.
_JSON_PARAMS = ("blocks", "view", "attachments")
# The method name faults are keyed on for POSTs to a response_url.
RESPONSE_URL_METHOD = "response_url"
# The method name faults are keyed on (and calls recorded as) for POSTs of file bytes to
# an upload URL from files.getUploadURLExternal (step 2 of slack_sdk's files_upload_v2).
FILE_UPLOAD_METHOD = "file_upload"
# files.completeUploadExternal takes conversation ids only (C, G, D or Z), never user ids.
_CONVERSATION_ID = re.compile(r"^[CGDZ][A-Z0-9]+$")
# Fixed epoch so message timestamps are deterministic across runs.
_TS_BASE = 1_700_000_000
# The instant a FakeSlack without a clock lives at (it never reads the wall clock).
_EPOCH = datetime.fromtimestamp(_TS_BASE, UTC)


@dataclass
class Call:
    """One Web API request the app made."""

    method: str
    params: dict
    token: str | None
    faulted: bool = False  # a queued fault answered instead of the method
    response: dict | None = None  # the JSON body answered, when the method ran
    team_id: str | None = None  # the workspace whose token made the call
    ratelimited: bool = False  # answered 429 by the enforced rate limits (faulted too)

    @property
    def ok(self) -> bool:
        """Slack did what was asked (no fault, no error answer)."""
        return not self.faulted and bool((self.response or {}).get("ok"))


@dataclass
class Response:
    """A POST the app made to a response_url."""

    path_token: str
    body: dict
    faulted: bool = False


@dataclass
class UploadedFile:
    """A file the app uploaded (files_upload_v2), as Slack would hold it."""

    file_id: str
    team_id: str
    filename: str
    length: int
    content: bytes | None = None  # set once the bytes reach the upload URL
    title: str | None = None
    channel_id: str | None = None  # where it was shared, once completed
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False

    @property
    def text(self) -> str:
        return (self.content or b"").decode("utf-8")


@dataclass
class _Fault:
    status: int
    error: str
    retry_after: int | None
    delay: float
    drop: bool


AUTHORIZE_PATH = "/oauth/v2/authorize"


@dataclass
class OAuthApp:
    """An app distributed over OAuth: its credentials, and refresh tokens handed out."""

    client_id: str
    client_secret: str
    rotation: bool = False
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # token -> team


@dataclass
class _Team:
    team_id: str
    name: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    bot_name: str


@dataclass
class _Channel:
    channel_id: str
    name: str
    bot_member: bool
    is_private: bool


@dataclass
class _Outcome:
    status: int = 200
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Many concurrent clients: the stdlib default backlog of 5 refuses connections under load.
    request_queue_size = 128
    fake: FakeSlack

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: disconnecting clients are expected in fault tests."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # Don't let a client that never sends its body pin a thread forever.
    timeout = 10

    def do_POST(self) -> None:
        self.server.fake._handle(self)

    def do_GET(self) -> None:
        self.server.fake._handle(self)

    def log_message(self, format: str, *args: Any) -> None:
        """No request logging to stderr."""


class FakeSlack:
    """In-process fake of the Slack Web API and response_url endpoints.

    `now` is the simulated workspace's clock: it dates message timestamps and the zone
    offsets users.info reports. Without one, every message is stamped from a fixed epoch
    (1700000000.000100, .000200, ...), so tests see the same ts on every run.

    Every Web API call is checked as Slack checks it, against Slack's published spec
    (`simulator/spec.py`): an unknown method, a token without a scope the method needs
    (`missing_scope`, with `needed` and `provided`) and a missing required argument are
    refused. A workspace's token holds `scopes` (default: the bot scopes of manifest.yml;
    `add_team` can give one workspace others); a token from oauth.v2.access holds the
    scopes its install asked for.
    """

    def __init__(
        self, now: Callable[[], datetime] | None = None, scopes: Iterable[str] | None = None
    ) -> None:
        self.spec = load_spec()
        self._default_scopes = frozenset(manifest_bot_scopes() if scopes is None else scopes)
        self._scopes: dict[str, frozenset[str]] = {}  # token -> the scopes it holds
        self._now = now or (lambda: _EPOCH)
        self._clocked = now is not None  # message ts on a clock: oldest/latest apply
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.calls: list[Call] = []
        self.responses: list[Response] = []
        self.log: list[Call | Response] = []  # both, in the order they arrived
        self._taken = 0
        self._faults: dict[str, deque[_Fault]] = {}
        self._teams: dict[str, _Team] = {}
        self._tokens: dict[str, str] = {}
        self._users: dict[tuple[str, str], dict[str, Any]] = {}
        self._channels: dict[tuple[str, str], _Channel] = {}
        self._messages: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._views: dict[tuple[str, str], dict[str, Any]] = {}
        self._uploads: dict[str, UploadedFile] = {}
        self._last_ts_us = 0
        self._view_counter = 0
        self._file_counter = 0
        # OAuth: apps by client id, who the browser is signed in as, codes handed out.
        self._oauth_apps: dict[str, OAuthApp] = {}
        self._signed_in: tuple[str, str] | None = None
        # code -> (team, user, client id, redirect URI, the scopes the install asked for)
        self._codes: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {}
        self._token_counter = 0
        # Slack's published rate limits, once `enforce_rate_limits` is called.
        self._limits: RateLimits | None = None
        self.ratelimited = 0  # 429s the enforced limits answered

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeSlack:
        """Start serving on an ephemeral port in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeSlack already started")
        self._stopping.clear()
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; delayed answers still pending are cut short."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def _base(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """Web API base URL for ``WebClient(base_url=...)``; ends with "/"."""
        return f"{self._base}/api/"

    def response_url(self, token: str = "r1") -> str:
        """A response_url whose POSTs are recorded as `Response` with this path token."""
        return f"{self._base}/response/{token}"

    # ----------------------------------------------------------------- fixtures

    def add_team(
        self,
        team_id: str,
        name: str,
        bot_token: str,
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        bot_name: str = "salesmeet",
        scopes: Iterable[str] | None = None,
    ) -> None:
        """Register a workspace whose bot token authenticates calls; the token holds
        `scopes` (default: the fake's, manifest.yml's bot scopes unless given)."""
        with self._lock:
            old = self._teams.get(team_id)
            if old is not None:
                self._tokens.pop(old.bot_token, None)
            self._teams[team_id] = _Team(team_id, name, bot_token, bot_user_id, bot_id, bot_name)
            self._tokens[bot_token] = team_id
            self._scopes[bot_token] = frozenset(self._default_scopes if scopes is None else scopes)
            # The bot is a user of its workspace too, as on real Slack.
            self._users.setdefault(
                (team_id, bot_user_id),
                {"id": bot_user_id, "name": bot_name, "tz": "America/Los_Angeles", "is_bot": True},
            )

    def add_workspace(self, workspace: Workspace, scopes: Iterable[str] | None = None) -> None:
        """Register a simulated workspace: its team and bot, its members and channels."""
        self.add_team(
            workspace.team_id,
            workspace.name,
            workspace.bot_token,
            bot_user_id=workspace.bot_user_id,
            bot_id=workspace.bot_id,
            scopes=scopes,
        )
        for m in workspace.members:
            self.add_user(
                workspace.team_id,
                m.user_id,
                m.name,
                tz=m.tz,
                is_admin=m.is_admin,
                real_name=m.real_name,
            )
        for c in workspace.channels:
            self.add_channel(workspace.team_id, c.channel_id, c.name, bot_member=c.bot_member)

    def add_user(
        self,
        team_id: str,
        user_id: str,
        name: str,
        tz: str = "Asia/Kuala_Lumpur",
        is_admin: bool = False,
        is_owner: bool = False,
        locale: str = "en-US",
        is_bot: bool = False,
        deleted: bool = False,
        email: str | None = None,
        real_name: str | None = None,
    ) -> None:
        """Register (or replace) a user in a workspace; `name` is their handle, which
        Slack also shows as their display name."""
        with self._lock:
            self._users[(team_id, user_id)] = {
                "id": user_id,
                "name": name,
                "real_name": real_name or name,
                "tz": tz,
                "is_admin": is_admin,
                "is_owner": is_owner,
                "locale": locale,
                "is_bot": is_bot,
                "deleted": deleted,
                "email": email,
            }

    def add_channel(
        self,
        team_id: str,
        channel_id: str,
        name: str,
        bot_member: bool = True,
        is_private: bool = False,
    ) -> None:
        """Register (or replace) a channel in a workspace."""
        with self._lock:
            self._channels[(team_id, channel_id)] = _Channel(
                channel_id, name, bot_member, is_private
            )

    def set_bot_member(self, team_id: str, channel_id: str, member: bool) -> None:
        """Add the bot to, or remove it from, an existing channel."""
        with self._lock:
            self._channels[(team_id, channel_id)].bot_member = member

    # ----------------------------------------------------------------- inspection

    def files(self, channel: str | None = None, team: str | None = None) -> list[UploadedFile]:
        """Files shared by files.completeUploadExternal, oldest first; optionally only
        those shared in `channel` (a DM is "D" + the user id) or in `team`."""
        with self._lock:
            return [
                f
                for f in self._uploads.values()
                if f.completed
                and (channel is None or f.channel_id == channel)
                and (team is None or f.team_id == team)
            ]

    def calls_to(self, *methods: str) -> list[Call]:
        """Snapshot of the recorded calls to these methods, in order (faulted ones too)."""
        with self._lock:
            return [c for c in self.calls if c.method in methods]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until `count` calls to `method` match `where`; return all matching calls."""

        def hits() -> list[Call]:
            return [c for c in self.calls if c.method == method and (where is None or where(c))]

        with self._cond:
            if self._cond.wait_for(lambda: len(hits()) >= count, timeout):
                return hits()
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} matching call(s) to "
                f"{method!r}; {len(hits())} matched. Calls seen:\n{self._describe_calls()}"
            )

    def wait_for_response(
        self,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Response], bool] | None = None,
    ) -> list[Response]:
        """Block until `count` response_url POSTs match `where`; return all matching ones."""

        def hits() -> list[Response]:
            return [r for r in self.responses if where is None or where(r)]

        with self._cond:
            if self._cond.wait_for(lambda: len(hits()) >= count, timeout):
                return hits()
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} matching response_url "
                f"POST(s); {len(hits())} matched. Responses seen:\n{self._describe_responses()}"
                f"\nCalls seen:\n{self._describe_calls()}"
            )

    def wait_for_entry(
        self,
        where: Callable[[Call | Response], bool],
        since: int = 0,
        timeout: float = 5.0,
        what: str = "a matching call or response_url POST",
    ) -> Call | Response:
        """Block until an entry of `log` from index `since` on matches `where`; the first."""

        def first() -> Call | Response | None:
            return next((e for e in self.log[since:] if where(e)), None)

        with self._cond:
            if self._cond.wait_for(lambda: first() is not None, timeout):
                found = first()
                assert found is not None
                return found
            raise AssertionError(
                f"timed out after {timeout}s waiting for {what}. "
                f"Responses seen:\n{self._describe_responses()}\n"
                f"Calls seen:\n{self._describe_calls()}"
            )

    def take(self) -> list[Call | Response]:
        """The calls and response_url POSTs that arrived since the last `take`, in order."""
        with self._lock:
            taken = self.log[self._taken :]
            self._taken = len(self.log)
        return taken

    def _describe_responses(self) -> str:
        seen = "\n".join(
            f"  {r.path_token}{' (faulted)' if r.faulted else ''}: {_short(r.body)}"
            for r in self.responses
        )
        return seen or "  (none)"

    def _describe_calls(self) -> str:
        if not self.calls:
            return "  (none)"
        lines = [
            f"  {c.method}{' (faulted)' if c.faulted else ''} {_short(c.params)}"
            + (f" -> {_short(c.response)}" if c.response is not None else "")
            for c in self.calls
        ]
        return "\n".join(lines)

    # ----------------------------------------------------------------- faults

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        error: str = "internal_error",
        retry_after: int | None = None,
        times: int = 1,
        delay: float = 0.0,
        drop: bool = False,
    ) -> None:
        """Queue a fault for the next `times` calls of `method` (or "response_url").

        status 429 answers with a Retry-After header (default 1, whole seconds as Slack
        sends) and error "ratelimited". status 200 with a delay runs the method for real
        but answers late: the "Slack did it but the client timed out" case.
        """
        if status == 429:
            if error == "internal_error":
                error = "ratelimited"
            if retry_after is None:
                retry_after = 1
        fault = _Fault(status, error, retry_after, delay, drop)
        with self._lock:
            queue = self._faults.setdefault(method, deque())
            queue.extend([fault] * times)

    def heal(self, method: str) -> int:
        """Drop the faults still queued for `method`; how many there were."""
        with self._lock:
            left = self._faults.pop(method, deque())
        return len(left)

    def reset(self) -> None:
        """Forget calls, responses and faults; keep teams, users, channels and messages."""
        with self._lock:
            self.calls.clear()
            self.responses.clear()
            self.log.clear()
            self._taken = 0
            self._faults.clear()

    def enforce_rate_limits(
        self,
        monotonic: Callable[[], float] | None = None,
        *,
        marketplace: bool = True,
        post_burst: int = 3,
    ) -> RateLimits:
        """From now on, answer calls over Slack's published limits with 429 and
        Retry-After, as Slack does (simulator/limits.py), and count them in `ratelimited`.

        `monotonic` is the limits' clock in seconds (default: real monotonic time; a test
        passes its manual clock's). With `marketplace=False`, the app is one distributed
        outside the Slack Marketplace: conversations.history 1 call a minute, 15 messages
        a call at most."""
        with self._lock:
            self._limits = RateLimits(
                monotonic or time.monotonic, marketplace=marketplace, post_burst=post_burst
            )
            return self._limits

    def _over_limit(self, method: str, params: dict, team_id: str | None) -> int | None:
        """Retry-After seconds when this call is over an enforced limit, else None."""
        limits = self._limits
        if limits is None or team_id is None:
            return None
        with self._lock:
            team = self._teams.get(team_id)
            channel = None
            if team is not None and method == "chat.postMessage":
                channel, _ = self._resolve_channel(team, params.get("channel"))
        return limits.check(team_id, method, channel)

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            queue = self._faults.get(method)
            if not queue:
                return None
            return queue.popleft()

    # ----------------------------------------------------------------- OAuth

    @property
    def authorize_url(self) -> str:
        """Slack's authorize page, as SLACK_AUTHORIZE_URL."""
        return f"{self._base}{AUTHORIZE_PATH}"

    def add_oauth_app(self, client_id: str, client_secret: str, rotation: bool = False) -> None:
        """An app distributed over OAuth; with `rotation`, its tokens expire and refresh."""
        with self._lock:
            self._oauth_apps[client_id] = OAuthApp(client_id, client_secret, rotation)

    def sign_in(self, team_id: str, user_id: str) -> None:
        """The browser's Slack session: the workspace and person who will press Allow."""
        with self._lock:
            self._signed_in = (team_id, user_id)

    def revoke(self, team_id: str) -> None:
        """Uninstall: every token of the workspace stops working (invalid_auth)."""
        with self._lock:
            for token, tid in list(self._tokens.items()):
                if tid == team_id:
                    del self._tokens[token]

    def _authorize_page(self, h: _Handler, query: str) -> None:
        """Slack's "SalesMeet is requesting permission" page: Allow sends the browser back
        to the redirect URI with a code; Cancel with `error=access_denied`."""
        params = dict(parse_qsl(query, keep_blank_values=True))
        redirect, state = params.get("redirect_uri", ""), params.get("state", "")
        with self._lock:
            app = self._oauth_apps.get(params.get("client_id", ""))
            signed_in = self._signed_in
            team = self._teams.get(signed_in[0]) if signed_in else None
            if app is None or team is None or not redirect.startswith("http"):
                _send_html(h, 400, "<h1>Invalid client_id or redirect_uri</h1>")
                return
            code = f"code-{secrets.token_hex(8)}"
            asked = tuple(s for s in params.get("scope", "").split(",") if s)
            self._codes[code] = (team.team_id, signed_in[1], app.client_id, redirect, asked)
        allow = f"{redirect}?{urlencode({'code': code, 'state': state})}"
        deny = f"{redirect}?{urlencode({'error': 'access_denied', 'state': state})}"
        scopes = html.escape(params.get("scope", "").replace(",", ", "))
        _send_html(
            h,
            200,
            f"<h1>SalesMeet is requesting permission to access the {html.escape(team.name)}"
            f" Slack workspace</h1><p>Scopes: {scopes}</p>"
            f'<a id="allow" href="{html.escape(allow)}">Allow</a> '
            f'<a id="cancel" href="{html.escape(deny)}">Cancel</a>',
        )

    def _oauth_access(self, params: dict) -> dict:
        """oauth.v2.access: a code for a bot token (a new one each install), or with
        `grant_type=refresh_token`, a rotated token."""
        app = self._oauth_apps.get(_str_or_none(params.get("client_id")) or "")
        if app is None or params.get("client_secret") != app.client_secret:
            return _err("invalid_client_id" if app is None else "bad_client_secret")
        if params.get("grant_type") == "refresh_token":
            team_id = app.refresh_tokens.pop(str(params.get("refresh_token") or ""), None)
            if team_id is None:
                return _err("invalid_refresh_token")
            team = self._teams[team_id]
            held = self._scopes.get(team.bot_token, self._default_scopes)  # kept on rotation
            return self._issue(app, team, None, tuple(sorted(held)))
        found = self._codes.pop(str(params.get("code") or ""), None)
        if found is None:
            return _err("invalid_code")
        team_id, user_id, client_id, redirect, asked = found
        if client_id != app.client_id or params.get("redirect_uri", redirect) != redirect:
            return _err("bad_redirect_uri")
        return self._issue(app, self._teams[team_id], user_id, asked)

    def _issue(
        self, app: OAuthApp, team: _Team, user_id: str | None, scopes: tuple[str, ...]
    ) -> dict:
        """A bot token for the workspace holding `scopes`, the ones its install asked for."""
        self._token_counter += 1
        token = f"xoxb-{team.team_id.lower()}-oauth-{self._token_counter}"
        self.revoke(team.team_id)  # the workspace's earlier token stops working
        self._tokens[token] = team.team_id
        self._scopes[token] = frozenset(scopes)
        self._teams[team.team_id] = replace(team, bot_token=token)
        answer: dict[str, Any] = {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": ",".join(scopes),
            "bot_user_id": team.bot_user_id,
            "app_id": "ASALESMEET",
            "team": {"id": team.team_id, "name": team.name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if user_id:
            answer["authed_user"] = {"id": user_id}
        if app.rotation:
            refresh = f"xoxe-{secrets.token_hex(6)}"
            app.refresh_tokens[refresh] = team.team_id
            answer.update(refresh_token=refresh, expires_in=43200)
        return answer

    # ----------------------------------------------------------------- HTTP

    def _handle(self, h: _Handler) -> None:
        try:
            raw = _read_body(h)
        except (OSError, ValueError):
            h.close_connection = True
            return
        parts = urlsplit(h.path)
        path = parts.path
        if path == AUTHORIZE_PATH:
            self._authorize_page(h, parts.query)
            return
        if path.startswith("/api/"):
            outcome = self._api(h, path[len("/api/") :], parts.query, raw)
        elif path.startswith("/response/"):
            outcome = self._response_url(h, path[len("/response/") :], raw)
        elif path.startswith("/upload/"):
            outcome = self._upload_url(path[len("/upload/") :], raw)
        else:
            outcome = _Outcome(404, {"ok": False, "error": "not_found"})
        if outcome.delay > 0:
            # Interruptible so stop() does not wait out long delays.
            self._stopping.wait(outcome.delay)
        if outcome.drop:
            h.close_connection = True
            return
        _send_json(h, outcome.status, outcome.body or {}, outcome.headers)

    def _api(self, h: _Handler, method: str, query: str, raw: bytes) -> _Outcome:
        params = _parse_params(query, raw, h.headers.get("Content-Type", ""))
        params.update(_basic(h.headers.get("Authorization")))  # oauth.v2.access's client
        token = _bearer(h.headers.get("Authorization")) or _str_or_none(params.get("token"))
        call = Call(method=method, params=params, token=token)
        with self._lock:
            call.team_id = self._tokens.get(token or "")
        fault = self._take_fault(method)
        if fault is not None and not (fault.status == 200 and not fault.drop):
            call.faulted = True
            self._record_call(call)
            return _fault_outcome(fault)
        retry_after = self._over_limit(method, params, call.team_id)
        if retry_after is not None:
            call.faulted = call.ratelimited = True
            with self._lock:
                self.ratelimited += 1
            self._record_call(call)
            return _Outcome(
                429,
                _err("ratelimited"),
                {"Retry-After": str(retry_after)},
                delay=fault.delay if fault is not None else 0.0,
            )
        with self._lock:
            call.response = self._dispatch(method, params, token)
        self._record_call(call)
        outcome = _Outcome(200, call.response)
        if fault is not None:
            outcome.delay = fault.delay
        return outcome

    def _response_url(self, h: _Handler, token: str, raw: bytes) -> _Outcome:
        text = raw.decode("utf-8", "replace")
        try:
            body = json.loads(text) if text else {}
        except json.JSONDecodeError:
            body = _parse_params("", raw, h.headers.get("Content-Type", ""))
        if not isinstance(body, dict):
            body = {"_": body}
        fault = self._take_fault(RESPONSE_URL_METHOD)
        resp = Response(path_token=token, body=body, faulted=fault is not None)
        with self._cond:
            self.responses.append(resp)
            self.log.append(resp)
            self._cond.notify_all()
        if fault is not None:
            return _fault_outcome(fault)
        return _Outcome(200, {"ok": True})

    def _upload_url(self, file_id: str, raw: bytes) -> _Outcome:
        """Step 2 of files_upload_v2: the file's bytes POSTed to the URL Slack handed out."""
        call = Call(
            method=FILE_UPLOAD_METHOD, params={"file_id": file_id, "bytes": len(raw)}, token=None
        )
        fault = self._take_fault(FILE_UPLOAD_METHOD)
        if fault is not None and not (fault.status == 200 and not fault.drop):
            call.faulted = True
            self._record_call(call)
            return _fault_outcome(fault)
        with self._lock:
            upload = self._uploads.get(file_id)
            if upload is None or upload.completed:
                call.response = _err("file_not_found")
                status = 404
            else:
                upload.content = raw
                call.response = {"ok": True}
                status = 200
        self._record_call(call)
        # Slack answers the upload URL with plain text; slack_sdk only looks at the status.
        outcome = _Outcome(status, call.response)
        if fault is not None:
            outcome.delay = fault.delay
        return outcome

    def _record_call(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self.log.append(call)
            self._cond.notify_all()

    # ----------------------------------------------------------------- methods

    def _dispatch(self, method: str, params: dict, token: str | None) -> dict:
        """Slack's checks, in Slack's order, then the method: it exists (Slack's published
        spec), the token is good, it holds a scope the method needs for this conversation,
        and the required arguments are there."""
        spec = self.spec.get(method)
        if spec is None:
            return _err("unknown_method")
        if method == "oauth.v2.access":  # the app authenticates with its client secret
            return self._oauth_access(params)
        handler = _METHODS.get(method)
        if handler is None:  # a real method the double does not serve: say so
            return {**_err("unknown_method"), "warning": f"FakeSlack does not serve {method}"}
        if not token:
            return _err("not_authed")
        team_id = self._tokens.get(token)
        if team_id is None:
            return _err("invalid_auth")
        team = self._teams[team_id]
        granted = self._scopes.get(token, self._default_scopes)
        refused = self._missing_scope(team, spec, params, granted)
        if refused is not None:
            return refused
        missing = spec.missing(params)
        if missing:
            return spec.missing_argument_error(missing[0])
        answer = handler(self, team, params)
        if "users:read.email" not in granted:  # Slack shows emails only with this scope
            for user in [answer.get("user"), *(answer.get("members") or [])]:
                if isinstance(user, dict):
                    (user.get("profile") or {}).pop("email", None)
        return answer

    def _missing_scope(
        self, team: _Team, spec: Method, params: dict, granted: frozenset[str]
    ) -> dict | None:
        """Slack's missing_scope answer when the token holds none of the scopes the method
        needs for this conversation (conversations.history in a DM: im:history)."""
        needed = spec.needed(self._conversation_kind(team, params))
        if not needed or needed & granted:
            return None
        return {
            "ok": False,
            "error": "missing_scope",
            "needed": ",".join(sorted(needed)),
            "provided": ",".join(sorted(granted)),
        }

    def _conversation_kind(self, team: _Team, params: dict) -> str | None:
        """What the call's `channel` (or conversations.open's `users`) is: a public or
        private channel, a DM or a group DM; None when it names none we know."""
        users = params.get("users")
        if isinstance(users, str):
            users = [u for u in users.split(",") if u]
        if isinstance(users, list) and users:
            return IM if len(users) == 1 else MPIM
        channel = params.get("channel")
        if not isinstance(channel, str) or not channel:
            return None
        ch = self._channels.get((team.team_id, channel))
        if ch is not None:
            return PRIVATE if ch.is_private else PUBLIC
        if channel.startswith("D"):
            return IM
        return MPIM if channel.startswith("G") else None

    def _next_ts(self) -> str:
        """A message ts on the clock, 100 µs after the last one at least: unique and
        increasing even when the clock stands still or is set back."""
        now_us = int(self._now().timestamp()) * 1_000_000
        self._last_ts_us = max(now_us, self._last_ts_us) + 100
        secs, micros = divmod(self._last_ts_us, 1_000_000)
        return f"{secs}.{micros:06d}"

    def _resolve_channel(self, team: _Team, channel: Any) -> tuple[str | None, str | None]:
        """Map a channel/user/DM id (or #name) to a postable channel id, or an error."""
        if not isinstance(channel, str) or not channel:
            return None, "channel_not_found"
        if channel.startswith("#"):
            for (tid, _), ch in self._channels.items():
                if tid == team.team_id and ch.name == channel[1:]:
                    channel = ch.channel_id
                    break
        ch = self._channels.get((team.team_id, channel))
        if ch is not None:
            if ch.bot_member:
                return ch.channel_id, None
            # Slack hides private channels the bot is not in.
            return None, "channel_not_found" if ch.is_private else "not_in_channel"
        user_id = channel[1:] if channel.startswith("D") else channel
        if (team.team_id, user_id) in self._users:
            return "D" + user_id, None
        return None, "channel_not_found"

    def _m_auth_test(self, team: _Team, params: dict) -> dict:
        return {
            "ok": True,
            "url": f"https://{_domain(team.name)}.slack.com/",
            "team": team.name,
            "user": team.bot_name,
            "team_id": team.team_id,
            "user_id": team.bot_user_id,
            "bot_id": team.bot_id,
            "is_enterprise_install": False,
        }

    def _m_users_info(self, team: _Team, params: dict) -> dict:
        u = self._users.get((team.team_id, _str_or_none(params.get("user")) or ""))
        if u is None:
            return _err("user_not_found")
        tz = u.get("tz") or "UTC"
        try:
            now = self._now().astimezone(ZoneInfo(tz))
        except (ZoneInfoNotFoundError, ValueError):
            now = self._now().astimezone(UTC)
        offset = now.utcoffset()
        real_name = u.get("real_name") or u["name"]
        user: dict[str, Any] = {
            "id": u["id"],
            "team_id": team.team_id,
            "name": u["name"],
            "deleted": bool(u.get("deleted", False)),
            "real_name": real_name,
            "tz": tz,
            "tz_label": now.tzname() or tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_admin": bool(u.get("is_admin", False)),
            "is_owner": bool(u.get("is_owner", False)),
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": bool(u.get("is_bot", False)),
            "is_app_user": False,
            "updated": _TS_BASE,
            "profile": {
                "real_name": real_name,
                "display_name": u["name"],
                "email": u.get("email"),
            },
        }
        if u.get("is_bot"):
            user["profile"]["bot_id"] = team.bot_id if u["id"] == team.bot_user_id else None
        if _truthy(params.get("include_locale")):
            user["locale"] = u.get("locale") or "en-US"
        return {"ok": True, "user": user}

    def _m_chat_post_message(self, team: _Team, params: dict) -> dict:
        channel, error = self._resolve_channel(team, params.get("channel"))
        if error or channel is None:
            return _err(error or "channel_not_found")
        text, blocks = params.get("text"), params.get("blocks")
        if not text and not blocks and not params.get("attachments"):
            return _err("no_text")
        ts = self._next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "user": team.bot_user_id,
            "bot_id": team.bot_id,
            "team": team.team_id,
            "text": text or "",
            "ts": ts,
        }
        if blocks:
            message["blocks"] = blocks
        if params.get("attachments"):
            message["attachments"] = params["attachments"]
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        if params.get("metadata"):
            metadata = params["metadata"]
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        self._messages[(team.team_id, channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": dict(message)}

    def _m_chat_post_ephemeral(self, team: _Team, params: dict) -> dict:
        channel, error = self._resolve_channel(team, params.get("channel"))
        if error or channel is None:
            return _err(error or "channel_not_found")
        if (team.team_id, _str_or_none(params.get("user")) or "") not in self._users:
            return _err("user_not_in_channel")
        if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
            return _err("no_text")
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_update(self, team: _Team, params: dict) -> dict:
        channel, error = self._resolve_channel(team, params.get("channel"))
        if error or channel is None:
            return _err(error or "channel_not_found")
        ts = _str_or_none(params.get("ts")) or ""
        message = self._messages.get((team.team_id, channel, ts))
        if message is None:
            return _err("message_not_found")
        for key in ("text", "blocks", "attachments"):
            if key in params:
                message[key] = params[key]
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message.get("text", ""),
            "message": dict(message),
        }

    def _m_chat_delete(self, team: _Team, params: dict) -> dict:
        channel, error = self._resolve_channel(team, params.get("channel"))
        if error or channel is None:
            return _err(error or "channel_not_found")
        ts = _str_or_none(params.get("ts")) or ""
        if self._messages.pop((team.team_id, channel, ts), None) is None:
            return _err("message_not_found")
        return {"ok": True, "channel": channel, "ts": ts}

    def _new_view(self, team: _Team, view: dict, view_id: str | None = None) -> dict:
        if view_id is None:
            self._view_counter += 1
            view_id = f"V{self._view_counter:08d}"
        stored = {
            "id": view_id,
            "team_id": team.team_id,
            "state": {"values": {}},
            "hash": f"{_TS_BASE}.{self._view_counter:08d}",
            "private_metadata": "",
            "callback_id": "",
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": "A0SALESMEET",
            "bot_id": team.bot_id,
            **view,
        }
        self._views[(team.team_id, view_id)] = stored
        return dict(stored)

    def _m_views_open(self, team: _Team, params: dict) -> dict:
        if not params.get("trigger_id"):
            return _err("invalid_trigger_id")
        view = params.get("view")
        if not isinstance(view, dict):
            return _err("invalid_arguments")
        return {"ok": True, "view": self._new_view(team, view)}

    def _m_views_push(self, team: _Team, params: dict) -> dict:
        return self._m_views_open(team, params)

    def _m_views_update(self, team: _Team, params: dict) -> dict:
        view = params.get("view")
        if not isinstance(view, dict):
            return _err("invalid_arguments")
        view_id = _str_or_none(params.get("view_id"))
        if view_id is None:
            if not params.get("external_id"):
                return _err("invalid_arguments")
            view_id = next(
                (
                    vid
                    for (tid, vid), v in self._views.items()
                    if tid == team.team_id and v.get("external_id") == params["external_id"]
                ),
                None,
            )
        if view_id is None or (team.team_id, view_id) not in self._views:
            return _err("not_found")
        return {"ok": True, "view": self._new_view(team, view, view_id)}

    def _m_views_publish(self, team: _Team, params: dict) -> dict:
        user_id = _str_or_none(params.get("user_id"))
        if not user_id:
            return _err("invalid_arguments")
        if (team.team_id, user_id) not in self._users:
            return _err("user_not_found")
        view = params.get("view")
        if not isinstance(view, dict):
            return _err("invalid_arguments")
        return {"ok": True, "view": self._new_view(team, view)}

    def _m_conversations_info(self, team: _Team, params: dict) -> dict:
        channel = _str_or_none(params.get("channel")) or ""
        ch = self._channels.get((team.team_id, channel))
        if ch is not None and not (ch.is_private and not ch.bot_member):
            return {
                "ok": True,
                "channel": {
                    "id": ch.channel_id,
                    "name": ch.name,
                    "is_channel": not ch.is_private,
                    "is_group": False,
                    "is_im": False,
                    "is_private": ch.is_private,
                    "is_archived": False,
                    "is_member": ch.bot_member,
                },
            }
        if channel.startswith("D") and (team.team_id, channel[1:]) in self._users:
            return {
                "ok": True,
                "channel": {"id": channel, "is_im": True, "user": channel[1:], "is_private": True},
            }
        return _err("channel_not_found")

    def _m_conversations_open(self, team: _Team, params: dict) -> dict:
        users_param = params.get("users")
        if isinstance(users_param, list):
            users = [str(u) for u in users_param]
        else:
            users = [u for u in str(users_param or "").split(",") if u]
        if not users:
            channel = _str_or_none(params.get("channel"))
            if channel and channel.startswith("D"):
                return {"ok": True, "channel": {"id": channel}}
            return _err("users_list_not_supplied")
        for user in users:
            if (team.team_id, user) not in self._users:
                return _err("user_not_found")
        if len(users) == 1:
            return {"ok": True, "channel": {"id": "D" + users[0]}}
        return {"ok": True, "channel": {"id": "G" + "".join(sorted(users))[:10]}}


def _m_users_list(self: FakeSlack, team: _Team, params: dict) -> dict:
    """Members of the token's workspace, paginated by `cursor` and `limit` as Slack does."""
    members = []
    for (tid, user_id), _ in sorted(self._users.items()):
        if tid != team.team_id:
            continue
        info = self._m_users_info(team, {"user": user_id, "include_locale": "true"})
        members.append(info["user"])
    limit = int(params.get("limit") or 200)
    start = int(params.get("cursor") or 0)
    page = members[start : start + limit]
    following = start + limit
    next_cursor = str(following) if following < len(members) else ""
    return {"ok": True, "members": page, "response_metadata": {"next_cursor": next_cursor}}


def _m_files_get_upload_url_external(self: FakeSlack, team: _Team, params: dict) -> dict:
    """Step 1 of files_upload_v2: an upload URL and a file id for `filename` of `length` bytes."""
    filename = _str_or_none(params.get("filename"))
    try:
        length = int(params.get("length") or 0)
    except (TypeError, ValueError):
        length = 0
    if not filename or length <= 0:
        return _err("invalid_arguments")
    self._file_counter += 1
    file_id = f"F{self._file_counter:08d}"
    self._uploads[file_id] = UploadedFile(file_id, team.team_id, filename, length)
    return {"ok": True, "upload_url": f"{self._base}/upload/{file_id}", "file_id": file_id}


def _m_files_complete_upload_external(self: FakeSlack, team: _Team, params: dict) -> dict:
    """Step 3 of files_upload_v2: share the uploaded files in a conversation."""
    raw = params.get("files")
    try:
        files = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        files = None
    if not isinstance(files, list) or not files:
        return _err("invalid_arguments")
    channel_id = _str_or_none(params.get("channel_id"))
    if channel_id is None and params.get("channels"):
        channel_id = str(params["channels"]).split(",")[0]
    if channel_id is not None:
        if not _CONVERSATION_ID.match(channel_id):
            return _err("invalid_arguments")  # e.g. a user id: Slack wants the DM's D id
        channel_id, error = self._resolve_channel(team, channel_id)
        if error or channel_id is None:
            return _err(error or "channel_not_found")
    uploads = []
    for item in files:
        upload = self._uploads.get(str((item or {}).get("id")))
        if upload is None or upload.team_id != team.team_id or upload.content is None:
            return _err("file_not_found")
        if upload.completed:
            return _err("file_not_found")
        uploads.append((upload, item))
    shared = []
    for upload, item in uploads:
        upload.title = item.get("title") or upload.filename
        upload.channel_id = channel_id
        upload.initial_comment = _str_or_none(params.get("initial_comment"))
        upload.thread_ts = _str_or_none(params.get("thread_ts"))
        upload.completed = True
        shared.append(
            {
                "id": upload.file_id,
                "name": upload.filename,
                "title": upload.title,
                "size": len(upload.content or b""),
                "channels": [channel_id] if channel_id and channel_id.startswith("C") else [],
                "ims": [channel_id] if channel_id and channel_id.startswith("D") else [],
            }
        )
    return {"ok": True, "files": shared}


def _m_conversations_history(self: FakeSlack, team: _Team, params: dict) -> dict:
    """Messages in a conversation, newest first, at most `limit` (Slack: 100 by default,
    15 at most outside the Marketplace when limits are enforced); metadata only with
    include_all_metadata. It takes a conversation id (C, G, D): a user id is
    channel_not_found, as on Slack (open the DM with conversations.open first).

    `oldest`/`latest` apply when the fake has a clock; without one, ts values are
    synthetic (a fixed epoch) and every message is in range."""
    raw = params.get("channel")
    if not isinstance(raw, str) or not _CONVERSATION_ID.match(raw):
        return _err("channel_not_found")
    channel, error = self._resolve_channel(team, raw)
    if error or channel is None:
        return _err(error or "channel_not_found")
    with_metadata = _truthy(params.get("include_all_metadata"))
    oldest = _float_or(params.get("oldest"), 0.0) if self._clocked else 0.0
    latest = _float_or(params.get("latest"), float("inf")) if self._clocked else float("inf")
    found = [
        {k: v for k, v in m.items() if with_metadata or k != "metadata"}
        for (tid, ch, ts), m in sorted(self._messages.items(), key=lambda kv: kv[0][2])
        if tid == team.team_id and ch == channel and oldest <= float(ts) <= latest
    ]
    limit = max(1, min(int(_float_or(params.get("limit"), 100)), 999))
    cap = self._limits.history_limit() if self._limits is not None else None
    if cap is not None:
        limit = min(limit, cap)
    newest = list(reversed(found))
    start = int(_float_or(params.get("cursor"), 0))  # our cursors are offsets
    page = newest[start : start + limit]
    more = start + limit < len(newest)
    return {
        "ok": True,
        "messages": page,
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


_METHODS: dict[str, Callable[[FakeSlack, _Team, dict], dict]] = {
    "files.getUploadURLExternal": _m_files_get_upload_url_external,
    "files.completeUploadExternal": _m_files_complete_upload_external,
    "conversations.history": _m_conversations_history,
    "users.list": _m_users_list,
    "auth.test": FakeSlack._m_auth_test,
    "users.info": FakeSlack._m_users_info,
    "chat.postMessage": FakeSlack._m_chat_post_message,
    "chat.postEphemeral": FakeSlack._m_chat_post_ephemeral,
    "chat.update": FakeSlack._m_chat_update,
    "chat.delete": FakeSlack._m_chat_delete,
    "views.open": FakeSlack._m_views_open,
    "views.push": FakeSlack._m_views_push,
    "views.update": FakeSlack._m_views_update,
    "views.publish": FakeSlack._m_views_publish,
    "conversations.info": FakeSlack._m_conversations_info,
    "conversations.open": FakeSlack._m_conversations_open,
}


# --------------------------------------------------------------------- helpers


def _err(error: str) -> dict:
    return {"ok": False, "error": error}


def _fault_outcome(fault: _Fault) -> _Outcome:
    headers = {}
    if fault.status == 429 and fault.retry_after is not None:
        headers["Retry-After"] = str(int(fault.retry_after))
    return _Outcome(
        status=fault.status,
        body=_err(fault.error),
        headers=headers,
        delay=fault.delay,
        drop=fault.drop,
    )


def _read_body(h: BaseHTTPRequestHandler) -> bytes:
    if h.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                # Skip trailers up to the blank line.
                while h.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(h.rfile.read(size))
            h.rfile.readline()
    length = int(h.headers.get("Content-Length") or 0)
    return h.rfile.read(length) if length > 0 else b""


def _parse_params(query: str, raw: bytes, content_type: str) -> dict:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    ctype = content_type.split(";")[0].strip().lower()
    if raw:
        if ctype == "application/json":
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                body = None
            if isinstance(body, dict):
                params.update(body)
        elif ctype == "multipart/form-data":
            params.update(_parse_multipart(raw, content_type))
        else:
            params.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    for key in _JSON_PARAMS:
        value = params.get(key)
        if isinstance(value, str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(value)
    return params


def _parse_multipart(raw: bytes, content_type: str) -> dict:
    """Text fields of a multipart body; file parts are kept as bytes."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    fields: dict[str, Any] = {}
    for part in msg.iter_parts() if msg.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            fields[str(name)] = payload
        else:
            fields[str(name)] = payload.decode("utf-8", "replace")
    return fields


def _send_html(h: BaseHTTPRequestHandler, status: int, body: str) -> None:
    data = f"<!doctype html><html><body>{body}</body></html>".encode()
    try:
        h.send_response(status)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
    except OSError:
        h.close_connection = True


def _send_json(h: BaseHTTPRequestHandler, status: int, body: dict, headers: dict[str, str]) -> None:
    data = json.dumps(body).encode("utf-8")
    try:
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)
        h.wfile.flush()
    except OSError:
        # The client gave up (timeout, disconnect): nothing to answer.
        h.close_connection = True


def _basic(value: str | None) -> dict[str, str]:
    """HTTP Basic credentials as the client id and secret (how the SDK sends them)."""
    if not value or not value.lower().startswith("basic "):
        return {}
    try:
        user, _, password = base64.b64decode(value[6:].strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return {}
    return {"client_id": user, "client_secret": password}


def _bearer(value: str | None) -> str | None:
    if value and value.lower().startswith("bearer "):
        return value[len("bearer ") :].strip() or None
    return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _float_or(value: Any, default: float) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _domain(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workspace"


def _short(value: Any, limit: int = 200) -> str:
    text = json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."
