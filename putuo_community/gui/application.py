"""Start the GUI: the QApplication, Qt's Chinese translation, logging and error routing, the login (once
accounts are on), the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from putuo_community import APP_NAME, APP_TITLE, __version__
from putuo_community.domain.accounts import Actor
from putuo_community.gui.crash import ExceptionRouter
from putuo_community.gui.icon import app_icon
from putuo_community.gui.login_dialog import ask_login
from putuo_community.gui.main_window import ORGANIZATION, MainWindow
from putuo_community.gui.responsive import ResponsiveGuiThread
from putuo_community.services import Services

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")

SMOKE_TEST_TIMEOUT_MS = 60_000
CHINESE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message_handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages go to our log file like everything else."""
    category = context.category or "default"
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "[%s] %s", category, message)


def install_qt_translation(app: QCoreApplication) -> QTranslator | None:
    """Qt's own Chinese strings (确定, 取消, 关闭 …) for standard buttons and dialogs."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(CHINESE, "qtbase", "_", folder):
        log.warning("Qt's Chinese translation (qtbase_zh_CN) was not found in %s", folder)
        return None
    app.installTranslator(translator)
    return translator


def _application(argv: list[str] | None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        if sys.platform == "win32":  # group our windows under our own taskbar icon
            import ctypes

            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(f"{ORGANIZATION}.{APP_NAME}")
        app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANIZATION)
    app.setWindowIcon(app_icon())
    QLocale.setDefault(CHINESE)
    return app


def run_gui(
    services: Services,
    *,
    log_file: Path,
    smoke_test: bool = False,
    crash_dialog: bool = True,
    argv: list[str] | None = None,
    demo_folder: Path | None = None,
    services_as: Callable[[Actor], Services] | None = None,
    login_name: str = "",
) -> int:
    """Show the main window until it is closed; returns the exit code.

    `smoke_test`: quit as soon as the estate list has loaded (0), or on any error (1).
    `crash_dialog=False`: a bug is logged and printed to stderr and the program ends with 1.
    `demo_folder`: where 载入演示数据 builds and opens the demo district.
    Accounts on (and `services` not yet logged in): the login comes first, 退出 ends the program (0);
    the window gets `services_as(actor)`, the same archive's services acting for the account logged in.
    `login_name`: the account name the login starts with.
    """
    app = _application(argv)
    translator = install_qt_translation(app)
    previous_handler = qInstallMessageHandler(qt_message_handler)
    router = ExceptionRouter(log_file=log_file, crash_dialog=crash_dialog, fail_on_user_error=smoke_test)
    previous_hook = sys.excepthook
    sys.excepthook = router
    window: MainWindow | None = None
    responsive = ResponsiveGuiThread(app)
    try:
        try:
            session = _logged_in(services, services_as, login_name=login_name, smoke_test=smoke_test)
            if session is None:
                return 0 if not smoke_test else 1
            window = MainWindow(session, remember_state=not smoke_test, demo_folder=demo_folder)
        except Exception as error:
            router.route(error)
            return 1
        window.show()
        # Once the first list is on screen, what the start built stays out of later full collections.
        window.page("estates").loaded.connect(responsive.settle, Qt.ConnectionType.SingleShotConnection)
        if smoke_test:
            _quit_once_loaded(app, window)
        router.quit_application = app.exit
        try:
            code = app.exec()
        finally:
            router.quit_application = None
        return 1 if router.failed else code
    finally:
        if window is not None:
            window.close()
            window.runner.shutdown()
            window.deleteLater()  # with its timers: nothing of this run may fire later
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        responsive.stop()
        responsive.deleteLater()
        sys.excepthook = previous_hook
        qInstallMessageHandler(previous_handler)
        if translator is not None:
            app.removeTranslator(translator)


def _logged_in(
    services: Services,
    services_as: Callable[[Actor], Services] | None,
    *,
    login_name: str = "",
    smoke_test: bool = False,
) -> Services | None:
    """The services the window acts through: unchanged while accounts are off (or the session has logged in
    already); else those of the account the login dialog let in. None: the clerk chose 退出."""
    if services.actor.accounts_on or not services.accounts.enabled():
        return services
    if smoke_test:  # nobody is there to type a password: say so rather than wait
        log.error("smoke test: accounts are on for this archive and no account has logged in")
        print("本数据库已启用账户：冒烟测试无法登录。", file=sys.stderr)
        return None
    actor = ask_login(services.accounts, database_name=services.database_name, name=login_name)
    if actor is None:
        log.info("login cancelled")
        return None
    log.info("logged in: %s (%s)", actor.name, actor.role.label)
    if services_as is not None:
        return services_as(actor)
    return Services.build(services.database, actor=actor)  # tests: no settings, mappings or daily backups


def show_startup_error(message: str, *, argv: list[str] | None = None) -> None:
    """The program cannot start (data folder, database): say why in a message box before exiting."""
    app = _application(argv)
    translator = install_qt_translation(app)
    try:
        QMessageBox.critical(
            None, QCoreApplication.translate("application", "无法启动{app}").format(app=APP_TITLE), message
        )
    finally:
        if translator is not None:
            app.removeTranslator(translator)


def _quit_once_loaded(app: QApplication, window: MainWindow) -> None:
    estates = window.page("estates")

    def loaded() -> None:
        log.info("smoke test: %s", estates.status_text)
        QTimer.singleShot(0, lambda: app.exit(0))

    def too_slow() -> None:
        log.error("smoke test: the estate list did not load within %d s", SMOKE_TEST_TIMEOUT_MS // 1000)
        app.exit(1)

    if estates.has_loaded:
        loaded()
    else:
        estates.loaded.connect(loaded)
        QTimer.singleShot(SMOKE_TEST_TIMEOUT_MS, window, too_slow)
