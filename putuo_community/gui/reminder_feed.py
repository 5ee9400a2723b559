"""The district's reminders, kept ready for the 提醒 page and the status bar's overdue count.

A district of 20,000 estates has over 40,000 reminders, and computing them with their search text
and sort keys takes over a second. The feed does that in the background once the window has
settled, and again a moment after each write that can change a reminder, so the page shows them
the moment it is opened and the status bar always counts what is overdue. A date change is
noticed at the next request, and a change of the district's reminder settings (how far ahead, when
an overdue item becomes 长期未办) is followed like a write.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from putuo_community.domain.changes import Changes
from putuo_community.gui.reminder_model import PreparedReminders, prepare_reminders, reminder_columns
from putuo_community.gui.worker import BackgroundRunner, Progress, Task
from putuo_community.services import Services
from putuo_community.services.reminders import INPUTS
from putuo_community.services.reminders.settings import POLICY_KEY

FOLLOW_DELAY_MS = 300  # after a write, wait this long for the next one of a burst before computing again


class ReminderFeed(QObject):
    """Every reminder of the district, as of `today`, prepared for the table (`prepared`)."""

    updated = Signal()  # new reminders are in `prepared`
    failed = Signal()  # they could not be computed (the error itself is reported by the runner)

    def __init__(self, services: Services, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self._window = parent if isinstance(parent, QWidget) else None  # where an error is reported
        self.prepared: PreparedReminders | None = None
        self.today: date | None = None
        self._task: Task | None = None
        self._generation = 0  # counts the writes that concern reminders
        self._task_generation = -1  # the writes the running computation has seen
        self._computed_generation = -1
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self._recompute)

    @property
    def ready(self) -> bool:
        """The reminders are there and still true: no write since they were computed, and still the same day."""
        return (
            self.prepared is not None and self._computed_generation == self._generation and self.today == date.today()
        )

    @property
    def computing(self) -> bool:
        return self._task is not None

    @property
    def overdue_count(self) -> int | None:
        """How many reminders of the current view are overdue (not the 长期未办); None before the first computation."""
        if self.prepared is None:
            return None
        return self.prepared.current_overdue_count

    @property
    def backlog_count(self) -> int | None:
        """How many reminders are 长期未办; None before the first computation."""
        return None if self.prepared is None else self.prepared.backlog_count

    def ensure(self) -> None:
        """Compute the reminders unless they are ready or being computed."""
        if not self.ready:
            self.request()

    def request(self) -> None:
        """Compute the reminders now, unless that is already under way; `updated` follows."""
        if self._task is not None:
            return
        generation, today = self._generation, date.today()
        reminders = self.services.reminders

        def compute(_progress: Progress) -> PreparedReminders:
            # With every column's sort keys: the page then sorts at once and has nothing to compute.
            policy = reminders.policy()
            return prepare_reminders(
                reminders.list(today=today, policy=policy),
                range(len(reminder_columns())),
                today=today,
                policy=policy,
            )

        def deliver(prepared: PreparedReminders) -> None:
            self._task = None
            self.prepared, self.today, self._computed_generation = prepared, today, generation
            self.updated.emit()

        def failed(_error: BaseException) -> bool:
            self._task = None
            self.failed.emit()
            return False  # the runner reports it

        self._task_generation = generation
        self._task = self.runner.run(
            compute, on_result=deliver, on_error=failed, description=self.tr("计算提醒"), parent=self._window
        )

    def apply_changes(self, changes: Changes) -> None:
        """A committed write: compute again shortly if it touched what reminders are made of, or their settings."""
        if not (changes.touches(*INPUTS) or POLICY_KEY in changes.settings):
            return
        self._generation += 1
        if self.prepared is not None or self._task is not None:
            self._follow.start()

    def _recompute(self) -> None:
        if self._task is not None and self._task_generation != self._generation:
            self._task.cancel()  # it read the data before the write: its result would be stale
            self._task = None
        self.ensure()
