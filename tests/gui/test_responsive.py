"""Garbage is collected on the GUI thread, never in a background task that happens to allocate."""

from __future__ import annotations

import gc
import sys
import threading
from typing import Any

from putuo_community.gui.responsive import ResponsiveGuiThread


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_background_task_never_triggers_a_collection_and_the_timer_does(qtbot: Any) -> None:
    gc.enable()
    collector = ResponsiveGuiThread()
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


def test_the_interpreter_is_shared_often_while_the_gui_runs(qtbot: Any) -> None:
    before = sys.getswitchinterval()
    keeper = ResponsiveGuiThread()
    try:
        assert sys.getswitchinterval() < before
    finally:
        keeper.stop()
    assert sys.getswitchinterval() == before


def test_full_collections_are_kept_rare_and_the_start_is_frozen_out(qtbot: Any, monkeypatch: Any) -> None:
    collector = ResponsiveGuiThread()
    try:
        collector.settle()
        assert gc.get_freeze_count() > 0  # what the start built is out of later collections
        generations: list[int] = []
        monkeypatch.setattr(gc, "collect", lambda generation=2: generations.append(generation) or 0)
        monkeypatch.setattr(gc, "get_count", lambda: (800, 20, 20))
        collector.collect_due()
        assert generations == [1]  # the oldest generation is due, but had a full collection a moment ago
        monkeypatch.setattr(collector, "_last_full", collector._last_full - 61)
        collector.collect_due()
        assert generations == [1, 2]
    finally:
        monkeypatch.undo()
        collector.stop()
    assert gc.get_freeze_count() == 0
    gc.disable()
