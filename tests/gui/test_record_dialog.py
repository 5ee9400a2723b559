"""The record dialog as clerks use it: add, change, Ctrl+S, Esc, two people on one record, delete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from gui_helpers import Answers, line_edit, make_company, make_estate, make_lift, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from putuo_community.gui.dialogs import ConflictDialog, RecordDialog, SaveChoice, confirm_delete
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import open_database

pytestmark = pytest.mark.usefixtures("answers")  # message boxes answered, never left open


def shown(qtbot: Any, dialog: RecordDialog) -> RecordDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()  # shortcuts (Ctrl+S) go to the active window
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def fill_new_estate(qtbot: Any, dialog: RecordDialog, name: str = "桃浦新村") -> None:
    form = dialog.form
    type_text(line_edit(dialog, "name"), name)
    street = form.picker("street_id")
    type_text(street.line_edit, "桃浦")
    qtbot.waitUntil(lambda: street.record_id is not None)


def test_a_new_estate_can_be_saved_only_once_its_errors_are_fixed(
    qtbot: Any, services: Services, answers: Answers
) -> None:
    dialog = shown(qtbot, RecordDialog.for_new(services, "estates"))
    assert dialog.windowTitle() == "新增小区"
    assert not dialog.save_button.isEnabled()  # 小区名称 and 街镇 are required
    assert "小区名称、街镇" in dialog.status.text()
    fill_new_estate(qtbot, dialog)
    assert dialog.save_button.isEnabled()

    date_edit = line_edit(dialog, "first_delivery_on")
    type_text(date_edit, "2019.13.1")
    assert not dialog.save_button.isEnabled()
    assert "日期不存在" in dialog.form.message_text("first_delivery_on")
    date_edit.clear()
    type_text(date_edit, "2019.5.1")
    assert dialog.save_button.isEnabled()

    households = line_edit(dialog, "households")
    type_text(households, "约1200户")  # a warning: shown, saving still allowed
    assert dialog.save_button.isEnabled()
    assert "提醒" in dialog.status.text()

    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    register_key, estate_id = saved.args
    assert register_key == "estates"
    estate = services.records.get("estates", estate_id)
    assert estate.values["name"] == "桃浦新村"
    assert estate.display("street_id") == "桃浦镇"
    assert estate.values["first_delivery_on"] == date(2019, 5, 1)
    assert estate.values["households"] == 1200
    assert not dialog.isVisible()
    assert answers.asked_to_save == []


def test_ctrl_s_with_a_required_field_blank_saves_nothing_and_shows_it(qtbot: Any, services: Services) -> None:
    dialog = shown(qtbot, RecordDialog.for_new(services, "estates"))
    type_text(line_edit(dialog, "name"), "桃浦新村")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert not dialog.saving
    assert dialog.form.message_text("street_id") == "必填"
    assert services.records.count("estates") == 0


def test_esc_with_edits_asks_and_cancel_keeps_the_dialog(qtbot: Any, services: Services, answers: Answers) -> None:
    dialog = shown(qtbot, RecordDialog.for_new(services, "estates"))
    type_text(line_edit(dialog, "address"), "兰溪路138弄")
    answers.save_choice = SaveChoice.CANCEL
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked_to_save == ["新增小区"]
    assert dialog.isVisible()
    answers.save_choice = SaveChoice.DISCARD
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert services.records.count("estates") == 0


def test_esc_without_edits_closes_without_asking(qtbot: Any, services: Services, answers: Answers) -> None:
    estate = services.records.get("estates", make_estate(services, "曹杨新村"))
    dialog = shown(qtbot, RecordDialog.for_record(services, estate))
    qtbot.waitUntil(lambda: dialog.form.shown_text("street_id") == "曹杨新村街道")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert answers.asked_to_save == []


def test_choosing_save_when_closing_saves(qtbot: Any, services: Services, answers: Answers) -> None:
    dialog = shown(qtbot, RecordDialog.for_new(services, "estates"))
    fill_new_estate(qtbot, dialog)
    answers.save_choice = SaveChoice.SAVE
    with qtbot.waitSignal(dialog.saved):
        dialog.close()
    assert services.records.count("estates") == 1


def test_an_edit_sends_only_the_changed_fields_with_the_version_read(
    qtbot: Any, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    estate = services.records.get("estates", make_estate(services, "曹杨新村"))
    calls: list[tuple[dict[str, Any], int]] = []
    update = services.records.update

    def spy(register_key: str, record_id: int, changes: dict[str, Any], *, expected_version: int) -> int:
        calls.append((dict(changes), expected_version))
        return update(register_key, record_id, changes, expected_version=expected_version)

    monkeypatch.setattr(services.records, "update", spy)
    dialog = shown(qtbot, RecordDialog.for_record(services, estate))
    assert dialog.windowTitle() == "修改小区：曹杨新村"
    households = line_edit(dialog, "households")
    households.clear()
    type_text(households, "700")
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert calls == [({"households": 700}, 1)]
    assert services.records.get("estates", estate.id).values["households"] == 700


def test_a_duplicate_is_explained_next_to_the_fields_that_make_it(
    qtbot: Any, services: Services, answers: Answers
) -> None:
    make_estate(services, "桃浦新村", "桃浦")
    dialog = shown(qtbot, RecordDialog.for_new(services, "estates"))
    fill_new_estate(qtbot, dialog)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(answers.warnings))
    assert "已存在" in answers.warnings[0]
    assert "已存在" in dialog.form.message_text("name")
    assert dialog.isVisible()
    assert not dialog.save_button.isEnabled()
    type_text(line_edit(dialog, "name"), "二村")
    assert dialog.form.message_text("name") == ""
    assert dialog.save_button.isEnabled()


def test_a_lift_added_from_an_estate_shows_its_estate_fixed(qtbot: Any, services: Services) -> None:
    estate_id = make_estate(services, "曹杨新村")
    services.records.create("buildings", {"estate_id": estate_id, "number": "3号楼"})
    dialog = shown(qtbot, RecordDialog.for_new(services, "lifts", preset={"estate_id": estate_id}))
    estate = dialog.form.picker("estate_id")
    qtbot.waitUntil(lambda: estate.text() == "曹杨新村")
    assert estate.read_only
    assert dialog.form.values()["estate_id"] == estate_id
    assert not dialog.form.is_dirty()
    building = dialog.form.picker("building_id")
    assert building.context == {"estate_id": estate_id}


# -- two people, one record ---------------------------------------------------------------------


@pytest.fixture
def second_clerk(data_paths: DataPaths) -> Iterator[Services]:
    """Another clerk's program on the same database file."""
    database = open_database(data_paths.database_url)
    yield Services.build(database, user="另一位")
    database.dispose()


def conflict_after_saving(qtbot: Any, services: Services, second_clerk: Services) -> tuple[RecordDialog, int]:
    estate_id = make_estate(services, "曹杨新村", households=640)
    dialog = shown(qtbot, RecordDialog.for_record(services, services.records.get("estates", estate_id)))
    # Meanwhile the other clerk changes the same estate.
    theirs = second_clerk.records.get("estates", estate_id)
    second_clerk.records.update("estates", estate_id, {"address": "枣阳路100弄"}, expected_version=theirs.version)
    households = line_edit(dialog, "households")
    households.clear()
    type_text(households, "650")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.conflict_dialog is not None and dialog.conflict_dialog.isVisible())
    return dialog, estate_id


def test_saving_over_someone_elses_save_shows_both_versions(
    qtbot: Any, services: Services, second_clerk: Services
) -> None:
    dialog, _estate_id = conflict_after_saving(qtbot, services, second_clerk)
    conflict = dialog.conflict_dialog
    assert isinstance(conflict, ConflictDialog)
    assert conflict.windowTitle() == "此记录已被他人修改"
    assert conflict.rows == ["address", "households"]
    table = conflict.table
    assert [table.item(0, c).text() for c in range(4)] == ["地址", "（空）", "枣阳路100弄", "（未改）"]
    assert [table.item(1, c).text() for c in range(4)] == ["户数", "640", "640", "650"]
    assert conflict.clashes == []


def test_reload_drops_my_edits_and_shows_theirs(qtbot: Any, services: Services, second_clerk: Services) -> None:
    dialog, estate_id = conflict_after_saving(qtbot, services, second_clerk)
    assert dialog.conflict_dialog is not None
    dialog.conflict_dialog.reload_button.click()
    assert dialog.conflict_dialog is None
    assert dialog.form.shown_text("address") == "枣阳路100弄"
    assert dialog.form.shown_text("households") == "640"
    assert not dialog.form.is_dirty()
    assert dialog.record is not None
    assert dialog.record.version == 2
    assert services.records.get("estates", estate_id).values["households"] == 640  # nothing written


def test_reapply_puts_my_edits_on_top_of_theirs(qtbot: Any, services: Services, second_clerk: Services) -> None:
    dialog, estate_id = conflict_after_saving(qtbot, services, second_clerk)
    assert dialog.conflict_dialog is not None
    with qtbot.waitSignal(dialog.saved):
        dialog.conflict_dialog.reapply_button.click()
    saved = services.records.get("estates", estate_id)
    assert saved.values["address"] == "枣阳路100弄"  # theirs kept
    assert saved.values["households"] == 650  # mine applied
    assert saved.version == 3


# -- deleting -----------------------------------------------------------------------------------


def test_a_building_with_lifts_cannot_be_deleted_and_the_reason_is_given(
    qtbot: Any, services: Services, answers: Answers
) -> None:
    estate_id = make_estate(services, "曹杨新村")
    building_id = services.records.create("buildings", {"estate_id": estate_id, "number": "3号楼"})
    make_lift(services, estate_id, "31101001", building_id=building_id)
    make_lift(services, estate_id, "31101002", building_id=building_id)
    services.records.create("lift_projects", {"estate_id": estate_id, "building_id": building_id, "stage": "方案"})
    building = services.records.get("buildings", building_id)
    assert not confirm_delete(services, building)
    assert answers.questions == []
    assert answers.warnings[0].startswith(
        "楼栋“3号楼”下登记了 2 台电梯、1 个加装电梯项目，不能删除。请先删除或改挂这些记录。"
    )
    assert "31101001、31101002" in answers.warnings[0]
    assert services.records.count("buildings") == 1


def test_a_building_without_dependants_is_deleted_after_asking(
    qtbot: Any, services: Services, answers: Answers
) -> None:
    estate_id = make_estate(services, "曹杨新村")
    building = services.records.get(
        "buildings", services.records.create("buildings", {"estate_id": estate_id, "number": "5号楼"})
    )
    answers.question_answer = QMessageBox.StandardButton.No
    assert not confirm_delete(services, building)
    assert services.records.count("buildings") == 1
    answers.question_answer = QMessageBox.StandardButton.Yes
    assert confirm_delete(services, building)
    assert "曹杨新村的楼栋“5号楼”" in answers.questions[-1]
    assert answers.informations == ["已删除楼栋“5号楼”。"]
    assert services.records.count("buildings") == 0


def test_deleting_a_record_someone_changed_meanwhile_is_refused(
    qtbot: Any, services: Services, answers: Answers
) -> None:
    company = services.records.get("companies", make_company(services))
    services.records.update("companies", company.id, {"legal_rep": "李四"}, expected_version=company.version)
    assert not confirm_delete(services, company)
    assert "已被他人修改" in answers.warnings[0]
    assert services.records.count("companies") == 1
