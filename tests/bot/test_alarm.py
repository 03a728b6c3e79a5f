"""The alarm clock: one scheduler per database (a lease), standby takeover, real firing."""

from datetime import UTC, datetime, timedelta

from bot.alarm import LEASE, LEASE_TTL
from bot.clock import ManualClock, SystemClock
from salesmeet.compose import build_core, open_database, web_client
from salesmeet.config import Settings
from storage.leases import LeaseStore
from tests.support.harness import SECRET
from tests.support.messages import text_of

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_one_holder_at_a_time_and_takeover_after_expiry(tmp_path):
    leases = LeaseStore(open_database(tmp_path / "l.db"))
    assert leases.acquire(LEASE, "a", NOW, LEASE_TTL)
    assert not leases.acquire(LEASE, "b", NOW + timedelta(seconds=10), LEASE_TTL)
    assert leases.acquire(LEASE, "a", NOW + timedelta(seconds=20), LEASE_TTL)  # renewal
    assert not leases.acquire(LEASE, "b", NOW + timedelta(seconds=49), LEASE_TTL)
    assert leases.acquire(LEASE, "b", NOW + timedelta(seconds=51), LEASE_TTL)
    assert leases.holder(LEASE, NOW + timedelta(seconds=52)) == "b"


def services_on(path, fake, clock):
    settings = Settings(bot_token="xoxb-t1-test", signing_secret=SECRET, api_url=fake.url)
    return build_core(open_database(path), clock, web_client(settings))


def test_a_standby_process_takes_over_when_the_leader_stops_renewing(tmp_path, fake):
    clock = ManualClock(NOW)
    first = services_on(tmp_path / "a.db", fake, clock)
    second = services_on(tmp_path / "a.db", fake, clock)
    first.alarm.heartbeat()
    second.alarm.heartbeat()
    assert first.alarm.leader and not second.alarm.leader
    clock.advance(timedelta(seconds=31))  # the leader died: no renewal
    second.alarm.heartbeat()
    assert second.alarm.leader
    first.alarm.heartbeat()
    assert not first.alarm.leader


def test_apscheduler_fires_the_post_at_its_time(tmp_path, fake):
    """The real alarm on the real clock: a reminder due now goes out within moments."""
    services = services_on(tmp_path / "r.db", fake, SystemClock())
    services.alarm.start()
    try:
        from entities.meetings import MeetingDraft
        from storage.people import Person

        organiser = Person("T1", "UMAYA", "maya", "Asia/Kuala_Lumpur", "en-US")
        draft = services.book.draft(
            title="Right now",
            starts_at=services.clock.now() + timedelta(minutes=10),
            duration=timedelta(minutes=30),
            organiser=organiser,
            channel_id="CSALES",
        )
        assert isinstance(draft, MeetingDraft)
        # Plans the reminder, due at once, and wakes; no announcement, this is the alarm's.
        services.book.book("T1", draft, None, announce=False)
        (post,) = fake.wait_for("chat.postMessage", timeout=10)
        assert ":alarm_clock:" in text_of(post.params)
    finally:
        services.alarm.stop()
        services.background.shutdown()
