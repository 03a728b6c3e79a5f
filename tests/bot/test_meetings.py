"""Meeting rules: titles, purposes, formats and links, attendees, who may cancel."""

from datetime import UTC, datetime, timedelta

import pytest

from entities.errors import UserError
from entities.meetings import (
    Attendee,
    Invitees,
    Meeting,
    Venue,
    can_cancel,
    check_title,
    parse_purpose,
    parse_venue,
    read_invitees,
)


def test_title_is_trimmed_and_limited():
    assert check_title("  Pipeline   review ") == "Pipeline review"
    assert check_title("x" * 150) == "x" * 150
    with pytest.raises(UserError):
        check_title("x" * 151)
    with pytest.raises(UserError):
        check_title("   ")


@pytest.mark.parametrize(
    "purpose", ["motivation", "product", "challenges", "shortfall", "strategy", "customer"]
)
def test_purposes(purpose):
    assert parse_purpose(purpose.upper()) == purpose


def test_unknown_purpose_lists_the_choices():
    with pytest.raises(UserError) as caught:
        parse_purpose("party")
    assert "shortfall" in caught.value.params["choices"]


@pytest.mark.parametrize(
    ("text", "venue", "service"),
    [
        ("in-person", Venue("in-person"), None),
        ("In Person", Venue("in-person"), None),
        ("1:1", Venue("one-on-one"), None),
        ("call", Venue("call"), None),
        ("video", Venue("video"), None),
        ("<https://zoom.us/j/123>", Venue("video", "https://zoom.us/j/123"), "Zoom"),
        ("https://acme.zoom.us/j/1", Venue("video", "https://acme.zoom.us/j/1"), "Zoom"),
        ("<https://meet.google.com/abc|meet.google.com/abc>", None, "Google Meet"),
        ("https://teams.microsoft.com/l/meetup-join/x", None, "Microsoft Teams"),
        ("https://acme.webex.com/meet/x", None, "Webex"),
        ("https://whereby.com/acme", None, None),
    ],
)
def test_formats_and_links(text, venue, service):
    parsed = parse_venue(text)
    if venue is not None:
        assert parsed == venue
    assert parsed.format in ("in-person", "one-on-one", "call", "video")
    assert parsed.service == service


@pytest.mark.parametrize(
    "text", ["ftp://zoom.us/j/1", "javascript:alert(1)", "zoom", "smoke signals"]
)
def test_bad_formats_and_links_are_refused(text):
    with pytest.raises(UserError):
        parse_venue(text)


def test_attendees_members_guests_and_names_to_look_up():
    typed = read_invitees(
        "<@UMAYA|maya>, <@URAVI> and <mailto:jane@acme.com|jane@acme.com>, John Smith, <@UMAYA>"
        ", @priya"
    )
    assert typed == Invitees(
        (
            Attendee(user_id="UMAYA"),
            Attendee(user_id="URAVI"),
            Attendee(guest="jane@acme.com", email="jane@acme.com"),
        ),
        ("John Smith", "priya"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Jane Doe <jane@acme.com>",
        "Jane Doe <<mailto:jane@acme.com|jane@acme.com>>",  # as Slack sends it, unescaped
        "Jane Doe (jane@acme.com)",
        '"Jane Doe" <jane@acme.com>',
    ],
)
def test_a_guest_with_a_name_and_an_email(text):
    assert read_invitees(text) == Invitees((Attendee(guest="Jane Doe", email="jane@acme.com"),))


def test_the_same_guest_twice_is_one_guest():
    typed = read_invitees("jane@acme.com, Jane Doe <JANE@acme.com>, priya, Priya")
    assert typed.attendees == (Attendee(guest="jane@acme.com", email="jane@acme.com"),)
    assert typed.names == ("priya",)


@pytest.mark.parametrize("text", ["<!here>", "<!channel>", "<#C123|sales>", "<!subteam^S1|@sales>"])
def test_group_mentions_are_not_attendees(text):
    with pytest.raises(UserError):
        read_invitees(text)


def test_bad_email_is_refused():
    with pytest.raises(UserError):
        read_invitees("jane@")


def _meeting(**kw) -> Meeting:
    base = dict(
        title="t",
        starts_at=datetime(2026, 12, 1, tzinfo=UTC),
        duration=timedelta(minutes=30),
        tz="UTC",
        channel_id="C",
        organiser_id="UORG",
    )
    return Meeting(**{**base, **kw})


def test_only_organiser_or_manager_may_cancel():
    meeting = _meeting()
    assert can_cancel(meeting, "UORG", is_manager=False)
    assert can_cancel(meeting, "UBOSS", is_manager=True)
    assert not can_cancel(meeting, "UOTHER", is_manager=False)


def test_guests_make_a_meeting_customer_facing():
    assert not _meeting(attendees=(Attendee(user_id="U1"),)).customer_facing
    assert _meeting(attendees=(Attendee(user_id="U1"), Attendee(guest="Jane"))).customer_facing
