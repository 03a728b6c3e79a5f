"""`python app.py` in HTTP mode, as `make run` starts it, answering a signed command and
its health check, and logging one line per request."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from salesmeet.config import KNOWN_SETTINGS
from tests.support.requests import post, signature_headers, slash_command_body

ROOT = Path(__file__).resolve().parents[1]
# Blank in the environment, each setting wins over a `.env` beside app.py (a developer's
# real tokens). Not Slack's OAuth pair: Bolt turns OAuth on when they are merely present.
BLANK = {n: "" for n in KNOWN_SETTINGS if n not in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_http_mode_serves_slack_events(tmp_path, fake):
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        **BLANK,  # nothing from a .env beside app.py
        "SLACK_BOT_TOKEN": "xoxb-t1-test",
        "SLACK_SIGNING_SECRET": "process-secret",
        "SLACK_API_URL": fake.url,
        "SALESMEET_DB": str(tmp_path / "db" / "salesmeet.db"),
        "PORT": str(port),
        "HOST": "127.0.0.1",
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/slack/events"
        body = slash_command_body(
            team_id="T1",
            user_id="UMAYA",
            channel_id="CSALES",
            text='schedule "From the real process" tomorrow 3pm',
            response_url=fake.response_url("proc"),
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, _ = post(url, body, signature_headers("process-secret", body))
                break
            except OSError:
                assert time.monotonic() < deadline, "app.py did not start listening"
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.2)
        assert status == 200
        (response,) = fake.wait_for_response(timeout=10, where=lambda r: r.path_token == "proc")
        assert "From the real process" in json.dumps(response.body)
        # The announcement; the agenda prompt too when the real clock puts the meeting
        # less than its lead away.
        (announced,) = fake.wait_for(
            "chat.postMessage",
            timeout=10,
            where=lambda p: "scheduled meeting" in str(p.params.get("text")),
        )
        assert announced.params["channel"] == "CSALES"
        assert (tmp_path / "db" / "salesmeet.db").exists()
        # The alarm's first heartbeat runs at start, on its own thread.
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as answer:
                    health = json.loads(answer.read())
                break
            except OSError:  # 503 (HTTPError) until the heartbeat has run
                assert time.monotonic() < deadline, "/healthz never said ok"
                time.sleep(0.2)
        assert health["ok"] and health["database"] == "ok" and health["alarm"] == "holding"
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "process-secret" not in output and "xoxb-t1-test" not in output
    requests = [line for line in output.splitlines() if "salesmeet.transport: POST " in line]
    assert len(requests) == 1 and " /slack/events 200 " in requests[0]
    assert "team=T1 id=body:" in requests[0]
