"""The ack goes back to Slack when the listener acks, and the work after it goes on."""

from __future__ import annotations

import threading

from slack_bolt import App, BoltRequest
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.listener import thread_runner
from slack_sdk import WebClient

from handlers.ack_wait import AckFirstExecutor, AckSignal, expect_ack


def bolt_app() -> App:
    app = App(
        client=WebClient(base_url="http://127.0.0.1:9/"),  # never called
        signing_secret="secret",
        request_verification_enabled=False,
        authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="x"),
        listener_executor=AckFirstExecutor(4),
    )

    def signal_ack(context, body, next) -> None:  # what handlers/context.py does
        ack = AckSignal()
        context["ack"] = ack
        expect_ack(ack, inline="command" in body)
        next()

    app.middleware(signal_ack)
    return app


def click(action_id: str) -> BoltRequest:
    body = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "actions": [{"action_id": action_id, "type": "button", "value": "1"}],
    }
    return BoltRequest(body=body, mode="socket_mode")


def dispatch_in_background(app: App, request: BoltRequest) -> tuple[threading.Thread, dict]:
    answer: dict = {}
    thread = threading.Thread(target=lambda: answer.update(response=app.dispatch(request)))
    thread.start()
    return thread, answer


def test_the_answer_goes_once_the_listener_acks_while_its_work_goes_on(monkeypatch):
    app = bolt_app()
    gate, finished = threading.Event(), threading.Event()
    # Bolt's own wait is a 10 ms sleep at a time in the request's thread: never needed.
    naps: list[float] = []
    real_sleep = thread_runner.time.sleep

    def nap(seconds: float) -> None:
        if threading.current_thread() is thread:
            naps.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(thread_runner.time, "sleep", nap)

    @app.action("slow")
    def slow(ack) -> None:
        ack()
        gate.wait(10)  # the work after the ack, still running when Slack is answered
        finished.set()

    thread, answer = dispatch_in_background(app, click("slow"))
    thread.join(10)
    assert not thread.is_alive() and answer["response"].status == 200
    assert not finished.is_set()
    assert naps == []
    gate.set()
    assert finished.wait(10)


def test_a_listener_that_returns_without_acking_releases_the_request():
    app = bolt_app()
    gate = threading.Event()

    @app.action("silent")
    def silent() -> None:
        gate.wait(10)  # never acks

    thread, answer = dispatch_in_background(app, click("silent"))
    thread.join(0.3)
    assert thread.is_alive()  # waiting for the listener, not answered yet
    gate.set()
    thread.join(10)
    assert not thread.is_alive() and "response" in answer  # released when it returned


def test_a_slash_commands_listener_runs_in_the_requests_own_thread():
    app = bolt_app()
    ran_in: list[int] = []

    @app.command("/salesmeet")
    def command(ack) -> None:
        ran_in.append(threading.get_ident())
        ack(text="Scheduled")

    body = {
        "command": "/salesmeet",
        "text": "help",
        "team_id": "T1",
        "user_id": "U1",
        "channel_id": "C1",
    }
    response = app.dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert response.status == 200 and "Scheduled" in response.body
    assert ran_in == [threading.get_ident()]
