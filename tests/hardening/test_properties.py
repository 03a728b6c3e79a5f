"""Any text gets an answer, never an exception: the grammar, the time readers, and the app.

Generated input mixes arbitrary Unicode with the grammar's own words (verbs, clause
keywords, quotes, times, mentions), so most examples get deep into the parsers instead
of failing at the first word.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_bolt.request.internals import parse_body

from bot.booking import MeetingBook
from bot.clock import ManualClock
from bot.command import MAX_COMMAND, OpenModal, Schedule, parse_command
from bot.feature import verbs
from bot.recurrence import parse_recurrence
from bot.when import (
    MAX_AHEAD,
    MAX_DURATION,
    MAX_LEAD,
    parse_day,
    parse_duration,
    parse_lead,
    parse_when,
)
from entities.errors import UserError
from entities.people import Person
from handlers import config
from handlers.slack_body import FORM, slack_shape
from salesmeet.compose import open_database
from salesmeet.features import FEATURES
from storage.agenda import AgendaStore
from storage.meetings import MeetingStore


def parse(text: str):
    """The grammar with every feature's verbs and `config`, as the app reads commands."""
    return parse_command(text, {**verbs(FEATURES), **config.verbs(FEATURES)})


ZONES = [
    "UTC",
    "Asia/Kuala_Lumpur",
    "Asia/Kolkata",
    "America/New_York",
    "Europe/London",
    "Asia/Kathmandu",  # +05:45
    "Australia/Lord_Howe",  # half-hour daylight saving
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/St_Johns",  # -03:30
    "Pacific/Kiritimati",  # +14
    "Pacific/Pago_Pago",  # -11
]
WORDS = [
    # verbs and clause keywords, core and features
    "schedule",
    "list",
    "mine",
    "show",
    "cancel",
    "agenda",
    "add",
    "skip",
    "move",
    "to",
    "help",
    "for",
    "with",
    "type",
    "via",
    "every",
    "until",
    "times",
    "reminder",
    "shoutout",
    "win",
    "goal",
    "leaderboard",
    "digest",
    "config",
    "export",
    "csv",
    "rsvp",
    "per",
    "month",
    "quarter",
    "week",
    "last",
    "this",
    "next",
    # meeting numbers, times, dates and durations
    "#1",
    "#12",
    "1",
    "0",
    "#0",
    "999999999",
    "#1234567890",
    "tomorrow",
    "today",
    "3pm",
    "fri",
    "9:30",
    "in",
    "2",
    "hours",
    "noon",
    "midnight",
    "Dec",
    "3",
    "2026-12-03",
    "3/12",
    "31/02",
    "25:00",
    "45m",
    "1h30",
    "90 minutes",
    "8h",
    "9h",
    "-1h",
    "0m",
    "1d",
    "weekday",
    "mon,",
    "wed",
    "other",
    "2 weeks",
    "1000",
    "1001",
    "Mar 31",
    "yesterday",
    "2099-01-01",
    "UTC",
    "+05:30",
    "EST",
    # quotes, mentions, links and odd characters
    '"',
    "“",
    "”",
    "'",
    "«",
    "»",
    '"Q4 review"',
    "<@URAVI|ravi>",
    "<@UNOBODY>",
    "<!here>",
    "<!channel>",
    "<#CSALES|sales>",
    "@sam",
    "jane@acme.com",
    "<mailto:jane@acme.com|jane@acme.com>",
    "https://zoom.us/j/1",
    "<https://evil|x>",
    "in-person",
    "video",
    "call",
    "strategy",
    "customer",
    "12.5k",
    "USD",
    "€",
    "&",
    "<",
    ">",
    "'); DROP TABLE meetings;--",
    "%",
    "_",
    "\\",
    "\x00",
    "\u200b",
    "\n",
    "\t",
    "㎖",
    "٣",
]
grammar_text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12)), max_size=14
).map(" ".join)
any_text = st.one_of(grammar_text, st.text(max_size=300))
instants = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
zones = st.sampled_from(ZONES)
FAST = settings(max_examples=200, deadline=None)


@FAST
@given(any_text)
def test_parse_command_answers_a_command_or_a_user_error(text):
    try:
        command = parse(text)
    except UserError as error:
        assert error.message  # a catalogue sentence to show
        return
    assert command is not None and type(command).__module__.startswith(("bot.", "features."))
    if isinstance(command, OpenModal):
        assert not text.strip()


@settings(max_examples=20, deadline=None)
@given(
    st.text(min_size=MAX_COMMAND + 1, max_size=MAX_COMMAND + 50).filter(
        lambda t: len(t.strip()) > MAX_COMMAND
    )
)
def test_overlong_commands_are_refused_whatever_they_say(text):
    with pytest.raises(UserError) as caught:
        parse(text)
    assert "too long" in caught.value.message


time_text = st.one_of(
    grammar_text,
    st.text(max_size=120),
    st.builds(
        "{} {}:{:02d}{}".format,
        st.sampled_from(["", "tomorrow", "fri", "next tuesday", "Dec 3", "2026-12-03", "in"]),
        st.integers(-1, 30),
        st.integers(0, 99),
        st.sampled_from(["", "am", "pm", " UTC", " +05:30"]),
    ),
)


@FAST
@given(time_text, instants, zones)
def test_parse_when_is_a_future_instant_or_a_user_error(text, now, tz):
    try:
        at = parse_when(text, now, tz)
    except UserError:
        return
    assert at.tzinfo is not None and now < at <= now + MAX_AHEAD


@FAST
@given(time_text)
def test_durations_and_leads_are_bounded_or_refused(text):
    try:
        duration = parse_duration(text)
    except UserError:
        duration = None
    assert duration is None or timedelta(0) < duration <= MAX_DURATION
    try:
        lead = parse_lead(text)
    except UserError:
        lead = None
    assert lead is None or timedelta(0) < lead <= MAX_LEAD


@FAST
@given(time_text, instants, zones)
def test_parse_day_is_a_date_or_a_user_error(text, now, tz):
    try:
        day = parse_day(text, now, tz)
    except UserError:
        return
    assert isinstance(day, date)


@FAST
@given(grammar_text, st.one_of(st.none(), time_text), instants, zones)
def test_recurrence_rules_are_read_or_refused(rule, until, now, tz):
    first = now + timedelta(days=1)
    try:
        recurrence = parse_recurrence(rule, first, tz, until, now=now)
    except UserError:
        return
    assert recurrence.rrule.startswith("FREQ=")


@pytest.fixture(scope="module")
def book():
    database = open_database(":memory:")
    clock = ManualClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    yield MeetingBook(MeetingStore(database), AgendaStore(database), clock)
    database.close()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grammar_text.map(lambda t: "schedule " + t), zones)
def test_a_schedule_command_is_read_into_a_meeting_or_refused(book, text, tz):
    """The whole chain behind `schedule`: grammar, time, duration, attendees, venue, rule."""
    try:
        command = parse(text)
        if not isinstance(command, Schedule):
            return
        organiser = Person("T1", "UMAYA", "maya", tz, "en-US")
        draft = book.draft_from_command(
            command, organiser, "CSALES", attendees_of=lambda typed: typed.attendees
        )
    except UserError:
        return
    assert draft.starts_at > book.clock.now() and draft.title.strip()


# -- end to end: signed requests through the real app --------------------------------------


def answer(slack, text: str) -> dict:
    """What the user sees for `/salesmeet <text>`: the ack's body or the follow-up."""
    reply = slack.command(text)
    assert reply.status == 200, reply
    if reply.body:
        body = reply.json
        assert body.get("response_type") == "ephemeral"
        return body
    if not text.strip():
        slack.fake.wait_for("views.open", where=lambda c: c.params["trigger_id"])
        return {"text": "(the scheduling modal)"}
    followup = slack.followup(reply, timeout=10).body
    assert followup.get("response_type") == "ephemeral"
    return followup


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.one_of(grammar_text, st.text(max_size=200)))
def test_every_command_gets_an_ephemeral_answer_through_the_real_app(slack, text):
    shown = answer(slack, text)
    words = json.dumps(shown)
    assert shown.get("text") or shown.get("blocks")
    assert "Traceback" not in words
    assert "Something went wrong on my side" not in words, text


# -- the transport hands Bolt the body Bolt would have parsed ----------------------

FORM_PIECES = st.sampled_from(
    [
        *("team_id", "user_id", "payload", "command", "ssl_check", "text"),
        *("=", "&", "+", "%", "%5F", "%2", "%ZZ", "%C3%A9", "é", "a", "T1", "U1", "{}", ";"),
        *("%7B%22team%22%3A%7B%22id%22%3A%22T1%22%7D%7D", '{"a":1}', "[1]", "null"),
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@settings(max_examples=1000)
@given(
    st.one_of(
        st.lists(FORM_PIECES, max_size=30).map("".join),
        st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5).map(json.dumps),
    )
)
def test_the_transport_hands_bolt_the_body_bolt_would_parse(text):
    """The transport parses a signed body once and gives Bolt the result (Bolt would
    parse it again): whatever the body, a request it lets through must carry exactly
    what Bolt's own parser reads from it, repeated and percent-encoded fields and all."""
    shape = slack_shape(text.encode())
    if shape.problem is not None:
        assert shape.body == {}
        return
    expected = parse_body(text, shape.content_type)
    form = dict(parse_qsl(text, keep_blank_values=True))
    if shape.content_type == FORM and "payload" in text and "payload" not in form:
        # Bolt reads any form with the word "payload" in it as an interaction, so a
        # command such as `schedule "Payload review"` would reach it empty.
        expected = form
    assert shape.body == expected
