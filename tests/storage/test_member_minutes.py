"""WindowStore.member_minutes on a real SQLite file: the same minutes per person as the
digest's own reading of a week (meetings_in_window + occurrences_in + person_hours).

The week is Monday 23 November 2026 in Kuala Lumpur: [22 Nov 16:00 UTC, 29 Nov 16:00 UTC).
No daylight saving there; the random variant also uses New York, whose clocks fell back
on 1 November 2026.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entities.instants import epoch
from entities.meetings import Attendee, Meeting, MeetingDraft, Venue
from features.digest.figures import occurrences_in, person_hours, shift_weeks, week_start
from storage.db import Database
from storage.meetings import MeetingStore
from storage.windows import WindowStore

KL = "Asia/Kuala_Lumpur"
TEAM, OTHER = "T1", "T2"
MAYA, RAVI, OLIVIA, GREG, ZED = "UMAYA", "URAVI", "UOLIVIA", "UGREG", "UZED"
SAM = "USAM"  # only in the other workspace
NOBODY = "UNOBODY"  # in no meeting at all
EVERYONE = [MAYA, RAVI, OLIVIA, GREG, ZED]


def kl(*fields: int) -> datetime:
    """The UTC instant of a wall-clock time in Kuala Lumpur."""
    return datetime(*fields, tzinfo=ZoneInfo(KL)).astimezone(UTC)  # type: ignore[misc]


START = week_start(kl(2026, 11, 25, 12), KL)
END = shift_weeks(START, 1, KL)
CREATED = START - timedelta(days=30)


def reference(
    window: WindowStore,
    team_id: str,
    start: datetime,
    end: datetime,
    user_ids: Sequence[str],
    leave_out: int | None = None,
) -> dict[str, float]:
    """The digest's reading of the window, in minutes, for `user_ids` only."""
    held = [h for h in window.meetings_in_window(team_id, start, end) if h.meeting.id != leave_out]
    load = person_hours(occurrences_in(held, start, end))
    return {user: hours * 60 for user, hours in load.items() if user in set(user_ids)}


def assert_agrees(got: dict[str, float], expected: dict[str, float]) -> None:
    """Same people, same minutes. The reference goes through hours (45 min = 0.75 h, but
    25 min is no exact float in hours), so it is compared to a nano-minute; what
    member_minutes returns must be whole minutes, as every stored duration is."""
    assert got.keys() == expected.keys()
    assert got == pytest.approx(expected, abs=1e-9)
    assert all(float(m).is_integer() for m in got.values()), got


class Book:
    """Meetings stored the way the app stores them (MeetingStore), by name."""

    def __init__(self, database: Database) -> None:
        self.store = MeetingStore(database)
        self.ids: dict[str, int] = {}
        self.meetings: dict[str, Meeting] = {}

    def add(
        self,
        name: str,
        starts_at: datetime,
        minutes: int,
        organiser: str,
        *people: str,
        guests: Sequence[str] = (),
        rrule: str | None = None,
        team: str = TEAM,
        tz: str = KL,
    ) -> Meeting:
        draft = MeetingDraft(
            title=name,
            starts_at=starts_at,
            duration=timedelta(minutes=minutes),
            tz=tz,
            channel_id="CSALES",
            organiser_id=organiser,
            venue=Venue("video", "https://zoom.us/j/1"),
            attendees=tuple(Attendee(user_id=p) for p in people)
            + tuple(Attendee(guest=g) for g in guests),
            rrule=rrule,
        )
        meeting, created = self.store.create(team, draft, CREATED)
        assert created
        self.ids[name] = meeting.id
        self.meetings[name] = meeting
        return meeting

    def skip(self, name: str, original: datetime) -> None:
        meeting = self.meetings[name]
        self.store.change_occurrence(
            meeting.team_id, meeting.id, epoch(original), "UMAYA", CREATED, skipped=True
        )

    def move(self, name: str, original: datetime, to: datetime) -> None:
        meeting = self.meetings[name]
        self.store.change_occurrence(
            meeting.team_id, meeting.id, epoch(original), "UMAYA", CREATED, moved_to=to
        )

    def cancel(self, name: str, at: datetime) -> None:
        meeting = self.meetings[name]
        assert self.store.cancel(meeting.team_id, meeting.number, meeting.organiser_id, at)


@pytest.fixture
def book(tmp_path) -> Book:
    database = Database(tmp_path / "minutes.db")
    book = Book(database)
    # -- one-offs ----------------------------------------------------------------------
    book.add("inside", kl(2026, 11, 24, 10), 45, MAYA, RAVI, guests=["jane@acme.com"])
    book.add("organiser attends too", kl(2026, 11, 26, 15), 30, OLIVIA, OLIVIA, MAYA)
    book.add("just before", START - timedelta(hours=1), 60, MAYA, RAVI)
    book.add("at the start", START, 20, RAVI, OLIVIA)
    book.add("at the end", END, 50, RAVI, OLIVIA, MAYA)
    book.add("after", kl(2026, 12, 1, 9), 60, MAYA, GREG)
    book.add("guests only", kl(2026, 11, 26, 13), 60, ZED, guests=["a@x.com", "b@y.com"])
    # -- series ------------------------------------------------------------------------
    book.add(
        "weekly", kl(2026, 11, 2, 9), 60, MAYA, RAVI, GREG, guests=["c@z.com"], rrule="FREQ=WEEKLY"
    )
    book.add("daily", kl(2026, 11, 16, 8, 30), 15, RAVI, OLIVIA, rrule="FREQ=DAILY;COUNT=21")
    book.skip("daily", kl(2026, 11, 25, 8, 30))
    book.move("daily", kl(2026, 12, 2, 8, 30), kl(2026, 11, 27, 17))  # in from next week
    book.move("daily", kl(2026, 11, 20, 8, 30), kl(2026, 11, 24, 12))  # in from last week
    book.move("daily", kl(2026, 11, 28, 8, 30), kl(2026, 12, 3, 8, 30))  # out
    book.add("starts later", kl(2026, 12, 7, 10), 30, GREG, MAYA, rrule="FREQ=WEEKLY")
    book.move("starts later", kl(2026, 12, 7, 10), kl(2026, 11, 27, 10))  # its first, moved in
    book.add("until", kl(2026, 11, 20, 7), 15, MAYA, rrule="FREQ=DAILY;UNTIL=20261125T235959")
    # -- moved one-offs ----------------------------------------------------------------
    book.add("moved out", kl(2026, 11, 25, 14), 60, MAYA, OLIVIA)
    book.move("moved out", kl(2026, 11, 25, 14), kl(2026, 12, 2, 14))
    book.add("moved in", kl(2026, 12, 3, 11), 40, OLIVIA, GREG)
    book.move("moved in", kl(2026, 12, 3, 11), kl(2026, 11, 26, 11))
    book.add("moved within", kl(2026, 11, 24, 16), 25, GREG, RAVI, guests=["d@w.com"])
    book.move("moved within", kl(2026, 11, 24, 16), kl(2026, 11, 28, 9, 15))
    book.add("moved in from before", kl(2026, 11, 20, 10), 35, MAYA)
    book.move("moved in from before", kl(2026, 11, 20, 10), kl(2026, 11, 23, 14))
    # -- cancelled ---------------------------------------------------------------------
    book.add("cancelled before it began", kl(2026, 11, 25, 10), 90, MAYA, RAVI, OLIVIA)
    book.cancel("cancelled before it began", kl(2026, 11, 24, 18))
    book.add("cancelled once under way", kl(2026, 11, 24, 13), 30, RAVI, GREG)
    book.cancel("cancelled once under way", kl(2026, 11, 24, 13, 10))
    book.add("cancelled as it began", kl(2026, 11, 26, 9), 20, OLIVIA)
    book.cancel("cancelled as it began", kl(2026, 11, 26, 9))
    book.add("cancelled before the week", kl(2026, 11, 27, 9), 45, GREG)
    book.cancel("cancelled before the week", START - timedelta(days=2))
    book.add("cancelled series", kl(2026, 11, 9, 12), 10, OLIVIA, MAYA, rrule="FREQ=DAILY")
    book.cancel("cancelled series", kl(2026, 11, 25, 12, 5))  # after 3 of the week's 7
    book.add("series cancelled earlier", kl(2026, 11, 3, 15), 60, RAVI, rrule="FREQ=WEEKLY")
    book.cancel("series cancelled earlier", START - timedelta(days=3))
    book.add("moved, then cancelled after", kl(2026, 11, 24, 9), 50, GREG, OLIVIA)
    book.move("moved, then cancelled after", kl(2026, 11, 24, 9), kl(2026, 11, 25, 8))
    book.cancel("moved, then cancelled after", kl(2026, 11, 25, 8, 30))
    book.add("moved in, then cancelled before", kl(2026, 12, 4, 9), 20, MAYA)
    book.move("moved in, then cancelled before", kl(2026, 12, 4, 9), kl(2026, 11, 28, 9))
    book.cancel("moved in, then cancelled before", kl(2026, 11, 27, 9))
    # -- the same people in another workspace ------------------------------------------
    book.add("other: one-off", kl(2026, 11, 24, 10), 45, MAYA, RAVI, SAM, team=OTHER)
    book.add(
        "other: weekly",
        kl(2026, 11, 2, 9),
        60,
        RAVI,
        MAYA,
        OLIVIA,
        GREG,
        SAM,
        team=OTHER,
        rrule="FREQ=WEEKLY",
    )
    book.add("other: moved in", kl(2026, 12, 5, 10), 30, OLIVIA, MAYA, team=OTHER)
    book.move("other: moved in", kl(2026, 12, 5, 10), kl(2026, 11, 25, 16))
    book.add("other: cancelled under way", kl(2026, 11, 26, 10), 40, GREG, ZED, team=OTHER)
    book.cancel("other: cancelled under way", kl(2026, 11, 26, 10, 1))
    return book


# Worked out by hand from the fixture, meeting by meeting:
# Maya:   inside 45, organiser attends too 30, weekly 60, starts later 30, until 3x15,
#         moved in from before 35, cancelled series 3x10                       = 275
# Ravi:   inside 45, at the start 20, weekly 60, daily 7x15, moved within 25,
#         cancelled once under way 30                                          = 285
# Olivia: organiser attends too 30, at the start 20, daily 7x15, moved in 40,
#         cancelled series 3x10, moved then cancelled after 50                 = 275
# Greg:   weekly 60, starts later 30, moved in 40, moved within 25,
#         cancelled once under way 30, moved then cancelled after 50           = 235
# Zed:    guests only 60
# (daily: 23-29 Nov is 7, less the 25th skipped and the 28th moved out, plus two moved in.)
BY_HAND = {MAYA: 275, RAVI: 285, OLIVIA: 275, GREG: 235, ZED: 60}
BY_HAND_OTHER = {
    MAYA: 45 + 60 + 30,
    RAVI: 45 + 60,
    OLIVIA: 60 + 30,
    GREG: 60 + 40,
    SAM: 45 + 60,
    ZED: 40,
}

USER_SETS = [
    [MAYA],
    [RAVI, OLIVIA],
    EVERYONE,
    [GREG, SAM],
    [ZED, NOBODY],
    [SAM, NOBODY],
    [],
    [*EVERYONE, SAM, NOBODY],
]
WINDOWS = [
    (START, END),
    (shift_weeks(START, -1, KL), START),
    (END, shift_weeks(END, 1, KL)),
    (kl(2026, 11, 24), kl(2026, 11, 25)),
    (START - timedelta(days=30), END + timedelta(days=30)),
    (START + timedelta(minutes=1), END - timedelta(minutes=1)),
]


def test_the_week_by_hand(book: Book) -> None:
    assert datetime(2026, 11, 22, 16, tzinfo=UTC) == START
    assert datetime(2026, 11, 29, 16, tzinfo=UTC) == END
    window = WindowStore(book.store.database)
    assert window.member_minutes(TEAM, START, END, EVERYONE) == BY_HAND
    assert reference(window, TEAM, START, END, EVERYONE) == pytest.approx(BY_HAND)
    everyone_there = [*EVERYONE, SAM]
    assert window.member_minutes(OTHER, START, END, everyone_there) == BY_HAND_OTHER
    assert window.member_minutes(TEAM, START, END, [NOBODY, SAM]) == {}
    assert window.member_minutes(TEAM, START, END, []) == {}


@pytest.mark.parametrize("team_id", [TEAM, OTHER])
@pytest.mark.parametrize("start, end", WINDOWS)
def test_agrees_with_the_digest_reading(book: Book, team_id: str, start, end) -> None:
    window = WindowStore(book.store.database)
    for users in USER_SETS:
        got = window.member_minutes(team_id, start, end, users)
        assert_agrees(got, reference(window, team_id, start, end, users))


def test_leave_out_removes_exactly_that_meetings_minutes(book: Book) -> None:
    window = WindowStore(book.store.database)
    users = [*EVERYONE, SAM]
    for team_id in (TEAM, OTHER):
        full = window.member_minutes(team_id, START, END, users)
        for name, meeting_id in [*book.ids.items(), ("no such meeting", 10_000)]:
            got = window.member_minutes(team_id, START, END, users, leave_out=meeting_id)
            assert_agrees(got, reference(window, team_id, START, END, users, meeting_id))
            # What went is that meeting's own minutes (none, for another workspace's).
            held = [
                h
                for h in window.meetings_in_window(team_id, START, END)
                if h.meeting.id == meeting_id
            ]
            own = {u: h * 60 for u, h in person_hours(occurrences_in(held, START, END)).items()}
            for user in users:
                taken = full.get(user, 0) - got.get(user, 0)
                assert taken == pytest.approx(own.get(user, 0), abs=1e-9), (name, user)
    # Two by hand: Ravi's daily stand-up, and a one-off summed in SQL.
    daily = window.member_minutes(TEAM, START, END, [RAVI], leave_out=book.ids["daily"])
    assert daily == {RAVI: 285 - 105}
    inside = window.member_minutes(TEAM, START, END, [MAYA, RAVI], leave_out=book.ids["inside"])
    assert inside == {MAYA: 275 - 45, RAVI: 285 - 45}


# -- edges: a user named twice, a window opening mid-second ---------------------------


def test_a_user_given_twice_is_counted_once(book: Book) -> None:
    window = WindowStore(book.store.database)
    got = window.member_minutes(TEAM, START, END, [MAYA, MAYA])
    assert got == {MAYA: 275}


def test_a_window_starting_within_a_second_keeps_its_edge(book: Book) -> None:
    window = WindowStore(book.store.database)
    start = START + timedelta(microseconds=500_000)
    expected = reference(window, TEAM, start, END, [RAVI])
    assert expected == {RAVI: 285 - 20}
    got = window.member_minutes(TEAM, start, END, [RAVI])
    assert got == expected


# -- random meetings -----------------------------------------------------------------------

ZONES = [KL, "America/New_York", "UTC"]
RULES = [
    "FREQ=DAILY",
    "FREQ=WEEKLY",
    "FREQ=DAILY;COUNT=4",
    "FREQ=WEEKLY;BYDAY=MO,TH",
    "FREQ=DAILY;INTERVAL=2;UNTIL=20261127T120000",
]
POOL = [MAYA, RAVI, OLIVIA, GREG]
WEEK_MIN = 7 * 24 * 60
# Minutes from START: anywhere from three weeks before to ten days after, on the quarter
# hour, or exactly on an edge of the window.
OFFSETS = st.one_of(
    st.integers(-3 * WEEK_MIN // 15, (WEEK_MIN + 3 * 24 * 60) // 15).map(lambda q: q * 15),
    st.sampled_from([0, WEEK_MIN, -1, WEEK_MIN - 1]),
)


@dataclass(frozen=True)
class Spec:
    other_team: bool
    starts: int  # minutes from START
    minutes: int
    tz: str
    rrule: str | None
    organiser: str
    people: tuple[str, ...]
    guests: int
    changes: tuple[tuple[int, bool, int], ...]  # (which occurrence, skipped, moved to)
    cancelled: int | None  # minutes from START


SPECS = st.builds(
    Spec,
    other_team=st.booleans(),
    starts=OFFSETS,
    minutes=st.sampled_from([10, 15, 25, 30, 45, 60, 90]),
    tz=st.sampled_from(ZONES),
    rrule=st.one_of(st.none(), st.sampled_from(RULES)),
    organiser=st.sampled_from(POOL),
    people=st.lists(st.sampled_from(POOL), max_size=3).map(tuple),
    guests=st.integers(0, 2),
    changes=st.lists(st.tuples(st.integers(0, 40), st.booleans(), OFFSETS), max_size=3).map(tuple),
    cancelled=st.one_of(st.none(), OFFSETS),
)
_TEAMS = itertools.count(1)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Database:
    """One database for every example; each example has workspaces of its own."""
    return Database(tmp_path_factory.mktemp("minutes") / "random.db")


@settings(max_examples=60, deadline=None)
@given(
    specs=st.lists(SPECS, min_size=1, max_size=8),
    users=st.lists(st.sampled_from([*POOL, NOBODY]), unique=True, max_size=5),
    leave_out=st.one_of(st.none(), st.integers(0, 7)),
    window_at=st.sampled_from([0, -WEEK_MIN, 3 * 24 * 60]),
)
def test_random_meetings_agree(shared: Database, specs, users, leave_out, window_at) -> None:
    n = next(_TEAMS)
    team, other = f"R{n}", f"R{n}X"
    book = Book(shared)
    start = START + timedelta(minutes=window_at)
    end = start + timedelta(days=7)
    ids = []
    for i, spec in enumerate(specs):
        name = f"m{i}"
        meeting = book.add(
            name,
            START + timedelta(minutes=spec.starts),
            spec.minutes,
            spec.organiser,
            *spec.people,
            guests=[f"g{k}@x.com" for k in range(spec.guests)],
            rrule=spec.rrule,
            team=other if spec.other_team else team,
            tz=spec.tz,
        )
        ids.append(meeting.id)
        around = meeting.occurrences(START - timedelta(days=40), END + timedelta(days=40))
        for which, skipped, moved_to in spec.changes:
            if not around:
                break
            original = around[which % len(around)].key
            if skipped:
                book.skip(name, datetime.fromtimestamp(original, UTC))
            else:
                book.move(
                    name,
                    datetime.fromtimestamp(original, UTC),
                    START + timedelta(minutes=moved_to),
                )
        if spec.cancelled is not None:
            book.cancel(name, START + timedelta(minutes=spec.cancelled))
    left = ids[leave_out % len(ids)] if leave_out is not None else None
    window = WindowStore(shared)
    for team_id in (team, other):
        got = window.member_minutes(team_id, start, end, users, leave_out=left)
        assert_agrees(got, reference(window, team_id, start, end, users, left))
