"""The scheduling modal: opened by `/salesmeet`, validated inline, booked like the command."""

from datetime import UTC, datetime, timedelta


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


def test_slash_command_alone_opens_the_modal_with_the_trigger(maya):
    reply = maya.says("/salesmeet")
    assert reply.status == 200 and reply.body == ""
    modal = maya.modal()  # opened with the trigger id of Maya's command
    assert modal.callback_id == "schedule_meeting"
    for block in ("title", "date", "time", "duration", "purpose", "format", "link"):
        assert block in modal.block_ids
    for block in ("attendees", "channel", "guests"):
        assert block in modal.block_ids
    channel = modal.block("channel")
    assert channel["element"]["default_to_current_conversation"] is True


def test_submission_books_the_same_meeting_as_the_command(team, maya):
    maya.says("/salesmeet help")  # nothing cached yet: the submission looks Maya up itself
    # Submitted as Slack sends a schedule_meeting view (opening one would warm the cache).
    reply = maya.submits(values())
    assert reply.status == 200 and reply.body == ""
    assert "#1" in maya.sees()  # her confirmation, only for her
    meeting = team.meeting(1)
    # 15:00 in Kuala Lumpur, Maya's zone.
    assert meeting.starts_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert meeting.duration == timedelta(minutes=45)
    assert meeting.purpose == "strategy" and meeting.venue.service == "Zoom"
    assert [a.user_id or a.guest for a in meeting.attendees] == ["URAVI", "USAM", "jane@acme.com"]

    maya.says(
        '/salesmeet schedule "Territory planning" 2026-11-24 15:00 for 45m with @ravi, @sam, '
        "jane@acme.com type strategy via https://zoom.us/j/42"
    )
    by_command = team.meeting(2)
    for attribute in ("title", "starts_at", "duration", "purpose", "venue", "attendees", "tz"):
        assert getattr(by_command, attribute) == getattr(meeting, attribute)

    (announced, _) = team.channel("#sales").posts
    assert "Territory planning" in announced.text
    (confirmation,) = maya.ephemerals
    assert "#1" in confirmation.text


def test_inline_errors_name_the_field(team, maya):
    cases = {
        "title": {"type": "plain_text_input", "value": "   "},
        "time": {"type": "timepicker", "selected_time": None},
        "link": {"type": "plain_text_input", "value": "ftp://example.com/x"},
        "guests": {"type": "plain_text_input", "value": "jane@"},
    }
    for block, action in cases.items():
        reply = maya.submits(values(**{block: action}))
        assert reply.status == 200
        assert list(reply.errors) == [block], reply.json
    past = maya.submits(values(date={"type": "datepicker", "selected_date": "2026-11-20"}))
    assert "passed" in past.errors["time"]
    assert team.meeting(1) is None


def test_submitting_twice_books_once(team, maya):
    maya.says("/salesmeet")
    modal = maya.modal()
    maya.submits(values(), on=modal)
    maya.submits(values(), on=modal)
    assert team.meeting(1) is not None and team.meeting(2) is None


def test_bot_not_in_channel_tells_the_organiser_by_dm(maya):
    maya.submits(
        values(channel={"type": "conversations_select", "selected_conversation": "CQUIET"})
    )
    (dm,) = maya.dms
    assert "/invite @SalesMeet" in dm.text


def test_app_home_lists_my_meetings(maya, ravi):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with @ravi')
    home = ravi.opens_home()
    assert home["type"] == "home"
    assert "Forecast" in str(home.blocks)
