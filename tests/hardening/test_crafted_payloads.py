"""Crafted interaction payloads: button values and form metadata we never wrote.

Anyone who can sign a request can put anything in a button's value or a modal's
private_metadata. Each gets a 200 and, where someone is there to read it, a polite answer;
never a 500, never an OverflowError in the log, never a change to what is stored.
"""

import json
import logging

import pytest

from bot.channel_posts import find_posted
from salesmeet.compose import open_database
from storage.agenda import AgendaStore

HUGE = "99999999999999999999"
BAD_VALUES = [
    f"{HUGE}:1",
    f"1:{HUGE}",
    "-1:5",
    "1:-5",
    "1",
    ":",
    "",
    "1:2:3",
    "١:٢",  # Arabic-Indic digits pass str.isdigit()
    "<!here>:1",
    "1" * 5000,
]
BUTTONS = ["add_agenda_item", "rsvp_going", "rsvp_not_going", "rsvp_who", "record_outcome"]


@pytest.fixture
def booked(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm with <@URAVI>')
    slack.deliver()
    return slack


@pytest.mark.parametrize("action_id", BUTTONS)
@pytest.mark.parametrize("value", BAD_VALUES, ids=range(len(BAD_VALUES)))
def test_a_button_value_we_never_wrote_is_refused_politely(booked, caplog, action_id, value):
    with caplog.at_level(logging.WARNING):
        reply = booked.click(action_id, value=value)
    assert reply.status == 200
    assert "OverflowError" not in caplog.text and "Traceback" not in caplog.text


def test_the_done_button_with_a_huge_id_is_refused(booked, caplog):
    reply = booked.click("action_item_done", value=HUGE)
    assert reply.status == 200
    assert "OverflowError" not in caplog.text


BAD_METADATA = [
    "",
    "not json",
    "[]",
    '"a string"',
    json.dumps({"number": HUGE, "occurrence": 1}),
    json.dumps({"number": int(HUGE), "occurrence": 1}),
    json.dumps({"number": 1, "occurrence": int(HUGE)}),
    json.dumps({"number": True, "occurrence": 1}),
    json.dumps({"number": 1.5, "occurrence": 1}),
    json.dumps({"number": 1, "occurrence": 1, "channel_id": "<!channel>"}),
    json.dumps({"number": 1}),
]


@pytest.mark.parametrize("metadata", BAD_METADATA, ids=range(len(BAD_METADATA)))
def test_an_agenda_form_with_metadata_we_never_wrote_keeps_the_modal_open(booked, metadata):
    reply = booked.submit(
        {"item": {"value": {"type": "plain_text_input", "value": "Top deals"}}},
        callback_id="add_agenda_item",
        metadata=metadata,
    )
    assert reply.status == 200
    answer = reply.json
    assert answer["response_action"] == "errors"
    assert "out of date" in answer["errors"]["item"]
    meeting = booked.services.book.get("T1", 1)
    occurrence = meeting.next_occurrence(booked.clock.now())
    assert AgendaStore(booked.database).items("T1", meeting.id, occurrence.key) == []


@pytest.mark.parametrize("metadata", BAD_METADATA, ids=range(len(BAD_METADATA)))
def test_an_outcome_form_with_metadata_we_never_wrote_is_answered(booked, metadata):
    reply = booked.submit({}, callback_id="meeting_outcome", metadata=metadata)
    assert reply.status == 200


def test_the_add_agenda_button_says_what_is_wrong_when_the_meeting_is_not_here(booked):
    reply = booked.click("add_agenda_item", value="77:1795503600")
    assert reply.status == 200
    assert "There is no meeting #77" in json.dumps(reply.json)


def test_user_text_echoed_in_an_error_pings_nobody(slack):
    answer = slack.ask("<!here> <!channel> please")
    text = json.dumps(answer)
    assert "<!here>" not in text and "<!channel>" not in text
    assert "&lt;!here&gt;" in text


def test_post_keys_are_unique_across_databases(slack, tmp_path):
    """A database made anew (a reset, another install) never shares a post key with the
    old one, so the history check after a dropped post can't take an old post for it."""
    slack.ask('schedule "Forecast" tomorrow 3pm')
    (announced,) = slack.fake.wait_for("chat.postMessage", timeout=5)
    key = announced.params["metadata"]["event_payload"]["post"]
    assert key.startswith(slack.database.install_id() + ":T1:announce:")
    other = open_database(str(tmp_path / "reset.db"))
    assert other.install_id() != slack.database.install_id()
    client = slack.services.dispatcher.client_for("T1")
    other_key = key.replace(slack.database.install_id(), other.install_id())
    looked = find_posted(client, "CSALES", "post", other_key)
    assert not looked.found and not looked.unknown  # not there
    assert find_posted(client, "CSALES", "post", key).ts == announced.response["ts"]
