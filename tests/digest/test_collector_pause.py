"""The cycle collector is paused while a week's figures are worked out, and only then:
nested and side-by-side computations share one pause, a failed one ends it too, and a
collector someone else had turned off stays off."""

from __future__ import annotations

import gc
import threading

import pytest

from features.digest.service import collector_paused


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_while_working_and_on_again_after():
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # the report works out its week inside its own
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failed_computation_ends_its_pause():
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the database went away")
    assert gc.isenabled()


def test_side_by_side_computations_share_one_pause():
    inside, leave = threading.Barrier(3), threading.Event()
    seen = []

    def work():
        with collector_paused():
            inside.wait()
            leave.wait()
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert not gc.isenabled()
    leave.set()
    for thread in threads:
        thread.join()
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
