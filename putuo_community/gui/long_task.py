"""Long work with a progress dialog, and the routine every "save to a file" command shares.

`run_long_task` runs a function in the background behind a window-modal progress
dialog that appears only when the work takes longer than a moment, shows how far it
got and has a 取消 button. Cancelling is quiet: the task is asked to stop, its result
and its "cancelled" error are dropped, and the caller hears `on_cancelled` once the
work has really stopped (a batch cleans up after itself before that).

`export_to_file` is the whole "ask where → do it with progress → say where it went"
routine of the 导出 commands. The dialogs it opens are the module's functions
`ask_save_path`, `ask_folder` and `announce_file`, which tests replace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressBar, QProgressDialog, QWidget

from putuo_community.gui.i18n import translator
from putuo_community.gui.worker import BackgroundRunner, Progress, Task

log = logging.getLogger(__name__)

T = TypeVar("T")

SHOW_AFTER_MS = 300  # quicker work finishes before any dialog flickers up
LAST_FOLDER_KEY = "export/last_folder"


_tr = translator("long_task")


class _Ended(QObject):
    """Tells the GUI thread that the work function returned, whatever the runner does with its outcome."""

    ended = Signal()


class LongTask(QObject):
    """One run of `run_long_task`: its progress dialog and its outcome."""

    def __init__(
        self,
        parent: QWidget,
        *,
        title: str,
        label: str,
        on_result: Callable[[Any], object],
        on_cancelled: Callable[[], None] | None,
        on_error: Callable[[BaseException], bool] | None,
    ) -> None:
        super().__init__(parent)
        self._on_result = on_result
        self._on_cancelled = on_cancelled
        self._on_error = on_error
        self.task: Task | None = None
        self.finished = False  # the outcome (result, error or cancel) has been handled
        self.work_ended = False  # the work function has returned (also after a cancel)
        self.cancel_requested = False

        self.dialog = QProgressDialog(label, _tr("取消"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # Our own bar, set directly: QProgressDialog.setValue() runs a nested event loop when modal.
        self.bar = QProgressBar(self.dialog)
        self.bar.setRange(0, 0)  # busy until the first report
        self.bar.setTextVisible(True)
        self.bar.setFormat("%p%")
        self.dialog.setBar(self.bar)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setValue(0)  # starts the timer that shows the dialog after that long, unless closed first
        self.dialog.canceled.connect(self.cancel)

        # Parentless: it must outlive a closed window while the worker thread may still emit through it.
        self._relay = _Ended()
        self._relay.ended.connect(self._work_ended, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """The 取消 button (or Esc): ask the work to stop and close the dialog; stay quiet about it."""
        if self.finished or self.cancel_requested:
            return
        self.cancel_requested = True
        if self.task is not None:
            self.task.cancel()
        self._close_dialog()
        if self.work_ended:  # it had already returned: nothing more will arrive
            self._finish_cancelled()

    # -- called by run_long_task and the runner ----------------------------------------------

    def _progress(self, done: int, total: int, message: str) -> None:
        if self.finished or self.cancel_requested:
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if message:
            self.dialog.setLabelText(message)

    @Slot()
    def _work_ended(self) -> None:
        self.work_ended = True
        if self.cancel_requested and not self.finished:
            self._finish_cancelled()

    def _result(self, result: object) -> None:
        if self.finished:
            return
        self._finish()
        self._on_result(result)

    def _error(self, error: BaseException) -> bool:
        if self.finished:
            return True
        self._finish()
        return self._on_error(error) if self._on_error is not None else False

    def _finish_cancelled(self) -> None:
        log.info("cancelled: %s", self.dialog.windowTitle())
        self._finish()
        if self._on_cancelled is not None:
            self._on_cancelled()

    def _finish(self) -> None:
        """The outcome is in: nothing more arrives, so the dialog and this object may go."""
        self.finished = True
        self._close_dialog()
        self.dialog.deleteLater()
        self.deleteLater()

    def _close_dialog(self) -> None:
        self.dialog.reset()  # stops the timer that would show it
        self.dialog.hide()


def run_long_task(
    parent: QWidget,
    runner: BackgroundRunner,
    function: Callable[[Progress], T],
    *,
    title: str,
    label: str,
    on_result: Callable[[T], object],
    on_cancelled: Callable[[], None] | None = None,
    on_error: Callable[[BaseException], bool] | None = None,
) -> LongTask:
    """Run `function(progress)` in the background behind a progress dialog with a 取消 button.

    Pass `progress=lambda d, t: progress.report(d, t)` and `cancelled=lambda: progress.cancelled`
    on to a service. Exactly one of `on_result`, `on_error` (else the runner's message box or
    crash path) and `on_cancelled` is called.
    """
    long_task = LongTask(
        parent, title=title, label=label, on_result=on_result, on_cancelled=on_cancelled, on_error=on_error
    )
    relay = long_task._relay

    def work(progress: Progress) -> T:
        try:
            return function(progress)
        finally:
            relay.ended.emit()

    long_task.task = runner.run(
        work,
        on_result=long_task._result,
        on_error=long_task._error,
        on_progress=long_task._progress,
        description=title,
        parent=parent,
    )
    return long_task


# -- files ------------------------------------------------------------------------------------


def _window_settings(widget: QWidget | None) -> QSettings | None:
    """The main window's settings, found by walking up from `widget` (dialogs have their own window)."""
    while widget is not None:
        settings = getattr(widget, "settings", None)
        if isinstance(settings, QSettings):
            return settings
        widget = widget.parentWidget()
    return None


def last_folder(widget: QWidget | None) -> Path:
    """Where the last export went, else the user's 文档 folder."""
    settings = _window_settings(widget)
    stored = settings.value(LAST_FOLDER_KEY) if settings is not None else None
    if isinstance(stored, str) and stored and Path(stored).is_dir():
        return Path(stored)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def remember_folder(widget: QWidget | None, folder: Path) -> None:
    settings = _window_settings(widget)
    if settings is not None:
        settings.setValue(LAST_FOLDER_KEY, str(folder))


def ask_save_path(parent: QWidget, title: str, file_name: str, suffix: str, file_filter: str) -> Path | None:
    """The save dialog, in the last used folder; the name gets `suffix` when the clerk left it off."""
    name, _chosen = QFileDialog.getSaveFileName(parent, title, str(last_folder(parent) / file_name), file_filter)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
    remember_folder(parent, path.parent)
    return path


def ask_folder(parent: QWidget, title: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title, str(last_folder(parent)))
    if not name:
        return None
    remember_folder(parent, Path(name))
    return Path(name)


def open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def announce_file(parent: QWidget, title: str, text: str, folder: Path) -> None:
    """Say what was saved where, with a button that opens the folder in the file manager."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    open_button = box.addButton(_tr("打开所在文件夹(&O)"), QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def clicked(button: object) -> None:
        if button is open_button:
            open_folder(folder)

    box.buttonClicked.connect(clicked)
    box.open()


def export_to_file(
    parent: QWidget,
    runner: BackgroundRunner,
    work: Callable[[Path, Progress], T],
    *,
    dialog_title: str,
    file_name: str,
    suffix: str,
    file_filter: str,
    progress_label: str,
    announce: Callable[[T], str],
    on_status: Callable[[str], None],
) -> LongTask | None:
    """Ask where to save, do `work(path, progress)` behind a progress dialog, then say what was written.

    `announce(result)` is the sentence of the message box and of the status line (`on_status`).
    Returns None when the clerk closed the save dialog.
    """
    path = ask_save_path(parent, dialog_title, file_name, suffix, file_filter)
    if path is None:
        return None
    return _run_export(
        parent,
        runner,
        lambda progress: work(path, progress),
        dialog_title,
        progress_label,
        path.parent,
        announce,
        on_status,
    )


def export_to_folder(
    parent: QWidget,
    runner: BackgroundRunner,
    work: Callable[[Path, Progress], T],
    *,
    dialog_title: str,
    progress_label: str,
    announce: Callable[[T], str],
    on_status: Callable[[str], None],
) -> LongTask | None:
    """`export_to_file` for work that fills a folder (a batch of dossiers)."""
    folder = ask_folder(parent, dialog_title)
    if folder is None:
        return None
    return _run_export(
        parent,
        runner,
        lambda progress: work(folder, progress),
        dialog_title,
        progress_label,
        folder,
        announce,
        on_status,
    )


def _run_export(
    parent: QWidget,
    runner: BackgroundRunner,
    function: Callable[[Progress], T],
    title: str,
    label: str,
    folder: Path,
    announce: Callable[[T], str],
    on_status: Callable[[str], None],
) -> LongTask:
    on_status(label)

    def done(result: T) -> None:
        text = announce(result)
        on_status(text)
        announce_file(parent, title, text, folder)

    def failed(_error: BaseException) -> bool:
        on_status(_tr("未能完成：{title}").format(title=title.rstrip("…")))
        return False  # the runner shows the message (or the crash path)

    return run_long_task(
        parent,
        runner,
        function,
        title=title,
        label=label,
        on_result=done,
        on_cancelled=lambda: on_status(_tr("已取消")),
        on_error=failed,
    )
