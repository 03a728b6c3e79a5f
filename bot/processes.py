"""Whether a process on this host is still running: claims, leases and inbox rows name
the process holding them (host:pid:nonce), and a dead holder's work is taken over."""

from __future__ import annotations

import os


def running(pid: int) -> bool:
    """True while process `pid` runs. A zombie has finished: a worker whose server was
    killed stays one until an init that may never reap it (a container's) does, and its
    claims must not wait for that."""
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # "pid (comm) state ...": comm may hold spaces and parentheses.
            state = stat.read().rpartition(b")")[2].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): existing is all we can tell
    return state not in (b"Z", b"X")
