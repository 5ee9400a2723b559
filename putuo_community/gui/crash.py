"""Where errors end up: a message box for the user's problems, a crash dialog for bugs.

`ExceptionRouter` is installed as `sys.excepthook` by `run_gui`; the background
helper hands its errors to the same functions.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community import APP_TITLE, __version__
from putuo_community.domain.errors import UserError
from putuo_community.domain.formatting import mask_personal_numbers
from putuo_community.gui.i18n import translator
from putuo_community.logs import masked_traceback

log = logging.getLogger(__name__)


_tr = translator("crash")


def show_user_error(parent: QWidget | None, error: UserError) -> None:
    """The user's or the environment's problem: say what happened, in their words (personal numbers masked)."""
    message = mask_personal_numbers(error.message)
    QMessageBox.warning(parent or QApplication.activeWindow(), _tr("无法完成操作"), message)


def route_error(error: BaseException, parent: QWidget | None = None) -> None:
    """An exception caught elsewhere (a background task) takes the way an uncaught one would."""
    hook = sys.excepthook
    if isinstance(hook, ExceptionRouter):
        hook.route(error, parent)
    elif isinstance(error, UserError):
        show_user_error(parent, error)
    else:
        hook(type(error), error, error.__traceback__)


def crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The text a user copies into an e-mail: program version, Qt version, the traceback, personal numbers masked."""
    from PySide6 import __version__ as pyside_version

    lines = [
        f"{APP_TITLE} {__version__}",
        f"Python {sys.version.split()[0]}, PySide6 {pyside_version}, {sys.platform}",
        "",
        mask_personal_numbers("".join(traceback.format_exception(exc_type, exc, tb))),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class CrashDialog(QDialog):
    """A bug: the report in a read-only, copyable box, a 复制 button and where the log is."""

    def __init__(self, report: str, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("程序出错"))
        self.resize(720, 480)
        self.report = report

        intro = QLabel(
            self.tr(
                "程序遇到了一个内部错误。已保存的数据不受影响，出错的这一步可能没有完成。\n"
                "请点击“复制”，把下面的报告发给系统管理员，并说明您刚才在做什么。"
            )
        )
        intro.setWordWrap(True)

        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(font)

        self.log_label = QLabel(self.tr("日志文件：{path}").format(path=log_file))
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("复制"))
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = QPushButton(self.tr("退出程序"))
        self.quit_button.clicked.connect(self._quit)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("继续使用"))
        buttons.rejected.connect(self.reject)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.log_label)
        layout.addWidget(buttons)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(self.tr("已复制"))

    def _quit(self) -> None:
        self.reject()
        QCoreApplication.exit(1)


class ExceptionRouter:
    """`sys.excepthook` for the GUI: a `UserError` gets a message box, a bug the crash dialog.

    With `crash_dialog=False` (tests, CI smoke runs) a bug is logged, printed to
    stderr and ends the program with exit code 1; with `fail_on_user_error` a
    `UserError` does too, so an unattended run never waits on a message box.
    """

    def __init__(self, *, log_file: Path, crash_dialog: bool = True, fail_on_user_error: bool = False) -> None:
        self.log_file = log_file
        self.crash_dialog = crash_dialog
        self.fail_on_user_error = fail_on_user_error
        self.failed = False
        self._showing = False
        # Set by run_gui while the application's event loop runs: a failure then ends it.
        # (Calling QCoreApplication.exit outside exec() would make every later event loop return at once.)
        self.quit_application: Callable[[int], None] | None = None

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        self.route(exc)

    def route(self, exc: BaseException, parent: QWidget | None = None) -> None:
        exc_type, tb = type(exc), exc.__traceback__
        if isinstance(exc, KeyboardInterrupt):
            self._fail()
            return
        if isinstance(exc, UserError) and not self.fail_on_user_error:
            log.info("用户错误：%s", exc.message)
            show_user_error(parent, exc)
            return
        log.error("未处理的异常", exc_info=(exc_type, exc, tb))
        if not self.crash_dialog or isinstance(exc, UserError):
            print(masked_traceback(exc), file=sys.stderr, end="")
            self._fail()
            return
        if self._showing:  # an error while the dialog is up: logged above, one dialog is enough
            return
        self._showing = True
        try:
            CrashDialog(crash_report(exc_type, exc, tb), self.log_file, QApplication.activeWindow()).exec()
        finally:
            self._showing = False

    def _fail(self) -> None:
        self.failed = True
        if self.quit_application is not None:
            self.quit_application(1)
