"""The scheduling modal: opened by `/salesmeet`, validated inline, booked like the command."""

from datetime import UTC, datetime, timedelta

from storage.meetings import MeetingStore
from tests.support.messages import text_of


def values(**overrides) -> dict:
    """state.values as Slack sends them for a filled-in form."""
    fields = {
        "title": {"value": {"type": "plain_text_input", "value": "Territory planning"}},
        "date": {"value": {"type": "datepicker", "selected_date": "2026-11-24"}},
        "time": {"value": {"type": "timepicker", "selected_time": "15:00"}},
        "duration": {"value": {"type": "static_select", "selected_option": {"value": "45"}}},
        "purpose": {"value": {"type": "static_select", "selected_option": {"value": "strategy"}}},
        "format": {"value": {"type": "static_select", "selected_option": None}},
        "link": {"value": {"type": "plain_text_input", "value": "https://zoom.us/j/42"}},
        "attendees": {"value": {"type": "multi_users_select", "selected_users": ["URAVI", "USAM"]}},
        "guests": {"value": {"type": "plain_text_input", "value": "jane@acme.com"}},
        "channel": {"value": {"type": "conversations_select", "selected_conversation": "CSALES"}},
    }
    for block, action in overrides.items():
        fields[block] = {"value": action}
    return fields


def test_slash_command_alone_opens_the_modal_with_the_trigger(slack):
    reply = slack.command("")
    assert reply.status == 200 and reply.body == ""
    (call,) = slack.fake.wait_for("views.open")
    assert call.params["trigger_id"]
    view = call.params["view"]
    assert view["callback_id"] == "schedule_meeting"
    block_ids = [b["block_id"] for b in view["blocks"]]
    for block in ("title", "date", "time", "duration", "purpose", "format", "link"):
        assert block in block_ids
    for block in ("attendees", "channel", "guests"):
        assert block in block_ids
    channel = next(b for b in view["blocks"] if b["block_id"] == "channel")
    assert channel["element"]["default_to_current_conversation"] is True


def test_submission_books_the_same_meeting_as_the_command(slack):
    slack.ask("help")  # nothing cached yet: the submission looks Maya up itself
    reply = slack.submit(values())
    assert reply.status == 200 and reply.body == ""
    meeting = MeetingStore(slack.database).get("T1", 1)
    # 15:00 in Kuala Lumpur, Maya's zone.
    assert meeting.starts_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert meeting.duration == timedelta(minutes=45)
    assert meeting.purpose == "strategy" and meeting.venue.service == "Zoom"
    assert [a.user_id or a.guest for a in meeting.attendees] == ["URAVI", "USAM", "jane@acme.com"]

    slack.ask(
        'schedule "Territory planning" 2026-11-24 15:00 for 45m with <@URAVI>, <@USAM>, '
        "jane@acme.com type strategy via https://zoom.us/j/42"
    )
    by_command = MeetingStore(slack.database).get("T1", 2)
    for attribute in ("title", "starts_at", "duration", "purpose", "venue", "attendees", "tz"):
        assert getattr(by_command, attribute) == getattr(meeting, attribute)

    (announced, *_) = slack.fake.wait_for("chat.postMessage", count=2)
    assert "Territory planning" in text_of(announced.params)
    (confirmation,) = slack.fake.wait_for("chat.postEphemeral")
    assert confirmation.params["user"] == "UMAYA" and "#1" in text_of(confirmation.params)


def test_inline_errors_name_the_field(slack):
    cases = {
        "title": {"type": "plain_text_input", "value": "   "},
        "time": {"type": "timepicker", "selected_time": None},
        "link": {"type": "plain_text_input", "value": "ftp://example.com/x"},
        "guests": {"type": "plain_text_input", "value": "jane@"},
    }
    for block, action in cases.items():
        reply = slack.submit(values(**{block: action}))
        assert reply.status == 200
        assert reply.json["response_action"] == "errors"
        assert list(reply.json["errors"]) == [block], reply.json
    past = slack.submit(values(date={"type": "datepicker", "selected_date": "2026-11-20"}))
    assert "passed" in past.json["errors"]["time"]
    assert MeetingStore(slack.database).get("T1", 1) is None


def test_submitting_twice_books_once(slack):
    slack.submit(values())
    slack.submit(values())
    assert MeetingStore(slack.database).get("T1", 2) is None


def test_bot_not_in_channel_tells_the_organiser_by_dm(slack):
    slack.submit(
        values(channel={"type": "conversations_select", "selected_conversation": "CQUIET"})
    )
    dm = slack.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "UMAYA")
    assert "/invite @SalesMeet" in text_of(dm[0].params)


def test_app_home_lists_my_meetings(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm with <@URAVI>')
    reply = slack.event({"type": "app_home_opened", "user": "URAVI", "tab": "home"})
    assert reply.status == 200
    (call,) = slack.fake.wait_for("views.publish")
    assert call.params["user_id"] == "URAVI"
    assert call.params["view"]["type"] == "home"
    assert "Forecast" in str(call.params["view"]["blocks"])
