"""Agenda prompts and reminders: on time, in the right channel, never twice, never lost."""

import threading
from datetime import UTC, datetime, timedelta

from bot.i18n import translator
from bot.meeting_posts import owner_notice
from storage.deliveries import DeliveryStore
from tests.support.messages import text_of


def prompts(team):
    return team.channel("#sales").posts_saying("What should we cover?")


def reminders(team):
    return team.channel("#sales").posts_saying(":alarm_clock:")


def rows(team):
    team.quiet()
    return DeliveryStore(team.database).for_meeting("T1", 1)


def test_agenda_prompt_24_hours_before_and_reminder_15_minutes_before(team, maya, ravi):
    # Tomorrow 3pm in Kuala Lumpur is 07:00 UTC Tuesday; now is 01:00 UTC Monday.
    maya.says(
        '/salesmeet schedule "Pipeline review" tomorrow 3pm with @ravi, @sam type shortfall '
        "via https://zoom.us/j/77"
    )
    team.time_passes(hours=5, minutes=59)
    assert prompts(team) == []
    team.time_passes(minutes=1)
    (prompt,) = prompts(team)
    shown = prompt.text
    assert "<@URAVI>" in shown and "<@USAM>" in shown
    assert "Figures against target" in shown and "Actions and owners" in shown
    button = prompt.blocks[3]["elements"][0]
    assert button["action_id"] == "add_agenda_item" and button["value"].startswith("1:")
    assert reminders(team) == []

    ravi.says("/salesmeet agenda #1 add Region by region gap")
    team.time_passes(hours=23, minutes=44)
    assert reminders(team) == []
    team.time_passes(minutes=1)
    (reminder,) = reminders(team)
    shown = reminder.text
    assert "Pipeline review" in shown and "<https://zoom.us/j/77|Zoom>" in shown
    assert "Region by region gap" in shown and "<@URAVI>" in shown
    assert "Sent late" not in shown
    # Nothing more, however often the alarm fires.
    team.time_passes(hours=1)
    assert len(prompts(team)) == 1 and len(reminders(team)) == 1
    assert {r.state for r in rows(team)} == {"sent"}


def test_a_meeting_inside_the_lead_time_is_reminded_at_once(team, maya):
    maya.says('/salesmeet schedule "Quick sync" in 10 minutes')
    team.alarm_rings()
    assert len(reminders(team)) == 1
    assert prompts(team) == []  # the reminder carries the agenda


def test_per_meeting_leads(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm agenda 2h reminder 30m')
    due = {r.kind: r.due_at for r in rows(team) if r.kind in ("agenda", "reminder")}
    start = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert due == {"agenda": start - timedelta(hours=2), "reminder": start - timedelta(minutes=30)}


def test_cancelled_meetings_never_post(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    maya.says("/salesmeet cancel #1")
    team.time_passes(days=2)
    assert prompts(team) == [] and reminders(team) == []
    # Its prompts and reminders never go out; its announcement and the cancel notice did.
    posts = {r.kind: r.state for r in rows(team) if r.kind in ("announce", "notice")}
    assert posts == {"announce": "sent", "notice": "sent"}
    assert {r.state for r in rows(team) if r.kind not in posts} == {"skipped"}


def test_agenda_command_shows_and_adds(maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    maya.says("/salesmeet agenda #1")
    assert "Nothing yet" in maya.sees()
    maya.says("/salesmeet agenda #1 add <!here> Q4 <b>numbers</b>")
    assert "Added to the agenda of #1" in maya.sees()
    maya.says("/salesmeet agenda #1")
    shown = maya.sees()
    assert "&lt;!here&gt; Q4 &lt;b&gt;numbers&lt;/b&gt;" in shown and "<!here>" not in shown
    maya.says("/salesmeet agenda #9")
    assert "no meeting #9" in maya.sees()
    maya.says("/salesmeet agenda #1 add")
    assert "Say what to add" in maya.sees()


def test_restart_sends_what_came_due_while_down_once_and_marked_late(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    # Down when the agenda prompt was due (07:00 UTC Monday); back 30 minutes late.
    later = team.restarted()
    later.clock.set(datetime(2026, 11, 23, 7, 30, tzinfo=UTC))
    later.services.alarm.heartbeat()  # start-up: take the lease, catch up
    later.alarm_rings()
    (prompt,) = prompts(later)
    assert "Sent late" in prompt.text
    occurrence = int(datetime(2026, 11, 24, 7, 0, tzinfo=UTC).timestamp())
    assert DeliveryStore(later.database).find("T1", "agenda", 1, occurrence).late


def test_a_post_more_than_two_hours_late_is_missed_and_the_organiser_told(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    team.clock.set(datetime(2026, 11, 23, 9, 1, tzinfo=UTC))  # prompt due at 07:00
    team.alarm_rings()
    assert prompts(team) == []
    # (the week's digest DM with her own figures goes out at this hour too)
    (dm,) = [dm for dm in maya.dms if "agenda prompt" in dm.text]
    assert "didn't post the agenda prompt for #1" in dm.text
    states = {r.kind: r.state for r in rows(team) if r.kind in ("agenda", "reminder")}
    assert states == {"agenda": "missed", "reminder": "pending"}


def test_two_processes_on_one_database_post_each_once(team, maya):
    other = team.another_process()
    for i in range(10):
        maya.says(f'/salesmeet schedule "Meeting {i}" in {20 + i} minutes')
    for process in (team, other):
        process.clock.advance(timedelta(minutes=15))
    rings = [threading.Thread(target=p.alarm_rings) for p in (team, other, team, other)]
    for ring in rings:
        ring.start()
    for ring in rings:
        ring.join()
    # 10 announcements, agenda prompts and reminders in #sales, one a second: paced.
    for _ in range(30):
        for process in (team, other):
            process.time_passes(seconds=1)
    texts = [p.text for p in reminders(team)]
    assert len(texts) == 10 and len(set(texts)) == 10


def test_slack_errors_are_retried_later_and_post_once(team, maya):
    maya.says('/salesmeet schedule "Forecast" in 10 minutes')
    team.slack.fail("chat.postMessage", status=500, times=3)  # slack_sdk's own retries too
    team.alarm_rings()
    assert reminders(team) == []
    (row,) = [r for r in rows(team) if r.kind == "reminder"]
    assert row.state == "pending" and row.last_error and row.attempts == 1
    team.time_passes(seconds=59)
    assert reminders(team) == []
    team.time_passes(seconds=1)
    assert len(reminders(team)) == 1
    team.time_passes(minutes=30)
    assert len(reminders(team)) == 1


def test_rate_limits_are_honoured(team, maya):
    maya.says('/salesmeet schedule "Forecast" in 10 minutes')
    team.slack.fail("chat.postMessage", status=429, retry_after=1)
    team.alarm_rings()
    assert reminders(team) == []  # Slack said wait a second: the channel waits
    team.time_passes(seconds=1)
    assert len(reminders(team)) == 1
    (row,) = [r for r in rows(team) if r.kind == "reminder"]
    assert row.state == "sent" and not row.late and row.attempts == 1


def test_a_timeout_after_slack_posted_is_not_posted_again(team, maya):
    team.app.client.timeout = 1
    maya.says('/salesmeet schedule "Forecast" in 10 minutes')
    # Slack takes the post but answers too late: the client gives up.
    team.slack.fail("chat.postMessage", status=200, delay=2)
    team.alarm_rings()
    (row,) = [r for r in rows(team) if r.kind == "reminder"]
    assert row.state == "pending" and row.uncertain
    team.time_passes(minutes=1)
    assert len(reminders(team)) == 1
    (row,) = [r for r in rows(team) if r.kind == "reminder"]
    assert row.state == "sent"


def test_a_post_that_keeps_failing_is_marked_failed_and_the_organiser_told(team, maya):
    maya.says('/salesmeet schedule "Forecast" in 30 minutes')
    team.slack.set_bot_member("T1", "CSALES", False)
    for _ in range(6):
        team.time_passes(minutes=16)
    (row,) = [r for r in rows(team) if r.kind == "reminder"]
    assert row.state == "failed" and row.last_error == "not_in_channel" and row.attempts == 4
    assert "/invite @SalesMeet" in maya.dms[-1].text


def test_moving_a_meeting_moves_its_pending_posts_and_tells_the_channel(team, maya):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    team.time_passes(hours=6)  # agenda prompt sent
    assert len(prompts(team)) == 1
    maya.says("/salesmeet move #1 wed 4pm")
    assert "moved #1" in maya.sees()
    assert "moved #1" in team.channel("#sales").posts[-1].text
    new_start = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    reminder = next(r for r in rows(team) if r.kind == "reminder")
    assert reminder.due_at == new_start - timedelta(minutes=15)
    team.clock.set(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # the old time: nothing
    team.alarm_rings()
    assert reminders(team) == []
    team.clock.set(new_start - timedelta(minutes=15))
    team.alarm_rings()
    assert len(reminders(team)) == 1 and len(prompts(team)) == 1
    maya.says("/salesmeet list")
    assert "Forecast" in maya.sees()


def test_only_organiser_or_manager_may_move(maya, ravi, olivia):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    ravi.says("/salesmeet move #1 wed 4pm")
    assert "only the organiser" in ravi.sees()
    olivia.says("/salesmeet move #1 wed 4pm")
    assert "moved #1" in olivia.sees()


def test_add_agenda_item_button_opens_a_modal_and_adds_to_that_occurrence(team, maya, ravi):
    maya.says('/salesmeet schedule "Forecast" tomorrow 3pm')
    team.time_passes(hours=6)
    (prompt,) = prompts(team)
    assert ravi.presses("Add agenda item", on=prompt).status == 200
    modal = ravi.modal()
    assert modal.callback_id == "add_agenda_item"
    item = {"item": {"value": {"type": "plain_text_input", "value": "Renewals at risk"}}}
    submitted = ravi.submits(item, on=modal)
    assert submitted.status == 200 and submitted.body == ""
    maya.says("/salesmeet agenda #1")
    assert "Renewals at risk" in maya.sees()
    empty = ravi.submits({"item": {"value": {"type": "plain_text_input", "value": "  "}}}, on=modal)
    assert list(empty.errors) == ["item"]


def test_a_claim_left_by_a_dead_process_on_this_host_is_recovered_at_once(team, maya):
    import socket
    import subprocess
    import sys

    maya.says('/salesmeet schedule "Forecast" in 10 minutes')
    dead_pid = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_pid.wait()
    (row,) = [r for r in rows(team) if r.kind == "reminder"]
    with team.database.transaction() as db:
        db.execute(
            "UPDATE deliveries SET state = 'sending', claimed_by = ?, claimed_at = ? WHERE id = ?",
            [
                f"{socket.gethostname()}:{dead_pid.pid}:x",
                int(team.clock.now().timestamp()),
                row.id,
            ],
        )
    other = next(r for r in rows(team) if r.kind == "agenda" or r.id != row.id)
    with team.database.transaction() as db:  # a live claim on another host: left alone
        db.execute(
            "UPDATE deliveries SET state = 'sending', claimed_by = 'elsewhere:1:y',"
            " claimed_at = ? WHERE id = ?",
            [int(team.clock.now().timestamp()), other.id],
        )
    assert team.services.dispatcher.recover() == 1
    team.alarm_rings()
    assert len(reminders(team)) == 1
    states = {r.id: r.state for r in rows(team)}
    assert states[row.id] == "sent" and states[other.id] == "sending"


def test_the_owners_note_about_a_post_names_the_meeting_escaped(team, maya):
    """A title typed as `<!here>` reaches nobody as a broadcast, not even in the note to
    the organiser that a post was missed or failed (announcements and notices too)."""
    maya.says('/salesmeet schedule "<!here> party" tomorrow 3pm')
    team.quiet()
    services = team.services
    now = team.clock.now()
    rows = {r.kind: r for r in DeliveryStore(team.database).for_meeting("T1", 1)}
    composed = [
        services.announcements.compose(rows["announce"], now, True),
        services.dispatcher.composers["agenda"](rows["agenda"], now, True),
    ]
    for post in composed:
        assert "*&lt;!here&gt; party*" in post.what, post.what
        note = owner_notice(translator(None), post, "missed", None)
        assert "<!here>" not in text_of(note)
