"""App Home: my next meetings with my RSVP, my hours this week against the limit, my open
action items, what other features add, and the buttons; within 100 blocks."""

from datetime import timedelta

from slack_sdk.models.blocks import ButtonElement, SectionBlock

from bot.hooks import HomeEntry, Parts
from tests.support.followups import button, click_on, posted, text_of


def open_home(slack, user="URAVI", team="T1") -> dict:
    before = len(slack.fake.calls_to("views.publish"))
    assert slack.event({"type": "app_home_opened", "user": user, "tab": "home"}, team).status == 200
    calls = slack.fake.wait_for("views.publish", count=before + 1)
    call = calls[-1]
    assert call.params["user_id"] == user
    return call.params["view"]


def shown(view) -> str:
    return text_of(view)


def test_home_lists_my_next_meetings_with_my_answer_and_buttons(slack):
    slack.ask('schedule "Pipeline review" tomorrow 3pm for 1h with <@URAVI>')
    slack.ask('schedule "Not mine" tomorrow 4pm with <@USAM>')
    view = open_home(slack)
    assert view["type"] == "home"
    text = shown(view)
    assert "Pipeline review" in text and "Not mine" not in text
    assert "Your answer: :grey_question: not answered yet" in text
    assert button(view, "open_schedule_modal")
    meeting = slack.services.book.store.get("T1", 1)
    key = meeting.next_occurrence(slack.clock.now()).key
    assert button(view, "add_agenda_item")["value"] == f"1:{key}"
    assert button(view, "rsvp_going")["value"] == f"1:{key}"


def test_hours_this_week_against_the_limit(slack):
    # The workspace week runs Monday to Monday in its zone (UTC by default).
    slack.ask('schedule "Forecast" tomorrow 3pm for 2h with <@URAVI>')
    slack.ask('schedule "Deal desk" tomorrow 6pm for 90m with <@URAVI>')
    slack.ask('schedule "Next week" Dec 1 3pm for 3h with <@URAVI>')
    text = shown(open_home(slack))
    assert "Your meeting hours this week:* 3.5 of 15 hours (23%)" in text
    assert "over the limit" not in text
    slack.services.workspaces.set("T1", "weekly_hours_limit", "3")
    text = shown(open_home(slack))
    assert "3.5 of 3 hours" in text and "0.5 hours over the limit" in text
    # Hours already spent this week still count after the meetings are over.
    slack.advance(timedelta(days=2))
    assert "3.5 of 3 hours" in shown(open_home(slack))


def test_no_meetings_yet(slack):
    text = shown(open_home(slack, user="USAM"))
    assert "You have no upcoming meetings." in text
    assert "none yet, against a limit of 15 hours" in text


def test_answering_from_home_republishes_it(slack):
    slack.ask('schedule "Pipeline review" tomorrow 3pm with <@URAVI>')
    view = open_home(slack)
    value = button(view, "rsvp_going")["value"]
    slack.click("rsvp_going", user="URAVI", value=value, view=view, channel=None)
    calls = slack.fake.wait_for("views.publish", count=2)
    text = shown(calls[-1].params["view"])
    assert "Your answer: :white_check_mark: going" in text
    assert button(calls[-1].params["view"], "rsvp_going").get("style") == "primary"
    # The announcement's counts agree, whatever surface the answer came from.
    assert "Going: <@URAVI>" in text_of(slack.ask("rsvp #1"))


def test_many_meetings_stay_within_100_blocks(slack):
    for i in range(60):
        slack.ask(f'schedule "Account review {i}" in {i + 1} hours with <@URAVI>')
    view = open_home(slack)
    assert len(view["blocks"]) <= 100
    text = shown(view)
    assert "Account review 0" in text and "…and 50 more" in text and "/salesmeet list mine" in text


def test_what_other_features_add_is_shown_and_kept_within_limits(slack):
    def leaderboard(tr, team_id, user_id):
        return [SectionBlock(text=f"Leaderboard line {n}") for n in range(80)]

    slack.services.hooks.parts.append(Parts(home_blocks=leaderboard))
    for i in range(12):
        slack.ask(f'schedule "Account review {i}" in {i + 1} hours with <@URAVI>')
    view = open_home(slack)
    text = shown(view)
    assert len(view["blocks"]) <= 100
    assert "Leaderboard line 0" in text and "Account review 0" in text


def test_a_features_own_hours_block_replaces_the_simple_one(slack):
    def digest(tr, team_id, user_id):
        return [SectionBlock(block_id="home_hours", text="Digest hours: 2 of 15")]

    slack.services.hooks.parts.append(Parts(home_blocks=digest))
    text = shown(open_home(slack))
    assert "Digest hours: 2 of 15" in text and "Your meeting hours this week" not in text


def test_my_open_action_items_with_done_buttons(slack):
    slack.ask('schedule "Forecast" in 1 hour with <@URAVI>')
    meeting = slack.services.book.store.get("T1", 1)
    occurrence = meeting.next_occurrence(slack.clock.now())
    slack.clock.set(occurrence.end)
    slack.deliver()
    for _ in range(5):  # posts due at once in #sales go one a second after a burst
        slack.advance(timedelta(seconds=1))
    (prompt,) = posted(slack, "has ended")
    click_on(slack, prompt, "record_outcome")
    (opened,) = slack.fake.wait_for("views.open")
    form = opened.response["view"]
    state = {
        "item_0": {"value": {"type": "plain_text_input", "value": "Send the quote"}},
        "owner_0": {"value": {"type": "users_select", "selected_user": "URAVI"}},
        "due_0": {"value": {"type": "datepicker", "selected_date": "2026-12-01"}},
    }
    slack.submit(
        state, metadata=form["private_metadata"], callback_id=form["callback_id"], view_id="V9"
    )
    slack.fake.wait_for("chat.postMessage", where=lambda c: "Outcomes of #1" in text_of(c.params))
    view = open_home(slack)
    assert "Your open action items" in shown(view) and "Send the quote" in shown(view)
    done = button(view, "action_item_done")
    slack.click("action_item_done", user="URAVI", value=done["value"], view=view, channel=None)
    calls = slack.fake.wait_for("views.publish", count=2)
    assert "Send the quote" not in shown(calls[-1].params["view"])


def test_a_failed_publish_is_only_logged(slack):
    slack.fake.fail("views.publish", status=500, times=3)
    reply = slack.event({"type": "app_home_opened", "user": "URAVI", "tab": "home"})
    assert reply.status == 200
    slack.fake.wait_for("views.publish", count=3)


def test_the_messages_tab_publishes_nothing(slack):
    slack.event({"type": "app_home_opened", "user": "URAVI", "tab": "messages"})
    open_home(slack, user="UMAYA")  # the next event is answered, the first one was not
    assert [c.params["user_id"] for c in slack.fake.calls_to("views.publish")] == ["UMAYA"]


def test_the_team_leaderboard_and_goal_from_recognition(slack):
    slack.ask("goal 100000 per month", user="UOLIVIA")
    slack.ask("win 12000 Acme renewal", user="URAVI")
    slack.ask('schedule "Forecast" tomorrow 3pm with <@URAVI>')
    text = shown(open_home(slack))
    assert "Team leaderboard this week" in text and "<@URAVI>" in text
    assert "Forecast" in text and "Your meeting hours this week" in text
    assert "Team goal" in text and "12,000 USD of 100,000 USD" in text


def test_what_other_features_add_to_each_meeting(slack):
    def deal_size(tr, team_id, user_id, shown):
        return {
            (m.id, o.key): HomeEntry(
                [f"Deal size for {m.ref}: large"],
                [ButtonElement(text="Deal notes", action_id="deal_notes", value=m.ref)],
            )
            for m, o in shown
        }

    slack.services.hooks.parts.append(Parts(home_meetings=deal_size))
    slack.ask('schedule "Pipeline review" tomorrow 3pm with <@URAVI>')
    view = open_home(slack)
    text = shown(view)
    assert "Your answer: :grey_question: not answered yet\nDeal size for #1: large" in text
    (actions,) = [b for b in view["blocks"] if str(b.get("block_id")).startswith("home_meeting:")]
    assert [e["action_id"] for e in actions["elements"]] == [
        "rsvp_going",
        "rsvp_not_going",
        "deal_notes",
        "add_agenda_item",
    ]
