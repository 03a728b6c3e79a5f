"""The Slack simulator behaves like Slack for the real slack_sdk client and Bolt."""

from __future__ import annotations

import json
import threading
import types
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from bot.clock import ManualClock, SystemClock
from simulator import requests as slackreq
from simulator.spec import manifest_bot_scopes
from simulator.webapi import Call, FakeSlack, Response
from simulator.workspace import ACME, GLOBEX, LOCAL

TEAM = "T0SALES"
TOKEN = "xoxb-test-token"
SECRET = "s3cr3t-signing"
# Bolt checks signatures against the real time, so the builders are told it.
WALL = SystemClock()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fs:
        # users:read.email too, so users.info shows the email this file checks for.
        fs.add_team(TEAM, "Acme Sales", TOKEN, scopes=manifest_bot_scopes() | {"users:read.email"})
        fs.add_user(TEAM, "U1", "Aisha", email="aisha@example.com", is_admin=True, locale="ms-MY")
        fs.add_channel(TEAM, "C1", "sales")
        fs.add_channel(TEAM, "C2", "random", bot_member=False)
        yield fs


def client(fake: FakeSlack, **kwargs: object) -> WebClient:
    # No retries unless a test asks: a fault must surface, not be papered over.
    kwargs.setdefault("retry_handlers", [])
    return WebClient(token=TOKEN, base_url=fake.url, **kwargs)  # type: ignore[arg-type]


def test_url_shape(fake: FakeSlack) -> None:
    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.url.endswith("/api/")
    assert fake.response_url("abc") == fake.url.replace("/api/", "/response/abc")


def test_auth_test(fake: FakeSlack) -> None:
    resp = client(fake).auth_test()
    assert resp["ok"] is True
    assert resp["team_id"] == TEAM
    assert resp["team"] == "Acme Sales"
    assert resp["user_id"] == "UBOT"
    assert resp["bot_id"] == "BBOT"
    assert resp["user"] == "salesmeet"
    assert resp["url"] == "https://acme-sales.slack.com/"
    call = fake.calls_to("auth.test")[0]
    assert call.token == TOKEN
    assert call.faulted is False


def test_invalid_auth(fake: FakeSlack) -> None:
    bad = WebClient(token="xoxb-nope", base_url=fake.url, retry_handlers=[])
    with pytest.raises(SlackApiError) as exc:
        bad.auth_test()
    assert exc.value.response["error"] == "invalid_auth"
    assert fake.calls_to("auth.test")[0].token == "xoxb-nope"


def test_unknown_method(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as exc:
        client(fake).api_call("nope.nothing")
    assert exc.value.response["error"] == "unknown_method"


def test_users_info(fake: FakeSlack) -> None:
    user = client(fake).users_info(user="U1", include_locale=True)["user"]
    expected_offset = int(
        WALL.now().astimezone(ZoneInfo("Asia/Kuala_Lumpur")).utcoffset().total_seconds()
    )
    assert user["id"] == "U1"
    assert user["team_id"] == TEAM
    assert user["name"] == "Aisha"
    assert user["real_name"] == "Aisha"
    assert user["deleted"] is False
    assert user["tz"] == "Asia/Kuala_Lumpur"
    assert user["tz_offset"] == expected_offset == 8 * 3600
    assert isinstance(user["tz_label"], str)
    assert user["is_admin"] is True
    assert user["is_owner"] is False
    assert user["is_bot"] is False
    assert user["locale"] == "ms-MY"
    assert user["profile"] == {
        "real_name": "Aisha",
        "display_name": "Aisha",
        "email": "aisha@example.com",
    }


def test_users_info_locale_only_on_request_and_unknown_user(fake: FakeSlack) -> None:
    c = client(fake)
    assert "locale" not in c.users_info(user="U1")["user"]
    with pytest.raises(SlackApiError) as exc:
        c.users_info(user="U404")
    assert exc.value.response["error"] == "user_not_found"


def test_post_message_channel_errors(fake: FakeSlack) -> None:
    c = client(fake)
    with pytest.raises(SlackApiError) as exc:
        c.chat_postMessage(channel="C2", text="hi")
    assert exc.value.response["error"] == "not_in_channel"
    with pytest.raises(SlackApiError) as exc:
        c.chat_postMessage(channel="C404", text="hi")
    assert exc.value.response["error"] == "channel_not_found"
    with pytest.warns(UserWarning), pytest.raises(SlackApiError) as exc:
        c.chat_postMessage(channel="C1")
    assert exc.value.response["error"] == "no_text"
    fake.set_bot_member(TEAM, "C2", True)
    assert c.chat_postMessage(channel="C2", text="hi")["ok"] is True


def test_post_update_delete_and_dm(fake: FakeSlack) -> None:
    c = client(fake)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    first = c.chat_postMessage(channel="C1", text="hi", blocks=blocks)
    second = c.chat_postMessage(channel="C1", text="again")
    assert first["channel"] == "C1"
    assert first["message"]["user"] == "UBOT"
    assert first["message"]["blocks"] == blocks
    assert float(second["ts"]) > float(first["ts"])

    call = fake.calls_to("chat.postMessage")[0]
    assert call.params["blocks"] == blocks
    assert call.response is not None and call.response["ts"] == first["ts"]

    dm = c.chat_postMessage(channel="U1", text="psst")
    assert dm["channel"] == "DU1"

    updated = c.chat_update(channel="C1", ts=first["ts"], text="edited")
    assert (updated["channel"], updated["ts"], updated["text"]) == ("C1", first["ts"], "edited")
    assert c.chat_update(channel="U1", ts=dm["ts"], text="dm edit")["channel"] == "DU1"
    assert c.chat_delete(channel="C1", ts=first["ts"])["ok"] is True
    for method in (c.chat_update, c.chat_delete):
        with pytest.raises(SlackApiError) as exc:
            method(channel="C1", ts=first["ts"], text="gone")
        assert exc.value.response["error"] == "message_not_found"


def test_form_encoded_json_params_are_parsed(fake: FakeSlack) -> None:
    blocks = [{"type": "divider"}]
    client(fake).api_call(
        "chat.postMessage", params={"channel": "C1", "text": "x", "blocks": json.dumps(blocks)}
    )
    assert fake.wait_for("chat.postMessage")[0].params["blocks"] == blocks


def test_post_ephemeral(fake: FakeSlack) -> None:
    c = client(fake)
    assert c.chat_postEphemeral(channel="C1", user="U1", text="only you")["message_ts"]
    with pytest.raises(SlackApiError) as exc:
        c.chat_postEphemeral(channel="C2", user="U1", text="x")
    assert exc.value.response["error"] == "not_in_channel"


def test_views_and_conversations(fake: FakeSlack) -> None:
    c = client(fake)
    view = {"type": "modal", "callback_id": "cb", "title": {"type": "plain_text", "text": "T"}}
    with pytest.raises(SlackApiError) as exc:
        c.views_open(trigger_id="", view=view)
    assert exc.value.response["error"] == "invalid_trigger_id"
    opened = c.views_open(trigger_id="123.456", view=view)["view"]
    assert opened["id"].startswith("V") and opened["callback_id"] == "cb"
    assert c.views_update(view_id=opened["id"], view=view)["view"]["id"] == opened["id"]
    assert c.views_push(trigger_id="123.456", view=view)["ok"] is True
    home = {"type": "home", "blocks": []}
    assert c.views_publish(user_id="U1", view=home)["view"]["type"] == "home"

    info = c.conversations_info(channel="C2")["channel"]
    assert info == info | {"id": "C2", "name": "random", "is_private": False, "is_member": False}
    with pytest.raises(SlackApiError) as exc:
        c.conversations_info(channel="C404")
    assert exc.value.response["error"] == "channel_not_found"
    assert c.conversations_open(users="U1")["channel"]["id"] == "DU1"


def test_500_fault_then_success(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage")
    c = client(fake)
    with pytest.raises(SlackApiError) as exc:
        c.chat_postMessage(channel="C1", text="hi")
    assert exc.value.response.status_code == 500
    assert exc.value.response["error"] == "internal_error"
    assert c.chat_postMessage(channel="C1", text="hi")["ok"] is True
    calls = fake.calls_to("chat.postMessage")
    assert [call.faulted for call in calls] == [True, False]


def test_429_retry_after_is_honoured(fake: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    # Spy on the handler's sleep instead of really sleeping: fast, and proves the header is read.
    slept: list[float] = []
    monkeypatch.setattr(builtin_handlers, "time", types.SimpleNamespace(sleep=slept.append))
    monkeypatch.setattr(builtin_handlers, "random", types.SimpleNamespace(random=lambda: 0.0))
    fake.fail("chat.postMessage", status=429, retry_after=7)
    c = client(fake, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    assert c.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert slept == [7]
    calls = fake.calls_to("chat.postMessage")
    assert [call.faulted for call in calls] == [True, False]
    assert len([call for call in calls if not call.faulted]) == 1


def test_429_without_retry_surfaces_ratelimited(fake: FakeSlack) -> None:
    fake.fail("users.info", status=429)
    with pytest.raises(SlackApiError) as exc:
        client(fake).users_info(user="U1")
    assert exc.value.response.status_code == 429
    assert exc.value.response["error"] == "ratelimited"
    assert exc.value.response.headers["Retry-After"] == "1"


def test_delay_makes_client_time_out(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", delay=3.0)
    with pytest.raises(TimeoutError):
        client(fake, timeout=0.5).chat_postMessage(channel="C1", text="hi")
    assert fake.wait_for("chat.postMessage")[0].faulted is True


def test_slow_success_is_delivered_though_client_times_out(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=200, delay=3.0)
    with pytest.raises(TimeoutError):
        client(fake, timeout=0.3).chat_postMessage(channel="C1", text="hi")
    call = fake.wait_for("chat.postMessage")[0]
    assert call.faulted is False
    assert call.response is not None and call.response["ok"] is True


def test_drop_closes_connection(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", drop=True)
    with pytest.raises(ConnectionError):
        client(fake).chat_postMessage(channel="C1", text="hi")
    # slack_sdk's connection-error retry recovers from a single drop.
    fake.fail("chat.postMessage", drop=True)
    retrying = client(
        fake,
        retry_handlers=[
            ConnectionErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0))
        ],
    )
    assert retrying.chat_postMessage(channel="C1", text="hi")["ok"] is True
    calls = fake.calls_to("chat.postMessage")
    assert [call.faulted for call in calls] == [True, True, False]


def test_fault_times_and_reset(fake: FakeSlack) -> None:
    fake.fail("auth.test", times=2, error="fatal_error")
    c = client(fake)
    for _ in range(2):
        with pytest.raises(SlackApiError):
            c.auth_test()
    assert c.auth_test()["ok"] is True
    fake.fail("auth.test")
    fake.reset()
    assert fake.calls == [] and fake.responses == []
    assert c.auth_test()["ok"] is True  # fault forgotten, team kept


def test_response_url_recording(fake: FakeSlack) -> None:
    hook = WebhookClient(fake.response_url("r7"))
    resp = hook.send(text="done", response_type="ephemeral", replace_original=True)
    assert resp.status_code == 200
    assert json.loads(resp.body) == {"ok": True}
    got = fake.wait_for_response(where=lambda r: r.path_token == "r7")
    assert got[0].body["text"] == "done"
    assert got[0].body["replace_original"] is True


def test_wait_for_timeout_lists_calls(fake: FakeSlack) -> None:
    client(fake).auth_test()
    with pytest.raises(AssertionError) as exc:
        fake.wait_for("chat.postMessage", timeout=0.1)
    message = str(exc.value)
    assert "chat.postMessage" in message
    assert "auth.test" in message
    with pytest.raises(AssertionError, match="response_url"):
        fake.wait_for_response(timeout=0.05)


def test_wait_for_wakes_on_later_call(fake: FakeSlack) -> None:
    timer = threading.Timer(0.05, lambda: client(fake).chat_postMessage(channel="C1", text="x"))
    timer.start()
    try:
        calls = fake.wait_for("chat.postMessage", where=lambda call: call.params["text"] == "x")
    finally:
        timer.join()
    assert isinstance(calls[0], Call)


def test_concurrent_calls(fake: FakeSlack) -> None:
    c = client(fake)
    results: list[str] = []
    lock = threading.Lock()

    def post(i: int) -> None:
        ts = c.chat_postMessage(channel="C1", text=f"m{i}")["ts"]
        with lock:
            results.append(ts)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 40
    assert len(fake.wait_for("chat.postMessage", count=40)) == 40


def test_signature_headers_verify_and_tamper() -> None:
    body = slackreq.slash_command_body(
        team_id=TEAM, user_id="U1", channel_id="C1", text="help", response_url="http://x/r"
    )
    headers = slackreq.signature_headers(SECRET, body, WALL.epoch())
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, headers)
    assert not verifier.is_valid_request(body + "&x=1", headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    stale = slackreq.signature_headers(SECRET, body, timestamp=1_000_000)
    assert not verifier.is_valid_request(body, stale)
    event = slackreq.event_body(team_id=TEAM, event={"type": "app_home_opened", "user": "U1"})
    json_headers = slackreq.signature_headers(SECRET, event, WALL.epoch(), slackreq.JSON)
    assert json_headers["Content-Type"] == "application/json"
    assert verifier.is_valid_request(event, json_headers)


def test_post_returns_error_statuses(fake: FakeSlack) -> None:
    status, headers, text = slackreq.post(fake.url.replace("/api/", "/nowhere"), "x=1", {})
    assert status == 404
    assert json.loads(text)["ok"] is False
    assert headers["Content-Type"].startswith("application/json")


def test_bolt_app_accepts_built_requests(fake: FakeSlack) -> None:
    """Bolt verifies and routes every payload builder's output, and talks to the fake."""
    app = App(
        token=TOKEN,
        signing_secret=SECRET,
        client=WebClient(token=TOKEN, base_url=fake.url),
        process_before_response=True,
    )
    seen: list[str] = []

    @app.command("/salesmeet")
    def on_command(ack, respond, command) -> None:  # type: ignore[no-untyped-def]
        ack()
        respond(f"got {command['text']}")
        seen.append("command")

    @app.action("pick")
    def on_action(ack, body, client) -> None:  # type: ignore[no-untyped-def]
        ack()
        client.chat_update(channel=body["channel"]["id"], ts=body["message"]["ts"], text="ok")
        seen.append(f"action:{body['actions'][0]['value']}")

    @app.view("meet")
    def on_view(ack, view) -> None:  # type: ignore[no-untyped-def]
        ack()
        seen.append(f"view:{view['state']['values']['b']['a']['value']}")

    @app.event("app_home_opened")
    def on_home(event, client) -> None:  # type: ignore[no-untyped-def]
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})
        seen.append("event")

    def dispatch(body: str, content_type: str = slackreq.FORM) -> int:
        headers = slackreq.signature_headers(SECRET, body, WALL.epoch(), content_type)
        return app.dispatch(BoltRequest(body=body, headers=headers)).status

    body = slackreq.slash_command_body(
        team_id=TEAM, user_id="U1", channel_id="C1", text="plan", response_url=fake.response_url()
    )
    assert dispatch(body) == 200
    assert fake.wait_for_response()[0].body["text"] == "got plan"

    posted = WebClient(token=TOKEN, base_url=fake.url).chat_postMessage(channel="C1", text="x")
    payload = slackreq.block_actions_payload(
        team_id=TEAM,
        user_id="U1",
        channel_id="C1",
        action_id="pick",
        value="42",
        message=dict(posted["message"]),
        response_url=fake.response_url("r2"),
    )
    assert dispatch(slackreq.interaction_body(payload)) == 200
    fake.wait_for("chat.update")

    submission = slackreq.view_submission_payload(
        team_id=TEAM, user_id="U1", callback_id="meet", values={"b": {"a": {"value": "hi"}}}
    )
    assert dispatch(slackreq.interaction_body(submission)) == 200

    event = slackreq.event_body(team_id=TEAM, event={"type": "app_home_opened", "user": "U1"})
    assert dispatch(event, slackreq.JSON) == 200
    fake.wait_for("views.publish")

    forged = slackreq.signature_headers("wrong", body, WALL.epoch())
    assert app.dispatch(BoltRequest(body=body, headers=forged)).status == 401
    assert seen == ["command", "action:42", "view:hi", "event"]


def test_files_upload_v2_to_a_dm(fake: FakeSlack) -> None:
    c = client(fake)
    dm = c.chat_postMessage(channel="U1", text="your file follows")["channel"]
    done = c.files_upload_v2(
        channel=dm, content="BEGIN:VCALENDAR\r\n", filename="a.ics", title="Calendar"
    )
    assert done["file"]["name"] == "a.ics" and done["file"]["ims"] == [dm]
    (shared,) = fake.files(channel="DU1")
    assert shared.text == "BEGIN:VCALENDAR\r\n" and shared.title == "Calendar"
    assert shared.filename == "a.ics" and shared.team_id == TEAM
    assert [c.method for c in fake.calls][-3:] == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]


def test_files_upload_v2_refuses_user_ids_and_channels_without_the_bot(fake: FakeSlack) -> None:
    c = client(fake)
    with pytest.raises(SlackApiError) as exc:
        c.files_upload_v2(channel="U1", content="x", filename="a.txt")
    assert exc.value.response["error"] == "invalid_arguments"
    with pytest.raises(SlackApiError) as exc:
        c.files_upload_v2(channel="C2", content="x", filename="a.txt")
    assert exc.value.response["error"] == "not_in_channel"
    assert fake.files() == []
    assert c.files_upload_v2(channel="C1", content="x", filename="a.txt")["ok"] is True
    assert [f.channel_id for f in fake.files()] == ["C1"]


def test_file_upload_step_can_fail(fake: FakeSlack) -> None:
    fake.fail("file_upload", status=500)
    # slack_sdk lets urllib's HTTPError (an OSError) through for the upload step.
    with pytest.raises(OSError):
        client(fake).files_upload_v2(channel="C1", content="x", filename="a.txt")
    assert fake.files() == [] and fake.calls_to("files.completeUploadExternal") == []


def test_complete_upload_needs_the_bytes_first(fake: FakeSlack) -> None:
    c = client(fake)
    url = c.files_getUploadURLExternal(filename="a.txt", length=1)
    with pytest.raises(SlackApiError) as exc:
        c.files_completeUploadExternal(
            files=[{"id": url["file_id"], "title": "a"}], channel_id="C1"
        )
    assert exc.value.response["error"] == "file_not_found"


def test_a_seeded_workspace_answers_with_its_people_and_channels() -> None:
    with FakeSlack() as fake:
        fake.add_workspace(ACME)
        c = WebClient(token=ACME.bot_token, base_url=fake.url, retry_handlers=[])
        olivia = c.users_info(user="UOLIVIA")["user"]
        assert olivia["tz"] == "Europe/London" and olivia["is_admin"] is True
        # The handle is the display name, as Slack shows it; the full name is kept too.
        assert olivia["profile"]["display_name"] == "olivia"
        assert olivia["real_name"] == "Olivia Brown"
        assert c.conversations_info(channel="CQUIET")["channel"]["is_member"] is False
        assert c.chat_postMessage(channel="CSALES", text="hi")["ok"] is True
        ravi = ACME.member("@ravi")
        assert ravi is not None and ravi.city == "Mumbai"
        assert ACME.channel("#sales") == ACME.sales and LOCAL.team_id == "TLOCAL"
        fake.add_workspace(GLOBEX)
        greg = WebClient(token=GLOBEX.bot_token, base_url=fake.url).users_info(user="UGREG")
        assert greg["user"]["is_admin"] is True
        assert [call.team_id for call in fake.calls_to("users.info")] == ["T1", "T2"]


def test_with_a_clock_messages_are_stamped_on_it_and_stay_in_order() -> None:
    clock = ManualClock(datetime(2026, 11, 23, 1, 0, tzinfo=ZoneInfo("UTC")))
    with FakeSlack(now=clock.now) as fake:
        fake.add_workspace(LOCAL)
        c = WebClient(token=LOCAL.bot_token, base_url=fake.url)
        first = c.chat_postMessage(channel="CSALES", text="a")["ts"]
        second = c.chat_postMessage(channel="CSALES", text="b")["ts"]
        assert first.startswith(f"{int(clock.now().timestamp())}.")
        clock.set(datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))  # set back: ts still grow
        third = c.chat_postMessage(channel="CSALES", text="c")["ts"]
        assert float(first) < float(second) < float(third)
        # In summer, London is an hour ahead of UTC: the offset is read on the clock.
        clock.set(datetime(2026, 7, 1, tzinfo=ZoneInfo("UTC")))
        assert c.users_info(user="UOLIVIA")["user"]["tz_offset"] == 3600


def test_take_reads_calls_and_responses_in_the_order_they_came(fake: FakeSlack) -> None:
    c = client(fake)
    c.chat_postMessage(channel="C1", text="first")
    WebhookClient(fake.response_url("r1")).send(text="answer")
    c.chat_postEphemeral(channel="C1", user="U1", text="only you")
    taken = fake.take()
    assert [e.method if isinstance(e, Call) else e.path_token for e in taken] == [
        "chat.postMessage",
        "r1",
        "chat.postEphemeral",
    ]
    assert fake.take() == []
    found = fake.wait_for_entry(lambda e: isinstance(e, Response), since=0)
    assert isinstance(found, Response) and found.body["text"] == "answer"
    with pytest.raises(AssertionError, match="waiting for"):
        fake.wait_for_entry(lambda e: isinstance(e, Response), since=2, timeout=0.05)
