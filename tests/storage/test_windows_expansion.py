"""`Expansion`, the digest's expansion of a window's series on whole seconds, gives the
occurrences `HeldMeeting.occurrences` gives (storage/meetings.window_occurrences): same
starts, same keys, soonest first, skips and moves and cancellations applied.

Random daily and weekly rules (BYDAY, INTERVAL, COUNT, UNTIL) and some it leaves to
`window_occurrences` (monthly, a UTC UNTIL), in zones with and without daylight saving,
first meetings in the small hours a change skips or repeats, windows across the changes
and opening or closing within a second; several meetings through one Expansion, as the
digest reads a week, so that series of one shape share their starts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from entities.instants import epoch
from entities.meetings import Attendee, Meeting
from storage.windows import Expansion, HeldMeeting, WindowMeeting

ZONES = ("Europe/London", "America/New_York", "Asia/Kuala_Lumpur", "UTC", "Australia/Sydney")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Around the changes of 2027: London 28 Mar and 31 Oct, New York 14 Mar and 7 Nov,
# Sydney 4 Apr and 3 Oct.
WINDOW_STARTS = [
    datetime(2027, 3, 8, tzinfo=UTC),
    datetime(2027, 3, 25, 23, tzinfo=UTC),
    datetime(2027, 4, 1, 13, tzinfo=UTC),
    datetime(2027, 9, 30, tzinfo=UTC),
    datetime(2027, 10, 29, 16, tzinfo=UTC),
    datetime(2027, 11, 4, 4, 30, tzinfo=UTC),
]


@st.composite
def rules(draw) -> str:
    kind = draw(st.sampled_from(("WEEKLY", "DAILY", "WEEKLY", "MONTHLY", "UTC-UNTIL")))
    if kind == "MONTHLY":
        return draw(st.sampled_from(("FREQ=MONTHLY", "FREQ=MONTHLY;BYDAY=+1TU")))
    parts = ["FREQ=DAILY" if kind == "DAILY" else "FREQ=WEEKLY"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 3))}")
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=5, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    end = draw(st.sampled_from(("", "", "count", "until")))
    if end == "count":
        parts.append(f"COUNT={draw(st.integers(1, 120))}")
    elif end == "until" or kind == "UTC-UNTIL":
        until = datetime(2027, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
        suffix = "Z" if kind == "UTC-UNTIL" else ""
        parts.append(f"UNTIL={until:%Y%m%d}T235959{suffix}")
    return ";".join(parts)


@st.composite
def meetings(draw, number: int) -> tuple[Meeting, datetime | None]:
    tz = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(tz)
    # Wall-clock first meetings from a year before the windows to inside them, some at
    # 01:00-03:00 where a change skips or repeats the hour.
    local = datetime(2026, 10, 1) + timedelta(
        days=draw(st.integers(0, 420)),
        minutes=draw(st.one_of(st.integers(60, 180), st.integers(0, 95).map(lambda q: 15 * q))),
    )
    first = local.replace(tzinfo=zone, fold=draw(st.integers(0, 1))).astimezone(UTC)
    duration = timedelta(minutes=draw(st.sampled_from((15, 30, 45, 60, 90))))
    rrule = draw(st.one_of(st.none(), rules(), rules()))
    plain = Meeting(
        title="",
        starts_at=first,
        duration=duration,
        tz=tz,
        channel_id="C",
        organiser_id="U",
        rrule=rrule,
        id=number,
        number=number,
        attendees=(Attendee(user_id="UA"), Attendee(guest="g@x.com", email="g@x.com")),
    )
    around = plain.occurrences(datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    skipped, moved = set(), {}
    if around:
        for which in draw(st.lists(st.integers(0, 10_000), max_size=6)):
            skipped.add(around[which % len(around)].key)
        for which, hours in draw(
            st.lists(st.tuples(st.integers(0, 10_000), st.integers(-400, 400)), max_size=2)
        ):
            key = around[which % len(around)].key
            if key not in skipped:
                moved[key] = around[which % len(around)].start + timedelta(hours=hours)
    meeting = Meeting(
        title=plain.title,
        starts_at=plain.starts_at,
        duration=plain.duration,
        tz=plain.tz,
        channel_id=plain.channel_id,
        organiser_id=plain.organiser_id,
        rrule=plain.rrule,
        id=plain.id,
        number=plain.number,
        attendees=plain.attendees,
        status="cancelled" if draw(st.booleans()) and draw(st.booleans()) else "scheduled",
        skipped=frozenset(skipped),
        moved=moved,
    )
    cancelled_at = None
    if meeting.status == "cancelled":
        cancelled_at = first + timedelta(hours=draw(st.integers(0, 24 * 500)))
    return meeting, cancelled_at


@st.composite
def windows(draw) -> tuple[datetime, datetime]:
    start = draw(st.sampled_from(WINDOW_STARTS)) + timedelta(
        hours=draw(st.integers(-48, 48)),
        microseconds=draw(st.sampled_from((0, 0, 1, 500_000, 999_999))),
    )
    days = draw(st.sampled_from((1, 7, 14, 15)))
    end = start + timedelta(days=days, microseconds=draw(st.sampled_from((0, 0, 250_000))))
    return start, end


def expected(meeting: Meeting, cancelled_at: datetime | None, start, end):
    found = HeldMeeting(meeting, cancelled_at).occurrences(start, end)
    return [epoch(o.start) for o in found], [o.key for o in found]


@settings(max_examples=300, deadline=None)
@given(
    items=st.lists(st.integers(1, 6), min_size=1, max_size=6).flatmap(
        lambda numbers: st.tuples(*(meetings(n) for n in numbers))
    ),
    window=windows(),
)
def test_the_same_occurrences_as_the_window_reading(items, window) -> None:
    start, end = window
    expansion = Expansion(start, end)  # one for all of them, as a digest reads a week
    for meeting, cancelled_at in items:
        starts, keys = expansion.held(WindowMeeting.of(meeting, cancelled_at))
        want_starts, want_keys = expected(meeting, cancelled_at, start, end)
        assert list(starts) == want_starts, (meeting, cancelled_at)
        assert list(starts if keys is None else keys) == want_keys, (meeting, cancelled_at)


@settings(max_examples=100, deadline=None)
@given(first=meetings(1), window=windows(), data=st.data())
def test_series_of_one_shape_share_their_starts_and_keep_their_own_ends(first, window, data):
    """The same rule and zone from other first meetings (whole weeks earlier or later),
    with skips, COUNT or UNTIL of their own: each still gets only its own."""
    meeting, _ = first
    start, end = window
    expansion = Expansion(start, end)
    for n in range(5):
        weeks = data.draw(st.integers(-30, 30))
        rule = meeting.rrule
        if rule is not None and data.draw(st.booleans()):
            rule = rule.split(";COUNT")[0].split(";UNTIL")[0] + data.draw(
                st.sampled_from(("", ";COUNT=3", ";COUNT=80", ";UNTIL=20271104T090000"))
            )
        other = Meeting(
            title="",
            starts_at=meeting.starts_at + timedelta(weeks=weeks),
            duration=meeting.duration,
            tz=meeting.tz,
            channel_id="C",
            organiser_id="U",
            rrule=rule,
            id=10 + n,
            number=10 + n,
            skipped=meeting.skipped if data.draw(st.booleans()) else frozenset(),
        )
        starts, keys = expansion.held(WindowMeeting.of(other))
        want_starts, want_keys = expected(other, None, start, end)
        assert list(starts) == want_starts, other
        assert list(starts if keys is None else keys) == want_keys, other


def test_a_lean_meeting_occurs_as_the_meeting_does() -> None:
    """`WindowMeeting.of(meeting).occurring()`: what `window_occurrences` falls back on."""
    london = ZoneInfo("Europe/London")
    first = datetime(2027, 3, 1, 1, 30, tzinfo=london).astimezone(UTC)
    meeting = Meeting(
        title="Stand-up",
        starts_at=first,
        duration=timedelta(minutes=15),
        tz="Europe/London",
        channel_id="C",
        organiser_id="UA",
        rrule="FREQ=DAILY;COUNT=40",
        id=3,
        number=3,
        skipped=frozenset({epoch(first + timedelta(days=2))}),
        moved={epoch(first + timedelta(days=3)): first + timedelta(days=40)},
    )
    lean = WindowMeeting.of(meeting)
    start, end = datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 30, tzinfo=UTC)
    assert lean.occurring().occurrences(start, end) == meeting.occurrences(start, end)
    assert (lean.minutes, lean.members, lean.guests, lean.series) == (15, ("UA",), 0, True)
