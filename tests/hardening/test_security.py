"""Security: forged requests, another workspace, hostile text, SQL, and oversized input."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from bot.clock import SystemClock
from storage.agenda import AgendaStore
from storage.meetings import MeetingStore
from tests.support.harness import SECRET
from tests.support.requests import (
    JSON,
    block_actions_payload,
    event_body,
    interaction_body,
    post,
    signature_headers,
    slash_command_body,
)

WALL = SystemClock()


def text_of(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


def everything_slack_received(slack, token: str = "xoxb-t1-test", first: int = 0) -> list[str]:
    """Every Web API call one bot token made, and the answers to its commands numbered
    `first` and up, as JSON text."""
    calls = [text_of(c.params) for c in slack.fake.calls if c.token == token and not c.faulted]
    answers = [
        text_of(r.body)
        for r in slack.fake.responses
        if r.path_token.startswith("cmd") and int(r.path_token[3:]) >= first
    ]
    return calls + answers


# -- forged and replayed requests -------------------------------------------------------------


def command_body(slack, text: str = 'schedule "Forged" tomorrow 3pm') -> str:
    return slash_command_body(
        team_id="T1",
        user_id="UMAYA",
        channel_id="CSALES",
        text=text,
        response_url=slack.fake.response_url("forged"),
    )


def interaction(slack) -> str:
    return interaction_body(
        block_actions_payload(
            team_id="T1", user_id="UMAYA", channel_id="CSALES", action_id="open_schedule_modal"
        )
    )


def home_event(slack) -> str:
    return event_body(
        team_id="T1", event={"type": "app_home_opened", "user": "UMAYA", "tab": "home"}
    )


FORGERIES = ("wrong secret", "stale", "from the future", "no signature", "new timestamp", "no v0=")


def forged(body: str, forgery: str, ctype: str) -> dict:
    """Headers for `body` as an attacker (or a replay from long ago) would send them."""
    now = int(WALL.epoch())
    if forgery == "wrong secret":
        return signature_headers("guessed-secret", body, timestamp=now, content_type=ctype)
    if forgery == "stale":
        return signature_headers(SECRET, body, timestamp=now - 6 * 60, content_type=ctype)
    if forgery == "from the future":
        return signature_headers(SECRET, body, timestamp=now + 6 * 60, content_type=ctype)
    if forgery == "no signature":
        return {"Content-Type": ctype}
    headers = signature_headers(SECRET, body, timestamp=now, content_type=ctype)
    if forgery == "new timestamp":  # a captured request with its timestamp refreshed
        headers["X-Slack-Request-Timestamp"] = str(now - 1)
    else:
        headers["X-Slack-Signature"] = headers["X-Slack-Signature"].removeprefix("v0=")
    return headers


@pytest.mark.parametrize("kind", ["command", "interaction", "event"])
def test_forged_and_stale_requests_are_refused_before_anything_happens(slack, kind):
    body = {"command": command_body, "interaction": interaction, "event": home_event}[kind](slack)
    ctype = JSON if kind == "event" else "application/x-www-form-urlencoded"
    for forgery in FORGERIES:
        status, _, _ = post(slack.url, body, forged(body, forgery, ctype))
        assert status == 401, forgery
    time.sleep(0.3)  # anything a handler would have done has had time to start
    assert {c.method for c in slack.fake.calls} <= {"auth.test"}  # at start-up only
    assert slack.fake.responses == []
    assert MeetingStore(slack.database).get("T1", 1) is None


def test_a_replayed_signed_request_books_one_meeting(slack):
    body = command_body(slack)
    headers = signature_headers(SECRET, body)
    acks = set()
    for _ in range(3):  # Slack's signatures carry no nonce: a replay within 5 minutes passes
        status, _, text = post(slack.url, body, headers)
        assert status == 200
        acks.add(text)
    assert len(acks) == 1  # every copy gets the first one's answer
    (answer,) = slack.fake.wait_for_response(count=1, timeout=10)
    assert "You already scheduled this" not in text_of(answer.body)
    slack.deliver()
    assert len(slack.fake.wait_for_response(count=1, timeout=1)) == 1  # the work ran once
    assert MeetingStore(slack.database).get("T1", 2) is None


# -- two workspaces ------------------------------------------------------------------------


def test_another_workspace_cannot_reach_a_meeting_by_any_command(slack, globex):
    slack.ask(
        'schedule "Zyxwv forecast" tue 3pm for 45m every week 4 times with <@URAVI> type shortfall'
    )
    slack.ask("agenda #1 add Zyxwv secret item")
    slack.ask("win 12345 USD Zyxwv renewal", user="URAVI")
    slack.ask("shoutout <@URAVI> for the Zyxwv renewal")
    before = MeetingStore(slack.database).get("T1", 1)
    occurrence = before.next_occurrence(slack.clock.now())
    day = "2026-12-01"  # the second Tuesday of the series
    commands = [
        "show #1",
        "cancel #1",
        "agenda #1",
        "agenda #1 add Globex item",
        f"skip #1 {day}",
        "move #1 wed 4pm",
        f"move #1 {day} to wed 4pm",
        "rsvp #1",
        "list",
        "list mine",
        "digest",
        "digest next",
        "leaderboard",
        "leaderboard month",
        "goal",
        "config",
        "export",
        "export csv",
    ]
    for user in ("UGREG", "UMAYA"):  # Globex's admin, and a namesake of Acme's organiser
        for command in commands:
            shown = text_of(globex.ask(command, user=user, team="T2"))
            assert "Zyxwv" not in shown and "12,345" not in shown, (command, shown)
            if "#1" in command:
                assert "no meeting #1" in shown, (command, shown)
    # Buttons and forms carrying Acme's meeting number, pressed in Globex.
    value = f"1:{occurrence.key}"
    for action_id in ("add_agenda_item", "rsvp_going", "rsvp_not_going", "rsvp_who"):
        assert globex.click(action_id, user="UGREG", team="T2", value=value).status == 200
    reply = globex.submit(
        {"item": {"value": {"type": "plain_text_input", "value": "Globex sneaks in"}}},
        user="UGREG",
        team="T2",
        callback_id="add_agenda_item",
        metadata=json.dumps({"number": 1, "occurrence": occurrence.key, "channel_id": "CSALES"}),
    )
    assert reply.status == 200 and reply.json.get("response_action") == "errors"
    time.sleep(0.3)  # let anything the clicks started finish
    globex.services.background.shutdown(wait=True)

    after = MeetingStore(slack.database).get("T1", 1)
    assert after == before
    items = AgendaStore(slack.database).items("T1", after.id, occurrence.key)
    assert [i.text for i in items] == ["Zyxwv secret item"]
    assert not any(
        "Zyxwv" in text for text in everything_slack_received(globex, "xoxb-t2-test", 1000)
    )
    assert globex.fake.calls_to("views.open") == []
    answers = text_of(slack.ask("rsvp #1"))  # Greg's "Going" did not land on Zyxwv's #1
    assert "Not answered yet: <@URAVI>" in answers and "UGREG" not in answers


# -- hostile text ----------------------------------------------------------------------------

HOSTILE = "<!channel> <!here> <!everyone> <@UOLIVIA> <#CQUIET> <https://evil.example|Click> &"
RAW_TOKENS = ("<!channel>", "<!here>", "<!everyone>", "<@UOLIVIA>", "<#CQUIET>", "<https://evil")


def test_mentions_broadcasts_and_links_in_user_text_reach_slack_escaped(slack):
    slack.ask(f'schedule "{HOSTILE}" tomorrow 3pm with <@URAVI>, jane@acme.com type strategy')
    slack.ask(f"agenda #1 add {HOSTILE}")
    slack.ask("list")
    slack.ask("show #1")
    slack.ask("agenda #1")
    slack.ask(f"shoutout <@URAVI> for {HOSTILE}")
    slack.ask(f"win 1200 USD {HOSTILE}")
    slack.submit(
        {
            "title": {"value": {"type": "plain_text_input", "value": "<!here> modal party"}},
            "date": {"value": {"type": "datepicker", "selected_date": "2026-11-25"}},
            "time": {"value": {"type": "timepicker", "selected_time": "15:00"}},
            "guests": {"value": {"type": "plain_text_input", "value": "jane@acme.com"}},
            "channel": {
                "value": {"type": "conversations_select", "selected_conversation": "CSALES"}
            },
        }
    )
    # Its announcement goes out after the ack: once it has, the clock moves on.
    slack.fake.wait_for("chat.postMessage", where=lambda c: "modal party" in text_of(c.params))
    slack.advance(timedelta(hours=6))  # the agenda prompt
    slack.advance(timedelta(hours=24))  # the reminder
    slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    slack.fake.wait_for("views.publish")
    slack.services.background.shutdown(wait=True)

    received = everything_slack_received(slack)
    announcement = next(t for t in received if "scheduled meeting #1" in t)
    assert "&lt;!channel&gt; &lt;!here&gt;" in announcement and "&amp;" in announcement
    assert "<@URAVI>" in announcement  # the real attendee is still mentioned
    assert any(":alarm_clock:" in t for t in received) and any(
        "What should we cover" in t for t in received
    )
    for text in received:
        # Shout-out reasons keep well-formed user mentions on purpose (bot/recognition/posts.py):
        # thanking "@olivia for the intro" should notify her. Broadcasts and links never work.
        allowed = ("<@UOLIVIA>",) if "gave a shout-out" in text else ()
        for token in RAW_TOKENS:
            if token not in allowed:
                assert token not in text, (token, text[:300])
    assert not any("<!here> modal party" in t for t in received)


SQL = [
    "'); DROP TABLE meetings;--",
    'Robert"); DELETE FROM deliveries; --',  # typed in typographic quotes below
    "' OR '1'='1",
    "100% _done_ \\ ; --",
]


def test_sql_metacharacters_are_stored_and_shown_verbatim(slack):
    for i, title in enumerate(SQL, 1):
        answer = text_of(slack.ask(f"schedule “{title}” tomorrow {i}pm"))
        assert f"Scheduled meeting #{i}" in answer
    slack.ask("agenda #1 add 1; DROP TABLE agenda_items; --")
    store = MeetingStore(slack.database)
    assert [store.get("T1", i).title for i in range(1, 5)] == SQL
    listed = slack.ask("list")
    for title in SQL:
        assert json.dumps(title.replace("&", "&amp;"))[1:-1] in text_of(listed)
    assert "DROP TABLE agenda_items" in text_of(slack.ask("agenda #1"))
    assert "Give the meeting's number" in text_of(slack.ask("show 1 OR 1=1"))
    with slack.database.reading() as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"meetings", "deliveries", "agenda_items"} <= tables
        assert db.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] > 0


# -- oversized input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("schedule " + "x" * 2000, "That command is too long (2009 characters; at most 2000)."),
        (f'schedule "{"T" * 151}" tomorrow 3pm', "A title can be at most 150 characters"),
        ('schedule "Forecast" tomorrow 3pm with ' + "g" * 101, "at most 100 characters"),
        ('schedule "Forecast" ' + "tomorrow " * 12 + "3pm", "at most 100"),
        ("agenda #1 add " + "a" * 301, "An agenda item can be at most 300 characters."),
    ],
    ids=["command", "title", "guest", "time", "agenda item"],
)
def test_oversized_input_is_refused_with_a_clear_answer(slack, text, says):
    slack.ask('schedule "Existing" tomorrow 3pm')
    shown = text_of(slack.ask(text))
    assert says in shown and ":warning:" in shown
    assert MeetingStore(slack.database).get("T1", 2) is None
    items = AgendaStore(slack.database).items(
        "T1", 1, MeetingStore(slack.database).get("T1", 1).next_occurrence(slack.clock.now()).key
    )
    assert items == []


def test_input_at_the_limits_is_taken(slack):
    assert "#1" in text_of(slack.ask(f'schedule "{"T" * 150}" tomorrow 3pm'))
    assert "Added to the agenda" in text_of(slack.ask("agenda #1 add " + "a" * 300))


def test_oversized_modal_fields_are_refused_inline(slack):
    slack.ask('schedule "Existing" tomorrow 3pm')
    reply = slack.submit(
        {
            "title": {"value": {"type": "plain_text_input", "value": "T" * 151}},
            "date": {"value": {"type": "datepicker", "selected_date": "2026-11-25"}},
            "time": {"value": {"type": "timepicker", "selected_time": "15:00"}},
            "channel": {
                "value": {"type": "conversations_select", "selected_conversation": "CSALES"}
            },
        }
    )
    assert reply.json["response_action"] == "errors"
    assert "at most 150 characters" in reply.json["errors"]["title"]
    key = MeetingStore(slack.database).get("T1", 1).next_occurrence(slack.clock.now()).key
    reply = slack.submit(
        {"item": {"value": {"type": "plain_text_input", "value": "a" * 301}}},
        callback_id="add_agenda_item",
        metadata=json.dumps({"number": 1, "occurrence": key, "channel_id": "CSALES"}),
    )
    assert "at most 300 characters" in reply.json["errors"]["item"]
    assert MeetingStore(slack.database).get("T1", 2) is None
