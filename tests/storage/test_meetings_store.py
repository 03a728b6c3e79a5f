"""Storage on a real SQLite file: numbering, repeats, workspaces kept apart, restarts."""

from datetime import UTC, datetime, timedelta

from entities.meetings import Attendee, MeetingDraft, Venue
from storage.db import Database
from storage.meetings import MeetingStore, load_meetings
from storage.migrations import CORE_MIGRATIONS, applied

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def draft(title="Pipeline review", organiser="UMAYA", channel="CSALES", hours=2) -> MeetingDraft:
    return MeetingDraft(
        title=title,
        starts_at=NOW + timedelta(hours=hours),
        duration=timedelta(minutes=45),
        tz="Asia/Kuala_Lumpur",
        channel_id=channel,
        organiser_id=organiser,
        purpose="product",
        venue=Venue("video", "https://zoom.us/j/1"),
        attendees=(Attendee(user_id="URAVI"), Attendee(guest="jane@acme.com")),
    )


def test_round_trip_and_numbering_per_workspace(tmp_path):
    store = MeetingStore(Database(tmp_path / "s.db"))
    first, created = store.create("T1", draft(), NOW)
    second, _ = store.create("T1", draft("Forecast"), NOW)
    other, _ = store.create("T2", draft("Globex"), NOW)
    assert created and (first.number, second.number, other.number) == (1, 2, 1)
    loaded = store.get("T1", 1)
    assert loaded == first
    assert loaded.venue.link == "https://zoom.us/j/1"
    assert loaded.attendees == (Attendee(user_id="URAVI"), Attendee(guest="jane@acme.com"))
    assert store.get("T2", 1).title == "Globex"
    assert store.get("T2", 2) is None


def test_meetings_asked_for_twice_come_back_once_with_their_own_attendees(tmp_path):
    database = Database(tmp_path / "s.db")
    store = MeetingStore(database)
    first, _ = store.create("T1", draft(), NOW)
    second, _ = store.create("T1", draft("Forecast"), NOW)
    with database.reading() as db:
        loaded = load_meetings(db, "T1", [second.id, first.id, second.id])
    assert [m.title for m in loaded] == ["Forecast", "Pipeline review"]
    assert all(m.attendees == first.attendees for m in loaded)


def test_repeat_within_window_returns_the_first(tmp_path):
    store = MeetingStore(Database(tmp_path / "s.db"))
    first, created = store.create("T1", draft(), NOW, request_key="k")
    again, created_again = store.create("T1", draft(), NOW + timedelta(seconds=100), "k")
    assert created and not created_again and again.number == first.number
    later, created_later = store.create("T1", draft(), NOW + timedelta(minutes=3), "k")
    assert created_later and later.number == 2


def test_same_request_from_another_user_or_channel_is_new(tmp_path):
    store = MeetingStore(Database(tmp_path / "s.db"))
    store.create("T1", draft(), NOW, request_key="k")
    _, by_other_user = store.create("T1", draft(organiser="URAVI"), NOW, "k")
    _, in_other_channel = store.create("T1", draft(channel="COTHER"), NOW, "k")
    _, in_other_team = store.create("T2", draft(), NOW, "k")
    assert by_other_user and in_other_channel and in_other_team


def test_upcoming_mine_and_cancelled(tmp_path):
    store = MeetingStore(Database(tmp_path / "s.db"))
    store.create("T1", draft("Later", hours=5), NOW)
    store.create("T1", draft("Sooner", hours=1), NOW)
    store.create("T1", draft("Ravi's", organiser="URAVI", hours=3), NOW)
    assert [m.title for m, _ in store.upcoming("T1", NOW)] == ["Sooner", "Ravi's", "Later"]
    # Ravi attends every meeting above; Olivia none.
    assert len(store.upcoming("T1", NOW, user_id="URAVI")) == 3
    assert store.upcoming("T1", NOW, user_id="UOLIVIA") == []
    assert store.cancel("T1", 2, "UMAYA", NOW)
    assert not store.cancel("T1", 2, "UMAYA", NOW)
    assert [m.title for m, _ in store.upcoming("T1", NOW)] == ["Ravi's", "Later"]
    assert store.get("T1", 2).status == "cancelled"
    assert store.upcoming("T2", NOW) == []
    # A meeting that has ended is no longer upcoming; one under way still is.
    assert [m.title for m, _ in store.upcoming("T1", NOW + timedelta(hours=3, minutes=30))] == [
        "Ravi's",
        "Later",
    ]
    assert [m.title for m, _ in store.upcoming("T1", NOW + timedelta(hours=4))] == ["Later"]


def test_cancel_in_one_workspace_leaves_the_other(tmp_path):
    store = MeetingStore(Database(tmp_path / "s.db"))
    store.create("T1", draft(), NOW)
    store.create("T2", draft(), NOW)
    assert store.cancel("T2", 1, "UX", NOW)
    assert store.get("T1", 1).status == "scheduled"


def test_data_survives_a_restart_and_migrations_run_once(tmp_path):
    path = tmp_path / "s.db"
    database = Database(path)
    MeetingStore(database).create("T1", draft(), NOW)
    database.close()
    reopened = Database(path)
    names = [m.name for m in CORE_MIGRATIONS]
    assert applied(reopened.db) == set(names)
    assert [r[0] for r in reopened.db.execute("SELECT name FROM schema_migrations")] == names
    assert MeetingStore(reopened).get("T1", 1).title == "Pipeline review"
    assert reopened.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upcoming_mixes_one_offs_series_and_moves_in_order_with_a_limit(tmp_path):
    from dataclasses import replace

    store = MeetingStore(Database(tmp_path / "s.db"))
    for hours in range(30, 0, -1):  # 30 one-offs, created latest first
        store.create("T1", draft(f"One-off {hours}", hours=hours), NOW)
    series = replace(draft("Weekly", hours=1), rrule="FREQ=WEEKLY")
    store.create(
        "T1", replace(series, starts_at=NOW - timedelta(days=7) + timedelta(minutes=90)), NOW
    )
    moved, _ = store.create("T1", draft("Moved", hours=40), NOW)
    store.change_occurrence(
        "T1",
        moved.id,
        int(moved.starts_at.timestamp()),
        "UMAYA",
        NOW,
        moved_to=NOW + timedelta(minutes=30),
    )
    first = store.upcoming("T1", NOW, limit=4)
    assert [m.title for m, _ in first] == ["Moved", "One-off 1", "Weekly", "One-off 2"]
    assert store.count_upcoming("T1", NOW) == 32
    assert len(store.upcoming("T1", NOW, limit=0)) == 32
