"""Operating SalesMeet as a service: it fails loudly at start, reports its health, logs
one line per request, and its database can be backed up while it runs."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from salesmeet.config import KNOWN_SETTINGS
from salesmeet.transport import ALARM_LATE_AFTER, Health, health_server, http_server
from simulator.workspace import ACME
from storage.db import Database
from storage.migrations import CORE_MIGRATIONS, Migration
from tests.support.harness import SECRET, START, Harness, start
from tests.support.requests import post

ROOT = Path(__file__).resolve().parents[1]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Blank in the environment, each setting wins over a `.env` beside app.py (a developer's
# real tokens). Not Slack's OAuth pair: Bolt turns OAuth on when they are merely present.
BLANK = {n: "" for n in KNOWN_SETTINGS if n not in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")}


def process_env(**env: str) -> dict[str, str]:
    """A bare environment with no settings but `env`, whatever `.env` holds."""
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **BLANK, **env}


def run_app(env: dict[str, str], cwd: Path, app: Path = ROOT / "app.py"):
    return subprocess.run(
        [sys.executable, str(app)],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,  # not a terminal: a service manager, cron, CI
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- failing loudly at start --------------------------------------------------------------


def test_no_slack_settings_and_no_terminal_exits_2_saying_what_to_set(tmp_path):
    result = run_app(process_env(), tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("salesmeet: no Slack settings: set SLACK_BOT_TOKEN")
    for named in ("SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", str(ROOT / ".env"), "make console"):
        assert named in line
    assert result.stdout == ""  # no console waiting for a person who isn't there
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("SLACK_BOT_TOKN", "SLACK_BOT_TOKEN"),
        ("SLACK_SIGNING_SECRT", "SLACK_SIGNING_SECRET"),
        ("SALESMEET_DB_PATH", "SALESMEET_DB"),
    ],
)
def test_a_misspelled_setting_is_named_with_its_spelling(tmp_path, typo, meant):
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", typo: "xoxb-secret-value"}
    env.pop(meant, None)  # the misspelling stands in for it
    result = run_app(process_env(**env), tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"salesmeet: {typo} is set: did you mean {meant}?"
    ]
    assert "xoxb-secret-value" not in result.stderr


def test_slack_out_of_reach_at_start_is_a_network_failure_not_a_refused_token(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/api/"
    env = process_env(
        SLACK_BOT_TOKEN="xoxb-unchecked",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=url,
        SALESMEET_DB=str(tmp_path / "s.db"),
    )
    result = run_app(env, tmp_path)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"salesmeet: couldn't reach Slack at {url} (SLACK_API_URL): ")
    assert "Connection refused" in last
    assert "did not accept" not in result.stderr and "Traceback" not in result.stderr
    assert "xoxb-unchecked" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "salesmeet:" in line] == [last]


def test_dotenv_and_database_are_found_beside_app_py_from_another_directory(tmp_path):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    shutil.copy(ROOT / "app.py", project / "app.py")
    url = f"http://127.0.0.1:{closed_port()}/from-dotenv/"
    (project / ".env").write_text(
        f"SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_SIGNING_SECRET=s\nSLACK_API_URL={url}\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}  # every setting from .env
    result = run_app(env, elsewhere, app=project / "app.py")
    assert result.returncode == 2
    assert f"couldn't reach Slack at {url}" in result.stderr  # .env was read
    # The default database is the project's, opened before Slack was asked.
    assert (project / "data" / "salesmeet.db").is_file()
    assert not (elsewhere / "data").exists()


# -- /healthz -----------------------------------------------------------------------------


@contextlib.contextmanager
def serving(server) -> Iterator[str]:
    def run() -> None:
        with contextlib.suppress(OSError, ValueError):
            server.run()

    threading.Thread(target=run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()


@pytest.fixture
def operated(tmp_path, fake) -> Iterator[tuple[Harness, str]]:
    """The app as app.py serves it: /slack/events and /healthz on one server."""
    harness = start(tmp_path, fake)
    health = Health(harness.database, harness.services.alarm, harness.clock)
    server = http_server(
        harness.app,
        port=0,
        host="127.0.0.1",
        signing_secret=SECRET,
        retries=harness.services.retries,
        health=health,
    )
    try:
        with serving(server) as base:
            yield harness, base
    finally:
        harness.stop()


def healthz(base: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_healthz_is_503_until_the_alarm_runs_and_again_when_it_stops(operated):
    slack, base = operated
    assert healthz(base) == (
        503,
        {"ok": False, "database": "ok", "alarm": "not started", "last_run": None},
    )
    slack.services.alarm.heartbeat()  # what the alarm's thread does every 10 seconds
    ran = START.timestamp()
    assert healthz(base) == (
        200,
        {"ok": True, "database": "ok", "alarm": "holding", "last_run": ran},
    )
    slack.clock.advance(ALARM_LATE_AFTER)
    assert healthz(base)[0] == 200
    slack.clock.advance(timedelta(seconds=1))  # over two minutes without a heartbeat
    assert healthz(base) == (
        503,
        {"ok": False, "database": "ok", "alarm": "holding", "last_run": ran},
    )
    slack.services.alarm.heartbeat()
    assert healthz(base)[0] == 200


def test_healthz_is_200_for_a_process_standing_by(operated, tmp_path, fake):
    slack, _ = operated
    slack.services.alarm.heartbeat()  # holds the scheduler lease
    second = start(tmp_path, fake)  # a second process on the same database
    try:
        second.services.alarm.heartbeat()
        with serving(
            health_server(
                Health(second.database, second.services.alarm, second.clock), 0, "127.0.0.1"
            )
        ) as base:
            status, report = healthz(base)
            assert (status, report["alarm"]) == (200, "standing by")
            with pytest.raises(urllib.error.HTTPError) as other:
                urllib.request.urlopen(base + "/slack/events", timeout=10)
            assert other.value.code == 404  # Socket Mode's server has /healthz only
    finally:
        second.stop()


def test_healthz_is_503_when_the_database_does_not_answer(operated):
    slack, base = operated
    slack.services.alarm.heartbeat()
    assert healthz(base)[0] == 200
    slack.database.close()
    status, report = healthz(base)
    assert (status, report["ok"], report["database"]) == (503, False, "unavailable")


# -- one log line per request -------------------------------------------------------------

LINE = re.compile(r"^(GET|POST) (\S+) (\d{3}) \d+ms team=(\S+) id=(\S+)$")


def test_each_request_is_one_log_line_with_no_token_or_body(operated, caplog):
    slack, base = operated
    caplog.set_level(logging.INFO)
    reply = slack.command('schedule "Pipeline-secret-title" tomorrow 3pm')
    assert reply.status == 200
    assert post(slack.url, "command=/salesmeet&text=hi", {})[0] == 401  # unsigned
    assert healthz(base)[0] == 503
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(base + "/elsewhere?token=xoxb-in-query", timeout=10)

    lines = [
        LINE.match(r.getMessage())
        for r in caplog.records
        if r.name == "salesmeet.transport" and LINE.match(r.getMessage())
    ]
    assert [m.group(1, 2, 3, 4) for m in lines] == [
        ("POST", "/slack/events", "200", "T1"),  # the workspace, once the signature held
        ("POST", "/slack/events", "401", "-"),
        ("GET", "/healthz", "503", "-"),
        ("GET", "/elsewhere", "404", "-"),
    ]
    assert lines[0].group(5).startswith("body:")  # the request's key in the ledger
    assert len({m.group(5) for m in lines}) == 4
    everything = caplog.text
    for secret in (SECRET, ACME.bot_token, "Pipeline-secret-title", "xoxb-in-query"):
        assert secret not in everything


# -- backups ------------------------------------------------------------------------------


def test_backup_while_a_writer_is_active_is_a_consistent_copy(tmp_path):
    db_path = tmp_path / "live.db"
    database = Database(db_path)
    with database.transaction() as db:
        db.execute("CREATE TABLE probe (n INTEGER PRIMARY KEY)")
    copy = tmp_path / "copy.db"
    stop, written = threading.Event(), [0]

    def writer() -> None:
        while not stop.is_set():
            with database.transaction() as db:
                db.execute("INSERT INTO probe (n) VALUES (?)", [written[0] + 1])
            written[0] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 20:
            stop.wait(0.01)
        result = subprocess.run(
            [sys.executable, "-m", "salesmeet", "backup", str(copy)],
            env=process_env(SALESMEET_DB=str(db_path)),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        during = written[0]
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    assert written[0] > 20 and during > 20  # the writer kept writing
    assert result.stdout.strip() == (
        f"salesmeet: backed up {db_path} to {copy} ({copy.stat().st_size} bytes)"
    )
    with sqlite3.connect(copy) as restored:
        count, highest = restored.execute("SELECT count(*), max(n) FROM probe").fetchone()
        install_id = restored.execute("SELECT id FROM install_identity").fetchone()[0]
        journal = restored.execute("PRAGMA journal_mode").fetchone()[0]
    restored.close()
    assert 20 <= count == highest  # whole transactions only, none half-copied
    assert install_id == database.install_id() and journal == "delete"
    database.close()


def test_backup_into_a_directory_writes_a_dated_file(tmp_path):
    """A relative PATH is the working directory's, as for any command."""
    db_path = tmp_path / "live.db"
    Database(db_path).close()
    result = subprocess.run(
        [sys.executable, "-m", "salesmeet", "backup", "backups/"],  # made if need be
        env=process_env(SALESMEET_DB=str(db_path)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (copy,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"live-\d{8}T\d{6}Z\.db", copy.name)
    assert str(copy) in result.stdout


def test_backup_of_a_missing_database_creates_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "salesmeet", "backup", str(tmp_path / "copy.db")],
        env=process_env(SALESMEET_DB=str(tmp_path / "none.db")),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "SALESMEET_DB" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _probe(db) -> None:
    db["probe"].create({"id": int}, pk="id")


def test_migrating_an_existing_database_backs_it_up_first(tmp_path):
    path = tmp_path / "s.db"
    first = Database(path, CORE_MIGRATIONS)
    install_id = first.install_id()
    first.close()
    Database(path, CORE_MIGRATIONS).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.db"]  # new, then nothing to do

    Database(path, [*CORE_MIGRATIONS, Migration("v99_probe", _probe)]).close()

    backup = tmp_path / "s.db.before-v99_probe.bak"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.db", backup.name]
    with sqlite3.connect(backup) as before:
        tables = {row[0] for row in before.execute("SELECT name FROM sqlite_master")}
        names = {row[0] for row in before.execute("SELECT name FROM schema_migrations")}
        kept = before.execute("SELECT id FROM install_identity").fetchone()[0]
    before.close()
    assert "probe" not in tables and "v99_probe" not in names
    assert names == {m.name for m in CORE_MIGRATIONS} and kept == install_id
