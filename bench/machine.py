"""What the figures were measured on."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from importlib import metadata
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    return "unknown"


def _filesystem(path: str) -> str:
    """The mount (device, type) holding `path`: fsync cost depends on it."""
    best = ("?", "?", "")
    try:
        target = os.path.realpath(path)
        for line in Path("/proc/mounts").read_text().splitlines():
            device, mount, fstype = line.split()[:3]
            inside = target == mount or target.startswith(mount.rstrip("/") + "/")
            if inside and len(mount) >= len(best[2]):
                best = (device, fstype, mount)
    except OSError:
        pass
    return f"{best[1]} ({best[0]} on {best[2] or '?'})"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def _load() -> str:
    """Other work on the machine skews every figure; say how busy it was."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min, at the start)"


def describe(workdir: str) -> list[str]:
    return [
        f"CPU:         {_cpu_model()}",
        f"Cores:       {os.cpu_count()} (os.cpu_count)",
        f"Memory:      {_memory()}",
        f"Load avg:    {_load()}",
        f"OS:          {platform.system()} {platform.release()} ({platform.machine()})",
        f"Python:      {sys.version.split()[0]} ({platform.python_implementation()})",
        f"SQLite:      {sqlite3.sqlite_version}",
        f"APScheduler: {_version('APScheduler')}, slack_sdk {_version('slack-sdk')}",
        f"Temp DBs in: {workdir}, {_filesystem(workdir)}",
    ]
