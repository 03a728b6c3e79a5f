"""The digest's figures summed from a week's parts (plain one-offs from SQL with their
seats, the week before's summed in SQL, the rest expanded on whole seconds) are the
figures worked out over every (meeting, occurrence) pair, on a real SQLite file.

Random workspaces: one-offs, moved ones (into, out of and within the week, into the week
before), skipped ones, cancelled ones (before they began, under way, before the week),
series daily, weekly, on weekdays, monthly, with COUNT and UNTIL, with skips and moves,
cancelled and edited after they began (their past in an `edited_into` row); guests,
organisers who attend too, crowds; in workspaces of several zones, weeks across
daylight-saving changes, meetings under way as the week begins. Each is checked:

- against the figures as they were worked out before (tests/digest/figures_before.py),
  on lengths whole quarter hours, so that float hours add up the same either way: every
  figure equal, the meetings each flag names, what to cut, the prompts without agenda,
  each person's top meetings, the ranking by worth and the weeks before in the picture;
- against `week_figures` over the same pairs with any lengths: the same floats.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.clock import ManualClock
from bot.workspace import Workspaces
from entities.meetings import Attendee, Meeting, MeetingDraft, Venue
from features.digest.figures import (
    WeekFigures,
    occurrences_in,
    shift_weeks,
    totals,
    week_figures,
    week_start,
)
from features.digest.service import WEEKS_SHOWN, Digests
from features.digest.store import DigestStore
from features.digest.worth import rank
from salesmeet.compose import open_database
from storage.db import Database
from storage.meetings import MeetingStore
from storage.settings import SettingsStore
from storage.windows import WindowStore
from tests.digest.figures_before import figures_before, members, top_meetings_before
from tests.storage.test_member_minutes import BY_HAND, END, KL, START, TEAM, Book
from tests.storage.test_member_minutes import book as book  # the fixture, for the last test

PEOPLE = [f"U{n:02d}" for n in range(10)]
ZONES = ["Asia/Kuala_Lumpur", "America/New_York", "Europe/London", "Australia/Sydney"]
PURPOSES = ["general", "strategy", "customer", "product"]
FORMATS = [None, "video", "call", "in-person"]
RULES = [
    "FREQ=WEEKLY",
    "FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=9",
    "FREQ=DAILY;INTERVAL=2;UNTIL=20271110T235959",
    "FREQ=WEEKLY;INTERVAL=2",
    "FREQ=MONTHLY;BYDAY=+1TU",
]
# Weeks around daylight-saving changes (New York 7 Nov, London 31 Oct, Sydney 3 Oct and
# 4 Apr 2027) and an ordinary one.
WEEKS_OF = [
    datetime(2027, 11, 9, 12, tzinfo=UTC),
    datetime(2027, 11, 2, 12, tzinfo=UTC),
    datetime(2027, 10, 6, 12, tzinfo=UTC),
    datetime(2027, 4, 7, 12, tzinfo=UTC),
    datetime(2027, 6, 16, 12, tzinfo=UTC),
]
WEEK_MIN = 7 * 24 * 60
# Minutes from the week's start: from three weeks before to ten days after, on the
# quarter hour, or just around its edges (under way as it begins, or as it ends).
OFFSETS = st.one_of(
    st.integers(-3 * WEEK_MIN // 15, (WEEK_MIN + 3 * 24 * 60) // 15).map(lambda q: q * 15),
    st.sampled_from([0, -30, -45, WEEK_MIN - 30, WEEK_MIN, -WEEK_MIN, -WEEK_MIN - 30]),
)


@dataclass(frozen=True)
class Spec:
    starts: int  # minutes from the week's start
    minutes: int
    tz: str
    rrule: str | None
    organiser: str
    people: tuple[str, ...]
    guests: int
    purpose: str
    format: str | None
    channel: str
    changes: tuple[tuple[int, bool, int], ...]  # (which occurrence, skipped, moved to)
    cancelled: int | None  # minutes from the week's start
    edited: int | None  # which occurrence an edit keeps the past before


def specs(lengths: list[int]):
    return st.builds(
        Spec,
        starts=OFFSETS,
        minutes=st.sampled_from(lengths),
        tz=st.sampled_from(ZONES),
        rrule=st.one_of(st.none(), st.none(), st.sampled_from(RULES)),
        organiser=st.sampled_from(PEOPLE),
        people=st.lists(st.sampled_from(PEOPLE), max_size=9).map(tuple),
        guests=st.integers(0, 2),
        purpose=st.sampled_from(PURPOSES),
        format=st.sampled_from(FORMATS),
        channel=st.sampled_from(["C1", "C2", "C3"]),
        changes=st.lists(st.tuples(st.integers(0, 60), st.booleans(), OFFSETS), max_size=3).map(
            tuple
        ),
        cancelled=st.one_of(st.none(), st.none(), OFFSETS),
        edited=st.one_of(st.none(), st.none(), st.none(), st.integers(0, 60)),
    )


QUARTERS = [15, 30, 45, 60, 75, 90, 120]  # whole quarter hours: floats add up exactly
ANY = [10, 20, 25, 50, 60, 70, 100]
_TEAMS = itertools.count(1)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Database:
    """One database for every example; each example has a workspace of its own."""
    return open_database(str(tmp_path_factory.mktemp("parts") / "parts.db"))


@dataclass
class World:
    database: Database
    team: str
    start: datetime
    end: datetime
    before: datetime
    now: datetime
    rate: float
    digests: Digests
    worth: dict[int, tuple[int, int]]


def build(database: Database, data, lengths: list[int]) -> World:
    team = f"P{next(_TEAMS)}"
    tz = data.draw(st.sampled_from(ZONES), label="workspace zone")
    rate = data.draw(st.sampled_from([100.0, 37.5, 80.0]), label="hourly cost")
    settings_store = SettingsStore(database)
    settings_store.set(team, "tz", tz)
    settings_store.set(team, "hourly_cost", str(rate))
    start = week_start(data.draw(st.sampled_from(WEEKS_OF), label="week"), tz)
    end, before = shift_weeks(start, 1, tz), shift_weeks(start, -1, tz)
    store = MeetingStore(database)
    created = start - timedelta(days=60)
    for spec in data.draw(st.lists(specs(lengths), min_size=1, max_size=12), label="meetings"):
        add(store, team, start, created, spec)
    now = start + timedelta(minutes=data.draw(st.sampled_from([0, 3 * 24 * 60 + 7, 9 * 24 * 60])))
    worth: dict[int, tuple[int, int]] = {}
    digests = Digests(
        database,
        ManualClock(now),
        Workspaces(settings_store),
        zone_of=lambda team_id, user_id: None,
        worth_counts=lambda team_id, since, until: worth,
    )
    world = World(database, team, start, end, before, now, rate, digests, worth)
    prompts(world, data)
    for meeting_id in data.draw(st.lists(st.integers(1, 400), max_size=6), label="answered"):
        worth[meeting_id] = data.draw(st.tuples(st.integers(0, 4), st.integers(0, 4)))
    return world


def add(store: MeetingStore, team: str, start: datetime, created: datetime, spec: Spec) -> None:
    draft = MeetingDraft(
        title=f"M{spec.starts}",
        starts_at=start + timedelta(minutes=spec.starts),
        duration=timedelta(minutes=spec.minutes),
        tz=spec.tz,
        channel_id=spec.channel,
        organiser_id=spec.organiser,
        purpose=spec.purpose,
        venue=Venue(spec.format),
        attendees=tuple(Attendee(user_id=p) for p in spec.people)
        + tuple(
            Attendee(guest=f"g{k}@acme.com", email=f"g{k}@acme.com") for k in range(spec.guests)
        ),
        rrule=spec.rrule,
    )
    meeting, _ = store.create(team, draft, created)
    around = meeting.occurrences(start - timedelta(days=70), start + timedelta(days=40))
    for which, skipped, moved_to in spec.changes:
        if around:
            key = around[which % len(around)].key
            to = None if skipped else start + timedelta(minutes=moved_to)
            store.change_occurrence(team, meeting.id, key, "UX", created, skipped, to)
    if spec.edited is not None and spec.rrule is not None and len(around) > 1:
        # Edited after it began: the past kept in a row of its own, the rest longer.
        cut = around[1 + spec.edited % (len(around) - 1)].start
        changed = MeetingDraft(
            title=draft.title,
            starts_at=cut,
            duration=draft.duration + timedelta(minutes=15),
            tz=draft.tz,
            channel_id=draft.channel_id,
            organiser_id=draft.organiser_id,
            purpose="strategy",
            venue=draft.venue,
            attendees=draft.attendees[:2],
            rrule=draft.rrule,
        )
        store.edit(team, meeting.id, changed, "UX", created, keep_past_before=cut)
    if spec.cancelled is not None:
        store.cancel(team, meeting.number, "UX", start + timedelta(minutes=spec.cancelled))


def pairs_of(world: World, start: datetime, end: datetime):
    window = WindowStore(world.database)
    return occurrences_in(window.meetings_in_window(world.team, start, end), start, end)


def prompts(world: World, data) -> None:
    """Agenda prompts sent for some of the week's occurrences (and some of the week
    before's), with an agenda item for some of them, before or after the prompt."""
    found = pairs_of(world, world.before, world.end)
    if not found:
        return
    chosen = data.draw(st.lists(st.integers(0, len(found) - 1), unique=True), label="prompts")
    with world.database.transaction() as db:
        for index in chosen:
            meeting, occurrence = found[index]
            sent = occurrence.key - 3600
            db.execute(
                "INSERT OR IGNORE INTO deliveries (team_id, kind, meeting_id, occurrence,"
                " due_at, state, sent_at) VALUES (?, 'agenda', ?, ?, ?, 'sent', ?)",
                [world.team, meeting.id, occurrence.key, sent, sent],
            )
            item = data.draw(st.sampled_from([None, -60, 60]), label="agenda item")
            if item is not None:
                db.execute(
                    "INSERT INTO agenda_items (team_id, meeting_id, occurrence, text,"
                    " author_id, created_at) VALUES (?, ?, ?, 'x', 'UX', ?)",
                    [world.team, meeting.id, occurrence.key, sent + item],
                )


def plain(f: WeekFigures) -> dict:
    """The figures as the oracle writes them."""
    return {
        "totals": (
            f.totals.occurrences,
            f.totals.meeting_hours,
            f.totals.attendee_hours,
            f.totals.cost,
        ),
        "previous": None
        if f.previous is None
        else (
            f.previous.occurrences,
            f.previous.meeting_hours,
            f.previous.attendee_hours,
            f.previous.cost,
        ),
        "people": [tuple(p) for p in f.people],
        "by_purpose": list(f.by_purpose),
        "by_format": list(f.by_format),
        "internal_hours": f.internal_hours,
        "customer_hours": f.customer_hours,
        "long_meetings": [(m.meeting.id, m.value, m.occurrences) for m in f.long_meetings],
        "crowded_meetings": [(m.meeting.id, m.value, m.occurrences) for m in f.crowded_meetings],
        "endless_series": [m.id for m in f.endless_series],
        "no_agenda": [(m.id, o.key, o.start, o.end) for m, o in f.no_agenda],
        "to_cut": [
            (c.meeting.id, c.people, c.per_occurrence, c.per_month, c.agenda_items, c.held)
            for c in f.to_cut
        ],
        "busiest_channel": f.busiest_channel,
        "channels": list(f.channels),
    }


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_the_figures_are_the_figures_worked_out_pair_by_pair(shared: Database, data) -> None:
    world = build(shared, data, QUARTERS)
    team, start, end, before = world.team, world.start, world.end, world.before
    both = pairs_of(world, before, end)
    pairs = [(m, o) for m, o in both if o.start >= start]
    earlier = [(m, o) for m, o in both if o.start < start]
    store = DigestStore(shared)
    unprompted = store.prompted_without_agenda(team, {(m.id, o.key) for m, o in pairs})
    expected = figures_before(
        pairs,
        earlier,
        world.rate,
        world.now,
        unprompted,
        lambda ids: store.agenda_counts(team, ids),
    )

    report = world.digests.report(team, start)
    assert plain(report.figures) == expected
    for name, value in expected.items():  # what the examples reached
        event(f"{name}: {'some' if value and value != (0, 0.0, 0.0, 0.0) else 'none'}")
    # The meetings the flags name are the meetings, as read.
    named = [m.meeting for m in report.figures.long_meetings] + list(report.figures.endless_series)
    by_id = {m.id: m for m, _ in both}
    assert all(m == by_id[m.id] for m in named)

    for user_id in PEOPLE:
        got = [(m.id, hours) for m, hours in report.top_meetings(user_id, 3)]
        assert got == top_meetings_before(pairs, user_id, 3), user_id

    # The ranking by worth: the live series met this week, first met first.
    seen: dict[int, Meeting] = {}
    in_week: dict[int, int] = {}
    for meeting, _ in pairs:
        if meeting.is_series and not meeting.cancelled:
            seen.setdefault(meeting.id, meeting)
            in_week[meeting.id] = in_week.get(meeting.id, 0) + 1
    ranked = rank(list(seen.values()), in_week, world.rate, world.worth) if seen else ()
    assert [(w.meeting, w.per_month, w.worth) for w in report.series] == [
        (w.meeting, w.per_month, w.worth) for w in ranked
    ]

    # The weeks before, in the picture.
    tz = report.figures.settings.tz
    for week in report.weeks[:-1]:
        week_end = shift_weeks(week.start, 1, tz)
        held = pairs_of(world, week.start, week_end)
        load: dict[str, float] = {}
        for meeting, occurrence in held:
            for user_id in members(meeting):
                length = (occurrence.end - occurrence.start).total_seconds() / 3600
                load[user_id] = load.get(user_id, 0.0) + length
        expected_totals = totals(held, world.rate)
        assert (week.attendee_hours, week.cost, dict(week.people)) == (
            expected_totals.attendee_hours,
            expected_totals.cost,
            load,
        )
    assert len(report.weeks) == WEEKS_SHOWN


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_summed_from_parts_or_from_pairs_the_same_floats(shared: Database, data) -> None:
    """Lengths that are no whole quarter hour (20 min is no exact float in hours): the
    parts' sums and the pairs' are made hours the same way, so they are equal."""
    world = build(shared, data, ANY)
    team, start, end, before = world.team, world.start, world.end, world.before
    both = pairs_of(world, before, end)
    pairs = [(m, o) for m, o in both if o.start >= start]
    earlier = [(m, o) for m, o in both if o.start < start]
    store = DigestStore(shared)
    settings_ = world.digests.workspaces.settings(team)
    expected = week_figures(
        team,
        start,
        end,
        pairs,
        settings_,
        world.now,
        previous=totals(earlier, settings_.hourly_cost),
        unprompted=store.prompted_without_agenda(team, {(m.id, o.key) for m, o in pairs}),
        agenda_counts=lambda ids: store.agenda_counts(team, ids),
    )
    got = world.digests.figures(team, start)
    assert plain(got) == plain(expected)
    assert got == expected


def test_a_week_by_hand_in_kuala_lumpur(book: Book) -> None:
    """tests/storage/test_member_minutes.py's week, read by the digest: everyone's
    minutes as worked out there by hand, meeting by meeting (moves in and out, skips,
    cancellations under way, the window's edges, another workspace beside it)."""
    database = book.store.database
    settings_store = SettingsStore(database)
    settings_store.set(TEAM, "tz", KL)
    digests = Digests(database, ManualClock(END), Workspaces(settings_store))
    figures = digests.figures(TEAM, START)
    assert (figures.week_start, figures.week_end) == (START, END)
    assert {p.user_id: p.hours * 60 for p in figures.people} == BY_HAND
    assert figures.totals.attendee_hours * 60 == sum(BY_HAND.values())
