"""Written updates instead of an empty meeting (issue #16): the organiser's DM about an
empty agenda, Skip and ask / Keep it, the form, the summary at the meeting's time, the
`async-check` setting, the digest's line and `forget me`."""

import json
from datetime import UTC, datetime, timedelta

from bot.i18n import translator
from storage.deliveries import DeliveryStore
from tests.support.messages import token_times

# Maya (Kuala Lumpur) books it on Monday 23 Nov at 09:00: Tuesdays 15:00 there, 07:00 UTC.
SERIES = '/salesmeet schedule "Weekly forecast" tomorrow 3pm every week with @ravi, @sam'
TUESDAY = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
LEAD = timedelta(hours=2)  # the default `async-check`
SKIP, KEEP, WRITE = "Skip and ask for updates", "Keep it", "Write my update"


def at(team, instant):
    """The clock reaches `instant`; the alarm plans ahead and sends what is due."""
    team.clock.set(instant)
    team.plan_ahead()
    team.alarm_rings()


def checks(person):
    return [m for m in person.dms if "Nothing on the agenda" in m.text]


def asks(team):
    return team.channel("#sales").posts_saying("runs on written updates")


def summaries(team):
    return team.channel("#sales").posts_saying("Written updates for #1")


def day_of(message) -> datetime:
    """The occurrence a message is about: its first date token."""
    return token_times(message.text)[0]


def told(person) -> list[str]:
    """What SalesMeet told them privately, message by message: ephemerals and DMs."""
    return [m.text for m in [*person.ephemerals, *person.dms]]


def buttons(message) -> list[str]:
    return [
        e["text"]["text"]
        for b in message.blocks
        for e in b.get("elements") or []
        if e.get("type") == "button"
    ]


def update(done="", next_steps="", blockers=""):
    def field(text):
        return {"value": {"type": "plain_text_input", "value": text or None}}

    return {"done": field(done), "next": field(next_steps), "blockers": field(blockers)}


def writes(person, ask, **said):
    person.presses(WRITE, on=ask)
    return person.submits(update(**said), on=person.modal())


def skipped_for_updates(team, maya):
    """Maya's series, its check, and her Skip and ask press."""
    maya.says(SERIES)
    at(team, TUESDAY - LEAD)
    (check,) = checks(maya)
    maya.presses(SKIP, on=check)
    return check


def test_the_organiser_is_asked_once_per_occurrence_of_a_series_with_an_empty_agenda(
    team, maya, ravi
):
    maya.says(SERIES)
    maya.says('/salesmeet schedule "Pipeline call" tomorrow 4pm with @ravi')  # a one-off
    at(team, TUESDAY - LEAD - timedelta(minutes=1))
    assert checks(maya) == []
    at(team, TUESDAY - LEAD)
    (check,) = checks(maya)
    assert "#1" in check.text and "Weekly forecast" in check.text
    assert "written updates" in check.text
    assert day_of(check) == TUESDAY
    assert buttons(check) == [SKIP, KEEP]
    at(team, TUESDAY - timedelta(minutes=30))
    at(team, TUESDAY + timedelta(hours=2))
    assert len(checks(maya)) == 1  # once per occurrence, never for the one-off
    assert ravi.dms == []
    at(team, TUESDAY + WEEK - LEAD)
    assert [day_of(c) for c in checks(maya)] == [TUESDAY, TUESDAY + WEEK]


def test_no_check_when_the_agenda_has_items_at_check_time(team, maya, ravi):
    maya.says(SERIES)
    ravi.says("/salesmeet agenda #1 add Renewals at risk")
    assert "Added to the agenda of #1" in ravi.sees()
    at(team, TUESDAY - LEAD)
    assert checks(maya) == []
    key = int(TUESDAY.timestamp())
    assert DeliveryStore(team.database).find("T1", "async-check", 1, key).state == "skipped"
    at(team, TUESDAY + WEEK - LEAD)  # next week's agenda is empty again
    assert [day_of(c) for c in checks(maya)] == [TUESDAY + WEEK]


def test_the_check_survives_a_restart_and_goes_out_once(team, maya):
    maya.says(SERIES)
    # Down when the check was due; back 10 minutes late.
    later = team.restarted()
    later.clock.set(TUESDAY - LEAD + timedelta(minutes=10))
    later.services.alarm.heartbeat()  # start-up: take the lease, catch up
    later.alarm_rings()
    maya_later = later.person("maya")
    (check,) = checks(maya_later)
    assert "Sent late" in check.text
    later.alarm_rings()
    at(later, TUESDAY - timedelta(minutes=30))
    assert len(checks(maya_later)) == 1


def test_skip_and_ask_skips_asks_everyone_and_posts_the_updates_once_at_the_start(
    team, maya, ravi, sam
):
    check = skipped_for_updates(team, maya)
    sales = team.channel("#sales")
    # Skipped through the core's skip: the channel's notice, as `/salesmeet skip` gives.
    (notice,) = sales.posts_saying("will not take place")
    assert "#1" in notice.text and "<@URAVI>" in notice.text
    assert int(TUESDAY.timestamp()) in team.meeting(1).skipped
    # The DM now says so, without its buttons (chat.update on the same message).
    (decided,) = [m for m in maya.dms if m.ts == check.ts]
    assert "Skipped #1" in decided.text and "3 people" in decided.text
    assert buttons(decided) == []
    # Everyone who would have sat in the meeting is asked in the channel.
    (ask,) = asks(team)
    assert all(f"<@{u}>" in ask.text for u in ("UMAYA", "URAVI", "USAM"))
    assert buttons(ask) == [WRITE]

    form = (ravi.presses(WRITE, on=ask), ravi.modal())[1]
    assert {"done", "next", "blockers"} <= set(form.block_ids)
    ravi.submits(update(done="Closed Acme", next_steps="Globex demo"), on=form)
    assert "your update for #1 is in" in ravi.sees()
    # An empty update is refused in the form; writing again replaces the first.
    assert "done" in writes(sam, ask).errors
    writes(ravi, ask, done="Closed Acme renewal", next_steps="Globex demo", blockers="Legal")
    writes(maya, ask, done="Forecast call with finance")

    at(team, TUESDAY - timedelta(minutes=1))
    assert summaries(team) == []
    assert sales.posts_saying(":alarm_clock:") == []  # no reminder: it was skipped
    at(team, TUESDAY)
    (summary,) = summaries(team)
    shown = summary.text
    assert "Closed Acme renewal" in shown and "Legal" in shown
    assert "Forecast call with finance" in shown and "Globex demo" in shown
    assert "No update from <@USAM>" in shown and "<@URAVI>, " not in shown
    at(team, TUESDAY + timedelta(hours=1))
    assert len(summaries(team)) == 1
    # Closed once posted.
    sam.presses(WRITE, on=ask)
    assert "already posted" in sam.sees()


def test_a_second_press_does_nothing_twice(team, maya):
    check = skipped_for_updates(team, maya)
    maya.presses(SKIP, on=check)  # the same, stale message: a double click
    assert "already skipped" in maya.sees()
    maya.presses(KEEP, on=check)
    assert "already skipped" in maya.sees()
    assert len(team.channel("#sales").posts_saying("will not take place")) == 1
    assert len(asks(team)) == 1


def test_the_summary_survives_a_restart(team, maya, ravi):
    skipped_for_updates(team, maya)
    (ask,) = asks(team)
    writes(ravi, ask, done="Closed Acme")
    later = team.restarted()
    later.clock.set(TUESDAY + timedelta(minutes=5))
    later.services.alarm.heartbeat()
    later.alarm_rings()
    later.alarm_rings()
    (summary,) = summaries(later)
    assert "Closed Acme" in summary.text and "Sent late" in summary.text


def test_keep_it_keeps_the_meeting_and_says_so_in_place(team, maya):
    maya.says(SERIES)
    at(team, TUESDAY - LEAD)
    (check,) = checks(maya)
    maya.presses(KEEP, on=check)
    (kept,) = [m for m in maya.dms if m.ts == check.ts]
    assert "Keeping #1" in kept.text and buttons(kept) == []
    assert team.meeting(1).skipped == frozenset()
    maya.presses(SKIP, on=check)  # a stale button: the first answer stands
    assert "already kept" in maya.sees()
    at(team, TUESDAY)
    sales = team.channel("#sales")
    assert sales.posts_saying("will not take place") == [] and asks(team) == []
    assert len(sales.posts_saying(":alarm_clock:")) == 1  # the meeting goes ahead


def test_only_the_organiser_or_a_manager_can_answer(team, maya, ravi, olivia):
    maya.says(SERIES)
    at(team, TUESDAY - LEAD)
    (check,) = checks(maya)
    ravi.presses(SKIP, on=check)
    ravi.presses(KEEP, on=check)
    refusals = [t for t in told(ravi) if "only the organiser (<@UMAYA>) or a manager" in t]
    assert len(refusals) == 2
    assert team.meeting(1).skipped == frozenset() and asks(team) == []
    olivia.presses(SKIP, on=check)  # an admin
    assert int(TUESDAY.timestamp()) in team.meeting(1).skipped
    (decided,) = [m for m in maya.dms if m.ts == check.ts]
    assert "Decided by <@UOLIVIA>" in decided.text
    assert len(asks(team)) == 1
    # Maya hears who skipped her meeting, as with a manager's `/salesmeet skip`.
    assert any("will not take place" in m.text for m in maya.dms)


def test_other_workspaces_are_apart(team, maya, globex_team):
    globex_maya = globex_team.person("maya-at-globex")
    maya.says(SERIES)
    # Globex's Maya is in London: Tuesdays at 15:00 there are 15:00 UTC.
    globex_maya.says('/salesmeet schedule "Globex sync" tomorrow 3pm every week')
    at(team, TUESDAY - LEAD)
    (check,) = checks(maya)
    assert checks(globex_maya) == []  # the same user id, another workspace
    maya.presses(SKIP, on=check)
    assert globex_team.meeting(1).skipped == frozenset()
    at(globex_team, datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
    (globex_check,) = checks(globex_maya)
    assert "Globex sync" in globex_check.text and len(checks(maya)) == 0


def test_config_async_check_off_and_a_custom_lead(team, maya, olivia):
    maya.says(SERIES)
    maya.says("/salesmeet config async-check off")
    assert "only" in maya.sees().lower()  # managers only
    olivia.says("/salesmeet config async-check soon")
    assert "couldn't read “soon”" in olivia.sees()
    olivia.says("/salesmeet config async-check 1d")
    assert "1 day before each meeting of a series" in olivia.sees()
    at(team, TUESDAY - timedelta(days=1, minutes=1))
    assert checks(maya) == []
    at(team, TUESDAY - timedelta(days=1))
    (check,) = checks(maya)
    assert day_of(check) == TUESDAY
    olivia.says("/salesmeet config async-check off")
    assert "`async-check`: off" in olivia.sees()
    at(team, TUESDAY + WEEK - timedelta(days=1))
    at(team, TUESDAY + WEEK - LEAD)
    assert len(checks(maya)) == 1
    olivia.says("/salesmeet config async-check default")
    at(team, TUESDAY + 2 * WEEK - LEAD)
    assert [day_of(c) for c in checks(maya)] == [TUESDAY, TUESDAY + 2 * WEEK]


def test_the_digest_counts_the_hours_saved(team, maya, olivia, globex_team):
    skipped_for_updates(team, maya)
    olivia.says("/salesmeet digest")
    assert "1 meeting replaced by written updates: 1.5 attendee-hours saved" in olivia.sees()
    tr = translator(None)
    week = (datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    # 30 minutes saved for each of the three asked.
    assert team.services.hooks.digest_notes(tr, "T1", *week) == [
        ":memo: 1 meeting replaced by written updates: 1.5 attendee-hours saved."
    ]
    later = (week[0] + WEEK, week[1] + WEEK)
    assert team.services.hooks.digest_notes(tr, "T1", *later) == []
    assert globex_team.services.hooks.digest_notes(tr, "T2", *week) == []


def test_forget_me_takes_my_update_and_my_name_out_of_the_others(team, maya, ravi, sam):
    skipped_for_updates(team, maya)
    (ask,) = asks(team)
    writes(ravi, ask, done="Closed Acme")
    writes(sam, ask, done="Paired with Ravi Kumar on Globex")
    ravi.says("/salesmeet forget me")
    ravi.presses("Forget", on=ravi.answer())
    assert "SalesMeet has forgotten you" in ravi.sees()
    at(team, TUESDAY)
    (summary,) = summaries(team)
    assert "Closed Acme" not in summary.text and "URAVI" not in summary.text
    assert "Paired with a former member on Globex" in summary.text
    assert "No update from <@UMAYA>." in summary.text  # Ravi is not named as silent either
    # The hours saved stay: they are the meeting's, not Ravi's.
    tr = translator(None)
    week = (datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    assert "1.5 attendee-hours" in team.services.hooks.digest_notes(tr, "T1", *week)[0]


def test_crafted_button_values_and_forms_change_nothing(team, maya, globex_team):
    check = skipped_for_updates(team, maya)
    greg = globex_team.person("greg")
    before = (team.meeting(1).skipped, len(asks(team)), len(summaries(team)))
    # Buttons carrying values we never wrote, or Acme's values pressed in Globex.
    for action, value in (
        ("updates_skip", f"1:{int(TUESDAY.timestamp()) + 60}"),  # no such occurrence
        ("updates_keep", "1:99999999999999"),
        ("updates_skip", "not a value"),
        ("updates_write", "999"),
    ):
        reply = team.harness.click(action, user="UMAYA", channel="CSALES", value=value)
        assert reply.status == 200
    globex_team.harness.click("updates_write", user="UGREG", team="T2", channel="CSALES", value="1")
    globex_team.harness.click(
        "updates_skip",
        user="UGREG",
        team="T2",
        channel="CSALES",
        value=check.element(SKIP)[1]["value"],
    )
    team.quiet()
    globex_team.quiet()
    assert any("skipped or moved off the calendar" in t for t in told(maya))
    assert any("out of date" in t for t in told(greg))
    assert any("no meeting #1" in t for t in told(greg))
    # A form of Acme's round (its metadata as we write it) sent from Globex is refused.
    reply = globex_team.harness.submit(
        update(done="Hi from Globex"),
        user="UGREG",
        team="T2",
        metadata=json.dumps({"round": 1, "channel_id": "CSALES"}),
        callback_id="written_update",
    )
    assert "done" in reply.errors
    assert (team.meeting(1).skipped, len(asks(team)), len(summaries(team))) == before
    at(team, TUESDAY)
    (summary,) = summaries(team)
    assert "Hi from Globex" not in summary.text
