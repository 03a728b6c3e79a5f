"""A small in-process stand-in for the Slack Web API, for the local console.

SalesMeet's own WebClient talks HTTP to it (a stdlib server on 127.0.0.1, port 0), so
the app runs unchanged. It answers the methods SalesMeet calls, from the simulated
workspace, and records every post, ephemeral message, view and response_url answer
so the console can show them.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from console import workspace as ws

_JSON_PARAMS = ("blocks", "view", "attachments", "metadata", "files")


@dataclass
class Record:
    """Something the app did in Slack that a person would see (or that the console needs)."""

    method: str  # a Web API method, or "response_url", or "upload"
    params: dict
    response: dict = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    double: SlackDouble

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up is not the console's problem."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.server.double._handle(self)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the console shows what matters."""


class SlackDouble:
    """The Web API of the simulated workspace, served on localhost."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.records: list[Record] = []
        self.messages: dict[tuple[str, str], dict] = {}  # (channel, ts) -> message
        self.views: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._server: _Server | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> SlackDouble:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.double = self
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True, name="slack-double").start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base(self) -> str:
        assert self._server is not None, "start() the double first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The Web API base URL for the app's WebClient."""
        return f"{self.base}/api/"

    def response_url(self, token: str) -> str:
        return f"{self.base}/response/{token}"

    def take(self) -> list[Record]:
        """Records since the last call, oldest first."""
        with self._lock:
            taken, self.records = self.records, []
        return taken

    def next_ts(self) -> str:
        """A message timestamp, increasing, in Slack's `seconds.micros` shape."""
        n = next(self._ts)
        return f"{int(self.now().timestamp())}.{n:06d}"

    # -- HTTP --------------------------------------------------------------------------
    def _handle(self, h: _Handler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length > 0 else b""
        path = urlsplit(h.path)
        ctype = h.headers.get("Content-Type", "")
        if path.path.startswith("/api/"):
            method = path.path[len("/api/") :]
            params = _params(path.query, raw, ctype)
            with self._lock:
                body = self._call(method, params)
                self.records.append(Record(method, params, body))
        elif path.path.startswith("/response/"):
            try:
                params = json.loads(raw or b"{}")
            except ValueError:
                params = _params("", raw, ctype)
            params["_token"] = path.path[len("/response/") :]
            with self._lock:
                self.records.append(Record("response_url", params))
            body = {"ok": True}
        elif path.path.startswith("/upload/"):
            with self._lock:
                self.records.append(Record("upload", {"file": path.path[8:], "bytes": len(raw)}))
            body = {"ok": True}
        else:
            body = {"ok": False, "error": "not_found"}
        data = json.dumps(body).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    # -- methods -----------------------------------------------------------------------
    def _call(self, method: str, p: dict) -> dict:
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        return handler(p)

    def _m_auth_test(self, p: dict) -> dict:
        return {
            "ok": True,
            "url": "https://acme-sales.slack.com/",
            "team": ws.TEAM_NAME,
            "user": "salesmeet",
            "team_id": ws.TEAM_ID,
            "user_id": ws.BOT_USER_ID,
            "bot_id": ws.BOT_ID,
            "is_enterprise_install": False,
        }

    def _user(self, m: ws.Member) -> dict:
        offset = self.now().astimezone(ZoneInfo(m.tz)).utcoffset()
        return {
            "id": m.user_id,
            "team_id": ws.TEAM_ID,
            "name": m.name,
            "real_name": m.real_name,
            "deleted": False,
            "tz": m.tz,
            "tz_label": m.city,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_admin": m.is_admin,
            "is_owner": False,
            "is_bot": False,
            "locale": "en-US",
            "profile": {"real_name": m.real_name, "display_name": m.name},
        }

    def _m_users_info(self, p: dict) -> dict:
        m = ws.member(str(p.get("user") or ""))
        return {"ok": True, "user": self._user(m)} if m else _err("user_not_found")

    def _m_users_list(self, p: dict) -> dict:
        return {
            "ok": True,
            "members": [self._user(m) for m in ws.MEMBERS],
            "response_metadata": {"next_cursor": ""},
        }

    def _channel(self, value: Any) -> tuple[str | None, str | None]:
        """A postable channel id (DMs are D + user id), or Slack's error."""
        text = str(value or "")
        c = ws.channel(text) if not text.startswith(("U", "D")) else None
        if c is not None:
            return (c.channel_id, None) if c.bot_member else (None, "not_in_channel")
        m = ws.member(text[1:] if text.startswith("D") else text)
        return ("D" + m.user_id, None) if m else (None, "channel_not_found")

    def _m_chat_postMessage(self, p: dict) -> dict:
        channel, error = self._channel(p.get("channel"))
        if channel is None:
            return _err(error or "channel_not_found")
        if not (p.get("text") or p.get("blocks") or p.get("attachments")):
            return _err("no_text")
        ts = self.next_ts()
        message = {
            "type": "message",
            "user": ws.BOT_USER_ID,
            "bot_id": ws.BOT_ID,
            "ts": ts,
            **{
                k: p[k]
                for k in ("text", "blocks", "attachments", "metadata", "thread_ts")
                if k in p
            },
        }
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _m_chat_postEphemeral(self, p: dict) -> dict:
        channel, error = self._channel(p.get("channel"))
        if channel is None:
            return _err(error or "channel_not_found")
        if ws.member(str(p.get("user") or "")) is None:
            return _err("user_not_in_channel")
        return {"ok": True, "message_ts": self.next_ts()}

    def _m_chat_update(self, p: dict) -> dict:
        channel, _ = self._channel(p.get("channel"))
        message = self.messages.get((channel or "", str(p.get("ts"))))
        if message is None:
            return _err("message_not_found")
        message.update({k: p[k] for k in ("text", "blocks", "attachments") if k in p})
        return {"ok": True, "channel": channel, "ts": p.get("ts"), "message": message}

    def _m_chat_delete(self, p: dict) -> dict:
        channel, _ = self._channel(p.get("channel"))
        if self.messages.pop((channel or "", str(p.get("ts"))), None) is None:
            return _err("message_not_found")
        return {"ok": True, "channel": channel, "ts": p.get("ts")}

    def _m_conversations_open(self, p: dict) -> dict:
        raw = p.get("users") or ""
        users = [str(u) for u in raw] if isinstance(raw, list) else [u for u in raw.split(",") if u]
        if len(users) != 1 or ws.member(users[0]) is None:
            return _err("user_not_found")
        return {"ok": True, "channel": {"id": "D" + users[0]}}

    def _m_conversations_info(self, p: dict) -> dict:
        c = ws.channel(str(p.get("channel") or ""))
        if c is None:
            return _err("channel_not_found")
        return {"ok": True, "channel": {"id": c.channel_id, "name": c.name, "is_member": True}}

    def _m_conversations_history(self, p: dict) -> dict:
        channel, error = self._channel(p.get("channel"))
        found = [m for (c, _), m in sorted(self.messages.items()) if c == channel]
        if not _truthy(p.get("include_all_metadata")):
            found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
        return {"ok": True, "messages": found[::-1], "has_more": False} if channel else _err(error)

    def _new_view(self, view: dict, view_id: str | None = None) -> dict:
        view_id = view_id or f"VCONSOLE{next(self._ids):04d}"
        stored = {"id": view_id, "hash": f"h{next(self._ids)}", "private_metadata": "", **view}
        stored["state"] = {"values": {}}
        self.views[view_id] = stored
        return stored

    def _m_views_open(self, p: dict) -> dict:
        if not p.get("trigger_id") or not isinstance(p.get("view"), dict):
            return _err("invalid_arguments")
        return {"ok": True, "view": self._new_view(p["view"])}

    _m_views_push = _m_views_open

    def _m_views_update(self, p: dict) -> dict:
        view_id = p.get("view_id") or next(
            (k for k, v in self.views.items() if v.get("external_id") == p.get("external_id")),
            None,
        )
        if view_id not in self.views or not isinstance(p.get("view"), dict):
            return _err("not_found")
        return {"ok": True, "view": self._new_view(p["view"], view_id)}

    def _m_views_publish(self, p: dict) -> dict:
        if ws.member(str(p.get("user_id") or "")) is None or not isinstance(p.get("view"), dict):
            return _err("invalid_arguments")
        return {"ok": True, "view": self._new_view(p["view"])}

    def _m_files_getUploadURLExternal(self, p: dict) -> dict:
        file_id = f"FCONSOLE{next(self._ids):04d}"
        return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, p: dict) -> dict:
        return {"ok": True, "files": p.get("files") or []}


def _err(error: str | None) -> dict:
    return {"ok": False, "error": error or "invalid_arguments"}


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")


def _params(query: str, raw: bytes, content_type: str) -> dict:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if content_type.startswith("application/json"):
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        params.update(body if isinstance(body, dict) else {})
    elif not content_type.startswith("multipart/"):
        params.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    for key in _JSON_PARAMS:
        if isinstance(params.get(key), str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params
