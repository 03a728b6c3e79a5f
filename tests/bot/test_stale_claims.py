"""A pass claims a row only as it read it (issue #15): what another process held back or
put off meanwhile stays with it, so two dispatchers on one database never send a post
before the slot one of them gave it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from entities.deliveries import Planned
from salesmeet.compose import open_database
from storage.deliveries import DeliveryStore, Held

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def test_a_row_held_back_or_put_off_since_it_was_read_is_not_claimed(tmp_path):
    store = DeliveryStore(open_database(tmp_path / "d.db"))
    store.plan([Planned("T1", "agenda", n, 0, NOW) for n in (1, 2, 3)], NOW)
    read_by_b = store.due(NOW)  # the other process read them: all three due
    held, put_off, untouched = read_by_b
    assert store.claim_many([held, put_off], "a", NOW) == {held.id, put_off.id}
    store.hold_back([Held(held.id, NOW + timedelta(seconds=2), 2, "CSALES")])
    store.settle(put_off.id, "pending", NOW, error="boom", retry_at=NOW + timedelta(minutes=1))
    assert store.claim_many(read_by_b, "b", NOW) == {untouched.id}
    # Read again when its slot comes, it is claimed.
    later = NOW + timedelta(seconds=2)
    assert store.claim_many(store.due(later), "b", later) == {held.id}
