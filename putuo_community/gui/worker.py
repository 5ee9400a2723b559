"""The one background helper: run a callable off the GUI thread, with progress, cancel and error routing.

The callable gets a `Progress` to report through and to check for cancellation.
Results, progress and errors arrive on the GUI thread: a `UserError` becomes a
message box (its `.message`), anything else goes to the crash path. A cancelled
task's result is dropped. `shutdown()` cancels everything and waits, so no thread
outlives the window that started it.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

from putuo_community.domain.errors import UserError
from putuo_community.gui.crash import route_error

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task by `Progress.check()` once the task was cancelled."""


class Progress:
    """Handed to the callable: report how far it got; raise `Cancelled` once asked to stop."""

    def __init__(self, task: Task) -> None:
        self._task = task

    @property
    def cancelled(self) -> bool:
        return self._task.cancelled

    def check(self) -> None:
        if self._task.cancelled:
            raise Cancelled

    def report(self, done: int, total: int, message: str = "") -> None:
        self.check()
        try:
            self._task.signals.progress.emit(self._task.task_id, done, total, message)
        except RuntimeError as exc:  # the signals are gone with the closing program: stop the work
            raise Cancelled from exc


class _TaskSignals(QObject):
    # Emitted from the worker thread; queued to the runner on the GUI thread.
    progress = Signal(int, int, int, str)
    finished = Signal(int, bool, object)  # task id, succeeded, result or exception


@dataclass(eq=False)
class Task:
    """One piece of work handed to the runner. Keep it to cancel it."""

    task_id: int
    function: Callable[[Progress], Any]
    description: str
    on_result: Callable[[Any], None] | None
    on_error: Callable[[BaseException], bool] | None
    on_progress: Callable[[int, int, str], None] | None
    parent: QWidget | None
    signals: _TaskSignals = field(default_factory=_TaskSignals)
    cancelled: bool = False
    done: bool = False

    def cancel(self) -> None:
        """Ask the task to stop; its result, if any, is dropped."""
        self.cancelled = True


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task  # Qt owns and deletes the runnable once run() returns (autoDelete)

    def run(self) -> None:
        task = self.task
        try:
            if task.cancelled:
                raise Cancelled
            outcome: tuple[bool, object] = (True, task.function(Progress(task)))
        except BaseException as exc:  # nothing may escape into Qt's thread
            outcome = (False, exc)
        try:
            task.signals.finished.emit(task.task_id, *outcome)
        except RuntimeError:  # the program is closing and took the task's signals with it: nobody to tell
            log.debug("task %s finished after its signals were gone: %s", task.task_id, task.description)


class BackgroundRunner(QObject):
    """Runs tasks in its own thread pool and routes their outcome back to the GUI thread."""

    def __init__(self, parent: QWidget | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._running: dict[int, Task] = {}
        self._closed = False
        self._widget = parent

    @property
    def active_count(self) -> int:
        return len(self._running)

    def run(
        self,
        function: Callable[[Progress], Any],
        *,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], bool] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        description: str = "",
        parent: QWidget | None = None,
    ) -> Task:
        """Start `function(progress)` in the background.

        `on_error` may handle an error itself by returning True; otherwise a
        `UserError` is shown in a message box and anything else is a bug.
        """
        task = Task(next(self._ids), function, description, on_result, on_error, on_progress, parent or self._widget)
        if self._closed:  # a late timer or click after the window closed: nothing to do
            log.debug("not starting %r: the window is closing", description)
            task.cancel()
            return task
        task.signals.progress.connect(self._on_progress)
        task.signals.finished.connect(self._on_finished)
        self._running[task.task_id] = task
        log.debug("start task %s: %s", task.task_id, description)
        self._pool.start(_Runnable(task))
        return task

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every started task finished (tests and shutdown)."""
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self) -> None:
        """Cancel every task, wait for the threads and drop whatever they still deliver."""
        if self._closed:
            return
        self._closed = True
        for task in self._running.values():
            task.cancel()
        if self._running:
            log.info("waiting for %d background task(s) to stop", len(self._running))
        self._pool.waitForDone()
        self._running.clear()

    @Slot(int, int, int, str)
    def _on_progress(self, task_id: int, done: int, total: int, message: str) -> None:
        task = self._running.get(task_id)
        if task is None or self._closed:
            return
        if not task.cancelled and task.on_progress is not None:
            task.on_progress(done, total, message)

    @Slot(int, bool, object)
    def _on_finished(self, task_id: int, succeeded: bool, payload: object) -> None:
        task = self._running.pop(task_id, None)
        if task is None or self._closed:
            return
        task.done = True
        if task.cancelled or isinstance(payload, Cancelled):
            log.debug("task %s cancelled: %s", task_id, task.description)
            return
        if succeeded:
            if task.on_result is not None:
                task.on_result(payload)
            return
        assert isinstance(payload, BaseException)
        self._route_error(task, payload)

    @staticmethod
    def _route_error(task: Task, error: BaseException) -> None:
        if task.on_error is not None and task.on_error(error):
            return
        if isinstance(error, UserError):
            log.info("%s: %s", task.description or "后台任务", error.message)
        route_error(error, task.parent)
