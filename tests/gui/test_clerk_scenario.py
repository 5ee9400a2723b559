"""A clerk's morning, driven through the real widgets only: no service call in the test body.

1. create an estate with two buildings; 2. record a committee term with five members;
3. change the estate's 户数; 4. see both changes in the history, in labels; 5. undo the 户数
change; 6. add a lift first used 16 years ago and see 满15年未评估 and the completeness gap;
7. be refused deleting a building that has lifts; 8. save one record from two sessions and
get the conflict dialog.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from gui_helpers import Answers, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from putuo_community.gui.dialogs import ConflictDialog, RecordDialog
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.main_window import MainWindow
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import open_database

pytestmark = pytest.mark.usefixtures("answers")  # message boxes answered, never left open

FIVE_MEMBERS = (("周建华", "主任"), ("陈丽", "副主任"), ("王强", "委员"), ("李梅", "委员"), ("赵刚", "委员"))


@pytest.fixture
def main(qtbot: Any, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.first_start)
    return window


@pytest.fixture
def second_clerk(qtbot: Any, data_paths: DataPaths) -> Iterator[MainWindow]:
    """Another clerk's program on the same database file."""
    services = Services.build(open_database(data_paths.database_url), user="另一位经办人")
    window = MainWindow(services, remember_state=False)
    qtbot.addWidget(window)
    yield window
    window.close()
    services.close()


# -- what a clerk does with a form ---------------------------------------------------------------


def typed(dialog: RecordDialog, key: str, text: str) -> None:
    editor = dialog.form.editor(key)
    line = getattr(editor, "line_edit", None)
    if not isinstance(line, QLineEdit):
        combo = getattr(editor, "combo", None)
        assert isinstance(combo, QComboBox), key
        line = combo.lineEdit()
    assert isinstance(line, QLineEdit), key
    line.selectAll()
    line.del_()
    type_text(line, text)


def picked(qtbot: Any, dialog: RecordDialog, key: str, text: str) -> None:
    picker = dialog.form.picker(key)
    type_text(picker.line_edit, text)
    qtbot.waitUntil(lambda: picker.record_id is not None)


def saved(qtbot: Any, dialog: RecordDialog) -> None:
    qtbot.waitUntil(dialog.save_button.isEnabled)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()


def estate_window_of(qtbot: Any, main: MainWindow) -> EstateWindow:
    qtbot.waitUntil(lambda: len(main.estate_windows) == 1)
    window = next(iter(main.estate_windows.values()))
    qtbot.waitUntil(lambda: window.dossier is not None and not window.loading)
    return window


def add_in(qtbot: Any, window: EstateWindow, register: str, values: dict[str, str]) -> None:
    box = window.boxes[register]
    qtbot.waitUntil(box.new_button.isEnabled)
    box.new_button.click()
    dialog = window.dialog
    assert isinstance(dialog, RecordDialog)
    for key, text in values.items():
        typed(dialog, key, text)
    saved(qtbot, dialog)


def list_row(page: Any, title: str) -> dict[str, str]:
    """A list page's row, as its header names read it."""
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    for row in range(model.rowCount()):
        cells = {h: model.index(row, c).data() or "" for c, h in enumerate(headers)}
        if title in cells.values():
            return cells
    raise AssertionError(f"{title} is not in the list")


def column(box: Any, header: str) -> list[str]:
    headers = [c.header for c in box.model.columns]
    position = headers.index(header)
    return [box.proxy.index(row, position).data() for row in range(box.proxy.rowCount())]


# -- the scenario ----------------------------------------------------------------------------------


def test_a_clerks_morning(qtbot: Any, main: MainWindow, second_clerk: MainWindow, answers: Answers) -> None:
    # 1. A new estate from the first start, then its two buildings in its own window.
    main.first_start.new_button.click()
    dialog = main.new_estate_dialog
    assert isinstance(dialog, RecordDialog)
    typed(dialog, "name", "梅川一村")
    picked(qtbot, dialog, "street_id", "长征")
    typed(dialog, "households", "640")
    saved(qtbot, dialog)
    window = estate_window_of(qtbot, main)
    assert window.current_section() == "buildings"
    for number in ("1号", "2号"):
        add_in(qtbot, window, "buildings", {"number": number, "floors": "6"})
    qtbot.waitUntil(lambda: sorted(window.boxes["buildings"].shown_titles()) == ["1号", "2号"])

    # 2. The first committee term and its five members.
    window.show_section("committee")
    add_in(qtbot, window, "committee_terms", {"term_no": "1", "start_on": "2024.3.1", "end_on": "2029年2月28日"})
    members = window.boxes["committee_members"]
    qtbot.waitUntil(lambda: members.new_button.isEnabled())  # the new term is chosen for its members
    for name, role in FIVE_MEMBERS:
        add_in(qtbot, window, "committee_members", {"name": name, "role": role})
    qtbot.waitUntil(lambda: len(window.boxes["committee_members"].shown_titles()) == 5)

    # 3. The estate's 户数 changes.
    window.edit_estate_button.click()
    dialog = window.dialog
    assert isinstance(dialog, RecordDialog)
    typed(dialog, "households", "660")
    saved(qtbot, dialog)
    qtbot.waitUntil(lambda: window.dossier is not None and window.dossier.estate.values["households"] == 660)

    # 4. The history names both changes in labels.
    window.show_section("changes")
    history = window.history_view
    assert history is not None
    qtbot.waitUntil(lambda: any(c.field_label == "户数" for c in history.model.rows()))
    texts = {(c.register_label, c.field_label or c.action): c.text for c in history.model.rows()}
    assert texts[("小区", "户数")] == "640 → 660"
    assert "楼号：1号" in texts[("楼栋", "新增")] or "楼号：2号" in texts[("楼栋", "新增")]
    assert "姓名：" in texts[("业委会成员", "新增")]
    assert not any("{" in text for text in texts.values())  # never JSON

    # 5. Undo the 户数 change.
    row = next(i for i, c in enumerate(history.model.rows()) if c.field_label == "户数")
    history.view.setCurrentIndex(history.proxy.mapFromSource(history.model.index(row, 0)))
    history.undo_button.click()
    qtbot.waitUntil(lambda: window.dossier is not None and window.dossier.estate.values["households"] == 640)

    # 6. A lift first used 16 years ago: 满15年未评估 in its row and a gap in the completeness.
    window.show_section("lifts")
    first_use = date(date.today().year - 16, 3, 1).isoformat()
    add_in(qtbot, window, "lifts", {"registration_code": "31103107002008", "first_use_on": first_use})
    lifts = window.boxes["lifts"]
    qtbot.waitUntil(lambda: lifts.proxy.rowCount() == 1)
    assert column(lifts, "梯龄") == ["16年"]
    assert "满15年未评估" in column(lifts, "提示")[0]
    window.show_section("completeness")
    qtbot.waitUntil(lambda: any("使用满15年未做安全评估" in g.message for g in window.dossier.gaps))  # type: ignore[union-attr]
    lift_list = main.show_page("lifts")  # the district's list says the same, in its 梯龄 and 评估 columns
    qtbot.waitUntil(lambda: lift_list.has_loaded and lift_list.model.rowCount() == 1)  # type: ignore[attr-defined]
    lift_row = list_row(lift_list, "31103107002008")
    assert lift_row["梯龄（年）"] == "16"
    assert lift_row["评估到期"].startswith("满15年未评估")

    # 7. A building with a lift cannot be deleted, and the clerk is told why.
    window.show_section("lifts")
    lifts.select(lifts.proxy.row_object(0)[0].id)
    lifts.edit_button.click()
    dialog = window.dialog
    assert isinstance(dialog, RecordDialog)
    picked(qtbot, dialog, "building_id", "1号")
    saved(qtbot, dialog)
    qtbot.waitUntil(lambda: column(window.boxes["lifts"], "位置") == ["1号"], timeout=3000)
    window.show_section("buildings")
    buildings = window.boxes["buildings"]
    first = next(r for r in (buildings.proxy.row_object(i)[0] for i in range(2)) if r.title == "1号")
    buildings.select(first.id)
    buildings.delete_button.click()
    assert answers.warnings, "the refusal is shown"
    assert "电梯" in answers.warnings[-1]
    assert "31103107002008" in answers.warnings[-1]
    assert sorted(buildings.shown_titles()) == ["1号", "2号"]

    # 8. Two clerks save the same estate: the second save meets the conflict dialog.
    window.edit_estate_button.click()
    mine = window.dialog
    assert isinstance(mine, RecordDialog)
    estate_id = window.estate_id
    other_window = second_clerk.open_estate(estate_id)
    qtbot.waitUntil(lambda: other_window.dossier is not None)
    other_window.edit_estate_button.click()
    theirs = other_window.dialog
    assert isinstance(theirs, RecordDialog)
    typed(theirs, "address", "梅川路1弄")
    saved(qtbot, theirs)
    typed(mine, "address", "梅川路2弄")
    qtbot.waitUntil(mine.save_button.isEnabled)
    mine.save_button.click()
    qtbot.waitUntil(lambda: isinstance(mine.conflict_dialog, ConflictDialog) and mine.conflict_dialog.isVisible())
    conflict = mine.conflict_dialog
    assert conflict is not None
    assert "此记录已被他人修改" in [label.text() for label in conflict.findChildren(QLabel)]
    assert conflict.theirs.values["address"] == "梅川路1弄"  # their saved version, side by side with mine
    assert conflict.mine["address"] == "梅川路2弄"
    conflict.reject()
    mine.reject()
