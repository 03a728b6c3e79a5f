"""Agenda prompts and reminders: on time, in the right channel, never twice, never lost."""

import threading
from datetime import UTC, datetime, timedelta

from storage.deliveries import DeliveryStore
from tests.support.harness import start
from tests.support.messages import text_of


def posts_of(slack, kind_word: str, channel: str = "CSALES") -> list[dict]:
    return [p for p in slack.posts(channel) if kind_word in text_of(p)]


def prompts(slack):
    return posts_of(slack, "What should we cover?")


def reminders(slack):
    return posts_of(slack, ":alarm_clock:")


def rows(slack):
    return DeliveryStore(slack.database).for_meeting("T1", 1)


def test_agenda_prompt_24_hours_before_and_reminder_15_minutes_before(slack):
    # Tomorrow 3pm in Kuala Lumpur is 07:00 UTC Tuesday; now is 01:00 UTC Monday.
    slack.ask(
        'schedule "Pipeline review" tomorrow 3pm with <@URAVI>, <@USAM> type shortfall '
        "via https://zoom.us/j/77"
    )
    slack.advance(timedelta(hours=5, minutes=59))
    assert prompts(slack) == []
    slack.advance(timedelta(minutes=1))
    (prompt,) = prompts(slack)
    shown = text_of(prompt)
    assert "<@URAVI>" in shown and "<@USAM>" in shown
    assert "Figures against target" in shown and "Actions and owners" in shown
    button = prompt["blocks"][3]["elements"][0]
    assert button["action_id"] == "add_agenda_item" and button["value"].startswith("1:")
    assert reminders(slack) == []

    slack.ask("agenda #1 add Region by region gap", user="URAVI")
    slack.advance(timedelta(hours=23, minutes=44))
    assert reminders(slack) == []
    slack.advance(timedelta(minutes=1))
    (reminder,) = reminders(slack)
    shown = text_of(reminder)
    assert "Pipeline review" in shown and "<https://zoom.us/j/77|Zoom>" in shown
    assert "Region by region gap" in shown and "<@URAVI>" in shown
    assert "Sent late" not in shown
    # Nothing more, however often the alarm fires.
    slack.advance(timedelta(hours=1))
    assert len(prompts(slack)) == 1 and len(reminders(slack)) == 1
    assert {r.state for r in rows(slack)} == {"sent"}


def test_a_meeting_inside_the_lead_time_is_reminded_at_once(slack):
    slack.ask('schedule "Quick sync" in 10 minutes')
    slack.deliver()
    assert len(reminders(slack)) == 1
    assert prompts(slack) == []  # the reminder carries the agenda


def test_per_meeting_leads(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm agenda 2h reminder 30m')
    due = {r.kind: r.due_at for r in rows(slack) if r.kind in ("agenda", "reminder")}
    start = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert due == {"agenda": start - timedelta(hours=2), "reminder": start - timedelta(minutes=30)}


def test_cancelled_meetings_never_post(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    slack.ask("cancel #1")
    slack.advance(timedelta(days=2))
    assert prompts(slack) == [] and reminders(slack) == []
    assert {r.state for r in rows(slack)} == {"skipped"}


def test_agenda_command_shows_and_adds(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    assert "Nothing yet" in text_of(slack.ask("agenda #1"))
    added = text_of(slack.ask("agenda #1 add <!here> Q4 <b>numbers</b>"))
    assert "Added to the agenda of #1" in added
    shown = text_of(slack.ask("agenda #1"))
    assert "&lt;!here&gt; Q4 &lt;b&gt;numbers&lt;/b&gt;" in shown and "<!here>" not in shown
    assert "no meeting #9" in text_of(slack.ask("agenda #9"))
    assert "Say what to add" in text_of(slack.ask("agenda #1 add"))


def test_restart_sends_what_came_due_while_down_once_and_marked_late(tmp_path, fake, slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    slack.server.close()
    slack.close()
    # Down when the agenda prompt was due (07:00 UTC Monday); back 30 minutes late.
    later = start(tmp_path, fake)
    try:
        later.clock.set(datetime(2026, 11, 23, 7, 30, tzinfo=UTC))
        later.services.alarm.heartbeat()  # start-up: take the lease, catch up
        later.deliver()
        (prompt,) = prompts(later)
        assert "Sent late" in text_of(prompt)
        assert DeliveryStore(later.database).find("T1", "agenda", 1, _key(later)).late
    finally:
        later.server.close()
        later.close()


def _key(slack) -> int:
    return int(datetime(2026, 11, 24, 7, 0, tzinfo=UTC).timestamp())


def test_a_post_more_than_two_hours_late_is_missed_and_the_organiser_told(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    slack.clock.set(datetime(2026, 11, 23, 9, 1, tzinfo=UTC))  # prompt due at 07:00
    slack.deliver()
    assert prompts(slack) == []
    dm = slack.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "UMAYA")
    assert "didn't post the agenda prompt for #1" in text_of(dm[0].params)
    states = {r.kind: r.state for r in rows(slack) if r.kind in ("agenda", "reminder")}
    assert states == {"agenda": "missed", "reminder": "pending"}


def test_two_processes_on_one_database_post_each_once(tmp_path, fake, slack):
    other = start(tmp_path, fake)
    try:
        for i in range(10):
            slack.ask(f'schedule "Meeting {i}" in {20 + i} minutes')
        for clock in (slack.clock, other.clock):
            clock.advance(timedelta(minutes=15))
        threads = [threading.Thread(target=h.deliver) for h in (slack, other, slack, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        calls = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == "CSALES"]
        texts = [text_of(c.params) for c in calls if ":alarm_clock:" in text_of(c.params)]
        assert len(texts) == 10 and len(set(texts)) == 10
    finally:
        other.server.close()
        other.close()


def test_slack_errors_are_retried_later_and_post_once(slack):
    slack.ask('schedule "Forecast" in 10 minutes')
    slack.fake.fail("chat.postMessage", status=500, times=3)  # slack_sdk's own retries too
    slack.deliver()
    assert reminders(slack) == []
    (row,) = [r for r in rows(slack) if r.kind == "reminder"]
    assert row.state == "pending" and row.last_error and row.attempts == 1
    slack.advance(timedelta(seconds=59))
    assert reminders(slack) == []
    slack.advance(timedelta(seconds=1))
    assert len(reminders(slack)) == 1
    slack.advance(timedelta(minutes=30))
    assert len(reminders(slack)) == 1


def test_rate_limits_are_honoured(slack):
    slack.ask('schedule "Forecast" in 10 minutes')
    slack.fake.fail("chat.postMessage", status=429, retry_after=1)
    slack.deliver()
    assert len(reminders(slack)) == 1


def test_a_timeout_after_slack_posted_is_not_posted_again(slack):
    slack.app.client.timeout = 1
    slack.ask('schedule "Forecast" in 10 minutes')
    # Slack takes the post but answers too late: the client gives up.
    slack.fake.fail("chat.postMessage", status=200, delay=2)
    slack.deliver()
    (row,) = [r for r in rows(slack) if r.kind == "reminder"]
    assert row.state == "pending" and row.uncertain
    slack.advance(timedelta(minutes=1))
    assert len(reminders(slack)) == 1
    (row,) = [r for r in rows(slack) if r.kind == "reminder"]
    assert row.state == "sent"


def test_a_post_that_keeps_failing_is_marked_failed_and_the_organiser_told(slack):
    slack.ask('schedule "Forecast" in 30 minutes', channel="CSALES")
    slack.fake.set_bot_member("T1", "CSALES", False)
    for _ in range(6):
        slack.advance(timedelta(minutes=16))
    (row,) = [r for r in rows(slack) if r.kind == "reminder"]
    assert row.state == "failed" and row.last_error == "not_in_channel" and row.attempts == 4
    dm = slack.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "UMAYA")
    assert "/invite @SalesMeet" in text_of(dm[-1].params)


def test_moving_a_meeting_moves_its_pending_posts_and_tells_the_channel(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    slack.advance(timedelta(hours=6))  # agenda prompt sent
    assert len(prompts(slack)) == 1
    answer = text_of(slack.ask("move #1 wed 4pm"))
    assert "moved #1" in answer
    assert "moved #1" in text_of(slack.posts()[-1])
    new_start = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    reminder = next(r for r in rows(slack) if r.kind == "reminder")
    assert reminder.due_at == new_start - timedelta(minutes=15)
    slack.clock.set(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # the old time: nothing
    slack.deliver()
    assert reminders(slack) == []
    slack.clock.set(new_start - timedelta(minutes=15))
    slack.deliver()
    assert len(reminders(slack)) == 1 and len(prompts(slack)) == 1
    assert "Forecast" in text_of(slack.ask("list"))


def test_only_organiser_or_manager_may_move(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    assert "only the organiser" in text_of(slack.ask("move #1 wed 4pm", user="URAVI"))
    assert "moved #1" in text_of(slack.ask("move #1 wed 4pm", user="UOLIVIA"))


def test_add_agenda_item_button_opens_a_modal_and_adds_to_that_occurrence(slack):
    slack.ask('schedule "Forecast" tomorrow 3pm')
    slack.advance(timedelta(hours=6))
    (prompt,) = prompts(slack)
    value = prompt["blocks"][3]["elements"][0]["value"]
    reply = slack.click("add_agenda_item", user="URAVI", value=value)
    assert reply.status == 200
    (opened,) = slack.fake.wait_for("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "add_agenda_item"
    payload_values = {"item": {"value": {"type": "plain_text_input", "value": "Renewals at risk"}}}
    submitted = slack.submit(
        payload_values,
        user="URAVI",
        metadata=view["private_metadata"],
        callback_id="add_agenda_item",
    )
    assert submitted.status == 200 and submitted.body == ""
    assert "Renewals at risk" in text_of(slack.ask("agenda #1"))
    empty = slack.submit(
        {"item": {"value": {"type": "plain_text_input", "value": "  "}}},
        user="URAVI",
        metadata=view["private_metadata"],
        callback_id="add_agenda_item",
    )
    assert list(empty.json["errors"]) == ["item"]


def test_a_claim_left_by_a_dead_process_on_this_host_is_recovered_at_once(slack):
    import socket
    import subprocess
    import sys

    slack.ask('schedule "Forecast" in 10 minutes')
    dead_pid = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_pid.wait()
    (row,) = [r for r in rows(slack) if r.kind == "reminder"]
    with slack.database.transaction() as db:
        db.execute(
            "UPDATE deliveries SET state = 'sending', claimed_by = ?, claimed_at = ? WHERE id = ?",
            [
                f"{socket.gethostname()}:{dead_pid.pid}:x",
                int(slack.clock.now().timestamp()),
                row.id,
            ],
        )
    other = next(r for r in rows(slack) if r.kind == "agenda" or r.id != row.id)
    with slack.database.transaction() as db:  # a live claim on another host: left alone
        db.execute(
            "UPDATE deliveries SET state = 'sending', claimed_by = 'elsewhere:1:y',"
            " claimed_at = ? WHERE id = ?",
            [int(slack.clock.now().timestamp()), other.id],
        )
    assert slack.services.dispatcher.recover() == 1
    slack.deliver()
    assert len(reminders(slack)) == 1
    states = {r.id: r.state for r in rows(slack)}
    assert states[row.id] == "sent" and states[other.id] == "sending"
