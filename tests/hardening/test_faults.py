"""Slack misbehaving: 429 with Retry-After, 500s, timeouts and dropped connections.

Whatever Slack does, no meeting is lost or made twice, and no post is lost or doubled:
announcements when a meeting is scheduled, and timed posts (reminders) later.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from slack_sdk.http_retry.handler import default_interval_calculator

from simulator.spec import manifest_bot_scopes
from simulator.webapi import FakeSlack
from simulator.workspace import ACME
from storage.meetings import MeetingStore
from tests.support.harness import seed, start


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    """slack_sdk waits 0.5 s, 1 s, … between its retries; the same retries, without the wait
    (429 still waits its Retry-After)."""
    monkeypatch.setattr(default_interval_calculator, "calculate_sleep_duration", lambda n: 0.01)


def text_of(params: dict) -> str:
    return json.dumps([params.get("text"), params.get("blocks")], ensure_ascii=False)


def announcements(slack, title: str) -> list[dict]:
    return [
        p
        for p in slack.posts("CSALES")
        if "scheduled meeting" in text_of(p) and title in text_of(p)
    ]


def reminders(slack) -> Counter:
    """How many times each meeting's reminder reached the channel, by title."""
    found: Counter = Counter()
    for post in slack.posts("CSALES"):
        shown = text_of(post)
        if ":alarm_clock:" in shown:
            found[shown.split("*")[1].split(" ", 1)[1]] += 1
    return found


def reminder_states(slack) -> Counter:
    with slack.database.reading() as db:
        rows = db.execute(
            "SELECT state FROM deliveries WHERE team_id = 'T1' AND kind = 'reminder'"
        ).fetchall()
    return Counter(state for (state,) in rows)


def meetings(slack) -> list[str]:
    store = MeetingStore(slack.database)
    titles = []
    number = 1
    while (meeting := store.get("T1", number)) is not None:
        titles.append(meeting.title)
        number += 1
    return titles


@pytest.mark.parametrize(
    ("fault", "times"),
    [
        ({"status": 429, "retry_after": 1}, 1),
        ({"status": 500}, 2),  # slack_sdk retries twice
        ({"status": 503, "error": "service_unavailable"}, 1),
        ({"drop": True}, 2),  # the connection drops before Slack handles the post
    ],
    ids=["429", "500-twice", "503", "dropped"],
)
def test_the_announcement_goes_out_once_through_passing_faults(slack, fault, times):
    slack.fake.fail("chat.postMessage", times=times, **fault)
    answer = text_of(slack.ask('schedule "Forecast" tomorrow 3pm'))
    assert "Scheduled meeting #1" in answer and "didn't accept my post" not in answer
    # Twice dropped, the post is looked for in the channel before each resend; history
    # is read once a minute (Slack's limit outside the Marketplace), so the third try
    # may be left to the alarm (its retry, 5 minutes later).
    slack.advance(timedelta(minutes=5))
    assert len(announcements(slack, "Forecast")) == 1
    assert meetings(slack) == ["Forecast"]


def test_slack_refusing_for_good_keeps_the_meeting_and_says_so(slack):
    slack.fake.fail("chat.postMessage", status=500, times=3)
    answer = text_of(slack.ask('schedule "Forecast" tomorrow 3pm'))
    assert "Scheduled meeting #1" in answer and "didn't accept my post" in answer
    assert announcements(slack, "Forecast") == [] and meetings(slack) == ["Forecast"]
    # Its timed posts still go out, once.
    slack.advance(timedelta(hours=6))
    slack.advance(timedelta(hours=24))
    assert reminders(slack) == {"Forecast": 1}


def test_a_timeout_after_slack_posted_the_announcement_does_not_post_it_again(slack):
    slack.app.client.timeout = 1
    slack.fake.fail("chat.postMessage", status=200, delay=2)  # posted, answered too late
    slack.ask('schedule "Forecast" tomorrow 3pm')
    assert len(announcements(slack, "Forecast")) == 1
    assert meetings(slack) == ["Forecast"]


def test_a_lost_confirmation_and_the_users_retry_make_one_meeting(slack):
    slack.fake.fail("response_url", status=500)  # the user never sees the confirmation
    reply = slack.command('schedule "Forecast" tomorrow 3pm')
    assert reply.status == 200
    slack.followup(reply)  # the (failed) attempt to answer
    again = text_of(slack.ask('schedule "Forecast" tomorrow 3pm'))
    assert "You already scheduled this a moment ago" in again
    assert meetings(slack) == ["Forecast"] and len(announcements(slack, "Forecast")) == 1


def test_when_slack_cannot_say_who_you_are_nothing_is_booked_and_a_retry_books_once(slack):
    slack.fake.fail("users.info", status=500, times=3)
    first = text_of(slack.ask('schedule "Forecast" tomorrow 3pm'))
    assert "couldn't reach Slack" in first and meetings(slack) == []
    second = text_of(slack.ask('schedule "Forecast" tomorrow 3pm'))
    assert "Scheduled meeting #1" in second and meetings(slack) == ["Forecast"]


def test_every_reminder_goes_out_exactly_once_through_every_kind_of_fault(slack):
    slack.app.client.timeout = 1
    titles = [f"Call {i}" for i in range(8)]
    for i, title in enumerate(titles):
        slack.ask(f'schedule "{title}" in {5 + i} minutes')  # reminders due at once
    assert meetings(slack) == titles
    fake = slack.fake
    fake.fail("chat.postMessage", status=429, retry_after=1)
    fake.fail("chat.postMessage", status=500, times=3)  # beyond slack_sdk's retries
    fake.fail("chat.postMessage", drop=True)
    fake.fail("chat.postMessage", status=200, delay=2)  # Slack posts; the client times out
    fake.fail("chat.postMessage", status=502, error="bad_gateway", times=3)
    slack.deliver()
    for _ in range(20):
        slack.advance(timedelta(minutes=1))
    seen = reminders(slack)
    states = reminder_states(slack)
    assert set(seen) == set(titles), seen
    assert states == {"sent": len(titles)}, states
    doubled = {t: n for t, n in seen.items() if n > 1}
    assert doubled == {}, doubled


def test_a_timed_out_reminder_whose_channel_cannot_be_read_now_is_checked_again(slack):
    """After a timeout SalesMeet checks the channel before resending; when Slack cannot
    answer the check, the post is held and checked again later: never lost, never twice."""
    slack.app.client.timeout = 1
    slack.ask('schedule "Forecast" in 10 minutes')
    slack.fake.fail("chat.postMessage", status=200, delay=2)  # posted; the client gave up
    slack.fake.fail("conversations.history", status=500, times=3)
    slack.deliver()
    slack.advance(timedelta(minutes=1))  # the check fails: held, uncertain
    assert reminder_states(slack) == {"pending": 1}
    slack.advance(timedelta(minutes=1))  # checked again: it is there
    assert reminders(slack)["Forecast"] == 1
    assert reminder_states(slack) == {"sent": 1}


def test_a_post_whose_history_cannot_be_read_at_all_is_sent_again_rather_than_lost(slack):
    """Without the scope to read history the check can never answer: rather twice than
    not at all (README, "A timeout is not a failure")."""
    slack.app.client.timeout = 1
    slack.ask('schedule "Forecast" in 10 minutes')
    slack.fake.fail("chat.postMessage", status=200, delay=2)
    no_history = manifest_bot_scopes() - {"channels:history", "groups:history"}
    slack.fake.add_workspace(ACME, scopes=no_history)
    slack.deliver()
    slack.advance(timedelta(minutes=1))
    assert 1 <= reminders(slack)["Forecast"] <= 2
    assert reminder_states(slack) == {"sent": 1}


class PostThenDrop(FakeSlack):
    """A fault FakeSlack lacks: Slack handles the request, then the connection drops
    before the answer arrives (a reset on the way back)."""

    def __init__(self) -> None:
        super().__init__()
        self.drop_after: Counter = Counter()

    def _api(self, h, method, query, raw):
        outcome = super()._api(h, method, query, raw)
        with self._lock:
            if self.drop_after[method] > 0:
                self.drop_after[method] -= 1
                outcome.drop = True
        return outcome


@pytest.fixture
def dropping(tmp_path):
    with PostThenDrop() as fake:
        seed(fake)
        harness = start(tmp_path, fake)
        try:
            yield harness
        finally:
            harness.server.close()  # type: ignore[attr-defined]
            harness.close()


def test_a_connection_dropped_after_slack_posted_the_announcement_posts_it_once(dropping):
    dropping.fake.drop_after["chat.postMessage"] = 1
    dropping.ask('schedule "Forecast" tomorrow 3pm')
    assert len(announcements(dropping, "Forecast")) == 1


def test_a_connection_dropped_after_slack_posted_a_reminder_posts_it_once(dropping):
    dropping.ask('schedule "Forecast" in 10 minutes')
    dropping.fake.drop_after["chat.postMessage"] = 1
    dropping.deliver()
    dropping.advance(timedelta(minutes=5))
    assert reminders(dropping) == {"Forecast": 1}
