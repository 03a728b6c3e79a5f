"""Issue 12, "People", "Edit" and "Tell the people a change concerns", end to end: names
typed as plain text become attendees (or a question, or a clear refusal; never a silent
guest), guests need an email, `edit` changes only what it names, and everyone a change
concerns hears of it."""

import json
from datetime import UTC, datetime, timedelta

from entities.meetings import LEAD_OFF, Attendee, Venue
from storage.windows import WindowStore

# Wednesday 25 November 2026, 08:00 in Kuala Lumpur.
WEDNESDAY_8AM_KL = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)


def members_of(meeting) -> set[str]:
    return {a.user_id for a in meeting.attendees if a.user_id}


# -- People ----------------------------------------------------------------------------------


def test_names_typed_as_plain_text_become_members(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with ravi and Sam Carter, OLIVIA')
    assert "Scheduled meeting #1" in maya.sees()
    meeting = team.meeting(1)
    assert members_of(meeting) == {"URAVI", "USAM", "UOLIVIA"}
    assert not [a for a in meeting.attendees if a.guest]


def test_a_name_matches_ignoring_accents_and_an_at_sign_left_as_text(team, maya):
    team.slack.add_user("T1", "UZOE", "zoe.m", real_name="Zoë Martín")
    team.slack.add_user("T1", "UPRIYA", "priya", real_name="Priya Sharma")
    maya.says('/salesmeet schedule "Demo" tomorrow 3pm with zoe martin')
    assert members_of(team.meeting(1)) == {"UZOE"}
    # `@priya` that Slack did not turn into a mention arrives as text: read as a name.
    maya.says('/salesmeet schedule "Sync" tomorrow 4pm with @priya')
    assert members_of(team.meeting(2)) == {"UPRIYA"}


def test_a_name_that_fits_nobody_is_refused_and_nothing_is_booked(team, maya):
    maya.says('/salesmeet schedule "Demo" tomorrow 3pm with Jane Doe')
    answer = maya.sees()
    assert "“Jane Doe” isn't a member of this workspace" in answer
    assert "for an outside guest give their email" in answer
    assert team.upcoming() == []


def test_a_name_that_fits_several_asks_which_and_a_button_books_it(team, maya):
    team.slack.add_user("T1", "URAVIS", "ravi.s", real_name="Ravi Shankar")
    maya.says('/salesmeet schedule "Deal desk" tomorrow 3pm for 45m with ravi, @sam')
    question = maya.answer()
    assert "More than one person here answers to “ravi”" in question.text
    assert "<@URAVI>" in question.text and "<@URAVIS>" in question.text
    assert team.upcoming() == []  # nothing booked yet
    maya.presses("Ravi Shankar", on=question)
    assert "Scheduled meeting #1" in maya.sees()
    meeting = team.meeting(1)
    assert members_of(meeting) == {"URAVIS", "USAM"}
    assert meeting.duration == timedelta(minutes=45) and meeting.title == "Deal desk"


def test_guests_need_an_email_and_keep_their_name(team, maya):
    maya.says('/salesmeet schedule "QBR" tomorrow 3pm with jane@acme.com, Li Wei (li@globex.com)')
    assert "Scheduled meeting #1" in maya.sees()
    assert team.meeting(1).attendees == (
        Attendee(guest="jane@acme.com", email="jane@acme.com"),
        Attendee(guest="Li Wei", email="li@globex.com"),
    )
    (post,) = team.channel("#sales").posts_saying("scheduled meeting")
    assert "Li Wei (guest)" in post.text or "Li Wei (guest)" in json.dumps(post.raw)


def test_an_unknown_mention_is_not_a_member_here(team, maya):
    maya.says('/salesmeet schedule "QBR" tomorrow 3pm with <@UNOBODY>')
    assert "<@UNOBODY> isn't a member of this workspace." in maya.sees()
    assert team.upcoming() == []


def test_the_member_list_is_read_at_most_hourly(team, maya):
    maya.says('/salesmeet schedule "A" tomorrow 3pm with ravi')
    maya.says('/salesmeet schedule "B" tomorrow 4pm with sam')
    team.quiet()
    assert len(team.slack.calls_to("users.list")) == 1
    team.clock.advance(timedelta(minutes=61))
    maya.says('/salesmeet schedule "C" tomorrow 5pm with olivia')
    team.quiet()
    assert len(team.slack.calls_to("users.list")) == 2


def test_someone_who_joined_since_the_last_read_can_be_mentioned(team, maya):
    maya.says('/salesmeet schedule "A" tomorrow 3pm with ravi')  # the list is read
    team.slack.add_user("T1", "UNEW", "newbie", real_name="New Person")
    maya.says('/salesmeet schedule "B" tomorrow 4pm with <@UNEW>')
    assert "Scheduled meeting #2" in maya.sees()
    assert members_of(team.meeting(2)) == {"UNEW"}


# -- The confirmation ----------------------------------------------------------------------


def test_the_confirmation_is_short_with_edit_and_undo(team, maya, ravi):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with ravi')
    confirmation = maya.answer()
    assert "Scheduled meeting #1 *Forecast*, posted in <#CSALES>" in confirmation.text
    labels = [
        e["text"]["text"]
        for b in confirmation.blocks
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert labels == ["Edit", "Undo"]
    assert "*Organiser:*" not in json.dumps(confirmation.blocks)  # not the channel's copy
    maya.presses("Undo", on=confirmation)
    assert "Cancelled meeting #1" in maya.sees()
    assert team.meeting(1).cancelled
    assert team.channel("#sales").posts_saying("was cancelled by <@UMAYA>")


def test_edit_button_opens_the_form_filled_in(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm for 45m with ravi via call')
    confirmation = maya.answer()
    maya.presses("Edit", on=confirmation)
    form = maya.modal()
    assert form.callback_id == "edit_meeting"
    title = form.block("title")["element"]
    assert title["initial_value"] == "Forecast"
    assert form.block("attendees")["element"]["initial_users"] == ["URAVI"]
    assert form.block("duration")["element"]["initial_option"]["value"] == "45"


# -- Edit ------------------------------------------------------------------------------------


def test_edit_changes_only_what_it_names_and_tells_the_channel(team, maya, ravi):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with ravi')
    (announced,) = team.channel("#sales").posts_saying("scheduled meeting")
    before = team.meeting(1)
    maya.says("/salesmeet edit #1 for 45m via https://zoom.us/j/1 reminder off")
    assert "Saved #1 *Forecast*" in maya.sees()
    after = team.meeting(1)
    assert after.number == 1 and after.starts_at == before.starts_at
    assert after.duration == timedelta(minutes=45)
    assert after.venue == Venue("video", "https://zoom.us/j/1")
    assert after.reminder_lead == LEAD_OFF
    assert after.attendees == before.attendees and after.title == "Forecast"
    (notice,) = team.channel("#sales").posts_saying("changed #1")
    assert "<@URAVI>" in json.dumps(notice.raw)  # the people it concerns are mentioned
    team.quiet()
    updates = [c for c in team.slack.calls_to("chat.update") if c.params["ts"] == announced.ts]
    assert updates and "zoom.us/j/1" in json.dumps(updates[-1].params)


def test_edit_adds_and_removes_attendees_and_tells_them(team, maya, ravi, sam):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with ravi')
    maya.says("/salesmeet edit #1 with +@sam -@ravi")
    assert members_of(team.meeting(1)) == {"USAM"}
    assert [m for m in sam.dms if "invited you to meeting #1" in m.text]
    assert [m for m in ravi.dms if "took you off meeting #1" in m.text]
    maya.says('/salesmeet edit #1 "Q1 forecast" with @ravi, @olivia')
    assert members_of(team.meeting(1)) == {"URAVI", "UOLIVIA"}
    assert team.meeting(1).title == "Q1 forecast"
    (notice,) = team.channel("#sales").posts_saying("renamed from *Forecast*")
    assert "Q1 forecast" in notice.text


def test_removing_someone_not_invited_says_so(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with ravi')
    maya.says("/salesmeet edit #1 with -@sam")
    assert "<@USAM> isn't invited to #1." in maya.sees()
    assert members_of(team.meeting(1)) == {"URAVI"}


def test_only_the_organiser_or_a_manager_may_edit(team, maya, ravi, olivia):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with ravi')
    ravi.says("/salesmeet edit #1 for 2h")
    assert "only the organiser (<@UMAYA>) or a manager can change meeting #1" in ravi.sees()
    assert team.meeting(1).duration == timedelta(minutes=30)
    olivia.says("/salesmeet edit #1 for 2h")
    assert "Saved #1" in olivia.sees()
    assert [m for m in maya.dms if "<@UOLIVIA> changed #1" in m.text]


def test_edit_refusals_say_how(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    maya.says("/salesmeet edit #1 fri 10am")
    assert "/salesmeet move #1" in maya.sees()
    maya.says("/salesmeet edit #1 for 30m")
    assert "nothing to change" in maya.sees()
    maya.says("/salesmeet edit #1 every week")  # a one-off: nothing to space out
    assert "Only a weekly series can meet every few weeks" in maya.sees()
    maya.says("/salesmeet edit #1 every weekday until dec 20")
    assert "cancel it (`/salesmeet cancel #1`)" in maya.sees()
    maya.says("/salesmeet edit #9 for 1h")
    assert "There is no meeting #9" in maya.sees()


def test_editing_a_series_keeps_its_past_as_it_was(team, maya, ravi):
    team.clock.set(WEDNESDAY_8AM_KL)
    maya.says('/salesmeet schedule "Standup" every day at 9 for 15m with ravi')
    first = team.meeting(1).starts_at  # Thursday 09:00 in Kuala Lumpur
    team.clock.set(first + timedelta(days=2, hours=1))  # three have been held
    maya.says("/salesmeet edit #1 for 30m with +@sam")
    assert "Saved #1" in maya.sees()
    meeting = team.meeting(1)
    assert meeting.number == 1 and meeting.duration == timedelta(minutes=30)
    assert meeting.next_occurrence(team.clock.now()).start == first + timedelta(days=3)
    held = WindowStore(team.database).meetings_in_window(
        team.team_id, first - timedelta(days=1), first + timedelta(days=6)
    )
    lengths = sorted(
        (o.start, o.end - o.start)
        for h in held
        for o in h.occurrences(first - timedelta(days=1), first + timedelta(days=6))
    )
    assert [length for _, length in lengths[:3]] == [timedelta(minutes=15)] * 3
    assert [length for _, length in lengths[3:]] == [timedelta(minutes=30)] * 3
    assert [start for start, _ in lengths] == [first + timedelta(days=d) for d in range(6)]
    maya.says("/salesmeet list")
    assert maya.sees().count("Standup") == 1


def test_edit_form_saves_the_changes(team, maya, ravi):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm with ravi')
    start = team.meeting(1).starts_at
    maya.says("/salesmeet edit #1")
    form = maya.modal()
    values = {
        block["block_id"]: {"value": _initial(block["element"])}
        for block in form.blocks
        if block["type"] == "input"
    }
    values["title"]["value"]["value"] = "Forecast (EMEA)"
    values["guests"]["value"]["value"] = "Jane Doe <jane@acme.com>"
    maya.submits(values, on=form)
    team.quiet()
    meeting = team.meeting(1)
    assert meeting.title == "Forecast (EMEA)" and meeting.starts_at == start
    assert meeting.attendees == (
        Attendee(user_id="URAVI"),
        Attendee(guest="Jane Doe", email="jane@acme.com"),
    )
    assert team.channel("#sales").posts_saying("renamed from *Forecast*")


def _initial(element: dict) -> dict:
    """What Slack sends for an input left as the form filled it in."""
    kind = element["type"]
    if kind == "plain_text_input":
        return {"type": kind, "value": element.get("initial_value")}
    if kind == "datepicker":
        return {"type": kind, "selected_date": element.get("initial_date")}
    if kind == "timepicker":
        return {"type": kind, "selected_time": element.get("initial_time")}
    if kind == "static_select":
        return {"type": kind, "selected_option": element.get("initial_option")}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": element.get("initial_users") or []}
    return {"type": kind}


# -- Quiet channels: a meeting's own outcome prompt ------------------------------------------


def outcome_prompts(team) -> list:
    return team.channel("#sales").posts_saying("has ended")


def two_days_pass(team) -> None:
    for _ in range(48):  # hour by hour, as the alarm would ring
        team.time_passes(hours=1)


def test_outcome_off_at_schedule_and_on_again_by_edit(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm for 1h outcome off')
    assert "Scheduled meeting #1" in maya.sees()
    assert team.meeting(1).outcome_prompt is False
    two_days_pass(team)
    assert outcome_prompts(team) == []
    maya.says('/salesmeet schedule "Review" tomorrow 3pm for 1h')
    maya.says("/salesmeet edit #2 outcome off")
    maya.says("/salesmeet edit #2 outcome on")
    assert team.meeting(2).outcome_prompt is True
    two_days_pass(team)
    assert len(outcome_prompts(team)) == 1
