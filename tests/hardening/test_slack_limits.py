"""Slack's limits, simulated and respected (issue #15).

The Slack double enforces Slack's published rate limits here (`enforce_rate_limits`, on
the test's manual clock): one post a second per channel after a short burst, the method
tiers, and for an app outside the Slack Marketplace conversations.history at one call a
minute and 15 messages a call. SalesMeet paces its timed posts so that a burst gets no
429, sends to different channels side by side, honours Retry-After for the channel it
concerns only, and does not count the wait as lateness. A post whose fate is unknown is
looked for in its conversation (a DM's too) before it is sent again, and while Slack
cannot answer that check it waits: never twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient

from simulator.spec import manifest_bot_scopes
from simulator.workspace import ACME
from storage.deliveries import DeliveryStore

# Booked on Monday 23 Nov, 01:00 UTC: "tomorrow 3pm" in Kuala Lumpur is Tuesday 07:00
# UTC, so its agenda prompt is due Monday 07:00 UTC and its reminder Tuesday 06:45.
PROMPTS_DUE = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
# The weekly series of tests/updates: its organiser's DM ("Nothing on the agenda") is due
# two hours before Tuesday's occurrence.
SERIES = '/salesmeet schedule "Weekly forecast" tomorrow 3pm every week with @ravi, @sam'
CHECK_DUE = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
# Reading a DM's history needs im:history, opening the DM im:write.
DM_SCOPES = manifest_bot_scopes() | {"im:history", "im:write"}


def check_row(team):
    tuesday = int((CHECK_DUE + timedelta(hours=2)).timestamp())
    (row,) = [r for r in rows(team, "async-check") if r.occurrence == tuesday]
    return row


def enforce(team, **limits):
    return team.slack.enforce_rate_limits(team.clock.monotonic, **limits)


def prompts(channel) -> list[str]:
    """The titles of the agenda prompts in a channel, in the order Slack took them."""
    return [m.text.split("*")[1].split(" ", 3)[3] for m in channel.posts_saying("Agenda for #")]


def rows(team, kind: str):
    team.quiet()
    store = DeliveryStore(team.database)
    return [r for n in range(1, 20) for r in store.for_meeting("T1", n) if r.kind == kind]


def book(team, person, titles: list[str], channel: str = "#sales") -> None:
    """Meetings booked one after another, a second apart, as people type."""
    for title in titles:
        person.says(f'/salesmeet schedule "{title}" tomorrow 3pm', channel=channel)
        team.clock.advance(timedelta(seconds=1))


def test_a_burst_goes_out_in_order_one_a_second_per_channel_side_by_side_with_no_429(team, maya):
    team.slack.set_bot_member("T1", "CQUIET", True)
    enforce(team)
    sales_titles = [f"Sales call {i}" for i in range(6)]
    book(team, maya, sales_titles)
    book(team, maya, ["Quiet call 0", "Quiet call 1"], channel="#quiet")
    sales, quiet = team.channel("#sales"), team.channel("#quiet")
    team.clock.set(PROMPTS_DUE)
    team.alarm_rings()  # eight prompts due in the same second
    # A short burst in each channel, and #quiet does not wait behind #sales.
    assert prompts(sales) == sales_titles[:2]
    assert prompts(quiet) == ["Quiet call 0", "Quiet call 1"]
    for second in range(1, 5):
        team.time_passes(seconds=1)
        assert prompts(sales) == sales_titles[: 2 + second]  # one more a second, in order
    assert team.slack.ratelimited == 0
    prompt_rows = rows(team, "agenda")
    assert {r.state for r in prompt_rows} == {"sent"} and not any(r.late for r in prompt_rows)
    assert not [m for m in sales.posts if "Sent late" in m.text]


def test_retry_after_holds_one_channel_and_not_another(team, maya):
    team.slack.set_bot_member("T1", "CQUIET", True)
    enforce(team)
    book(team, maya, ["Sales call"])
    book(team, maya, ["Quiet call"], channel="#quiet")
    team.clock.set(PROMPTS_DUE)
    # Something else of the app's just used #sales's burst: Slack will say wait.
    other = WebClient(token=ACME.bot_token, base_url=team.slack.url, retry_handlers=[])
    for n in range(3):
        other.chat_postMessage(channel="CSALES", text=f"elsewhere {n}")
    team.alarm_rings()
    sales, quiet = team.channel("#sales"), team.channel("#quiet")
    assert prompts(quiet) == ["Quiet call"]  # not held up
    assert prompts(sales) == [] and team.slack.ratelimited == 1  # Retry-After: 1
    team.time_passes(seconds=1)
    assert prompts(sales) == ["Sales call"]
    assert team.slack.ratelimited == 1  # asked once, waited as told
    (held,) = [r for r in rows(team, "agenda") if r.meeting_id == 1]
    assert held.state == "sent" and not held.late and held.attempts == 1


def test_a_post_slack_holds_back_past_the_late_limit_is_neither_late_nor_missed(team, maya):
    book(team, maya, ["Sales call"])
    team.clock.set(PROMPTS_DUE)
    team.slack.fail("chat.postMessage", status=429, retry_after=3 * 3600)
    team.alarm_rings()
    assert prompts(team.channel("#sales")) == []
    team.time_passes(hours=2, minutes=30)  # past the 2-hour late limit: still held
    assert prompts(team.channel("#sales")) == []
    team.time_passes(minutes=30)
    (post,) = team.channel("#sales").posts_saying("Agenda for #1")
    assert "Sent late" not in post.text
    (row,) = rows(team, "agenda")
    assert row.state == "sent" and not row.late
    assert not [m for m in maya.dms if "didn't post" in m.text]


def test_a_dm_whose_answer_timed_out_before_a_restart_is_sent_once(team, maya):
    team.slack.add_workspace(ACME, scopes=DM_SCOPES)
    maya.says(SERIES)
    team.clock.set(CHECK_DUE - timedelta(minutes=1))
    team.plan_ahead()
    team.alarm_rings()
    team.app.client.timeout = 1
    team.slack.fail("chat.postMessage", status=200, delay=2)  # Slack posts; the client gives up
    team.clock.set(CHECK_DUE)
    team.plan_ahead()
    team.alarm_rings()
    later = team.restarted()  # the row says "unconfirmed"; the process goes
    later.clock.set(CHECK_DUE + timedelta(minutes=2))
    later.services.alarm.heartbeat()
    later.alarm_rings()
    later.time_passes(minutes=5)
    maya_later = later.person("maya")
    assert len([m for m in maya_later.dms if "Nothing on the agenda" in m.text]) == 1
    # The check read the DM itself: opened from the user id, never history of a user id.
    histories = later.slack.calls_to("conversations.history")
    assert histories and all(c.params["channel"] == "DUMAYA" for c in histories)
    assert all(c.ok for c in histories)
    assert all(int(c.params.get("limit", 100)) <= 15 for c in histories)
    row = check_row(later)
    assert row.state == "sent" and not row.uncertain


def test_a_rate_limited_check_holds_the_post_uncertain_and_it_still_goes_once(team, maya):
    team.slack.add_workspace(ACME, scopes=DM_SCOPES)
    enforce(team, marketplace=False)
    maya.says(SERIES)
    team.clock.set(CHECK_DUE - timedelta(minutes=1))
    team.plan_ahead()
    team.alarm_rings()
    team.app.client.timeout = 1
    team.slack.fail("chat.postMessage", status=200, delay=2)  # Slack posts; the client gives up
    team.slack.fail("conversations.history", status=429, retry_after=120)
    team.clock.set(CHECK_DUE)
    team.plan_ahead()
    team.alarm_rings()
    team.time_passes(minutes=1)  # its retry: the check is rate-limited
    row = check_row(team)
    assert row.state == "pending" and row.uncertain
    team.time_passes(minutes=1)  # Retry-After not over: not asked again, not posted again
    assert len(team.slack.calls_to("conversations.history")) == 1
    team.time_passes(minutes=1)
    checks = [m for m in maya.dms if "Nothing on the agenda" in m.text]
    assert len(checks) == 1
    row = check_row(team)
    assert row.state == "sent" and not row.uncertain
    assert team.slack.ratelimited == 0  # only the 429 the test asked for
