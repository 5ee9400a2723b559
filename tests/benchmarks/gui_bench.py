"""What the GUI benchmarks share: a freeze meter on the UI thread, and waiting as the program's own loop waits."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Issue 8's targets for every page at district scale, asserted with a 10 % margin.
MARGIN = 1.10
PAGE_OPEN_SECONDS = 1.0
FREEZE_SECONDS = 0.100
KEYSTROKE_SECONDS = 0.050
SORT_SECONDS = 0.200
DATABASE_NAME = "putuo-community.sqlite3"


def open_main_window(data_dir: str) -> tuple[Any, Any, Any, Any]:
    """The main window on the district in `data_dir`, as the app opens it: Chinese locale, the GUI thread kept
    answering (gui/application.py), settings apart from the user's. Returns (app, responsive, services, window)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QLocale, QSettings
    from PySide6.QtWidgets import QApplication

    from putuo_community.gui.main_window import MainWindow
    from putuo_community.gui.responsive import ResponsiveGuiThread
    from putuo_community.services import Services
    from putuo_community.storage.database import open_database

    database = Path(data_dir) / DATABASE_NAME
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(data_dir) / "bench-qt-settings"))
    app = QApplication.instance() or QApplication(sys.argv)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    responsive = ResponsiveGuiThread(app)
    services = Services.build(open_database(f"sqlite:///{database}"), user="benchmark")
    window = MainWindow(services, remember_state=False)
    window.resize(1280, 780)
    window.show()
    return app, responsive, services, window


class FreezeMeter:
    """A timer ticking every 10 ms on the UI thread; `worst` is the longest gap between two ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.worst = 0.0
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.worst


def wait_until(app: Any, condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Run the event loop until `condition` holds. It sleeps between events, as the program's own loop
    does: a loop spinning in Python would keep taking Python's lock from the background work it waits for
    (a search's read then took about twice as long as in the program)."""
    from PySide6.QtCore import QEventLoop, QTimer

    wake = QTimer()  # a wait never sleeps through its own time-out
    wake.start(20)
    end = time.perf_counter() + timeout
    try:
        while not condition():
            if time.perf_counter() > end:
                raise TimeoutError("the page did not answer in time")
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        wake.stop()


def painted(app: Any, page: Any) -> None:
    """Wait for the page's data, then let the window paint what changed, its table included, once (the view
    reads the rows it shows), as the program's loop does. A forced `repaint()` before the events painted the
    table a second time, and counted that in every figure."""
    wait_until(app, lambda: page.has_loaded and not page.loading)
    view = getattr(page, "view", None)
    if view is not None:
        view.viewport().update()  # painted below even if nothing else marked it
    app.processEvents()
