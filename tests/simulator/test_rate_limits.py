"""The Slack double enforces Slack's published rate limits when asked, as Slack does:
429 with Retry-After, nothing done, each one counted; and conversations.history takes
conversation ids only, capped at 15 messages outside the Marketplace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import ManualClock
from simulator.webapi import FakeSlack

TEAM, TOKEN = "T0SALES", "xoxb-test-token"
SCOPES = (
    "chat:write",
    "channels:history",
    "groups:history",
    "im:history",
    "im:write",
    "channels:read",
    "users:read",
)
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def fake(clock) -> Iterator[FakeSlack]:
    with FakeSlack(now=clock.now, scopes=SCOPES) as fs:
        fs.add_team(TEAM, "Acme Sales", TOKEN)
        fs.add_user(TEAM, "U1", "Aisha")
        fs.add_channel(TEAM, "C1", "sales")
        fs.add_channel(TEAM, "C2", "pipeline")
        yield fs


def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.url, retry_handlers=[])


def refused(call) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


def test_posts_in_one_channel_past_a_short_burst_are_answered_429_and_not_posted(fake, clock):
    fake.enforce_rate_limits(clock.monotonic)
    c = client(fake)
    for n in range(3):  # a short burst is allowed
        c.chat_postMessage(channel="C1", text=f"burst {n}")
    error = refused(lambda: c.chat_postMessage(channel="C1", text="one too many"))
    assert error.response.status_code == 429
    assert error.response["error"] == "ratelimited"
    assert error.response.headers["Retry-After"] == "1"
    c.chat_postMessage(channel="C2", text="another channel is not held up")
    clock.advance(timedelta(seconds=1))
    c.chat_postMessage(channel="C1", text="a second later")
    texts = [m["text"] for m in c.conversations_history(channel="C1")["messages"]]
    assert "one too many" not in texts and "a second later" in texts
    assert fake.ratelimited == 1
    assert [call.ratelimited for call in fake.calls_to("chat.postMessage")].count(True) == 1


def test_without_enforcement_nothing_is_limited(fake):
    c = client(fake)
    for n in range(10):
        c.chat_postMessage(channel="C1", text=f"post {n}")
    assert fake.ratelimited == 0


def test_a_method_tier_limits_calls_per_minute_per_workspace(fake, clock):
    fake.enforce_rate_limits(clock.monotonic)
    c = client(fake)
    for _ in range(50):  # conversations.open is Tier 3: 50+ a minute
        c.conversations_open(users="U1")
    error = refused(lambda: c.conversations_open(users="U1"))
    assert error.response.status_code == 429
    assert 1 <= int(error.response.headers["Retry-After"]) <= 60
    clock.advance(timedelta(seconds=60))
    assert c.conversations_open(users="U1")["channel"]["id"] == "DU1"


def test_history_takes_a_conversation_id_never_a_user_id(fake):
    c = client(fake)
    c.chat_postMessage(channel="U1", text="a DM")  # Slack opens the DM from a user id
    error = refused(lambda: c.conversations_history(channel="U1"))
    assert error.response["error"] == "channel_not_found"
    dm = c.conversations_open(users="U1")["channel"]["id"]
    assert [m["text"] for m in c.conversations_history(channel=dm)["messages"]] == ["a DM"]


def test_outside_the_marketplace_history_is_one_call_a_minute_and_15_messages(fake, clock):
    fake.enforce_rate_limits(clock.monotonic, marketplace=False)
    c = client(fake)
    for n in range(20):
        clock.advance(timedelta(seconds=1))
        c.chat_postMessage(channel="C1", text=f"post {n}")
    page = c.conversations_history(channel="C1", limit=100)
    assert len(page["messages"]) == 15 and page["has_more"] is True
    assert page["messages"][0]["text"] == "post 19"  # newest first
    error = refused(lambda: c.conversations_history(channel="C1"))
    assert error.response.status_code == 429
    assert int(error.response.headers["Retry-After"]) == 60
    clock.advance(timedelta(seconds=60))
    assert c.conversations_history(channel="C1", limit=5)["messages"][0]["text"] == "post 19"


def test_history_keeps_to_oldest_and_latest_on_a_clocked_double(fake, clock):
    c = client(fake)
    c.chat_postMessage(channel="C1", text="before")
    clock.advance(timedelta(minutes=10))
    tried = clock.now().timestamp()
    c.chat_postMessage(channel="C1", text="ours")
    clock.advance(timedelta(minutes=10))
    c.chat_postMessage(channel="C1", text="after")
    window = c.conversations_history(
        channel="C1", oldest=str(tried - 60), latest=str(tried + 300), limit=15
    )
    assert [m["text"] for m in window["messages"]] == ["ours"]
