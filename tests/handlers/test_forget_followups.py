"""`/salesmeet forget me` and what followups keeps after a meeting: the name leaves outcome
notes, decisions and action items others recorded; the action items themselves stay, but
no due-date DM is sent to someone forgotten."""

import itertools
from datetime import timedelta
from zoneinfo import ZoneInfo

from features.followups.store import ActionItemStore
from storage.deliveries import DeliveryStore
from tests.support.followups import click_on, posted, text_of

_TOKENS = itertools.count(1)


def rows(slack, sql: str) -> list[tuple]:
    with slack.database.reading() as db:
        return db.execute(sql).fetchall()


def outcome_form(slack) -> tuple:
    """Meeting #1 (weekly, with Ravi and Sam) has just ended: its outcome form, open."""
    slack.ask('schedule "Weekly forecast" next mon 10am every week with <@URAVI>, <@USAM>')
    meeting = slack.services.book.store.get("T1", 1)
    (first,) = meeting.next_occurrences(slack.clock.now(), 1)
    slack.clock.set(first.end)
    slack.services.planner.extend_horizon()
    slack.deliver()
    (prompt,) = posted(slack, "has ended. What came out of it?")
    before = len(slack.fake.calls_to("views.open"))
    click_on(slack, prompt, "record_outcome")
    view = slack.fake.wait_for("views.open", count=before + 1)[-1].response["view"]
    due = (first.start.astimezone(ZoneInfo("Asia/Kuala_Lumpur")) + timedelta(days=2)).date()
    return meeting, view, due.isoformat()


def text_input(value: str) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def submit(slack, view, notes: str, decisions: str, items: list[tuple[str, str, str]]):
    state = {"notes": text_input(notes), "decisions": text_input(decisions)}
    for i, (text, owner, due) in enumerate(items):
        state[f"item_{i}"] = text_input(text)
        state[f"owner_{i}"] = {"value": {"type": "users_select", "selected_user": owner}}
        state[f"due_{i}"] = {"value": {"type": "datepicker", "selected_date": due}}
    return slack.submit(
        state,
        metadata=view["private_metadata"],
        callback_id=view["callback_id"],
        view_id=view["id"],
    )


def forget_me(slack, user: str) -> str:
    """Ask, then press Forget, as `user`; what they are told."""
    asked = text_of(slack.ask("forget me", user=user))
    assert "can't be undone" in asked
    token = f"forget{next(_TOKENS)}"
    reply = slack.click(
        "forget_person", user=user, value=user, response_url=slack.fake.response_url(token)
    )
    assert reply.status == 200
    (answer,) = slack.fake.wait_for_response(where=lambda r: r.path_token == token)
    return text_of(answer.body)


def test_forget_me_takes_the_name_out_of_outcomes_and_drops_the_dms_due_to_them(slack):
    meeting, view, due = outcome_form(slack)
    submit(
        slack,
        view,
        notes="Ravi Kumar walked us through <@URAVI|ravi>'s pipeline",
        decisions="Ravi owns the renewal",
        items=[("Call Acme about the renewal", "URAVI", due), ("Ravi's deck to Sam", "USAM", due)],
    )
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    deliveries = DeliveryStore(slack.database)
    ravis, sams = ActionItemStore(slack.database).open_for_meeting("T1", meeting.id)
    assert deliveries.find("T1", "action", 0, ravis.id).state == "pending"

    told = forget_me(slack, "URAVI")
    assert "SalesMeet has forgotten you" in told

    (outcome,) = rows(slack, "SELECT notes, decisions FROM outcomes WHERE team_id = 'T1'")
    assert outcome == (
        "a former member walked us through a former member's pipeline",
        "a former member owns the renewal",
    )
    texts = [i.text for i in ActionItemStore(slack.database).open_for_meeting("T1", meeting.id)]
    assert texts == ["Call Acme about the renewal", "a former member's deck to Sam"]
    # His item stays with the meeting, but its DM is not sent; Sam's still is.
    assert deliveries.find("T1", "action", 0, ravis.id).state == "skipped"
    assert deliveries.find("T1", "action", 0, sams.id).state == "pending"
