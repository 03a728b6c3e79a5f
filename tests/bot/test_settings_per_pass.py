"""A dispatcher pass reads each workspace's settings once (issue #15), and only the pass:
another thread, or the next pass, reads what is stored."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

from bot.workspace import Workspaces


class CountingStore:
    """SettingsStore's two calls, in memory, counting the reads."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, str]] = {}
        self.reads = 0

    def all(self, team_id: str) -> dict[str, str]:
        self.reads += 1
        return dict(self.values.get(team_id, {}))

    def set(self, team_id: str, key: str, value: str | None) -> None:
        self.values.setdefault(team_id, {})[key] = value


def test_a_pass_reads_each_workspace_once_and_the_next_pass_afresh():
    store = CountingStore()
    workspaces = Workspaces(store)
    with workspaces.one_read_per_pass():
        for _ in range(3):
            assert workspaces.settings("T1").language == "en"
            workspaces.channel_tr("T2")
        store.values["T1"] = {"language": "ms"}  # saved by another process meanwhile
        assert workspaces.settings("T1").language == "en"
    assert store.reads == 2
    with workspaces.one_read_per_pass():
        assert workspaces.settings("T1").language == "ms"
        assert workspaces.settings("T1").language == "ms"
    assert store.reads == 3
    assert workspaces.settings("T1").language == "ms"  # outside a pass: every call reads
    assert store.reads == 4


def test_other_threads_do_not_see_a_pass_and_its_senders_share_it():
    store = CountingStore()
    workspaces = Workspaces(store)
    seen: list[str] = []
    with workspaces.one_read_per_pass():
        workspaces.settings("T1")
        store.values["T1"] = {"language": "hi"}
        # A handler's thread (a `config` shown meanwhile) reads what is stored.
        other = threading.Thread(target=lambda: seen.append(workspaces.settings("T1").language))
        other.start()
        other.join()
        assert seen == ["hi"] and store.reads == 2
        # Threads handed the pass's context share its reads, once for all of them.
        context = contextvars.copy_context()
        with ThreadPoolExecutor(4) as senders:
            languages = list(
                senders.map(
                    lambda _: context.copy().run(lambda: workspaces.settings("T1").language),
                    range(20),
                )
            )
        assert languages == ["en"] * 20 and store.reads == 2


def test_a_setting_saved_inside_a_pass_is_read_again():
    store = CountingStore()
    workspaces = Workspaces(store)
    with workspaces.one_read_per_pass():
        assert workspaces.settings("T1").language == "en"
        workspaces.set("T1", "language", "ms")
        assert workspaces.settings("T1").language == "ms"


def test_a_nested_pass_keeps_the_outer_reads_and_another_workspaces_is_apart():
    store, elsewhere = CountingStore(), CountingStore()
    workspaces, others = Workspaces(store), Workspaces(elsewhere)
    with workspaces.one_read_per_pass():
        workspaces.settings("T1")
        with workspaces.one_read_per_pass():
            workspaces.settings("T1")
        workspaces.settings("T1")
        others.settings("T1")
        others.settings("T1")
    assert store.reads == 1 and elsewhere.reads == 2
