"""Opening the database: a writer and a reader connection, WAL, bounded waits, migrations."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from entities.errors import DatabaseBusy
from storage.migrations import CORE_MIGRATIONS, Migration, applied, migrate

# A read on the ack path must answer within Slack's 3 seconds, busy or not.
READ_PATIENCE_SECONDS = 2.0
# Writers too: a form submission books before its ack. Work after the ack that meets a
# busy database is told so (or, for timed posts, retried by the alarm); nothing is lost.
WRITE_PATIENCE_SECONDS = 2.0
# Waiting for another process's write lock: first pause, and the longest (doubling). The
# worker's transactions take well under a millisecond; a longer pause left the inbox's
# claim, and every request waiting for it, asleep after the lock came free.
BUSY_PAUSE_FIRST = 0.0002
BUSY_PAUSE_MOST = 0.0005
# Migrations at start may wait for another process that is starting on the same file.
MIGRATION_PATIENCE_MS = 30_000


class Database:
    """The SalesMeet database, shared by the app's threads.

    Writes go through one connection guarded by a lock: SQLite serialises writers anyway,
    and a single writer keeps transactions simple. Reads use a connection of their own
    per thread, so in WAL mode they never queue behind a writer that is waiting for
    another process's lock, nor behind one another: a long read after one user's ack (a
    week's load, a digest) never holds up the read on another user's ack path. In the
    thread that holds a transaction, reads see that transaction. Every wait is bounded;
    past it, DatabaseBusy.
    """

    def __init__(self, path: str | Path, migrations: Sequence[Migration] = CORE_MIGRATIONS) -> None:
        self.path = str(path)
        memory = self.path == ":memory:"
        if not memory:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = self._connect(WRITE_PATIENCE_SECONDS)
        if not memory:
            self.db.enable_wal()
            # Only what a transaction asks to be synced waits for the disk (`transaction`).
            self.db.execute("PRAGMA synchronous = NORMAL")
        # The connection synced transactions use: its own, opened with synchronous FULL,
        # so a synced commit is not two more statements (each one gives up Python's lock,
        # and under load getting it back costs more than the statement). It shares the
        # write lock: one transaction at a time, whichever connection it is on.
        self._synced_db: sqlite_utils.Database | None = None
        self._lock = threading.RLock()
        self._writing = threading.local()
        with self._lock:
            self.db.execute(f"PRAGMA busy_timeout = {MIGRATION_PATIENCE_MS}")
            if not memory:
                self._backup_before(migrations)
            migrate(self.db, migrations)
            # The writer waits for the lock in `_begin`, not in SQLite's busy handler.
            self.db.execute("PRAGMA busy_timeout = 0")
        # An in-memory database exists once per connection: it reads through the writer.
        self._memory = memory
        self._readers = threading.local()
        self._all_readers: list[sqlite_utils.Database] = []
        self._readers_lock = threading.Condition()
        self._reading = 0  # reads under way; close() waits for them
        self._closed = False

    def _backup_before(self, migrations: Sequence[Migration]) -> None:
        """Before migrating a database that has tables, copy it to
        `<db>.before-<first pending migration>.bak`. A new database, or one with nothing
        to migrate, is not copied. A copy that can't be written stops the start."""
        if not self.db.table_names():
            return
        done = applied(self.db)
        pending = [m.name for m in migrations if m.name not in done]
        if pending:
            backup(self.db.conn, f"{self.path}.before-{pending[0]}.bak")

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
    def acting_for(self, mark: Callable[[sqlite_utils.Database], None]) -> Iterator[None]:
        """Work done in this thread on behalf of one request: the first change it commits
        (a transaction not marked bookkeeping) also runs `mark` inside that transaction,
        so "the request was done" is committed with the change itself, or not at all.
        `mark` may raise (the request was already done) to roll the change back."""
        previous = getattr(self._writing, "mark", None)
        self._writing.mark = mark
        try:
            yield
        finally:
            self._writing.mark = previous

    @contextmanager
    def transaction(
        self,
        patience: float = WRITE_PATIENCE_SECONDS,
        bookkeeping: bool = False,
        synced: bool = False,
    ) -> Iterator[sqlite_utils.Database]:
        """A write transaction, taken at once (BEGIN IMMEDIATE) so check-then-write is atomic.
        Waits at most `patience` seconds for the lock, then DatabaseBusy. One opened inside
        this thread's transaction joins it (the outer one's `bookkeeping` and `synced`
        count), so several stores' writes can commit as one. `bookkeeping`:
        what the app keeps for itself (caches, leases, the post queue, the request ledger),
        not a change a user asked for (see `acting_for`).

        `synced`: on disk when the commit returns (the request inbox, before its ack).
        Other commits are on disk at the next synced commit (any process's) or WAL
        checkpoint: a process crash loses none of them, a power cut the last few, and
        those are redone from the inbox or looked for in the channel (README,
        Reliability). A sync costs about 2.5 ms; most commits cost a few microseconds."""
        depth = getattr(self._writing, "depth", 0)
        if depth:
            # Inside this thread's transaction: part of it, committed or rolled back with
            # it (several stores' writes as one, e.g. a meeting's planned posts).
            yield self._writing.db
            return
        if not self._lock.acquire(timeout=patience):
            raise DatabaseBusy("the write connection stayed busy")
        try:
            db = self._synced() if synced else self.db
            self._begin(db, patience)
            self._writing.depth = depth + 1
            self._writing.db = db
            try:
                yield db
                mark = getattr(self._writing, "mark", None)
                if mark is not None and not bookkeeping and depth == 0:
                    self._writing.mark = None  # once per request: its first change
                    mark(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            self._writing.depth = depth
            self._writing.db = None
            self._lock.release()

    def _synced(self) -> sqlite_utils.Database:
        """The synced transactions' connection (the writer's own lock held)."""
        if self._memory:
            return self.db  # nothing to sync
        if self._synced_db is None:
            db = self._connect(WRITE_PATIENCE_SECONDS)
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA busy_timeout = 0")
            self._synced_db = db
        return self._synced_db

    def _begin(self, db: sqlite_utils.Database, patience: float) -> None:
        """BEGIN IMMEDIATE, tried again every fraction of a millisecond for up to
        `patience` seconds, then DatabaseBusy. SQLite's own busy handler sleeps 1, 2, 5,
        10 ... 100 ms between tries: behind another process's many short transactions (the
        worker's, salesmeet/worker.py) a writer slept long after the lock came free, and
        an ack waited with it."""
        deadline = time.monotonic() + patience
        pause = BUSY_PAUSE_FIRST
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                busy = "locked" in str(error) or "busy" in str(error)
                if not busy or time.monotonic() + pause > deadline:
                    raise DatabaseBusy(str(error)) from error
            time.sleep(pause)
            pause = min(pause * 2, BUSY_PAUSE_MOST)

    @contextmanager
    def reading(self) -> Iterator[sqlite_utils.Database]:
        """Plain reads, waiting at most READ_PATIENCE_SECONDS for anyone."""
        if getattr(self._writing, "depth", 0):
            yield self._writing.db  # inside our own transaction: read what it wrote
            return
        if self._memory:
            if not self._lock.acquire(timeout=READ_PATIENCE_SECONDS):
                raise DatabaseBusy("the database stayed busy")
            try:
                yield self.db
            finally:
                self._lock.release()
            return
        with self._readers_lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the database is closed")
            self._reading += 1
        try:
            yield self._reader()
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise DatabaseBusy(str(error)) from error
            raise
        finally:
            with self._readers_lock:
                self._reading -= 1
                self._readers_lock.notify_all()

    def _reader(self) -> sqlite_utils.Database:
        """This thread's read connection, opened on first use (threads are pooled, so
        there are as many as the app has threads)."""
        reader = getattr(self._readers, "db", None)
        if reader is None:
            with self._readers_lock:
                reader = self._connect(READ_PATIENCE_SECONDS)
                self._all_readers.append(reader)
            self._readers.db = reader
        return reader

    def install_id(self) -> str:
        """This database's own random id (made by a migration, never changed)."""
        with self.reading() as db:
            return db.execute("SELECT id FROM install_identity").fetchone()[0]

    def close(self) -> None:
        # Closing a connection another thread is reading from crashes SQLite: new reads
        # are refused from here on, and the ones under way are waited for.
        with self._lock, self._readers_lock:
            self._closed = True
            self._readers_lock.wait_for(lambda: self._reading == 0, timeout=READ_PATIENCE_SECONDS)
            for reader in self._all_readers:
                reader.close()
            self._all_readers.clear()
            if self._synced_db is not None:
                self._synced_db.close()
            self.db.close()


def backup(source: sqlite3.Connection, destination: str | Path) -> Path:
    """Copy the database behind `source` to `destination` with SQLite's online backup: a
    consistent snapshot, even while other connections and processes write. The copy is a
    single file (no -wal), written beside `destination` and renamed into place, so no
    one ever sees half of it."""
    destination = Path(destination)
    partial = destination.with_name(f"{destination.name}.{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        target.close()
        os.replace(partial, destination)
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    return destination


def named(cursor: sqlite3.Cursor) -> list[dict]:
    """A query's rows as {column: value}, so stores read columns by name, not position."""
    columns = [d[0] for d in cursor.description or ()]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def named_one(cursor: sqlite3.Cursor) -> dict | None:
    found = named(cursor)
    return found[0] if found else None
