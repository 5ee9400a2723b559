"""The 档案字体 dialog: which TrueType font the estate dossiers (PDF) are printed in."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.errors import UserError
from putuo_community.services import Services
from putuo_community.services.dossier import FontChoice

log = logging.getLogger(__name__)

MAX_SUBFONT = 31


def fonts_folder() -> Path:
    """Where the font dialog starts: the system's fonts (C:\\Windows\\Fonts on Windows) when it exists."""
    candidates = [QStandardPaths.writableLocation(QStandardPaths.StandardLocation.FontsLocation)]
    candidates += QStandardPaths.standardLocations(QStandardPaths.StandardLocation.FontsLocation)
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.home()


class FontDialog(QDialog):
    """Shows the current dossier font; choosing another is checked (can it be embedded?) before it is kept."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("档案字体"))
        self.setMinimumWidth(560)
        self.font_path: Path | None = services.dossiers.font.path

        intro = QLabel(
            self.tr(
                "小区档案（PDF）默认使用程序自带的文泉驿微米黑，在每台电脑上打印出来都一样。"
                "也可以改用电脑上的其他中文 TrueType 字体（.ttf 或 .ttc），"
                "例如微软雅黑（msyh.ttc）、宋体（simsun.ttc）。"
            ),
            self,
        )
        intro.setWordWrap(True)

        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setAccessibleName(self.tr("字体文件"))
        self.choose_button = QPushButton(self.tr("选择字体文件(&C)…"), self)
        self.choose_button.clicked.connect(self.choose_file)
        self.default_button = QPushButton(self.tr("恢复默认(&D)"), self)
        self.default_button.clicked.connect(self.restore_default)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        path_row.addWidget(self.default_button)

        self.subfont_spin = QSpinBox(self)
        self.subfont_spin.setRange(0, MAX_SUBFONT)
        self.subfont_spin.setValue(services.dossiers.font.subfont)
        self.subfont_spin.setToolTip(
            self.tr("一个 .ttc 文件里常有几个字体，从 0 数起；例如 simsun.ttc 的 0 是宋体，1 是新宋体。")
        )
        self.subfont_note = QLabel(self.tr("（仅 .ttc 文件，从 0 数起）"), self)
        self.subfont_note.setStyleSheet("color: #666666;")
        subfont_row = QHBoxLayout()
        subfont_row.addWidget(self.subfont_spin)
        subfont_row.addWidget(self.subfont_note, 1)

        form = QFormLayout()
        file_label = QLabel(self.tr("字体文件(&F)："), self)
        file_label.setBuddy(self.choose_button)
        form.addRow(file_label, path_row)
        subfont_label = QLabel(self.tr("字体序号(&N)："), self)
        subfont_label.setBuddy(self.subfont_spin)
        form.addRow(subfont_label, subfont_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._show_choice()

    # -- what is chosen --------------------------------------------------------------------

    @property
    def choice(self) -> FontChoice:
        if self.font_path is None:
            return FontChoice()
        subfont = self.subfont_spin.value() if self.font_path.suffix.lower() == ".ttc" else 0
        return FontChoice(self.font_path, subfont)

    def set_font_file(self, path: Path | None) -> None:
        self.font_path = path
        if path is None or path.suffix.lower() != ".ttc":
            self.subfont_spin.setValue(0)
        self._show_choice()

    def _show_choice(self) -> None:
        if self.font_path is None:
            self.path_edit.setText(self.tr("默认：文泉驿微米黑（程序自带）"))
            self.path_edit.setToolTip("")
        else:
            self.path_edit.setText(str(self.font_path))
            self.path_edit.setToolTip(str(self.font_path))
            self.path_edit.setCursorPosition(0)
        is_collection = self.font_path is not None and self.font_path.suffix.lower() == ".ttc"
        self.subfont_spin.setEnabled(is_collection)
        self.default_button.setEnabled(self.font_path is not None)

    def choose_file(self) -> None:
        start = self.font_path.parent if self.font_path is not None else fonts_folder()
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择字体文件"), str(start), self.tr("TrueType 字体 (*.ttf *.ttc);;所有文件 (*)")
        )
        if name:
            self.set_font_file(Path(name))

    def restore_default(self) -> None:
        self.set_font_file(None)

    # -- OK --------------------------------------------------------------------------------

    def accept(self) -> None:
        """Keep the font only if it can be embedded; otherwise say why and stay open."""
        choice = self.choice
        refusal: UserError | None = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # reading a large .ttc takes a moment
        try:
            self.services.dossiers.choose_font(choice)
            self.services.settings.set_dossier_font(choice)
        except UserError as error:
            refusal = error
        finally:
            QApplication.restoreOverrideCursor()
        if refusal is not None:
            log.info("font refused: %s", refusal.message)
            QMessageBox.warning(self, self.tr("不能使用这个字体"), refusal.message)
            return
        log.info("dossier font: %s (face %d)", choice.path or "bundled", choice.subfont)
        super().accept()
