"""Log lines a batch at a time (salesmeet/log_lines.py): every line is written, in order,
whole, and lines that queued together go out in one write."""

from __future__ import annotations

import io
import logging
import queue
import threading

from salesmeet.log_lines import LINES_PER_WRITE, LineWriter, QueuedLines
from tests.support.waiting import wait_until


class Recorded(io.StringIO):
    """A stream that keeps each write apart."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.writes: list[str] = []
        self.fail = fail
        self.tries = 0

    def write(self, text: str) -> int:
        self.tries += 1
        if self.fail:
            raise OSError("stderr is gone")
        self.writes.append(text)
        return len(text)


def logger_to(lines: queue.SimpleQueue, name: str) -> logging.Logger:
    handler = QueuedLines(lines)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    log = logging.getLogger(f"salesmeet.test.{name}")
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.INFO)
    return log


def test_lines_from_many_threads_are_all_written_whole_and_each_threads_in_order():
    lines: queue.SimpleQueue = queue.SimpleQueue()
    stream = Recorded()
    writer = LineWriter(lines, stream, gather=0.01)
    writer.start()
    log = logger_to(lines, "threads")

    def say(thread: int) -> None:
        for n in range(300):
            log.info("thread %d line %d", thread, n)

    threads = [threading.Thread(target=say, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.stop()

    written = "".join(stream.writes).splitlines()
    assert len(written) == 8 * 300
    for thread in range(8):
        mine = [line for line in written if line.startswith(f"INFO thread {thread} ")]
        assert mine == [f"INFO thread {thread} line {n}" for n in range(300)]
    # Many lines a write, not one each.
    assert len(stream.writes) < len(written) / 10


def test_a_line_is_written_without_waiting_for_the_exit():
    lines: queue.SimpleQueue = queue.SimpleQueue()
    stream = Recorded()
    writer = LineWriter(lines, stream, gather=0.01)
    writer.start()
    try:
        logger_to(lines, "soon").warning("the worker stopped")
        wait_until(lambda: stream.writes)
        assert stream.writes == ["WARNING the worker stopped\n"]
    finally:
        writer.stop()


def test_lines_queued_together_go_out_in_one_write_and_a_burst_in_bounded_writes():
    lines: queue.SimpleQueue = queue.SimpleQueue()
    log = logger_to(lines, "burst")
    for n in range(LINES_PER_WRITE + 5):
        log.info("line %d", n)
    stream = Recorded()
    writer = LineWriter(lines, stream)
    writer.start()
    writer.stop()
    assert [w.count("\n") for w in stream.writes] == [LINES_PER_WRITE, 5]
    assert "".join(stream.writes).splitlines()[-1] == f"INFO line {LINES_PER_WRITE + 4}"


def test_a_traceback_goes_with_its_line_and_lines_after_the_stop_are_still_written():
    lines: queue.SimpleQueue = queue.SimpleQueue()
    stream = Recorded()
    writer = LineWriter(lines, stream)
    writer.start()
    log = logger_to(lines, "stop")
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        log.exception("the digest failed")
    writer.stop()
    log.info("said while the process exits")
    writer.stop()  # run at exit again (atexit after a manual stop): writes what is left
    text = "".join(stream.writes)
    assert text.startswith("ERROR the digest failed\nTraceback")
    assert "ZeroDivisionError: division by zero\n" in text
    assert text.endswith("INFO said while the process exits\n")
    assert text.count("Traceback") == 1


def test_a_stream_that_fails_costs_the_lines_not_the_writer():
    lines: queue.SimpleQueue = queue.SimpleQueue()
    stream = Recorded(fail=True)
    writer = LineWriter(lines, stream, gather=0.01)
    writer.start()
    log = logger_to(lines, "broken")
    log.info("lost")
    wait_until(lambda: stream.tries == 1)
    stream.fail = False
    log.info("written")
    writer.stop()
    assert stream.writes == ["INFO written\n"]


def test_a_filtered_record_is_not_queued():
    lines: queue.SimpleQueue = queue.SimpleQueue()
    log = logger_to(lines, "filtered")
    log.handlers[0].addFilter(lambda record: "secret" not in record.getMessage())
    log.info("token xoxb-secret")
    log.info("kept")
    assert [lines.get_nowait()] == ["INFO kept\n"]
    assert lines.empty()
