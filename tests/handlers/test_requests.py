"""Requests Slack did not sign, or signed long ago, are refused before any handler runs."""

import json

from bot.clock import SystemClock
from storage.meetings import MeetingStore
from tests.support.harness import SECRET
from tests.support.requests import post, signature_headers, slash_command_body

WALL = SystemClock()


def body(slack) -> str:
    return slash_command_body(
        team_id="T1",
        user_id="UMAYA",
        channel_id="CSALES",
        text='schedule "Sneaky" tomorrow 3pm',
        response_url=slack.fake.response_url("x"),
    )


def test_bad_signature_is_401(slack):
    request = body(slack)
    headers = signature_headers("not-the-secret", request)
    status, _, _ = post(slack.url, request, headers)
    assert status == 401
    assert slack.fake.calls_to("users.info") == []


def test_stale_timestamp_is_401(slack):
    request = body(slack)
    headers = signature_headers(SECRET, request, timestamp=int(WALL.epoch()) - 10 * 60)
    status, _, _ = post(slack.url, request, headers)
    assert status == 401


def test_tampered_body_is_401(slack):
    request = body(slack)
    headers = signature_headers(SECRET, request)
    status, _, _ = post(slack.url, request.replace("Sneaky", "Sneakier"), headers)
    assert status == 401


def test_other_paths_are_404(slack):
    request = body(slack)
    status, _, _ = post(
        slack.url.replace("/slack/events", "/"), request, signature_headers(SECRET, request)
    )
    assert status == 404


def test_a_command_with_the_word_payload_in_it_is_carried_out(slack):
    """Bolt's own parser reads any form containing "payload" as an interaction, so a
    command such as this one reached the listeners empty and went unanswered."""
    said = json.dumps(slack.ask('schedule "Demo payload review" tomorrow 3pm for 30m'))
    assert "Demo payload review" in said
    assert MeetingStore(slack.database).get("T1", 1).title == "Demo payload review"
