"""The reads that no longer scan give the answers the plain way gives (issue 15).

- A series told from a later start (`from_later`, the window expansion and `list`'s next
  occurrence) has the same occurrences, keys, skips and moves as from its first meeting:
  random daily and weekly rules, COUNT and UNTIL, across daylight-saving changes.
- A series' next occurrences kept from one `now` (`_Ahead`, what `list` reads) answer
  as `next_occurrence` does as time moves on, and back: sparse, ended and far-off series.
- `list` (`upcoming_page`) and the window query on a real SQLite file, against every
  meeting loaded one by one and expanded from its first meeting: one-offs, series with
  skips and moves, moved and skipped one-offs, cancelled meetings, a series edited after
  it began (its past kept in an `edited_into` row), meetings across the window's edges;
  page 1 and the count read again and again as the clock moves on, with a skip and an
  edit between reads.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from entities.instants import epoch, from_epoch
from entities.meetings import Attendee, Meeting, MeetingDraft, Venue
from storage.db import Database
from storage.meetings import MeetingStore, _Ahead, from_later, next_after
from storage.windows import HeldMeeting, WindowStore

ZONES = ("Europe/London", "America/New_York", "Asia/Kuala_Lumpur", "UTC", "Australia/Sydney")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
HOUR = 3600


@st.composite
def series(draw) -> Meeting:
    tz = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(tz)
    # Local wall-clock first meetings, some in the small hours a DST change moves.
    local = datetime(2025, 1, 1) + timedelta(
        days=draw(st.integers(0, 700)), minutes=15 * draw(st.integers(0, 95))
    )
    first = local.replace(tzinfo=zone).astimezone(UTC)
    parts = [f"FREQ={draw(st.sampled_from(('WEEKLY', 'DAILY')))}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 4))}")
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=5, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    if draw(st.booleans()):  # the time of day kept, as bot/recurrence.py writes it
        parts += [f"BYHOUR={local.hour}", f"BYMINUTE={local.minute}"]
    if draw(st.booleans()):
        parts.append("WKST=SU")
    end = draw(st.sampled_from(("", "count", "until")))
    if end == "count":
        parts.append(f"COUNT={draw(st.integers(1, 400))}")
    elif end == "until":
        until = local + timedelta(days=draw(st.integers(0, 500)))
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return Meeting(
        id=1,
        team_id="T1",
        number=1,
        title="Series",
        starts_at=first,
        duration=timedelta(minutes=draw(st.sampled_from((15, 30, 60, 90)))),
        tz=tz,
        channel_id="C1",
        organiser_id="U1",
        rrule=";".join(parts),
    )


@st.composite
def changed_series(draw) -> tuple[Meeting, datetime, datetime]:
    meeting = draw(series())
    start = meeting.starts_at + timedelta(hours=draw(st.integers(-24 * 10, 24 * 600)))
    end = start + timedelta(hours=draw(st.integers(1, 24 * 40)))
    # Skips and moves of real occurrences, some before the window, moved into it.
    known = meeting.occurrences(start - timedelta(days=60), end)
    keys = [o.key for o in known]
    skipped = draw(st.lists(st.sampled_from(keys), max_size=3)) if keys else []
    moved = {}
    for key in draw(st.lists(st.sampled_from(keys), max_size=3)) if keys else []:
        moved[key] = start + timedelta(minutes=draw(st.integers(-600, 600)))
    return replace(meeting, skipped=frozenset(skipped), moved=moved), start, end


@settings(max_examples=300, deadline=None)
@given(changed_series())
def test_a_series_told_from_later_has_the_same_occurrences(case):
    meeting, start, end = case
    assert HeldMeeting(meeting).occurrences(start, end) == meeting.occurrences(start, end)
    later = from_later(meeting, start)
    if later is None:  # a counted series that ended before the window
        assert meeting.occurrences(start, start + timedelta(days=3000)) == []
    cancelled = start + (end - start) / 2
    assert HeldMeeting(meeting, cancelled).occurrences(start, end) == [
        o for o in meeting.occurrences(start, end) if o.start < cancelled
    ]


@settings(max_examples=200, deadline=None)
@given(changed_series())
def test_the_next_occurrence_is_the_same(case):
    meeting, now, _ = case
    assert next_after(meeting, now) == meeting.next_occurrence(now)


def _expected_next(meeting: Meeting, now: datetime):
    occurrence = meeting.next_occurrence(now)
    return None if occurrence is None else (epoch(occurrence.start), occurrence)


@settings(max_examples=200, deadline=None)
@given(changed_series(), st.lists(st.integers(-24 * 20, 24 * 60), min_size=1, max_size=10))
def test_a_kept_series_answers_as_time_moves_on(case, steps):
    """Mostly forward, sometimes back: each answer is `next_occurrence`'s."""
    meeting, now, _ = case
    ahead = _Ahead(meeting)
    for hours in [0, *steps]:
        now += timedelta(hours=hours, minutes=hours % 7)
        found = ahead.next(now)
        assert found == _expected_next(meeting, now)
        if found is not None:  # either side of its end
            for at in (found[1].end - timedelta(seconds=1), found[1].end):
                assert ahead.next(at) == _expected_next(meeting, at)


def test_sparse_ended_and_far_off_series_kept():
    """Rules with less than one occurrence in the span worked out at once, a series over
    (by COUNT, by UNTIL, by every occurrence skipped or moved back), and one that begins
    after the furthest `next_occurrence` looks: walked over seven years."""
    base = datetime(2026, 3, 1, 9, tzinfo=UTC)
    weekly = Meeting(
        id=1,
        team_id="T1",
        number=1,
        title="Series",
        starts_at=base,
        duration=timedelta(minutes=30),
        tz="Europe/London",
        channel_id="C1",
        organiser_id="U1",
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    keys = [o.key for o in weekly.occurrences(base, base + timedelta(days=30))]
    cases = [
        replace(weekly, rrule="FREQ=MONTHLY;BYDAY=1MO"),
        replace(weekly, rrule="FREQ=YEARLY"),
        replace(weekly, rrule="FREQ=WEEKLY;INTERVAL=9;BYDAY=TU,FR"),
        weekly,
        replace(weekly, rrule="FREQ=DAILY;UNTIL=20260320T235959"),
        replace(weekly, skipped=frozenset(keys)),
        replace(weekly, moved={keys[2]: base + timedelta(days=400)}),
        replace(weekly, skipped=frozenset(keys[:2]), moved={keys[2]: base - timedelta(days=1)}),
        replace(weekly, starts_at=base + timedelta(days=6 * 366), rrule="FREQ=MONTHLY"),
        replace(weekly, starts_at=base + timedelta(days=200), rrule="FREQ=WEEKLY"),
    ]
    for meeting in cases:
        ahead = _Ahead(meeting)
        now = base - timedelta(days=60)
        while now < base + timedelta(days=7 * 366):
            assert ahead.next(now) == _expected_next(meeting, now), (meeting.rrule, now)
            now += timedelta(days=9, hours=5)


def test_dst_weeks_in_london_and_new_york():
    """A weekly 01:30 in London across the spring-forward gap, and a daily 01:30 in New
    York across the fall-back hour, from a year back."""
    for tz, rule, day in (
        ("Europe/London", "FREQ=WEEKLY;BYHOUR=1;BYMINUTE=30", datetime(2027, 3, 22)),
        ("America/New_York", "FREQ=DAILY", datetime(2026, 11, 2)),
        ("America/New_York", "FREQ=WEEKLY;BYDAY=SA,SU;COUNT=150", datetime(2027, 3, 15)),
    ):
        zone = ZoneInfo(tz)
        first = datetime(2026, 3, 1, 1, 30, tzinfo=zone).astimezone(UTC)
        meeting = Meeting(
            id=1,
            team_id="T1",
            number=1,
            title="Early",
            starts_at=first,
            duration=timedelta(minutes=30),
            tz=tz,
            channel_id="C1",
            organiser_id="U1",
            rrule=rule,
        )
        start = day.replace(tzinfo=zone).astimezone(UTC) - timedelta(days=7)
        end = start + timedelta(days=14)
        assert HeldMeeting(meeting).occurrences(start, end) == meeting.occurrences(start, end)
        assert meeting.occurrences(start, end)  # the case is not empty
        for hours in range(0, 14 * 24, 5):
            now = start + timedelta(hours=hours)
            assert next_after(meeting, now) == meeting.next_occurrence(now)


# -- on a real SQLite file --------------------------------------------------------------

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
PEOPLE = ("UMAYA", "URAVI", "USAM", "UOLIVIA")


def draft(n: int, starts_at: datetime, minutes: int = 45, rrule: str | None = None, tz="UTC"):
    return MeetingDraft(
        title=f"Meeting {n}",
        starts_at=starts_at,
        duration=timedelta(minutes=minutes),
        tz=tz,
        channel_id="CSALES",
        organiser_id=PEOPLE[n % 4],
        purpose="product",
        venue=Venue("video"),
        attendees=(Attendee(user_id=PEOPLE[(n + 1) % 4]), Attendee(guest="jane@acme.com")),
        rrule=rrule,
    )


def tricky(tmp_path) -> MeetingStore:
    """Two workspaces of meetings that test every path of the reads."""
    store = MeetingStore(Database(tmp_path / "reads.db"))
    made = []
    for team in ("T1", "T2"):
        for n in range(40):  # one-offs from two weeks back to three weeks ahead
            at = NOW + timedelta(hours=13 * n - 24 * 14)
            made.append(store.create(team, draft(n, at, 30 + 15 * (n % 4)), NOW)[0])
        # Meetings under way now, and ones ending exactly now.
        made.append(store.create(team, draft(41, NOW - timedelta(minutes=20)), NOW)[0])
        made.append(store.create(team, draft(42, NOW - timedelta(minutes=45)), NOW)[0])
        rules = (
            ("FREQ=WEEKLY", "Europe/London"),
            ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "America/New_York"),
            ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=30", "Asia/Kuala_Lumpur"),
            ("FREQ=WEEKLY;COUNT=3", "UTC"),  # over before now
            ("FREQ=MONTHLY;BYDAY=1MO", "UTC"),  # not periodic in days
            ("FREQ=DAILY;UNTIL=20261126T235959", "UTC"),
        )
        for n, (rule, tz) in enumerate(rules):
            at = NOW - timedelta(days=200 - n, hours=n)
            made.append(store.create(team, draft(50 + n, at, 30, rule, tz), NOW)[0])
    by_title = {}
    for meeting in made:
        by_title.setdefault(meeting.team_id, {})[meeting.title] = meeting
    for team, mine in by_title.items():
        moved = mine["Meeting 30"]  # a one-off moved earlier, another into the past
        store.change_occurrence(
            team, moved.id, epoch(moved.starts_at), "UMAYA", NOW, moved_to=NOW + timedelta(hours=1)
        )
        gone = mine["Meeting 31"]
        store.change_occurrence(
            team, gone.id, epoch(gone.starts_at), "UMAYA", NOW, moved_to=NOW - timedelta(days=1)
        )
        skipped = mine["Meeting 32"]
        store.change_occurrence(team, skipped.id, epoch(skipped.starts_at), "UMAYA", NOW, True)
        weekly = mine["Meeting 50"]  # a series with a skip and a move around now
        nxt = weekly.next_occurrence(NOW)
        after = weekly.next_occurrences(NOW, 3)
        store.change_occurrence(team, weekly.id, nxt.key, "UMAYA", NOW, skipped=True)
        store.change_occurrence(
            team, weekly.id, after[1].key, "UMAYA", NOW, moved_to=NOW + timedelta(hours=2)
        )
        daily = mine["Meeting 51"]  # an old occurrence moved into the coming days
        old = daily.occurrences(NOW - timedelta(days=90), NOW - timedelta(days=88))[0]
        store.change_occurrence(
            team, daily.id, old.key, "UMAYA", NOW, moved_to=NOW + timedelta(days=3)
        )
        store.cancel(team, mine["Meeting 5"].number, "UMAYA", NOW - timedelta(days=12))
        store.cancel(team, mine["Meeting 33"].number, "UMAYA", NOW)
        store.cancel(team, mine["Meeting 52"].number, "UMAYA", NOW - timedelta(days=3))
        # A series edited after it began: its past kept in its own row.
        edited = mine["Meeting 50"]
        cut = store.by_id(team, edited.id).next_occurrence(NOW - timedelta(days=10))
        store.edit(
            team,
            edited.id,
            replace(draft(50, edited.starts_at, 60, edited.rrule, edited.tz), title="Edited"),
            "UMAYA",
            NOW - timedelta(days=10),
            keep_past_before=cut.start,
        )
    return store


def every_meeting(store: MeetingStore, team: str) -> list[tuple[Meeting, datetime | None]]:
    """Every row of the workspace, loaded one by one, with when it was cancelled."""
    with store.database.reading() as db:
        rows = db.execute(
            "SELECT id, cancelled_at FROM meetings WHERE team_id = ? ORDER BY id", [team]
        ).fetchall()
    return [(store.by_id(team, i), from_epoch(at) if at else None) for i, at in rows]


def expected_upcoming(store, team, now, user=None):
    found = []
    for meeting, _ in every_meeting(store, team):
        if meeting.status != "scheduled":
            continue
        if (
            user
            and user != meeting.organiser_id
            and user not in {a.user_id for a in meeting.attendees}
        ):
            continue
        occurrence = meeting.next_occurrence(now)
        if occurrence is not None:
            found.append(((occurrence.start, meeting.number), meeting, occurrence))
    found.sort(key=lambda item: item[0])
    return [(m, o) for _, m, o in found]


def test_list_pages_and_counts_are_those_of_every_meeting(tmp_path):
    store = tricky(tmp_path)
    for team in ("T1", "T2"):
        for user in (None, *PEOPLE):
            for now in (NOW, NOW + timedelta(minutes=1), NOW + timedelta(days=2, hours=5)):
                expected = expected_upcoming(store, team, now, user)
                assert store.count_upcoming(team, now, user) == len(expected)
                assert store.upcoming(team, now, user, limit=0) == expected
                for limit, offset in ((5, 0), (5, 5), (7, 20), (20, 40), (3, 200)):
                    page, total = store.upcoming_page(team, now, user, limit, offset)
                    assert total == len(expected)
                    assert page == expected[offset : offset + limit]


def test_window_query_is_that_of_every_meeting(tmp_path):
    store = tricky(tmp_path)
    window = WindowStore(store.database)
    for team in ("T1", "T2"):
        everything = every_meeting(store, team)
        for start, days in (
            (NOW - timedelta(days=14), 7),
            (NOW - timedelta(minutes=20), 1),  # starts while a meeting is under way
            (NOW, 7),
            (NOW - timedelta(days=220), 400),
        ):
            end = start + timedelta(days=days)
            for user in (None, "URAVI"):
                got = window.occurrences_in_window(team, start, end, user)
                expected = [
                    (m, o)
                    for m, cancelled in everything
                    if user is None or user in {m.organiser_id, *(a.user_id for a in m.attendees)}
                    for o in m.occurrences(start, end)
                    if cancelled is None or o.start < cancelled
                ]
                expected.sort(key=lambda pair: (pair[1].start, pair[0].number))
                assert got == expected


def test_page_one_and_the_count_as_the_clock_moves_on(tmp_path):
    """The same store read again and again, as `list` is: what it keeps of each series
    from one read answers the next ones, and a skip or an edit between reads shows."""
    store = tricky(tmp_path)
    nows = [NOW + timedelta(hours=h) for h in range(-30, 24 * 45, 29)]
    nows += [NOW - timedelta(days=3), NOW + timedelta(days=10)]  # back in time
    for n, now in enumerate(nows):
        if n == 20:  # a series' next occurrence skipped, another series edited
            titled = {m.title: m for m, _ in every_meeting(store, "T1") if m.status == "scheduled"}
            weekly = titled["Edited"]
            skip = weekly.next_occurrence(now)
            store.change_occurrence("T1", weekly.id, skip.key, "UMAYA", now, skipped=True)
            daily = titled["Meeting 51"]
            changed = draft(51, daily.starts_at, 20, "FREQ=DAILY;INTERVAL=2", daily.tz)
            store.edit("T1", daily.id, changed, "UMAYA", now)
        for user in (None, "URAVI"):
            expected = expected_upcoming(store, "T1", now, user)
            page, total = store.upcoming_page("T1", now, user, 5, 0)
            assert (page, total) == (expected[:5], len(expected)), now
            assert store.count_upcoming("T1", now, user) == len(expected)


def test_a_series_changed_between_its_row_and_the_page_shows_as_it_is_now(tmp_path):
    """Reads are not one snapshot: a series' row read before an edit (here: a day off)
    and the meeting loaded after it. Each listed occurrence is the loaded meeting's."""

    class Stale(MeetingStore):
        _SERIES = MeetingStore._SERIES.replace("m.starts_at,", "m.starts_at + 86400,", 1)

    store = tricky(tmp_path)
    stale = Stale(store.database)
    assert stale._SERIES != store._SERIES
    page, total = stale.upcoming_page("T1", NOW, None, 0)
    assert total == len(expected_upcoming(store, "T1", NOW))
    assert any(m.rrule for m, _ in page)
    for meeting, occurrence in page:
        assert occurrence == meeting.next_occurrence(NOW), meeting.title
