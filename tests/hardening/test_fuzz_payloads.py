"""Fuzzed interaction payloads through the real app: button values, private_metadata and
view submissions we never wrote, beside the fuzzed command texts of test_properties.py.

Anyone who can sign a request can put anything into an interaction payload. Hypothesis
crafts the values; each request goes through the real Bolt app as a signed HTTP post, and

- gets a 2xx, never a 500;
- changes nothing stored (meetings, agenda, RSVPs, outcomes, action items, planned posts),
  unless it is a payload we could have written (`World.may_store` asks the app's own
  readers and the database; such examples are set aside);
- is answered, if at all, with an ephemeral message, never with the apology for a failure
  of ours, and posts or edits nothing in a channel;
- leaves nothing at ERROR in the log, no traceback, no OverflowError (a WARNING is fine).

The tests: (1) every registered button with crafted values, (2) every registered form
with crafted private_metadata, (3) Globex's buttons and forms carrying Acme's meeting
numbers and keys, (4) crafted fields in the forms we wrote. The hand-picked cases are in
test_crafted_payloads.py. Each test builds one world (Acme with a weekly series, agenda
items, RSVPs, recorded outcomes and an open action item; Globex beside it on the same
database) and hypothesis's examples share it, as the last test of test_properties.py
shares its `slack`.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.modal import DURATIONS
from bot.values import read_agenda_form, read_id, read_occurrence_ref, read_user_id
from entities.meetings import FORMATS, PURPOSES
from features.followups.service import FormState
from tests.support.followups import click_on, posted
from tests.support.harness import START, Harness, Reply

BUTTONS = (
    "open_schedule_modal",
    "list_show_more",
    "add_agenda_item",
    "rsvp_going",
    "rsvp_not_going",
    "rsvp_who",
    "record_outcome",
    "outcome_add_row",
    "action_item_done",
    "edit_meeting",
    "undo_schedule",
    "choose_language",
    "worth_yes",
    "worth_no",
    "updates_skip",
    "updates_keep",
    "updates_write",
    "forget_person",
    "forget_cancel",
)
FORMS = (
    "schedule_meeting",
    "edit_meeting",
    "add_agenda_item",
    "meeting_outcome",
    "written_update",
)
# What is stored; every table has a team_id column. Left out: caches and bookkeeping that
# any request may touch (people, admins and their syncs, leases, the request log kept for
# Slack's retries, the install's identity, migrations).
STORED = (
    "meetings",
    "attendees",
    "occurrence_changes",
    "agenda_items",
    "agenda_carryovers",
    "rsvps",
    "outcomes",
    "action_items",
    "deliveries",
    "schedule_requests",
    "shoutouts",
    "wins",
    "team_goals",
    "workspace_settings",
    "digest_recipients",
    "recognition_places",
    "worth_answers",
    "update_rounds",
    "written_updates",
    "calendar_feeds",
    "calendar_feed_links",
    "person_settings",
)
APOLOGY = "Something went wrong on my side"
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,20}")  # as Slack writes them, and nothing more
BROADCASTS = ("<!here>", "<!channel>", "<!everyone>")  # what we never send unescaped
# Calls that would show something to a whole channel.
PUBLIC = ("chat.postMessage", "chat.update", "chat.delete", "chat.scheduleMessage")
# Bolt answers Slack with an empty 200 when a listener has not acked by then; a request that
# took that long (a loaded machine) can show no answer, through no fault of SalesMeet's.
ACK_TIMEOUT = 3.0
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# -- the world the examples share ----------------------------------------------------------


@dataclass(repr=False)
class World:
    acme: Harness  # T1
    globex: Harness  # T2, on the same database file
    refs: list[tuple[int, int]]  # Acme's (meeting number, occurrence key), as buttons carry them
    globex_refs: list[tuple[int, int]]
    item_ids: list[int]  # Acme's action items, as their Done buttons carry them
    outcome_form: str  # the outcome form's private_metadata, as the app wrote it

    def __repr__(self) -> str:  # for hypothesis's reports: the harnesses are long
        return f"World(refs={self.refs}, globex_refs={self.globex_refs}, items={self.item_ids})"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))

    def harness(self, team: str) -> Harness:
        return self.globex if team == "T2" else self.acme

    def quiet(self) -> None:
        """Wait until both apps have finished what the requests so far started."""
        for harness in (self.acme, self.globex):
            assert harness.activity.wait_idle(20), "SalesMeet is still busy"  # type: ignore[attr-defined]

    def rows(self, team: str | None = None) -> dict[str, list[tuple]]:
        """Every stored row (of one workspace, or of all), read by a connection of our own."""
        self.quiet()
        where, args = ("WHERE team_id = ?", (team,)) if team else ("", ())
        uri = f"file:{self.acme.database.path}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            return {
                table: sorted(db.execute(f"SELECT * FROM {table} {where}", args), key=repr)
                for table in STORED
            }

    # Oracles: could the app have written this? Then it may change what is stored.
    def occurs(self, team: str, number: int, key: int) -> bool:
        """Whether meeting `number` really has an occurrence with this key."""
        meeting = self.acme.services.book.get(team, number)
        if meeting is None or key in meeting.skipped:
            return False
        if key in meeting.moved:
            return True
        at = datetime.fromtimestamp(key, UTC)
        window = meeting.occurrences(at - timedelta(seconds=1), at + timedelta(seconds=1))
        return any(o.key == key for o in window)

    def open(self, team: str, number: int, key: int) -> bool:
        """Whether that occurrence has not ended by the sender's clock."""
        meeting = self.acme.services.book.get(team, number)
        occurrence = meeting.occurrence(key) if meeting else None
        return occurrence is not None and occurrence.end > self.harness(team).clock.now()

    def may_store(self, team: str, kind: str, value: str, values: dict | None = None) -> bool:
        """Whether this button value or form metadata (and the form's `values`) may change
        what is stored: it is one we wrote."""
        if kind == "schedule_meeting":  # booked in the channel picked, or else the metadata's
            picked = ((values or {}).get("channel") or {}).get("value") or {}
            try:
                written = json.loads(value).get("channel_id")
            except (ValueError, AttributeError):
                written = None
            return any(
                isinstance(c, str) and CHANNEL_ID.fullmatch(c)
                for c in (picked.get("selected_conversation"), written)
            )
        if kind in ("undo_schedule", "edit_meeting"):  # a meeting's number, or the edit
            number = read_id(value)  # form's metadata naming one
            if number is None:
                try:
                    number = json.loads(value).get("number")
                except (ValueError, AttributeError):
                    number = None
            if not isinstance(number, int) or not 0 < number < 10**9:
                return False  # the form reads no other number (bot/modal.py)
            return self.harness(team).services.book.get(team, number) is not None
        if kind == "action_item_done":
            item = read_id(value)
            with closing(
                sqlite3.connect(f"file:{self.acme.database.path}?mode=ro", uri=True)
            ) as db:
                found = db.execute(
                    "SELECT 1 FROM action_items WHERE id = ? AND team_id = ?", (item, team)
                ).fetchone()
            return found is not None
        if kind == "forget_person":  # whom to forget: a person's id may forget them
            return bool(read_user_id(value))
        if kind in ("rsvp_going", "rsvp_not_going", "updates_skip", "updates_keep"):
            ref = read_occurrence_ref(value)
            over_too = False  # an answer for an occurrence that has ended is refused
        elif kind in ("worth_yes", "worth_no"):
            ref = read_occurrence_ref(value)
            over_too = True  # "Worth the time?" is asked once an occurrence has ended
        elif kind == "add_agenda_item":  # the form; its button stores nothing
            form = read_agenda_form(value)
            ref = (form.number, form.occurrence) if form else None
            over_too = False  # an item for an occurrence that has ended is refused
        elif kind == "meeting_outcome":
            state = FormState.read(value)
            ref = (state.number, state.occurrence) if state else None
            over_too = True  # outcomes are for occurrences that have ended
        else:
            return False  # the other buttons store nothing, whatever they carry
        if ref is None:
            return False
        return self.occurs(team, *ref) and (over_too or self.open(team, *ref))


def watch(harness: Harness) -> None:
    """Count Bolt's listener threads too, as the transcript does, so `quiet` sees them."""
    activity = harness.activity  # type: ignore[attr-defined]
    runner = harness.app.listener_runner
    runner.listener_executor = activity.wrap(runner.listener_executor)
    lazy = runner.lazy_listener_runner
    lazy.executor = activity.wrap(lazy.executor)  # type: ignore[attr-defined]


@pytest.fixture
def world(slack, globex) -> World:
    watch(slack)
    watch(globex)
    slack.ask('schedule "Forecast" mon 10am every week with <@URAVI>, <@USAM>')
    slack.ask('schedule "Pipeline" tomorrow 3pm with <@URAVI>')
    series = slack.services.book.get("T1", 1)
    first, second = series.next_occurrences(slack.clock.now(), 2)
    slack.ask("agenda #1 add Pipeline by region")
    slack.click("rsvp_going", user="URAVI", value=f"1:{first.key}")
    # The first occurrence ends: its outcomes are recorded, with one action item.
    slack.clock.set(first.end)
    slack.services.planner.extend_horizon()
    slack.deliver()
    for _ in range(5):  # posts due at once in #sales go one a second after a burst
        slack.advance(timedelta(seconds=1))
    (prompt,) = posted(slack, "has ended")
    click_on(slack, prompt, "record_outcome")
    (opened,) = slack.fake.wait_for(
        "views.open", where=lambda c: "meeting_outcome" in str(c.params)
    )
    form = opened.response["view"]
    recorded = slack.submit(
        {
            "notes": {"value": {"type": "plain_text_input", "value": "Thin pipeline"}},
            "item_0": {"value": {"type": "plain_text_input", "value": "Send the quote"}},
            "owner_0": {"value": {"type": "users_select", "selected_user": "URAVI"}},
            "due_0": {"value": {"type": "datepicker", "selected_date": "2026-12-09"}},
        },
        metadata=form["private_metadata"],
        callback_id=form["callback_id"],
        view_id="V9",
    )
    assert recorded.status == 200 and recorded.body == ""
    slack.click("rsvp_not_going", user="USAM", value=f"1:{second.key}")
    slack.ask("agenda #1 add Renewals at risk", user="URAVI")
    slack.ask('schedule "QBR prep" fri 2pm')
    globex.ask('schedule "Globex sync" tomorrow 4:15pm', user="UGREG", team="T2")
    pipeline = slack.services.book.get("T1", 2)
    qbr = slack.services.book.get("T1", 3)
    sync = globex.services.book.get("T2", 1)
    world = World(
        acme=slack,
        globex=globex,
        refs=[
            (1, first.key),
            (1, second.key),
            (2, pipeline.next_occurrence(START).key),
            (3, qbr.next_occurrence(START).key),
        ],
        globex_refs=[(1, sync.next_occurrence(START).key)],
        item_ids=[],
        outcome_form=form["private_metadata"],
    )
    rows = world.rows()
    world.item_ids = [row[0] for row in rows["action_items"]]
    # The world is what the tests think it is.
    assert len(rows["meetings"]) == 4 and len(world.item_ids) == 1
    assert len(rows["rsvps"]) == 2 and len(rows["outcomes"]) == 1
    assert all(world.occurs("T1", *ref) for ref in world.refs)
    assert all(world.occurs("T2", *ref) for ref in world.globex_refs)
    assert not any(world.occurs("T1", *ref) for ref in world.globex_refs)
    assert not any(world.occurs("T2", *ref) for ref in world.refs)
    return world


# -- what the examples are made of ---------------------------------------------------------

HUGE = "99999999999999999999"
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789:", "０１２３４５６７８９：")
AS_WRITTEN = str.maketrans("", "")
ODD_NUMERALS = [
    "0",
    "-0",
    "+1",
    " 1",
    "1 ",
    "1\n",
    "01",
    "1.0",
    "1e3",
    "0x1",
    "1_000",
    "١",
    "٢٣",
    "１２",
    "²",
    "𝟙",
    "Ⅻ",
    "inf",
    "NaN",
    "-1",
    HUGE,
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    str(10**11 + 1),
]
numerals = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.sampled_from(ODD_NUMERALS),
    st.integers(0, 10**12).map(lambda n: str(n).translate(ARABIC)),
)
HOSTILE = [
    "",
    ":",
    "::",
    "<!here>",
    "<!channel>",
    "<@UOLIVIA>",
    "<#CSALES|sales>",
    "'); DELETE FROM rsvps;--",
    "1:1 OR 1=1",
    "%s%s%n",
    "{0}",
    "\x00",
    "null",
    "true",
    "[]",
    "{}",
    '{"number": 1, "occurrence": 1}',
    "\u202e1:1",
]
LONG = st.sampled_from(
    ["1" * 5000, "9" * 20000, "1:" + "9" * 5000, "9" * 5000 + ":1", "x" * 30000, "١" * 5000]
)
json_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
).map(json.dumps)
junk = st.one_of(
    st.text(max_size=80),
    st.text(st.characters(categories=["Nd"]) | st.sampled_from(":-+ "), max_size=30),
    numerals,
    st.builds("{}:{}".format, numerals, numerals),
    st.builds("{}:{}:{}".format, numerals, numerals, numerals),
    st.sampled_from(HOSTILE),
    json_junk,
    LONG,
)
# A real meeting number and occurrence key, a little off or written another way.
REF_SHAPES = [
    "{n}:{k}",
    " {n}:{k}",
    "{n}:{k} ",
    "{n}: {k}",
    "#{n}:{k}",
    "{n}:{k}:0",
    "{n}:{k}\n",
    "{k}:{n}",
    "{n}",
    "{n}:+{k}",
    "{n}:-{k}",
    "-{n}:{k}",
    "{n}:{k}.0",
    "{n}:{k}{k}",
]
NUMBER_SHIFTS = [1, -1, 2, -(10**9), 10**9, 2**63]
KEY_SHIFTS = [1, -1, 60, 3600, -86400, 7 * 86400 + 1, 10**11, -(10**11), 2**64]


def plausible_refs(refs: list[tuple[int, int]]) -> st.SearchStrategy[tuple[int, int]]:
    """(meeting number, occurrence key) pairs close to real ones: real, another key of the
    same meeting, another meeting's key, another number."""
    real = st.sampled_from(refs)
    return st.one_of(
        real,
        st.tuples(real, st.sampled_from(KEY_SHIFTS) | st.integers(-(10**7), 10**7)).map(
            lambda p: (p[0][0], p[0][1] + p[1])
        ),
        st.tuples(real, real).map(lambda p: (p[0][0], p[1][1])),
        st.tuples(real, st.sampled_from(NUMBER_SHIFTS)).map(lambda p: (p[0][0] + p[1], p[0][1])),
    )


def near_refs(refs: list[tuple[int, int]]) -> st.SearchStrategy[str]:
    """Button values close to real ones, written as we write them or some other way."""
    return st.builds(
        lambda ref, shape, script: shape.format(n=ref[0], k=ref[1]).translate(script),
        plausible_refs(refs),
        st.just("{n}:{k}") | st.sampled_from(REF_SHAPES),
        st.just(AS_WRITTEN) | st.sampled_from([ARABIC, FULLWIDTH]),
    )


def near_ids(ids: list[int]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda i, d, shape, script: shape.format(i + d).translate(script),
        st.sampled_from(ids),
        st.sampled_from([0, 1, -1, 10**9, 2**63, -(2**63)]),
        st.sampled_from(
            ["{}", " {}", "{}\n", "0{}", "+{}", "{}.0", "#{}", "{}:{}".format("{}", 1)]
        ),
        st.sampled_from([AS_WRITTEN, ARABIC, FULLWIDTH]),
    )


def button_values(world: World) -> st.SearchStrategy[str]:
    return st.one_of(junk, near_refs(world.refs + world.globex_refs), near_ids(world.item_ids))


crafted_ints = st.one_of(
    st.integers(-(10**30), 10**30),
    st.sampled_from([0, -1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**9, 10**11 + 1]),
    st.booleans(),
    st.floats(),
    st.none(),
    numerals,
    st.just([1]),
    st.just({"number": 1}),
)
channels = st.one_of(
    st.none(),
    st.sampled_from(
        ["CSALES", "CQUIET", "<!channel>", "C", "csales", "D1", "UMAYA", "C" + "1" * 30, "CSALES\n"]
    ),
    st.text(max_size=12),
    crafted_ints,
)
FIELDS = ["number", "occurrence", "channel_id", "message_ts", "rows", "agenda"]


def form_metadata(world: World) -> st.SearchStrategy[str]:
    """What a form's private_metadata may hold: junk, our own shape with crafted numbers,
    or a real occurrence (Acme's or Globex's), or one close to it, with fields gone wrong."""
    shaped = st.fixed_dictionaries(
        {"number": crafted_ints, "occurrence": crafted_ints},
        optional={
            "channel_id": channels,
            "message_ts": junk,
            "rows": crafted_ints,
            "agenda": st.lists(crafted_ints, max_size=4) | crafted_ints,
        },
    )
    ours_gone_wrong = st.builds(
        lambda ref, over: {
            "number": ref[0],
            "occurrence": ref[1],
            "channel_id": "CSALES",
            "message_ts": "1700000000.000100",
            "rows": 3,
            "agenda": [],
            **over,
        },
        plausible_refs(world.refs + world.globex_refs),
        st.dictionaries(
            st.sampled_from(FIELDS), crafted_ints | channels | st.lists(crafted_ints, max_size=3)
        ),
    )
    nearly_ours = st.builds(
        lambda ref, outcome: json.dumps(
            {"number": ref[0], "occurrence": ref[1], "channel_id": "CSALES"}
            | ({"message_ts": "1700000000.000100", "rows": 3, "agenda": []} if outcome else {})
        ),
        plausible_refs(world.refs + world.globex_refs),
        st.booleans(),
    )
    return st.one_of(
        junk,
        json_junk,
        shaped.map(json.dumps),
        ours_gone_wrong.map(json.dumps),
        nearly_ours,
    )


def text_input(values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    return values.map(lambda v: {"value": {"type": "plain_text_input", "value": v}})


def picked(kind: str, key: str, values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    return values.map(lambda v: {"value": {"type": kind, key: v}})


def option(values: st.SearchStrategy) -> st.SearchStrategy[dict]:
    return values.map(lambda v: {"value": v, "text": {"type": "plain_text", "text": "x"}})


# What user pickers send back, broadcasts included: only member ids are taken.
users = st.one_of(
    st.sampled_from(["UMAYA", "URAVI", "UNOBODY", "UGREG", "", "U" + "1" * 40, "<@URAVI>"]),
    st.sampled_from(BROADCASTS),
    st.text(max_size=12),
)
dates = st.one_of(
    st.dates(date(2026, 11, 1), date(2028, 1, 1)).map(date.isoformat),
    st.sampled_from(
        ["2026-11-23", "2026-02-30", "0001-01-01", "9999-12-31", "2026-12-01T10:00", "20261201"]
    ),
    st.dates(date(2026, 11, 1), date(2028, 1, 1)).map(lambda d: d.isoformat().translate(ARABIC)),
    junk,
)
times = st.one_of(
    st.times().map(lambda t: t.strftime("%H:%M")),
    st.sampled_from(["24:00", "25:61", "10", "1000", "10:00:00+14:00", "T10:00", "10:00Z"]),
    junk,
)
select = st.sampled_from(
    [str(m) for m in DURATIONS] + list(PURPOSES) + list(FORMATS) + ["١٥", " 30 ", "9" * 5000]
)
schedule_fields = st.fixed_dictionaries(
    {},
    optional={
        "title": text_input(junk),
        "duration": picked("static_select", "selected_option", option(select | junk)),
        "purpose": picked("static_select", "selected_option", option(select | junk)),
        "format": picked("static_select", "selected_option", option(select | junk)),
        "link": text_input(junk | st.sampled_from(["https://zoom.us/j/1", "javascript:x"])),
        "attendees": picked("multi_users_select", "selected_users", st.lists(users, max_size=4)),
        "guests": text_input(junk | st.just("jane@acme.com, <!here>")),
    },
)


@st.composite
def schedule_forms(draw) -> dict:
    """The scheduling modal with crafted fields; its channel picked from crafted values, or
    not at all (then the channel comes from the metadata)."""
    values = draw(schedule_fields)
    values["title"] = draw(text_input(st.just("Fuzzed meeting") | junk))
    values["date"] = draw(picked("datepicker", "selected_date", dates))
    values["time"] = draw(picked("timepicker", "selected_time", times))
    conversation = draw(st.none() | channels.filter(lambda c: isinstance(c, str)))
    if conversation is not None:
        picked_channel = {"type": "conversations_select", "selected_conversation": conversation}
        values["channel"] = {"value": picked_channel}
    return values


@st.composite
def bookable_schedule_forms(draw) -> dict:
    """The scheduling modal filled in with crafted values, #sales picked to announce in."""
    values = draw(schedule_fields)
    values["title"] = draw(text_input(st.just("Fuzzed meeting") | junk))
    values["date"] = draw(picked("datepicker", "selected_date", dates))
    values["time"] = draw(picked("timepicker", "selected_time", times))
    values["channel"] = {
        "value": {"type": "conversations_select", "selected_conversation": "CSALES"}
    }
    return values


@st.composite
def outcome_forms(draw) -> dict:
    values = {
        "notes": draw(text_input(junk | st.none())),
        "decisions": draw(text_input(junk | st.none())),
    }
    for i in range(draw(st.integers(0, 4))):
        values[f"item_{i}"] = draw(text_input(junk))
        values[f"owner_{i}"] = draw(picked("users_select", "selected_user", users))
        values[f"due_{i}"] = draw(picked("datepicker", "selected_date", dates))
    options = st.lists(option(junk), max_size=4)
    block = draw(st.sampled_from(["discussed_0", "discussed_1", "discussed_x", "discussed_"]))
    values[block] = draw(picked("checkboxes", "selected_options", options))
    return values


# Forms filled in as a person would, so that only the metadata stands between the
# submission and a change to what is stored.
AN_ITEM = {"item": {"value": {"type": "plain_text_input", "value": "Top deals"}}}
AN_OUTCOME = {
    "notes": {"value": {"type": "plain_text_input", "value": "Fuzzed notes"}},
    "item_0": {"value": {"type": "plain_text_input", "value": "Fuzzed task"}},
    "owner_0": {"value": {"type": "users_select", "selected_user": "URAVI"}},
    "due_0": {"value": {"type": "datepicker", "selected_date": "2026-12-09"}},
}
AN_UPDATE = {"done": {"value": {"type": "plain_text_input", "value": "Closed two renewals"}}}
FORM_VALUES = {
    "schedule_meeting": schedule_forms(),
    "edit_meeting": schedule_forms(),
    "add_agenda_item": st.just(AN_ITEM)
    | st.fixed_dictionaries({}, optional={"item": text_input(junk)}),
    "meeting_outcome": st.just(AN_OUTCOME) | outcome_forms(),
    "written_update": st.just(AN_UPDATE)
    | st.fixed_dictionaries(
        {},
        optional={"done": text_input(junk), "next": text_input(junk), "blockers": text_input(junk)},
    ),
}


# -- sending and checking -------------------------------------------------------------------


def click(world: World, team: str, action_id: str, value: str, user: str, home: bool) -> Reply:
    harness = world.harness(team)
    if action_id == "outcome_add_row":  # a button in the outcome form: it reads the form's
        view = {"id": "VFORM", "hash": "h1", "type": "modal", "private_metadata": value}
        return harness.click(action_id, user=user, team=team, value=value, view=view)
    if home:  # a button on App Home: no channel, the home view as the container
        view = {"id": "VHOME", "hash": "h1", "type": "home", "private_metadata": ""}
        return harness.click(action_id, user=user, team=team, value=value, view=view, channel=None)
    return harness.click(action_id, user=user, team=team, value=value)


def submit(world: World, team: str, callback_id: str, values: dict, metadata: str, user: str):
    return world.harness(team).submit(
        values, user=user, team=team, metadata=metadata, callback_id=callback_id
    )


def check(
    world, caplog, reply: Reply, before, calls_before: int, what, *, team=None, public_ok=False
) -> None:
    """The request got a 2xx, an ephemeral answer if any, changed nothing stored (of
    `team`, or of anyone), showed nothing to a channel (unless `public_ok`) and logged
    nothing at ERROR."""
    after = world.rows(team)  # waits for quiet first
    assert 200 <= reply.status < 300, (what, reply.status, reply.body[:500])
    try:
        answer = json.loads(reply.body) if reply.body else {}
    except ValueError:
        answer = {}
    assert answer.get("response_type", "ephemeral") == "ephemeral", (what, answer)
    calls = world.acme.fake.calls[calls_before:]
    shown = [reply.body, *(json.dumps(c.params, ensure_ascii=False) for c in calls)]
    assert not any(APOLOGY in text for text in shown), (what, shown)
    public = [
        c
        for c in calls
        if c.method in PUBLIC and str(c.params.get("channel", "")).startswith(("C", "G"))
    ]
    assert public_ok or not public, (what, [(c.method, c.params) for c in public])
    # Messages are read as mrkdwn, where <!here> pings; a modal's errors are plain text.
    messages = [json.dumps(c.params) for c in calls if c.method.startswith("chat.")]
    if answer.get("response_action") != "errors":
        messages.append(reply.body)
    pings = [text for text in messages if any(token in text for token in BROADCASTS)]
    assert not pings, (what, pings)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, (what, [caplog.text])
    assert "Traceback" not in caplog.text and "OverflowError" not in caplog.text, what
    assert after == before, (what, changed(before, after))


def changed(before: dict, after: dict) -> dict:
    return {
        table: {
            "gone": sorted(set(before[table]) - set(after[table]), key=repr)[:5],
            "new": sorted(set(after[table]) - set(before[table]), key=repr)[:5],
        }
        for table in STORED
        if before[table] != after[table]
    }


def short(value: object) -> str:
    text = repr(value)
    return text if len(text) < 300 else text[:300] + f"... ({len(text)} characters)"


# -- 1. button values ------------------------------------------------------------------------


def test_the_fuzzed_ids_are_every_id_the_app_registers(slack):
    """New buttons and forms join the fuzzing below: this fails until they are listed."""
    actions, views = set(), set()
    for listener in slack.app._listeners:
        for matcher in listener.matchers:
            names = inspect.getclosurevars(matcher.func).nonlocals
            if "callback_id" in names:
                views.add(names["callback_id"])
            elif isinstance(names.get("constraints"), str):
                actions.add(names["constraints"])
    assert actions == set(BUTTONS)
    assert views == set(FORMS)


@FUZZ
@given(
    user=st.sampled_from(["UMAYA", "URAVI", "UOLIVIA", "UNOBODY"]),
    home=st.booleans(),
    data=st.data(),
)
def test_a_button_value_we_never_wrote_changes_nothing_on_any_button(
    world, caplog, user, home, data
):
    value = data.draw(button_values(world), label="value")
    caplog.set_level(logging.WARNING)
    for action_id in BUTTONS:
        if world.may_store("T1", action_id, value):
            continue  # a real button's value: it may do what that button does
        caplog.clear()
        before, calls_before = world.rows(), len(world.acme.fake.calls)
        started = time.monotonic()
        reply = click(world, "T1", action_id, value, user, home)
        in_time = time.monotonic() - started < ACK_TIMEOUT
        check(world, caplog, reply, before, calls_before, (action_id, user, home, short(value)))
        ref = read_occurrence_ref(value)
        if (
            action_id == "add_agenda_item"
            and in_time
            and (ref is None or not world.acme.services.book.get("T1", ref[0]))
        ):
            # Checked before the ack: the clicker is told at once what is wrong.
            assert reply.json.get("response_type") == "ephemeral", short(value)
            assert reply.json.get("text"), short(value)


# -- 2. forms: private_metadata we never wrote -------------------------------------------------


@FUZZ
@given(
    callback_id=st.sampled_from(FORMS),
    user=st.sampled_from(["UMAYA", "URAVI", "UOLIVIA", "UNOBODY"]),
    data=st.data(),
)
def test_a_form_with_metadata_we_never_wrote_changes_nothing(
    world, caplog, callback_id, user, data
):
    metadata = data.draw(form_metadata(world), label="metadata")
    values = data.draw(FORM_VALUES[callback_id], label="values")
    assume(not world.may_store("T1", callback_id, metadata, values))
    caplog.set_level(logging.WARNING)
    caplog.clear()
    before, calls_before = world.rows(), len(world.acme.fake.calls)
    started = time.monotonic()
    reply = submit(world, "T1", callback_id, values, metadata, user)
    in_time = time.monotonic() - started < ACK_TIMEOUT
    check(world, caplog, reply, before, calls_before, (callback_id, user, short(metadata)))
    if not in_time:
        return
    # The modal stays open and says what is wrong under a field.
    answer = reply.json
    assert answer.get("response_action") == "errors", (short(metadata), answer)
    assert all(isinstance(text, str) and text for text in answer["errors"].values())


# -- 3. another workspace's meeting numbers, in values that look right -------------------------

ACME_WORDS = ("Forecast", "Pipeline", "QBR prep", "Send the quote", "Renewals")


@FUZZ
@given(
    kind=st.sampled_from((*BUTTONS, "form:add_agenda_item", "form:meeting_outcome")),
    user=st.sampled_from(["UGREG", "UMAYA"]),  # Globex's admin; a namesake of Acme's organiser
    home=st.booleans(),
    data=st.data(),
)
def test_acmes_meetings_are_out_of_globexs_reach(world, caplog, kind, user, home, data):
    number, key = data.draw(st.sampled_from(world.refs), label="Acme's occurrence")
    caplog.set_level(logging.WARNING)
    caplog.clear()
    before, acme_before = world.rows(), world.rows("T1")
    calls_before = len(world.acme.fake.calls)
    if kind.startswith("form:"):
        callback_id = kind.removeprefix("form:")
        if callback_id == "add_agenda_item":
            metadata = json.dumps({"number": number, "occurrence": key, "channel_id": "CSALES"})
            values = {"item": {"value": {"type": "plain_text_input", "value": "Globex sneaks in"}}}
        else:
            state = {**json.loads(world.outcome_form), "number": number, "occurrence": key}
            metadata = json.dumps(state)
            values = {
                "notes": {"value": {"type": "plain_text_input", "value": "Globex notes"}},
                "item_0": {"value": {"type": "plain_text_input", "value": "Globex task"}},
                "owner_0": {"value": {"type": "users_select", "selected_user": "UGREG"}},
                "due_0": {"value": {"type": "datepicker", "selected_date": "2026-12-09"}},
            }
        sent = metadata
        reply = submit(world, "T2", callback_id, values, metadata, user)
        kind = callback_id
    else:
        value = data.draw(
            st.sampled_from([str(i) for i in world.item_ids])
            if kind == "action_item_done"
            else st.just(f"{number}:{key}"),
            label="value",
        )
        sent = value
        reply = click(world, "T2", kind, value, user, home)
    what = (kind, user, home, sent)
    # Acme's rows, and everything else, stay as they were; Globex's own may change only
    # where the value is a real occurrence of one of Globex's own meetings.
    globex_may_change = world.may_store("T2", kind, sent)
    check(
        world,
        caplog,
        reply,
        acme_before,
        calls_before,
        what,
        team="T1",
        public_ok=globex_may_change,
    )
    if not globex_may_change:
        assert world.rows() == before, (what, changed(before, world.rows()))
    leaked = [
        c.params
        for c in world.acme.fake.calls[calls_before:]
        if c.token == "xoxb-t2-test" and any(w in json.dumps(c.params) for w in ACME_WORDS)
    ]
    assert not leaked, (what, leaked)


# -- 4. crafted input in the forms we wrote ------------------------------------------------------


@FUZZ
@given(callback_id=st.sampled_from(["schedule_meeting", "meeting_outcome"]), data=st.data())
def test_crafted_input_in_a_form_we_wrote_is_taken_or_refused_politely(
    world, caplog, callback_id, data
):
    """With the metadata the app wrote, whatever the fields hold is booked or recorded
    (that is the form's job) or refused under a field; never a failure, never Globex's."""
    if callback_id == "schedule_meeting":
        values = data.draw(bookable_schedule_forms(), label="values")
        metadata = json.dumps({"channel_id": "CSALES"})
    else:
        values = data.draw(outcome_forms(), label="values")
        metadata = world.outcome_form
    caplog.set_level(logging.WARNING)
    caplog.clear()
    before, globex_before = world.rows(), world.rows("T2")
    calls_before = len(world.acme.fake.calls)
    reply = submit(world, "T1", callback_id, values, metadata, "UMAYA")
    what = (callback_id, short(values))
    check(world, caplog, reply, globex_before, calls_before, what, team="T2", public_ok=True)
    if reply.json.get("response_action") == "errors":
        assert world.rows() == before, (what, changed(before, world.rows()))


# -- what the fuzzing found ------------------------------------------------------------------
# Bugs it found, each fixed and kept as a regression test: made-up occurrence keys, the
# schedule form's channel and its first or last day, a huge "discussed" value, a crafted
# message_ts, user pickers that are no user, a channel id with a trailing newline.


def table(harness: Harness, name: str) -> list[tuple]:
    assert harness.activity.wait_idle(20)  # type: ignore[attr-defined]
    with closing(sqlite3.connect(f"file:{harness.database.path}?mode=ro", uri=True)) as db:
        return db.execute(f"SELECT * FROM {name}").fetchall()


def failures(harness: Harness, caplog, reply: Reply, calls_before: int) -> list[str]:
    """ERROR lines in the log, and apologies shown to the user, since `calls_before`."""
    assert harness.activity.wait_idle(20)  # type: ignore[attr-defined]
    shown = [reply.body, *(json.dumps(c.params) for c in harness.fake.calls[calls_before:])]
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] + [
        text for text in shown if APOLOGY in text
    ]


@pytest.fixture
def series(slack):
    """Acme's weekly forecast: (harness, first occurrence, second occurrence)."""
    watch(slack)
    slack.ask('schedule "Forecast" mon 10am every week with <@URAVI>, <@USAM>')
    first, second = slack.services.book.get("T1", 1).next_occurrences(slack.clock.now(), 2)
    return slack, first, second


def test_an_answer_for_an_occurrence_the_series_does_not_have_changes_nothing(series):
    slack, _first, second = series
    reply = slack.click("rsvp_going", user="URAVI", value=f"1:{second.key + 1}")
    assert reply.status == 200
    assert table(slack, "rsvps") == []


def test_an_agenda_form_for_an_occurrence_the_series_does_not_have_is_refused(series):
    slack, _first, second = series
    metadata = json.dumps({"number": 1, "occurrence": second.key + 1, "channel_id": "CSALES"})
    reply = slack.submit(AN_ITEM, callback_id="add_agenda_item", metadata=metadata)
    assert reply.status == 200 and reply.json.get("response_action") == "errors"
    assert table(slack, "agenda_items") == []


def test_an_outcome_form_for_an_occurrence_the_series_does_not_have_is_refused(series):
    slack, first, _second = series
    metadata = FormState(1, first.key + 1, "CSALES").dump()
    reply = slack.submit(AN_OUTCOME, callback_id="meeting_outcome", metadata=metadata)
    assert reply.status == 200 and reply.json.get("response_action") == "errors"
    assert table(slack, "outcomes") == [] and table(slack, "action_items") == []


A_BOOKABLE_FORM = {
    "title": {"value": {"type": "plain_text_input", "value": "Probe"}},
    "date": {"value": {"type": "datepicker", "selected_date": "2026-11-25"}},
    "time": {"value": {"type": "timepicker", "selected_time": "15:00"}},
}  # no channel picked: the scheduling modal falls back on its metadata's channel_id


@pytest.mark.parametrize("channel", [[1], {"id": "CSALES"}], ids=["list", "object"])
def test_a_schedule_form_whose_channel_is_not_text_is_refused_politely(slack, caplog, channel):
    watch(slack)
    caplog.set_level(logging.WARNING)
    calls_before = len(slack.fake.calls)
    reply = slack.submit(A_BOOKABLE_FORM, metadata=json.dumps({"channel_id": channel}))
    assert reply.status == 200
    assert failures(slack, caplog, reply, calls_before) == []


@pytest.mark.parametrize("channel", ["<!here>", 5], ids=["broadcast", "number"])
def test_a_schedule_form_books_only_into_a_channel_id(slack, channel):
    watch(slack)
    reply = slack.submit(A_BOOKABLE_FORM, metadata=json.dumps({"channel_id": channel}))
    assert reply.status == 200
    assert table(slack, "meetings") == []


@pytest.mark.parametrize(
    ("user", "day", "at"),
    [("UMAYA", "0001-01-01", "00:00"), ("USAM", "9999-12-31", "23:30")],
    ids=["first day, Kuala Lumpur", "last day, New York"],
)
def test_a_schedule_form_on_the_first_or_last_day_python_has_is_refused_politely(
    slack, caplog, user, day, at
):
    watch(slack)
    caplog.set_level(logging.WARNING)
    values = {
        **A_BOOKABLE_FORM,
        "date": {"value": {"type": "datepicker", "selected_date": day}},
        "time": {"value": {"type": "timepicker", "selected_time": at}},
        "channel": {"value": {"type": "conversations_select", "selected_conversation": "CSALES"}},
    }
    calls_before = len(slack.fake.calls)
    reply = slack.submit(values, user=user, metadata=json.dumps({"channel_id": "CSALES"}))
    assert reply.status == 200
    assert failures(slack, caplog, reply, calls_before) == []
    assert reply.json.get("response_action") == "errors"


@pytest.fixture
def ended(slack):
    """A meeting that has ended: (harness, its outcome form's metadata as the app wrote
    it, the ts of the meeting's announcement in #sales)."""
    watch(slack)
    slack.ask('schedule "Forecast" in 1 hour with <@URAVI>')
    (announced,) = slack.fake.wait_for(
        "chat.postMessage", where=lambda c: "Forecast" in str(c.params)
    )
    occurrence = slack.services.book.get("T1", 1).next_occurrence(slack.clock.now())
    slack.clock.set(occurrence.end)
    slack.deliver()
    for _ in range(5):  # posts due at once in #sales go one a second after a burst
        slack.advance(timedelta(seconds=1))
    (prompt,) = posted(slack, "has ended")
    click_on(slack, prompt, "record_outcome")
    (opened,) = slack.fake.wait_for("views.open")
    return slack, opened.response["view"]["private_metadata"], announced.response["ts"]


def test_an_outcome_form_with_a_huge_discussed_value_is_answered_politely(ended, caplog):
    slack, metadata, _ = ended
    caplog.set_level(logging.WARNING)
    huge = {"type": "checkboxes", "selected_options": [option_of("1" * 5000)]}
    values = {**AN_OUTCOME, "discussed_0": {"value": huge}}
    calls_before = len(slack.fake.calls)
    reply = slack.submit(values, callback_id="meeting_outcome", metadata=metadata)
    assert reply.status == 200
    assert failures(slack, caplog, reply, calls_before) == []


def test_an_outcome_form_edits_no_message_but_its_own_prompt(ended):
    slack, metadata, announcement_ts = ended
    crafted = json.dumps({**json.loads(metadata), "message_ts": announcement_ts})
    reply = slack.submit(AN_OUTCOME, callback_id="meeting_outcome", metadata=crafted)
    assert reply.status == 200 and reply.body == ""
    assert slack.activity.wait_idle(20)  # type: ignore[attr-defined]
    edits = [c for c in slack.fake.calls_to("chat.update") if c.params["ts"] == announcement_ts]
    assert edits == []


def option_of(value: str) -> dict:
    return {"value": value, "text": {"type": "plain_text", "text": "x"}}


@pytest.mark.parametrize("form", ["outcome owner", "meeting attendee"])
def test_a_user_picker_value_that_is_no_user_id_is_neither_stored_nor_posted(ended, form):
    slack, metadata, _ = ended
    calls_before = len(slack.fake.calls)
    if form == "outcome owner":
        owner = {"value": {"type": "users_select", "selected_user": "<!here>"}}
        reply = slack.submit(
            {**AN_OUTCOME, "owner_0": owner}, callback_id="meeting_outcome", metadata=metadata
        )
    else:
        values = {
            **A_BOOKABLE_FORM,
            "attendees": {
                "value": {"type": "multi_users_select", "selected_users": ["<!here>", "URAVI"]}
            },
        }
        reply = slack.submit(values, metadata=json.dumps({"channel_id": "CSALES"}))
    assert reply.status == 200
    stored = table(slack, "action_items") + table(slack, "attendees")
    assert not any("<!here>" in repr(row) for row in stored)
    posted_now = [
        json.dumps(c.params)
        for c in slack.fake.calls[calls_before:]
        if c.method.startswith("chat.")
    ]
    assert not any("<!here>" in text for text in posted_now)


def test_a_channel_id_with_a_trailing_newline_is_not_a_channel_id(slack):
    watch(slack)
    reply = slack.submit(A_BOOKABLE_FORM, metadata=json.dumps({"channel_id": "CSALES\n"}))
    assert reply.status == 200
    assert table(slack, "meetings") == []
