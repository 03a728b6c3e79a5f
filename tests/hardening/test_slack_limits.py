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

import pytest
from slack_sdk import WebClient

from bot.i18n import translator
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


# -- What each post costs (issue #15): settings read once a pass, each post composed once --


def count_passes_and_reads(team) -> list[tuple[int, int]]:
    """(rows, settings read from the database) of each dispatcher pass from now on."""
    dispatcher, store = team.services.dispatcher, team.services.workspaces.store
    reads, passes = [0], []
    read_all, run_pass = store.all, dispatcher._pass

    def counted_read(team_id):
        reads[0] += 1
        return read_all(team_id)

    def counted_pass(rows, *args, **kwargs):
        before = reads[0]
        try:
            return run_pass(rows, *args, **kwargs)
        finally:
            passes.append((len(rows), reads[0] - before))

    store.all = counted_read
    dispatcher._pass = counted_pass
    return passes


def count_composes(team, kind: str = "agenda") -> dict[int, int]:
    """How often the composer of `kind` ran from now on, by meeting id."""
    composers = team.services.dispatcher.composers
    compose, runs = composers[kind], {}

    def counted(row, now, late):
        runs[row.meeting_id] = runs.get(row.meeting_id, 0) + 1
        return compose(row, now, late)

    composers[kind] = counted
    return runs


def test_a_burst_reads_the_settings_once_a_pass_and_composes_each_post_once(team, maya):
    team.slack.set_bot_member("T1", "CQUIET", True)
    enforce(team)
    sales_titles = [f"Sales call {i}" for i in range(6)]
    book(team, maya, sales_titles)
    book(team, maya, ["Quiet call 0", "Quiet call 1"], channel="#quiet")
    team.quiet()
    passes, composed = count_passes_and_reads(team), count_composes(team)
    team.clock.set(PROMPTS_DUE)
    team.alarm_rings()  # eight due at once: four of #sales are held back, not composed
    assert composed == {n: 1 for n in (1, 2, 7, 8)}
    for _ in range(4):
        team.time_passes(seconds=1)
    assert prompts(team.channel("#sales")) == sales_titles
    assert composed == {n: 1 for n in range(1, 9)}  # once per post sent, none twice
    assert team.slack.ratelimited == 0
    # The late limit, the composers, the notices: each pass read T1's settings once.
    assert [reads for rows, reads in passes if rows] == [1] * len([p for p in passes if p[0]])
    assert len([p for p in passes if p[0]]) >= 5


def test_a_settings_change_between_passes_is_seen_by_the_next_pass(team, maya, olivia):
    book(team, maya, ["Sales call 0", "Sales call 1", "Sales call 2"])
    team.clock.set(PROMPTS_DUE)
    team.alarm_rings()  # two go now, in English; the third waits for its slot
    olivia.says("/salesmeet config language ms")
    team.quiet()
    team.time_passes(seconds=1)
    sales = team.channel("#sales")
    assert len(sales.posts_saying("*Agenda for #")) == 2
    malay = translator("ms").gettext(
        ":memo: *Agenda for {ref} {title}*, {when}", ref="#3", title="Sales call 2", when=""
    )
    assert len(sales.posts_saying(malay)) == 1  # the pass after the change read it


def test_a_held_back_post_goes_to_the_channel_its_meeting_moved_to(team, maya):
    team.slack.set_bot_member("T1", "CQUIET", True)
    enforce(team)
    book(team, maya, [f"Sales call {i}" for i in range(3)])
    team.quiet()
    composed = count_composes(team)
    team.clock.set(PROMPTS_DUE)
    team.alarm_rings()
    (held,) = [r for r in rows(team, "agenda") if r.state == "pending"]
    assert held.meeting_id == 3 and held.channel_id == "CSALES" and held.not_before
    with team.database.transaction() as db:  # the meeting moves to #quiet meanwhile
        db.execute("UPDATE meetings SET channel_id = 'CQUIET' WHERE team_id = 'T1' AND id = 3")
    team.time_passes(seconds=1)
    assert prompts(team.channel("#sales")) == ["Sales call 0", "Sales call 1"]
    assert prompts(team.channel("#quiet")) == ["Sales call 2"]
    (row,) = [r for r in rows(team, "agenda") if r.meeting_id == 3]
    assert row.state == "sent" and row.channel_id == "CQUIET"
    assert composed == {1: 1, 2: 1, 3: 1} and team.slack.ratelimited == 0


def test_a_post_whose_channel_was_not_as_paced_is_paced_for_the_channel_it_goes_to(team, maya):
    """Were the channel pacing went by wrong (the meeting moved between looking and
    composing), the composed post takes a slot in its real channel: still no 429, in
    order, each post once."""
    team.slack.set_bot_member("T1", "CQUIET", True)
    enforce(team)
    quiet_titles = [f"Quiet call {i}" for i in range(4)]
    book(team, maya, quiet_titles, channel="#quiet")
    team.quiet()
    dispatcher = team.services.dispatcher
    dispatcher.deliveries.meeting_channels = lambda ids: dict.fromkeys(ids, "CSALES")
    team.clock.set(PROMPTS_DUE)
    team.alarm_rings()
    for _ in range(4):
        team.time_passes(seconds=1)
    assert prompts(team.channel("#quiet")) == quiet_titles
    assert prompts(team.channel("#sales")) == []
    assert team.slack.ratelimited == 0
    assert {r.state for r in rows(team, "agenda")} == {"sent"}


def test_a_composer_that_fails_mid_channel_leaves_what_went_out_settled(team, maya):
    book(team, maya, ["Sales call 0", "Sales call 1"])
    team.quiet()
    composers = team.services.dispatcher.composers
    compose = composers["agenda"]

    def broken(row, now, late):
        if row.meeting_id == 2:
            raise RuntimeError("a composer's bug")
        return compose(row, now, late)

    composers["agenda"] = broken
    team.clock.set(PROMPTS_DUE)
    with pytest.raises(RuntimeError):
        team.alarm_rings()
    first, second = sorted(rows(team, "agenda"), key=lambda r: r.meeting_id)
    assert first.state == "sent" and second.state == "sending"  # recovered as uncertain
    composers["agenda"] = compose
    team.time_passes(minutes=10)
    assert prompts(team.channel("#sales")) == ["Sales call 0"]  # never twice
