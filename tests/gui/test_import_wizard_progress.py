"""The import wizard on a large register: real progress while checking and writing, 取消 with nothing
written, and every column that is not imported named on the way."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ledger_builder import csv_register
from PySide6.QtWidgets import QWizard

from putuo_community.gui.import_wizard import ImportWizard
from putuo_community.services import Services
from putuo_community.services.importing import ImportService

ROWS = 20_000
LEVEL_COLUMN = 4


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return csv_register(tmp_path_factory.mktemp("register") / "全区小区.csv", ROWS)


def slowed(monkeypatch: pytest.MonkeyPatch, method: str, seconds: float) -> None:
    """The real service, with each progress report held back a moment: the work lasts long enough to watch."""
    original = getattr(ImportService, method)

    def held_back(self: ImportService, *args: Any, progress: Callable[[int, int], None], **options: Any) -> Any:
        def report(done: int, total: int) -> None:
            time.sleep(seconds)
            progress(done, total)

        return original(self, *args, progress=report, **options)

    monkeypatch.setattr(ImportService, method, held_back)


def to_mapping(qtbot: Any, wizard: ImportWizard, path: Path) -> None:
    page = wizard.source_page
    page.set_kind("estates")
    page.set_file(path)
    qtbot.waitUntil(lambda: not page.working)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview_page, timeout=20_000)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page


def watch_progress(qtbot: Any, page: Any, doing: str) -> str:
    """Wait until the page shows rows done, the rate and the time left; return the sentence."""
    busy = page.busy

    def showing() -> bool:
        text = busy.label.text()
        return busy.isVisible() and text.startswith(doing) and "每秒" in text and "还需" in text

    qtbot.waitUntil(showing, timeout=20_000)
    assert busy.cancel_button.isVisible()
    assert busy.cancel_button.isEnabled()
    assert busy.bar.maximum() == ROWS
    assert 0 < busy.bar.value() < ROWS
    return str(busy.label.text())


def test_the_check_shows_its_progress_and_cancelling_it_leaves_the_wizard_usable(
    qtbot: Any, wizard: ImportWizard, services: Services, register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slowed(monkeypatch, "plan", 0.004)  # about 200 reports: checking takes a second or so
    to_mapping(qtbot, wizard, register)
    wizard.next()
    page = wizard.check_page
    text = watch_progress(qtbot, page, "已核对")
    assert f"/ {ROWS:,} 行" in text
    assert page.busy.cancel_button.text() == "取消核对(&C)"

    page.busy.cancel_button.click()
    assert not page.working
    assert not page.busy.isVisible()
    assert page.stopped_label.isVisible()
    assert "已取消核对，没有写入任何数据" in page.stopped_label.text()
    assert wizard.session.plan is None
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert services.records.count("estates") == 0

    monkeypatch.undo()
    page.rerun_button.click()  # check again, to the end this time
    qtbot.waitUntil(lambda: wizard.session.plan is not None and not page.working, timeout=30_000)
    assert not page.stopped_label.isVisible()
    assert f"共 {ROWS:,} 行：新增 {ROWS:,}" in page.counts_label.text()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_cancelling_the_import_writes_nothing_and_it_can_be_started_again(
    qtbot: Any, wizard: ImportWizard, services: Services, register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    to_mapping(qtbot, wizard, register)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.session.plan is not None and not wizard.check_page.working, timeout=30_000)
    wizard.next()
    page = wizard.commit_page
    assert wizard.currentPage() is page

    slowed(monkeypatch, "commit", 0.05)  # 20 chunks of 1,000 rows: writing takes a second or so
    wizard.next()  # 开始导入
    text = watch_progress(qtbot, page, "已写入")
    assert f"/ {ROWS:,} 行" in text
    assert page.busy.cancel_button.text() == "取消导入(&C)"
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()  # closing is not how to stop it

    page.busy.cancel_button.click()
    assert "正在取消" in page.busy.label.text()  # until the service has rolled back
    qtbot.waitUntil(lambda: not page.working, timeout=20_000)
    assert page.stopped_label.isVisible()
    assert "已取消导入，没有写入任何数据" in page.stopped_label.text()
    assert wizard.currentPage() is page
    assert services.records.count("estates") == 0
    assert services.records.count("neighbourhoods") == 0
    assert services.batches.list() == []
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()

    monkeypatch.undo()
    wizard.next()  # 开始导入, again
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=30_000)
    assert services.records.count("estates") == ROWS
    assert len(services.batches.list()) == 1


def test_every_column_not_imported_is_named_on_the_mapping_check_and_summary_pages(
    qtbot: Any, wizard: ImportWizard, tmp_path: Path
) -> None:
    to_mapping(qtbot, wizard, csv_register(tmp_path / "长征镇小区.csv", 6))
    mapping = wizard.mapping_page
    assert mapping.left_out_label.isVisible()
    assert mapping.left_out_label.text() == (
        "不导入的列（3 列）：“序号”（如：1）、“小区等级”（如：A级）、“物业联系人手机”（无数据）。"
        "如需导入，请在上面为它选择对应的项。"
    )
    mapping.set_field(LEVEL_COLUMN, "note")  # the clerk keeps 小区等级 as 备注
    assert "小区等级" not in mapping.left_out_label.text()
    assert "不导入的列（2 列）" in mapping.left_out_label.text()
    mapping.set_field(3, None)  # and leaves 户数 out
    assert "“户数”（如：300）" in mapping.left_out_label.text()
    mapping.set_field(3, "households")

    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(lambda: wizard.session.plan is not None and not check.working, timeout=10_000)
    assert check.left_out_label.isVisible()
    assert check.left_out_label.text().startswith("未导入的列（2 列）：“序号”（如：1）、“物业联系人手机”（无数据）")

    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=10_000)
    summary = wizard.summary_page
    assert summary.left_out_label.isVisible()
    assert "未导入的列（2 列）" in summary.left_out_label.text()
    assert "这些列的内容没有导入" in summary.left_out_label.text()
