"""Opening the database: a writer and a reader connection, WAL, bounded waits, migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from entities.errors import DatabaseBusy
from storage.migrations import CORE_MIGRATIONS, Migration, migrate

# A read on the ack path must answer within Slack's 3 seconds, busy or not.
READ_PATIENCE_SECONDS = 2.0
# Writers too: a form submission books before its ack. Work after the ack that meets a
# busy database is told so (or, for timed posts, retried by the alarm); nothing is lost.
WRITE_PATIENCE_SECONDS = 2.0
# Migrations at start may wait for another process that is starting on the same file.
MIGRATION_PATIENCE_MS = 30_000


class Database:
    """The SalesMeet database, shared by the app's threads.

    Writes go through one connection guarded by a lock: SQLite serialises writers anyway,
    and a single writer keeps transactions simple. Reads use a second connection, so in
    WAL mode they never queue behind a writer that is waiting for another process's lock
    (in the thread that holds a transaction, reads see that transaction). Every wait is
    bounded; past it, DatabaseBusy.
    """

    def __init__(self, path: str | Path, migrations: Sequence[Migration] = CORE_MIGRATIONS) -> None:
        self.path = str(path)
        memory = self.path == ":memory:"
        if not memory:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = self._connect(WRITE_PATIENCE_SECONDS)
        if not memory:
            self.db.enable_wal()
        self._lock = threading.RLock()
        self._writing = threading.local()
        with self._lock:
            self.db.execute(f"PRAGMA busy_timeout = {MIGRATION_PATIENCE_MS}")
            migrate(self.db, migrations)
            self.db.execute(f"PRAGMA busy_timeout = {int(WRITE_PATIENCE_SECONDS * 1000)}")
        # An in-memory database exists once per connection: it reads through the writer.
        self._reader = self.db if memory else self._connect(READ_PATIENCE_SECONDS)
        self._read_lock = self._lock if memory else threading.Lock()

    def _connect(self, patience: float) -> sqlite_utils.Database:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so that a library call
        # cannot commit half of one of our transactions.
        conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=patience
        )
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    @contextmanager
    def transaction(
        self, patience: float = WRITE_PATIENCE_SECONDS
    ) -> Iterator[sqlite_utils.Database]:
        """A write transaction, taken at once (BEGIN IMMEDIATE) so check-then-write is atomic.
        Waits at most `patience` seconds for the lock, then DatabaseBusy."""
        if not self._lock.acquire(timeout=patience):
            raise DatabaseBusy("the write connection stayed busy")
        depth = getattr(self._writing, "depth", 0)
        try:
            try:
                if patience != WRITE_PATIENCE_SECONDS:
                    self.db.execute(f"PRAGMA busy_timeout = {int(patience * 1000)}")
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise DatabaseBusy(str(error)) from error
            finally:
                if patience != WRITE_PATIENCE_SECONDS:
                    self.db.execute(f"PRAGMA busy_timeout = {int(WRITE_PATIENCE_SECONDS * 1000)}")
            self._writing.depth = depth + 1
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        finally:
            self._writing.depth = depth
            self._lock.release()

    @contextmanager
    def reading(self) -> Iterator[sqlite_utils.Database]:
        """Plain reads, waiting at most READ_PATIENCE_SECONDS for anyone."""
        if getattr(self._writing, "depth", 0):
            yield self.db  # inside our own transaction: read what it wrote
            return
        if not self._read_lock.acquire(timeout=READ_PATIENCE_SECONDS):
            raise DatabaseBusy("the read connection stayed busy")
        try:
            yield self._reader
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise DatabaseBusy(str(error)) from error
            raise
        finally:
            self._read_lock.release()

    def install_id(self) -> str:
        """This database's own random id (made by a migration, never changed)."""
        with self.reading() as db:
            return db.execute("SELECT id FROM install_identity").fetchone()[0]

    def close(self) -> None:
        # Both locks: closing a connection another thread is reading from crashes SQLite.
        with self._lock:
            if self._reader is not self.db:
                with self._read_lock:
                    self._reader.close()
            self.db.close()


def named(cursor: sqlite3.Cursor) -> list[dict]:
    """A query's rows as {column: value}, so stores read columns by name, not position."""
    columns = [d[0] for d in cursor.description or ()]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def named_one(cursor: sqlite3.Cursor) -> dict | None:
    found = named(cursor)
    return found[0] if found else None
