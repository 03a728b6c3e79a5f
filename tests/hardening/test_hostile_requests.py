"""Hostile and malformed requests to a real `python app.py` process over HTTP.

The signature is checked on the raw bytes before anything parses the body, so an unsigned
or stale request is a 401 with no traceback; a signed request that is not the shape Slack
sends is a 400. None of them is ever a 500, and the log has no traceback.
"""

import hashlib
import hmac
import http.client
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.clock import SystemClock
from simulator.webapi import FakeSlack
from tests.support.harness import seed

ROOT = Path(__file__).resolve().parents[2]
SECRET = "hostile-secret"
WALL = SystemClock()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One app.py process for the whole module: these requests must not hurt it."""
    tmp = tmp_path_factory.mktemp("hostile")
    with FakeSlack() as fake:
        seed(fake)
        port = free_port()
        env = {
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": "xoxb-t1-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.url,
            "SALESMEET_DB": str(tmp / "salesmeet.db"),
            "PORT": str(port),
        }
        log = open(tmp / "app.log", "w+")  # noqa: SIM115 (read back after the module)
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], env=env, cwd=tmp, stdout=log, stderr=log
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "no app.py"
                time.sleep(0.2)
        yield port, fake, log
        process.terminate()
        process.wait(timeout=10)
        log.close()


def send(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/slack/events", body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, text


def signed(body: bytes, content_type: str = "application/x-www-form-urlencoded", ts=None):
    ts = str(int(WALL.epoch())) if ts is None else ts
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


def form(**fields: str) -> bytes:
    return "&".join(f"{k}={quote(v)}" for k, v in fields.items()).encode()


def command(**overrides: str) -> bytes:
    fields = {
        "command": "/salesmeet",
        "text": "help",
        "team_id": "T1",
        "user_id": "UMAYA",
        "channel_id": "CSALES",
        "response_url": "http://127.0.0.1:1/never",
        "trigger_id": "1.2.3",
    }
    fields.update(overrides)
    return form(**{k: v for k, v in fields.items() if v is not None})


UNSIGNED = [
    ("JSON-looking body", b'{"type": "event_callback"'),
    ("payload with bad JSON", b"payload=%7Bnot-json"),
    ("invalid UTF-8", b"command=%2Fsalesmeet&text=\xff\xfe"),
    ("a fine command", command()),
]


@pytest.mark.parametrize(("case", "body"), UNSIGNED, ids=[c for c, _ in UNSIGNED])
def test_unsigned_requests_are_401_whatever_the_body(server, case, body):
    port, _, _ = server
    status, _ = send(port, body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 401


def test_a_stale_or_non_numeric_timestamp_is_401(server):
    port, _, _ = server
    body = command()
    assert send(port, body, signed(body, ts=str(int(WALL.epoch()) - 600)))[0] == 401
    assert send(port, body, signed(body, ts="soon"))[0] == 401
    forged = {**signed(body), "X-Slack-Signature": "v0=" + "0" * 64}
    assert send(port, body, forged)[0] == 401


SIGNED_MALFORMED = [
    ("JSON-looking body", b'{"type": "event_callback"', "application/json"),
    ("JSON that is a list", b'[{"type": "event_callback"}]', "application/json"),
    ("payload with bad JSON", b"payload=%7Bnot-json", None),
    ("payload that is a list", form(payload="[1, 2]"), None),
    ("payload that is a string", form(payload='"hello"'), None),
    ("invalid UTF-8", b"command=%2Fsalesmeet&text=\xff\xfe", None),
    ("a command without team_id", command(team_id=None), None),
    ("a command without user_id", command(user_id=None), None),
    ("a form of nothing Slack sends", form(hello="world"), None),
]


@pytest.mark.parametrize(
    ("case", "body", "content_type"), SIGNED_MALFORMED, ids=[c for c, _, _ in SIGNED_MALFORMED]
)
def test_signed_but_malformed_requests_are_400(server, case, body, content_type):
    port, _, _ = server
    headers = signed(body, content_type or "application/x-www-form-urlencoded")
    status, text = send(port, body, headers)
    assert status == 400, text


def test_a_json_content_type_on_a_form_body_is_read_as_the_form_it_is(server):
    port, _, _ = server
    body = command(text="help")
    status, text = send(port, body, signed(body, "application/json"))
    assert status == 200
    assert "SalesMeet" in json.loads(text)["text"]


def test_the_log_has_no_traceback_after_all_of_that(server):
    port, _, log = server
    body = command(text="help")
    assert send(port, body, signed(body))[0] == 200  # still serving
    log.flush()
    log.seek(0)
    written = log.read()
    assert "Traceback" not in written
    assert SECRET not in written and "xoxb-t1-test" not in written
