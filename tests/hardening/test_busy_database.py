"""A busy database: another process holds the write lock for 10 seconds.

Reads answer anyway (WAL readers never wait for a writer, and ours never queue behind a
local writer that waits); a write that cannot commit in time is not acked as done, and
the user is told to try again. Once the lock goes away, nothing was lost or half-done.
Requests time out as Slack does, after 3 seconds.
"""

import json
import subprocess
import sys
import textwrap

import pytest

from bot.values import AgendaForm
from simulator.requests import interaction_body, post, view_submission_payload
from storage.agenda import AgendaStore
from tests.support.harness import SECRET
from tests.support.requests import signature_headers as signed

SLACK_TIMEOUT = 3.0  # Slack gives up on an answer after 3 seconds


@pytest.fixture
def locked(slack):
    """`slack` with a meeting booked, while another process holds the write lock."""
    slack.ask('schedule "Forecast" tomorrow 3pm with <@URAVI>')
    slack.deliver()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sqlite3, sys, time
                db = sqlite3.connect({slack.database.path!r}, isolation_level=None)
                db.execute("BEGIN IMMEDIATE")
                db.execute("UPDATE meetings SET title = title")
                print("locked", flush=True)
                time.sleep(10)
                db.execute("ROLLBACK")
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    yield slack
    holder.kill()
    holder.wait()


def ack_of(slack, body: str, content_type: str = "application/x-www-form-urlencoded"):
    status, _, text = post(
        slack.url, body, signed(SECRET, body, content_type=content_type), timeout=SLACK_TIMEOUT
    )
    assert status == 200
    return json.loads(text) if text else {}


@pytest.mark.parametrize("typed", ["help", "list", "show #1", "agenda #1"])
def test_reads_are_answered_while_another_process_writes(locked, typed):
    reply = locked.command(typed)  # the harness posts like Slack; it must answer in time
    assert reply.status == 200
    answer = json.dumps(reply.json)
    assert "busy" not in answer
    if typed != "help":
        assert "Forecast" in answer


def test_a_form_that_cannot_commit_is_not_acked_as_done(locked):
    meeting = locked.services.book.get("T1", 1)
    occurrence = meeting.next_occurrence(locked.clock.now())
    payload = view_submission_payload(
        team_id="T1",
        user_id="UMAYA",
        callback_id="add_agenda_item",
        values={"item": {"value": {"type": "plain_text_input", "value": "Top deals"}}},
        private_metadata=AgendaForm(1, occurrence.key, "CSALES").dump(),
        blocks=[{"type": "input", "block_id": "item", "element": {"type": "plain_text_input"}}],
    )
    answer = ack_of(locked, interaction_body(payload))
    assert answer["response_action"] == "errors"
    assert "try again" in answer["errors"]["item"]
    assert AgendaStore(locked.database).items("T1", meeting.id, occurrence.key) == []


def test_a_command_whose_write_cannot_commit_tells_the_user(locked):
    reply = locked.command("agenda #1 add Top deals")
    assert reply.status == 200
    followup = locked.followup(reply, timeout=10)
    assert "try again" in json.dumps(followup.body)
