"""Slack's published Web API spec, as the double checks calls against it.

`load_spec()` reads Slack's OpenAPI (v2) spec of the Web API,
``../shared/slack/slack_web_openapi_v2_without_examples.json`` beside the repository
(``SLACK_WEB_API_SPEC`` names another file). For each method it gives the scopes a bot
token may call it with (any one of them will do; none for `auth.test`, `views.*`) and
its arguments: the required ones and every name it knows.

The spec is older than parts of the API, so three small tables below bring it up to
date from Slack's method reference (docs.slack.dev/reference/methods/...): methods it
lacks, arguments added since, and arguments it marks optional that are required (or the
other way round). Its scopes are the classic ones (`chat:write:bot`); `_GRANULAR` maps
them to the scopes a modern app's bot token holds (`chat:write`).

`manifest_bot_scopes()` reads the bot scopes of a Slack app manifest (the repository's
`manifest.yml` by default) without a YAML library: the simulator runs in `make run`,
where only the runtime dependencies are installed.

Without the spec file (a fresh clone with no ``../shared``), `load_spec()` falls back
to `_OFFLINE`, the methods the double serves as the spec describes them (without the
spec's error lists, a missing argument is then always `invalid_arguments`);
tests/simulator/test_spec.py checks that table against the spec.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT.parent / "shared" / "slack" / "slack_web_openapi_v2_without_examples.json"
MANIFEST_PATH = ROOT / "manifest.yml"

# Classic scopes in the spec -> the scope a granular bot token holds instead
# (docs.slack.dev/reference/scopes/chat.write: "chat:write replaces both chat:write:user
# and chat:write:bot"; the same for files:write; channels:write became channels:manage).
_GRANULAR = {
    "chat:write:bot": "chat:write",
    "chat:write:user": "chat:write",
    "files:write:user": "files:write",
    "channels:write": "channels:manage",
}
# The spec's "no scope needed".
_NO_SCOPE = "none"

# Methods newer than the spec, with the bot scopes and arguments their reference pages give.
_NEWER_METHODS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # name: (bot scopes (any one), required arguments, optional arguments)
    # Step 1 of files_upload_v2 (docs.slack.dev/reference/methods/files.getUploadURLExternal).
    "files.getUploadURLExternal": (
        ("files:write",),
        ("filename", "length"),
        ("alt_txt", "snippet_type"),
    ),
    # Step 3 of files_upload_v2 (docs.slack.dev/reference/methods/files.completeUploadExternal).
    "files.completeUploadExternal": (
        ("files:write",),
        ("files",),
        ("channel_id", "channels", "initial_comment", "thread_ts", "blocks"),
    ),
}

# Arguments added to methods since the spec was published (their reference pages).
_NEWER_ARGUMENTS: dict[str, tuple[str, ...]] = {
    # Message metadata (2022): posted with a message, returned by history on request.
    "chat.postMessage": ("metadata", "markdown_text"),
    "chat.update": ("metadata", "markdown_text", "reply_broadcast", "file_ids"),
    "chat.postEphemeral": ("markdown_text",),
    "conversations.history": ("include_all_metadata",),
    "conversations.open": ("prevent_creation",),
    "users.list": ("team_id",),
    # Token rotation: a refresh token instead of a code.
    "oauth.v2.access": ("grant_type", "refresh_token"),
}

# Required-ness the spec gets wrong, per the method reference: (required, no longer required).
_REQUIRED_FIXES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "users.info": (("user",), ()),
    "conversations.info": (("channel",), ()),
    "conversations.history": (("channel",), ()),
    "chat.delete": (("channel", "ts"), ()),
    # `code` is not sent when `grant_type=refresh_token`.
    "oauth.v2.access": ((), ("code",)),
}

# The methods the double serves, as the spec (with the tables above) describes them: what
# `load_spec()` uses when the spec file is absent. Checked against the spec by the tests.
_OFFLINE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name: (bot scopes (any one), required arguments)
    "auth.test": ((), ()),
    "oauth.v2.access": ((), ()),
    "users.info": (("users:read",), ("user",)),
    "users.list": (("users:read",), ()),
    "chat.postMessage": (("chat:write",), ("channel",)),
    "chat.postEphemeral": (("chat:write",), ("channel", "user")),
    "chat.update": (("chat:write",), ("channel", "ts")),
    "chat.delete": (("chat:write",), ("channel", "ts")),
    "views.open": ((), ("trigger_id", "view")),
    "views.push": ((), ("trigger_id", "view")),
    "views.update": ((), ()),
    "views.publish": ((), ("user_id", "view")),
    "conversations.info": (("channels:read", "groups:read", "im:read", "mpim:read"), ("channel",)),
    "conversations.open": (("channels:manage", "groups:write", "im:write", "mpim:write"), ()),
    "conversations.history": (
        ("channels:history", "groups:history", "im:history", "mpim:history"),
        ("channel",),
    ),
}

# Conversation kinds, and the prefix of the scope that reaches each (channels:history for
# a public channel, groups:history for a private one, im:history for a DM...).
PUBLIC, PRIVATE, IM, MPIM = "public", "private", "im", "mpim"
_KIND_PREFIX = {PUBLIC: "channels", PRIVATE: "groups", IM: "im", MPIM: "mpim"}


@dataclass(frozen=True)
class Method:
    """One Web API method: who may call it and with what."""

    name: str
    scopes: frozenset[str]  # a bot token needs one of these; empty: no scope needed
    required: frozenset[str]  # arguments besides the token that must be present
    arguments: frozenset[str]  # every argument it knows, besides the token
    documented_in_spec: bool = True  # False: from the tables above, the spec lacks it
    errors: frozenset[str] = frozenset()  # the errors the spec says it answers with

    def needed(self, kind: str | None = None) -> frozenset[str]:
        """The scopes that allow this call on a conversation of `kind` (PUBLIC, PRIVATE,
        IM, MPIM): Slack asks for the one of the family that reaches it, so
        conversations.history in a DM needs im:history whatever else the token holds."""
        if kind is None:
            return self.scopes
        prefix = _KIND_PREFIX[kind]
        narrowed = frozenset(s for s in self.scopes if s.split(":")[0] == prefix)
        return narrowed or self.scopes

    def missing(self, params: Mapping[str, object]) -> list[str]:
        """The required arguments absent from `params`, sorted."""
        return sorted(a for a in self.required if params.get(a) is None)

    def missing_argument_error(self, argument: str) -> dict:
        """Slack's answer to a call without `argument`: the method's own `<arg>_not_found`
        when it has one (chat.postMessage without a channel: channel_not_found), else
        invalid_arguments with the reason, as Slack's argument validation answers."""
        own = f"{argument}_not_found"
        if own in self.errors:
            return {"ok": False, "error": own}
        return {
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {"messages": [f"[ERROR] missing required field: {argument}"]},
        }


class WebApiSpec:
    """The Web API's methods by name (`chat.postMessage`)."""

    def __init__(self, methods: Iterable[Method]) -> None:
        self._methods = {m.name: m for m in methods}

    def __contains__(self, name: object) -> bool:
        return name in self._methods

    def __len__(self) -> int:
        return len(self._methods)

    def get(self, name: str) -> Method | None:
        return self._methods.get(name)

    def __getitem__(self, name: str) -> Method:
        return self._methods[name]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._methods)


def bot_scopes(classic: Iterable[str]) -> frozenset[str]:
    """The spec's scopes for a method as a granular bot token's scopes."""
    return frozenset(_GRANULAR.get(s, s) for s in classic if s != _NO_SCOPE)


def _with_tables(
    name: str,
    scopes: frozenset[str],
    required: set[str],
    known: set[str],
    errors: frozenset[str] = frozenset(),
) -> Method:
    known |= set(_NEWER_ARGUMENTS.get(name, ()))
    add, drop = _REQUIRED_FIXES.get(name, ((), ()))
    required = (required | set(add)) - set(drop)
    return Method(name, scopes, frozenset(required), frozenset(known | required), errors=errors)


def _errors(operation: Mapping) -> set[str]:
    """The error codes an operation's default (error) response lists."""
    schema = (operation.get("responses") or {}).get("default", {}).get("schema") or {}
    return set(((schema.get("properties") or {}).get("error") or {}).get("enum") or ())


def parse_spec(document: Mapping) -> WebApiSpec:
    """The methods of an OpenAPI v2 document of the Web API, with the tables applied."""
    methods = []
    for path, operations in document["paths"].items():
        name = path.lstrip("/")
        classic: set[str] = set()
        required: set[str] = set()
        known: set[str] = set()
        errors: set[str] = set()
        for operation in operations.values():
            errors |= _errors(operation)
            for requirement in operation.get("security") or []:
                classic.update(requirement.get("slackAuth", ()))
            for param in operation.get("parameters") or []:
                if param.get("name") == "token":
                    continue
                known.add(param["name"])
                if param.get("required"):
                    required.add(param["name"])
        methods.append(_with_tables(name, bot_scopes(classic), required, known, frozenset(errors)))
    for name, (scopes, required, optional) in _NEWER_METHODS.items():
        if f"/{name}" not in document["paths"]:
            methods.append(
                Method(
                    name,
                    frozenset(scopes),
                    frozenset(required),
                    frozenset(required + optional),
                    documented_in_spec=False,
                )
            )
    return WebApiSpec(methods)


def _offline() -> WebApiSpec:
    methods = [
        _with_tables(name, frozenset(scopes), set(required), set(required))
        for name, (scopes, required) in _OFFLINE.items()
    ]
    methods += [
        Method(n, frozenset(s), frozenset(r), frozenset(r + o), documented_in_spec=False)
        for n, (s, r, o) in _NEWER_METHODS.items()
    ]
    return WebApiSpec(methods)


@cache
def load_spec(path: str | None = None) -> WebApiSpec:
    """The Web API spec (cached); `_OFFLINE` when the file is not there."""
    spec_path = Path(path or os.environ.get("SLACK_WEB_API_SPEC") or SPEC_PATH)
    if not spec_path.is_file():
        return _offline()
    return parse_spec(json.loads(spec_path.read_text(encoding="utf-8")))


_ITEM = re.compile(r"^(\s*)-\s*([^\s#]+)")
_KEY = re.compile(r"^(\s*)([A-Za-z_][\w.-]*):\s*(#.*)?$")


def manifest_bot_scopes(path: Path | str = MANIFEST_PATH) -> frozenset[str]:
    """`oauth_config.scopes.bot` of an app manifest in YAML (block style, as ours are)."""
    stack: list[tuple[int, str]] = []
    scopes: set[str] = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        item = _ITEM.match(line)
        if item:
            if [k for _, k in stack] == ["oauth_config", "scopes", "bot"]:
                scopes.add(item.group(2).strip("'\""))
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key = _KEY.match(line)
        if key:
            stack.append((indent, key.group(2)))
    return frozenset(scopes)
