"""Keeping the GUI thread answering beside background tasks: garbage collected on it, the interpreter shared often.

Left to itself, the collector runs in whichever thread happens to allocate, often a
background task; if the garbage it finds holds Qt objects, their C++ destructors then run
off the GUI thread and can crash the program. As Anki does, the automatic collector is
switched off while the GUI runs and a timer collects on the GUI thread instead.

A full collection walks every object the program holds — with a district's lists loaded,
100–200 ms in which the window does not answer — so the objects of the start-up are frozen
out of it once the first list is on screen, and a full collection runs at most once a minute.

A background task busy in Python hands the interpreter over only every few milliseconds, and the
GUI thread needs it for each of its Python calls while it paints; a shorter switch interval keeps
a page that opens beside a running task from stalling.
"""

from __future__ import annotations

import gc
import sys
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000
FULL_COLLECTION_EVERY_S = 60.0
SWITCH_INTERVAL_S = 0.001  # Python's default is 0.005


class ResponsiveGuiThread(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> None:
        """Collect the youngest generation whose allocation count passed its threshold, as Python would;
        the oldest only once a minute."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[2] > thresholds[2] and time.monotonic() - self._last_full >= FULL_COLLECTION_EVERY_S:
            gc.collect(2)
            self._last_full = time.monotonic()
            return
        for generation in (1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    def settle(self) -> None:
        """The program has started: collect once, then keep what it holds now out of later collections."""
        gc.collect()
        gc.freeze()
        self._last_full = time.monotonic()

    def stop(self) -> None:
        """Hand collection back to Python (the window has closed; no collection now, the program is ending)."""
        self._timer.stop()
        sys.setswitchinterval(self._switch_interval)
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()
