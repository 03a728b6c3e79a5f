"""The one-clock rule: nothing outside bot/clock.py reads the wall clock.

Code that needs "now" takes a `Clock` (bot/clock.py); the benchmarks and the tests that
need the real time use `SystemClock().now()` / `.epoch()`. `time.perf_counter()` and
`time.monotonic()` measure durations and are fine anywhere.

The check reads every Python file's syntax tree (not its text), so comments, strings and
names like `meeting.time` never trip it, and it sees through `import datetime as dt` or
`from time import time`.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLOCK = Path("bot") / "clock.py"
SKIPPED_DIRS = {".venv", ".git"}

# Calls that read the wall clock, by the dotted name they are written with ...
WRITTEN = {
    "time.time",
    "time.time_ns",
    "datetime.now",
    "datetime.utcnow",
    "datetime.today",
    "date.today",
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
}
# ... and by what they are once the file's imports are resolved.
QUALIFIED = {
    "time.time",
    "time.time_ns",
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
}


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of attributes on a plain name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> what it was imported as, for `time` and `datetime` only:
    `import datetime as dt` gives dt -> datetime, `from time import time` time -> time.time."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("time", "datetime"):
                    names[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def wall_clock_calls(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, call as written) for every wall-clock read in `source`."""
    tree = ast.parse(source, filename=filename)
    imported = _imported_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        written = _dotted(node.func)
        if written is None:
            continue
        head, _, rest = written.partition(".")
        qualified = imported.get(head, head) + (f".{rest}" if rest else "")
        if written in WRITTEN or qualified in QUALIFIED:
            found.append((node.lineno, written))
    return sorted(found)


def python_files(root: Path) -> list[Path]:
    """Every *.py file under `root`, leaving out virtualenvs, git's own files and the clock."""
    files = []
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        for name in sorted(names):
            path = Path(directory) / name
            if name.endswith(".py") and path.relative_to(root) != CLOCK:
                files.append(path)
    return files


def violations(root: Path) -> list[str]:
    """`file:line: call` for every wall-clock read outside bot/clock.py."""
    found = []
    for path in python_files(root):
        relative = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        for line, call in wall_clock_calls(source, relative):
            found.append(f"{relative}:{line}: {call}()")
    return found


def test_nothing_but_the_clock_reads_the_wall_clock() -> None:
    assert python_files(ROOT), "found no Python files to check"
    found = violations(ROOT)
    assert not found, (
        "read the wall clock through bot/clock.py (a Clock, or SystemClock().now()/.epoch()),"
        " not directly:\n" + "\n".join(found)
    )


def test_the_checker_catches_wall_clock_reads() -> None:
    source = """\
import time
import datetime as dt
from datetime import date, datetime
from time import time as wall


def stamp(meeting):
    a = time.time()
    b = datetime.now()
    c = datetime.utcnow()
    d = datetime.today()
    e = date.today()
    f = dt.datetime.now()
    g = dt.date.today()
    h = wall()
    i = time.time_ns()
    return datetime.datetime.now(), meeting.time(), time.perf_counter(), time.monotonic()
"""
    assert wall_clock_calls(source) == [
        (8, "time.time"),
        (9, "datetime.now"),
        (10, "datetime.utcnow"),
        (11, "datetime.today"),
        (12, "date.today"),
        (13, "dt.datetime.now"),
        (14, "dt.date.today"),
        (15, "wall"),
        (16, "time.time_ns"),
        (17, "datetime.datetime.now"),
    ]


def test_the_checker_lets_durations_and_plain_dates_through() -> None:
    source = """\
import time
from datetime import UTC, date, datetime

# time.time() in a comment, and "datetime.now()" in a string, are not calls.
started = time.perf_counter()
elapsed = time.monotonic() - started
when = datetime(2026, 1, 5, tzinfo=UTC)
day = date(2026, 1, 5)
parsed = datetime.fromisoformat("2026-01-05T09:00:00+00:00")
later = when.astimezone(UTC).replace(hour=10)
"""
    assert wall_clock_calls(source) == []


def test_the_walk_reports_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "clock.py").write_text("import time\nnow = time.time()\n")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "dep.py").write_text("import time\nnow = time.time()\n")
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "late.py").write_text(
        "from datetime import datetime\n\n\ndef today():\n    return datetime.now()\n"
    )
    assert violations(tmp_path) == ["features/late.py:5: datetime.now()"]
