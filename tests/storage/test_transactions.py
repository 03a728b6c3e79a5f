"""Write transactions on a real SQLite file: one inside another joins it."""

import pytest

from storage.db import Database


def count(database: Database) -> int:
    with database.reading() as db:
        return db.execute("SELECT count(*) FROM notes").fetchone()[0]


@pytest.fixture
def database(tmp_path):
    database = Database(tmp_path / "t.db")
    with database.transaction() as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    yield database
    database.close()


def test_writes_in_an_inner_transaction_commit_with_the_outer_one(database):
    with database.transaction(bookkeeping=True) as db:
        db.execute("INSERT INTO notes VALUES ('outer')")
        with database.transaction(bookkeeping=True) as inner:
            inner.execute("INSERT INTO notes VALUES ('inner')")
        assert count(database) == 2  # this thread reads its own transaction
    assert count(database) == 2


def test_a_failure_inside_rolls_back_the_whole_transaction(database):
    with pytest.raises(RuntimeError), database.transaction() as db:
        db.execute("INSERT INTO notes VALUES ('outer')")
        with database.transaction() as inner:
            inner.execute("INSERT INTO notes VALUES ('inner')")
            raise RuntimeError("the second store's write failed")
    assert count(database) == 0
    with database.transaction() as db:  # the connection is usable again
        db.execute("INSERT INTO notes VALUES ('after')")
    assert count(database) == 1


def test_a_request_is_marked_done_once_with_its_first_change(database):
    marks = []
    with database.acting_for(lambda db: marks.append("done")):
        with database.transaction() as db, database.transaction() as inner:
            inner.execute("INSERT INTO notes VALUES ('change')")
        with database.transaction() as db:
            db.execute("INSERT INTO notes VALUES ('another')")
    assert marks == ["done"]


def test_a_synced_transaction_is_one_with_what_runs_inside_it(database):
    """Synced transactions have a connection of their own (no pragma switched at each
    commit): what runs inside one, reads and inner writes, uses it, and the writer's
    lock keeps one transaction at a time whichever connection it is on."""
    with database.transaction(synced=True) as synced:
        assert synced.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        synced.execute("INSERT INTO notes VALUES ('claim')")
        with database.transaction(bookkeeping=True) as inner:
            assert inner is synced
            inner.execute("INSERT INTO notes VALUES ('inner')")
        assert count(database) == 2
    with pytest.raises(RuntimeError), database.transaction(synced=True) as synced:
        synced.execute("INSERT INTO notes VALUES ('undone')")
        raise RuntimeError("failed before the commit")
    with database.transaction() as db:
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        db.execute("INSERT INTO notes VALUES ('plain')")
    with database.reading() as db:
        assert [t for (t,) in db.execute("SELECT text FROM notes")] == [
            "claim",
            "inner",
            "plain",
        ]
