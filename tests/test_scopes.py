"""Every Web API call SalesMeet makes is a real method, called with arguments Slack knows,
and allowed by the bot scopes manifest.yml and manifest.oauth.yml ask for; and every scope
they ask for is used (issue #15).

The calls are read from the source (`client.chat_postMessage(...)`, `.api_call("x.y")`);
slack_sdk's own source says which Web API methods each of its methods calls
(`files_upload_v2`: files.getUploadURLExternal, then files.completeUploadExternal). The
methods' scopes and arguments are Slack's published spec's (simulator/spec.py). The
double enforces the same scopes at run time: the last tests show a refused call and what
the person is then told.
"""

from __future__ import annotations

import ast
import inspect
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import slack_sdk.web.client
import yaml

from simulator.spec import IM, PRIVATE, PUBLIC, SPEC_PATH, WebApiSpec, load_spec
from simulator.webapi import FakeSlack
from tests.support.harness import seed, start
from tests.support.messages import text_of

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("entities", "storage", "bot", "handlers", "features", "salesmeet")
MANIFESTS = ("manifest.yml", "manifest.oauth.yml")

# Calls Bolt makes for us, not visible in our source: auth.test (a single-workspace
# token is checked at start; the OAuth flow asks which bot a new token is) and
# oauth.v2.access (the OAuth redirect trades the code for a token).
FRAMEWORK_CALLS = {"auth.test", "oauth.v2.access"}

# On which kinds of conversation the bot calls each conversations.* method: Slack wants
# the scope of that kind (channels:… public, groups:… private, im:… DM, mpim:… group DM).
CONVERSATION_KINDS = {
    # find_posted (bot/channel_posts.py): did a post whose outcome is unknown reach the
    # channel a meeting was scheduled from? A public or private channel, or the DM with
    # SalesMeet (its Messages tab is on, and /salesmeet works there).
    "conversations.history": {PUBLIC, PRIVATE, IM},
    # `/salesmeet config` (handlers/config.py): is SalesMeet in the #channel given?
    "conversations.info": {PUBLIC, PRIVATE},
    # Opening a person's DM by their user id.
    "conversations.open": {IM},
}

# Scopes a manifest asks for that no Web API call needs, and why they are there.
NOT_FOR_A_CALL = {
    "commands": "the /salesmeet slash command (features.slash_commands in the manifests)",
}


@dataclass(frozen=True)
class Site:
    """One call to Slack in our source."""

    where: str  # path:line
    sdk_method: str | None  # chat_postMessage; None for api_call("x.y")
    methods: frozenset[str]  # the Web API methods it makes
    keywords: frozenset[str]  # the keyword arguments written out
    splat: bool  # also **kwargs, whose keys the source does not show

    def __str__(self) -> str:
        return f"{self.where} ({self.sdk_method or 'api_call'})"


@cache
def sdk_methods() -> dict[str, frozenset[str]]:
    """slack_sdk's WebClient methods -> the Web API methods each one calls, read from
    slack_sdk's source: its own `api_call("x.y")`s and those of the methods it calls."""
    tree = ast.parse(inspect.getsource(slack_sdk.web.client))
    client = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "WebClient")
    direct: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for function in client.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        direct[function.name], calls[function.name] = set(), set()
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self"):
                continue
            if node.func.attr == "api_call":
                if node.args and isinstance(node.args[0], ast.Constant):
                    direct[function.name].add(node.args[0].value)
            else:
                calls[function.name].add(node.func.attr)

    def reach(name: str, seen: frozenset[str]) -> set[str]:
        found = set(direct.get(name, ()))
        for callee in calls.get(name, set()) - seen:
            found |= reach(callee, seen | {name})
        return found

    mapping = {name: frozenset(reach(name, frozenset())) for name in direct}
    return {name: methods for name, methods in mapping.items() if methods}


@cache
def call_sites() -> tuple[Site, ...]:
    """Every call to Slack's Web API in our packages."""
    methods = sdk_methods()
    sites = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                name = node.func.attr
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                keywords = frozenset(k.arg for k in node.keywords if k.arg)
                splat = any(k.arg is None for k in node.keywords)
                if name == "api_call":
                    first = node.args[0] if node.args else None
                    assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                        f"{where}: api_call with a method name the source does not show"
                    )
                    sites.append(Site(where, None, frozenset({first.value}), keywords, splat))
                elif name in methods:
                    sites.append(Site(where, name, methods[name], keywords, splat))
    return tuple(sites)


@cache
def spec() -> WebApiSpec:
    if not SPEC_PATH.is_file():
        pytest.fail(f"Slack's Web API spec is not at {SPEC_PATH}")
    return load_spec(str(SPEC_PATH))


def bot_scopes(name: str) -> set[str]:
    manifest = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    return set(manifest["oauth_config"]["scopes"]["bot"])


def called() -> dict[str, list[Site]]:
    """Web API method -> where we call it."""
    by_method: dict[str, list[Site]] = defaultdict(list)
    for site in call_sites():
        for method in site.methods:
            by_method[method].append(site)
    return by_method


def needed_scopes(method: str) -> list[frozenset[str]]:
    """What the bot's calls of `method` need: one set per kind of conversation it is
    called on (any one scope of a set will do)."""
    known = spec()[method]
    kinds = CONVERSATION_KINDS.get(method)
    if kinds is None:
        return [known.scopes] if known.scopes else []
    return [known.needed(kind) for kind in sorted(kinds)]


def test_the_source_is_read():
    """The reading finds the calls we know are there (it is not silently empty)."""
    methods = called()
    assert {"chat.postMessage", "users.info", "views.open", "conversations.history"} <= set(methods)
    assert sdk_methods()["files_upload_v2"] == {
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    }
    assert sdk_methods()["chat_postMessage"] == {"chat.postMessage"}


def test_every_method_we_call_is_a_real_web_api_method():
    unknown = [
        f"{method} ({', '.join(map(str, sites))})"
        for method, sites in called().items()
        if method not in spec()
    ]
    unknown += [m for m in FRAMEWORK_CALLS if m not in spec()]
    assert not unknown, f"not Web API methods: {unknown}"


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_every_call_is_allowed_by_the_manifests_bot_scopes(manifest):
    granted = bot_scopes(manifest)
    refused = []
    for method, sites in sorted(called().items()):
        for needed in needed_scopes(method):
            if not needed & granted:
                refused.append(
                    f"{method} needs {' or '.join(sorted(needed))} "
                    f"(called at {', '.join(map(str, sites))})"
                )
    for method in FRAMEWORK_CALLS:
        assert not spec()[method].scopes, f"{method} needs a scope now: {spec()[method].scopes}"
    assert not refused, f"{manifest} lacks scopes:\n" + "\n".join(refused)


def test_every_conversation_method_says_on_which_conversations_it_is_called():
    """A conversations.* method's scope depends on the conversation: say which kinds the
    bot calls it on in CONVERSATION_KINDS, so the right scopes are checked."""
    unclassified = [
        method
        for method in called()
        if any(spec()[method].needed(k) != spec()[method].scopes for k in (PUBLIC, IM))
        and method not in CONVERSATION_KINDS
    ]
    assert not unclassified


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_every_scope_asked_for_is_used(manifest):
    used = set(NOT_FOR_A_CALL)
    for method in called():
        for needed in needed_scopes(method):
            used |= needed
    unused = bot_scopes(manifest) - used
    assert not unused, f"{manifest} asks for scopes nothing uses: {sorted(unused)}"
    assert {"slash_commands"} <= set(
        yaml.safe_load((ROOT / manifest).read_text(encoding="utf-8"))["features"]
    ), "commands is asked for the slash command"


def test_every_argument_written_out_is_one_slack_knows_and_none_required_is_missing():
    wrong = []
    for site in call_sites():
        if len(site.methods) != 1:
            continue  # files_upload_v2 and the like: slack_sdk turns them into other calls
        (method,) = site.methods
        known = spec()[method]
        for keyword in sorted(site.keywords - known.arguments - {"token"}):
            wrong.append(f"{site}: {method} has no argument {keyword!r}")
        if not site.splat:
            for argument in sorted(known.required - site.keywords):
                wrong.append(f"{site}: {method} without its required {argument!r}")
    assert not wrong, "\n".join(wrong)


# ------------------------------------------------------------------ at run time


@pytest.fixture
def without_files_write(tmp_path):
    """SalesMeet against a Slack whose token lacks files:write (an install from before
    the scope was added)."""
    scopes = bot_scopes("manifest.yml") - {"files:write"}
    with FakeSlack(scopes=scopes) as fake:
        seed(fake)
        harness = start(tmp_path, fake)
        try:
            yield harness
        finally:
            harness.server.close()  # type: ignore[attr-defined]
            harness.close()


def test_the_double_refuses_a_call_without_its_scope_and_the_person_is_told(
    without_files_write,
):
    slack = without_files_write
    slack.ask('schedule "Deal review" tomorrow 3pm')
    answer = text_of(slack.ask("export"))
    (refused,) = slack.fake.calls_to("files.getUploadURLExternal")
    assert refused.response == {
        "ok": False,
        "error": "missing_scope",
        "needed": "files:write",
        "provided": ",".join(sorted(bot_scopes("manifest.yml") - {"files:write"})),
    }
    assert slack.fake.calls_to("files.completeUploadExternal") == []
    assert slack.fake.files() == []
    assert "files:write" in answer and "reinstall" in answer


def test_with_the_manifests_scopes_every_call_of_a_session_is_allowed(slack):
    """The same export with manifest.yml's scopes: nothing is refused for a scope."""
    slack.ask('schedule "Deal review" tomorrow 3pm with <@URAVI>')
    slack.ask("export")
    slack.ask("list")
    assert slack.fake.files(channel="DUMAYA")
    refused = [c for c in slack.fake.calls if (c.response or {}).get("error") == "missing_scope"]
    assert refused == []
