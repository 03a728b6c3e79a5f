"""The double checks every Web API call as Slack does, against Slack's published spec:
unknown methods, missing scopes (with what was needed and what the token holds), missing
required arguments; and an OAuth install holds the scopes it asked for."""

from __future__ import annotations

import html
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from simulator.spec import (
    _OFFLINE,
    IM,
    PRIVATE,
    PUBLIC,
    SPEC_PATH,
    load_spec,
    manifest_bot_scopes,
)
from simulator.webapi import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
TEAM, TOKEN = "T0SALES", "xoxb-test-token"
MANIFEST_SCOPES = manifest_bot_scopes()


def serve(scopes=None) -> FakeSlack:
    fake = FakeSlack(scopes=scopes).start()
    fake.add_team(TEAM, "Acme Sales", TOKEN)
    fake.add_user(TEAM, "U1", "aisha", email="aisha@example.com")
    fake.add_channel(TEAM, "C1", "sales")
    fake.add_channel(TEAM, "G1", "deals", is_private=True)
    return fake


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = serve()
    yield fake
    fake.stop()


def client(fake: FakeSlack, token: str = TOKEN) -> WebClient:
    return WebClient(token=token, base_url=fake.url, retry_handlers=[])


def refused(call) -> dict:
    with pytest.raises(SlackApiError) as error:
        call()
    return dict(error.value.response.data)


# ------------------------------------------------------------------ the spec


def test_the_published_spec_is_read_with_scopes_for_bot_tokens():
    spec = load_spec(str(SPEC_PATH))
    assert len(spec) > 150
    assert spec["chat.postMessage"].scopes == {"chat:write"}  # chat:write:bot in the spec
    assert spec["chat.postMessage"].required == {"channel"}
    assert {"metadata", "blocks", "text"} <= spec["chat.postMessage"].arguments
    assert spec["conversations.info"].scopes == {
        "channels:read",
        "groups:read",
        "im:read",
        "mpim:read",
    }
    assert spec["conversations.history"].needed(IM) == {"im:history"}
    assert spec["conversations.history"].needed(PRIVATE) == {"groups:history"}
    assert spec["conversations.info"].needed(PUBLIC) == {"channels:read"}
    assert spec["chat.postMessage"].needed(IM) == {"chat:write"}
    assert spec["views.open"].scopes == frozenset() and spec["auth.test"].scopes == frozenset()
    assert "chat.postMessages" not in spec


def test_methods_newer_than_the_spec_come_from_the_table():
    spec = load_spec(str(SPEC_PATH))
    upload = spec["files.getUploadURLExternal"]
    assert not upload.documented_in_spec
    assert upload.scopes == {"files:write"} and upload.required == {"filename", "length"}
    assert spec["files.completeUploadExternal"].required == {"files"}


def test_without_the_spec_file_the_offline_table_says_what_the_spec_says():
    spec = load_spec(str(SPEC_PATH))
    offline = load_spec("/nonexistent/slack_web_openapi.json")
    for name in _OFFLINE:
        assert offline[name].scopes == spec[name].scopes, name
        assert offline[name].required == spec[name].required, name
    assert offline["files.completeUploadExternal"] == spec["files.completeUploadExternal"]


@pytest.mark.parametrize("name", ["manifest.yml", "manifest.oauth.yml"])
def test_the_manifests_bot_scopes_are_read_as_yaml_reads_them(name):
    manifest = yaml.safe_load((ROOT / name).read_text())
    assert manifest_bot_scopes(ROOT / name) == set(manifest["oauth_config"]["scopes"]["bot"])


# ------------------------------------------------------------------ the double


def test_an_unknown_method_is_refused(fake):
    c = client(fake)
    assert refused(lambda: c.api_call("chat.postMessages", json={"channel": "C1"})) == {
        "ok": False,
        "error": "unknown_method",
    }
    # A real method the double does not serve says so rather than pretending.
    answer = refused(lambda: c.api_call("reactions.add", json={"channel": "C1"}))
    assert answer["error"] == "unknown_method" and "reactions.add" in answer["warning"]


def test_a_token_holds_the_manifests_bot_scopes_by_default(fake):
    answer = client(fake).chat_postMessage(channel="C1", text="hi")
    assert answer["ok"]
    with pytest.raises(SlackApiError) as error:  # a group DM: SalesMeet reads none
        client(fake).conversations_history(channel="GMPIM1")
    assert error.value.response["needed"] == "mpim:history"
    assert set(error.value.response["provided"].split(",")) == MANIFEST_SCOPES


def test_a_call_without_its_scope_is_refused_with_needed_and_provided():
    fake = serve(scopes={"commands", "users:read"})
    try:
        answer = refused(lambda: client(fake).chat_postMessage(channel="C1", text="hi"))
        assert answer == {
            "ok": False,
            "error": "missing_scope",
            "needed": "chat:write",
            "provided": "commands,users:read",
        }
        assert fake.calls[-1].response == answer
        assert client(fake).users_info(user="U1")["ok"]  # what it holds still works
        assert client(fake).auth_test()["ok"]  # and what needs no scope
    finally:
        fake.stop()


def test_a_conversation_needs_the_scope_of_its_kind():
    """channels:history reads public channels only: a DM wants im:history, a private
    channel groups:history, whatever else the token holds."""
    fake = serve(scopes={"chat:write", "channels:history"})
    try:
        c = client(fake)
        assert c.conversations_history(channel="C1")["ok"]
        assert refused(lambda: c.conversations_history(channel="DU1"))["needed"] == "im:history"
        assert refused(lambda: c.conversations_history(channel="G1"))["needed"] == (
            "groups:history"
        )
        assert refused(lambda: c.conversations_info(channel="C1"))["needed"] == "channels:read"
    finally:
        fake.stop()


def test_another_workspace_can_hold_other_scopes(fake):
    fake.add_team("T2", "Globex", "xoxb-t2", scopes={"commands"})
    fake.add_channel("T2", "C1", "sales")
    answer = refused(lambda: client(fake, "xoxb-t2").chat_postMessage(channel="C1", text="x"))
    assert answer["error"] == "missing_scope" and answer["provided"] == "commands"
    assert client(fake).chat_postMessage(channel="C1", text="x")["ok"]


def test_a_missing_required_argument_is_refused_as_slack_does(fake):
    c = client(fake)
    # The method's own error when the spec lists one, else invalid_arguments.
    assert refused(lambda: c.api_call("chat.postMessage", json={"text": "hi"})) == {
        "ok": False,
        "error": "channel_not_found",
    }
    assert refused(lambda: c.api_call("users.info", params={}))["error"] == "user_not_found"
    answer = refused(lambda: c.api_call("views.open", json={"view": {"type": "modal"}}))
    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"] == ["[ERROR] missing required field: trigger_id"]
    answer = refused(lambda: c.api_call("files.getUploadURLExternal", params={"length": 3}))
    assert answer["error"] == "invalid_arguments"


def test_emails_are_shown_only_with_users_read_email(fake):
    profile = client(fake).users_info(user="U1")["user"]["profile"]
    assert "email" not in profile
    with_email = serve(scopes=MANIFEST_SCOPES | {"users:read.email"})
    try:
        assert client(with_email).users_info(user="U1")["user"]["profile"]["email"] == (
            "aisha@example.com"
        )
    finally:
        with_email.stop()


# ------------------------------------------------------------------ OAuth


def install(fake: FakeSlack, scopes: str) -> dict:
    """Add to Slack with these scopes, Allow, and trade the code as Bolt does."""
    fake.add_oauth_app("CID", "SECRET", rotation=True)
    fake.sign_in(TEAM, "U1")
    query = urlencode(
        {"client_id": "CID", "scope": scopes, "redirect_uri": "https://x.test/r", "state": "s"}
    )
    with urllib.request.urlopen(f"{fake.authorize_url}?{query}") as page:
        body = page.read().decode()
    allow = html.unescape(re.search(r'id="allow" href="([^"]+)"', body).group(1))
    code = parse_qs(urlsplit(allow).query)["code"][0]
    return (
        WebClient(base_url=fake.url)
        .oauth_v2_access(
            client_id="CID", client_secret="SECRET", code=code, redirect_uri="https://x.test/r"
        )
        .data
    )


def test_an_install_holds_the_scopes_it_asked_for(fake):
    answer = install(fake, "commands,chat:write")
    assert answer["scope"] == "commands,chat:write"
    token = answer["access_token"]
    assert client(fake, token).chat_postMessage(channel="C1", text="hi")["ok"]
    refusal = refused(lambda: client(fake, token).users_info(user="U1"))
    assert refusal["needed"] == "users:read" and refusal["provided"] == "chat:write,commands"
    # A rotated token keeps them.
    rotated = WebClient(base_url=fake.url).oauth_v2_access(
        client_id="CID",
        client_secret="SECRET",
        grant_type="refresh_token",
        refresh_token=answer["refresh_token"],
    )
    assert set(rotated["scope"].split(",")) == {"commands", "chat:write"}
    assert refused(lambda: client(fake, rotated["access_token"]).users_info(user="U1"))


def test_an_install_with_the_manifests_scopes_can_make_every_call_salesmeet_makes(fake):
    answer = install(fake, ",".join(sorted(MANIFEST_SCOPES)))
    c = client(fake, answer["access_token"])
    assert c.users_info(user="U1")["ok"] and c.conversations_info(channel="G1")["ok"]
    assert c.conversations_history(channel="DU1")["ok"]
