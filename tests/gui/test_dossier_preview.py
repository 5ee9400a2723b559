"""Printing an estate's dossier from the 小区档案 page: preview, print, save as PDF; and the 档案字体 dialog."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import wait_loaded
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from putuo_community.gui import long_task
from putuo_community.gui.dossier_preview import DossierPreviewDialog
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.estate_page import EstatePage
from putuo_community.gui.settings_dialog import FontDialog
from putuo_community.io.fonts import bundled_font_path
from putuo_community.services import Services
from putuo_community.services.dossier import FontChoice
from putuo_community.services.settings import UserSettings


class Warnings:
    def __init__(self) -> None:
        self.shown: list[str] = []

    def warning(self, _parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.shown.append(text)
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Warnings:
    fake = Warnings()
    monkeypatch.setattr(QMessageBox, "warning", fake.warning)
    return fake


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def estate_page(qtbot: Any, window: MainWindow, estate_id: int) -> EstatePage:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    wait_loaded(qtbot, page)
    assert page.select_record(estate_id)
    return page


def open_preview(qtbot: Any, page: EstatePage) -> DossierPreviewDialog:
    qtbot.waitUntil(lambda: page.preview_dialog is not None and page.preview_dialog.isVisible(), timeout=10000)
    dialog = page.preview_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview_page_count > 0)
    return dialog


@pytest.fixture
def dossier(services: Services, estates: dict[str, int]) -> bytes:
    """The 万里城 dossier as the service prints it."""
    return services.dossiers.pdf_bytes(estates["万里城"], today=date.today())


def test_ctrl_p_previews_the_selected_estate_page_by_page(
    qtbot: Any, window: MainWindow, estates: dict[str, int], dossier: bytes
) -> None:
    page = estate_page(qtbot, window, estates["万里城"])
    assert page.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = open_preview(qtbot, page)
    assert dialog.title == "万里城 小区档案"
    assert dialog.printer.docName() == "万里城 小区档案"
    assert dialog.page_count == dialog.preview_page_count == pdf_pages(dossier)
    assert dialog.pages_label.text() == f"第 1 页，共 {pdf_pages(dossier)} 页"
    layout = dialog.printer.pageLayout()
    assert layout.pageSize().id() == layout.pageSize().PageSizeId.A4
    assert layout.orientation() == layout.Orientation.Portrait
    dialog.close()


def test_printing_sends_every_page_to_the_printer(
    qtbot: Any, window: MainWindow, estates: dict[str, int], dossier: bytes, tmp_path: Path
) -> None:
    page = estate_page(qtbot, window, estates["万里城"])
    page.panel.print_button.click()
    dialog = open_preview(qtbot, page)
    # The print dialog answered "打印" with a PDF printer chosen (Qt's own PDF output stands in for paper).
    target = tmp_path / "printed.pdf"
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer.setOutputFileName(str(target))
    dialog.ask_printer = lambda: True  # type: ignore[method-assign]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # or the 打印… button
    assert target.exists()
    assert pdf_pages(target.read_bytes()) == pdf_pages(dossier)
    assert "已送出" in dialog.message_label.text()
    dialog.close()


def test_printing_a_page_range(qtbot: Any, dossier: bytes, tmp_path: Path) -> None:
    dialog = DossierPreviewDialog(dossier, "万里城 小区档案")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "two.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert dialog.print_to(printer) == 2
    assert pdf_pages((tmp_path / "two.pdf").read_bytes()) == 2


def test_save_as_pdf_keeps_the_original_file(
    qtbot: Any, dossier: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: Warnings
) -> None:
    dialog = DossierPreviewDialog(dossier, "万里城 小区档案")
    qtbot.addWidget(dialog)
    suggested: list[str] = []

    def ask(_parent: Any, _title: str, file_name: str, _suffix: str, _filter: str) -> Path:
        suggested.append(file_name)
        return target

    monkeypatch.setattr(long_task, "ask_save_path", ask)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "档案.pdf"
    dialog.save_button.click()
    assert suggested == ["万里城 小区档案.pdf"]
    assert target.read_bytes() == dossier
    assert str(target) in dialog.message_label.text()

    target = folder / "没有这个文件夹" / "档案.pdf"
    assert dialog.save_pdf() is None
    assert len(warnings.shown) == 1
    assert "不存在" in warnings.shown[0]
    assert list(folder.iterdir()) == [folder / "档案.pdf"]  # no temporary file left behind


def test_the_panel_exports_the_dossier_as_a_pdf(
    qtbot: Any, window: MainWindow, estates: dict[str, int], dossier: bytes, tmp_path: Path, monkeypatch: Any
) -> None:
    target = tmp_path / "兰溪.pdf"
    announced: list[str] = []
    monkeypatch.setattr(long_task, "ask_save_path", lambda *_args: target)
    monkeypatch.setattr(long_task, "announce_file", lambda _parent, _title, text, _folder: announced.append(text))
    page = estate_page(qtbot, window, estates["兰溪青年公寓"])
    page.panel.pdf_button.click()
    qtbot.waitUntil(lambda: bool(announced))
    pages = pdf_pages(target.read_bytes())
    assert announced[0].startswith(f"已导出“兰溪青年公寓”的档案，共 {pages} 页")
    assert "兰溪青年公寓" in window.statusBar().currentMessage()


# -- the 档案字体 dialog ---------------------------------------------------------------------


def test_the_font_dialog_refuses_a_file_that_is_no_font(
    qtbot: Any, window: MainWindow, services: Services, tmp_path: Path, warnings: Warnings
) -> None:
    window.font_action.trigger()
    dialog = window.findChild(FontDialog)
    assert isinstance(dialog, FontDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.path_edit.text() == "默认：文泉驿微米黑（程序自带）"
    bogus = tmp_path / "假字体.ttf"
    bogus.write_bytes(b"this is not a font" * 100)
    dialog.set_font_file(bogus)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert len(warnings.shown) == 1
    assert "假字体.ttf" in warnings.shown[0]
    assert dialog.isVisible()  # still open to choose another
    assert services.dossiers.font == FontChoice()
    dialog.reject()


def test_the_font_dialog_keeps_a_good_font_and_remembers_it(
    qtbot: Any, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: Warnings
) -> None:
    settings_file = tmp_path / "settings.json"
    monkeypatch.setattr(services, "settings", UserSettings(settings_file))
    dialog = FontDialog(services)
    qtbot.addWidget(dialog)
    font = bundled_font_path()  # any TrueType collection will do
    dialog.set_font_file(font)
    assert dialog.subfont_spin.isEnabled()  # a .ttc holds several faces
    dialog.subfont_spin.setValue(1)
    dialog.accept()
    assert warnings.shown == []
    assert dialog.result() == dialog.DialogCode.Accepted
    assert services.dossiers.font == FontChoice(font, 1)
    assert UserSettings(settings_file).dossier_font() == FontChoice(font, 1)

    again = FontDialog(services)
    qtbot.addWidget(again)
    assert again.path_edit.text() == str(font)
    assert again.subfont_spin.value() == 1
    again.restore_default()
    again.accept()
    assert services.dossiers.font == FontChoice()
    assert UserSettings(settings_file).dossier_font() == FontChoice()
