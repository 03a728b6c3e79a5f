"""storage/recognition.py on a real SQLite file: the limit holds under racing requests, and
every query stays inside its workspace."""

import threading
from datetime import UTC, datetime, timedelta

from features.recognition.store import RecognitionStore
from salesmeet.compose import open_database

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAY = (datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC))


def give(store, team, n, giver="UMAYA"):
    return store.give(team, giver, ("URAVI",), f"reason {n}", "CSALES", f"k{n}", NOW, DAY, 5, NOW)


def test_racing_shoutouts_never_pass_the_daily_limit(tmp_path):
    store = RecognitionStore(open_database(tmp_path / "r.db"))
    results = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(give(store, "T1", n))) for n in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.given for r in results) == 5
    assert len(store.shoutouts("T1", *DAY)) == 5


def test_a_second_process_on_the_same_file_sees_the_same_limit(tmp_path):
    first = RecognitionStore(open_database(tmp_path / "r.db"))
    second = RecognitionStore(open_database(tmp_path / "r.db"))
    for n in range(3):
        give(first, "T1", n)
    assert [give(second, "T1", n).given for n in range(3, 6)] == [True, True, False]


def test_queries_stay_inside_their_workspace(tmp_path):
    store = RecognitionStore(open_database(tmp_path / "r.db"))
    for n in range(5):
        give(store, "T1", n)
    assert give(store, "T2", 0).given  # Maya's limit in T1 is not her limit in T2
    store.log_win("T1", "URAVI", "URAVI", 100, "USD", "a", "CSALES", "w", NOW, NOW)
    store.set_goal("T2", 500, "USD", "month", "UGREG", NOW)
    store.touch("T2", "UGREG", "CWINS", NOW)
    store.touch("T1", "UMAYA", None, NOW)
    assert len(store.shoutouts("T1", *DAY)) == 5 and len(store.shoutouts("T2", *DAY)) == 1
    assert store.wins("T2", *DAY) == [] and len(store.wins("T1", *DAY)) == 1
    assert store.goal("T1") is None and store.goal("T2").amount_cents == 500
    assert store.place("T1").channel_id is None and store.place("T2").channel_id == "CWINS"
    assert store.teams() == ["T1", "T2"]


def test_the_place_keeps_the_last_channel_when_a_dm_comes_after(tmp_path):
    store = RecognitionStore(open_database(tmp_path / "r.db"))
    store.touch("T1", "UMAYA", "CSALES", NOW)
    store.touch("T1", "URAVI", None, NOW + timedelta(minutes=1))
    place = store.place("T1")
    assert (place.channel_id, place.user_id) == ("CSALES", "URAVI")


def test_periods_are_half_open(tmp_path):
    store = RecognitionStore(open_database(tmp_path / "r.db"))
    for i, at in enumerate(
        (DAY[0] - timedelta(seconds=1), DAY[0], DAY[1] - timedelta(seconds=1), DAY[1])
    ):
        store.log_win("T1", "URAVI", "URAVI", 100, "USD", str(i), "C", str(i), at, at)
    assert [w.note for w in store.wins("T1", *DAY)] == ["1", "2"]
