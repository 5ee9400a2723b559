"""Python's cyclic garbage collected on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate, often a
background task; if the garbage it finds holds Qt objects, their C++ destructors then run
off the GUI thread and can crash the program. As Anki does, the automatic collector is
switched off while the GUI runs and a timer collects on the GUI thread instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds, as the collector would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        """Hand collection back to Python (the window has closed)."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
