"""Socket Mode keeps the promises of HTTP: a request Slack delivers twice (an event
retried with the same event_id, a command sent again) changes nothing twice, gets the
first answer, and is in the inbox before it is acknowledged.

The handler is the one `make run` uses in Socket Mode (`salesmeet.transport`), driven
with Slack's own request objects; a recording client stands in for the WebSocket."""

import json
import logging
from datetime import timedelta
from urllib.parse import parse_qsl

from slack_sdk.socket_mode.request import SocketModeRequest

from salesmeet.transport import OnceSocketModeHandler
from simulator.requests import event_body, slash_command_body
from storage.meetings import MeetingStore


class Socket:
    """What the handler sends back over the WebSocket."""

    def __init__(self) -> None:
        self.sent = []

    def send_socket_mode_response(self, response) -> None:
        self.sent.append(response)

    logger = logging.getLogger("test.socket")


def envelope(kind: str, payload: dict, envelope_id: str, retry: int | None = None):
    return SocketModeRequest(
        type=kind,
        envelope_id=envelope_id,
        payload=payload,
        retry_attempt=retry,
        retry_reason="timeout" if retry else None,
    )


def handler(slack) -> OnceSocketModeHandler:
    return OnceSocketModeHandler(slack.app, "xapp-test", slack.services.retries)


def command(slack, text: str, token: str) -> dict:
    body = slash_command_body(
        team_id="T1",
        user_id="UMAYA",
        channel_id="CSALES",
        text=text,
        response_url=slack.fake.response_url(token),
    )
    return dict(parse_qsl(body))


def test_a_command_delivered_twice_books_one_meeting_and_answers_both(slack):
    socket, once = Socket(), handler(slack)
    payload = command(slack, 'schedule "Forecast" tomorrow 3pm', "s1")
    once.handle(socket, envelope("slash_commands", payload, "env-1"))
    slack.fake.wait_for_response(where=lambda r: r.path_token == "s1")
    slack.clock.advance(timedelta(minutes=5))
    once.handle(socket, envelope("slash_commands", payload, "env-2", retry=1))
    assert [r.envelope_id for r in socket.sent] == ["env-1", "env-2"]  # both acknowledged
    assert MeetingStore(slack.database).get("T1", 1).title == "Forecast"
    assert MeetingStore(slack.database).get("T1", 2) is None
    announced = [
        c for c in slack.fake.calls_to("chat.postMessage") if "Forecast" in json.dumps(c.params)
    ]
    assert len(announced) == 1


def test_an_event_retried_with_its_event_id_is_handled_once(slack):
    socket, once = Socket(), handler(slack)
    event = {"type": "app_home_opened", "user": "UMAYA", "channel": "DMAYA", "tab": "home"}
    payload = json.loads(event_body(team_id="T1", event=event, event_id="EvSOCKET1"))
    dispatched = []
    dispatch = slack.app.dispatch
    slack.app.dispatch = lambda request: dispatched.append(request) or dispatch(request)
    once.handle(socket, envelope("events_api", payload, "env-a"))
    slack.fake.wait_for("views.publish", timeout=10)  # Bolt runs event listeners after the ack
    once.handle(socket, envelope("events_api", payload, "env-b", retry=1))
    once.handle(socket, envelope("events_api", payload, "env-c", retry=2))
    assert [r.envelope_id for r in socket.sent] == ["env-a", "env-b", "env-c"]
    assert len(dispatched) == 1  # the copies never reached a listener


def test_the_request_is_in_the_inbox_before_it_is_acknowledged(slack):
    socket, once = Socket(), handler(slack)
    seen = []
    original = socket.send_socket_mode_response

    def acknowledge(response):
        with slack.database.reading() as db:
            seen.append(db.execute("SELECT request FROM slack_requests").fetchall())
        original(response)

    socket.send_socket_mode_response = acknowledge
    payload = command(slack, "help", "s2")
    once.handle(socket, envelope("slash_commands", payload, "env-h"))
    stored = [json.loads(row[0]) for row in seen[0]]
    assert payload in stored
    answer = socket.sent[0].payload
    assert "schedule" in json.dumps(answer)  # the help text came back over the socket
