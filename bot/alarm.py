"""APScheduler as the alarm clock for timed posts; the database stays the truth.

One process at a time is the scheduler (a lease row in the database); the others
stand by and take over when the lease runs out. The leader keeps one one-shot job
set for the next due post, rebuilt from the rows at start and after every change;
no job state is pickled anywhere (the in-memory job store is the default).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.timed_posts import Dispatcher, Planner, claimer_gone
from storage.deliveries import DeliveryStore
from storage.leases import LeaseStore

log = logging.getLogger(__name__)

LEASE = "scheduler"
LEASE_TTL = timedelta(seconds=30)
HEARTBEAT = timedelta(seconds=10)  # renew well inside the TTL; standbys check as often
HORIZON_EVERY = timedelta(hours=1)


class Alarm:
    def __init__(
        self,
        planner: Planner,
        dispatcher: Dispatcher,
        deliveries: DeliveryStore,
        leases: LeaseStore,
        clock: Clock,
        holder: str,
        team_id: str | None = None,
    ) -> None:
        # One scheduler per workspace: each install's token posts only its own rows.
        self.team_id = team_id
        self.lease = f"{LEASE}:{team_id}" if team_id else LEASE
        self.planner = planner
        self.dispatcher = dispatcher
        self.deliveries = deliveries
        self.leases = leases
        self.clock = clock
        self.holder = holder
        self.leader = False
        # When the heartbeat (every HEARTBEAT, leader or not) last took, renewed or
        # checked the lease: /healthz reads it. None until the first one.
        self.last_run: datetime | None = None
        # Hourly housekeeping beside the horizon (deleting data past its retention).
        self.chores: list[Callable[[], object]] = []
        # A process whose timed posts another process sends (a server whose worker holds
        # the alarm, salesmeet/worker.py) tells that one when rows changed, instead of
        # waking an alarm of its own.
        self.wake_elsewhere: Callable[[], None] | None = None
        # Told after every heartbeat (when it ran, and whether this alarm holds the
        # lease): a worker's alarm reports to its server's /healthz this way.
        self.on_beat: Callable[[datetime, bool], None] | None = None
        self._lock = threading.Lock()
        self._firing = threading.Event()
        # Job defaults, chosen on purpose:
        # - misfire_grace_time=None: a job that fires late (a busy or suspended process)
        #   still runs; whether a post is too late is decided per row, from the database.
        # - coalesce=True: several missed runs of the same job run once; one run sends
        #   everything that is due anyway.
        # - max_instances=1: one dispatch pass at a time per process.
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )

    def start(self) -> None:
        """Start the alarm. The first heartbeat (take the lease, catch up) runs on the
        scheduler's thread at once, so the app serves Slack while it catches up."""
        self.scheduler.add_job(
            self.heartbeat,
            IntervalTrigger(seconds=HEARTBEAT.total_seconds(), timezone=UTC),
            id="heartbeat",
            next_run_time=self.clock.now(),
        )
        self.scheduler.add_job(
            self._extend,
            IntervalTrigger(seconds=HORIZON_EVERY.total_seconds(), timezone=UTC),
            id="horizon",
        )
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self.leader:
            self.leases.release(self.lease, self.holder)
            self.leader = False

    def heartbeat(self) -> None:
        """Take or renew the lease; a new leader catches up on what came due meanwhile."""
        with self._lock:
            was_leader = self.leader
            # A leader that died on this host (a restart) is taken over at once.
            self.leader = self.leases.acquire(
                self.lease,
                self.holder,
                self.clock.now(),
                LEASE_TTL,
                gone=lambda held_by: claimer_gone(held_by, self.holder),
            )
            self.last_run = self.clock.now()
        if self.on_beat is not None:
            self.on_beat(self.last_run, self.leader)
        if self.leader and not was_leader:
            log.info("scheduling timed posts (%s)", self.holder)
            self.dispatcher.recover()
            self.planner.extend_horizon(self.team_id)
            self.fire()
        elif was_leader and not self.leader:
            log.warning("lost the scheduler lease; standing by (%s)", self.holder)
            self._remove("deliver")
        elif self.leader:
            self.wake()  # picks up rows another process added

    def wake(self) -> None:
        """Set the one alarm for the next due post (call after any change to the rows)."""
        if self.wake_elsewhere is not None:
            self.wake_elsewhere()
            return
        if not self.leader or not self.scheduler.running:
            return
        if self._firing.is_set():
            # A pass is running and re-arms when it ends; adding the job now would be
            # skipped by APScheduler (max_instances=1) and lost.
            return
        due = self.deliveries.next_due(self.team_id)
        if due is None:
            self._remove("deliver")
            return
        now = self.clock.now()
        self.scheduler.add_job(
            self.fire,
            DateTrigger(run_date=max(due, now), timezone=UTC),
            id="deliver",
            replace_existing=True,
            # A second pass may start while one ends (claims keep them apart); with 1,
            # APScheduler would drop an alarm set from inside a running pass.
            max_instances=2,
        )

    def run_pass(self, plan: bool = False) -> int:
        """One synchronous pass of what the alarm does when it rings: (with `plan`, first
        plan what the horizon now covers, as the hourly job does), then send everything due
        now, including rows that came due during the pass. Returns how many were settled.
        The alarm's job, the console and the tests all run this one pass."""
        if plan:
            self.planner.extend_horizon(self.team_id)
        settled = 0
        # Rows that came due during a pass are sent by another pass, here: an alarm set
        # for "now" from inside the job would be skipped as a second instance.
        for _ in range(100):
            settled += self.dispatcher.run_due()
            due = self.deliveries.next_due(self.team_id)
            if due is None or due > self.clock.now():
                break
        return settled

    def fire(self) -> None:
        if not self.leader:
            return
        self._firing.set()
        try:
            self.run_pass()
        except Exception:
            # Keep the alarm alive: the rows still hold what is pending.
            log.exception("dispatching timed posts failed")
        finally:
            self._firing.clear()
        self.wake()

    def _extend(self) -> None:
        if self.leader:
            self.planner.extend_horizon(self.team_id)
            for chore in self.chores:
                try:
                    chore()
                except Exception:
                    log.exception("an hourly chore failed")
            self.wake()

    def _remove(self, job_id: str) -> None:
        if self.scheduler.get_job(job_id):
            self.scheduler.remove_job(job_id)
