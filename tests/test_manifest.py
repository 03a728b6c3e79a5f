"""manifest.yml is a valid Slack app manifest, and the app handles what it declares."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from simulator.requests import JSON, event_body, slash_command_body

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_matches_slacks_published_schema(manifest):
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(manifest)


def test_manifest_declares_what_salesmeet_needs(manifest):
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/salesmeet"
    assert command["should_escape"] is True and command["usage_hint"] and command["description"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "users:read",
        "files:write",
        "channels:history",
        "groups:history",
        "im:history",
        "channels:read",
        "groups:read",
        "im:write",
    }


def test_every_declared_command_and_event_is_handled(manifest, slack):
    for command in manifest["features"]["slash_commands"]:
        body = slash_command_body(
            team_id="T1",
            user_id="UMAYA",
            channel_id="CSALES",
            text="help",
            command=command["command"],
            response_url=slack.fake.response_url(),
        )
        status, text = slack.send(body)
        assert status == 200 and json.loads(text)["response_type"] == "ephemeral"
    for event_type in manifest["settings"]["event_subscriptions"]["bot_events"]:
        event = {"type": event_type, "user": "UMAYA", "tab": "home"}
        status, _ = slack.send(event_body(team_id="T1", event=event), content_type=JSON)
        assert status == 200


def test_an_undeclared_command_is_not_handled(slack):
    body = slash_command_body(
        team_id="T1",
        user_id="UMAYA",
        channel_id="CSALES",
        text="help",
        command="/other",
        response_url=slack.fake.response_url(),
    )
    status, _ = slack.send(body)
    assert status == 404


def test_the_oauth_manifest_is_valid_and_http_only():
    """The manifest for distribution over OAuth: Slack's schema, HTTP (Marketplace apps
    may not use Socket Mode), the redirect URL SalesMeet serves, uninstall events."""
    oauth = yaml.safe_load((ROOT / "manifest.oauth.yml").read_text())
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text())).validate(oauth)
    single = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert oauth["settings"]["socket_mode_enabled"] is False
    assert oauth["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")
    assert {"app_uninstalled", "tokens_revoked"} <= set(
        oauth["settings"]["event_subscriptions"]["bot_events"]
    )
    assert oauth["oauth_config"]["scopes"] == single["oauth_config"]["scopes"]
