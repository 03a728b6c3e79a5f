"""Settings: defaults, transports, and one clear line for every mistake."""

import subprocess
import sys
from pathlib import Path

import pytest

from salesmeet.config import KNOWN_SETTINGS, ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]
# Blank in the environment, each setting wins over a `.env` beside app.py (a developer's
# real tokens). Not Slack's OAuth pair: Bolt turns OAuth on when they are merely present.
BLANK = {n: "" for n in KNOWN_SETTINGS if n not in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")}


def load(**env):
    return load_settings(env, dotenv_path=None)


def test_defaults_with_no_tokens_mean_the_console():
    settings = load()
    assert settings.mode == "console"
    assert settings.db_path == str(ROOT / "data" / "salesmeet.db") and settings.port == 3000
    assert settings.api_url == "https://slack.com/api/"
    assert settings.host == "0.0.0.0" and settings.log_level == "INFO"
    assert not settings.port_set


def test_host_log_level_and_port():
    settings = load(HOST="127.0.0.1", LOG_LEVEL="debug", PORT="3000")
    assert settings.host == "127.0.0.1" and settings.log_level == "DEBUG"
    assert settings.port_set  # in Socket Mode, /healthz is served on it


def test_paths_are_the_project_directory_s_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / ".env").write_text("SALESMEET_DB=db/here.db\n")
    settings = load_settings({}, project_dir=project)
    assert settings.db_path == str(project / "db" / "here.db")
    assert load_settings({}, dotenv_path=None, project_dir=project).db_path == str(
        project / "data" / "salesmeet.db"
    )
    assert load(SALESMEET_DB="/abs/x.db").db_path == "/abs/x.db"
    assert load(SALESMEET_DB=":memory:").db_path == ":memory:"


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
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of DEBUG, INFO"),
        ({"SLACK_BOT_TOKN": "xoxb-1"}, "SLACK_BOT_TOKN is set: did you mean SLACK_BOT_TOKEN?"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRT": "s"},
            "SLACK_SIGNING_SECRT is set: did you mean SLACK_SIGNING_SECRET?",
        ),
        ({"SALESMEET_DB_PATH": "/x.db"}, "SALESMEET_DB_PATH is set: did you mean SALESMEET_DB?"),
        ({"SLACK_CLIENTID": "1"}, "did you mean SLACK_CLIENT_ID?"),
    ],
)
def test_mistakes_say_what_to_set(env, says):
    with pytest.raises(ConfigError) as caught:
        load(**env)
    assert says in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "env",
    [
        {"SLACK_WEBHOOK_URL": "https://hooks.slack.com/x"},  # not like any setting
        {"SALESMEET_DB": "/a.db", "SALESMEET_DB_PATH": "/b.db"},  # the real one is set
        {"SLACK_BOT_TOKN": ""},  # set to nothing
        {"PORTS": "1"},  # only SLACK_ and SALESMEET_ names are checked
        dict.fromkeys(KNOWN_SETTINGS, ""),
    ],
)
def test_look_alikes_that_are_not_typos_pass(env):
    load(**env)


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
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **BLANK, **env},
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


LOGGING_SCRIPT = """
import logging
from salesmeet.config import configure_logging

configure_logging("INFO")
log = logging.getLogger("salesmeet.check")
for n in range(2000):
    log.info("line %d of %s", n, "2000")
try:
    1 / 0
except ZeroDivisionError:
    log.exception("the last line")
log.debug("not at INFO")
"""


def test_log_lines_are_written_in_order_and_all_of_them_before_the_exit():
    """Request threads hand their lines to a writer thread: none is lost at the exit, none
    is out of order, and a traceback is written once, under its line."""
    ran = subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert ran.returncode == 0, ran.stderr
    lines = ran.stderr.splitlines()
    numbered = [line for line in lines if " INFO salesmeet.check: line " in line]
    assert [line.split(" line ")[1] for line in numbered] == [f"{n} of 2000" for n in range(2000)]
    assert "ERROR salesmeet.check: the last line" in lines[-4]
    assert lines[-1] == "ZeroDivisionError: division by zero"
    assert ran.stderr.count("Traceback") == 1
    assert "not at INFO" not in ran.stderr
