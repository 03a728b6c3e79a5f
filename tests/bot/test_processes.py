"""A process that finished is not running, even before anyone reaps it (a zombie)."""

import os
import subprocess
import sys
import time

from bot.processes import running


def test_a_live_process_runs_and_a_finished_one_does_not_even_unreaped():
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        assert running(child.pid)
        assert running(os.getpid())
        child.stdin.close()  # it exits; nobody has waited for it yet: a zombie
        deadline = time.monotonic() + 10
        while running(child.pid):
            assert time.monotonic() < deadline, "a finished process still counts as running"
            time.sleep(0.01)
        with open(f"/proc/{child.pid}/stat", "rb") as stat:
            assert b") Z" in stat.read()  # really unreaped when it stopped counting
    finally:
        child.wait()
    assert not running(child.pid)  # reaped: gone altogether
