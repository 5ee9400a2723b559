"""An archive opened read-only, as a supervisor sees it: 只读 in the title and the status bar (saying why),
every button and menu entry that writes disabled, the records still open to read; and the same
disabled state while a damaged archive waits for its restore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Answers, make_company, make_estate, wait_loaded

from putuo_community.domain.changes import Changes
from putuo_community.gui.dialogs import RecordDialog
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.import_page import ImportPage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import Database, open_database

REFUSAL = "数据库以只读方式打开（启动时指定了 --read-only），不能保存修改。"
LIST_PAGES = ("estates", "committees", "companies", "managers", "projects", "lifts", "lift_projects")


def _archive(data_paths: DataPaths, *, estates: bool = True) -> None:
    database = open_database(data_paths.database_url)
    try:
        services = Services.build(database, user="测试员")
        if estates:
            estate = make_estate(services, "曹杨新村", code="PT0101", company_id=make_company(services))
            make_estate(services, "万里城", "万里")
            services.records.create("buildings", {"estate_id": estate, "number": "1号", "floors": 6})
    finally:
        database.dispose()


def _read_only_services(data_paths: DataPaths) -> Services:
    database = open_database(data_paths.database_url, read_only=True, backup_dir=data_paths.backups)
    return Services.build(database, user="督导", backup_dir=data_paths.backups)


@pytest.fixture
def read_only_services(data_paths: DataPaths) -> Iterator[Services]:
    _archive(data_paths)
    services = _read_only_services(data_paths)
    yield services
    services.close()


@pytest.fixture
def main(qtbot: Any, read_only_services: Services, tmp_path: Path) -> MainWindow:
    window = MainWindow(read_only_services, demo_folder=tmp_path / "demo")
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window.page("estates"))
    return window


@pytest.fixture
def estate_window(qtbot: Any, main: MainWindow, read_only_services: Services) -> EstateWindow:
    estate = read_only_services.records.list("estates", filters={"name": "曹杨新村"})[0]
    opened = main.open_estate(estate.id)
    qtbot.waitUntil(lambda: opened.dossier is not None and not opened.loading)
    return opened


def test_the_window_says_read_only_and_why(main: MainWindow) -> None:
    assert main.windowTitle().endswith("（只读）")
    assert main.read_only_label.isVisible()
    assert main.read_only_label.text() == "只读"
    assert main.read_only_label.toolTip().startswith(REFUSAL)


def test_every_list_refuses_new_edit_and_delete_but_still_opens_the_history(
    qtbot: Any, main: MainWindow, read_only_services: Services
) -> None:
    for key in LIST_PAGES:
        page = main.show_page(key)
        assert isinstance(page, RegisterPage)
        wait_loaded(qtbot, page)
        assert not page.new_button.isEnabled(), key
        assert page.new_button.toolTip() == REFUSAL
        assert not page.edit_button.isEnabled(), key
        assert not page.delete_button.isEnabled(), key
    estates = main.show_page("estates")
    assert isinstance(estates, RegisterPage)
    assert estates.current_record() is not None  # a record is chosen: only the refusal keeps them disabled
    assert not estates.edit_button.isEnabled()
    assert estates.edit_button.toolTip() == REFUSAL
    enabled = {action.text(): action.isEnabled() for action in estates.record_actions}
    assert enabled == {"修改(&E)…": False, "删除(&D)…": False, "变更记录(&H)…": True}


def test_a_write_that_slips_past_the_buttons_is_still_refused(
    qtbot: Any, main: MainWindow, read_only_services: Services, answers: Answers
) -> None:
    estates = main.page("estates")
    assert isinstance(estates, RegisterPage)
    assert estates.delete_current() is False  # Delete pressed some other way: the service says no
    assert answers.warnings == [REFUSAL]
    assert read_only_services.records.count("estates") == 2


def test_import_restore_and_the_first_start_are_disabled_a_backup_elsewhere_is_not(main: MainWindow) -> None:
    page = main.show_page("import")
    assert isinstance(page, ImportPage)
    assert not page.import_button.isEnabled()
    assert page.import_button.toolTip() == REFUSAL
    assert page.template_button.isEnabled()  # a blank template is a file of the clerk's, not the archive
    assert not page.undo_button.isEnabled()
    assert not main.restore_action.isEnabled()
    assert main.restore_action.statusTip() == REFUSAL
    assert main.backup_action.isEnabled()  # a copy to a file of the clerk's choice (a stick) writes nothing here
    for button in (main.first_start.import_button, main.first_start.new_button, main.first_start.demo_button):
        assert not button.isEnabled()


def test_the_estate_window_is_read_only_and_its_records_open_to_read(
    qtbot: Any, estate_window: EstateWindow, answers: Answers
) -> None:
    assert estate_window.windowTitle() == "曹杨新村 小区档案 — 普陀小区档案（只读）"
    assert estate_window.read_only_label.isVisible()
    assert not estate_window.edit_estate_button.isEnabled()
    assert estate_window.edit_estate_button.toolTip() == REFUSAL
    estate_window.show_section("buildings")
    box = estate_window.boxes["buildings"]
    assert box.shown_titles() == ["1号"]
    box.view.setCurrentIndex(box.proxy.index(0, 0))
    assert box.current_record() is not None
    for control in (box.new_button, box.edit_button, box.delete_button, box.edit_action, box.delete_action):
        assert not control.isEnabled()
    box.view.activated.emit(box.proxy.index(0, 0))  # Enter or a double-click: the record, to read
    dialog = estate_window.dialog
    assert isinstance(dialog, RecordDialog)
    assert dialog.windowTitle() == "查看楼栋：曹杨新村 · 楼号 1号（只读）"
    assert not dialog.save_button.isEnabled()
    assert dialog.status.text() == REFUSAL
    assert all(editor.read_only for editor in dialog.form.editors.values())
    dialog.save()  # Ctrl+S: nothing happens
    assert not dialog.saving
    dialog.reject()
    estate_window.show_section("completeness")
    gap_buttons = estate_window._gap_buttons()
    assert gap_buttons
    assert not any(button.isEnabled() for button in gap_buttons)


def test_the_estate_windows_history_offers_no_undo(qtbot: Any, estate_window: EstateWindow) -> None:
    estate_window.show_section("changes")
    history = estate_window.history_view
    assert history is not None
    qtbot.waitUntil(lambda: history.model.rowCount() > 0)
    history.view.setCurrentIndex(history.proxy.index(0, 0))
    assert history.selected_change() is not None
    assert not history.undo_button.isEnabled()
    assert history.undo_button.toolTip() == REFUSAL


def test_an_empty_archive_opened_read_only_offers_no_way_to_begin_that_writes(
    qtbot: Any, data_paths: DataPaths, tmp_path: Path
) -> None:
    _archive(data_paths, estates=False)
    services = _read_only_services(data_paths)
    try:
        window = MainWindow(services, demo_folder=tmp_path / "demo")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.first_start)
        for button in (window.first_start.import_button, window.first_start.new_button):
            assert not button.isEnabled()
            assert button.toolTip() == REFUSAL
        assert not window.first_start.demo_button.isEnabled()  # the demo is built in the data folder
        window.close()
    finally:
        services.close()


# -- the same disabled state while a damaged archive waits for its restore ---------------------------------------


def test_a_damaged_archive_disables_every_write_until_it_is_restored(
    qtbot: Any, database: Database, data_paths: DataPaths
) -> None:
    services = Services.build(database, user="测试员", backup_dir=data_paths.backups)
    make_estate(services, "曹杨新村")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    page = window.page("estates")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    assert page.new_button.isEnabled()
    damage = "数据库文件已损坏（SQLite 检查发现：page 12 is never used）。为免扩大损坏，程序已停止写入。"
    services.database.write_refusal = damage  # what the check at start finds
    window.backup_actions.damaged.emit("page 12 is never used")
    assert not page.new_button.isEnabled()
    assert page.new_button.toolTip() == damage
    assert not window.read_only_label.isVisible()  # damaged, not read-only
    assert window.restore_action.isEnabled()  # the way back
    assert "数据库已损坏" in window.database_label.text()

    services.database.write_refusal = None  # a restore mends it, and says everything changed
    services.changes.publish(Changes(everything=True, kind="恢复"))
    qtbot.waitUntil(lambda: page.new_button.isEnabled())
    assert page.new_button.toolTip() == "登记一条新的小区记录"
    assert "数据库已损坏" not in window.database_label.text()
