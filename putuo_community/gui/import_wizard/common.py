"""What the wizard's pages share: the import in progress, a progress panel, and running work in the background.

Long work (the dry run, the import) reports rows done, rows per second and time left, and
has a 取消 button: a dry run is simply dropped, an import is stopped between rows and rolled
back by its service, and the page hears of it only once nothing has been written.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget, QWizard, QWizardPage

from putuo_community.domain.errors import UserError
from putuo_community.gui.worker import BackgroundRunner, Progress, Task
from putuo_community.services.importing import ImportPlan, ImportResult, ImportService, ImportSource
from putuo_community.services.pace import PaceMeter

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #c62828;"
NOTE_STYLE = "color: #555555;"
LEFT_OUT_STYLE = "QLabel { color: #8a4b00; background: #fff8e1; border: 1px solid #ffe082; padding: 6px; }"

ReportRows = Callable[[int, int], None]  # progress(rows done, rows) handed to a service


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
    """A sentence and a bar while the wizard works in the background; with a 取消 button for long work.

    The bar moves to and fro until the work reports how far it got, then fills.
    """

    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setObjectName("workProgress")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)  # the sentence gives the figures
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel_clicked)
        # QWizard focuses a new page's first focusable child, shown or not: not this one while hidden.
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.hide()

    def start(self, text: str, *, cancel_text: str = "") -> None:
        """Show `text` and a moving bar; a 取消 button labelled `cancel_text` when it is given."""
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel_button.setText(cancel_text)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(bool(cancel_text))
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if cancel_text else Qt.FocusPolicy.NoFocus)
        self.show()

    def report(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if text:
            self.label.setText(text)

    def stopping(self, text: str) -> None:
        """The 取消 button was pressed: say so until the work has stopped."""
        self.label.setText(text)
        self.cancel_button.setEnabled(False)

    def stop(self) -> None:
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()


class _Stopped(Exception):
    """Raised through a service's progress callback once the clerk pressed 取消."""


_STOPPED = object()  # what the work returns once it stopped at the clerk's request


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
        self.busy.cancel_clicked.connect(self.stop_work)
        self.error_label = message_label(self)
        self.error_label.setObjectName("stepError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self._task: Task | None = None
        self._stop_event: threading.Event | None = None  # set by 取消 for work started with run_counted
        self._wait_for_stop = False
        self._on_stopped: Callable[[], None] | None = None

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
        self._on_stopped = None
        self._start(lambda _progress: function(), on_result, busy_text=busy_text, description=description)

    def run_counted(
        self,
        function: Callable[[ReportRows], Any],
        on_result: Callable[[Any], None],
        *,
        busy_text: str,
        description: str,
        doing: str,
        cancel_text: str,
        on_stopped: Callable[[], None],
        wait_for_stop: bool,
    ) -> None:
        """Run `function(progress)`, showing rows done, rows per second and time left, with a 取消 button.

        `doing` starts the sentence ("已核对"). On 取消, work that writes nothing is dropped at once;
        with `wait_for_stop` (the import) the page waits until the service has stopped and rolled
        back, and `on_result` still comes if the work had finished before it could stop.
        """
        self.cancel_work()
        stop = threading.Event()

        def work(progress: Progress) -> Any:
            meter = PaceMeter()

            def report(done: int, total: int) -> None:
                if stop.is_set():
                    raise _Stopped
                progress.report(done, total, meter.update(done, total).describe(doing))

            try:
                return function(report)
            except _Stopped:
                return _STOPPED

        self._stop_event = stop
        self._wait_for_stop = wait_for_stop
        self._on_stopped = on_stopped
        self._start(work, on_result, busy_text=busy_text, description=description, cancel_text=cancel_text)

    def _start(
        self,
        work: Callable[[Progress], Any],
        on_result: Callable[[Any], None],
        *,
        busy_text: str,
        description: str,
        cancel_text: str = "",
    ) -> None:
        self.show_error("")
        self.busy.start(busy_text, cancel_text=cancel_text)

        def deliver(result: object) -> None:
            self._finish()
            if result is _STOPPED:
                self._stopped()
            else:
                on_result(result)

        def failed(error: BaseException) -> bool:
            self._finish()
            if isinstance(error, UserError):
                log.info("%s: %s", description, error.message)
                self.show_error(error.message)
                return True
            return False  # a bug: the crash path

        self._task = self.runner.run(
            work,
            on_result=deliver,
            on_error=failed,
            on_progress=self._progress,
            description=description,
            parent=self,
        )
        self.completeChanged.emit()

    def _progress(self, done: int, total: int, text: str) -> None:
        if self._stop_event is None or not self._stop_event.is_set():  # not over "正在取消…"
            self.busy.report(done, total, text)

    def stop_work(self) -> None:
        """The 取消 button: drop a dry run at once; ask an import to stop, and wait until it has."""
        if self._task is None or self._stop_event is None:
            return
        self._stop_event.set()
        if self._wait_for_stop:
            self.busy.stopping(self.tr("正在取消，已写入的部分将全部撤回…"))
            return
        self.cancel_work()
        self._stopped()

    def _stopped(self) -> None:
        on_stopped, self._on_stopped = self._on_stopped, None
        if on_stopped is not None:
            on_stopped()

    def _finish(self) -> None:
        self._task = None
        self._stop_event = None
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
