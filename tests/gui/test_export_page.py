"""The 导出 page and the 导出台账 button of the register pages, on a small demo database."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import street_id, wait_loaded
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from putuo_community.gui import long_task
from putuo_community.gui.long_task import run_long_task
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.export_page import ExportPage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.gui.worker import BackgroundRunner, Progress
from putuo_community.io.ledger import FIRST_DATA_ROW, HEADER_ROW, TOTAL_LABEL
from putuo_community.services import Services
from putuo_community.services.demo import generate_demo
from putuo_community.services.dossier import BatchResult

TODAY = date.today().isoformat()


class FakeDialogs:
    """Stands in for the save and folder dialogs and the 已导出 message box."""

    def __init__(self) -> None:
        self.save_to: Path | None = None
        self.folder: Path | None = None
        self.suggested: list[str] = []
        self.announced: list[str] = []

    def ask_save_path(self, _parent: Any, _title: str, file_name: str, suffix: str, _filter: str) -> Path | None:
        self.suggested.append(file_name)
        return self.save_to

    def ask_folder(self, _parent: Any, _title: str) -> Path | None:
        return self.folder

    def announce_file(self, _parent: Any, _title: str, text: str, _folder: Path) -> None:
        self.announced.append(text)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> FakeDialogs:
    fake = FakeDialogs()
    monkeypatch.setattr(long_task, "ask_save_path", fake.ask_save_path)
    monkeypatch.setattr(long_task, "ask_folder", fake.ask_folder)
    monkeypatch.setattr(long_task, "announce_file", fake.announce_file)
    return fake


@pytest.fixture
def demo(services: Services) -> Services:
    generate_demo(services.database, estates=20, seed=3, today=date(2026, 11, 24))
    return services


@pytest.fixture
def demo_window(qtbot: Any, demo: Services) -> MainWindow:
    main = MainWindow(demo)
    qtbot.addWidget(main)
    main.show()
    wait_loaded(qtbot, main.page("estates"))
    qtbot.waitUntil(lambda: main.page("estates").street_filter.count() == 11)  # type: ignore[attr-defined]
    return main


def export_page(qtbot: Any, window: MainWindow) -> ExportPage:
    page = window.show_page("export")
    assert isinstance(page, ExportPage)
    wait_loaded(qtbot, page)
    return page


def choose(combo: Any, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def sheet_rows(path: Path) -> list[tuple[Any, ...]]:
    book = load_workbook(path, read_only=True)
    try:
        return list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def ledger_rows(path: Path) -> list[dict[str, Any]]:
    """The data rows of an exported ledger, by header, up to the 合计 row."""
    rows = sheet_rows(path)
    header = rows[HEADER_ROW - 1]
    data = []
    for row in rows[FIRST_DATA_ROW - 1 :]:
        if not any(row) or row[0] == TOTAL_LABEL:
            break
        data.append(dict(zip(header, row, strict=False)))
    return data


def test_the_page_keeps_the_register_overview_and_offers_every_ledger(qtbot: Any, demo_window: MainWindow) -> None:
    page = export_page(qtbot, demo_window)
    assert page.title == "导出"
    assert page.kind_combo.count() == 12
    assert page.kind_combo.itemText(0) == "小区台账"
    assert page.model.rowCount() > 10  # 台账 / 记录数 / 最近更新, as before
    assert "个台账" in demo_window.count_label.text()
    assert not page.personal_check.isChecked()
    assert not page.dossier_button.isEnabled()  # until a 街镇 is chosen
    for button in (page.ledger_button, page.summary_button, page.dossier_button):
        assert "&" in button.text()


def test_a_ledger_of_one_street_holds_only_that_street(
    qtbot: Any, demo_window: MainWindow, demo: Services, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    page = export_page(qtbot, demo_window)
    choose(page.kind_combo, "estates")
    choose(page.street_combo, street_id(demo, "长征"))
    qtbot.waitUntil(lambda: page.count_label.text() == "将导出 3 条记录")
    dialogs.save_to = tmp_path / "长征.xlsx"
    page.ledger_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.announced))
    assert dialogs.suggested == [f"长征镇小区台账-{TODAY}.xlsx"]
    assert dialogs.announced[0].startswith("已导出 3 条记录（长征镇小区台账）")
    assert str(dialogs.save_to) in page.message_label.text()
    rows = ledger_rows(dialogs.save_to)
    assert len(rows) == 3
    assert {row["街镇"] for row in rows} == {"长征镇"}


def test_the_count_follows_the_search_text_and_the_kind(qtbot: Any, demo_window: MainWindow, demo: Services) -> None:
    page = export_page(qtbot, demo_window)
    qtbot.waitUntil(lambda: page.count_label.text() == "将导出 20 条记录")
    page.search_edit.setText("没有这样的小区")
    qtbot.waitUntil(lambda: page.count_label.text() == "没有符合条件的记录")
    page.search_edit.clear()
    choose(page.kind_combo, "companies")
    qtbot.waitUntil(lambda: page.ledger_count == demo.ledgers.count("companies"))
    assert not page.street_combo.isEnabled()  # 物业企业 are not kept by 街镇
    assert page.personal_check.isEnabled()  # they have contact phone numbers
    choose(page.kind_combo, "buildings")
    assert not page.personal_check.isEnabled()


def test_personal_numbers_are_masked_unless_asked_for(
    qtbot: Any, demo_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    page = export_page(qtbot, demo_window)
    choose(page.kind_combo, "committee-members")
    dialogs.save_to = tmp_path / "masked.xlsx"
    page.ledger_button.click()
    qtbot.waitUntil(lambda: len(dialogs.announced) == 1)
    phones = [row["联系电话"] for row in ledger_rows(dialogs.save_to) if row["联系电话"]]
    assert phones
    assert all("*" in phone for phone in phones)

    page.personal_check.setChecked(True)
    dialogs.save_to = tmp_path / "full.xlsx"
    page.ledger_button.click()
    qtbot.waitUntil(lambda: len(dialogs.announced) == 2)
    assert "妥善保管" in dialogs.announced[1]
    assert not any("*" in str(row["联系电话"]) for row in ledger_rows(dialogs.save_to))


def test_closing_the_save_dialog_exports_nothing(
    qtbot: Any, demo_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    page = export_page(qtbot, demo_window)
    assert page.export_ledger() is None
    assert page.export_summary() is None
    assert dialogs.announced == []
    assert list(tmp_path.glob("*.xlsx")) == []


def test_a_register_page_exports_what_its_list_shows(
    qtbot: Any, demo_window: MainWindow, demo: Services, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    page = demo_window.show_page("lifts")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    choose(page.street_filter, street_id(demo, "长征"))
    qtbot.waitUntil(lambda: not page.loading and page.count_text(page.proxy.rowCount()).startswith("筛选出"))
    estate = page.proxy.row_object(0).display("estate_id")
    page.search_edit.setText(estate)
    qtbot.waitUntil(
        lambda: (
            not page.loading
            and {page.proxy.row_object(r).display("estate_id") for r in range(page.proxy.rowCount())} == {estate}
        )
    )
    shown = {page.proxy.row_object(r).title for r in range(page.proxy.rowCount())}
    assert page.export_button is not None
    dialogs.save_to = tmp_path / "电梯.xlsx"
    page.export_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.announced))
    assert dialogs.suggested == [f"长征镇电梯台账-{TODAY}.xlsx"]
    rows = ledger_rows(dialogs.save_to)
    assert {row["街镇"] for row in rows} == {"长征镇"}
    assert {row["注册代码"] for row in rows} == shown
    assert f"已导出 {len(shown)} 条记录" in demo_window.statusBar().currentMessage()


def test_every_register_page_exports_its_ledger(demo_window: MainWindow) -> None:
    for key in ("estates", "committees", "companies", "projects", "lifts"):
        page = demo_window.page(key)
        assert isinstance(page, RegisterPage)
        assert page.export_button is not None, key
        assert page.export_button.text() == "导出台账(&E)…"


def test_the_summary_is_written_where_the_clerk_chose(
    qtbot: Any, demo_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    page = export_page(qtbot, demo_window)
    dialogs.save_to = tmp_path / "汇总.xlsx"
    page.summary_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.announced))
    assert dialogs.suggested == [f"普陀区小区管理汇总表-{TODAY}.xlsx"]
    cells = [str(value) for row in sheet_rows(dialogs.save_to)[:14] for value in row if value]
    assert any("汇总表" in cell for cell in cells)
    assert any("长征镇" in cell for cell in cells)


def test_cancelling_a_batch_of_dossiers_leaves_the_folder_empty(
    qtbot: Any, demo_window: MainWindow, demo: Services, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    page = export_page(qtbot, demo_window)
    choose(page.dossier_street, street_id(demo, "长征"))
    qtbot.waitUntil(page.dossier_button.isEnabled)
    assert "长征镇共 3 个小区" in page.dossier_note.text()
    dialogs.folder = tmp_path / "档案"
    dialogs.folder.mkdir()
    page.dossier_button.click()
    task = page.task
    assert task is not None
    qtbot.waitUntil(task.dialog.isVisible, timeout=5000)  # a batch takes a while: the progress shows
    cancel = task.dialog.findChild(QPushButton)
    assert cancel is not None
    assert cancel.text() == "取消"
    cancel.click()
    assert not task.dialog.isVisible()
    qtbot.waitUntil(lambda: task.finished, timeout=20000)
    assert page.message_label.text() == "已取消"
    assert dialogs.announced == []
    assert list(dialogs.folder.iterdir()) == []


def test_a_finished_batch_says_how_many_dossiers_and_pages_and_where_the_index_is(
    qtbot: Any,
    demo_window: MainWindow,
    demo: Services,
    dialogs: FakeDialogs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[int, Path]] = []

    def write_street(street: int, folder: Path, *, today: date, progress: Any, cancelled: Any, **_: Any) -> BatchResult:
        asked.append((street, folder))
        for done in range(1, 4):
            progress(done, 3)
        assert not cancelled()
        files = tuple(folder / f"{n}.pdf" for n in "甲乙丙")
        return BatchResult(folder, files, folder / "长征镇小区档案目录.pdf", 42)

    monkeypatch.setattr(demo.dossiers, "write_street", write_street)
    page = export_page(qtbot, demo_window)
    choose(page.dossier_street, street_id(demo, "长征"))
    qtbot.waitUntil(page.dossier_button.isEnabled)
    dialogs.folder = tmp_path
    page.dossier_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.announced))
    assert asked == [(street_id(demo, "长征"), tmp_path)]
    assert dialogs.announced[0].startswith("已生成长征镇 3 个小区的档案，共 42 页，目录为“长征镇小区档案目录.pdf”")
    assert page.message_label.text() == dialogs.announced[0]


def test_a_long_task_shows_its_progress_and_esc_stops_it_quietly(qtbot: Any) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    runner = BackgroundRunner(owner)
    outcome: list[str] = []
    stopped = threading.Event()

    def work(progress: Progress) -> str:
        try:
            while True:
                progress.report(1, 4, "第 1 步，共 4 步")
                time.sleep(0.01)
        finally:
            stopped.set()

    task = run_long_task(
        owner,
        runner,
        work,
        title="测试",
        label="正在测试…",
        on_result=outcome.append,
        on_cancelled=lambda: outcome.append("已取消"),
    )
    try:
        qtbot.waitUntil(task.dialog.isVisible)  # shown once the work outlasts a moment
        qtbot.waitUntil(lambda: task.bar.maximum() == 4)
        assert task.bar.value() == 1
        assert task.dialog.labelText() == "第 1 步，共 4 步"
        task.dialog.activateWindow()  # Esc goes to the active window
        qtbot.waitUntil(task.dialog.isActiveWindow)
        qtbot.keyClick(task.dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: outcome == ["已取消"])
        assert stopped.is_set()
    finally:
        runner.shutdown()  # never leave the endless work running into the next test


def test_a_quick_task_delivers_its_result_and_leaves_no_dialog_behind(qtbot: Any) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    runner = BackgroundRunner(owner)
    results: list[int] = []
    task = run_long_task(owner, runner, lambda _progress: 42, title="测试", label="…", on_result=results.append)
    try:
        qtbot.waitUntil(lambda: results == [42])
        assert task.finished
        qtbot.waitUntil(lambda: owner.findChildren(QProgressDialog) == [])  # closed and deleted, not just hidden
    finally:
        runner.shutdown()


def test_a_ledger_known_to_be_empty_asks_for_no_file_and_says_why(
    qtbot: Any, demo_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    page = export_page(qtbot, demo_window)
    choose(page.street_combo, street_id(page.context.services, "长征"))
    page.search_edit.setText("没有这样的小区")
    qtbot.waitUntil(lambda: page.count_label.text() == "没有符合条件的记录")
    dialogs.save_to = tmp_path / "导出" / "空.xlsx"
    assert page.export_ledger() is None
    assert dialogs.suggested == []  # the clerk is not asked where to save nothing
    assert page.message_label.isVisible()
    assert page.message_label.text() == "长征镇没有符合条件的小区记录，没有可导出的内容，未生成文件。"
    assert not dialogs.save_to.parent.exists()

    page.search_edit.clear()  # the filter changes: the old count no longer refuses
    assert page.ledger_count is None


def test_a_register_page_whose_list_is_empty_exports_no_file(
    qtbot: Any, demo_window: MainWindow, dialogs: FakeDialogs, answers: Any, tmp_path: Path
) -> None:
    page = demo_window.show_page("lifts")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    page.search_edit.setText("没有这样的电梯")
    qtbot.waitUntil(lambda: not page.loading and page.proxy.rowCount() == 0)
    assert page.export_button is not None
    dialogs.save_to = tmp_path / "电梯.xlsx"
    page.export_button.click()
    qtbot.waitUntil(lambda: bool(answers.warnings))
    assert answers.warnings == ["普陀区没有含“没有这样的电梯”的电梯记录，没有可导出的内容，未生成文件。"]
    assert dialogs.announced == []
    assert not dialogs.save_to.exists()
    assert "未能完成" in demo_window.statusBar().currentMessage()
