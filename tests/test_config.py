"""Settings: defaults, transports, and one clear line for every mistake."""

import subprocess
import sys
from pathlib import Path

import pytest

from salesmeet.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def load(**env):
    return load_settings(env, dotenv_path=None)


def test_defaults_with_no_tokens_mean_the_console():
    settings = load()
    assert settings.mode == "console"
    assert settings.db_path == "data/salesmeet.db" and settings.port == 3000
    assert settings.api_url == "https://slack.com/api/"


def test_app_token_means_socket_mode_and_signing_secret_http():
    assert load(SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1").mode == "socket"
    http = load(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", PORT="8080")
    assert http.mode == "http" and http.port == 8080


def test_api_url_and_database_are_configurable():
    settings = load(SLACK_API_URL="http://127.0.0.1:9/api", SALESMEET_DB="/tmp/x.db")
    assert settings.api_url == "http://127.0.0.1:9/api/" and settings.db_path == "/tmp/x.db"


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SLACK_APP_TOKEN": "xapp-1"}, "set SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s"}, "set SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-1", "SLACK_SIGNING_SECRET": "s"}, "starts with xoxb-"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "starts with xapp-"),
        ({"PORT": "eighty"}, "PORT must be a port number"),
        ({"PORT": "70000"}, "PORT must be a port number"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL must be"),
    ],
)
def test_mistakes_say_what_to_set(env, says):
    with pytest.raises(ConfigError) as caught:
        load(**env)
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_environment_wins_over_dotenv(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_SIGNING_SECRET=s\nPORT=4000\n")
    settings = load_settings({"PORT": "5000"}, dotenv_path=dotenv)
    assert settings.bot_token == "xoxb-from-file" and settings.port == 5000


def test_secrets_stay_out_of_repr():
    settings = load(SLACK_BOT_TOKEN="xoxb-secret", SLACK_SIGNING_SECRET="hush")
    assert "xoxb-secret" not in repr(settings) and "hush" not in repr(settings)


def run_app(env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py")],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        stdin=subprocess.DEVNULL,  # no terminal, as under `make test`
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_app_with_a_bad_setting_prints_one_line_and_no_traceback(tmp_path):
    result = run_app({"SLACK_APP_TOKEN": "xapp-1"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "salesmeet: SLACK_APP_TOKEN is set: set SLACK_BOT_TOKEN (xoxb-...) too."
    ]
    assert "Traceback" not in result.stderr


def test_app_without_tokens_starts_the_console_and_says_how_to_connect(tmp_path):
    result = run_app({}, tmp_path)  # stdin closed: the console shows its banner and ends
    assert result.returncode == 0, result.stderr
    assert "SalesMeet local console" in result.stdout
    assert "SLACK_BOT_TOKEN" in result.stdout and "Traceback" not in result.stderr


def test_app_with_an_unusable_database_path_says_so(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SALESMEET_DB": str(blocker / "sub" / "x.db"),
    }
    result = run_app(env, tmp_path)
    assert result.returncode == 2
    assert "SALESMEET_DB" in result.stderr and "Traceback" not in result.stderr


def test_app_with_a_token_slack_refuses_says_so(tmp_path, fake):
    env = {
        "SLACK_BOT_TOKEN": "xoxb-not-installed",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": fake.url,
        "SALESMEET_DB": str(tmp_path / "x.db"),
    }
    result = run_app(env, tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "invalid_auth" in result.stderr
    assert "Traceback" not in result.stderr and "xoxb-not-installed" not in result.stderr


def test_socket_mode_app_needs_no_signing_secret(tmp_path, fake):
    from bot.clock import ManualClock
    from salesmeet.compose import create_app, open_database
    from tests.support.harness import START

    settings = load(
        SLACK_BOT_TOKEN="xoxb-t1-test", SLACK_APP_TOKEN="xapp-1-test", SLACK_API_URL=fake.url
    )
    app, services = create_app(settings, ManualClock(START), open_database(tmp_path / "s.db"))
    try:
        assert settings.mode == "socket"
        assert app.client.base_url == fake.url
        assert fake.calls_to("auth.test"), "Bolt checks the bot token at start"
    finally:
        services.background.shutdown()
