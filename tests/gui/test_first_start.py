"""An empty archive invites the clerk in; the demo opens in a folder of its own; the window fits the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui_helpers import street_id

from putuo_community.gui.dialogs import RecordDialog
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.import_page import ImportPage
from putuo_community.paths import DataPaths
from putuo_community.services import Services, workspace


@pytest.fixture
def empty_window(qtbot: Any, services: Services, data_paths: DataPaths) -> MainWindow:
    main = MainWindow(services, demo_folder=data_paths.demo)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main.stack.currentWidget() is main.first_start)
    return main


def test_an_empty_archive_shows_three_ways_to_begin(qtbot: Any, empty_window: MainWindow) -> None:
    panel = empty_window.first_start
    assert panel.isVisible()
    assert [b.text() for b in (panel.import_button, panel.new_button, panel.demo_button)] == [
        "导入台账(&I)…",
        "新建小区(&N)…",
        "载入演示数据(&D)…",
    ]
    assert all(b.isEnabled() for b in (panel.import_button, panel.new_button, panel.demo_button))


def test_import_opens_the_wizard_on_the_import_page(qtbot: Any, empty_window: MainWindow) -> None:
    empty_window.first_start.import_button.click()
    page = empty_window.page("import")
    assert isinstance(page, ImportPage)
    assert empty_window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.wizard is not None and page.wizard.isVisible())
    page.wizard.reject()  # type: ignore[union-attr]


def test_the_first_estate_replaces_the_invitation_with_the_list(
    qtbot: Any, empty_window: MainWindow, services: Services
) -> None:
    empty_window.first_start.new_button.click()
    dialog = empty_window.new_estate_dialog
    assert isinstance(dialog, RecordDialog)
    assert dialog.windowTitle() == "新增小区"
    dialog.reject()
    services.records.create("estates", {"name": "桃浦新村", "street_id": street_id(services, "桃浦")})
    estates = empty_window.page("estates")
    qtbot.waitUntil(lambda: empty_window.stack.currentWidget() is estates)


def test_the_demo_opens_in_its_own_folder_and_window(
    qtbot: Any,
    empty_window: MainWindow,
    services: Services,
    data_paths: DataPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workspace, "DEMO_ESTATES", 30)
    empty_window.first_start.demo_button.click()
    qtbot.waitUntil(lambda: len(empty_window.demo_windows) == 1, timeout=30_000)
    demo = empty_window.demo_windows[0]
    assert "演示数据" in demo.windowTitle()
    assert "演示数据" not in empty_window.windowTitle()
    assert Path(demo.services.database_name).parent == data_paths.demo
    assert demo.services.records.count("estates") == 30
    assert services.records.count("estates") == 0  # the user's own archive is untouched
    assert not demo.first_start.demo_button.isEnabled()  # no demo inside the demo
    demo.close()  # deleted on close, and its services closed with it


def test_the_window_fits_a_small_screen(qtbot: Any, empty_window: MainWindow) -> None:
    screen = empty_window.screen().availableGeometry()
    frame = empty_window.frameGeometry()
    assert frame.width() <= screen.width()
    assert frame.height() <= screen.height()
    status = empty_window.statusBar()
    bottom = status.mapTo(empty_window, status.rect().bottomLeft()).y() + empty_window.geometry().y()
    assert bottom <= screen.bottom()  # the status bar is on the screen
