"""Opening the database: one connection, WAL, busy timeout, migrations at start."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from storage.migrations import CORE_MIGRATIONS, Migration, migrate


class Database:
    """The SalesMeet database, shared by the app's threads.

    One connection guarded by a lock: SQLite serialises writers anyway, and a
    single connection keeps transactions simple. Other processes on the same
    file are handled by SQLite's own locking (WAL + busy timeout).
    """

    def __init__(self, path: str | Path, migrations: Sequence[Migration] = CORE_MIGRATIONS) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so that a
        # library call cannot commit half of one of our transactions.
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.db.enable_wal()
        self._lock = threading.RLock()
        with self._lock:
            migrate(self.db, migrations)

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction, taken at once (BEGIN IMMEDIATE) so check-then-write is atomic."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite_utils.Database]:
        """Plain reads: serialised with writers in this process, nothing more."""
        with self._lock:
            yield self.db

    def close(self) -> None:
        with self._lock:
            self.db.close()


def named(cursor: sqlite3.Cursor) -> list[dict]:
    """A query's rows as {column: value}, so stores read columns by name, not position."""
    columns = [d[0] for d in cursor.description or ()]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def named_one(cursor: sqlite3.Cursor) -> dict | None:
    found = named(cursor)
    return found[0] if found else None
