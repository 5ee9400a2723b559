"""The background helper and where errors end up: a message for the user's problems, the crash path for bugs."""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import wait_loaded
from PySide6.QtCore import QThread, qInstallMessageHandler, qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from putuo_community.domain.errors import DatabaseLocked, UserError
from putuo_community.gui import crash
from putuo_community.gui.application import qt_message_handler
from putuo_community.gui.crash import CrashDialog, ExceptionRouter
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.worker import BackgroundRunner, Progress


class CapturedMessageBoxes:
    """Stands in for QMessageBox: records what would have been shown instead of blocking."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def warning(self, _parent: Any, title: str, text: str) -> None:
        self.shown.append((title, text))


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> CapturedMessageBoxes:
    captured = CapturedMessageBoxes()
    monkeypatch.setattr(crash, "QMessageBox", captured)
    return captured


@pytest.fixture
def bugs(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """What reaches sys.excepthook (the crash path)."""
    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _type, error, _tb: seen.append(error))
    return seen


def test_result_arrives_on_the_gui_thread(qtbot, runner: BackgroundRunner) -> None:
    seen: list[tuple[Any, bool]] = []
    worker_threads: list[bool] = []

    def work(_progress: Progress) -> int:
        worker_threads.append(QThread.currentThread() is QApplication.instance().thread())
        return 42

    runner.run(work, on_result=lambda value: seen.append((value, QThread.currentThread() is qtbot_thread())))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]
    assert worker_threads == [False]  # the work itself ran elsewhere


def qtbot_thread() -> QThread:
    return QApplication.instance().thread()


def test_progress_is_reported(qtbot, runner: BackgroundRunner) -> None:
    reports: list[tuple[int, int, str]] = []
    done: list[str] = []

    def work(progress: Progress) -> str:
        for step in range(1, 4):
            progress.report(step, 3, f"第{step}步")
        return "完成"

    runner.run(work, on_result=done.append, on_progress=lambda *report: reports.append(report))
    qtbot.waitUntil(lambda: done == ["完成"])
    assert reports == [(1, 3, "第1步"), (2, 3, "第2步"), (3, 3, "第3步")]


def test_a_user_error_in_a_worker_becomes_a_message_box(qtbot, runner, boxes, bugs) -> None:
    results: list[Any] = []

    def work(_progress: Progress) -> None:
        raise DatabaseLocked("数据库正被其他程序或同事占用，请稍后再试。")

    runner.run(work, on_result=results.append)
    qtbot.waitUntil(lambda: bool(boxes.shown))
    assert boxes.shown == [("无法完成操作", "数据库正被其他程序或同事占用，请稍后再试。")]
    assert results == []
    assert bugs == []


def test_a_bug_in_a_worker_goes_to_the_crash_path(qtbot, runner, boxes, bugs) -> None:
    def work(_progress: Progress) -> None:
        raise ZeroDivisionError("division by zero")

    runner.run(work)
    qtbot.waitUntil(lambda: bool(bugs))
    assert isinstance(bugs[0], ZeroDivisionError)
    assert boxes.shown == []


def test_a_cancelled_task_delivers_nothing(qtbot, runner: BackgroundRunner) -> None:
    release = threading.Event()
    results: list[Any] = []
    task = runner.run(lambda _progress: release.wait(5) and "结果", on_result=results.append)
    task.cancel()
    release.set()
    runner.wait()
    qtbot.wait(50)
    assert results == []


def test_cancel_stops_a_task_that_checks(qtbot, runner: BackgroundRunner) -> None:
    started = threading.Event()
    steps: list[int] = []

    def work(progress: Progress) -> None:
        started.set()
        for step in range(200):
            time.sleep(0.005)
            progress.check()
            steps.append(step)

    task = runner.run(work)
    started.wait(5)
    task.cancel()
    runner.wait()
    assert len(steps) < 200


def test_shutdown_waits_for_running_work(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    background = BackgroundRunner(owner)
    started, finished = threading.Event(), threading.Event()
    results: list[Any] = []

    def slow(_progress: Progress) -> None:
        started.set()
        time.sleep(0.2)
        finished.set()

    background.run(slow, on_result=results.append)
    assert started.wait(5)
    background.shutdown()
    assert finished.is_set()  # no thread outlives the window
    qtbot.wait(20)
    assert results == []  # nothing is delivered to a closed window
    late = background.run(lambda _progress: results.append("ran"))  # e.g. a timer firing after close
    assert late.cancelled
    background.wait()
    assert results == []


def test_a_page_that_cannot_read_says_so_and_recovers(qtbot, window: MainWindow, boxes, bugs, monkeypatch) -> None:
    page = window.page("estates")
    listing = window.context.services.listing  # where the list pages read their order
    original = listing.ordered_ids

    def locked(*_args: Any, **_kwargs: Any) -> None:
        raise DatabaseLocked("数据库正被其他程序或同事占用，请稍后再试。")

    monkeypatch.setattr(listing, "ordered_ids", locked)
    window.refresh_current_page()
    qtbot.waitUntil(lambda: bool(boxes.shown))
    assert boxes.shown[0][1] == "数据库正被其他程序或同事占用，请稍后再试。"
    assert window.count_label.text() == "读取失败"
    assert page.proxy.rowCount() == 3  # what was shown stays shown

    monkeypatch.setattr(listing, "ordered_ids", original)
    window.refresh_current_page()
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: window.count_label.text() == "共 3 条小区记录")
    assert bugs == []


# -- the exception hook and the crash dialog ---------------------------------------------------


def raised(error: BaseException) -> tuple[type[BaseException], BaseException, Any]:
    try:
        raise error
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def test_router_without_crash_dialog_prints_and_fails(tmp_path: Path, capsys, caplog) -> None:
    router = ExceptionRouter(log_file=tmp_path / "app.log", crash_dialog=False)
    with caplog.at_level(logging.ERROR):
        router(*raised(KeyError("register")))
    assert router.failed
    assert "KeyError: 'register'" in capsys.readouterr().err
    assert "未处理的异常" in caplog.text


def test_router_shows_a_user_error_as_a_message(tmp_path: Path, boxes) -> None:
    router = ExceptionRouter(log_file=tmp_path / "app.log")
    router(*raised(UserError("小区“曹杨新村”已存在。")))
    assert boxes.shown == [("无法完成操作", "小区“曹杨新村”已存在。")]
    assert not router.failed


def test_router_in_a_smoke_run_fails_on_a_user_error_instead_of_waiting(tmp_path: Path, boxes, capsys) -> None:
    router = ExceptionRouter(log_file=tmp_path / "app.log", crash_dialog=False, fail_on_user_error=True)
    router(*raised(UserError("数据库文件已损坏。")))
    assert router.failed
    assert boxes.shown == []
    assert "数据库文件已损坏" in capsys.readouterr().err


def test_router_shows_the_crash_dialog_for_a_bug(qtbot, tmp_path: Path, monkeypatch) -> None:
    shown: list[CrashDialog] = []
    monkeypatch.setattr(CrashDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    router = ExceptionRouter(log_file=tmp_path / "logs" / "putuo-community.log")
    router(*raised(ZeroDivisionError("division by zero")))
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.addWidget(dialog)
    assert dialog.text.isReadOnly()
    assert "ZeroDivisionError: division by zero" in dialog.text.toPlainText()
    assert "Traceback" in dialog.text.toPlainText()
    assert str(tmp_path / "logs" / "putuo-community.log") in dialog.log_label.text()
    dialog.copy_button.click()
    assert "ZeroDivisionError" in QGuiApplication.clipboard().text()
    assert dialog.copy_button.text() == "已复制"
    assert not router.failed  # the user may go on working


def test_qt_messages_go_to_the_log(caplog) -> None:
    previous = qInstallMessageHandler(qt_message_handler)
    try:
        with caplog.at_level(logging.WARNING, logger="qt"):
            qWarning("测试：一条 Qt 警告")
    finally:
        qInstallMessageHandler(previous)
    assert any(r.name == "qt" and "测试：一条 Qt 警告" in r.getMessage() for r in caplog.records)
