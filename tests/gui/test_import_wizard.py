"""The import wizard driven as a clerk would: file, preview, mapping, dry run, import, summary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from ledger_builder import LedgerEstate, build_street_ledger, ledger_estates
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from putuo_community.gui.import_wizard import ImportWizard
from putuo_community.gui.import_wizard.models import (
    HEADER_BACKGROUND,
    STATUS_COLOURS,
    LineRole,
    PlanRowModel,
    SheetPreviewModel,
    cell_text,
    column_letter,
)
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services import Services
from putuo_community.services.importing import RowStatus
from putuo_community.storage.database import Database

NAME_COLUMN = 1  # 序号 is column 0 of the ledger
ADDRESS_COLUMN = 3


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return build_street_ledger(tmp_path / "长征镇小区台账.xlsx", ledger_estates(36))


def with_cells(estate: LedgerEstate, **changes: object) -> LedgerEstate:
    """A ledger estate with some cells written differently; keys are cell positions as c<number>."""
    cells = list(estate.cells)
    for key, value in changes.items():
        cells[int(key.removeprefix("c"))] = value
    return LedgerEstate(**{**estate.__dict__, "cells": tuple(cells)})


def choose_file(qtbot: Any, wizard: ImportWizard, path: Path, kind: str = "estates") -> None:
    page = wizard.source_page
    page.set_kind(kind)
    page.set_file(path)
    qtbot.waitUntil(lambda: not page.working)


def read_file(qtbot: Any, wizard: ImportWizard, path: Path, kind: str = "estates") -> None:
    """Choose the file and press 下一步 until the preview shows."""
    choose_file(qtbot, wizard, path, kind)
    assert wizard.source_page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page)


def dry_run(qtbot: Any, wizard: ImportWizard, path: Path) -> None:
    """From a file to the 核对 page, with the suggested mapping."""
    read_file(qtbot, wizard, path)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    assert wizard.currentPage() is wizard.check_page
    wait_planned(qtbot, wizard)


def wait_planned(qtbot: Any, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.session.plan is not None and not wizard.check_page.working, timeout=10_000)


def statuses(wizard: ImportWizard) -> list[str]:
    model = wizard.check_page.model
    return [model.index(row, 1).data() for row in range(model.rowCount())]


def commit(qtbot: Any, wizard: ImportWizard) -> None:
    """From the 核对 page: 下一步, 开始导入, and wait for the summary."""
    wizard.next()
    assert wizard.currentPage() is wizard.commit_page
    if wizard.session.plan is not None and wizard.session.plan.rejected:
        wizard.commit_page.only_valid_button.click()
    else:
        wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=10_000)


def next_enabled(wizard: ImportWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


# -- the pages ---------------------------------------------------------------------------------


def test_preview_shades_the_two_header_lines_and_lists_what_is_left_out(
    qtbot: Any, wizard: ImportWizard, ledger: Path
) -> None:
    read_file(qtbot, wizard, ledger)
    page = wizard.preview_page
    lines = [page.model.row_object(row) for row in range(page.model.rowCount())]
    header_rows = [row for row, line in enumerate(lines) if line.role is LineRole.HEADER]
    assert [lines[row].line for row in header_rows] == [3, 4]
    assert page.model.index(header_rows[0], 0).data(Qt.ItemDataRole.BackgroundRole).color() == HEADER_BACKGROUND
    assert page.model.index(header_rows[1], 1).data() == ""  # 小区名称 is merged down from line 3
    assert page.model.index(header_rows[0], 1).data() == "小区名称"
    assert page.model.index(header_rows[1], 3).data() == "地址"  # under the group 基本情况
    first_data = lines[header_rows[-1] + 1]
    assert (first_data.line, first_data.role) == (5, LineRole.DATA)
    assert page.model.headerData(header_rows[0], Qt.Orientation.Vertical) == "3"
    skipped = [page.skipped_list.item(i).text() for i in range(page.skipped_list.count())]
    assert skipped[0] == "第 1–2 行：表头上方的标题"
    assert any("合计行" in text for text in skipped)
    assert "表头在第 3、4 行，共 36 行数据" in page.summary_label.text()


def test_mapping_is_prefilled_and_a_column_can_be_left_out(qtbot: Any, wizard: ImportWizard, ledger: Path) -> None:
    read_file(qtbot, wizard, ledger)
    wizard.next()
    page = wizard.mapping_page
    assert page.combo_for(NAME_COLUMN).currentData() == "name"
    assert page.combo_for(NAME_COLUMN).currentText() == "小区名称（必填）"
    assert page.combo_for(0).currentText() == "（不导入）"  # 序号
    assert not page.remembered_label.isVisible()

    page.set_field(ADDRESS_COLUMN, None)
    assert ADDRESS_COLUMN not in wizard.session.mapping

    page.set_field(NAME_COLUMN, None)
    assert page.missing_label.isVisible()
    assert "小区名称" in page.missing_label.text()
    page.set_field(NAME_COLUMN, "name")
    assert not page.missing_label.isVisible()

    page.set_field(ADDRESS_COLUMN, "name")  # two columns for one field
    assert "小区名称" in page.missing_label.text()
    assert not next_enabled(wizard)
    page.set_field(ADDRESS_COLUMN, None)
    assert next_enabled(wizard)

    wizard.next()
    wait_planned(qtbot, wizard)
    assert wizard.session.plan is not None
    assert "address" not in wizard.session.plan.mapping.values()


def test_a_chosen_mapping_is_remembered_for_the_next_file_of_the_same_shape(
    qtbot: Any, database: Database, runner: BackgroundRunner, ledger: Path, tmp_path: Path
) -> None:
    services = Services.build(database, user="测试员", mapping_file=tmp_path / "mappings.json")
    first = ImportWizard(services, runner)
    qtbot.addWidget(first)
    first.show()
    read_file(qtbot, first, ledger)
    first.next()
    first.mapping_page.set_field(ADDRESS_COLUMN, None)
    first.next()  # proceeding remembers the mapping
    first.reject()

    second = ImportWizard(services, runner)
    qtbot.addWidget(second)
    second.show()
    read_file(qtbot, second, ledger)
    second.next()
    assert second.mapping_page.remembered_label.isVisible()
    assert "已按上次的列对应" in second.mapping_page.remembered_label.text()
    assert second.mapping_page.combo_for(ADDRESS_COLUMN).currentText() == "（不导入）"


def test_the_dry_run_lists_every_row_as_new_and_the_import_writes_them(
    qtbot: Any, wizard: ImportWizard, services: Services, ledger: Path
) -> None:
    dry_run(qtbot, wizard, ledger)
    page = wizard.check_page
    assert statuses(wizard) == ["新增"] * 36
    assert page.model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole).color() == STATUS_COLOURS[RowStatus.NEW]
    assert page.model.index(0, 2).data() == "梅川一村"
    assert "新增 36" in page.counts_label.text()
    assert services.records.count("estates") == 0  # a dry run writes nothing

    page.show_status(RowStatus.ERROR)
    assert page.proxy.rowCount() == 0
    page.show_status(None)
    assert page.proxy.rowCount() == 36

    commit(qtbot, wizard)
    assert services.records.count("estates") == 36
    summary = wizard.summary_page
    result = wizard.session.result
    assert result is not None
    assert result.created == 36
    assert "新增 36" in summary.result_label.text()
    assert f"批次编号：{result.batch_id}" in summary.batch_label.text()
    assert not summary.save_button.isVisible()  # nothing was left out
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()


def test_importing_the_same_ledger_again_shows_every_row_unchanged(
    qtbot: Any, wizard: ImportWizard, services: Services, ledger: Path
) -> None:
    services.imports.commit(services.imports.plan(services.imports.read("estates", ledger)))
    dry_run(qtbot, wizard, ledger)
    assert statuses(wizard) == ["无变化"] * 36
    assert (
        wizard.check_page.model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole).color()
        == STATUS_COLOURS[RowStatus.UNCHANGED]
    )


def test_a_changed_value_is_shown_with_its_old_and_new_value(
    qtbot: Any, wizard: ImportWizard, services: Services, tmp_path: Path
) -> None:
    estates = ledger_estates(3)
    services.imports.commit(
        services.imports.plan(services.imports.read("estates", build_street_ledger(tmp_path / "v1.xlsx", estates)))
    )
    estates[1] = with_cells(estates[1], c6=estates[1].households + 20)
    dry_run(qtbot, wizard, build_street_ledger(tmp_path / "长征镇v2.xlsx", estates))
    assert statuses(wizard) == ["无变化", "更新", "无变化"]
    explanation = wizard.check_page.model.index(1, 3).data()
    assert explanation == f"户数 {estates[1].households}→{estates[1].households + 20}"


def test_bad_rows_are_errors_and_only_the_valid_rows_are_imported_on_request(
    qtbot: Any, wizard: ImportWizard, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    estates = ledger_estates(8)
    estates[3] = with_cells(estates[3], c11="2019-02-30")
    estates[7] = with_cells(estates[7], c3="别墅")
    dry_run(qtbot, wizard, build_street_ledger(tmp_path / "长征镇有错误.xlsx", estates))
    page = wizard.check_page
    page.show_status(RowStatus.ERROR)
    errors = {row.title: row.reason for row in page.shown_rows()}
    assert set(errors) == {estates[3].name, estates[7].name}
    assert "日期不存在" in errors[estates[3].name]
    assert "别墅" in errors[estates[7].name]
    error_row = page.proxy.index(0, 1)
    assert error_row.data(Qt.ItemDataRole.ForegroundRole).color() == STATUS_COLOURS[RowStatus.ERROR]

    wizard.next()
    commit_page = wizard.commit_page
    assert commit_page.rejected_label.isVisible()
    assert "有 2 行不能导入" in commit_page.rejected_label.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # the clerk must choose

    commit_page.back_button.click()  # 返回改正
    assert wizard.currentPage() is page
    assert services.records.count("estates") == 0

    commit(qtbot, wizard)  # this time: 只导入无误的行
    assert services.records.count("estates") == 6
    summary = wizard.summary_page
    assert summary.skipped_label.isVisible()
    assert "有 2 行未导入" in summary.skipped_label.text()
    assert summary.save_button.isVisible()
    assert summary.save_button.hasFocus() or not wizard.isActiveWindow()

    report = tmp_path / "错误行.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(report), ""))
    summary.save_button.click()
    qtbot.waitUntil(lambda: summary.saved_path == report)
    assert "已把 2 行保存到" in summary.saved_label.text()
    sheet = load_workbook(report).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    names = sorted(row[header.index("小区名称")] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == sorted([estates[3].name, estates[7].name])


def test_a_file_corrected_in_excel_is_read_again_after_going_back(
    qtbot: Any, wizard: ImportWizard, tmp_path: Path
) -> None:
    estates = ledger_estates(4)
    path = build_street_ledger(tmp_path / "长征镇.xlsx", [*estates[:3], with_cells(estates[3], c3="别墅")])
    dry_run(qtbot, wizard, path)
    assert statuses(wizard) == ["新增", "新增", "新增", "错误"]
    while wizard.currentPage() is not wizard.source_page:
        wizard.back()
    build_street_ledger(path, estates)  # the clerk corrects the cell and saves
    stamp = path.stat()
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page)
    wizard.next()
    wizard.next()
    wait_planned(qtbot, wizard)
    assert statuses(wizard) == ["新增"] * 4


def test_a_near_match_waits_for_a_decision_and_the_chosen_estate_is_updated(
    qtbot: Any, wizard: ImportWizard, services: Services, tmp_path: Path
) -> None:
    street = services.records.list("streets", filters={"short_name": "长征"})[0]
    existing = services.records.create("estates", {"name": "梅川一村", "street_id": street.id, "households": 300})
    estates = ledger_estates(2)
    estates[0] = LedgerEstate(
        **{**with_cells(estates[0], c0="梅川一村（一期）").__dict__, "name": "梅川一村（一期）", "households": 320}
    )
    estates[0] = with_cells(estates[0], c6=320)
    dry_run(qtbot, wizard, build_street_ledger(tmp_path / "长征.xlsx", estates))
    page = wizard.check_page
    assert statuses(wizard) == ["待确认", "新增"]
    assert "梅川一村" in page.model.index(0, 3).data()
    assert page.confirm_box.isVisible()  # the first row to decide is selected
    assert page.decision_choices()[0] == "请选择…"
    assert any(choice.startswith("是同一小区：梅川一村") for choice in page.decision_choices())
    assert page.decision_choices()[-1].startswith("是新小区")

    page.apply_decision()  # nothing chosen yet
    assert page.error_label.isVisible()

    page.choose_decision(existing)
    page.apply_decision()
    wait_planned(qtbot, wizard)
    assert statuses(wizard) == ["更新", "新增"]
    assert "户数 300→320" in page.model.index(0, 3).data()
    assert wizard.session.confirmations == {5: existing}

    commit(qtbot, wizard)
    estate = services.records.get("estates", existing)
    assert estate.values["name"] == "梅川一村"  # the estate keeps its own name
    assert estate.values["households"] == 320
    assert services.records.count("estates") == 2


def test_a_near_match_can_be_declared_a_new_estate(
    qtbot: Any, wizard: ImportWizard, services: Services, tmp_path: Path
) -> None:
    street = services.records.list("streets", filters={"short_name": "长征"})[0]
    services.records.create("estates", {"name": "梅川一村", "street_id": street.id})
    estates = [with_cells(ledger_estates(1)[0], c0="梅川一村（一期）")]
    dry_run(qtbot, wizard, build_street_ledger(tmp_path / "长征.xlsx", estates))
    page = wizard.check_page
    page.choose_decision(None)
    page.apply_decision()
    wait_planned(qtbot, wizard)
    assert statuses(wizard) == ["新增"]
    assert page.confirm_box.isVisible()  # still shows what was decided, to change it
    assert page.decision_combo.currentText().startswith("是新小区")


def test_a_decision_only_ever_applies_to_the_row_it_was_asked_for(
    qtbot: Any, wizard: ImportWizard, services: Services, tmp_path: Path
) -> None:
    street = services.records.list("streets", filters={"short_name": "长征"})[0]
    existing = services.records.create("estates", {"name": "梅川一村", "street_id": street.id})
    estates = ledger_estates(4)
    estates[0] = with_cells(estates[0], c0="梅川一村（一期）")
    estates[3] = with_cells(estates[3], c3="别墅")
    dry_run(qtbot, wizard, build_street_ledger(tmp_path / "长征.xlsx", estates))
    page = wizard.check_page
    page.choose_decision(existing)
    page.show_status(RowStatus.ERROR)  # the clerk looks at an error row instead
    page.view.setCurrentIndex(page.proxy.index(0, 0))
    assert not page.confirm_box.isVisible()
    page.apply_decision()
    assert wizard.session.confirmations == {}
    page.select_next_confirm()
    assert page.proxy.status is None  # the filter made way for the row to decide
    page.choose_decision(existing)
    page.apply_decision()
    wait_planned(qtbot, wizard)
    assert wizard.session.confirmations == {5: existing}
    assert statuses(wizard) == ["更新", "新增", "新增", "错误"]


def test_a_file_problem_is_shown_and_stops_the_wizard(
    qtbot: Any, wizard: ImportWizard, services: Services, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["小区名称", "户数"])
    sheet.append(["梅川一村", 300])
    path = tmp_path / "小区.xlsx"  # no 街镇 column, and neither the sheet nor the file names one
    book.save(path)
    dry_run(qtbot, wizard, path)
    page = wizard.check_page
    assert page.problems_label.isVisible()
    assert "街镇" in page.problems_label.text()
    assert not next_enabled(wizard)


def test_a_damaged_file_is_explained_on_the_first_page(qtbot: Any, wizard: ImportWizard, tmp_path: Path) -> None:
    damaged = tmp_path / "台账.xlsx"
    damaged.write_bytes(b"PK\x03\x04 this is not a workbook")
    choose_file(qtbot, wizard, damaged)
    page = wizard.source_page
    assert page.error_label.isVisible()
    assert "无法读取“台账.xlsx”" in page.error_label.text()
    assert "损坏" in page.error_label.text()
    assert not page.isComplete()
    assert wizard.currentPage() is page


def test_a_ledger_of_another_register_is_explained_on_the_first_page(
    qtbot: Any, wizard: ImportWizard, ledger: Path
) -> None:
    choose_file(qtbot, wizard, ledger, kind="lifts")
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.source_page.working)
    assert wizard.currentPage() is wizard.source_page
    assert "没有找到表头" in wizard.source_page.error_label.text()


def test_cancelling_before_the_import_writes_nothing(
    qtbot: Any, wizard: ImportWizard, services: Services, ledger: Path
) -> None:
    dry_run(qtbot, wizard, ledger)
    wizard.next()  # the 导入 page, not yet confirmed
    wizard.reject()
    assert not wizard.isVisible()
    assert services.records.count("estates") == 0
    assert services.batches.list() == []


def test_closing_the_wizard_does_not_interrupt_a_running_import(
    qtbot: Any, wizard: ImportWizard, services: Services, ledger: Path
) -> None:
    dry_run(qtbot, wizard, ledger)
    wizard.next()
    wizard.next()  # 开始导入: the write starts in the background
    assert wizard.committing
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    wizard.reject()  # Esc, or the window's close button
    assert wizard.isVisible()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page)
    assert services.records.count("estates") == 36


def test_cancelling_while_the_dry_run_runs_drops_it(
    qtbot: Any, wizard: ImportWizard, services: Services, ledger: Path
) -> None:
    read_file(qtbot, wizard, ledger)
    wizard.next()
    wizard.next()
    assert wizard.check_page.working or wizard.session.plan is not None
    wizard.reject()
    assert not wizard.check_page.working
    assert services.records.count("estates") == 0


# -- the models --------------------------------------------------------------------------------


def test_the_wizard_models_pass_the_model_tester(
    qtbot: Any, qtmodeltester: Any, wizard: ImportWizard, ledger: Path
) -> None:
    dry_run(qtbot, wizard, ledger)
    qtmodeltester.check(wizard.preview_page.model)
    qtmodeltester.check(wizard.check_page.model)
    qtmodeltester.check(wizard.check_page.proxy)


def test_an_empty_preview_model_is_valid(qtmodeltester: Any) -> None:
    qtmodeltester.check(SheetPreviewModel())
    qtmodeltester.check(PlanRowModel())


def test_cells_read_as_a_person_writes_them() -> None:
    import datetime as dt

    assert cell_text(1980.0) == "1980"
    assert cell_text(dt.datetime(2020, 3, 1)) == "2020-03-01"
    assert cell_text(None) == ""
    assert cell_text("  梅川\n一村 ") == "梅川 一村"
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
