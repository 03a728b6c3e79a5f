"""Slack's retries: the same request again, at +1 s, +1 min or +5 min, with the retry
headers, changes nothing and gets the same answer."""

from datetime import timedelta
from itertools import count

import pytest

from simulator.requests import event_body, post, slash_command_body
from storage.agenda import AgendaStore
from storage.meetings import MeetingStore
from tests.support.harness import SECRET
from tests.support.requests import signature_headers

_TRIGGERS = count(1)


def command_body(slack, text: str, token: str) -> str:
    """One invocation, as Slack sends it: its own trigger_id and response_url."""
    return slash_command_body(
        team_id="T1",
        user_id="UMAYA",
        channel_id="CSALES",
        text=text,
        trigger_id=f"retry.{next(_TRIGGERS)}",
        response_url=slack.fake.response_url(token),
    )


def send(slack, body: str, content_type: str = "application/x-www-form-urlencoded", **extra):
    headers = {**signature_headers(SECRET, body, content_type=content_type), **extra}
    status, _, text = post(slack.url, body, headers)
    return status, text


def resend(slack, body: str, attempt: int, later: timedelta, **kw):
    """Slack's resend: the same body, signed again, with the retry headers."""
    slack.clock.advance(later)
    retry = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"}
    return send(slack, body, **kw, **retry)


def answered(slack, token: str):
    return slack.fake.wait_for_response(timeout=5, where=lambda r: r.path_token == token)


@pytest.fixture
def booked(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm with <@URAVI>')
    slack.deliver()
    return slack


def test_a_retried_agenda_add_adds_the_item_once(booked):
    body = command_body(booked, "agenda #1 add Top deals at risk", "agenda-add")
    first = send(booked, body)
    assert first[0] == 200
    answered(booked, "agenda-add")
    for attempt, later in enumerate((timedelta(seconds=1), timedelta(minutes=1)), start=1):
        assert resend(booked, body, attempt, later) == first
    meeting = MeetingStore(booked.database).get("T1", 1)
    key = meeting.next_occurrence(booked.clock.now()).key
    assert [i.text for i in AgendaStore(booked.database).items("T1", meeting.id, key)] == [
        "Top deals at risk"
    ]


def test_a_retried_move_posts_one_notice(booked):
    body = command_body(booked, "move #1 tomorrow 4pm", "move")
    send(booked, body)
    answered(booked, "move")
    resend(booked, body, 1, timedelta(seconds=1))
    resend(booked, body, 2, timedelta(minutes=5))
    notices = [p for p in booked.posts() if "moved" in str(p).lower()]
    assert len(notices) == 1


def test_a_retried_schedule_makes_one_meeting_even_after_five_minutes(slack):
    body = command_body(slack, 'schedule "Pipeline" tomorrow 10am', "schedule")
    send(slack, body)
    answered(slack, "schedule")
    resend(slack, body, 1, timedelta(minutes=5, seconds=30))
    assert len(MeetingStore(slack.database).upcoming("T1", slack.clock.now())) == 1


def test_an_event_retried_with_its_event_id_is_handled_once(slack):
    event = {"type": "app_home_opened", "user": "UMAYA", "tab": "home"}
    body = event_body(team_id="T1", event=event, event_id="EvRetry1")
    send(slack, body, content_type="application/json")
    slack.fake.wait_for("views.publish", timeout=5)
    resend(slack, body, 1, timedelta(minutes=1), content_type="application/json")
    resend(slack, body, 2, timedelta(minutes=5), content_type="application/json")
    slack.deliver()
    assert len(slack.fake.calls_to("views.publish")) == 1
