"""Build and sign HTTP requests exactly as Slack sends them to the app.

Slash commands and interactions are form-encoded (interactions as ``payload=<json>``),
events are JSON; every body is signed with Slack's v0 scheme. `markup` turns what a
person types into the text a Slack client sends. Nothing here reads a clock: Slack
stamps requests with its own time, so callers pass theirs (Bolt refuses a signature
stamped five minutes away from its clock).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from simulator.workspace import Workspace

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Slack's (deprecated) verification token; Bolt ignores it but Slack still sends one.
VERIFICATION_TOKEN = "vErIfIcAtIoNtOkEn"
# Slack gives every invocation (a command, a click, a submission) its own trigger_id, so
# two requests are never byte-identical unless one is a resend of the other.
_TRIGGERS = itertools.count(13345224609)


def new_trigger_id() -> str:
    return f"{next(_TRIGGERS)}.738474920.8088930838d88f008e0"


DEFAULT_APP_ID = "A0SALESMEET"
# Message timestamp used in containers when the test does not supply a message.
DEFAULT_MESSAGE_TS = "1700000000.000100"
# When a click or an event happened, unless the caller says: Bolt does not check these.
DEFAULT_ACTION_TS = "1700000000.000001"
DEFAULT_EVENT_TIME = 1_700_000_000

# Real-world urllib honours *_proxy env vars even for 127.0.0.1; tests must never leave the host.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def signature_headers(
    signing_secret: str,
    body: str,
    timestamp: float,
    content_type: str = FORM,
) -> dict[str, str]:
    """Slack's v0 request-signing headers for `body`, sent at `timestamp` (epoch seconds)."""
    ts = int(timestamp)
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


def slash_command_body(
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    text: str,
    response_url: str,
    command: str = "/salesmeet",
    trigger_id: str | None = None,
    user_name: str = "someone",
    channel_name: str = "sales",
    api_app_id: str = DEFAULT_APP_ID,
    team_domain: str = "salesteam",
    enterprise_id: str | None = None,
    is_enterprise_install: bool = False,
) -> str:
    """A form-encoded slash command body with every field Slack sends (from a workspace
    of an Enterprise Grid org: its enterprise_id, and whether the app is installed org-wide)."""
    grid = (
        {"enterprise_id": enterprise_id, "enterprise_name": "Acme Group"} if enterprise_id else {}
    )
    return urlencode(
        {
            **grid,
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": api_app_id,
            "is_enterprise_install": "true" if is_enterprise_install else "false",
            "response_url": response_url,
            "trigger_id": trigger_id or new_trigger_id(),
        }
    )


def interaction_body(payload: dict) -> str:
    """The form-encoded body Slack posts for interactivity: ``payload=<json>``."""
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})


def _team(team_id: str, team_domain: str) -> dict[str, str]:
    return {"id": team_id, "domain": team_domain}


def _user(team_id: str, user_id: str, user_name: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def block_actions_payload(
    *,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    action_id: str,
    value: str | None = None,
    block_id: str = "b",
    trigger_id: str | None = None,
    response_url: str | None = None,
    message: dict | None = None,
    view: dict | None = None,
    user_name: str = "someone",
    channel_name: str = "sales",
    team_domain: str = "salesteam",
    api_app_id: str = DEFAULT_APP_ID,
    action_ts: str = DEFAULT_ACTION_TS,
    element: dict | None = None,
    selected: dict | None = None,
    message_ts: str | None = None,
) -> dict:
    """A block_actions payload: a click on a message or (with `view`) a view.

    `element` is the button or menu as the app sent it (its type, label and value are
    echoed back, as Slack does); `selected` is a menu's choice in Slack's shape, e.g.
    ``{"selected_option": {...}}``. Without `message` the message is ephemeral: Slack
    sends only its ts (`message_ts`), never its content.
    """
    element = element or {}
    kind = element.get("type", "button")
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "type": kind}
    if kind == "button":
        action["text"] = element.get("text") or {
            "type": "plain_text",
            "text": action_id,
            "emoji": True,
        }
        if value is None:
            value = element.get("value")
        if value is not None:
            action["value"] = value
    action.update(selected or {})
    action["action_ts"] = action_ts
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": _team(team_id, team_domain),
        "user": _user(team_id, user_id, user_name),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V123")}
        payload["view"] = view
    else:
        ts = message_ts if message_ts is not None else (message or {}).get("ts", DEFAULT_MESSAGE_TS)
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": message is None,
        }
        payload["state"] = {"values": {}}
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": channel_name}
    if message is not None:
        payload["message"] = message
    if response_url is not None:
        payload["response_url"] = response_url
    payload["actions"] = [action]
    return payload


def view_submission_payload(
    *,
    team_id: str,
    user_id: str,
    callback_id: str,
    values: dict,
    private_metadata: str = "",
    view_id: str = "V123",
    hash: str = "h1",
    trigger_id: str | None = None,
    blocks: list | None = None,
    user_name: str = "someone",
    team_domain: str = "salesteam",
    api_app_id: str = DEFAULT_APP_ID,
    view: dict | None = None,
) -> dict:
    """A modal's view_submission payload; `values` is the state.values shape.

    With `view` (the modal as Slack holds it, from views.open) the submission carries
    that view, its id, hash, callback and metadata; otherwise one is made up from the
    other arguments."""
    if view is not None:
        submitted = {**view, "state": {"values": values}}
    else:
        submitted = _made_up_view(
            team_id, callback_id, values, private_metadata, view_id, hash, blocks, api_app_id
        )
    return {
        "type": "view_submission",
        "team": _team(team_id, team_domain),
        "user": _user(team_id, user_id, user_name),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or new_trigger_id(),
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def _made_up_view(
    team_id: str,
    callback_id: str,
    values: dict,
    private_metadata: str,
    view_id: str,
    hash: str,
    blocks: list | None,
    api_app_id: str,
) -> dict:
    return {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": blocks or [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values},
        "hash": hash,
        "title": {"type": "plain_text", "text": "SalesMeet", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": api_app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": "BBOT",
    }


def event_body(
    *,
    team_id: str,
    event: dict,
    api_app_id: str = DEFAULT_APP_ID,
    event_id: str | None = None,
    event_time: int = DEFAULT_EVENT_TIME,
    bot_user_id: str = "UBOT",
) -> str:
    """A JSON event_callback envelope; sign it with ``content_type=JSON``."""
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "api_app_id": api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_TRIGGERS)}",
            "event_time": event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{event_id}",
        },
        separators=(",", ":"),
    )


def post(url: str, body: str, headers: dict, timeout: float = 10.0) -> tuple[int, dict, str]:
    """POST `body` with stdlib urllib; returns (status, headers, text), even on 4xx/5xx."""
    req = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers.items()), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        with e:
            text = e.read().decode("utf-8", "replace")
        return e.code, dict(e.headers.items()), text


# What a person typed, turned into Slack's markup: the manifest asks for should_escape,
# so mentions, channels, links and emails arrive as <...> tokens. Text that is markup
# already is left alone.
_TYPED = re.compile(
    r"(?P<url>(?<![<|])https?://[^\s<>|,]+)"
    r"|(?P<email>(?<![<|:])\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)"
    r"|(?P<special>(?<![<\w])@(?:here|channel|everyone)\b)"
    r"|(?P<mention>(?<![<\w])@[\w.-]+)"
    r"|(?P<channel>(?<![\w&<])#[a-z][\w-]*)"
)


def markup(text: str, workspace: Workspace) -> str:
    """`@ravi`, `#sales`, links and emails as a Slack client sends them in a command."""

    def swap(m: re.Match) -> str:
        word = m.group(0)
        if m.group("url"):
            return f"<{word}>"
        if m.group("email"):
            return f"<mailto:{word}|{word}>"
        if m.group("special"):
            return f"<!{word[1:]}>"
        if m.group("mention"):
            who = workspace.member(word)
            return f"<@{who.user_id}|{who.name}>" if who else word
        where = workspace.channel(word)
        return f"<#{where.channel_id}|{where.name}>" if where else word

    return _TYPED.sub(swap, text)
