"""Print preview of an estate dossier: the PDF's pages on screen, 打印… to a printer, 另存为 PDF….

The dossier arrives as PDF bytes. Qt cannot print a PDF as vectors, so each page is
rendered (QtPdf) to an image at the printer's resolution, capped for speed, and drawn
filling the A4 sheet. 另存为 PDF saves the original bytes, which stay sharp.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.errors import UserError
from putuo_community.domain.file_names import safe_file_name
from putuo_community.gui import long_task
from putuo_community.io.files import write_file

log = logging.getLogger(__name__)

PRINT_DPI = 200  # enough for 10-point Chinese on paper; rendering at 600 dpi would take seconds a page
PREVIEW_DPI = 150  # sharp on a high-DPI screen at the zoom the preview opens with
POINTS_PER_INCH = 72


class DossierPreviewDialog(QDialog):
    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.title = title
        self.setWindowTitle(self.tr("打印预览 — {title}").format(title=title))

        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise UserError(self.tr("无法显示“{title}”：生成的 PDF 无法读取").format(title=title))

        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(title)
        self.printer.setPageLayout(
            QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
        )
        self.printer.setFullPage(True)  # the PDF has its own margins

        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.paintRequested.connect(self._paint_preview)
        self.preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)

        self.pages_label = QLabel(self)
        self.preview.previewChanged.connect(self._show_page_number)
        self.message_label = QLabel(self)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setStyleSheet("color: #2e7d32;")

        zoom_out = self._tool_button(self.tr("缩小"), QKeySequence.StandardKey.ZoomOut, self.preview.zoomOut)
        zoom_in = self._tool_button(self.tr("放大"), QKeySequence.StandardKey.ZoomIn, self.preview.zoomIn)
        fit_width = self._tool_button(self.tr("适合宽度"), None, self.preview.fitToWidth)
        whole_page = self._tool_button(self.tr("整页"), None, self.preview.fitInView)
        tools = QHBoxLayout()
        for tool in (zoom_out, zoom_in, fit_width, whole_page):
            tools.addWidget(tool)
        tools.addSpacing(12)
        tools.addWidget(self.pages_label)
        tools.addStretch(1)

        self.print_button = QPushButton(self.tr("打印(&P)…"), self)
        self.print_button.setToolTip(self.tr("选择打印机和份数后打印（Ctrl+P）"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(self.tr("另存为 PDF(&S)…"), self)
        self.save_button.setToolTip(self.tr("保存原始 PDF 文件，清晰度不受影响（Ctrl+S）"))
        self.save_button.clicked.connect(self.save_pdf)
        # Ctrl+P and Ctrl+S as well as the buttons' Alt+P and Alt+S (a button's own shortcut would replace those).
        for key, target in (
            (QKeySequence.StandardKey.Print, self.print_button),
            (QKeySequence.StandardKey.Save, self.save_button),
        ):
            action = QAction(self)
            action.setShortcut(key)
            action.triggered.connect(target.click)
            self.addAction(action)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.print_button.setDefault(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.preview, 1)
        layout.addLayout(bottom)
        self._size_to_screen()
        self.print_button.setFocus()

    def _tool_button(self, text: str, key: QKeySequence.StandardKey | None, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAutoRaise(True)
        if key is not None:
            button.setShortcut(QKeySequence(key))
            button.setToolTip(f"{text}（{QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)}）")
        button.clicked.connect(slot)
        return button

    def _size_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width, height = 900, 1000
        if available is not None:
            width = min(width, int(available.width() * 0.9))
            height = min(height, int(available.height() * 0.9))
        self.resize(width, height)

    # -- pages -----------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def page_image(self, page: int, dpi: int) -> QImage:
        """One page on white paper (QtPdf leaves the background transparent)."""
        points = self.document.pagePointSize(page)
        size = QSize(round(points.width() * dpi / POINTS_PER_INCH), round(points.height() * dpi / POINTS_PER_INCH))
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.drawImage(0, 0, self.document.render(page, size))
        painter.end()
        return image

    def render_pages(self, printer: QPrinter, dpi: int, pages: range | None = None) -> int:
        """Draw the pages onto `printer`, each scaled to fill the sheet; returns how many were drawn."""
        chosen = pages if pages is not None else range(self.page_count)
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(self.tr("无法开始打印：打印机不可用或无法写入"))
        drawn = 0
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            sheet = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            for page in chosen:
                if drawn and not printer.newPage():
                    raise UserError(self.tr("打印中断：打印机无法换页"))
                image = self.page_image(page, dpi)
                painter.drawImage(_fit(QSizeF(image.size()), sheet), image)
                drawn += 1
        finally:
            painter.end()
        return drawn

    def _paint_preview(self, printer: QPrinter) -> None:
        self.render_pages(printer, PREVIEW_DPI)

    @property
    def preview_page_count(self) -> int:
        return self.preview.pageCount()

    def _show_page_number(self) -> None:
        self.pages_label.setText(
            self.tr("第 {page} 页，共 {pages} 页").format(page=self.preview.currentPage(), pages=self.page_count)
        )

    # -- 打印 --------------------------------------------------------------------------------

    def ask_printer(self) -> bool:
        """The system's print dialog: printer, copies, pages."""
        dialog = QPrintDialog(self.printer, self)
        dialog.setWindowTitle(self.tr("打印 {title}").format(title=self.title))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, False)
        dialog.setMinMax(1, self.page_count)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_document(self) -> int:
        """Ask for the printer, then print; returns the number of pages sent."""
        if not self.ask_printer():
            return 0
        return self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> int:
        pages: range | None = None
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            pages = range(printer.fromPage() - 1, min(printer.toPage(), self.page_count))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            drawn = self.render_pages(printer, min(printer.resolution(), PRINT_DPI), pages)
        except UserError as error:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, self.tr("无法打印"), error.message)
            return 0
        QApplication.restoreOverrideCursor()
        where = printer.outputFileName() or printer.printerName()
        self.message_label.setText(self.tr("已送出 {pages} 页：{where}").format(pages=drawn, where=where))
        log.info("printed %d page(s) of %s to %s", drawn, self.title, where)
        return drawn

    # -- 另存为 PDF --------------------------------------------------------------------------

    def save_pdf(self) -> Path | None:
        path = long_task.ask_save_path(
            self, self.tr("另存为 PDF"), safe_file_name(self.title, ".pdf"), ".pdf", self.tr("PDF 文件 (*.pdf)")
        )
        if path is None:
            return None
        try:
            write_file(path, self.pdf, opened_by="PDF 阅读器、WPS")
        except UserError as error:
            QMessageBox.warning(self, self.tr("无法保存"), error.message)
            return None
        self.message_label.setText(self.tr("已另存为：{path}").format(path=path))
        return path


def _fit(size: QSizeF, within: QRectF) -> QRectF:
    """`size` scaled to fit `within`, keeping its proportions, centred."""
    scaled = size.scaled(within.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = within.left() + (within.width() - scaled.width()) / 2
    top = within.top() + (within.height() - scaled.height()) / 2
    return QRectF(left, top, scaled.width(), scaled.height())
