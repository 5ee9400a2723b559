"""What the wizard's pages share: the import in progress, a busy indicator, and running work in the background."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget, QWizard, QWizardPage

from putuo_community.domain.errors import UserError
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.services.importing import ImportPlan, ImportResult, ImportService, ImportSource

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #c62828;"
NOTE_STYLE = "color: #555555;"


@dataclass
class ImportSession:
    """One import as the wizard builds it up, page by page. Nothing is written before `result`."""

    imports: ImportService
    kind_key: str = "estates"
    path: Path | None = None
    sheet: str | None = None
    source: ImportSource | None = None
    mapping: dict[int, str] = field(default_factory=dict)
    confirmations: dict[int, int | None] = field(default_factory=dict)
    plan: ImportPlan | None = None
    skip_rejected: bool = False
    result: ImportResult | None = None
    source_stamp: tuple[int, int] | None = None  # the file's size and modification time when it was read

    def source_is_current(self) -> bool:
        """The sheet read is the one chosen, and the file has not been saved again since (corrected in Excel)."""
        source = self.source
        return (
            source is not None
            and source.kind.key == self.kind_key
            and source.path == self.path
            and (self.sheet is None or source.sheet == self.sheet)
            and file_stamp(source.path) == self.source_stamp
        )

    def use_source(self, source: ImportSource, stamp: tuple[int, int] | None) -> None:
        """A sheet was (re)read: start again from its suggested mapping."""
        self.source = source
        self.source_stamp = stamp
        self.mapping = dict(source.mapping)
        self.confirmations = {}
        self.plan = None
        self.skip_rejected = False


def file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


class BusyIndicator(QWidget):
    """A moving bar and a sentence while the wizard works in the background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy: the services do not report how far they got
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(220)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addStretch(1)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def stop(self) -> None:
        self.hide()


def message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class StepPage(QWizardPage):
    """A page of the import wizard: reads and writes the session, runs its slow work in the background."""

    def __init__(self, session: ImportSession, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.busy = BusyIndicator(self)
        self.error_label = message_label(self)
        self.error_label.setObjectName("stepError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self._task: Task | None = None

    @property
    def working(self) -> bool:
        return self._task is not None

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def run_in_background(
        self, function: Callable[[], Any], on_result: Callable[[Any], None], *, busy_text: str, description: str
    ) -> None:
        """Run `function` off the GUI thread; a `UserError` is shown on this page, anything else is a bug."""
        self.cancel_work()
        self.show_error("")
        self.busy.start(busy_text)

        def deliver(result: object) -> None:
            self._finish()
            on_result(result)

        def failed(error: BaseException) -> bool:
            self._finish()
            if isinstance(error, UserError):
                log.info("%s: %s", description, error.message)
                self.show_error(error.message)
                return True
            return False  # a bug: the crash path

        self._task = self.runner.run(
            lambda _progress: function(), on_result=deliver, on_error=failed, description=description, parent=self
        )
        self.completeChanged.emit()

    def _finish(self) -> None:
        self._task = None
        self.busy.stop()
        self.completeChanged.emit()

    def cancel_work(self) -> None:
        """Drop whatever this page still has running (only reads and dry runs can be dropped)."""
        if self._task is not None:
            self._task.cancel()
            self._finish()

    def go_on(self) -> None:
        """The background work that `validatePage` waited for is done: move to the next page."""
        wizard = self.wizard()
        if isinstance(wizard, QWizard) and wizard.currentPage() is self:
            wizard.next()
