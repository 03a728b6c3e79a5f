"""One SalesMeet start-up, timed phase by phase, in a fresh process.

Run by bench/scheduler.py as `python -m bench.startup_child DB_PATH API_URL`; prints one
JSON object. Mirrors app.py: open the database, create_app, then `alarm.start()`, whose
first heartbeat takes the lease, recovers stale claims, extends the horizon and sets the
first alarm.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import handlers  # noqa: E402, F401  (create_app imports it; count it as import time)
from bench.probe import Timers  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from salesmeet.compose import (  # noqa: E402
    create_app,
    open_database,
)
from salesmeet.config import Settings  # noqa: E402

_IMPORTED = time.perf_counter()


def main(db_path: str, api_url: str) -> dict:
    timers = Timers()
    settings = Settings(
        bot_token="xoxb-t1-test", signing_secret="bench-secret", api_url=api_url, db_path=db_path
    )
    t = time.perf_counter()
    database = open_database(settings.db_path)
    opened = time.perf_counter() - t

    t = time.perf_counter()
    _app, services = create_app(settings, SystemClock(), database)
    created = time.perf_counter() - t

    alarm = services.alarm
    # The interval heartbeat also runs (every 10 s) while a slow first one is still busy;
    # keep spans so the first call of each can be told apart.
    timers.wrap(alarm, "heartbeat", keep_spans=True)
    timers.wrap(alarm.leases, "acquire", "lease", keep_spans=True)
    timers.wrap(services.dispatcher, "recover")
    timers.wrap(services.planner, "extend_horizon")
    timers.wrap(services.planner.meetings, "needing_plan")
    timers.wrap(services.planner.deliveries, "plan")
    timers.wrap(services.planner.meetings, "set_planned_until")
    timers.wrap(services.dispatcher, "run_due", keep_spans=True)
    timers.wrap(alarm, "wake", keep_spans=True)
    t = time.perf_counter()
    alarm.start()
    # The first heartbeat runs on the scheduler's thread (the app serves meanwhile):
    # the figure is the time until it has taken the lease and set the first alarm.
    deadline = time.monotonic() + 600
    job = None
    while time.monotonic() < deadline:
        job = alarm.scheduler.get_job("deliver")
        if alarm.leader and job is not None and job.next_run_time is not None:
            break
        time.sleep(0.001)
    started = time.perf_counter() - t
    next_run = job.next_run_time.timestamp() if job and job.next_run_time else None
    leader = alarm.leader
    next_due = services.dispatcher.deliveries.next_due(alarm.team_id)

    alarm.stop()
    services.background.shutdown(wait=True)
    database.close()
    return {
        "import": _IMPORTED - _T0,
        "open_db": opened,
        "create_app": created,
        "alarm_start": started,
        "phases": dict(timers.total),
        "counts": dict(timers.count),
        "first": {label: min(spans)[1] for label, spans in timers.spans.items() if spans},
        "leader": leader,
        "first_alarm_at": next_run,
        "next_due": next_due.timestamp() if next_due else None,
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
