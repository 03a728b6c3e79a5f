"""Outcomes: the prompt when an occurrence ends, the form, action items DM'd on their due
date and listed until done, agenda items carried over."""

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from features.followups.store import ActionItemStore
from storage.agenda import AgendaStore
from storage.deliveries import DeliveryStore
from tests.support.followups import button, click_on, posted, text_of, updates


def series(slack):
    slack.ask('schedule "Weekly forecast" next mon 10am every week with <@URAVI>, <@USAM>')
    meeting = slack.services.book.store.get("T1", 1)
    first, second = meeting.next_occurrences(slack.clock.now(), 2)
    slack.ask("agenda #1 add Pipeline by region")
    slack.ask("agenda #1 add Renewals at risk", user="URAVI")
    return meeting, first, second


def prompts(slack):
    return posted(slack, "has ended. What came out of it?")


def open_form(slack, prompt, user="UMAYA") -> dict:
    before = len(slack.fake.calls_to("views.open"))
    click_on(slack, prompt, "record_outcome", user=user)
    calls = slack.fake.wait_for("views.open", count=before + 1)
    return calls[-1].response["view"]


def text_input(value):
    return {"value": {"type": "plain_text_input", "value": value}}


def values(notes="", decisions="", items=(), discussed=None):
    state = {"notes": text_input(notes or None), "decisions": text_input(decisions or None)}
    for i, (text, owner, due) in enumerate(items):
        state[f"item_{i}"] = text_input(text)
        state[f"owner_{i}"] = {"value": {"type": "users_select", "selected_user": owner}}
        state[f"due_{i}"] = {"value": {"type": "datepicker", "selected_date": due}}
    if discussed is not None:
        label = {"type": "plain_text", "text": "x"}
        options = [{"value": str(i), "text": label} for i in discussed]
        state["discussed_0"] = {"value": {"type": "checkboxes", "selected_options": options}}
    return state


def submit(slack, view, user="UMAYA", **kw):
    return slack.submit(
        values(**kw),
        user=user,
        metadata=view["private_metadata"],
        callback_id=view["callback_id"],
        view_id=view["id"],
    )


def jump(slack, instant):
    """Set the clock and do what the alarm would: extend the plan's horizon, send what's due."""
    slack.clock.set(instant)
    slack.services.planner.extend_horizon()
    slack.deliver()


def ended(slack, occurrence):
    jump(slack, occurrence.end)
    (prompt,) = prompts(slack)
    return prompt


def local_day(instant, days=0, tz="Asia/Kuala_Lumpur"):
    return (instant.astimezone(ZoneInfo(tz)) + timedelta(days=days)).date().isoformat()


def items(slack):
    meeting = slack.services.book.store.get("T1", 1)
    return ActionItemStore(slack.database).open_for_meeting("T1", meeting.id)


def test_the_channel_is_asked_for_outcomes_when_an_occurrence_ends(slack):
    _meeting, first, _ = series(slack)
    slack.clock.set(first.end - timedelta(seconds=1))
    slack.deliver()
    assert prompts(slack) == []
    prompt = ended(slack, first)
    shown = text_of(prompt.params)
    assert "#1 Weekly forecast" in shown and "<@UMAYA>" in shown
    assert "action items" in shown and "due date" in shown
    assert button(prompt.params, "record_outcome")["value"] == f"1:{first.key}"
    slack.advance(timedelta(hours=3))
    assert len(prompts(slack)) == 1  # never twice


def test_the_form_asks_for_notes_decisions_action_items_and_what_was_discussed(slack):
    _meeting, first, second = series(slack)
    view = open_form(slack, ended(slack, first))
    assert view["type"] == "modal" and view["callback_id"] == "meeting_outcome"
    ids = [b.get("block_id") for b in view["blocks"]]
    assert {"notes", "decisions", "item_0", "owner_0", "due_0", "item_2"} <= set(ids)
    owner = next(b for b in view["blocks"] if b.get("block_id") == "owner_0")
    due = next(b for b in view["blocks"] if b.get("block_id") == "due_0")
    assert owner["element"]["type"] == "users_select" and due["element"]["type"] == "datepicker"
    (discussed,) = [b for b in view["blocks"] if b.get("block_id") == "discussed_0"]
    labels = [o["text"]["text"] for o in discussed["element"]["options"]]
    assert labels == ["Pipeline by region", "Renewals at risk"]
    assert str(int(second.start.timestamp())) in str(view["blocks"])  # "move to" that day
    assert len(view["blocks"]) <= 100


def test_recording_outcomes_posts_a_summary_plans_dms_and_carries_over(slack):
    meeting, first, second = series(slack)
    prompt = ended(slack, first)
    view = open_form(slack, prompt)
    agenda = AgendaStore(slack.database).items("T1", meeting.id, first.key)
    due = local_day(first.start, 2)
    reply = submit(
        slack,
        view,
        notes="APAC pipeline is thin <!channel>",
        decisions="Hire one SDR\n- Drop the webinar",
        items=[
            ("Call Acme about the renewal", "URAVI", due),
            ("Send the pricing deck", "USAM", due),
        ],
        discussed=[agenda[0].id],
    )
    assert reply.status == 200 and reply.body == ""
    (summary,) = slack.fake.wait_for(
        "chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params)
    )
    shown = text_of(summary.params)
    assert summary.params["channel"] == "CSALES"
    assert "APAC pipeline is thin &lt;!channel&gt;" in shown and "<!channel>" not in shown
    assert "• Hire one SDR" in shown and "• Drop the webinar" in shown
    assert "Call Acme about the renewal: <@URAVI>, due" in shown
    assert "Send the pricing deck: <@USAM>, due" in shown
    assert "Moved to the agenda of the next meeting" in shown and "Renewals at risk" in shown
    # The prompt says who recorded them.
    ts = prompt.response["ts"]
    slack.fake.wait_for("chat.update", where=lambda c: c.params["ts"] == ts)
    assert "Outcomes recorded by <@UMAYA>" in text_of(updates(slack, ts)[-1])

    # Each owner's DM is due at 09:00 in their own zone on the due date.
    ravi, sam = items(slack)
    rows = DeliveryStore(slack.database)
    day = datetime.fromisoformat(due).date()
    kolkata = datetime.combine(day, time(9), tzinfo=ZoneInfo("Asia/Kolkata"))
    new_york = datetime.combine(day, time(9), tzinfo=ZoneInfo("America/New_York"))
    assert rows.find("T1", "action", 0, ravi.id).due_at == kolkata
    assert rows.find("T1", "action", 0, sam.id).due_at == new_york
    # Not discussed: copied to the next occurrence's agenda; discussed: not.
    nxt = [i.text for i in AgendaStore(slack.database).items("T1", meeting.id, second.key)]
    assert nxt == ["Renewals at risk"]


def test_a_repeated_submission_adds_nothing_twice(slack):
    meeting, first, second = series(slack)
    view = open_form(slack, ended(slack, first))
    kwargs = {"items": [("Call Acme", "URAVI", local_day(first.start, 1))], "discussed": []}
    submit(slack, view, **kwargs)
    submit(slack, view, **kwargs)
    slack.fake.wait_for(
        "chat.postMessage", count=2, where=lambda c: "Outcomes of #1" in text_of(c.params)
    )
    assert [i.text for i in items(slack)] == ["Call Acme"]
    nxt = [i.text for i in AgendaStore(slack.database).items("T1", meeting.id, second.key)]
    assert nxt == ["Pipeline by region", "Renewals at risk"]
    # Opened again, the form keeps the notes and offers no item already carried over.
    again = open_form(slack, prompts(slack)[0])
    assert "discussed_0" not in [b.get("block_id") for b in again["blocks"]]


def test_the_form_explains_what_is_missing(slack):
    _, first, _ = series(slack)
    view = open_form(slack, ended(slack, first))
    yesterday = local_day(first.start, -1)
    reply = submit(
        slack,
        view,
        items=[("Call Acme", "", ""), ("", "URAVI", ""), ("Send deck", "USAM", yesterday)],
    )
    errors = reply.json["errors"]
    assert reply.json["response_action"] == "errors"
    assert set(errors) == {"owner_0", "due_0", "item_1", "due_2"}
    assert "Pick who owns" in errors["owner_0"] and "has passed" in errors["due_2"]
    assert items(slack) == []
    assert posted(slack, "Outcomes of #1") == []


def test_an_out_of_date_form_is_refused(slack):
    reply = slack.submit(values(notes="x"), metadata="{}", callback_id="meeting_outcome")
    assert "out of date" in reply.json["errors"]["notes"]
    meta = json.dumps({"number": 9, "occurrence": 1})
    reply = slack.submit(values(notes="x"), metadata=meta, callback_id="meeting_outcome")
    assert "out of date" in reply.json["errors"]["notes"]


def test_more_action_item_rows_on_request(slack):
    _, first, _ = series(slack)
    view = open_form(slack, ended(slack, first))
    slack.click("outcome_add_row", view=view, channel=None)
    (update,) = slack.fake.wait_for("views.update")
    assert update.params["view_id"] == view["id"]
    ids = [b.get("block_id") for b in update.params["view"]["blocks"]]
    assert "item_3" in ids and "item_4" not in ids
    assert json.loads(update.params["view"]["private_metadata"])["rows"] == 4


def test_owners_get_a_dm_on_the_due_date_with_a_done_button(slack):
    _, first, _ = series(slack)
    view = open_form(slack, ended(slack, first))
    due = local_day(first.start, 2)
    submit(slack, view, items=[("Call Acme about the renewal", "URAVI", due)])
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    nine = datetime.combine(
        datetime.fromisoformat(due).date(), time(9), tzinfo=ZoneInfo("Asia/Kolkata")
    )
    slack.clock.set(nine - timedelta(minutes=1))
    slack.deliver()
    assert posted(slack, "due today", channel="URAVI") == []
    slack.clock.set(nine)
    slack.deliver()
    (dm,) = posted(slack, "due today", channel="URAVI")
    assert "Call Acme about the renewal" in text_of(dm.params) and "#1" in text_of(dm.params)
    # Done, from the DM: the message says so, and the item leaves every list.
    click_on(slack, dm, "action_item_done", user="URAVI")
    ts = dm.response["ts"]
    slack.fake.wait_for("chat.update", where=lambda c: c.params["ts"] == ts)
    assert "~Call Acme about the renewal~ done" in text_of(updates(slack, ts)[-1])
    assert items(slack) == []
    # A second click changes nothing and says so.
    click_on(slack, dm, "action_item_done", user="URAVI")
    (told,) = slack.fake.wait_for(
        "chat.postEphemeral", where=lambda c: "already marked done" in text_of(c.params)
    )
    assert told.params["channel"] == "DURAVI" and told.params["user"] == "URAVI"


def test_open_items_are_listed_at_the_next_meeting_until_done(slack):
    _, first, second = series(slack)
    view = open_form(slack, ended(slack, first))
    due = local_day(second.start, 3)
    submit(slack, view, items=[("Call Acme", "URAVI", due), ("Send deck", "USAM", due)])
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    jump(slack, second.start - timedelta(minutes=15))
    reminder = posted(slack, ":alarm_clock:")[-1]
    shown = text_of(reminder.params)
    assert "Open action items" in shown and "Call Acme" in shown and "Send deck" in shown
    # Done from the reminder: that line is struck through in place.
    click_on(slack, reminder, "action_item_done", user="URAVI")
    ts = reminder.response["ts"]
    slack.fake.wait_for("chat.update", where=lambda c: c.params["ts"] == ts)
    updated = updates(slack, ts)[-1]
    assert "~Call Acme~ done" in text_of(updated) and "Send deck" in text_of(updated)
    # An item done before its due date sends no DM.
    day = datetime.fromisoformat(due).date()
    for zone in ("Asia/Kolkata", "America/New_York"):
        jump(slack, datetime.combine(day, time(9), tzinfo=ZoneInfo(zone)))
    assert posted(slack, "due today", channel="URAVI") == []
    assert len(posted(slack, "due today", channel="USAM")) == 1
    (done,) = ActionItemStore(slack.database).for_occurrence("T1", 1, first.key)[:1]
    assert DeliveryStore(slack.database).find("T1", "action", 0, done.id).state == "skipped"


def test_open_items_are_listed_in_the_next_agenda_prompt(slack):
    _, first, second = series(slack)
    view = open_form(slack, ended(slack, first))
    submit(slack, view, items=[("Call Acme", "URAVI", local_day(second.start, 3))])
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    jump(slack, second.start - timedelta(hours=24))
    (prompt,) = posted(slack, "What should we cover?")
    assert "Call Acme" in text_of(prompt.params)
    assert button(prompt.params, "action_item_done")


def test_only_people_involved_or_managers_mark_items_done(slack):
    _, first, second = series(slack)
    view = open_form(slack, ended(slack, first))
    submit(slack, view, items=[("Call Acme", "URAVI", local_day(second.start, 3))])
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    slack.fake.add_user("T1", "UKIM", "kim", tz="Asia/Seoul")
    jump(slack, second.start - timedelta(minutes=15))
    reminder = posted(slack, ":alarm_clock:")[-1]
    click_on(slack, reminder, "action_item_done", user="UKIM")
    (told,) = slack.fake.wait_for("chat.postEphemeral")
    assert told.params["user"] == "UKIM" and "Only the owner (<@URAVI>)" in text_of(told.params)
    assert len(items(slack)) == 1
    updates = len(slack.fake.calls_to("chat.update"))
    click_on(slack, reminder, "action_item_done", user="UOLIVIA")  # a manager
    # The reminder, updated in place once the item is marked (not an earlier update).
    slack.fake.wait_for("chat.update", count=updates + 1)
    assert items(slack) == []


def test_moving_or_cancelling_the_meeting_keeps_the_dms_of_agreed_work(slack):
    _, first, second = series(slack)
    view = open_form(slack, ended(slack, first))
    due = local_day(second.start, 10)
    submit(slack, view, items=[("Call Acme", "URAVI", due)])
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    (item,) = items(slack)
    day = local_day(second.start)
    assert "moved #1" in text_of(slack.ask(f"move #1 {day} to {day} 11am"))
    assert "Cancelled" in text_of(slack.ask("cancel #1"))
    row = DeliveryStore(slack.database).find("T1", "action", 0, item.id)
    assert row.state == "pending"
    slack.clock.set(row.due_at)
    slack.deliver()
    assert len(posted(slack, "due today", channel="URAVI")) == 1


def test_skipped_and_cancelled_occurrences_ask_for_no_outcomes(slack):
    _, first, second = series(slack)
    assert "will not take place" in text_of(slack.ask(f"skip #1 {local_day(first.start)}"))
    slack.clock.set(second.start - timedelta(hours=1))
    slack.ask("cancel #1")
    slack.advance(timedelta(days=3))
    assert prompts(slack) == []


def test_a_one_off_meeting_has_no_carry_over(slack):
    slack.ask('schedule "Acme demo" tomorrow 3pm with <@USAM>')
    slack.ask("agenda #1 add Demo the new dashboard")
    meeting = slack.services.book.store.get("T1", 1)
    (occurrence,) = meeting.next_occurrences(slack.clock.now(), 1)
    prompt = ended(slack, occurrence)
    view = open_form(slack, prompt)
    assert not [b for b in view["blocks"] if str(b.get("block_id")).startswith("discussed")]
    submit(slack, view, notes="Went well.")
    (summary,) = slack.fake.wait_for(
        "chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params)
    )
    assert "Went well." in text_of(summary.params) and "Moved to" not in text_of(summary.params)


def test_the_prompt_survives_a_move_during_the_meeting(slack):
    """Re-planning a series while an occurrence is in progress keeps that one's prompt."""
    _, first, second = series(slack)
    slack.clock.set(first.start + timedelta(minutes=5))
    slack.deliver()
    day = local_day(second.start)
    assert "moved #1" in text_of(slack.ask(f"move #1 {day} to {day} 11am"))
    slack.clock.set(first.end)
    slack.deliver()
    assert len(prompts(slack)) == 1


def test_an_item_past_its_due_date_is_flagged_at_the_next_meeting(slack):
    _, first, second = series(slack)
    view = open_form(slack, ended(slack, first))
    submit(slack, view, items=[("Call Acme", "URAVI", local_day(first.start, 1))])
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    jump(slack, second.start - timedelta(minutes=15))
    reminder = posted(slack, ":alarm_clock:")[-1]
    assert "Call Acme: <@URAVI>, due" in text_of(reminder.params)
    assert ":warning: overdue" in text_of(reminder.params)


def test_a_save_that_fails_half_way_leaves_nothing_half_done(slack, monkeypatch):
    """Notes, action items, their DMs and the carried-over agenda items are one change:
    when storing the DMs fails, none of the rest is kept, and the next try saves it all."""
    meeting, first, second = series(slack)
    prompt = ended(slack, first)
    view = open_form(slack, prompt)
    due = local_day(first.start, 2)
    entry = {"notes": "Thin pipeline", "items": [("Call Acme", "URAVI", due)], "discussed": []}

    def broken(*args, **kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr("features.followups.store.plan_rows", broken)
    reply = slack.submit(
        values(**entry),
        metadata=view["private_metadata"],
        callback_id=view["callback_id"],
        view_id=view["id"],
        blocks=view["blocks"],
    )
    assert "Something went wrong on my side" in reply.json["errors"]["notes"]
    assert items(slack) == []
    nxt = [i.text for i in AgendaStore(slack.database).items("T1", meeting.id, second.key)]
    assert nxt == []
    again = open_form(slack, prompt)
    notes = next(b for b in again["blocks"] if b.get("block_id") == "notes")
    assert "initial_value" not in notes["element"]  # no notes were kept either
    assert "discussed_0" in [b.get("block_id") for b in again["blocks"]]

    monkeypatch.undo()
    submit(slack, again, **entry)
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    (item,) = items(slack)
    assert DeliveryStore(slack.database).find("T1", "action", 0, item.id).state == "pending"
    nxt = [i.text for i in AgendaStore(slack.database).items("T1", meeting.id, second.key)]
    assert nxt == ["Pipeline by region", "Renewals at risk"]
