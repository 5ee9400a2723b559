"""The vote calculator as a clerk uses it, through the real widgets: a committee election and a 加装电梯
consent counted by area and by owners, each count's verdict and margin, saved with the record, shown in
the estate window and the lists without F5, and each step in the change history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from gui_helpers import line_edit, type_text, wait_loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from putuo_community.gui.dialogs import RecordDialog
from putuo_community.gui.dialogs.vote_dialog import VoteDialog
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services

pytestmark = pytest.mark.usefixtures("answers")  # message boxes answered, never left open


@pytest.fixture
def estate_window(qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]) -> EstateWindow:
    """曹杨新村 (640 households) with building 1号: two 单元 whose 专有面积 add up to 41,250.50 ㎡."""
    estate = estates["曹杨新村"]
    building = services.records.create("buildings", {"estate_id": estate, "number": "1号", "households": 24})
    for number, households, area in (("1单元", 12, "20000.00"), ("2单元", 12, "21250.50")):
        services.records.create(
            "units",
            {"building_id": building, "number": number, "households": households, "exclusive_area": Decimal(area)},
        )
    opened = window.open_estate(estate)
    qtbot.waitUntil(lambda: opened.dossier is not None and not opened.loading)
    return opened


def record_dialog(qtbot: Any, estate_window: EstateWindow) -> RecordDialog:
    dialog = estate_window.dialog
    assert isinstance(dialog, RecordDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def open_calculator(qtbot: Any, dialog: RecordDialog) -> VoteDialog:
    panel = dialog.vote_panel
    assert panel is not None
    assert panel.isVisible()
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    vote = panel.dialog
    assert isinstance(vote, VoteDialog)
    qtbot.waitUntil(vote.isVisible)
    qtbot.waitUntil(lambda: vote.scope is not None)  # the totals read from the registers
    return vote


def enter(vote: VoteDialog, key: str, text: str) -> None:
    """Type a count over what the field holds, as a clerk does."""
    edit = getattr(vote.editors[key], "line_edit", None)
    assert isinstance(edit, QLineEdit), key
    edit.clear()
    type_text(edit, text)


def results(vote: VoteDialog) -> dict[str, tuple[str, str]]:
    """Each count's row of the result table: (结果, 差额)."""
    table = vote.table
    return {
        table.item(r, 0).text(): (table.item(r, 4).text(), table.item(r, 5).text()) for r in range(table.rowCount())
    }


def table_cells(box: Any, header: str) -> list[str]:
    model = box.model
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def list_cells(page: RegisterPage, key: str) -> list[str]:
    column = [c.key for c in page.model.columns].index(key)
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


def history_rows(estate_window: EstateWindow, register_label: str) -> list[Any]:
    """The estate's change history as its 变更记录 section lists it (it follows every write)."""
    estate_window.show_section("changes")
    history = estate_window.history_view
    assert history is not None
    return [c for c in history.model.rows() if c.register_label == register_label]


def test_a_committee_election_is_counted_saved_and_corrected_with_its_margins(
    qtbot: Any, window: MainWindow, estate_window: EstateWindow, services: Services
) -> None:
    estate_window.show_section("committee")
    qtbot.mouseClick(estate_window.boxes["committee_terms"].new_button, Qt.MouseButton.LeftButton)
    dialog = record_dialog(qtbot, estate_window)
    type_text(line_edit(dialog, "term_no"), "3")
    type_text(line_edit(dialog, "start_on"), "2025.5.1")
    type_text(line_edit(dialog, "end_on"), "2030年4月30日")
    assert "尚未计票" in dialog.vote_panel.verdict_label.text()  # type: ignore[union-attr]

    vote = open_calculator(qtbot, dialog)
    assert vote.matter_label is not None
    assert vote.matter_label.text() == "（三）选举业主委员会或者更换业主委员会成员（过半数同意）"
    assert vote.scope_label.text() == "曹杨新村全体业主"
    assert vote.editors["total_area"].text() == "41250.50"  # the two 单元 together
    assert vote.editors["total_owners"].text() == "640"  # the estate's households
    assert "请填写计票数" in vote.verdict_label.text()

    # The tally sheet: 426 of 640 owners took part — one short of 2/3 (426.67).
    enter(vote, "voting_area", "27600")
    enter(vote, "voting_owners", "426")
    enter(vote, "agree_area", "20000")
    enter(vote, "agree_owners", "300")
    shown = results(vote)
    assert shown["参与人数"] == ("未通过", "人数差 1 人")
    assert shown["参与面积"] == ("通过", "面积超 99.66 ㎡")  # 2/3 of 41,250.50 ㎡ is 27,500.34 ㎡
    assert shown["同意人数"] == ("通过", "人数超 86 人")  # more than half of 426: 214
    assert "未通过" in vote.verdict_label.text()
    assert "参与人数不足2/3，差1人" in vote.verdict_label.text()
    assert "表决参与门槛" in vote.rules_label.text()
    assert "第二百七十八条" in vote.rules_label.text()

    qtbot.mouseClick(vote.ok_button, Qt.MouseButton.LeftButton)
    assert not vote.isVisible()
    assert dialog.form.values()["voting_owners"] == 426  # into the record's form, saved with it
    assert "未通过（一般事项表决）" in dialog.vote_panel.verdict_label.text()  # type: ignore[union-attr]
    dialog.activateWindow()  # back from the calculator: Ctrl+S goes to the record's dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.status.text() == ""
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    terms = estate_window.boxes["committee_terms"]
    qtbot.waitUntil(lambda: table_cells(terms, "选举表决") == ["未通过（一般事项表决）：参与人数不足2/3，差1人"])
    page = window.show_page("committees")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: list_cells(page, "election_vote") == ["未通过（一般事项表决）：参与人数不足2/3，差1人"])

    # Four late ballots are found: the clerk corrects the tally on the saved term.
    terms.select(services.records.list("committee_terms")[0].id)
    qtbot.mouseClick(terms.edit_button, Qt.MouseButton.LeftButton)
    dialog = record_dialog(qtbot, estate_window)
    vote = open_calculator(qtbot, dialog)
    assert vote.editors["voting_owners"].text() == "426"
    enter(vote, "voting_owners", "430")
    shown = results(vote)
    assert shown["参与人数"] == ("通过", "人数超 3 人")
    assert shown["同意人数"] == ("通过", "人数超 84 人")
    assert "通过" in vote.verdict_label.text()
    assert "未通过" not in vote.verdict_label.text()
    qtbot.keyClick(vote, Qt.Key.Key_Return)  # Enter: 确定
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()

    qtbot.waitUntil(lambda: table_cells(terms, "选举表决") == ["通过（一般事项表决）"])
    qtbot.waitUntil(lambda: list_cells(page, "election_vote") == ["通过（一般事项表决）"])
    qtbot.waitUntil(lambda: any(c.action == "修改" for c in history_rows(estate_window, "业委会届次")))
    changes = history_rows(estate_window, "业委会届次")
    assert {c.action for c in changes} == {"新增", "修改"}
    assert [c.text for c in changes if c.field_label == "参与表决人数"] == ["426 → 430"]


def test_a_lift_consent_that_fails_by_one_owner_says_why(
    qtbot: Any, window: MainWindow, estate_window: EstateWindow, services: Services
) -> None:
    estate_window.show_section("lift_projects")
    qtbot.mouseClick(estate_window.boxes["lift_projects"].new_button, Qt.MouseButton.LeftButton)
    dialog = record_dialog(qtbot, estate_window)
    building, unit = dialog.form.picker("building_id"), dialog.form.picker("unit_id")
    type_text(building.line_edit, "1号")
    qtbot.waitUntil(lambda: building.record_id is not None)
    type_text(unit.line_edit, "2单元")
    qtbot.waitUntil(lambda: unit.record_id is not None)
    stage = getattr(dialog.form.editor("stage"), "combo", None)
    assert isinstance(stage, QComboBox)
    stage.setCurrentText("意愿征询")

    vote = open_calculator(qtbot, dialog)
    assert vote.scope_label.text() == "1号 2单元的业主"
    assert vote.editors["households"].text() == "12"  # the 单元's own households, not the estate's
    assert vote.editors["total_area"].text() == "21250.50"
    enter(vote, "voting_owners", "9")  # 2/3 of 12 is 8
    enter(vote, "voting_area", "16000")
    enter(vote, "agree_owners", "6")  # 3/4 of 9 is 6.75: 7 needed
    enter(vote, "agree_area", "12000")
    shown = results(vote)
    assert shown["同意人数"] == ("未通过", "人数差 1 人")
    assert shown["同意面积"] == ("通过", "面积恰好达到")  # 3/4 of 16,000 ㎡ is 12,000 ㎡
    assert shown["参与人数"] == ("通过", "人数超 1 人")
    assert "加装电梯意愿征询" in vote.verdict_label.text()
    assert "同意人数不足3/4，差1人" in vote.verdict_label.text()
    assert "沪房更新〔2024〕126号" in vote.rules_label.text()
    qtbot.mouseClick(vote.ok_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()

    why = "未通过（加装电梯意愿征询）：同意人数不足3/4，差1人"
    qtbot.waitUntil(lambda: table_cells(estate_window.boxes["lift_projects"], "意愿征询结果") == [why])
    page = window.show_page("lift_projects")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: list_cells(page, "lift_vote") == [why])
    qtbot.waitUntil(lambda: bool(history_rows(estate_window, "加装电梯项目")))
    (created,) = history_rows(estate_window, "加装电梯项目")
    assert created.action == "新增"
    project = services.records.list("lift_projects")[0]
    assert (project.values["voting_owners"], project.values["agree_owners"]) == (9, 6)


def test_an_assembly_decision_follows_the_matter_chosen_from_article_278(
    qtbot: Any, estate_window: EstateWindow, estates: dict[str, int]
) -> None:
    estate_window.show_section("committee")
    qtbot.mouseClick(estate_window.boxes["committee_activities"].new_button, Qt.MouseButton.LeftButton)
    dialog = record_dialog(qtbot, estate_window)
    kind = getattr(dialog.form.editor("kind"), "combo", None)
    assert isinstance(kind, QComboBox)
    panel = dialog.vote_panel
    assert panel is not None
    kind.setCurrentText("接待日")
    assert not panel.isVisible()  # only an 业主大会 decides by vote
    kind.setCurrentText("业主大会")
    assert panel.isVisible()

    vote = open_calculator(qtbot, dialog)
    assert vote.matter_combo is not None
    assert vote.matter_combo.count() == 9  # the nine matters of 第278条 第一款
    enter(vote, "voting_area", "30000")
    enter(vote, "voting_owners", "500")
    enter(vote, "agree_area", "21000")  # 70 % of those who took part
    enter(vote, "agree_owners", "350")
    assert "选择表决事项" in vote.rules_label.text()
    vote.matter_combo.setCurrentIndex(vote.matter_combo.findData("使用维修资金"))
    assert "一般事项表决" in vote.verdict_label.text()
    assert results(vote)["同意人数"] == ("通过", "人数超 99 人")
    vote.matter_combo.setCurrentIndex(vote.matter_combo.findData("筹集维修资金"))
    assert "重大事项表决" in vote.verdict_label.text()
    assert results(vote)["同意人数"] == ("未通过", "人数差 25 人")  # 3/4 of 500 is 375
    assert results(vote)["同意面积"] == ("未通过", "面积差 1,500.00 ㎡")
    qtbot.mouseClick(vote.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.form.values()["vote_matter"] == "筹集维修资金"
