"""Operating SalesMeet from the command line.

    python -m salesmeet backup PATH    copy the database (SALESMEET_DB) to PATH, safely
                                       while the app runs; a directory (or a PATH ending
                                       in /, made if need be) gets a dated file

The copy is SQLite's online backup (`Connection.backup`): a consistent snapshot taken
beside the app's own connections, whatever they are writing. Restoring is a file copy
with the app stopped (README, "Deploying and operating").
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from bot.clock import SystemClock
from salesmeet.config import ConfigError, load_settings
from storage.db import backup

# How long to wait for a writer that holds the database (the app's writes are short).
BUSY_PATIENCE_SECONDS = 30


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m salesmeet", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    copy = commands.add_parser("backup", help="copy the database safely while the app runs")
    copy.add_argument("path", help="the file to write, or a directory (or dir/) for a dated file")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        return _fail(str(error))
    return _backup(settings.db_path, Path(args.path), directory=args.path.endswith(("/", os.sep)))


def _backup(db_path: str, target: Path, directory: bool = False) -> int:
    source = Path(db_path)
    if db_path == ":memory:" or not source.is_file():
        return _fail(f"there is no database at SALESMEET_DB={db_path} to back up.")
    if directory and not target.is_dir():
        try:
            target.mkdir(parents=True)
        except OSError as error:
            return _fail(f"can't make the directory {target}: {error}")
    if target.is_dir():
        stamp = SystemClock().now().strftime("%Y%m%dT%H%M%SZ")
        target = target / f"{source.stem}-{stamp}{source.suffix}"
    if target.exists() and target.resolve() == source.resolve():
        return _fail(f"{target} is the database itself; choose another path.")
    try:
        # mode=rw: never create an empty database where the real one was expected.
        connection = sqlite3.connect(
            f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_PATIENCE_SECONDS
        )
        try:
            written = backup(connection, target)
        finally:
            connection.close()
        check = sqlite3.connect(f"{written.resolve().as_uri()}?mode=ro", uri=True)
        try:
            verdict = check.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            check.close()
    except (OSError, sqlite3.Error) as error:
        return _fail(f"the backup to {target} failed: {error}")
    if verdict != "ok":
        return _fail(f"the copy at {written} does not check out: {verdict}")
    size = written.stat().st_size
    print(f"salesmeet: backed up {source.resolve()} to {written.resolve()} ({size} bytes)")
    return 0


def _fail(problem: str) -> int:
    print(f"salesmeet: {problem}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
