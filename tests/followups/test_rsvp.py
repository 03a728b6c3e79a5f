"""RSVP: Going / Not going on the announcement and the reminder, counted in place."""

from datetime import timedelta

from features.followups.store import RsvpStore
from tests.support.followups import block_text, click_on, posted, text_of, updates

COUNTS = "salesmeet_rsvp_counts"


def schedule(slack, text='schedule "Pipeline review" tomorrow 3pm with <@URAVI>, <@USAM>'):
    slack.ask(text)
    (call,) = posted(slack, "scheduled meeting")
    return call


def last_update(slack, call) -> dict:
    ts = call.response["ts"]
    slack.fake.wait_for("chat.update", where=lambda c: c.params.get("ts") == ts)
    return updates(slack, ts)[-1]


def answers(slack, number=1):
    meeting = slack.services.book.store.get("T1", number)
    key = meeting.next_occurrence(slack.clock.now()).key
    return RsvpStore(slack.database).answers("T1", meeting.id, key)


def test_the_announcement_has_rsvp_buttons_and_counts(slack):
    call = schedule(slack)
    counts = block_text(call.params, COUNTS)
    assert "0 going" in counts and "0 not going" in counts and "2 not answered yet" in counts
    shown = text_of(call.params)
    assert "Going" in str(call.params["blocks"]) and "Not going" in str(call.params["blocks"])
    assert "Who hasn't answered?" in shown or "Who hasn't answered?" in str(call.params)


def test_a_click_updates_the_counts_in_place(slack):
    call = schedule(slack)
    assert click_on(slack, call, "rsvp_going", user="URAVI").status == 200
    update = last_update(slack, call)
    assert update["channel"] == "CSALES" and update["ts"] == call.response["ts"]
    counts = block_text(update, COUNTS)
    assert "1 going" in counts and "1 not answered yet" in counts and "<@URAVI>" in counts
    # Everything else in the post is as it was.
    assert update["blocks"][0] == call.params["blocks"][0]
    assert answers(slack) == {"URAVI": "going"}


def test_repeated_clicks_count_once_and_answers_can_change(slack):
    call = schedule(slack)
    for _ in range(3):
        click_on(slack, call, "rsvp_going", user="URAVI")
    slack.fake.wait_for("chat.update", count=3)
    assert "1 going" in block_text(last_update(slack, call), COUNTS)
    click_on(slack, call, "rsvp_not_going", user="URAVI")
    slack.fake.wait_for("chat.update", count=4)
    counts = block_text(updates(slack, call.response["ts"])[-1], COUNTS)
    assert "0 going" in counts and "1 not going" in counts and "Not going: <@URAVI>" in counts
    assert answers(slack) == {"URAVI": "not_going"}


def test_anyone_in_the_channel_may_answer_but_only_invitees_are_waited_for(slack):
    call = schedule(slack)
    click_on(slack, call, "rsvp_going", user="UOLIVIA")  # not invited: welcome all the same
    counts = block_text(last_update(slack, call), COUNTS)
    assert "1 going" in counts and "2 not answered yet" in counts


def test_the_organiser_sees_who_has_not_answered(slack):
    call = schedule(slack)
    click_on(slack, call, "rsvp_going", user="URAVI")
    click_on(slack, call, "rsvp_who", user="UMAYA")
    (reply,) = slack.fake.wait_for(
        "chat.postEphemeral", where=lambda c: "Not answered yet" in text_of(c.params)
    )
    assert reply.params["user"] == "UMAYA" and reply.params["channel"] == "CSALES"
    shown = text_of(reply.params)
    assert "Not answered yet: <@USAM>" in shown and "Going: <@URAVI>" in shown


def test_others_are_told_politely_that_the_list_is_the_organisers(slack):
    call = schedule(slack)
    click_on(slack, call, "rsvp_who", user="USAM")
    (reply,) = slack.fake.wait_for("chat.postEphemeral")
    assert reply.params["user"] == "USAM"
    assert "Only the organiser (<@UMAYA>) or a manager" in text_of(reply.params)
    # A manager may look.
    click_on(slack, call, "rsvp_who", user="UOLIVIA")
    slack.fake.wait_for(
        "chat.postEphemeral", where=lambda c: "Not answered yet" in text_of(c.params)
    )


def test_rsvp_command(slack):
    call = schedule(slack)
    click_on(slack, call, "rsvp_not_going", user="USAM")
    slack.fake.wait_for("chat.update")  # the answer is kept after the click's ack
    shown = text_of(slack.ask("rsvp #1"))
    assert "Answers for #1" in shown and "Not answered yet: <@URAVI>" in shown
    assert "Not going: <@USAM>" in shown
    assert "Only the organiser" in text_of(slack.ask("rsvp #1", user="URAVI"))
    assert "no meeting #7" in text_of(slack.ask("rsvp #7"))
    assert "Give the meeting's number" in text_of(slack.ask("rsvp soon"))
    click_on(slack, call, "rsvp_going", user="URAVI")
    slack.fake.wait_for("chat.update", count=2)
    assert "Everyone invited has answered" in text_of(slack.ask("rsvp #1"))


def test_answers_close_when_the_meeting_is_over(slack):
    call = schedule(slack)
    slack.advance(timedelta(days=2))
    click_on(slack, call, "rsvp_going", user="URAVI")
    (reply,) = slack.fake.wait_for("chat.postEphemeral")
    assert "is over, so answers are closed" in text_of(reply.params)
    assert slack.fake.calls_to("chat.update") == []


def test_answers_close_when_the_meeting_is_cancelled(slack):
    call = schedule(slack)
    slack.ask("cancel #1")
    click_on(slack, call, "rsvp_going", user="URAVI")
    (reply,) = slack.fake.wait_for("chat.postEphemeral")
    assert "Meeting #1 is cancelled" in text_of(reply.params)


def test_the_reminder_carries_rsvp_for_its_occurrence(slack):
    slack.ask('schedule "Standup" tomorrow 9am for 15m every weekday with <@URAVI>')
    (announcement,) = posted(slack, "scheduled meeting")
    click_on(slack, announcement, "rsvp_going", user="URAVI")  # the first standup
    slack.fake.wait_for("chat.update")
    slack.clock.advance(timedelta(hours=23, minutes=45))  # 15 minutes before Tuesday's
    slack.deliver()
    (reminder,) = posted(slack, ":alarm_clock:")
    assert "1 going" in block_text(reminder.params, COUNTS)
    # The next day's reminder asks afresh: an answer belongs to one occurrence.
    slack.advance(timedelta(days=1))
    second = posted(slack, ":alarm_clock:")[-1]
    assert "0 going" in block_text(second.params, COUNTS)
    click_on(slack, second, "rsvp_not_going", user="URAVI")
    update = last_update(slack, second)
    assert "1 not going" in block_text(update, COUNTS)


def test_a_series_announcement_answers_for_its_first_occurrence_only(slack):
    call = schedule(slack, 'schedule "Weekly" mon 10am every week with <@URAVI>')
    click_on(slack, call, "rsvp_going", user="URAVI")
    slack.fake.wait_for("chat.update")
    meeting = slack.services.book.store.get("T1", 1)
    first, second = meeting.next_occurrences(slack.clock.now(), 2)
    store = RsvpStore(slack.database)
    assert store.answers("T1", meeting.id, first.key) == {"URAVI": "going"}
    assert store.answers("T1", meeting.id, second.key) == {}


def test_a_click_from_another_workspace_touches_nothing_here(slack):
    call = schedule(slack)
    click_on(slack, call, "rsvp_going", user="UGREG", team="T2")
    slack.fake.wait_for("chat.postEphemeral")
    assert answers(slack) == {}


def test_a_failed_update_loses_no_answer(slack):
    call = schedule(slack)
    slack.fake.fail("chat.update", status=500, times=3)
    click_on(slack, call, "rsvp_going", user="URAVI")
    slack.fake.wait_for("chat.update", count=3)
    assert answers(slack) == {"URAVI": "going"}
    assert "Going: <@URAVI>" in text_of(slack.ask("rsvp #1"))


def test_help_lists_export_and_rsvp(slack):
    shown = text_of(slack.ask("help"))
    assert "`/salesmeet export`" in shown and "`/salesmeet export csv" in shown
    assert "`/salesmeet rsvp #" in shown and "who hasn't answered yet" in shown
