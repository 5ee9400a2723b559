"""The 导入 page: the wizard, blank templates, recent import batches and undoing one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui_helpers import wait_loaded
from ledger_builder import build_street_ledger, ledger_estates
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from putuo_community.gui.import_wizard import ImportWizard
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.import_page import BatchTableModel, ImportPage
from putuo_community.services import Services


class Answers:
    """Stands in for QMessageBox's static functions: answers Yes, remembers what was asked and shown."""

    def __init__(self, answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes) -> None:
        self.answer = answer
        self.questions: list[str] = []
        self.warnings: list[str] = []

    def question(self, _parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.questions.append(text)
        return self.answer

    def warning(self, _parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.warnings.append(text)
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    fake = Answers()
    monkeypatch.setattr(QMessageBox, "question", fake.question)
    monkeypatch.setattr(QMessageBox, "warning", fake.warning)
    return fake


@pytest.fixture
def imported(services: Services, tmp_path: Path) -> int:
    """The batch of a 36-estate ledger imported through the service."""
    ledger = build_street_ledger(tmp_path / "长征镇小区台账.xlsx", ledger_estates(36))
    result = services.imports.commit(services.imports.plan(services.imports.read("estates", ledger)))
    assert result.batch_id is not None
    return result.batch_id


def import_page(qtbot: Any, window: MainWindow) -> ImportPage:
    page = window.show_page("import")
    assert isinstance(page, ImportPage)
    wait_loaded(qtbot, page)
    return page


def test_the_page_lists_import_batches_and_keeps_the_register_overview(
    qtbot: Any, window: MainWindow, imported: int
) -> None:
    page = import_page(qtbot, window)
    (batch,) = page.batches()
    assert batch.id == imported
    assert page.batch_model.index(0, 2).data() == "测试员"
    assert "长征镇小区台账.xlsx" in page.batch_model.index(0, 3).data()
    assert page.batch_model.index(0, 5).data() == "有效"
    assert page.tabs.tabText(0) == "最近的导入"
    labels = {
        page.overview_model.index(r, 0).data(): page.overview_model.index(r, 1).data()
        for r in range(page.overview_model.rowCount())
    }
    assert labels["小区"] == "39"  # 36 imported beside the 3 of the window fixture
    assert "最近 1 次导入" in window.count_label.text()


def test_undo_asks_naming_the_batch_and_removes_what_it_imported(
    qtbot: Any, window: MainWindow, services: Services, imported: int, answers: Answers
) -> None:
    page = import_page(qtbot, window)
    assert not page.undo_button.isEnabled()  # nothing chosen yet
    page.select_batch(imported)
    assert page.undo_button.isEnabled()
    page.undo_button.click()
    assert len(answers.questions) == 1
    assert f"撤销批次 {imported}" in answers.questions[0]
    assert "长征镇小区台账.xlsx" in answers.questions[0]
    qtbot.waitUntil(lambda: page.batches()[0].undone_at is not None and not page.loading)
    assert services.records.count("estates") == 3
    assert page.batch_model.index(0, 5).data().startswith("已撤销")
    assert f"已撤销批次 {imported}" in page.message_label.text()
    page.select_batch(imported)
    assert not page.undo_button.isEnabled()  # once is enough


def test_undo_answered_no_changes_nothing(
    qtbot: Any, window: MainWindow, services: Services, imported: int, answers: Answers
) -> None:
    answers.answer = QMessageBox.StandardButton.No
    page = import_page(qtbot, window)
    page.select_batch(imported)
    page.undo_selected()
    assert services.records.count("estates") == 39
    assert page.undo_button.isEnabled()


def test_a_refused_undo_shows_the_reason_and_changes_nothing(
    qtbot: Any, window: MainWindow, services: Services, imported: int, answers: Answers
) -> None:
    estate = next(r for r in services.records.list("estates") if r.values["name"] == "梅川一村")
    services.records.create("buildings", {"estate_id": estate.id, "number": "1号"})
    page = import_page(qtbot, window)
    page.select_batch(imported)
    page.undo_selected()
    qtbot.waitUntil(lambda: bool(answers.warnings))
    assert "不能整批撤销" in answers.warnings[0]
    assert services.records.count("estates") == 39
    assert page.undo_button.isEnabled()


def test_a_blank_template_is_saved_where_the_clerk_chose(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = import_page(qtbot, window)
    target = tmp_path / "电梯模板"  # the dialog may hand back a name without .xlsx
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(target), ""))
    assert page.template_menu.actions()[0].text() == "小区导入模板"
    page.template_actions["lifts"].trigger()
    saved = target.with_suffix(".xlsx")
    qtbot.waitUntil(saved.exists)
    qtbot.waitUntil(lambda: "空白模板已保存" in page.message_label.text())
    sheet = load_workbook(saved).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert any(h and "注册代码" in h for h in headers)
    assert any(h and "街镇" in h for h in headers)  # the lookup column comes along


@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")  # offscreen only
def test_the_wizard_opens_modal_and_its_import_appears_in_the_list(
    qtbot: Any, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    page = import_page(qtbot, window)
    wizard = page.open_wizard()
    assert isinstance(wizard, ImportWizard)
    assert wizard.isVisible()
    assert wizard.windowModality() == Qt.WindowModality.WindowModal
    assert page.open_wizard() is wizard  # a second click brings the same one forward

    ledger = build_street_ledger(tmp_path / "长征镇小区台账.xlsx", ledger_estates(4))
    wizard.source_page.set_file(ledger)
    qtbot.waitUntil(wizard.source_page.isComplete)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.session.plan is not None and not wizard.check_page.working)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page)
    wizard.accept()
    qtbot.waitUntil(lambda: len(page.batches()) == 1 and not page.loading)
    assert services.records.count("estates") == 7
    qtbot.waitUntil(lambda: page.wizard is None)  # deleted on close


def test_the_batch_model_passes_the_model_tester(qtmodeltester: Any, services: Services, imported: int) -> None:
    model = BatchTableModel()
    model.set_rows(services.batches.list(kind="导入"))
    qtmodeltester.check(model)
