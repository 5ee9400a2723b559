"""Step 1: which register, which file, which sheet. The sheet is read in the background on 下一步."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from putuo_community.gui.import_wizard.common import NOTE_STYLE, ImportSession, StepPage, file_stamp
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services.importing import IMPORT_KINDS, ImportSource


class SourcePage(StepPage):
    def __init__(self, session: ImportSession, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.setTitle(self.tr("选择台账文件"))
        self.setSubTitle(self.tr("选择要导入的台账类型和 Excel/CSV 文件。此时还不会写入任何数据。"))

        self.kind_combo = QComboBox(self)
        for kind in IMPORT_KINDS.values():
            self.kind_combo.addItem(kind.label, kind.key)
            tooltip = kind.register.description or kind.label
            self.kind_combo.setItemData(self.kind_combo.count() - 1, tooltip, Qt.ItemDataRole.ToolTipRole)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(session.kind_key), 0))
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)

        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText(self.tr("点“浏览…”选择文件，或粘贴文件的完整路径"))
        self.path_edit.editingFinished.connect(self._path_edited)
        self.browse_button = QPushButton(self.tr("浏览(&O)…"), self)
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setEnabled(False)
        self.sheet_combo.setMinimumContentsLength(16)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)

        form = QFormLayout()
        kind_label = QLabel(self.tr("台账类型(&T)："), self)
        kind_label.setBuddy(self.kind_combo)
        file_label = QLabel(self.tr("文件(&F)："), self)
        file_label.setBuddy(self.path_edit)
        sheet_label = QLabel(self.tr("工作表(&S)："), self)
        sheet_label.setBuddy(self.sheet_combo)
        form.addRow(kind_label, self.kind_combo)
        form.addRow(file_label, path_row)
        form.addRow(sheet_label, self.sheet_combo)

        note = QLabel(
            self.tr(
                "可导入 .xlsx、.xlsm、.xls 和 .csv 文件（WPS 表格也可存为这些格式）。"
                "表头可以占多行；表格上方的标题、下方的合计行、说明和签名会自动跳过，下一步可以核对。"
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(note)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

    # -- what a test or the page calls --------------------------------------------------------

    def set_kind(self, kind_key: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind_key))

    def set_file(self, path: Path) -> None:
        """Use this file: list its sheets in the background."""
        self.path_edit.setText(str(path))
        self.session.path = path
        self.session.sheet = None
        self.sheet_combo.clear()
        self.sheet_combo.setEnabled(False)
        imports = self.session.imports
        self.run_in_background(
            lambda: imports.sheets(path),
            self._sheets_listed,
            busy_text=self.tr("正在打开文件…"),
            description=self.tr("打开台账文件"),
        )

    def set_sheet(self, sheet: str) -> None:
        self.sheet_combo.setCurrentIndex(self.sheet_combo.findText(sheet))

    def browse(self) -> None:
        start = str(self.session.path.parent) if self.session.path else ""
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择要导入的台账"), start, self.tr("Excel/CSV (*.xlsx *.xlsm *.xls *.csv)")
        )
        if name:
            self.set_file(Path(name))

    # -- QWizardPage ----------------------------------------------------------------------------

    def isComplete(self) -> bool:
        return not self.working and self.session.path is not None and self.sheet_combo.count() > 0

    def validatePage(self) -> bool:
        if self.session.source_is_current():
            return True
        if self.working or self.session.path is None:
            return False
        imports, kind, path, sheet = self.session.imports, self.session.kind_key, self.session.path, self.session.sheet

        def read() -> tuple[ImportSource, tuple[int, int] | None]:
            stamp = file_stamp(path)  # before reading: a save during the read makes the next 下一步 read again
            return imports.read(kind, path, sheet=sheet), stamp

        self.run_in_background(
            read,
            self._source_read,
            busy_text=self.tr("正在读取工作表，大的文件需要一些时间…"),
            description=self.tr("读取台账"),
        )
        return False  # the wizard moves on once the sheet is read

    # -- slots ----------------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        self.session.kind_key = str(self.kind_combo.currentData())

    def _path_edited(self) -> None:
        text = self.path_edit.text().strip().strip('"')
        if text and Path(text) != self.session.path:
            self.set_file(Path(text))

    def _sheets_listed(self, names: list[str]) -> None:
        self.sheet_combo.blockSignals(True)
        try:
            self.sheet_combo.clear()
            self.sheet_combo.addItems(names)
            self.sheet_combo.setCurrentIndex(0)
        finally:
            self.sheet_combo.blockSignals(False)
        self.sheet_combo.setEnabled(len(names) > 1)
        self.session.sheet = names[0] if names else None
        if not names:
            self.show_error(self.tr("文件中没有可读的工作表。"))
        self.completeChanged.emit()

    def _sheet_changed(self) -> None:
        self.session.sheet = self.sheet_combo.currentText() or None

    def _source_read(self, read: tuple[ImportSource, tuple[int, int] | None]) -> None:
        source, stamp = read
        self.session.use_source(source, stamp)
        self.go_on()
