"""`python app.py` in HTTP mode, as `make run` starts it, answering a signed command."""

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.support.requests import post, signature_headers, slash_command_body

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_http_mode_serves_slack_events(tmp_path, fake):
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-t1-test",
        "SLACK_SIGNING_SECRET": "process-secret",
        "SLACK_API_URL": fake.url,
        "SALESMEET_DB": str(tmp_path / "db" / "salesmeet.db"),
        "PORT": str(port),
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
        (announced,) = fake.wait_for("chat.postMessage", timeout=10)
        assert announced.params["channel"] == "CSALES"
        assert (tmp_path / "db" / "salesmeet.db").exists()
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "process-secret" not in output and "xoxb-t1-test" not in output
