"""Editing from the lists: 新增 / 修改 / 删除, Enter, the context menu, and the estate window from a list."""

from __future__ import annotations

from typing import Any

import pytest
from gui_helpers import Answers, make_lift, wait_loaded
from PySide6.QtCore import Qt

from putuo_community.gui.dialogs import RecordDialog
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services

pytestmark = pytest.mark.usefixtures("answers")  # message boxes answered, never left open


@pytest.fixture
def lifts_page(qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]) -> RegisterPage:
    make_lift(services, estates["万里城"], "31103107002008")
    make_lift(services, estates["万里城"], "31103107002009")
    page = window.show_page("lifts")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    return page


def codes(page: RegisterPage) -> list[str]:
    return sorted(page.model.row_object(row).title for row in range(page.model.rowCount()))


def test_enter_on_a_lift_opens_its_form_and_a_save_shows_in_the_list(
    qtbot: Any, lifts_page: RegisterPage, services: Services
) -> None:
    lifts_page.view.setCurrentIndex(lifts_page.model.index(0, 0))
    lifts_page.view.setFocus()
    qtbot.keyClick(lifts_page.view, Qt.Key.Key_Return)
    dialog = lifts_page.record_dialog
    assert isinstance(dialog, RecordDialog)
    assert dialog.windowTitle().startswith("修改电梯")
    assert lifts_page.edit_button.isEnabled()
    assert lifts_page.delete_button.isEnabled()


def test_delete_asks_then_removes_the_row(
    qtbot: Any, lifts_page: RegisterPage, services: Services, answers: Answers
) -> None:
    lifts_page.view.setCurrentIndex(lifts_page.model.index(0, 0))
    gone = lifts_page.current_record()
    assert gone is not None
    lifts_page.delete_button.click()
    assert answers.questions  # asked first
    qtbot.waitUntil(lambda: gone.title not in codes(lifts_page))
    assert services.records.count("lifts") == 1


def test_new_opens_an_empty_form_for_the_register(qtbot: Any, lifts_page: RegisterPage) -> None:
    lifts_page.new_button.click()
    dialog = lifts_page.record_dialog
    assert isinstance(dialog, RecordDialog)
    assert dialog.windowTitle() == "新增电梯"
    dialog.reject()


def test_a_lift_opens_its_estates_window_at_the_lifts(
    qtbot: Any, window: MainWindow, lifts_page: RegisterPage, estates: dict[str, int]
) -> None:
    lifts_page.view.setCurrentIndex(lifts_page.model.index(0, 0))
    [action] = [a for a in lifts_page.view.actions() if a.text().startswith("打开所在小区档案")]
    action.trigger()
    estate_window = window.estate_windows[estates["万里城"]]
    assert estate_window.current_section() == "lifts"


def test_a_records_history_opens_from_the_list(qtbot: Any, lifts_page: RegisterPage, services: Services) -> None:
    lifts_page.view.setCurrentIndex(lifts_page.model.index(0, 0))
    record = lifts_page.current_record()
    assert record is not None
    history = lifts_page.show_history()
    assert history is not None
    qtbot.waitUntil(lambda: history.model.rowCount() == 1)
    assert history.model.row_object(0).action == "新增"
    assert history.windowTitle() == f"电梯“{record.title}”的变更记录"
    services.records.update("lifts", record.id, {"make": "奥的斯"}, expected_version=record.version)
    qtbot.waitUntil(lambda: history.model.rowCount() == 2)  # the open history follows the save
    history.close()
    qtbot.waitUntil(lambda: lifts_page.record_history is None)


def test_enter_on_an_estate_opens_its_window(qtbot: Any, window: MainWindow, estates: dict[str, int]) -> None:
    page = window.page("estates")
    assert isinstance(page, RegisterPage)
    assert page.new_button.text() == "新建小区(&N)…"
    page.select_record(estates["曹杨新村"])
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert estates["曹杨新村"] in window.estate_windows
