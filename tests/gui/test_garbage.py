"""Garbage is collected on the GUI thread, never in a background task that happens to allocate."""

from __future__ import annotations

import gc
import threading
from typing import Any

from putuo_community.gui.garbage import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_background_task_never_triggers_a_collection_and_the_timer_does(qtbot: Any) -> None:
    gc.enable()
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        collected_in: list[str] = []

        def note(phase: str, _info: dict[str, Any]) -> None:
            if phase == "start":
                collected_in.append(threading.current_thread().name)

        gc.callbacks.append(note)
        try:
            worker = threading.Thread(target=lambda: [Cycle() for _ in range(50_000)], name="background")
            worker.start()
            worker.join()
            assert collected_in == []  # the worker allocated far past every threshold, and nothing ran there
            collector.collect_due()
            assert collected_in == [threading.main_thread().name]
        finally:
            gc.callbacks.remove(note)
    finally:
        collector.stop()
    assert gc.isenabled()  # handed back once the GUI is done
    gc.disable()  # as the GUI tests' fixture keeps it
